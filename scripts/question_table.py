"""Score the shipped-corpus question table: ours (tantivy), ours on rank-bm25, and the
naive anchor (rank-bm25 over lowercase syllables of the raw paragraphs), in one run.

    .venv/bin/python scripts/question_table.py [--misses]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.evaluation import answer_ranker, naive_ranker, raw_paragraphs, read_table, score_table  # noqa: E402
from index.indexer import reindex  # noqa: E402
from index.search import Searcher  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--table", default=str(ROOT / "tests" / "data" / "questions.tsv"))
    parser.add_argument("--misses", action="store_true", help="list the questions each one misses")
    args = parser.parse_args()
    rows = read_table(Path(args.table))
    with tempfile.TemporaryDirectory() as data:
        reindex(Path(args.corpus), Path(data))
        runs = {
            "vankien (tantivy, full analysis)": answer_ranker(Searcher.open(Path(data)).ask),
            "vankien on rank-bm25 (same analysis)": answer_ranker(
                Searcher.open(Path(data), "rank-bm25").ask),
            "naive anchor (rank-bm25, raw syllables)": naive_ranker(raw_paragraphs(Path(args.corpus))),
        }
        print(f"{len(rows)} questions ({sum(1 for r in rows if not r.phrases)} out of corpus)\n")
        print("| pipeline | P@1 | P@1 excerpt | R@3 | n |\n|---|---|---|---|---|")
        scores = {name: score_table(rows, ranker) for name, ranker in runs.items()}
        for name, score in scores.items():
            print(score.line(name))
        if args.misses:
            for name, score in scores.items():
                print(f"\n{name} misses:")
                print("\n".join(f"  - {q}" for q in score.misses) or "  (none)")


if __name__ == "__main__":
    main()
