"""The documents of one index generation: listed, found by code or title, suggested.

>>> reading_order(Document("d", "s", "a.txt", "Tiêu đề", code="05-CT/TW"))[0]
False
"""

from __future__ import annotations

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
