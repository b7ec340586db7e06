"""The confidence tier of an answer: a small logistic model over signals of the ranking.

Coverage alone is a poor judge of whether a passage answers: cadres' own words leave
answerable questions half covered, and loosely related passages can cover a short question
well. The tier is decided from several signals together (`signals`), weighed by a logistic
regression fitted on the dev question sets only (`scripts/fit_confidence.py` writes
`index/data/confidence.json`); `answer` when the model's probability that the first quote
is right reaches the threshold chosen there, `related` above a lower one, `none` below it
(the nearest passages are too far to be worth showing) or when no passage comes near.

>>> m = Model(-1.0, {"coverage": 4.0}, 0.5)
>>> m.tier({"coverage": 0.9}), m.tier({"coverage": 0.1})
(<Confidence.ANSWER: 'answer'>, <Confidence.RELATED: 'related'>)
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.models import Confidence
from index.rank import Candidate

MODEL_FILE = Path(__file__).parent / "data" / "confidence.json"
RELATED_FLOOR = 0.2  # a first passage covering less of the question is nothing related
SIGNALS = ("coverage", "best_coverage", "margin", "strength", "missing", "missing_everywhere", "intent",
           "intent_met", "plain", "units", "named")


@dataclass(frozen=True)
class Model:
    """Logistic regression weights over named signals, and the probability an answer needs."""

    intercept: float
    weights: Mapping[str, float] = field(default_factory=dict)
    threshold: float = 0.5  # an answer from this probability on
    related_at: float = 0.0  # below it, even the nearest passages are nothing related: `none`

    def probability(self, signals: Mapping[str, float]) -> float:
        """P(the first quote answers | signals)."""
        z = self.intercept + sum(w * signals.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def tier(self, signals: Mapping[str, float]) -> Confidence:
        """The tier of a question with passages to show."""
        p = self.probability(signals)
        if p >= self.threshold:
            return Confidence.ANSWER
        return Confidence.RELATED if p >= self.related_at else Confidence.NONE

    def to_json(self) -> str:
        """The model file's text."""
        return json.dumps({"intercept": self.intercept, "weights": dict(self.weights), "threshold": self.threshold,
                           "related_at": self.related_at}, indent=1)


# Before any fit: the old rule (an answer when the first quote covers half the question).
COVERAGE_RULE = Model(-5.0, {"coverage": 10.0}, 0.5)


@lru_cache(maxsize=4)
def load(path: Path = MODEL_FILE) -> Model:
    """The shipped model (the coverage rule when there is none)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return COVERAGE_RULE
    weights = {k: float(v) for k, v in data["weights"].items()}
    return Model(float(data["intercept"]), weights, float(data["threshold"]), float(data.get("related_at", 0.0)))


def signals(
    cands: Sequence[Candidate], ideal: float, units: int, intent: bool, met: Sequence[bool], plain: bool, named: bool
) -> dict[str, float]:
    """What the tier is decided from, for the passages shown (best first): how much of the
    question the first covers and the best of three covers; how far the first leads the
    second; its score against a passage holding every word once (`ideal`); the question
    words it lacks, and those every shown passage lacks; whether the question wants a kind
    of answer (an age, a duration, a body…) and the first passage carries one (`met`, per
    passage); typed without diacritics; how many content words; a document named by code.

    >>> c = [Candidate(None, 8.0, 0.9), Candidate(None, 4.0, 0.5, ("x",))]  # type: ignore[arg-type]
    >>> s = signals(c, 10.0, 3, True, [True, False], False, False)
    >>> s["margin"], s["strength"], s["missing_everywhere"], s["intent_met"]
    (0.5, 0.8, 0.0, 1.0)
    """
    top = cands[0]
    second = cands[1].score if len(cands) > 1 else 0.0
    everywhere = set(top.missing).intersection(*(c.missing for c in cands[1:3])) if len(cands) > 1 else set(top.missing)
    return {
        "coverage": top.coverage,
        "best_coverage": max(c.coverage for c in cands[:3]),
        "margin": (top.score - second) / top.score if top.score > 0 else 0.0,
        "strength": min(2.0, top.score / ideal) if ideal > 0 else 0.0,
        "missing": float(len(top.missing)),
        "missing_everywhere": float(len(everywhere)),
        "intent": float(intent),
        "intent_met": float(intent and bool(met) and met[0]),
        "plain": float(plain),
        "units": math.log1p(units),
        "named": float(named),
    }
