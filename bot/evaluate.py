"""`vankien eval`: retrieval quality on a benchmark (corpus, queries, qrels).

A thin wrapper over `index.evaluation` (see there for the formats and the metrics):

    $ vankien eval --corpus C.jsonl --queries Q.jsonl --qrels R.tsv --json
    {"n_queries": 1000, "P@1": 0.74, "R@1": 0.74, ...}
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from index.evaluation import METRICS, evaluate_benchmark, read_qrels, read_queries, typed_without_accents


def format_metrics(m: dict[str, float | int]) -> str:
    """A short human-readable report."""
    scores = "  ".join(f"{name} {m[name]:.3f}" for name in METRICS)
    return f"{m['n_queries']} queries  {scores}  latency p50 {m['p50_ms']} ms, p99 {m['p99_ms']} ms"


def run_eval_command(args: argparse.Namespace) -> int:
    """`vankien eval`: index the corpus in a temporary directory, run and score the queries."""
    for name in ("corpus", "queries", "qrels"):
        if not Path(getattr(args, name)).is_file():
            print(f"File not found: {getattr(args, name)} (--{name}).", file=sys.stderr)
            return 2
    queries = read_queries(Path(args.queries), args.split)
    if args.unaccented:
        queries = [replace(q, text=typed_without_accents(q.text, args.unaccented, q.qid)) for q in queries]
    qrels = read_qrels(Path(args.qrels))
    if not any(q.qid in qrels for q in queries):
        where = f" in split {args.split!r}" if args.split else ""
        print(f"No queries with qrels{where}. Check --split and the query ids.", file=sys.stderr)
        return 2
    metrics = evaluate_benchmark(Path(args.corpus), queries, qrels, args.engine, args.k)
    print(json.dumps(metrics, ensure_ascii=False) if args.json else format_metrics(metrics))
    return 0
