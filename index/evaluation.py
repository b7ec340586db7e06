"""Measuring retrieval: the shipped-corpus question table and IR metrics.

The question table (`tests/data/questions.tsv`) pairs a question with a phrase the top
passage must contain; an empty phrase means the question must get no answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.indexer import scan_corpus
from index.ingest import IngestError, parse_file
from index.models import Answer


@dataclass(frozen=True)
class TableRow:
    """One question of the table."""

    kind: str
    question: str
    phrases: tuple[str, ...]  # empty: must not be answered


def read_table(path: Path) -> list[TableRow]:
    """Parse the TSV table (comment lines start with '#')."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, question, phrase = (line.split("\t") + ["", ""])[:3]
        phrases = tuple(p.strip() for p in phrase.split("||") if p.strip())
        rows.append(TableRow(kind.strip(), question.strip(), phrases))
    return rows


def raw_paragraphs(corpus: Path) -> list[str]:
    """Every paragraph ingestion reads, before chunking and analysis."""
    files, _ = scan_corpus(corpus)
    out = []
    for path in files:
        try:
            out += [b.text for b in parse_file(path).blocks]
        except IngestError:
            continue
    return out


def _canon(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def contains(text: str, phrases: Iterable[str]) -> bool:
    """Whether `text` contains any of the phrases (case- and spacing-insensitive)."""
    hay = _canon(text)
    return any(_canon(p) in hay for p in phrases)


@dataclass(frozen=True)
class TableScore:
    """P@1, excerpt P@1 and R@3 over a question table, with the misses named."""

    p_at_1: float
    excerpt_p_at_1: float
    r_at_3: float
    n: int
    misses: tuple[str, ...]

    def line(self, name: str) -> str:
        """A table row for reports."""
        return f"| {name} | {self.p_at_1:.3f} | {self.excerpt_p_at_1:.3f} | {self.r_at_3:.3f} | {self.n} |"


Ranker = Callable[[str], tuple[bool, Sequence[tuple[str, str]]]]
"""question -> (answered, [(passage text, excerpt text)] best first)."""


def score_table(rows: list[TableRow], ranker: Ranker) -> TableScore:
    """Score a ranker over the table."""
    p1 = e1 = r3 = 0
    misses = []
    for row in rows:
        answered, results = ranker(row.question)
        if not row.phrases:
            ok = not answered
            p1, e1, r3 = p1 + ok, e1 + ok, r3 + ok
        else:
            top = results[:1] if answered else []
            ok = bool(top) and contains(top[0][0], row.phrases)
            p1 += ok
            e1 += bool(top) and contains(top[0][1], row.phrases)
            r3 += answered and any(contains(p, row.phrases) for p, _ in results[:3])
        if not ok:
            misses.append(row.question)
    n = len(rows) or 1
    return TableScore(p1 / n, e1 / n, r3 / n, len(rows), tuple(misses))


def answer_ranker(ask: Callable[[str], Answer]) -> Ranker:
    """Adapt `Searcher.ask` to the Ranker shape."""

    def rank(question: str) -> tuple[bool, list[tuple[str, str]]]:
        answer = ask(question)
        return answer.answered, [(h.passage.text, h.excerpt) for h in answer.hits]

    return rank


def naive_ranker(paragraphs: list[str]) -> Ranker:
    """The naive anchor: rank-bm25 over lowercase syllables of raw paragraphs; it always
    answers (it has no notion of "no answer"), and its excerpt is the whole paragraph."""
    from rank_bm25 import BM25Okapi

    tokenize = re.compile(r"\w+").findall
    bm25 = BM25Okapi([tokenize(p.lower()) for p in paragraphs])

    def rank(question: str) -> tuple[bool, list[tuple[str, str]]]:
        scores = bm25.get_scores(tokenize(question.lower()))
        order = sorted(range(len(paragraphs)), key=lambda i: -scores[i])[:3]
        return True, [(paragraphs[i], paragraphs[i]) for i in order]

    return rank


# --- IR metrics over qrels ---------------------------------------------------------


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Share of relevant ids found in the top k."""
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def hit_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """1 when any relevant id is in the top k."""
    return float(any(r in relevant for r in ranked[:k]))


def mrr_at(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """Reciprocal rank of the first relevant id in the top k."""
    for i, doc in enumerate(ranked[:k], 1):
        if doc in relevant:
            return 1.0 / i
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: dict[str, int], k: int = 10) -> float:
    """nDCG@k with graded relevance."""
    dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 1) for i, d in enumerate(ranked[:k], 1))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**r - 1) / math.log2(i + 1) for i, r in enumerate(ideal, 1))
    return dcg / idcg if idcg else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


# --- plain rank-bm25 rankers over ids (anchors beside our pipeline) ----------------------


def syllable_tokens(text: str) -> list[str]:
    """Lowercase syllables, no analysis: the naive anchor's tokens.

    >>> syllable_tokens("Điều 2. Phạm vi")
    ['điều', '2', 'phạm', 'vi']
    """
    return re.findall(r"\w+", text.lower())


def underthesea_words(text: str) -> list[str]:
    """underthesea words as the published ViRHE4QA baseline uses them (lowercase, no
    punctuation tokens, no stopword list).

    >>> underthesea_words("Học tập và làm theo Bác.")
    ['học_tập', 'và', 'làm', 'theo', 'bác']
    """
    from underthesea import word_tokenize

    words = (w.lower().replace(" ", "_") for w in word_tokenize(text))
    return [w for w in words if re.search(r"\w", w)]


def bm25_id_ranker(
    ids: Sequence[str], texts: Sequence[str], tokenize: Callable[[str], list[str]] = syllable_tokens,
    k1: float = 1.5, b: float = 0.75,
) -> Callable[[str, int], list[str]]:
    """rank-bm25 BM25Okapi over `tokenize`d texts: (question, k) -> top-k ids."""
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([tokenize(t) for t in texts], k1=k1, b=b)

    def rank(question: str, k: int) -> list[str]:
        scores = bm25.get_scores(tokenize(question))
        order = sorted(range(len(ids)), key=lambda i: -scores[i])[:k]
        return [ids[i] for i in order]

    return rank
