"""Turn what the engine returns into what people read: answers, documents, usage and re-index
summaries, as terminal text, JSON and Telegram HTML (the words themselves are in bot/texts.py)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot import texts
from index.logbook import AskedQuestion, Usage
from index.models import Answer, Confidence, Document, Hit, Passage, Reason, Ref
from index.places import cited, enclosing
from index.relations import short_title

if TYPE_CHECKING:
    from index.audit import Entry
    from index.indexer import IndexSummary


def small_talk_text(kind: str, example: str, escape: Callable[[str], str] = str) -> str:
    """The reply to small talk (`bot.services.small_talk`): a greeting with an example question, or
    "you are welcome"."""
    return texts.HELLO.format(example=escape(example)) if kind == "hello" else texts.YOU_ARE_WELCOME


def read_as_text(answer: Answer) -> str | None:
    """The line above the quotes for a question typed without diacritics: how it was read,
    so a misreading is seen at once. Not with "no answer": there the reading may be
    garbled by words the corpus lacks, and a hint to type the accents says more."""
    return texts.READ_AS.format(question=answer.read_as) if answer.read_as and answer.hits else None


def related_text(answer: Answer) -> str | None:
    """The plain line above the quotes of a `related` answer: they may not answer."""
    return texts.RELATED if answer.hits and answer.confidence is Confidence.RELATED else None


def missing_text(hit: Hit) -> str | None:
    """The note under a quote that lacks some of the question's words: the reader sees at
    once that it may answer only part of the question."""
    return texts.MISSING.format(words=", ".join(f"«{w}»" for w in hit.missing)) if hit.missing else None


def format_date(iso: str | None) -> str | None:
    """'2025-05-26' -> '26/05/2025'."""
    if not iso:
        return None
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def citation_parts(doc: Document, location: str | None, section: str | None = None) -> list[str]:
    """The pieces of a citation, in reading order, plain text; the Charter by the name the
    texts cite it by, an article without its chapter ("Điều lệ Đảng · … · Điều 35, khoản 2");
    a report's paragraph under the heading it falls under (`section`)."""
    head = short_title(doc) or doc.title
    if doc.code and doc.code not in head:
        head = f"{doc.code} – {head}" if head else doc.code
    parts = [head]
    body = doc.issuer or doc.publisher
    if body:
        parts.append(body)
    date = format_date(doc.date)
    if date:
        parts.append(texts.CITATION_DATE.format(date=date))
    if section:
        parts.append(texts.SECTION.format(section=section if len(section) <= 70 else section[:69] + "…"))
    if location:
        parts.append(cited(location) or location)
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


def point_name(place: str | None) -> str:
    """How a list names a point of another document: 'điểm 4.1' of 'Điều 5, điểm 4.1'.

    >>> point_name("Điều 5, điểm 4.4.2"), point_name("Chương VIII, Điều 35, khoản 2")
    ('điểm 4.4.2', 'Điều 35, khoản 2')
    """
    at = (place or "").find("điểm ")
    return place[at:] if place and at >= 0 else cited(place) or ""


def applied_names(refs: tuple[Ref, ...], most: int = 6) -> str:
    """The points applying an article, by document: '294-QĐ/TW điểm 4, 4.1, 4.2 …'."""
    by_doc: dict[str, list[str]] = {}
    for ref in refs:
        by_doc.setdefault(ref.name, []).append(point_name(ref.place).removeprefix("điểm "))
    parts = []
    for name, points in by_doc.items():
        shown = ", ".join(points[:most]) + (" …" if len(points) > most else "")
        parts.append(f"{name} điểm {shown}" if all(p[:1].isdigit() for p in points) else f"{name} {shown}")
    return "; ".join(parts)


def standing_lines(hit: Hit) -> list[str]:
    """Plain lines under a quote's citation: what replaces its document, the Charter article
    the quoted point applies, the points of other documents applying the quoted article."""
    s, lines = hit.standing, []
    if s.replaced_by:
        lines.append(texts.REPLACED_BY.format(names=", ".join(dict.fromkeys(r.name for r in s.replaced_by))))
    pointed = [r for r in s.applies if r.place]
    if pointed:
        lines.append(texts.APPLIES.format(names="; ".join(f"{r.name} · {cited(r.place)}" for r in pointed)))
    if s.applied_by:
        lines.append(texts.APPLIED_BY.format(names=applied_names(s.applied_by)))
    return lines


