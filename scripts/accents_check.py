"""How well `index/accents.py` puts diacritics back, in one run (the numbers of the
"questions typed without diacritics" section of docs/quality.md).

    .venv/bin/python scripts/accents_check.py [--eval-dir ../shared/eval] [--news 100000]

- **Leave one document out** on the shipped corpus: each document's text, cut into
  15-word pieces (at most 150 per document), stripped of diacritics and restored with an
  index of the other documents; the share of syllables restored as written.
- **Benchmarks** (ALQAC 2022, ViRHE4QA), per dev / test half: the share of syllables of
  the unaccented questions restored as written, how many well-typed questions restoring
  changes (any change is shown to the asker), R@1 on questions typed without
  diacritics on about half their words, and R@1 on questions with the marks of one word
  mistyped (`bot.evaluate.mistyped`), with and without mending them (`Restorer.respell`).
- Each **with and without the news prior** (`index.accents.news_prior`, the general-language
  counts beneath the corpus's own).
- **News titles** (`--news N`, off by default: it indexes N VNTC paragraphs first): how many
  of the accented questions `scripts/bench.py` makes from titles restoring changes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.accents import Restorer, news_prior  # noqa: E402
from index.evaluation import (  # noqa: E402
    build_benchmark,
    mistyped,
    query_half,
    query_metrics,
    read_qrels,
    read_queries,
    typed_without_accents,
)
from index.indexer import reindex, scan_corpus  # noqa: E402
from index.ingest import parse_file  # noqa: E402
from index.search import Searcher  # noqa: E402
from index.text import fold, unaccented  # noqa: E402

BENCHMARKS = {"ALQAC 2022": "alqac2022", "ViRHE4QA": "virhe4qa"}
PIECE = 15  # words per piece of document text
PIECES = 150  # pieces per document at most
PRIORS = ("without", "with")  # the news prior off, then on
_SYLLABLE = re.compile(r"\w+")


def right_syllables(written: str, restored: str) -> tuple[int, int]:
    """Syllables restored as written, and syllables."""
    a, b = _SYLLABLE.findall(written.lower()), _SYLLABLE.findall(restored.lower())
    return sum(x == y for x, y in zip(a, b, strict=False)), len(a)


def pieces(path: Path) -> list[str]:
    """Pieces of PIECE words of a document's paragraphs (the first 60 words of each)."""
    out = []
    for block in parse_file(path).blocks:
        words = block.text.split()[:60]
        out += [" ".join(words[i : i + PIECE]) for i in range(0, len(words), PIECE)]
    return [p for p in out if len(_SYLLABLE.findall(p)) >= 5][:PIECES]


def switch(restorer: Restorer, prior: str) -> None:
    """Turn the restorer's news prior off ("without") or on ("with")."""
    restorer.background = news_prior() if prior == "with" else None


def leave_one_out(corpus: Path, tmp: Path) -> dict[str, float]:
    """Share of syllables restored as written, each document restored without itself,
    without and with the news prior."""
    files, _ = scan_corpus(corpus)
    right, total = dict.fromkeys(PRIORS, 0), 0
    for held in files:
        rest = tmp / f"corpus-{held.stem}"
        shutil.copytree(corpus, rest, ignore=lambda _dir, names, held=held: [n for n in names if n == held.name])
        data = tmp / f"data-{held.stem}"
        reindex(rest, data)
        searcher = Searcher(data)
        assert searcher.restorer is not None
        for piece in pieces(held):
            for prior in PRIORS:
                switch(searcher.restorer, prior)
                r, n = right_syllables(piece, searcher.read_as(unaccented(piece)) or unaccented(piece))
                right[prior] += r
            total += n
    return {prior: r / total for prior, r in right.items()}


