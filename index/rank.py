"""Ranking: pure functions from a question's readings and their BM25 rows to ordered candidates.

Each retrieved row is rescored by how much of the question it covers (an idf-weighted
coordination factor, as Lucene's classic `coord`), raised for a number question when it
states a number; the readings of a question are fused (a passage keeps its best score),
passages of the document a question names go first, and near-duplicates collapse. The
"no answer" cut is separate (`answers`), so evaluations can rank without it.

>>> dfs = {("sylls2", "đảng_viên"): 8, ("sylls", "đóng"): 2, ("sylls2", "đảng_phí"): 1}
>>> [(u, round(w, 2)) for u, w in units(analyze("Đảng viên đóng đảng phí"), Stats.fixed(dfs, 10))]
[(('đảng', 'viên'), 0.26), (('đóng',), 1.48), (('đảng', 'phí'), 1.99)]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from index.engine import Clause, idf
from index.intents import Intent, carries
from index.models import Document, Passage
from index.text import (
    KIND_WORDS,
    STOPWORDS,
    Analysis,
    analyze,  # noqa: F401 - the doctests analyse questions
    content_terms,
    find_codes,
    fold,
    syllables,
)

MIN_COVERAGE = 0.5  # share of the question's idf mass the best passage must contain (scripts/refusals.py)
MIN_COVERAGE_OTHERS = 0.35  # ... and every further hit shown
# A question asking how many or how long ("bao nhiêu", "bao lâu", "mấy") is answered by a
# number: a passage that holds one (a digit, or a number word: "hai phần ba"; its own label
# "12.4.2." aside) scores QUANTITY_BOOST more (docs/quality.md, "Number questions").
QUANTITY_WORDS = frozenset({"bao_nhiêu", "bao_lâu", "mấy"})
QUANTITY_BOOST = 0.2
INTENT_BOOST = 0.0  # ... and one carrying the body, condition, list or permission asked for (docs/quality.md)
_NUMBER_RE = re.compile(r"\d|(?<!\w)(hai|ba|bốn|sáu|bảy|tám|chín|mười|mươi|trăm|nửa)(?!\w)", re.IGNORECASE)
_LABEL_RE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+])\s*")
DUPLICATE_JACCARD = 0.7
REPLACED_FACTOR = 0.5  # a replaced document's passage scores half: the replacing one's comes first
UNKNOWN_NAME = 3.0
COMPOUND_CREDIT = 0.5
MAX_MISSING = 3  # question words named as missing from a hit, at most ...
MISSING_SHARE = 0.2  # ... each weighing at least this share of the question

Unit = tuple[tuple[str, ...], float]  # a run of syllables the answer should contain, its weight
Columns = Mapping[str, str]  # a passage's stored term columns (`store.TERM_COLUMNS`)


@dataclass(frozen=True)
class Candidate:
    """A passage ranked for a question: its score, the share of the question it covers,
    and the question's words it lacks (the weightiest first)."""

    passage: Passage
    score: float
    coverage: float
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A retrieved passage with its stored term columns and its BM25 score."""

    passage: Passage
    columns: Columns
    bm25: float


@dataclass(frozen=True)
class Stats:
    """What ranking reads of an index: document frequencies and the number of passages."""

    doc_freq: Callable[[str, str], int]
    num_docs: int

    @classmethod
    def fixed(cls, dfs: Mapping[tuple[str, str], int], num_docs: int) -> Stats:
        """Stats from a table of (field, term) -> df, for tests without an index."""
        return cls(lambda f, t: dfs.get((f, t), 0), num_docs)

    def idf(self, field: str, term: str) -> float:
        """BM25's idf of a term in a field."""
        return idf(self.num_docs, self.doc_freq(field, term))


# --- pieces of the question ---------------------------------------------------------


