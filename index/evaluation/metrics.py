"""IR metrics of one ranking against graded relevance (qrels), and the percentile of latencies."""

from __future__ import annotations

import math
from collections.abc import Sequence

METRICS = ("P@1", "R@1", "R@5", "R@10", "MRR@10", "nDCG@10")


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


def query_metrics(ranked: Sequence[str], relevant: dict[str, int]) -> dict[str, float]:
    """The metrics of one ranking.

    >>> query_metrics(["b", "a"], {"a": 1})["MRR@10"]
    0.5
    """
    ids = set(relevant)
    return {
        "P@1": hit_at(ranked, ids, 1),
        "R@1": recall_at(ranked, ids, 1),
        "R@5": recall_at(ranked, ids, 5),
        "R@10": recall_at(ranked, ids, 10),
        "MRR@10": mrr_at(ranked, ids, 10),
        "nDCG@10": ndcg_at(ranked, relevant, 10),
    }
