"""The two engines rank alike: tantivy against rank-bm25 as the reference implementation
(as bm25s checks itself against rank_bm25), over the shipped question table.

Their BM25 scores differ slightly (tantivy keeps each passage's length in a lossy one-byte
code), so passages near the tenth place may swap with the eleventh: the top ten must share
9 of 10 passages on average and never fewer than 8, and the first result must be the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.evaluation import read_table
from index.search import Searcher

TABLE = read_table(Path(__file__).parent / "data" / "questions.tsv")


@pytest.fixture(scope="module")
def reference(shipped_index: Path) -> Searcher:
    """The rank-bm25 engine over the same index generation as the `searcher` fixture."""
    return Searcher.open(shipped_index, "rank-bm25")


def test_both_engines_serve_the_same_generation(searcher: Searcher, reference: Searcher) -> None:
    ours, theirs = searcher.stats(), reference.stats()
    assert (ours["engine"], theirs["engine"]) == ("tantivy", "rank-bm25")
    assert ours["passages"] == theirs["passages"] and ours["documents"] == theirs["documents"]


def test_the_engines_agree_on_the_question_table(searcher: Searcher, reference: Searcher) -> None:
    first_differs, overlaps = [], {}
    for row in TABLE:
        ours = [pid for pid, _ in searcher.rank(row.question, 10)]
        theirs = [pid for pid, _ in reference.rank(row.question, 10)]
        assert len(ours) == len(theirs), row.question
        if ours[:1] != theirs[:1]:
            first_differs.append((row.question, ours[:1], theirs[:1]))
        if ours:
            overlaps[row.question] = len(set(ours) & set(theirs)) / len(ours)
    assert first_differs == []
    assert sum(overlaps.values()) / len(overlaps) >= 0.9
    assert {q: share for q, share in overlaps.items() if share < 0.8} == {}