def pairs(terms: tuple[str, ...], content: set[str]) -> list[tuple[str, str]]:
    """Adjacent pairs of content terms, as they stand in the question.

    >>> pairs(("dang", "phi", "la", "gi"), {"dang", "phi"})
    [('dang', 'phi')]
    """
    adjacent = zip(terms, terms[1:], strict=False)
    return list(dict.fromkeys((x, y) for x, y in adjacent if x in content and y in content and x != y))


def joins(a: Analysis) -> dict[str, frozenset[str]]:
    """Per syllable of the question, the runs of 2-4 adjacent syllables it belongs to, as
    compound words.

    >>> sorted(joins(analyze("đảng phí đóng"))["phí"])
    ['phí_đóng', 'đảng_phí', 'đảng_phí_đóng']
    """
    sylls = a.sylls
    out: dict[str, set[str]] = {}
    for n in range(2, 5):
        for i in range(len(sylls) - n + 1):
            run = sylls[i : i + n]
            for s in run:
                out.setdefault(s, set()).add("_".join(run))
    return {s: frozenset(r) for s, r in out.items()}


def missegmented(a: Analysis, units: list[tuple[str, ...]], known: Callable[[str], bool]) -> list[tuple[str, ...]]:
    """Compounds of the question the index does not know, where a run of 2-3 of the
    question's syllables that crosses the compound's edge is a known word: the passages
    segment these syllables another way.

    >>> q = analyze("Đảng phí đóng như thế nào?")
    >>> q.words[:2], missegmented(q, [("đảng",), ("phí", "đóng")], {"đảng_phí"}.__contains__)
    (('đảng', 'phí_đóng'), [('phí', 'đóng')])
    """
    sylls, start = a.sylls, 0
    spans: dict[tuple[str, ...], tuple[int, int]] = {}
    for w in a.words:
        parts = tuple(w.split("_"))
        spans.setdefault(parts, (start, start + len(parts)))
        start += len(parts)
    out = []
    for u in units:
        if len(u) < 2 or u not in spans or known("_".join(u)):
            continue
        i, j = spans[u]
        crossing = (
            "_".join(sylls[k : k + n])
            for n in (2, 3)
            for k in range(max(0, i - n + 1), min(j, len(sylls) - n + 1))
            if k < i or k + n > j
        )
        if any(known(run) for run in crossing):
            out.append(u)
    return out


def share(units: list[Unit], parts: dict[tuple[str, ...], tuple[str, ...]]) -> list[Unit]:
    """Syllables split off one compound (`parts`: syllable unit -> compound) share the weight
    the compound would have had, that of its rarest syllable, in proportion to their own.

    >>> share([(("a",), 1.0), (("b",), 3.0), (("c",), 2.0)], {("a",): ("a", "b"), ("b",): ("a", "b")})
    [(('a',), 0.75), (('b',), 2.25), (('c',), 2.0)]
    """
    weights = dict(units)
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for unit, whole in parts.items():
        if unit in weights:
            groups.setdefault(whole, []).append(unit)
    for members in groups.values():
        scale = max(weights[u] for u in members) / (sum(weights[u] for u in members) or 1.0)
        for u in members:
            weights[u] *= scale
    return [(u, weights[u]) for u, _ in units]


def units(a: Analysis, stats: Stats) -> list[Unit]:
    """What a passage must contain to answer: the question's content words as syllable
    runs (accented), or its folded syllables and adjacent pairs (unaccented), by weight."""
    runs: list[tuple[str, ...]]
    parts: dict[tuple[str, ...], tuple[str, ...]] = {}
    if a.accented:
        words = dict.fromkeys(w for w in a.words if w not in STOPWORDS)
        runs = [tuple(w.split("_")) for w in words]
        # A compound the index never holds, overlapped by one it does hold ("phí_đóng" in
        # "Đảng phí đóng như thế nào?", where passages say "đóng đảng phí"), is the
        # question's segmentation going astray: its syllables count one by one, sharing
        # the compound's weight.
        unseen = missegmented(a, runs, lambda w: stats.doc_freq("words", w) > 0)
        parts = {(s,): u for u in unseen for s in u if (s,) not in runs}
        runs = list(dict.fromkeys(v for u in runs for v in ([(s,) for s in u] if u in unseen else [u])))
        field = "sylls"
    else:
        content = content_terms(a)
        runs = [(t,) for t in content]
        runs += pairs(a.folds, set(content))
        field = "folds"
    if a.codes:  # "Quy định 294": the kind word is part of naming the code
        kinds = {c.split("-")[1] for c in a.codes}
        runs = [u for u in runs if not kinds & set(KIND_WORDS.get(" ".join(fold(t) for t in u), ()))]
    return share(weigh(stats, field, runs, a), parts)


