"""The documents of one index generation: listed, found by code or title, suggested.

>>> reading_order(Document("d", "s", "a.txt", "Tiêu đề", code="05-CT/TW"))[0]
False
"""

from __future__ import annotations

import re
from itertools import islice

from index.models import Document
from index.store import Store
from index.text import STOP_FOLDS, find_codes, fold


def reading_order(d: Document) -> tuple[bool, str, str, str]:
    """How documents are listed: Party documents (with a code) first, then by date."""
    return (d.code is None, d.date or "", d.title, d.doc_id)


class DocumentCache:
    """The documents of one index generation, loaded on demand (large corpora start fast)."""

    def __init__(self, store: Store, doc_ids: list[str] | tuple[str, ...]) -> None:
        self.store = store
        self.ids = frozenset(doc_ids)
        self._cache: dict[str, Document] = {}
        self._ordered: list[Document] | None = None
        self._first: list[Document] | None = None

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, doc_id: str) -> Document:
        doc = self._cache.get(doc_id)
        if doc is None:
            doc = self.store.document(doc_id)
            if doc is None:
                raise KeyError(doc_id)
            self._cache[doc_id] = doc
        return doc

    def get(self, doc_id: str) -> Document | None:
        """A document of this generation, or None."""
        return self[doc_id] if doc_id in self.ids else None

    def first(self, n: int) -> list[Document]:
        """The first `n` documents in the order of `all`, without loading the others."""
        if self._ordered is not None:
            return self._ordered[:n]
        if self._first is None or len(self._first) < n:
            self._first = list(islice((d for d in self.store.all_documents(ordered=True) if d.doc_id in self.ids), n))
        return self._first[:n]

    def all(self) -> list[Document]:
        """Every document: Party documents first, then by date (loaded once, in one query)."""
        if self._ordered is None:
            for doc in self.store.all_documents():
                if doc.doc_id in self.ids:
                    self._cache.setdefault(doc.doc_id, doc)
            docs = [self[d] for d in self.ids]
            self._ordered = sorted(docs, key=reading_order)
        return self._ordered


def find_documents(docs: list[Document], query: str) -> list[Document]:
    """Documents by code (any spelling) or by words of the title or file name.

    >>> d = [Document("1", "qd-294", "a.pdf", "Quy định thi hành Điều lệ Đảng", code="294-QĐ/TW")]
    >>> [x.code for x in find_documents(d, "quy dinh 294")], find_documents(d, "Nghị quyết 12")
    (['294-QĐ/TW'], [])
    """
    codes = set(find_codes(query))
    if codes:
        by_code = [d for d in docs if d.code and codes & set(find_codes(d.code))]
        if by_code:
            return by_code
        # a code no document bears: only documents whose title names it ("Chỉ thị 05")
        docs = [d for d in docs if codes & set(find_codes(f"{d.title} {d.slug}"))]
    words = [w for w in fold(query).split() if w not in STOP_FOLDS]
    if not words:
        return []

    def score(d: Document) -> int:
        hay = fold(" ".join(filter(None, [d.title, d.code, d.slug, d.issuer, d.publisher])))
        return sum(1 for w in words if w in hay)

    scored = [(score(d), d) for d in docs]
    best = max((s for s, _ in scored), default=0)
    return [d for s, d in scored if s == best and s >= max(1, len(words) // 2)]


def suggestions(docs: DocumentCache, n: int = 3) -> tuple[str, ...]:
    """What the corpus does know: titles (with codes) of its main documents."""
    return tuple((f"{d.code} – {d.title}" if d.code else d.title) for d in docs.first(n))


# --- facets: a document's issuing level and period ------------------------------------------

LEVELS = ("central", "province", "bloc", "press")
_CENTRAL = ("trung uong", "bo chinh tri", "ban bi thu", "toan quoc", "chinh phu", "quoc hoi")
_PROVINCE = ("tinh uy", "thanh uy")
_BLOC = ("dang uy", "huyen uy", "quan uy", "thi uy", "chi bo", "dang bo")
_LEVEL_SUFFIX = {"tw": "central", "tu": "province", "duk": "bloc", "du": "bloc", "hu": "bloc", "qu": "bloc"}
FIRST_TERM = 2011  # the 11th Congress: Party terms run five years from here (2016, 2021, 2026 …)
_FACET_WORDS = {  # folded words of /phamvi that name a level
    "trunguong": "central", "trung uong": "central", "tw": "central", "tinh": "province", "cap tinh": "province",
    "khoi": "bloc", "co so": "bloc", "coso": "bloc", "khoi co so": "bloc", "bao chi": "press", "baochi": "press",
    "bao": "press",
}
_YEARS_RE = re.compile(r"^((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?$")


def level(doc: Document) -> str:
    """The level a document comes from: its code's suffix, else its issuer, else a press report.

    >>> level(Document("d", "s", "p", "Quy định", code="294-QĐ/TW")), level(Document("d", "s", "p", "Bài"))
    ('central', 'press')
    >>> bloc, province = Document("d", "s", "p", "x", code="44-KH/ĐUK"), Document("d", "s", "p", "x", issuer="Tỉnh ủy")
    >>> level(bloc), level(province)
    ('bloc', 'province')
    """
    for code in find_codes(doc.code or ""):
        if (found := _LEVEL_SUFFIX.get(code.split("-")[-1])) is not None:
            return found
    body = fold(doc.issuer or "")
    for words, name in ((_CENTRAL, "central"), (_PROVINCE, "province"), (_BLOC, "bloc")):
        if any(w in body for w in words):
            return name
    return "press"


def period(doc: Document) -> str | None:
    """The Party term a document's date falls in ("2021–2025"); None when undated.

    >>> period(Document("d", "s", "p", "x", date="2023-05-29")), period(Document("d", "s", "p", "x", date="2011-01-19"))
    ('2021–2025', '2011–2015')
    """
    if not doc.date or not doc.date[:4].isdigit():
        return None
    start = FIRST_TERM + (int(doc.date[:4]) - FIRST_TERM) // 5 * 5
    return f"{start}–{start + 4}"


def facet_documents(docs: list[Document], query: str) -> tuple[str, list[Document]] | None:
    """The documents a facet names ("trungương", "tỉnh", "2025", "2021-2025", or a level as
    `level` names it: "central"), with the facet as it is kept; None when the query names no
    facet (it is then a document's code or title).

    >>> docs = [Document("a", "s", "p", "x", code="294-QĐ/TW", date="2025-05-26"), Document("b", "s", "p", "y")]
    >>> [(f, [d.doc_id for d in ds]) for f, ds in [facet_documents(docs, "trungương"), facet_documents(docs, "2025")]]
    [('central', ['a']), ('2025', ['a'])]
    >>> facet_documents(docs, "294") is None
    True
    """
    words = " ".join(fold(query).split())
    if (name := _FACET_WORDS.get(words, words if words in LEVELS else None)) is not None:
        return name, [d for d in docs if level(d) == name]
    m = _YEARS_RE.match(words)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    shown = f"{first}–{last}" if last != first else str(first)
    return shown, [d for d in docs if d.date and d.date[:4].isdigit() and first <= int(d.date[:4]) <= last]


def facets(docs: list[Document]) -> list[str]:
    """The facets a reply may filter by, when its documents span more than one level or term:
    levels ("central", …) and terms ("2021–2025"), in that order."""
    levels = sorted({level(d) for d in docs}, key=LEVELS.index)
    terms = sorted({p for d in docs if (p := period(d))})
    return (levels if len(levels) > 1 else []) + (terms if len(terms) > 1 else [])
