"""Retrieval: a question's reading -> weighted BM25 clauses -> rows of one generation.

`build_query` is pure; `retrieve` asks the generation's engine and reads the candidate
rows' term columns from the store (what ranking needs), kept to the generation's
documents and to a chat's scope.

>>> sorted({c.field for c in build_query(analyze("đảng phí"))})
['folds', 'sylls', 'sylls2', 'title', 'words']
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from index.engine import Clause, QuerySpec, score_rows
from index.generations import Generation
from index.places import Place
from index.rank import Row, pairs
from index.store import TERM_COLUMNS
from index.text import (
    KIND_WORDS,
    STOP_FOLDS,
    STOPWORDS,
    Analysis,
    analyze,  # noqa: F401 - the doctests analyse questions
    content_terms,
    find_codes,
    fold,
    syllables,
)

CANDIDATES = 60  # BM25 rows read per reading of a question


@dataclass(frozen=True)
class Weights:
    """Field boosts of the query; chosen on one evaluation split (see docs/quality.md)."""

    words: float = 1.0
    sylls: float = 0.3
    folds_accented: float = 0.1
    folds_plain: float = 1.0
    title: float = 0.3
    phrase: float = 1.0  # adjacent content syllables of the question, as a pair term
    stop_pair: float = 0.25  # ... and a content syllable next to a stopword ("tên trong")
    doccode: float = 3.0
    codes: float = 1.5


DEFAULT_WEIGHTS = Weights()


def adjacent_pairs(a: Analysis, quiet: frozenset[str] = STOPWORDS) -> dict[tuple[str, str], bool]:
    """Adjacent syllables of the question, stopwords kept ("xóa tên trong danh sách" ->
    ("tên", "trong"), ("trong", "danh"), ...), when at least one belongs to a content word;
    True when both do. A passage that says the same words in the same order matches them
    as pair terms, and a pair's own idf tells how telling it is.

    >>> adjacent_pairs(analyze("quyền của đảng viên"))
    {('quyền', 'của'): False, ('của', 'đảng'): False, ('đảng', 'viên'): True}
    """
    seq = [(s, w not in quiet) for w in a.words for s in w.split("_")]
    out: dict[tuple[str, str], bool] = {}
    for (x, cx), (y, cy) in zip(seq, seq[1:], strict=False):
        if (cx or cy) and x != y:
            out[(x, y)] = out.get((x, y), False) or (cx and cy)
    return out


def named_kinds(a: Analysis) -> set[str]:
    """The kind words ("chỉ thị", folded) of the codes a question names ("Chỉ thị 05"):
    they say which document, not what to find in it.

    >>> sorted(named_kinds(analyze("Chỉ thị 05 về học tập")))
    ['chi thi']
    """
    kinds = {c.split("-")[1] for c in a.codes}
    return {phrase for phrase, ks in KIND_WORDS.items() if kinds & set(ks)}


def build_query(a: Analysis, w: Weights = Weights()) -> QuerySpec:
    """The weighted clauses for a question's analysis (pure)."""
    clauses: list[Clause] = []
    if a.accented:
        named = named_kinds(a)
        quiet = STOPWORDS | {t for t in a.words if fold(t.replace("_", " ")) in named}
        words = list(dict.fromkeys(t for t in a.words if t not in quiet))
        content = list(dict.fromkeys(s for t in words for s in t.split("_")))
        clauses += [Clause("words", t, w.words) for t in words]
        clauses += [Clause("sylls", t, w.sylls) for t in content]
        folds = dict.fromkeys(fold(t) for t in content)
        clauses += [Clause("folds", t, w.folds_accented) for t in folds]
        clauses += [Clause("title", t, w.title) for t in words]
        adjacent = adjacent_pairs(a, quiet).items()
        clauses += [Clause("sylls2", f"{x}_{y}", w.phrase if both else w.stop_pair) for (x, y), both in adjacent]
    else:
        # Kind words stay: in short unaccented questions ("ket luan 01 ngay nao") they are
        # most of what the question says.
        content = list(content_terms(a))
        clauses += [Clause("folds", t, w.folds_plain) for t in content]
        clauses += [Clause("title", t, w.title) for t in content]
        clauses += [Clause("folds2", f"{x}_{y}", w.phrase) for x, y in pairs(a.folds, set(content))]
    clauses += [Clause("doccode", c, w.doccode) for c in a.codes]
    clauses += [Clause("codes", c, w.codes) for c in a.codes]
    return tuple(c for c in clauses if c.boost > 0)  # a zero boost switches a clause off (ablations)