def weigh(stats: Stats, field: str, runs: list[tuple[str, ...]], a: Analysis) -> list[Unit]:
    """A word of an accented question weighs the idf of its rarest pair of adjacent
    syllables (how rare the word itself is, not its parts: "thực hành" is rare where
    "thực" and "hành" are common), and a word whose syllables the corpus holds but never
    together ("nghi thức") weighs the most: no passage says it, and one lacking it does
    not answer. Other units (one syllable; the folded pairs of an unaccented question)
    weigh the idf of their rarest syllable. A syllable the corpus has never seen weighs
    UNKNOWN_NAME times the most when written as a name ("NASA"): it cannot be ignored by
    a partial match; otherwise (likely a typo, "bao nhiu") as an average word."""
    whole = a.accented  # units are words, not pairs standing in for phrases

    def df_of(u: tuple[str, ...]) -> int:
        if whole and len(u) > 1:
            return min(stats.doc_freq(f"{field}2", f"{x}_{y}") for x, y in zip(u, u[1:], strict=False))
        return min(stats.doc_freq(field, t) for t in u)

    dfs = {u: df_of(u) for u in runs}
    weights = {u: idf(stats.num_docs, df) for u, df in dfs.items()}
    known = [w for u, w in weights.items() if dfs[u]]
    typical = sum(known) / len(known) if known else 1.0
    for u, df in dfs.items():
        if df == 0 and (len(u) == 1 or not whole or not all(stats.doc_freq(field, t) for t in u)):
            weights[u] = weights[u] * UNKNOWN_NAME if set(u) & set(a.names) else typical
    return [(u, weights[u]) for u in runs]


# --- coverage -------------------------------------------------------------------------


def presence(
    unit: tuple[str, ...], terms: str, words: set[str], accented: bool, joined: frozenset[str] = frozenset()
) -> float:
    """1 when the passage holds the unit (a run of syllables); a one-syllable word of an
    accented question found only inside a compound ("pháp" in "pháp_luật") counts
    COMPOUND_CREDIT, unless that compound is spelled out by the question's own adjacent
    syllables (`joined`: "đảng phí", segmented as two words in a question); 0 when absent.

    >>> presence(("pháp",), " pháp luật ", {"pháp_luật"}, True)
    0.5
    """
    if f" {' '.join(unit)} " not in terms:
        return 0.0
    if accented and len(unit) == 1 and unit[0] not in words and not joined & words:
        return COMPOUND_CREDIT
    return 1.0


def named_codes(cols: Columns) -> set[str]:
    """The document codes a passage names: in its text, its document's title, or its
    document's own code."""
    return set(cols["t_codes"].split()) | set(cols["t_doccode"].split())


