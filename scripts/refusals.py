"""Honesty about what the corpus does not say, in one run: how often `Searcher.ask`
answers a benchmark's questions from its own corpus (rightly: the first quote is a
relevant passage; or wrongly), and how often it answers them from corpora that hold no
answer at all (the other benchmark's, and the shipped documents), at several settings of
the coverage the first quote must reach (`Ranking.min_coverage`).

    .venv/bin/python scripts/refusals.py [--eval-dir ../shared/eval] [--min-coverage 0.5,0.55,0.6,0.65]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.evaluation import build_benchmark, query_half, read_qrels, read_queries  # noqa: E402
from index.indexer import reindex  # noqa: E402
from index.search import Ranking, Searcher  # noqa: E402

BENCHMARKS = ("alqac2022", "virhe4qa")


def tally(searcher: Searcher, queries: list, qrels: dict) -> dict[str, dict[str, int]]:
    """Per half: questions answered with a relevant first quote, answered otherwise, refused."""
    out = {half: {"right": 0, "wrong": 0, "refused": 0} for half in ("dev", "test")}
    for q in queries:
        answer = searcher.ask(q.text, k=1)
        kind = "refused" if not answer.answered else (
            "right" if answer.hits[0].passage.passage_id in qrels.get(q.qid, {}) else "wrong")
        out[query_half(q.qid)][kind] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--min-coverage", default="0.5,0.55,0.6,0.65")
    args = parser.parse_args()
    started = time.perf_counter()
    eval_dir = Path(args.eval_dir)
    with tempfile.TemporaryDirectory(prefix="vankien-refusals-") as tmp:
        corpora = {b: build_benchmark(eval_dir / b / "corpus.jsonl", Path(tmp) / b) for b in BENCHMARKS}
        reindex(ROOT / "corpus", Path(tmp) / "shipped")
        corpora["shipped"] = Path(tmp) / "shipped"
        questions = {b: read_queries(eval_dir / b / "queries.jsonl") for b in BENCHMARKS}
        qrels = {b: read_qrels(eval_dir / b / "qrels.tsv") for b in BENCHMARKS}
        print("| first quote must cover | half | own corpus: right / wrong / refused | "
              "no answer in the corpus: answered anyway (of asked) |")
        print("|---|---|---|---|")
        for bar in (float(x) for x in args.min_coverage.split(",")):
            searchers = {name: Searcher(data, ranking=Ranking(min_coverage=bar)) for name, data in corpora.items()}
            own = {b: tally(searchers[b], questions[b], qrels[b]) for b in BENCHMARKS}
            cross = {(b, c): tally(searchers[c], questions[b], {}) for b in BENCHMARKS for c in searchers if c != b}
            for half in ("dev", "test"):
                right = sum(own[b][half]["right"] for b in BENCHMARKS)
                wrong = sum(own[b][half]["wrong"] for b in BENCHMARKS)
                refused = sum(own[b][half]["refused"] for b in BENCHMARKS)
                answered = sum(t[half]["wrong"] for t in cross.values())
                asked = sum(sum(t[half].values()) for t in cross.values())
                print(f"| {bar:.2f} | {half} | {right} / {wrong} / {refused} | {answered} of {asked} |")
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