def render_hit_text(hit: Hit, bold: tuple[str, str] = ("**", "**")) -> str:
    """One quote with its citation, for the terminal."""
    quote = mark_text(hit.excerpt, hit.marks, *bold)
    cite = " · ".join(citation_parts(hit.document, hit.passage.location, hit.passage.section))
    lines = [f"{hit.rank}. « {quote} »", f"   — {cite}"]
    if hit.document.url:
        lines.append(f"   {hit.document.url}")
    lines += [f"   {line}" for line in standing_lines(hit)]
    if note := missing_text(hit):
        lines.append(f"   ({note})")
    return "\n".join(lines)


def no_answer_text(answer: Answer) -> str:
    """The plain reply when there is no answer (empty, too long, or nothing found)."""
    if answer.reason == Reason.EMPTY:
        return texts.EMPTY_QUESTION
    if answer.reason == Reason.TOO_LONG:
        return texts.TOO_LONG
    return "\n".join(no_answer_lines(texts.NOT_FOUND.get(answer.reason or "", texts.NO_ANSWER), answer))


def no_answer_lines(first: str, answer: Answer, escape: Callable[[str], str] = str) -> list[str]:
    """The lines of "nothing found": `first`, the hint to type the diacritics (when they
    were put back), and the documents the bot does know."""
    lines = [escape(first)] + ([texts.TYPE_ACCENTS] if answer.read_as else [])
    if answer.suggestions:
        lines.append(texts.SUGGESTIONS)
        lines += [f"• {escape(s)}" for s in answer.suggestions]
    return lines


def render_answer_text(answer: Answer, bold: tuple[str, str] = ("**", "**")) -> str:
    """A whole answer for the console chat and `vankien ask`: the quotes (under a warning
    when they may not answer), or "nothing found"."""
    if not answer.hits:
        return no_answer_text(answer)
    blocks = [f"({line})"] if (line := read_as_text(answer)) else []
    blocks += [warning] if (warning := related_text(answer)) else []
    return "\n\n".join(blocks + [render_hit_text(h, bold) for h in answer.hits])


def answer_json(answer: Answer) -> dict[str, Any]:
    """The `vankien ask --json` object; `results` are the passages shown, in the `answer`
    and the `related` tier alike (`confidence` says which)."""
    return {
        "query": answer.query,
        "answered": answer.answered,
        "confidence": answer.confidence.value,
        "read_as": answer.read_as,
        "results": [hit_json(h) for h in answer.hits] if answer.confidence is not Confidence.NONE else [],
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
        "section": p.section,
        "replaced_by": [ref_json(r) for r in hit.standing.replaced_by],
        "applies": [ref_json(r) for r in hit.standing.applies],
        "applied_by": [ref_json(r) for r in hit.standing.applied_by],
    }


def ref_json(ref: Ref) -> dict[str, Any]:
    """A related document (and place) in the JSON output; doc_id null when not held."""
    return {"doc_id": ref.doc_id, "name": ref.name, "place": ref.place}


# -- Telegram HTML ---------------------------------------------------------------------

TELEGRAM_LIMIT = 4096  # characters of a message after entity parsing
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


def link_html(url: str | None, text: str = texts.LINK) -> str | None:
    """An <a> to a web address, or None for anything that is not http(s)."""
    if not url or not re.match(r"^https?://[^\s<>\"']+$", url):
        return None
    return f'<a href="{html.escape(url, quote=True)}">{escape_html(text)}</a>'


def citation_html(doc: Document, location: str | None, section: str | None = None) -> str:
    """The citation line under a quote: title or code, issuer, date, location, link."""
    parts = citation_parts(doc, location, section)
    text = f"<i>{escape_html(parts[0])}</i>"
    if parts[1:]:
        text += " · " + escape_html(" · ".join(parts[1:]))
    link = link_html(doc.url)
    return f"{text} · {link}" if link else text


def render_hit_html(hit: Hit, numbered: bool = True) -> str:
    """One quote in a blockquote with its citation under it."""
    number = f"<b>{hit.rank}.</b> " if numbered else ""
    quote = mark_html(hit.excerpt, hit.marks)
    cite = citation_html(hit.document, hit.passage.location, hit.passage.section) + _standing_html(hit)
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


