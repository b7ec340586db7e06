"""Relations between documents, read from their texts: what a document replaces, applies,
guides, carries out or cites, and which article of the Charter a point applies.

Extraction is pure (`extract`: a document and its blocks -> `Relation`s, codes matched in
every spelling by `index.text.find_codes`); the store keeps them in its `relations` table
(`save`, `resolve`), and the readers below answer what the bot shows.

>>> [(r.kind, r.to_code) for r in extract(REPORT, [Block("Hội nghị sơ kết 5 năm thực hiện Chỉ thị 05-CT-TW.")])]
[('carries_out', '5-ct-tw')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.models import Block, Document, Ref, Standing
from index.places import enclosing, label_place
from index.store import RELATION_COLUMNS, Store
from index.text import (
    FULL_CODE_RE,
    GLUED_CODE_RE,
    KIND_WORD_RE,
    KIND_WORDS,
    SHORT_CODE_RE,
    find_codes,
    fold,
    sentence_spans,
)

RELATIONS_VERSION = 2  # bump when extraction changes: a re-index reads every document's relations again
KINDS = ("replaces", "replaced_by", "guides", "applies", "carries_out", "cites")  # strongest first
CHARTER = "Điều lệ Đảng"  # how the texts name the Charter (it has no code)
_CHARTER_RE = re.compile(r"(?<!\w)dieu le dang(?! cong san)(?!\w)")
_GUIDANCE_KINDS = ("hướng dẫn",)
# "Quy định số " just before "294/QĐ-TW" belongs to the mention
_KIND_BEFORE = re.compile(r"(?<!\w)(?:" + "|".join(KIND_WORDS) + r")(?:\s+so)?\s+$")
_SENTENCE_MAX = 400  # characters of the sentence kept with a relation
_TRIGGERS = (  # (kind, folded words ending the text before a mention, how many words back)
    ("replaces", re.compile(r"(?<!\w)(thay the|bai bo)(?!\w)"), 12),
    ("based", re.compile(r"^\W*can cu(?!\w)"), 0),
    ("guides", re.compile(r"(?<!\w)huong dan (thi hanh|thuc hien)(?!\w)"), 3),
    ("applies", re.compile(r"(?<!\w)thi hanh(?!\w)"), 2),
    ("carries_out", re.compile(r"(?<!\w)thuc hien(?!\w)"), 6),
)
# "Điều 1 (Khoản 2): …", "(Khoản 7, Điều 11), (Khoản 3, Điều 12): …", "(Khoản 1): …"
_LEAD_RE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?((?:\(?\s*(?:Điều|Khoản)\s[^:]{0,120}?)):")
_ARTICLE_RE = re.compile(r"Điều\s+(\d+)(?:\s*\(([^)]*)\))?")
_CLAUSE_IN = re.compile(r"Khoản\s+(\d+)(?:\s*,\s*Điều\s+(\d+))?")
# "theo quy định tại Điều 1 Điều lệ Đảng", "các Khoản 1, 2, 3, Điều 4 Điều lệ Đảng",
# "Điều 2 và Điều 3 Điều lệ Đảng", "các Điều 15, 18, 22, 24 của Điều lệ Đảng"
_REF = r"(?:Khoản|Điều)\s+\d+(?:\s*(?:,|và)\s*\d+(?!\d))*"
_CITED_ARTICLES = re.compile(r"((?:" + _REF + r"\s*(?:,|và)?\s*)+)(?:của\s+)?Điều lệ Đảng")
_REF_RE = re.compile(r"(Khoản|Điều)\s+(\d+(?:\s*(?:,|và)\s*\d+(?!\d))*)")
_NOT_CARRIED = ("quy định", "hướng dẫn", "điều lệ")  # kinds that apply or cite, not carry out
_CLAUSE_END = re.compile(r"[;”\"]")


@dataclass(frozen=True)
class Relation:
    """One link a document's text states: its kind, what it names and the sentence saying it."""

    kind: str  # one of KINDS
    to_code: str | None  # canonical code ("5-ct-tw"); None: named by title (the Charter)
    to_name: str  # as the text names it: "Chỉ thị số 05-CT/TW", "Điều lệ Đảng"
    sentence: str
    from_place: str | None = None  # where in the citing document (article-level links)
    to_place: str | None = None  # the article applied: "Điều 1, khoản 2"


