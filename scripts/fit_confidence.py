"""Fit the confidence model (index/confidence.py) on the dev question sets only, and write
`index/data/confidence.json`.

    .venv/bin/python scripts/fit_confidence.py [--sets real_dev,blind_dev] [--precision 0.92]

Each dev question is asked of an index of corpus/; its signals (those of the passages it
would show) are the features, and the label is whether the first passage holds the gold
phrase (an out-of-corpus question: never). A logistic regression (scikit-learn, a few
inspectable weights) is fitted, and the threshold is the lowest probability at which the
questions called `answer` on dev are right at least `--precision` of the time; below a
second one, under which at most `--none-share` of the answerable dev questions fall, the
passages are not shown at all (tier `none`). The
calibration table (probability bands: questions, share right) is printed, as are the
weights. Test sets are never read here.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.confidence import MODEL_FILE, SIGNALS, Model  # noqa: E402
from index.evaluation import contains, read_table  # noqa: E402
from index.indexer import reindex  # noqa: E402
from index.search import Ranking, Searcher  # noqa: E402


def samples(searcher: Searcher, sets: list[str]) -> tuple[list[list[float]], list[int], list[bool]]:
    """Signals and labels of every dev question with passages to show, and whether each
    is answerable at all (an out-of-corpus question is not)."""
    xs, ys, answerable = [], [], []
    for name in sets:
        for row in read_table(ROOT / "tests" / "data" / f"questions_{name}.tsv"):
            answer = searcher.ask(row.question)
            if not answer.hits or not answer.signals:
                continue
            found = dict(answer.signals)
            xs.append([found[s] for s in SIGNALS])
            ys.append(int(bool(row.phrases) and contains(answer.hits[0].passage.text, row.phrases)))
            answerable.append(bool(row.phrases))
    return xs, ys, answerable


def related_floor(probs: list[float], answerable: list[bool], share: float) -> float:
    """The highest probability below which at most `share` of the answerable questions
    fall: under it a reply shows nothing rather than passages beside the point."""
    ranked = sorted(p for p, a in zip(probs, answerable, strict=True) if a)
    return ranked[int(share * len(ranked))] if ranked else 0.0


def threshold(probs: list[float], labels: list[int], precision: float) -> float:
    """The lowest probability whose `answer` calls are right `precision` of the time."""
    best = 1.0
    for t in sorted(set(probs), reverse=True):
        called = [y for p, y in zip(probs, labels, strict=True) if p >= t]
        if called and sum(called) / len(called) >= precision:
            best = t
    return best


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="real_dev,blind_dev")
    parser.add_argument("--precision", type=float, default=0.92)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--none-share", type=float, default=0.02,
                        help="share of answerable dev questions allowed below the related floor (tier none)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vankien-fit-") as tmp:
        reindex(ROOT / "corpus", Path(tmp))
        shows_all = Ranking(model=Model(0.0, {}, threshold=2.0))  # every question with passages: related
        xs, ys, answerable = samples(Searcher.open(Path(tmp), ranking=shows_all), args.sets.split(","))
    fit = LogisticRegression(C=args.C, max_iter=2000).fit(xs, ys)
    model = Model(float(fit.intercept_[0]), {s: round(float(w), 4) for s, w in zip(SIGNALS, fit.coef_[0], strict=True)})
    probs = [model.probability(dict(zip(SIGNALS, x, strict=True))) for x in xs]
    model = Model(round(model.intercept, 4), model.weights, round(threshold(probs, ys, args.precision), 4),
                  round(related_floor(probs, answerable, args.none_share), 4))
    outside = [p for p, a in zip(probs, answerable, strict=True) if not a]
    print(f"related from p >= {model.related_at}: {sum(p < model.related_at for p in outside)} of {len(outside)} "
          "out-of-corpus dev questions with passages come out none")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"{len(ys)} dev questions with passages, {sum(ys)} first quotes right; threshold {model.threshold}")
    print("| probability | questions | first quote right |\n|---|---|---|")
    for lo in (0.0, 0.2, 0.4, 0.6, 0.8):
        band = [y for p, y in zip(probs, ys, strict=True) if lo <= p < lo + 0.2 or (lo == 0.8 and p == 1.0)]
        print(f"| {lo:.1f}–{lo + 0.2:.1f} | {len(band)} | {sum(band) / len(band) if band else 0:.2f} |")
    print("weights:", model.to_json())


if __name__ == "__main__":
    main()