def _standing_html(hit: Hit) -> str:
    return "".join(f"\n{escape_html(line)}" for line in standing_lines(hit))


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
    if answer.reason in (Reason.EMPTY, Reason.TOO_LONG):
        return escape_html(no_answer_text(answer))
    first = texts.NOT_FOUND.get(answer.reason or "", texts.NO_ANSWER)
    return "\n".join([*no_answer_lines(first, answer, escape_html), texts.SEE_DOCUMENTS])


SCREEN = 1600  # characters of a reply that fit about one phone screen


def screenful(answer: Answer, header: str | None = None) -> Answer:
    """The answer with as many of its quotes as fit about one phone screen under `header` (at
    least one); the others are the first that "Xem thêm" shows."""
    used, keep = html_length(header or "") + len(related_text(answer) or ""), 0
    for hit in answer.hits:
        used += html_length(render_hit_html(hit)) + 2
        if keep and used > SCREEN:
            break
        keep += 1
    return answer if keep == len(answer.hits) else replace(answer, hits=answer.hits[:keep])


def render_answer_html(answer: Answer, header: str | None = None, scope: list[Document] | None = None
                       ) -> list[str]:
    """A whole answer as Telegram HTML messages (split at passage boundaries if needed): the
    quotes, under one plain line when they may not answer (`related`), or "nothing found";
    a chat limited to some documents (`scope`) is reminded of it under the answer."""
    if not answer.hits:
        blocks = [render_no_answer_html(answer)]
    else:
        numbered = len(answer.hits) > 1 or answer.total > 1
        blocks = [render_hit_html(h, numbered) for h in answer.hits]
    head = [header] if header else [f"<i>{escape_html(line)}</i>"] if (line := read_as_text(answer)) else []
    if warning := related_text(answer):
        head.append(escape_html(warning))
    if head:
        blocks.insert(0, "\n".join(head))
    if scope:
        names = escape_html(", ".join(short_name(d) for d in scope))
        blocks.append((texts.SCOPE_FOOTER if answer.hits else texts.SCOPE_NO_ANSWER).format(names=names))
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