@dataclass(frozen=True)
class Link:
    """A stored relation: a `Relation` from one document, with the document it names when
    the corpus holds it."""

    from_doc_id: str
    kind: str
    to_code: str | None
    to_name: str
    to_doc_id: str | None
    sentence: str
    from_place: str | None = None
    to_place: str | None = None


REPORT = Document("d", "bai", "bai.txt", "Bắc Giang sơ kết 5 năm", kind="Bài viết")
LINK_FIELDS = list(RELATION_COLUMNS)  # the columns of the store's `relations` table


# --- extraction (pure) ------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A document a sentence names: where, its canonical code, and as written."""

    start: int
    end: int
    code: str | None
    written: str


def mentions(text: str) -> list[Mention]:
    """The documents a text names, in order: codes in every spelling, and the Charter.

    >>> [(m.code, m.written) for m in mentions("thực hiện Kết luận số 01- KL/TW về Chỉ thị số 05 -CT/TW")]
    [('1-kl-tw', 'Kết luận số 01- KL/TW'), ('5-ct-tw', 'Chỉ thị số 05 -CT/TW')]
    >>> [(m.code, m.written) for m in mentions("Căn cứ Quy định số 294/QĐ-TW; Căn cứ Điều lệ Đảng;")]
    [('294-qd-tw', 'Quy định số 294/QĐ-TW'), (None, 'Điều lệ Đảng')]
    """
    folded = fold(text)
    if len(folded) != len(text):  # spans are read off the folded text
        return []
    spans = sorted((m.start(), m.end()) for rx in (FULL_CODE_RE, SHORT_CODE_RE, GLUED_CODE_RE, KIND_WORD_RE)
                   for m in rx.finditer(folded))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for span in merged:
        kind = _KIND_BEFORE.search(folded, 0, span[0])
        span[0] = kind.start() if kind else span[0]
    found = [Mention(s, e, _specific(find_codes(text[s:e])), text[s:e].strip()) for s, e in merged]
    found += [Mention(m.start(), m.end(), None, text[m.start():m.end()]) for m in _CHARTER_RE.finditer(folded)]
    return sorted((m for m in found if m.code or m.written == CHARTER), key=lambda m: m.start)


def _specific(codes: Sequence[str]) -> str | None:
    """The most specific of a mention's canonical codes ("5-ct-tw" over "5-ct")."""
    return max(codes, key=lambda c: c.count("-"), default=None)


def _base(code: str) -> str:
    return "-".join(code.split("-")[:2])


def is_guidance(doc: Document) -> bool:
    """A guidance (Hướng dẫn): what it is based on, it guides."""
    own = find_codes(doc.code or "")
    return (doc.kind or "").lower() in _GUIDANCE_KINDS or any(c.split("-")[1] == "hd" for c in own)


def is_charter(doc: Document) -> bool:
    """The Party Charter, which the texts name "Điều lệ Đảng".

    >>> is_charter(Document("d", "s", "p", "Điều lệ Đảng Cộng sản Việt Nam", kind="Điều lệ"))
    True
    """
    return fold(doc.title).startswith(fold(CHARTER))


def short_title(doc: Document) -> str | None:
    """The name the texts cite a document by, when it is shorter than its title (the
    Charter: "Điều lệ Đảng")."""
    return CHARTER if is_charter(doc) and doc.title != CHARTER else None