def benchmark(eval_dir: Path, bench: str, tmp: Path) -> dict[tuple[str, str], dict[str, float]]:
    """Per half, without and with the news prior: syllables right on unaccented questions,
    well-typed questions changed, and R@1 on half-unaccented questions."""
    data = build_benchmark(eval_dir / bench / "corpus.jsonl", tmp / bench)
    searcher = Searcher(data)
    restorer = searcher.restorer
    assert restorer is not None
    spellings = restorer.spellings  # plain letters -> the accented syllables of this index
    qrels = read_qrels(eval_dir / bench / "qrels.tsv")
    out: dict[tuple[str, str], dict[str, float]] = {}
    for half, prior in ((h, p) for h in ("dev", "test") for p in PRIORS):
        switch(restorer, prior)
        queries = [q for q in read_queries(eval_dir / bench / "queries.jsonl")
                   if q.qid in qrels and query_half(q.qid) == half]
        right = total = changed = changed_before = 0
        hits = typo_hits = typo_before = 0.0
        for q in queries:
            plain = unaccented(q.text)
            r, n = right_syllables(q.text, searcher.read_as(plain) or plain)
            right, total = right + r, total + n
            changed += searcher.read_as(q.text) is not None
            ranked = [pid for pid, _ in searcher.rank(typed_without_accents(q.text, "half", q.qid), 10)]
            hits += query_metrics(ranked, qrels[q.qid])["R@1"]
            typo = mistyped(q.text, q.qid, spellings)
            typo_hits += query_metrics([pid for pid, _ in searcher.rank(typo, 10)], qrels[q.qid])["R@1"]
            restorer.respelling = False
            changed_before += searcher.read_as(q.text) is not None
            typo_before += query_metrics([pid for pid, _ in searcher.rank(typo, 10)], qrels[q.qid])["R@1"]
            restorer.respelling = True
        out[half, prior] = {"syllables": right / total, "changed": changed, "queries": len(queries),
                     "half_r1": hits / len(queries), "changed_before": changed_before,
                     "typo_r1": typo_hits / len(queries), "typo_before": typo_before / len(queries)}
    return out


def news(n: int, tmp: Path) -> dict[str, tuple[int, list[tuple[str, str]]]]:
    """Accented bench questions from news titles, and those restoring changes over n
    paragraphs, without and with the news prior."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench import CORPUS, make_questions, records

    from index.bulk import build

    titles: list[str] = []
    build(records(CORPUS, n, titles), tmp / "news")
    searcher = Searcher(tmp / "news")
    accented = [q for q in make_questions(titles, 600) if fold(q) != q.lower()]
    assert searcher.restorer is not None
    out = {}
    for prior in PRIORS:
        switch(searcher.restorer, prior)
        out[prior] = (len(accented), [(q, r) for q in accented if (r := searcher.read_as(q))])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--news", type=int, default=0, help="VNTC paragraphs to index for the news check")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vankien-accents-") as tmp:
        for prior, share in leave_one_out(ROOT / "corpus", Path(tmp)).items():
            print(f"leave one document out (shipped corpus), {prior} the news prior: {share:.2%} "
                  "of syllables restored as written")
        print("\n| benchmark | half | news prior | unaccented: syllables right | well-typed changed (without "
              "mending marks) | half-unaccented R@1 | one word's marks mistyped: R@1 mended (not mended) |")
        print("|---|---|---|---|---|---|---|")
        for title, bench in BENCHMARKS.items():
            for (half, prior), m in benchmark(Path(args.eval_dir), bench, Path(tmp)).items():
                print(f"| {title} | {half} | {prior} | {m['syllables']:.2%} "
                      f"| {m['changed']:.0f} ({m['changed_before']:.0f}) "
                      f"of {m['queries']:.0f} | {m['half_r1']:.3f} | {m['typo_r1']:.3f} ({m['typo_before']:.3f}) |")
        if args.news:
            for prior, (total, examples) in news(args.news, Path(tmp)).items():
                print(f"\nnews titles ({args.news} paragraphs), {prior} the news prior: {len(examples)} of {total} "
                      "well-typed questions changed")
                for question, read_as in examples:
                    print(f"  {question} -> {read_as}")
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