def relation_lines(links: list[tuple[str, bool, str]], most: int = 5) -> list[str]:
    """A card's lines on other documents: 'Được hướng dẫn bởi: 06-HD/TW', grouped by kind."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for kind, mine, name in links:
        groups.setdefault((kind, mine), []).append(name)
    lines = []
    for (kind, mine), names in groups.items():
        label = texts.RELATION_LABELS.get(kind, (kind, kind))[0 if mine else 1]
        shown = "; ".join(names[:most]) + (f" (+{len(names) - most})" if len(names) > most else "")
        lines.append(f"🔗 {escape_html(label)}: {escape_html(shown)}")
    return lines


def render_citing_html(query: str, citing: list[tuple[str, Document]]) -> str:
    """`/vanban 05-CT/TW` when the corpus lacks it: the documents that carry it out, cite,
    guide or replace it, with their publisher or issuer and date."""
    lines = [escape_html(texts.CITED_HEADER.format(query=query, count=len(citing)))]
    for kind, doc in citing:
        parts = [texts.RELATION_VERBS.get(kind, kind), doc.issuer or doc.publisher, format_date(doc.date)]
        lines.append(f"• {escape_html(document_heading(doc))} — " + escape_html(" · ".join(p for p in parts if p)))
    return "\n".join(lines)


def render_reading_html(doc: Document, page: list[Passage]) -> str:
    """A page of a document read in order: each passage in full under its place."""
    head = texts.READ_HEADER.format(name=escape_html(short_name(doc)), first=page[0].ordinal,
                                    last=page[-1].ordinal, total=doc.n_passages or page[-1].ordinal)
    room = (TELEGRAM_LIMIT - 200) // len(page)
    blocks = [f"<i>{escape_html(cited(p.location) or '')}</i>\n"
              f"<blockquote>{escape_html(_cut(p.text, room))}</blockquote>" for p in page]
    return "\n".join([head, *blocks])


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def render_applying_html(doc: Document, passage: Passage, points: list[tuple[Document, Passage]]) -> list[str]:
    """'📎 Hướng dẫn thi hành Điều 35 Điều lệ Đảng': each applying point quoted and cited."""
    article = enclosing(passage.location) or cited(passage.location) or ""
    name = short_title(doc) or short_name(doc)
    head = texts.APPLIED_HEADER.format(article=escape_html(article), name=escape_html(name))
    blocks = [f"<blockquote>{escape_html(_cut(p.text, 700))}</blockquote>\n{citation_html(d, p.location)}"
              for d, p in points]
    return pack_messages([head, *blocks])


def render_document_html(doc: Document, links: list[tuple[str, bool, str]] | None = None) -> str:
    """A document card: title, code, issuer or publisher, date, passages, link, and what it
    replaces, applies or carries out and what does so to it (`links`)."""
    lines = [f"📄 <b>{escape_html(doc.title)}</b>"]
    values = {"code": doc.code, "kind": doc.kind, "issuer": doc.issuer, "publisher": doc.publisher,
              "date": format_date(doc.date), "passages": str(doc.n_passages) if doc.n_passages else None}
    lines += [f"{texts.DOCUMENT_LABELS[name]}: {escape_html(value)}" for name, value in values.items() if value]
    link = link_html(doc.url)
    if link:
        lines.append(link)
    lines += relation_lines(links or [])
    return "\n".join(lines)


def render_documents_page_html(docs: list[Document], page: int, per_page: int) -> str:
    """One page of the document list."""
    pages = max(1, -(-len(docs) // per_page))
    page = min(max(page, 0), pages - 1)
    lines = [texts.DOCUMENTS_PAGE.format(count=len(docs), page=page + 1, pages=pages), ""]
    for i, doc in enumerate(docs[page * per_page : (page + 1) * per_page], page * per_page + 1):
        date = format_date(doc.date)
        lines.append(f"{i}. {escape_html(document_heading(doc))}" + (f" ({date})" if date else ""))
    lines += ["", texts.DOCUMENTS_HOW]
    return "\n".join(lines)


def render_usage_html(usage: Usage) -> str:
    """/thongke: questions per day in each tier, the latest questions not surely answered
    and those given a 👎, feedback."""
    lines = [texts.USAGE_TITLE]
    if not usage.asked:
        lines.append(texts.USAGE_NONE)
    else:
        share = round(100 * usage.answered_share)
        lines.append(texts.USAGE_TOTALS.format(asked=usage.asked, answered=usage.answered, share=share,
                                               users=usage.users))
        lines.append(texts.USAGE_TIERS.format(related=usage.related, nothing=usage.nothing))
        lines.append(texts.USAGE_BY_DAY.format(days=len(usage.days)))
        lines += [texts.USAGE_DAY.format(day=format_date(d.day), asked=d.asked, answered=d.answered,
                                         related=d.related, nothing=d.nothing) for d in usage.days]
        where = " · ".join(f"{texts.CHAT_TYPES.get(t, t)} {n}" for t, n in usage.by_chat_type)
        lines.append(texts.USAGE_WHERE.format(where=escape_html(where)))
    if usage.unsure:
        lines += [texts.USAGE_UNSURE, *asked_lines(usage.unsure), texts.UNANSWERED_HINT]
    if usage.disliked:
        lines += [texts.USAGE_DISLIKED, *asked_lines(usage.disliked)]
    lines.append(texts.USAGE_FEEDBACK.format(up=usage.feedback_up, down=usage.feedback_down))
    return "\n".join(lines)


def asked_lines(questions: tuple[AskedQuestion, ...]) -> list[str]:
    """'1. 🔸 «Giá vàng hôm nay» — 2 lần · 👎 1': one line per question of /thongke."""
    lines = []
    for i, q in enumerate(questions, 1):
        short = q.question if len(q.question) <= 120 else q.question[:119] + "…"
        mark = texts.USAGE_TIER_MARKS.get(q.confidence or "", "•")
        line = texts.USAGE_QUESTION.format(rank=i, mark=mark, question=escape_html(short), count=q.times)
        lines.append(line + (texts.USAGE_DOWNS.format(downs=q.downs) if q.downs else ""))
    return lines


# -- what a re-index did ------------------------------------------------------------------


def summary_changes(summary: IndexSummary) -> str:
    """'Đã cập nhật chỉ mục: thêm 1, sửa 0, xoá 0, giữ nguyên 7'."""
    return texts.INDEX_CHANGES.format(added=summary.added, updated=summary.updated, removed=summary.removed,
                                      unchanged=summary.unchanged)


def summary_synonyms(summary: IndexSummary) -> str | None:
    """What changed in the administrators' everyday wording, or None."""
    return None if summary.synonyms is None else texts.INDEX_SYNONYMS.format(groups=summary.synonyms)


