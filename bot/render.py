"""Turn engine answers into what people read: terminal text and JSON (Telegram HTML too)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from bot import texts
from bot.texts import HELLO, YOU_ARE_WELCOME
from index.logbook import Usage
from index.models import Answer, Document, Hit, Passage

NO_ANSWER_TEXT = (
    "Xin lỗi, tôi chưa tìm thấy nội dung trả lời câu hỏi này trong các văn bản hiện có."
)
# The first line of "nothing found", by reason (NO_ANSWER_TEXT for the others).
NOT_FOUND_TEXTS = {
    "unknown_code": "Xin lỗi, trong các văn bản hiện có chưa có văn bản mang số hiệu bạn hỏi.",
    "unknown_place": "Xin lỗi, tôi chưa tìm thấy điều, khoản hoặc điểm bạn hỏi trong các văn bản hiện có.",
}
EMPTY_TEXT = "Bạn hãy nhập câu hỏi, ví dụ: «Người vào Đảng phải đủ bao nhiêu tuổi?»"
TOO_LONG_TEXT = "Câu hỏi quá dài (tối đa 1.000 ký tự). Bạn vui lòng hỏi ngắn gọn hơn."
MISSING_TEXT = "Đoạn này không nhắc đến: {words}"
READ_AS_TEXT = "Tôi hiểu câu hỏi là: «{question}»"
TYPE_ACCENTS_TEXT = "Bạn thử gõ lại câu hỏi có dấu để tôi hiểu chính xác hơn."


def small_talk_text(kind: str, example: str, escape: Callable[[str], str] = str) -> str:
    """The reply to small talk (`bot.services.small_talk`): a greeting with an example question, or
    "you are welcome"."""
    return HELLO.format(example=escape(example)) if kind == "hello" else YOU_ARE_WELCOME


def read_as_text(answer: Answer) -> str | None:
    """The line above an answer to a question typed without diacritics: how it was read,
    so a misreading is seen at once. Not with "no answer": there the reading may be
    garbled by words the corpus lacks, and a hint to type the accents says more."""
    return READ_AS_TEXT.format(question=answer.read_as) if answer.read_as and answer.answered else None


def missing_text(hit: Hit) -> str | None:
    """The note under a quote that lacks some of the question's words: the reader sees at
    once that it may answer only part of the question."""
    return MISSING_TEXT.format(words=", ".join(f"«{w}»" for w in hit.missing)) if hit.missing else None


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
    if note := missing_text(hit):
        lines.append(f"   ({note})")
    return "\n".join(lines)


def no_answer_text(answer: Answer) -> str:
    """The plain reply when there is no answer (empty, too long, or nothing found)."""
    if answer.reason == "empty":
        return EMPTY_TEXT
    if answer.reason == "too_long":
        return TOO_LONG_TEXT
    return "\n".join(no_answer_lines(NOT_FOUND_TEXTS.get(answer.reason or "", NO_ANSWER_TEXT), answer))


def no_answer_lines(first: str, answer: Answer, escape: Callable[[str], str] = str) -> list[str]:
    """The lines of "nothing found": `first`, the hint to type the diacritics (when they
    were put back), and the documents the bot does know."""
    lines = [escape(first)] + ([TYPE_ACCENTS_TEXT] if answer.read_as else [])
    if answer.suggestions:
        lines.append("Tôi có thể trả lời về các văn bản như:")
        lines += [f"• {escape(s)}" for s in answer.suggestions]
    return lines


def render_answer_text(answer: Answer, bold: tuple[str, str] = ("**", "**")) -> str:
    """A whole answer for the console chat and `vankien ask`."""
    if not answer.answered:
        return no_answer_text(answer)
    blocks = [f"({line})"] if (line := read_as_text(answer)) else []
    return "\n\n".join(blocks + [render_hit_text(h, bold) for h in answer.hits])


def answer_json(answer: Answer) -> dict[str, Any]:
    """The `vankien ask --json` object."""
    return {
        "query": answer.query,
        "answered": answer.answered,
        "read_as": answer.read_as,
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
        "missing": list(hit.missing),
    }


# -- Telegram HTML ---------------------------------------------------------------------

TELEGRAM_LIMIT = 4096  # characters of a message after entity parsing
LINK_TEXT = "Xem văn bản"
_TAG = re.compile(r"<[^>]*>")


def escape_html(text: str) -> str:
    """Escape text for Telegram HTML.

    >>> escape_html("Điều 5 <b> & Điều 6")
    'Điều 5 &lt;b&gt; &amp; Điều 6'
    """
    return html.escape(text, quote=False)


def html_length(markup: str) -> int:
    """Length of HTML we generate as Telegram counts it: tags dropped, UTF-16 units."""
    plain = html.unescape(_TAG.sub("", markup))
    return len(plain.encode("utf-16-le")) // 2


def mark_html(excerpt: str, marks: tuple[tuple[int, int], ...]) -> str:
    """The excerpt escaped, with its marked spans in <b>."""
    out, pos = [], 0
    for start, end in sorted(marks):
        if start < pos or end <= start:
            continue
        out.append(escape_html(excerpt[pos:start]))
        out.append(f"<b>{escape_html(excerpt[start:end])}</b>")
        pos = end
    out.append(escape_html(excerpt[pos:]))
    return "".join(out)


def link_html(url: str | None, text: str = LINK_TEXT) -> str | None:
    """An <a> to a web address, or None for anything that is not http(s)."""
    if not url or not re.match(r"^https?://[^\s<>\"']+$", url):
        return None
    return f'<a href="{html.escape(url, quote=True)}">{escape_html(text)}</a>'


def citation_html(doc: Document, location: str | None) -> str:
    """The citation line under a quote: title or code, issuer, date, location, link."""
    parts = citation_parts(doc, location)
    text = f"<i>{escape_html(parts[0])}</i>"
    if parts[1:]:
        text += " · " + escape_html(" · ".join(parts[1:]))
    link = link_html(doc.url)
    return f"{text} · {link}" if link else text


def render_hit_html(hit: Hit, numbered: bool = True) -> str:
    """One quote in a blockquote with its citation under it."""
    number = f"<b>{hit.rank}.</b> " if numbered else ""
    quote = mark_html(hit.excerpt, hit.marks)
    cite = citation_html(hit.document, hit.passage.location)
    block = f"<blockquote>{quote}</blockquote>\n{number}{cite}{_missing_html(hit)}"
    if html_length(block) <= TELEGRAM_LIMIT:
        return block
    return _shortened_hit_html(hit, number)


def _shortened_hit_html(hit: Hit, number: str) -> str:
    """A hit whose quote alone would not fit one message: cut the quote."""
    cite = citation_html(hit.document, hit.passage.location)
    room = TELEGRAM_LIMIT - html_length(cite) - html_length(number) - 3
    quote = escape_html(hit.excerpt[: max(room, 1)].rstrip() + "…")
    return f"<blockquote>{quote}</blockquote>\n{number}{cite}"


def _missing_html(hit: Hit) -> str:
    note = missing_text(hit)
    return f"\n<i>{escape_html(note)}</i>" if note else ""


def pack_messages(blocks: list[str], sep: str = "\n\n", limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join HTML blocks into as few messages as fit the limit, never splitting a block."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}{sep}{block}" if current else block
        if current and html_length(candidate) > limit:
            messages.append(current)
            candidate = block
        current = candidate
    if current:
        messages.append(current)
    return messages


def render_no_answer_html(answer: Answer) -> str:
    """A plain "no answer" that suggests what the bot does know."""
    if answer.reason in ("empty", "too_long"):
        return escape_html(no_answer_text(answer))
    first = NOT_FOUND_TEXTS.get(answer.reason or "", NO_ANSWER_TEXT)
    return "\n".join([*no_answer_lines(first, answer, escape_html), "Gõ /vanban để xem danh sách văn bản."])


def render_answer_html(answer: Answer, header: str | None = None, scope: list[Document] | None = None
                       ) -> list[str]:
    """A whole answer as Telegram HTML messages (split at passage boundaries if needed); a
    chat limited to some documents (`scope`) is reminded of it under the answer."""
    if not answer.answered:
        blocks = [render_no_answer_html(answer)]
    else:
        numbered = len(answer.hits) > 1 or answer.total > 1
        blocks = [render_hit_html(h, numbered) for h in answer.hits]
    if header:
        blocks.insert(0, header)
    elif line := read_as_text(answer):
        blocks.insert(0, f"<i>{escape_html(line)}</i>")
    if scope:
        names = escape_html(", ".join(short_name(d) for d in scope))
        blocks.append((texts.SCOPE_FOOTER if answer.answered else texts.SCOPE_NO_ANSWER).format(names=names))
    return pack_messages(blocks)


def short_name(doc: Document) -> str:
    """A document named in a line: its code, or its title cut to 60 characters."""
    return doc.code or (doc.title if len(doc.title) <= 60 else doc.title[:59] + "…")


def _split_text(text: str, limit: int) -> list[str]:
    """Cut plain text into pieces ≤ limit, at paragraph, then sentence, then word ends."""
    if len(text) <= limit:
        return [text]
    for sep in ("\n", ". ", " "):
        cut = text.rfind(sep, 0, limit)
        if cut > limit // 3:
            cut += len(sep)
            return [text[:cut].rstrip(), *_split_text(text[cut:].lstrip(), limit)]
    return [text[:limit], *_split_text(text[limit:], limit)]


def render_passage_html(doc: Document, passage: Passage) -> list[str]:
    """A passage in full ("Toàn văn") with its citation, in as many messages as needed."""
    cite = citation_html(doc, passage.location)
    room = TELEGRAM_LIMIT - html_length(cite) - 40
    pieces = _split_text(passage.text.strip(), room)
    messages = [f"<blockquote>{escape_html(p)}</blockquote>" for p in pieces]
    messages[-1] += f"\n{cite}"
    return messages


def document_heading(doc: Document) -> str:
    """'294-QĐ/TW – Quy định thi hành Điều lệ Đảng', or the title alone."""
    if doc.code and doc.code not in doc.title:
        return f"{doc.code} – {doc.title}"
    return doc.title


def render_document_html(doc: Document) -> str:
    """A document card: title, code, issuer or publisher, date, passages, link."""
    lines = [f"📄 <b>{escape_html(doc.title)}</b>"]
    rows = [
        ("Số hiệu", doc.code), ("Loại", doc.kind), ("Cơ quan ban hành", doc.issuer),
        ("Nguồn đăng", doc.publisher), ("Ngày", format_date(doc.date)),
        ("Số đoạn", str(doc.n_passages) if doc.n_passages else None),
    ]
    lines += [f"{name}: {escape_html(value)}" for name, value in rows if value]
    link = link_html(doc.url)
    if link:
        lines.append(link)
    return "\n".join(lines)


def render_documents_page_html(docs: list[Document], page: int, per_page: int) -> str:
    """One page of the document list."""
    pages = max(1, -(-len(docs) // per_page))
    page = min(max(page, 0), pages - 1)
    lines = [f"📚 <b>Các văn bản hiện có</b> ({len(docs)}) · trang {page + 1}/{pages}", ""]
    for i, doc in enumerate(docs[page * per_page : (page + 1) * per_page], page * per_page + 1):
        date = format_date(doc.date)
        lines.append(f"{i}. {escape_html(document_heading(doc))}" + (f" ({date})" if date else ""))
    lines += ["", "Gõ <code>/vanban số hiệu hoặc từ khoá</code> để xem chi tiết một văn bản."]
    return "\n".join(lines)


CHAT_TYPES = {"private": "trò chuyện riêng", "group": "nhóm", "supergroup": "siêu nhóm",
              "channel": "kênh"}


UNANSWERED_HINT = (
    "<i>Văn bản có nói đến mà cán bộ gọi khác đi? Ghi cách gọi đó vào synonyms.yaml trong "
    "thư mục văn bản (ví dụ <code>đóng đảng phí: [góp quỹ đảng]</code>) rồi gõ /capnhat. "
    "Văn bản chưa có thì gửi tệp cho tôi.</i>"
)


def render_usage_html(usage: Usage) -> str:
    """/thongke: questions per day, share answered, top unanswered questions, feedback."""
    days = len(usage.days)
    lines = ["📊 <b>Thống kê 7 ngày qua</b>"]
    if not usage.asked:
        lines.append("Chưa có câu hỏi nào.")
    else:
        share = round(100 * usage.answered_share)
        lines.append(f"Câu hỏi: {usage.asked} · trả lời được {usage.answered} ({share}%) · "
                     f"{usage.users} người hỏi")
        lines.append(f"<b>Theo ngày</b> ({days} ngày có câu hỏi):")
        lines += [f"• {format_date(d.day)}: {d.asked} câu hỏi, trả lời được {d.answered}"
                  for d in usage.days]
        where = " · ".join(f"{CHAT_TYPES.get(t, t)} {n}" for t, n in usage.by_chat_type)
        lines.append(f"Nơi hỏi: {escape_html(where)}")
    if usage.top_unanswered:
        lines.append("<b>Câu hỏi chưa trả lời được nhiều nhất:</b>")
        for i, (question, n) in enumerate(usage.top_unanswered, 1):
            short = question if len(question) <= 120 else question[:119] + "…"
            lines.append(f"{i}. «{escape_html(short)}» — {n} lần")
        lines.append(UNANSWERED_HINT)
    lines.append(f"Góp ý: 👍 {usage.feedback_up} · 👎 {usage.feedback_down}")
    return "\n".join(lines)