def trigger(before: str, guidance: bool) -> str:
    """The kind of link the words just before a mention state ("thay thế" -> replaces).

    >>> trigger("Hướng dẫn này có hiệu lực thi hành kể từ ngày ký và thay thế ", True)
    'replaces'
    >>> trigger("- Căn cứ ", True), trigger("- Căn cứ ", False), trigger("Ban Chỉ đạo thực hiện ", False)
    ('guides', 'applies', 'carries_out')
    >>> trigger("Ngay sau khi tiếp thu ", False), trigger("“… trong thực hiện chức trách”; ", False)
    ('cites', 'cites')
    """
    folded = fold(_CLAUSE_END.split(before)[-1])
    for kind, rx, words in _TRIGGERS:
        window = folded if words == 0 else " ".join(folded.split()[-words:])
        if rx.search(window):
            return ("guides" if guidance else "applies") if kind == "based" else kind
    return "cites"


def _sentences(text: str) -> list[str]:
    folded = fold(text)
    if not any(rx.search(folded) for rx in (_CHARTER_RE, FULL_CODE_RE, SHORT_CODE_RE, KIND_WORD_RE)):
        return []  # most paragraphs name no document: no sentence splitting for them
    return [text[s:e].strip() for s, e in sentence_spans(text)]


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= _SENTENCE_MAX else sentence[: _SENTENCE_MAX - 1].rstrip() + "…"


def sentence_relations(sentence: str, doc: Document) -> list[Relation]:
    """The links one sentence of a document states (its own code and, in the Charter, the
    Charter itself are not links).

    >>> [(r.kind, r.to_name) for r in sentence_relations("- Căn cứ Quy định số 294-QĐ/TW, ngày 26/5/2025;", HD06)]
    [('guides', 'Quy định số 294-QĐ/TW')]
    """
    own = {_base(c) for c in find_codes(doc.code or "")}
    guidance, out, pos = is_guidance(doc), [], 0
    carries_nothing = (doc.kind or "").lower() in _NOT_CARRIED or guidance or any("-qd" in c for c in own)
    for m in mentions(sentence):
        before, pos = sentence[pos:m.start], m.end
        if (m.code and _base(m.code) in own) or (m.code is None and is_charter(doc)):
            continue
        kind = trigger(before, guidance and m.code is not None)  # what is based on the Charter applies it
        if kind == "carries_out" and (m.code is None or carries_nothing):
            kind = "cites"  # a regulation names what it was issued under; "thực hiện Điều lệ" is every cadre's duty
        out.append(Relation(kind, m.code, m.written, _clip(sentence)))
    return out


HD06 = Document("d", "hd", "hd.pdf", "Hướng dẫn thi hành Điều lệ Đảng", code="06-HD/TW", kind="Hướng dẫn")


def title_relations(doc: Document) -> list[Relation]:
    """A title that says what the document applies ("Quy định thi hành Điều lệ Đảng").

    >>> [(r.kind, r.to_name) for r in title_relations(HD06)]
    [('applies', 'Điều lệ Đảng')]
    """
    found = [Relation("applies", m.code, m.written, doc.title) for m in mentions(doc.title)
             if m.code is None and not is_charter(doc) and trigger(doc.title[: m.start], False) == "applies"]
    return found[:1] + [r for r in sentence_relations(doc.title, doc) if r.to_code]  # "sơ kết … Chỉ thị 05-CT/TW"


def strongest(relations: Iterable[Relation]) -> list[Relation]:
    """One document-level relation per document named, of the strongest kind stated (with
    its first sentence); a bare "Chỉ thị 05" is the "05-CT/…" the same text names in full.

    >>> rels = [Relation("cites", "5-ct", "Chỉ thị 05", "a"),
    ...         Relation("carries_out", "5-ct-tw", "Chỉ thị số 05-CT/TW", "b")]
    >>> [(r.kind, r.to_code, r.sentence) for r in strongest(rels)]
    [('carries_out', '5-ct-tw', 'b')]
    """
    rels = list(relations)
    full = [c for c, _ in Counter(r.to_code for r in rels if r.to_code and r.to_code.count("-") > 1).most_common()]
    groups: dict[str, list[Relation]] = {}
    for r in rels:
        code = r.to_code
        if code and code.count("-") == 1:
            code = next((c for c in full if _base(c) == code), code)
        groups.setdefault(code or r.to_name, []).append(replace(r, to_code=code) if code != r.to_code else r)
    out = []
    for group in groups.values():
        best = min(group, key=lambda r: KINDS.index(r.kind))
        named = next((r.to_name for r in group if r.to_code and r.to_code.count("-") > 1), best.to_name)
        out.append(replace(best, to_name=named))
    return out


