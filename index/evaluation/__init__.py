"""Measuring retrieval, in one place: benchmarks with qrels, the shipped-corpus question
table, IR metrics, and the plain rank-bm25 anchors shown beside our pipeline.

- `metrics`: P@1, R@k, MRR, nDCG of one ranking; latency percentiles;
- `benchmark`: read a benchmark (corpus, queries, qrels), index it, rank and score it;
  the queries as cadres type them (without diacritics, with one word's marks mistyped);
- `table`: the question table (`tests/data/questions.tsv`) and its scores;
- `anchors`: rank-bm25 over syllables or underthesea words.

`vankien eval` (bot/evaluate.py) is a thin wrapper over `benchmark`.
"""

from __future__ import annotations

from index.evaluation.anchors import bm25_id_ranker, naive_ranker, syllable_tokens, underthesea_words
from index.evaluation.benchmark import (
    IdRanker,
    Query,
    Scored,
    build_benchmark,
    corpus_records,
    evaluate,
    evaluate_benchmark,
    mistyped,
    query_half,
    read_jsonl,
    read_qrels,
    read_queries,
    score_queries,
    searcher_ranker,
    split_heading,
    summarize,
    typed_without_accents,
)
from index.evaluation.metrics import METRICS, hit_at, mrr_at, ndcg_at, percentile, query_metrics, recall_at
from index.evaluation.table import (
    Ranker,
    TableRow,
    TableScore,
    answer_ranker,
    contains,
    raw_paragraphs,
    read_table,
    score_table,
)

__all__ = [
    "METRICS", "IdRanker", "Query", "Ranker", "Scored", "TableRow", "TableScore", "answer_ranker",
    "bm25_id_ranker", "build_benchmark", "contains", "corpus_records", "evaluate", "evaluate_benchmark",
    "hit_at", "mistyped", "mrr_at", "naive_ranker", "ndcg_at", "percentile", "query_half", "query_metrics",
    "raw_paragraphs", "read_jsonl", "read_qrels", "read_queries", "read_table", "recall_at", "score_queries",
    "score_table", "searcher_ranker", "split_heading", "summarize", "syllable_tokens", "typed_without_accents",
    "underthesea_words",
]