def summary_line(summary: IndexSummary) -> str:
    """A re-index in one line, for the terminal."""
    parts = [summary_changes(summary), texts.INDEX_SIZE.format(passages=summary.passages,
                                                               seconds=f"{summary.seconds:.1f}")]
    if summary.skipped:
        parts.append(texts.INDEX_SKIPPED.format(count=len(summary.skipped)))
    if summary.reanalysed:
        parts.append(texts.INDEX_REANALYSED)
    if synonyms := summary_synonyms(summary):
        parts.append(synonyms)
    return " · ".join(parts)


def summary_html(summary: IndexSummary) -> str:
    """The end of /capnhat: what changed, and which files were skipped and why."""
    seconds = f"{summary.seconds:.1f}".replace(".", ",")
    lines = [f"✅ {summary_changes(summary)}.",
             texts.SUMMARY_TOTAL.format(size=texts.INDEX_SIZE.format(passages=summary.passages, seconds=seconds))]
    if summary.reanalysed:
        lines.append(texts.SUMMARY_REANALYSED)
    if synonyms := summary_synonyms(summary):
        lines.append(texts.SUMMARY_SYNONYMS.format(synonyms=escape_html(synonyms)))
    if summary.added_titles:
        lines.append(texts.SUMMARY_NEW)
        lines += [f"• {escape_html(t)}" for t in summary.added_titles[:10]]
    if summary.skipped:
        lines.append(texts.SUMMARY_SKIPPED.format(count=len(summary.skipped)))
        lines += [f"• {escape_html(f)}: {escape_html(r)}" for f, r in summary.skipped[:10]]
    return "\n".join(lines)


# -- the audit trail (/nhatky, `vankien audit`) ---------------------------------------------


def local_time(iso: str, utc_offset_hours: int = 7) -> str:
    """'2026-12-05T09:20:00+00:00' -> '05/12 16:20' (Vietnam's time)."""
    try:
        at = datetime.fromisoformat(iso) + timedelta(hours=utc_offset_hours)
    except ValueError:
        return iso
    return at.strftime("%d/%m %H:%M")


def audit_who(entry: Entry, escape: Callable[[str], str]) -> str:
    """'Minh #3fa2' (a display name and the start of the hashed id) or '💻 root' (a terminal)."""
    if entry.via == "cli":
        return texts.AUDIT_CLI_USER.format(name=escape(entry.name or "?"))
    name = escape(entry.name or texts.SOMEONE)
    return f"{name} #{entry.who[:4]}" if entry.who else name


def audit_line(entry: Entry, escape: Callable[[str], str] = escape_html) -> str:
    """'✅ 05/12 16:20 · Minh #3fa2 · thêm tệp «qd.pdf»': one entry on one short line."""
    document = f" «{escape(entry.document[:60])}»" if entry.document else ""
    return texts.AUDIT_LINE.format(
        mark=texts.AUDIT_MARKS.get(entry.outcome, "•"), when=local_time(entry.at), who=audit_who(entry, escape),
        what=texts.AUDIT_ACTIONS.get(entry.action, entry.action), document=document,
        outcome=texts.AUDIT_OUTCOMES.get(entry.outcome, ""))


def render_audit_html(entries: list[Entry]) -> str:
    """/nhatky: the latest entries, newest first."""
    if not entries:
        return texts.AUDIT_NONE
    return "\n".join([texts.AUDIT_TITLE.format(count=len(entries)), *(audit_line(e) for e in entries)])


def render_audit_text(entries: list[Entry]) -> str:
    """`vankien audit`: the same, as plain text."""
    if not entries:
        return texts.AUDIT_NONE
    return "\n".join([texts.AUDIT_TITLE_PLAIN.format(count=len(entries)),
                      *(audit_line(e, lambda t: t) for e in entries)])