def lead_places(text: str, location: str | None) -> list[str]:
    """The Charter articles (and clauses) a point's title names, as places: "1. Điều 1
    (Khoản 2): Tuổi đời …" -> ["Điều 1, khoản 2"]; a bare "(Khoản 1): …" under "Điều 3" is
    Điều 3's clause 1.

    >>> lead_places("14. Điều 12 (Khoản 2), Điều 20 (Khoản 2): Số lượng cấp ủy viên", "Điều 12, 20, điểm 14")
    ['Điều 12, khoản 2', 'Điều 20, khoản 2']
    >>> lead_places("12.1. (Khoản 7, Điều 11), (Khoản 3, Điều 12): Đoàn chủ tịch đại hội.", None)
    ['Điều 11, khoản 7', 'Điều 12, khoản 3']
    >>> lead_places("2.1. (Khoản 1): Quyền được thông tin của đảng viên.", "Điều 3, điểm 2.1")
    ['Điều 3, khoản 1']
    """
    m = _LEAD_RE.match(text)
    if not m:
        return []
    lead = m.group(1)
    held = label_place(location).get("dieu")
    enclosing = sorted(held, key=int)[0] if isinstance(held, frozenset) and held else None
    if not lead.lstrip("( ").startswith("Khoản"):
        return [f"Điều {d}" + _clauses(k) for d, k in _ARTICLE_RE.findall(lead)]
    return [f"Điều {d or enclosing}, khoản {k}" for k, d in _CLAUSE_IN.findall(lead) if d or enclosing]


def _clauses(inner: str) -> str:
    numbers = re.findall(r"\d+", inner or "")
    return f", khoản {', '.join(numbers)}" if numbers else ""


def cited_places(sentence: str) -> list[str]:
    """The Charter articles a sentence names ("theo quy định tại Điều 1 Điều lệ Đảng").

    >>> cited_places("c) Thực hiện đúng các thủ tục nêu ở các Khoản 1, 2, 3, Điều 4 Điều lệ Đảng.")
    ['Điều 4, khoản 1, 2, 3']
    >>> cited_places("thực hiện những nội dung quy định tại các Điều 15, 18, 22, 24 của Điều lệ Đảng")
    ['Điều 15', 'Điều 18', 'Điều 22', 'Điều 24']
    >>> cited_places("quyền theo quy định tại Điều 2 và Điều 3 Điều lệ Đảng")
    ['Điều 2', 'Điều 3']
    """
    out = []
    for run in _CITED_ARTICLES.finditer(sentence):
        clauses = ""
        for word, numbers in _REF_RE.findall(run.group(1)):
            if word == "Khoản":
                clauses = _clauses(numbers)
                continue
            out += [f"Điều {d}{clauses}" for d in re.findall(r"\d+", numbers)]
            clauses = ""
    return out


def article_relations(blocks: Sequence[Block]) -> list[Relation]:
    """Article-level links of a document that applies the Charter: each point whose title
    names an article ("1. Điều 1 (Khoản 2): …"), and each sentence citing one."""
    out: list[Relation] = []
    for b in blocks:
        places = lead_places(b.text, b.location) if b.heading or _LEAD_RE.match(b.text) else []
        out += [Relation("applies", None, CHARTER, _clip(b.text), b.location, p) for p in places]
        if "Điều lệ Đảng" in b.text:
            out += [Relation("applies", None, CHARTER, _clip(s), b.location, p)
                    for s in _sentences(b.text) for p in cited_places(s)]
    return list(dict.fromkeys(out))