def coverage(
    a: Analysis, stats: Stats, rows: Iterable[tuple[Passage, Columns]]
) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Per passage, the weighted share of the question's units it contains (in its text
    or its title and headings), codes included; and the question's words it lacks (a word
    found only inside a longer one, "chương" in "chương trình", is lacking), the weightiest
    first."""
    wanted = units(a, stats)
    joined = joins(a) if a.accented else {}
    codes = [(c, stats.idf("codes", c)) for c in a.codes]
    column = "t_sylls" if a.accented else "t_folds"
    total = sum(w for _, w in wanted) + sum(w for _, w in codes) or 1.0
    out = {}
    for p, c in rows:
        have = f" {c[column]} {c['t_title'].replace('_', ' ')} "
        words = set(c["t_words"].split()) | set(c["t_title"].split())
        named = named_codes(c)
        found = [(u, w, presence(u, have, words, a.accented, joined.get(u[0], frozenset()))) for u, w in wanted]
        share_found = sum(w * x for _, w, x in found) + sum(w for code, w in codes if code in named)
        # a lacking word is named when it is a real part of the question (by weight);
        # the pairs of an unaccented question are not words of it
        lacking = sorted(
            (x for x in found if x[2] < 1 and x[1] >= MISSING_SHARE * total and (a.accented or len(x[0]) == 1)),
            key=lambda x: -x[1],
        )
        out[p.passage_id] = (share_found / total, tuple(" ".join(u) for u, _, _ in lacking[:MAX_MISSING]))
    return out


def holds_number(text: str) -> bool:
    """Whether a passage states a number, its leading label aside.

    >>> holds_number("a) Trong thời hạn 30 ngày"), holds_number("hai phần ba số đảng viên")
    (True, True)
    >>> holds_number("12.4.2. Ban kiểm phiếu có nhiệm vụ:")
    False
    """
    return bool(_NUMBER_RE.search(_LABEL_RE.sub("", text, count=1)))


def wants_number(a: Analysis) -> bool:
    """Whether a question asks how many or how long ("bao nhiêu", "bao lâu", "mấy").

    >>> wants_number(analyze("Người vào Đảng phải đủ bao nhiêu tuổi?"))
    True
    """
    return a.accented and bool(QUANTITY_WORDS & set(a.words))


# --- scoring, fusion, order -------------------------------------------------------------


def about_codes(a: Analysis, rows: list[Row]) -> list[Row]:
    """A question about "Chỉ thị 05": passages that never name it are not about it (all
    rows when none does)."""
    if not a.codes:
        return rows
    wanted = set(a.codes)
    return [r for r in rows if wanted & named_codes(r.columns)] or rows


def score(
    a: Analysis, rows: list[Row], stats: Stats, coord: float = 1.0, intent: Intent | None = None, boost: float = 0.0
) -> list[Candidate]:
    """One reading's rows, each BM25 score times its coverage of the question to the power
    `coord`, and by 1 + `boost` when the passage carries what the question wants (`intent`:
    a number for "bao nhiêu tuổi", a body for "ai quyết định" …)."""
    rows = about_codes(a, rows)
    cover = coverage(a, stats, [(r.passage, r.columns) for r in rows])
    out = []
    for r in rows:
        share_found, missing = cover[r.passage.passage_id]
        s = r.bm25 * share_found**coord
        if boost and carries(intent, r.passage.text):
            s *= 1 + boost
        out.append(Candidate(r.passage, s, share_found, missing))
    return out


def fuse(readings: Iterable[list[Candidate]]) -> list[Candidate]:
    """The candidates of every reading of a question, a passage keeping its best score,
    best first (stable for equal scores)."""
    best: dict[str, Candidate] = {}
    for cands in readings:
        for c in cands:
            held = best.get(c.passage.passage_id)
            if held is None or c.score > held.score:
                best[c.passage.passage_id] = c
    return sorted(best.values(), key=lambda c: -c.score)


def demote(cands: list[Candidate], replaced: Collection[str], factor: float = REPLACED_FACTOR) -> list[Candidate]:
    """Passages of replaced documents score `factor` of their score, so the replacing
    document's passage comes first for the same question (stable; a question naming the
    replaced document's code still gets it first through `codes_first`).

    >>> old, new = Passage("o", "old", 1, "…"), Passage("n", "new", 1, "…")
    >>> [c.passage.doc_id for c in demote([Candidate(old, 10.0, 1.0), Candidate(new, 8.0, 1.0)], {"old"})]
    ['new', 'old']
    """
    if not replaced or not any(c.passage.doc_id in replaced for c in cands):
        return cands
    lowered = [replace(c, score=c.score * factor) if c.passage.doc_id in replaced else c for c in cands]
    return sorted(lowered, key=lambda c: -c.score)


def codes_first(a: Analysis, cands: list[Candidate], doc_of: Callable[[str], Document]) -> list[Candidate]:
    """Passages of the document a question names by code go first (stable); passages
    that only mention the code are helped by the query's code clauses."""
    if not a.codes:
        return cands
    wanted = set(a.codes)

    def named(c: Candidate) -> bool:
        code = doc_of(c.passage.doc_id).code
        return bool(code and wanted & set(find_codes(code)))

    return sorted(cands, key=lambda c: not named(c))


