"""Retrieval quality in one run: ALQAC 2022, ViRHE4QA, the shipped-corpus question
table and the two blind question sets over the shipped corpus, for the naive anchor, plain
rank-bm25, ours, and ablations that each switch one thing off; and the same questions typed
without diacritics, with and without putting the accents back. Prints the Markdown tables
of docs/quality.md.

    .venv/bin/python scripts/quality.py [--eval-dir ../shared/eval] [--jobs 2]

Parameters were chosen on the "dev" half of each benchmark (a fixed hash of the query
id, `index.evaluation.query_half`); the "test" half columns are the held-out check.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.evaluation import (  # noqa: E402
    IdRanker,
    Scored,
    answer_ranker,
    bm25_id_ranker,
    build_benchmark,
    naive_ranker,
    query_half,
    raw_paragraphs,
    read_jsonl,
    read_qrels,
    read_queries,
    read_table,
    score_queries,
    score_table,
    searcher_ranker,
    summarize,
    syllable_tokens,
    typed_without_accents,
    underthesea_words,
)
from index.rank import QUANTITY_BOOST  # noqa: E402
from index.search import Ranking, Searcher, Weights  # noqa: E402
from index.text import Options, fold  # noqa: E402

BENCHMARKS = {"ALQAC 2022": "alqac2022", "ViRHE4QA": "virhe4qa"}
ANALYSIS_OFF = "analysis ablation: benchmarks only (`reindex` takes no analysis options)"


@dataclass(frozen=True)
class Row:
    """One pipeline of the table."""

    name: str
    kind: str = "ours"  # ours | naive | words (plain rank-bm25 over underthesea words)
    engine: str = "tantivy"
    options: Options = Options()
    headings: bool = True
    weights: Weights = field(default_factory=Weights)
    coord: float = 1.0
    unaccented: str | None = None  # the questions typed without diacritics: "all", or on "half" the words
    accents: bool = True  # put the diacritics back on such questions
    reword: bool = True  # also ask everyday phrases in the documents' wording
    quantity: bool = True  # "bao nhiêu / bao lâu / mấy": passages holding a number first

    @property
    def analysis(self) -> tuple[bool, bool, bool, bool]:
        """What the index of this row depends on."""
        o = self.options
        return (o.segment, o.fold, o.codes, self.headings)


ROWS = (
    Row("naive anchor: rank-bm25 Okapi (k1 1.5, b 0.75), lowercase syllables", kind="naive"),
    Row("rank-bm25 Okapi k1 1.5 b 0.75, underthesea words (published baseline)", kind="words"),
    Row("rank-bm25 over our analysis (same query)", engine="rank-bm25"),
    Row("**ours** (tantivy, everything on)"),
    Row("− word segmentation", options=Options(segment=False)),
    Row("− diacritic folding", options=Options(fold=False)),
    Row("− document codes and abbreviations", options=Options(codes=False)),
    Row("− heading as title (benchmarks)", headings=False),
    Row("− title field (title 0)", weights=Weights(title=0)),
    Row("− syllable pair terms (phrase 0, stop_pair 0)", weights=Weights(phrase=0, stop_pair=0)),
    Row("− pairs with a stopword (stop_pair 0)", weights=Weights(stop_pair=0)),
    Row("pairs 1.5 / 1.5 (best on dev halves; rejected: shipped table 0.898)",
        weights=Weights(phrase=1.5, stop_pair=1.5)),
    Row("− coverage factor (coord 0)", coord=0.0),
    Row("− everyday wording (no rewording)", reword=False),
    Row("− number answers (quantity 0)", quantity=False),
    Row("unaccented questions: naive anchor", kind="naive", unaccented="all"),
    Row("unaccented questions: **ours** (accents put back)", unaccented="all"),
    Row("unaccented questions: − accent restoration (folded syllables)", unaccented="all", accents=False),
    Row("half-unaccented questions: **ours** (accents put back)", unaccented="half"),
    Row("half-unaccented questions: − accent restoration", unaccented="half", accents=False),
)


def benchmark_ranker(row: Row, bench: Path, data: Path) -> IdRanker:
    """The ranker a row stands for, over a built benchmark index."""
    if row.kind in ("naive", "words"):
        lines = list(read_jsonl(bench / "corpus.jsonl"))
        tokenize = syllable_tokens if row.kind == "naive" else underthesea_words
        return bm25_id_ranker([str(o["id"]) for o in lines], [o["text"] for o in lines], tokenize)
    return searcher_ranker(searcher(row, data))


def searcher(row: Row, data: Path) -> Searcher:
    """The Searcher a row of ours stands for."""
    ranking = Ranking(row.weights, row.coord, accents=row.accents, reword=row.reword,
                      quantity=QUANTITY_BOOST if row.quantity else 0.0)
    return Searcher(data, row.engine, ranking)


def run_benchmark_row(job: tuple[Row, Path, Path]) -> list[Scored]:
    """Score one row on one benchmark (runs in a worker)."""
    row, bench, data = job
    queries = read_queries(bench / "queries.jsonl")
    if row.unaccented:
        queries = [replace(q, text=typed_without_accents(q.text, row.unaccented, q.qid)) for q in queries]
    return score_queries(benchmark_ranker(row, bench, data), queries, read_qrels(bench / "qrels.tsv"))


def index_key(row: Row) -> tuple[bool, bool, bool, bool]:
    """Rows that need no index of their own share the full-analysis one."""
    return row.analysis if row.kind == "ours" else (True, True, True, True)


def build_indexes(eval_dir: Path, tmp: Path) -> dict[tuple[str, tuple[bool, ...]], Path]:
    """One index per benchmark and analysis variant the rows need."""
    out = {}
    for bench in BENCHMARKS.values():
        for key in dict.fromkeys(index_key(r) for r in ROWS):
            data = tmp / f"{bench}-{'-'.join(str(int(x)) for x in key)}"
            build_benchmark(eval_dir / bench / "corpus.jsonl", data,
                            options=Options(*key[:3]), headings=key[3])
            out[(bench, key)] = data
    return out


def cells(scored: Sequence[Scored]) -> str:
    """R@1, R@5, R@10, MRR@10, nDCG@10, p50 latency; then P@1 / MRR@10 on dev and test."""
    m = summarize(scored)
    halves = {h: summarize([s for s in scored if query_half(s.qid) == h]) for h in ("dev", "test")}
    main = " | ".join(f"{m[k]:.3f}" for k in ("R@1", "R@5", "R@10", "MRR@10", "nDCG@10"))
    split = " | ".join(f"{halves[h]['R@1']:.3f} / {halves[h]['MRR@10']:.3f}" for h in ("dev", "test"))
    return f"{main} | {m['p50_ms']:.1f} | {split}"


TABLES = {name: ROOT / "tests" / "data" / f"{name}.tsv"
          for name in ("questions", "questions_blind_dev", "questions_blind_test")}


def shipped_tables(rows: Sequence[Row]) -> dict[str, list[str]]:
    """The shipped-corpus question table and the blind dev and test sets (scored as
    scripts/question_table.py does): per table, one Markdown line per row."""
    from index.indexer import reindex

    tables = {name: read_table(path) for name, path in TABLES.items()}
    # unaccented rows: a table's answerable accented questions, typed without diacritics
    plain = {}
    for name, table in tables.items():
        accented = [r for r in table if r.phrases and fold(r.question) != r.question.lower()]
        plain[name] = {how: [replace(r, question=typed_without_accents(r.question, how, r.question))
                             for r in accented] for how in ("all", "half")}
    lines: dict[str, list[str]] = {name: [] for name in tables}
    with tempfile.TemporaryDirectory(prefix="vankien-quality-") as tmp:
        reindex(ROOT / "corpus", Path(tmp))
        naive = naive_ranker(raw_paragraphs(ROOT / "corpus"))
        for row in rows:
            if row.kind == "words" or row.analysis != (True, True, True, True):
                note = "n/a (no paragraphs as ids)" if row.kind == "words" else ANALYSIS_OFF
                for name in tables:
                    lines[name].append(f"| {row.name} | – | – | – | {note} |")
                continue
            ranker = naive if row.kind == "naive" else answer_ranker(searcher(row, Path(tmp)).ask)
            for name, table in tables.items():
                rows_ = plain[name][row.unaccented] if row.unaccented else table
                lines[name].append(score_table(rows_, ranker).line(row.name))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--jobs", type=int, default=2, help="rows scored in parallel")
    args = parser.parse_args()
    eval_dir = Path(args.eval_dir)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vankien-quality-") as tmp:
        indexes = build_indexes(eval_dir, Path(tmp))
        jobs = [(row, eval_dir / b, indexes[(b, index_key(row))]) for b in BENCHMARKS.values() for row in ROWS]
        with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(run_benchmark_row, jobs))
    head = ("| pipeline | R@1 | R@5 | R@10 | MRR@10 | nDCG@10 | p50 ms | dev R@1 / MRR | test R@1 / MRR |\n"
            "|---|---|---|---|---|---|---|---|---|")
    for i, (title, bench) in enumerate(BENCHMARKS.items()):
        n = len(results[i * len(ROWS)])
        print(f"\n### {title} ({n} queries, `{bench}`)\n\n{head}")
        for j, row in enumerate(ROWS):
            print(f"| {row.name} | {cells(results[i * len(ROWS) + j])} |")
    head = "| pipeline | P@1 | P@1 excerpt | R@3 | n |\n|---|---|---|---|---|"
    titles = {"questions": "Shipped corpus question table", "questions_blind_dev": "Blind dev set (used to choose)",
              "questions_blind_test": "Blind test set (held out)"}
    for name, lines in shipped_tables(ROWS).items():
        print(f"\n### {titles[name]} (`tests/data/{name}.tsv`)\n\n{head}")
        print("\n".join(lines))
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