def extract(doc: Document, blocks: Sequence[Block]) -> list[Relation]:
    """Every relation a document's text states: one per document it names (the strongest
    kind), then, when it applies the Charter, the articles its points apply."""
    stated = [r for b in blocks for s in _sentences(b.text) for r in sentence_relations(s, doc)] + title_relations(doc)
    top = strongest(stated)
    applies_charter = any(r.kind == "applies" and r.to_code is None for r in top)
    return top + (article_relations(blocks) if applies_charter else [])


def stated(doc: Document, meta: dict[str, Any]) -> list[Relation]:
    """What `metadata.yaml` states that the texts do not: `replaced_by: 07-HD/TW` (or a list).

    >>> [(r.kind, r.to_code) for r in stated(HD06, {"replaced_by": "['07-HD/TW', 'Quy định số 08-QĐ/TW']"})]
    [('replaced_by', '7-hd-tw'), ('replaced_by', '8-qd-tw')]
    """
    value = str(meta.get("replaced_by") or "")
    return [Relation("replaced_by", m.code, m.written, f"metadata.yaml: replaced_by: {m.written}")
            for m in mentions(value) if m.code]


# --- the store ----------------------------------------------------------------------------


def save(store: Store, doc_id: str, relations: Sequence[Relation]) -> None:
    """Replace the relations stored for one document version."""
    rows = [{"from_doc_id": doc_id, "to_doc_id": None, **asdict(r)} for r in relations]
    with store.db.conn:
        store.db.table("relations").delete_where("from_doc_id = ?", [doc_id])
        store.db.table("relations").insert_all(rows)
        store.db.table("relations_read").upsert({"doc_id": doc_id, "version": RELATIONS_VERSION}, pk="doc_id",
                                                alter=True)


def unread(store: Store, doc_ids: Iterable[str]) -> list[str]:
    """Those of these document versions never read for relations by this extraction (analysed
    before relations were kept, or read by an older `RELATIONS_VERSION`)."""
    if "version" not in store.db.table("relations_read").columns_dict:
        return list(doc_ids)
    read = {r[0] for r in store.db.execute("SELECT doc_id FROM relations_read WHERE version = ?", [RELATIONS_VERSION])}
    return [d for d in doc_ids if d not in read]


def catch_up(store: Store, corpus_dir: Path, doc_ids: Iterable[str], metadata: dict[str, dict[str, Any]]) -> int:
    """Read the relations of document versions analysed before relations were kept (once
    each: their files are parsed again)."""
    from index.ingest import parse_file  # only old stores need it: no import cycle at start-up

    done = 0
    for doc_id in unread(store, doc_ids):
        doc = store.document(doc_id)
        if doc is None:
            continue
        try:
            blocks: Sequence[Block] = parse_file(corpus_dir / doc.path).blocks
        except Exception:  # an unreadable file has no relations; the re-index reports it
            blocks = ()
        meta = metadata.get(Path(doc.path).name) or metadata.get(doc.path) or {}
        save(store, doc_id, extract(doc, blocks) + stated(doc, meta))
        done += 1
    return done


def resolve(store: Store, doc_ids: Iterable[str]) -> None:
    """Point every relation of these documents at the document of the set it names (by
    code, the Charter by its title); NULL when the set lacks it."""
    docs = [d for d in (store.document(i) for i in doc_ids) if d]
    by_code = {c: d.doc_id for d in docs for c in find_codes(d.code or "") if c.count("-") > 1}
    by_base = {_base(c): d.doc_id for d in docs for c in find_codes(d.code or "")}
    charter = next((d.doc_id for d in docs if is_charter(d)), None)
    ids = [d.doc_id for d in docs]
    rows = store.db.execute(
        f"SELECT rowid, to_code FROM relations WHERE from_doc_id IN ({','.join('?' * len(ids))})", ids
    ).fetchall() if ids else []
    updates = [((by_code.get(code) or (by_base.get(code) if code.count("-") == 1 else None)) if code else charter,
                rowid) for rowid, code in rows]
    with store.db.conn:
        store.db.conn.executemany("UPDATE relations SET to_doc_id = ? WHERE rowid = ?", updates)


# --- reading ------------------------------------------------------------------------------