def shingles(folded: str) -> set[tuple[str, ...]]:
    """3-grams of folded syllables, for spotting near-duplicate passages.

    >>> sorted(shingles("a b c d"))
    [('a', 'b', 'c'), ('b', 'c', 'd')]
    """
    toks = folded.split()
    return set(zip(toks, toks[1:], toks[2:], strict=False)) if len(toks) >= 3 else {tuple(toks)}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    """|a ∩ b| / |a ∪ b|."""
    return len(a & b) / len(a | b) if a and b else 0.0


def collapse(cands: Iterable[Candidate], folded: Mapping[str, str]) -> Iterator[Candidate]:
    """Skip passages nearly identical (folded 3-gram Jaccard) to a better one, lazily (a
    reply reads only the first few); overlaps are counted through an inverted index of the
    kept passages' shingles."""
    sizes: list[int] = []
    owners: dict[tuple[str, ...], list[int]] = {}
    for cand in cands:
        sh = shingles(folded.get(cand.passage.passage_id) or fold(cand.passage.text))
        overlap: dict[int, int] = {}
        for gram in sh:
            for i in owners.get(gram, ()):
                overlap[i] = overlap.get(i, 0) + 1
        if any(n / (len(sh) + sizes[i] - n) >= DUPLICATE_JACCARD for i, n in overlap.items()):
            continue
        for gram in sh:
            owners.setdefault(gram, []).append(len(sizes))
        sizes.append(len(sh))
        yield cand


def answers(
    cands: Iterable[Candidate], first_bar: float, others_bar: float, named: bool, limit: int
) -> list[Candidate]:
    """Up to `limit` candidates that cover enough of the question to be shown: the first
    must cover `first_bar`, the others `others_bar` (a question naming a code: all of them)."""
    out: list[Candidate] = []
    for c in cands:
        if c.coverage >= (others_bar if out or named else first_bar):
            out.append(c)
            if len(out) >= limit:
                break
    return out


def ideal(spec: Iterable[Clause], stats: Stats) -> float:
    """The score of a passage holding each term of the query once (BM25 at average length
    gives a term its idf times its boost): what a first passage's score is measured against.

    >>> ideal([Clause("words", "a", 2.0)], Stats.fixed({("words", "a"): 1}, 100)) > 8
    True
    """
    return sum(c.boost * stats.idf(c.field, c.term) for c in spec)


def by_place(
    cands: list[Candidate], doc_of: Callable[[str], Document], order: Callable[[Document], Any]
) -> list[Candidate]:
    """Passages asked for by place: those covering more of the rest of the question first,
    then in reading order; no word is "missing" from a place asked for."""
    ranked = sorted(cands, key=lambda c: (-c.score, order(doc_of(c.passage.doc_id)), c.passage.ordinal))
    return [replace(c, missing=()) for c in ranked]


def typed_missing(missing: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The words a quote lacks, as the asker typed them (without diacritics); a word the
    quote holds with other marks is not lacking to the asker.

    >>> typed_missing(("đồng", "chương"), "Đảng viên đóng đảng phí")
    ('chuong',)
    """
    folded = f" {' '.join(syllables(fold(text)))} "
    return tuple(w for w in (fold(m) for m in missing) if f" {w} " not in folded)
