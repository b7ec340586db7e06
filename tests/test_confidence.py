"""index/confidence.py: the tier model and its signals; the shipped model is the one the
fit script wrote (scripts/fit_confidence.py)."""

from __future__ import annotations

import json

import pytest

from index.confidence import MODEL_FILE, SIGNALS, Model, load, signals
from index.models import Confidence, Passage
from index.rank import Candidate

P = Passage("p", "d", 1, "x")


def test_the_shipped_model_is_a_fitted_one_over_the_named_signals() -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    model = load()
    assert set(model.weights) == set(SIGNALS) == set(data["weights"])
    assert 0.5 <= model.threshold < 1.0  # an answer needs the model fairly sure


def test_more_coverage_never_lowers_the_probability() -> None:
    model = load()
    base = dict.fromkeys(SIGNALS, 0.0) | {"units": 1.0, "strength": 0.5, "margin": 0.3}
    probs = [model.probability(base | {"coverage": c, "best_coverage": c}) for c in (0.2, 0.5, 0.8, 1.0)]
    assert probs == sorted(probs)


def test_tier_follows_the_threshold() -> None:
    m = Model(0.0, {"coverage": 1.0}, threshold=0.6)
    assert m.tier({"coverage": 0.0}) is Confidence.RELATED  # p = 0.5
    assert m.tier({"coverage": 1.0}) is Confidence.ANSWER  # p = 0.73


def test_signals_of_the_shown_passages() -> None:
    shown = [Candidate(P, 6.0, 0.8, ("tuổi",)), Candidate(P, 3.0, 0.6, ("tuổi", "x")), Candidate(P, 1.0, 0.9)]
    s = signals(shown, ideal=12.0, units=3, intent=True, met=[False, True, True], plain=True, named=False)
    assert s["coverage"] == 0.8 and s["best_coverage"] == 0.9
    assert s["margin"] == pytest.approx(0.5) and s["strength"] == pytest.approx(0.5)
    assert s["missing"] == 1.0 and s["missing_everywhere"] == 0.0  # the third passage has "tuổi"
    assert (s["intent"], s["intent_met"], s["plain"], s["named"]) == (1.0, 0.0, 1.0, 0.0)
