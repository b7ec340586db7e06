"""Turn engine answers into what people read: terminal text and JSON (Telegram HTML too)."""

from __future__ import annotations

from typing import Any

from index.models import Answer, Document, Hit

NO_ANSWER_TEXT = (
    "Xin lỗi, tôi chưa tìm thấy nội dung trả lời câu hỏi này trong các văn bản hiện có."
)
EMPTY_TEXT = "Bạn hãy nhập câu hỏi, ví dụ: «Người vào Đảng phải đủ bao nhiêu tuổi?»"
TOO_LONG_TEXT = "Câu hỏi quá dài (tối đa 1.000 ký tự). Bạn vui lòng hỏi ngắn gọn hơn."


def format_date(iso: str | None) -> str | None:
    """'2025-05-26' -> '26/05/2025'."""
    if not iso:
        return None
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def citation_parts(doc: Document, location: str | None) -> list[str]:
    """The pieces of a citation, in reading order, plain text."""
    head = doc.title
    if doc.code and doc.code not in head:
        head = f"{doc.code} – {head}" if head else doc.code
    parts = [head]
    body = doc.issuer or doc.publisher
    if body:
        parts.append(body)
    date = format_date(doc.date)
    if date:
        parts.append(f"ngày {date}")
    if location:
        parts.append(location)
    return parts


def mark_text(excerpt: str, marks: tuple[tuple[int, int], ...], left: str, right: str) -> str:
    """Wrap the marked spans of `excerpt` in `left`/`right` (no escaping)."""
    out, pos = [], 0
    for start, end in marks:
        out.append(excerpt[pos:start])
        out.append(f"{left}{excerpt[start:end]}{right}")
        pos = end
    out.append(excerpt[pos:])
    return "".join(out)


def render_hit_text(hit: Hit, bold: tuple[str, str] = ("**", "**")) -> str:
    """One quote with its citation, for the terminal."""
    quote = mark_text(hit.excerpt, hit.marks, *bold)
    cite = " · ".join(citation_parts(hit.document, hit.passage.location))
    lines = [f"{hit.rank}. « {quote} »", f"   — {cite}"]
    if hit.document.url:
        lines.append(f"   {hit.document.url}")
    return "\n".join(lines)


def no_answer_text(answer: Answer) -> str:
    """The plain reply when there is no answer (empty, too long, or nothing found)."""
    if answer.reason == "empty":
        return EMPTY_TEXT
    if answer.reason == "too_long":
        return TOO_LONG_TEXT
    lines = [NO_ANSWER_TEXT]
    if answer.suggestions:
        lines.append("Tôi có thể trả lời về các văn bản như:")
        lines += [f"• {s}" for s in answer.suggestions]
    return "\n".join(lines)


def render_answer_text(answer: Answer, bold: tuple[str, str] = ("**", "**")) -> str:
    """A whole answer for the console chat and `vankien ask`."""
    if not answer.answered:
        return no_answer_text(answer)
    return "\n\n".join(render_hit_text(h, bold) for h in answer.hits)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The `vankien ask --json` object."""
    return {
        "query": answer.query,
        "answered": answer.answered,
        "results": [hit_json(h) for h in answer.hits] if answer.answered else [],
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    """One result of the JSON output."""
    doc, p = hit.document, hit.passage
    return {
        "rank": hit.rank,
        "score": round(hit.score, 4),
        "doc_id": doc.doc_id,
        "title": doc.title,
        "code": doc.code,
        "issuer": doc.issuer,
        "publisher": doc.publisher,
        "date": doc.date,
        "url": doc.url,
        "location": p.location,
        "passage_id": p.passage_id,
        "passage": p.text,
        "excerpt": hit.excerpt,
    }
