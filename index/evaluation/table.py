"""The shipped-corpus question table: each question with a phrase its top passage must contain.

An empty phrase means the question must get no answer (`tests/data/questions.tsv`).
"""

from __future__ import annotations

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
    """Whether `text` contains any of the phrases (case- and spacing-insensitive).

    >>> contains("Đảng viên  dự bị", ["đảng viên dự bị"])
    True
    """
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
    """Score a ranker over the table: an answerable row is right when the first passage
    shown (as an answer or, not sure, as related) holds its phrase; an out-of-corpus row
    when it is not called an answer."""
    p1 = e1 = r3 = 0
    misses = []
    for row in rows:
        answered, results = ranker(row.question)
        if not row.phrases:
            ok = not answered
            p1, e1, r3 = p1 + ok, e1 + ok, r3 + ok
        else:
            top = results[:1]
            ok = bool(top) and contains(top[0][0], row.phrases)
            p1 += ok
            e1 += bool(top) and contains(top[0][1], row.phrases)
            r3 += any(contains(p, row.phrases) for p, _ in results[:3])
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