def _links(store: Store, where: str, args: Sequence[Any], within: Collection[str] | None) -> list[Link]:
    rows = store.db.execute(f"SELECT {', '.join(LINK_FIELDS)} FROM relations WHERE {where} ORDER BY rowid", args)
    links = [Link(*r) for r in rows]
    return [x for x in links if within is None or x.from_doc_id in within]


def all_links(store: Store, within: Collection[str] | None = None) -> list[Link]:
    """Every stored relation (of the documents `within`, when given)."""
    return _links(store, "1", [], within)


def relations_of(store: Store, doc_id: str, within: Collection[str] | None = None) -> list[Link]:
    """A document's document-level relations both ways: what it names, then what names it."""
    out = _links(store, "from_doc_id = ? AND to_place IS NULL", [doc_id], within)
    return out + _links(store, "to_doc_id = ? AND to_place IS NULL AND from_doc_id != ?", [doc_id, doc_id], within)


def _matches_code(link_code: str | None, codes: Collection[str]) -> bool:
    """A link's code is one asked for: the same code, or either of them bare ("5-ct")."""
    if not link_code:
        return False
    full = {c for c in codes if c.count("-") > 1}
    return link_code in full or any(_base(c) == _base(link_code) for c in codes
                                    if not full or link_code.count("-") == 1)


def cited_by(store: Store, code: str, within: Collection[str] | None = None) -> list[Link]:
    """The relations naming a code (any spelling): who carries out, cites, replaces or
    guides "05-CT/TW", held or not; the strongest kind first."""
    codes = set(find_codes(code))
    bases = sorted({_base(c) for c in codes})
    if not bases:
        return []
    marks = " OR ".join("to_code = ? OR to_code LIKE ?" for _ in bases)
    args = [a for b in bases for a in (b, f"{b}-%")]
    found = _links(store, f"to_place IS NULL AND ({marks})", args, within)
    links = [x for x in found if _matches_code(x.to_code, codes)]
    return sorted(links, key=lambda x: KINDS.index(x.kind) if x.kind in KINDS else len(KINDS))


def replaced_by(store: Store, doc_id: str, within: Collection[str] | None = None) -> list[Link]:
    """What replaces a document: documents whose text says they replace it, and what
    `metadata.yaml` states."""
    incoming = _links(store, "to_doc_id = ? AND kind = 'replaces'", [doc_id], within)
    return incoming + _links(store, "from_doc_id = ? AND kind = 'replaced_by'", [doc_id], within)


def applies(store: Store, doc_id: str, within: Collection[str] | None = None) -> list[Link]:
    """The documents a document applies or guides (294 -> the Charter, 06 -> 294)."""
    return _links(store, "from_doc_id = ? AND to_place IS NULL AND kind IN ('applies', 'guides')", [doc_id], within)


def applying(store: Store, doc_id: str, article: str, within: Collection[str] | None = None) -> list[Link]:
    """The points of other documents that apply an article of this one ("📎 Hướng dẫn thi
    hành" under a quote of the Charter's Điều 35), in reading order."""
    number = re.sub(r"\D", "", article)
    found = _links(store, "to_doc_id = ? AND to_place IS NOT NULL", [doc_id], within)
    return [x for x in found if _stored_place(x.to_place).get("dieu") == frozenset({number})]


def applied_at(store: Store, doc_id: str, location: str | None, within: Collection[str] | None = None) -> list[Link]:
    """The articles of another document a point applies (under a quote of 294's point
    1.1.1: the Charter's Điều 1, khoản 2): the links of the deepest point enclosing it."""
    held = label_place(location)
    point = str(held.get("diem", ""))
    found = _links(store, "from_doc_id = ? AND to_place IS NOT NULL", [doc_id], within)
    depths = [(x, len(str(place.get("diem", "")))) for x in found
              if _encloses(place := _stored_place(x.from_place), point, held)]
    deepest = max((depth for _, depth in depths), default=0)
    return [x for x, depth in depths if depth == deepest]


