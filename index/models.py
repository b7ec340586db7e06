"""Records passed between the engine's stages: frozen dataclasses only."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Block:
    """One paragraph of a parsed file, with its structural location when known."""

    text: str
    location: str | None = None  # "Điều 5", "1.2.3", "Chương II, Điều 4", "a)" ...
    heading: bool = False  # a heading line (kept for context, never a passage on its own)


@dataclass(frozen=True)
class ParsedFile:
    """What ingestion extracts from one file before chunking."""

    title: str
    blocks: tuple[Block, ...]
    code: str | None = None  # "294-QĐ/TW"
    kind: str | None = None  # "Quy định", "Hướng dẫn", "Chỉ thị", "Báo cáo", "Bài viết" ...
    issuer: str | None = None  # issuing body of a Party document
    publisher: str | None = None  # newspaper / website of a report
    date: str | None = None  # ISO "YYYY-MM-DD"
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """A document of the corpus as stored: metadata plus where it came from."""

    doc_id: str  # content version id (hash of path + bytes)
    slug: str  # stable short name from the file name
    path: str  # path relative to the corpus directory
    title: str
    code: str | None = None
    kind: str | None = None
    issuer: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    n_passages: int = 0


@dataclass(frozen=True)
class Passage:
    """A retrievable unit of text: one or a few paragraphs of one document."""

    passage_id: str
    doc_id: str
    ordinal: int  # 1-based position in the document
    text: str
    location: str | None = None  # "Điều 5", "điểm 4.1" or "đoạn 3/12"
    section: str | None = None  # the heading a passage without a structural place falls under


@dataclass(frozen=True)
class Ref:
    """A document (held or not) and a place in it, as a citation names it."""

    doc_id: str | None  # None: the corpus does not hold it
    name: str  # "294-QĐ/TW", "Điều lệ Đảng", "Hướng dẫn số 01-HD/TW"
    place: str | None = None  # "Điều 5, khoản 1", "điểm 4.1"


@dataclass(frozen=True)
class Standing:
    """What a quote's document is known to stand in, read from the texts: what replaces
    it, what it (or the quoted point) applies or guides, and the points of other documents
    applying the quoted article (the Charter's Điều 35 <- 294's points)."""

    replaced_by: tuple[Ref, ...] = ()
    applies: tuple[Ref, ...] = ()
    applied_by: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class Hit:
    """One search result: the passage, its document and the quote to show."""

    rank: int
    score: float
    document: Document
    passage: Passage
    excerpt: str  # plain text quote, 1-3 sentences, cut with "…"
    marks: tuple[tuple[int, int], ...] = ()  # [start, end) spans of `excerpt` to bold
    missing: tuple[str, ...] = ()  # the question's words the passage does not contain
    standing: Standing = Standing()


class Reason(StrEnum):
    """Why a question got no passages (equal to its old plain-string value)."""

    EMPTY = "empty"  # nothing to look for: no letter or digit
    TOO_LONG = "too_long"
    NO_MATCH = "no_match"  # nothing in the corpus covers it
    UNKNOWN_CODE = "unknown_code"  # a code no document bears
    UNKNOWN_PLACE = "unknown_place"  # "Điều 99": a place no document has


class Confidence(StrEnum):
    """How sure the engine is that its first quote answers: shown as an answer, shown as
    the nearest passages under a plain warning, or nothing related at all."""

    ANSWER = "answer"
    RELATED = "related"
    NONE = "none"


@dataclass(frozen=True)
class Answer:
    """The engine's reply to one question; `answered` is true exactly for the `answer`
    tier, and `hits` holds what is shown in both `answer` and `related`."""

    query: str
    answered: bool
    hits: tuple[Hit, ...] = ()
    reason: Reason | None = None
    suggestions: tuple[str, ...] = field(default=())  # titles of what the corpus does know
    total: int = 0  # results found, counted up to one past `hits` (enough for "Xem thêm")
    read_as: str | None = None  # the question with the diacritics it was typed without
    confidence: Confidence = Confidence.NONE
    signals: tuple[tuple[str, float], ...] = ()  # what the tier was decided from (index/confidence.py)

    def __post_init__(self) -> None:
        if self.answered and self.confidence is Confidence.NONE:  # an answer built the short way
            object.__setattr__(self, "confidence", Confidence.ANSWER)