def source_clauses(source: Analysis, w: Weights = Weights()) -> QuerySpec:
    """Title clauses for a source a question names up front ("Theo Bộ luật Hình sự, …"):
    those words say where to look, not what to find.

    >>> [c.term for c in source_clauses(analyze("Bộ luật Hình sự", question=True))]
    ['bộ_luật_hình_sự']
    """
    terms = source.words if source.accented else source.folds
    stop = STOPWORDS if source.accented else STOP_FOLDS
    return tuple(Clause("title", t, w.title) for t in dict.fromkeys(terms) if t not in stop)


def code_known(a: Analysis, gen: Generation) -> bool:
    """Whether some passage or document of the generation bears a code the question names."""
    return any(gen.engine.doc_freq("doccode", c) or gen.engine.doc_freq("codes", c) for c in a.codes)


def retrieve(
    a: Analysis, gen: Generation, weights: Weights, source: QuerySpec = (), within: Collection[str] | None = None,
) -> list[Row]:
    """One reading's BM25 rows in the generation, best first, with their term columns."""
    found = gen.engine.search(build_query(a, weights) + source, CANDIDATES, within)
    rows = gen.store.passages_with_columns([pid for pid, _ in found], TERM_COLUMNS)
    return [Row(*rows[pid], s) for pid, s in found if pid in rows and rows[pid][0].doc_id in gen.docs]


def titled(folds: tuple[str, ...], docs: dict[str, str], least: int = 2) -> set[str]:
    """The documents (title -> id) a question names by the first words of their title, at
    least `least` of them, the longest such naming winning ("Điều 4 Điều lệ": the Charter,
    not "Quy định thi hành Điều lệ Đảng").

    >>> titled(("dieu", "le", "noi", "gi"), {"Điều lệ Đảng Cộng sản Việt Nam": "dl",
    ...                                       "Quy định thi hành Điều lệ Đảng": "qd"})
    {'dl'}
    """
    best, named = least - 1, set()
    for title, doc_id in docs.items():
        words = syllables(fold(title))
        n = max((_common(folds[i:], words) for i in range(len(folds))), default=0)
        if n > best:
            best, named = n, {doc_id}
        elif n == best and named:
            named.add(doc_id)
    return named


def _common(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def at_place(
    place: Place, rest: Analysis, gen: Generation, weights: Weights, within: Collection[str] | None = None,
    scored: bool = True,
) -> list[Row]:
    """The passages at a place ("Điều 8"), in the document the rest of the question names
    if it names one, each with BM25 for the rest of the question among them (0 when not
    `scored`: the rest asks for nothing)."""
    hits = [(pid, d) for pid, d in gen.places().find(place) if d in gen.docs and (within is None or d in within)]
    if rest.codes:
        wanted = set(rest.codes)
        hits = [(pid, d) for pid, d in hits if wanted & set(find_codes(gen.docs[d].code or ""))]
    elif named := titled(rest.folds, {gen.docs[d].title: d for _, d in hits}):  # "Điều 4 Điều lệ"
        hits = [(pid, d) for pid, d in hits if d in named]
    found = gen.store.passages_with_columns([pid for pid, _ in hits], TERM_COLUMNS)
    cands = [found[pid] for pid, _ in hits if pid in found]
    stored = [{"passage_id": p.passage_id, **cols} for p, cols in cands]
    bm25 = score_rows(stored, build_query(rest, weights), gen.stats.idf) if stored and scored else {}
    return [Row(p, cols, bm25.get(p.passage_id, 0.0)) for p, cols in cands]
