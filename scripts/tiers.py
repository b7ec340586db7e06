"""The three tiers on the shipped corpus's question sets, in one run: P@1 and R@3 of what
is shown, the share answered and its precision, how often a `related` reply shows the
answer, and how often an out-of-corpus question is dressed up as an answer.

    .venv/bin/python scripts/tiers.py [--sets real_dev,blind_dev] [--data DIR] [--benchmarks alqac2022,virhe4qa]

The realistic sets (`tests/data/questions_real_*.tsv`, docs/quality.md "Realistic question
sets") and the blind sets; `*_dev` are used to choose and calibrate, `*_test` only measured.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.confidence import COVERAGE_RULE  # noqa: E402
from index.evaluation import (  # noqa: E402
    Ranker,
    build_benchmark,
    naive_ranker,
    raw_paragraphs,
    read_qrels,
    read_queries,
    read_table,
    score_table,
)
from index.evaluation.tiers import HEADER, score_tiers, score_tiers_qrels  # noqa: E402
from index.indexer import reindex  # noqa: E402
from index.rank import MIN_COVERAGE  # noqa: E402
from index.search import Ranking, Searcher  # noqa: E402

SETS = ("real_dev", "real_test", "blind_dev", "blind_test")
ABLATIONS = (
    ("vankien", Ranking()),
    ("− tiers (the old rule: an answer when the first quote covers half, else nothing)",
     Ranking(model=COVERAGE_RULE, related_floor=MIN_COVERAGE)),
    ("− lexicon", Ranking(lexicon=False)),
    ("− intents (no boost for a passage stating what is asked)", Ranking(quantity=0.0, intent=0.0)),
    ("− news accent prior", Ranking(news_accents=False)),
    ("+ related words from news (gated, weight 0.8)", Ranking(related=0.8)),
)


def table(name: str) -> list:
    """One question set of tests/data (`real_dev` -> questions_real_dev.tsv)."""
    return read_table(ROOT / "tests" / "data" / f"questions_{name}.tsv")


def anchor_line(name: str, rows: list, naive: Ranker) -> str:
    """The naive anchor's row: it always answers, so only P@1 and R@3 tell."""
    answerable = [r for r in rows if r.phrases]
    s = score_table(answerable, naive)
    return (f"| {name} | naive anchor (always answers) | {s.p_at_1:.3f} | {s.r_at_3:.3f} | 1.000 | {s.p_at_1:.3f} "
            "| – | "
            f"0.000 | 1.000 | {len(answerable)} + {len(rows) - len(answerable)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--data", type=Path, help="an index of corpus/ already built (default: build one)")
    parser.add_argument("--misses", action="store_true", help="list the questions whose first quote is wrong")
    parser.add_argument("--benchmarks", default="", help="also these of --eval-dir, e.g. alqac2022,virhe4qa")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--ablations", action="store_true", help="also each part switched off (docs/quality.md)")
    parser.add_argument("--anchor", action="store_true", help="also the naive anchor (rank-bm25 over raw paragraphs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vankien-tiers-") as tmp:
        data = args.data or Path(tmp)
        if args.data is None:
            reindex(ROOT / "corpus", data)
        rows = ABLATIONS if args.ablations else ABLATIONS[:1]
        naive = naive_ranker(raw_paragraphs(ROOT / "corpus")) if args.anchor else None
        print(HEADER.replace("| set |", "| set | ranking |").replace("|---|", "|---|---|", 1))
        for name in args.sets.split(","):
            for label, ranking in rows:
                score = score_tiers(table(name), Searcher.open(data, ranking=ranking).ask)
                print(score.line(name).replace(f"| {name} |", f"| {name} | {label} |"))
                if args.misses:
                    print("\n".join(f"    - {q}" for q in score.misses))
            if args.anchor:
                print(anchor_line(name, table(name), naive))
        for bench in filter(None, args.benchmarks.split(",")):
            where = args.eval_dir / bench
            built = build_benchmark(where / "corpus.jsonl", Path(tmp) / bench)
            queries = [(q.qid, q.text) for q in read_queries(where / "queries.jsonl")]
            score = score_tiers_qrels(queries, read_qrels(where / "qrels.tsv"), Searcher.open(built).ask)
            print(score.line(bench).replace(f"| {bench} |", f"| {bench} | vankien |"))


if __name__ == "__main__":
    main()