@lru_cache(maxsize=4096)
def _stored_place(label: str | None) -> dict[str, str | frozenset[str]]:
    """`label_place` of a stored link's place, parsed once (a quote of the Charter reads all
    of 294's links to it; never mutate the result)."""
    return label_place(label)


def _encloses(outer: dict[str, str | frozenset[str]], point: str, held: dict[str, str | frozenset[str]]) -> bool:
    """A link's point holds the quoted one ("1" holds "1.1.1"; same article when no point)."""
    top = str(outer.get("diem", ""))
    if top:
        return point == top or point.startswith(top + ".")
    return bool(outer.get("dieu")) and outer.get("dieu") == held.get("dieu") and not point


# --- what the surfaces show -----------------------------------------------------------------


def named(doc: Document) -> str:
    """How a list names a document: its code, the Charter by its short name, else its title."""
    return doc.code or short_title(doc) or doc.title


def target(store: Store, link: Link) -> str:
    """How a list names the document a link points at: the held document, else as the text
    names it ("Hướng dẫn số 01-HD/TW")."""
    held = store.document(link.to_doc_id) if link.to_doc_id else None
    return named(held) if held else link.to_name


def source(store: Store, link: Link) -> str:
    """How a list names the document a link comes from."""
    doc = store.document(link.from_doc_id)
    return named(doc) if doc else link.from_doc_id


def standing(store: Store, doc_id: str, location: str | None, within: Collection[str] | None = None) -> Standing:
    """What a quote's document is known to stand in: what replaces it, what the quoted point
    applies (else what the document applies or guides), and the points applying the quoted
    article of the Charter."""
    replaced = tuple(Ref(x.from_doc_id, source(store, x)) if x.kind == "replaces" else Ref(x.to_doc_id, x.to_name)
                     for x in replaced_by(store, doc_id, within))
    points = applied_at(store, doc_id, location, within)
    applied = tuple(Ref(x.to_doc_id, target(store, x), x.to_place) for x in points or applies(store, doc_id, within))
    article = enclosing(location)
    by = applying(store, doc_id, article, within) if article and article.startswith("Điều") else []
    return Standing(replaced, applied, tuple(Ref(x.from_doc_id, source(store, x), x.from_place) for x in by))


def replaced_ids(store: Store, within: Collection[str]) -> frozenset[str]:
    """The documents of `within` that another document of `within` replaces, or that
    `metadata.yaml` says are replaced: their passages rank below the replacing ones'."""
    rows = store.db.execute(
        "SELECT from_doc_id, kind, to_doc_id FROM relations WHERE kind IN ('replaces', 'replaced_by')").fetchall()
    held = set(within)
    return frozenset(
        (to if kind == "replaces" else frm) for frm, kind, to in rows
        if frm in held and (kind == "replaced_by" or to in held)
    )


def described(store: Store, doc_id: str, within: Collection[str] | None = None) -> list[tuple[str, bool, str]]:
    """A document's document-level relations as a card lists them: (kind, stated by this
    document, the other document's name), strongest kind first, each once.

    The Charter's article-by-article links are counted as one "applies" from each document."""
    out: dict[tuple[str, bool, str], None] = {}
    for x in relations_of(store, doc_id, within):
        mine = x.from_doc_id == doc_id
        out[(x.kind, mine, target(store, x) if mine else source(store, x))] = None
    pointed = _links(store, "to_doc_id = ? AND to_place IS NOT NULL AND from_doc_id != ?", [doc_id, doc_id], within)
    for x in pointed:
        out[(x.kind, False, source(store, x))] = None
    return sorted(out, key=lambda r: KINDS.index(r[0]) if r[0] in KINDS else len(KINDS))


def citing(store: Store, docs: Iterable[Document], query: str, within: Collection[str] | None = None) -> list[Link]:
    """The links naming a code the corpus lacks (`/vanban 01-HD/TW`): empty when the query
    names no code or a document of `docs` bears it."""
    codes = set(find_codes(query))
    if not codes or any(codes & set(find_codes(d.code or "")) for d in docs):
        return []
    return cited_by(store, query, within)
