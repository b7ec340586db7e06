"""index/rank.py: the ranking stage's pure functions, without an index."""

from __future__ import annotations

import pytest

from index.engine import Clause
from index.intents import intent_of
from index.models import Document, Passage
from index.rank import (
    Candidate,
    Row,
    Stats,
    answers,
    codes_first,
    collapse,
    coverage,
    fuse,
    ideal,
    score,
    units,
)
from index.text import analyze

STATS = Stats.fixed({("sylls", "tuổi"): 2, ("sylls", "người"): 50, ("sylls2", "kết_nạp"): 10,
                     ("words", "kết_nạp"): 10}, 100)


def passage(pid: str, text: str, doc: str = "d") -> Passage:
    return Passage(pid, doc, int(pid[-1]) if pid[-1].isdigit() else 1, text)


def row(pid: str, text: str, bm25: float, doc: str = "d") -> Row:
    a = analyze(text)
    cols = {"t_sylls": " ".join(a.sylls), "t_folds": " ".join(a.folds), "t_words": " ".join(a.words),
            "t_title": "", "t_codes": " ".join(a.codes), "t_doccode": ""}
    return Row(passage(pid, text, doc), cols, bm25)


def test_units_weigh_rare_words_more() -> None:
    weights = dict(units(analyze("người kết nạp tuổi"), STATS))
    assert weights[("tuổi",)] > weights[("kết", "nạp")] > weights[("người",)]


def test_coverage_is_the_weighted_share_held_and_names_what_lacks() -> None:
    a = analyze("người kết nạp tuổi")
    cover = coverage(a, STATS, [(r.passage, r.columns) for r in (row("p1", "Người được kết nạp đủ 18 tuổi", 1.0),
                                                                    row("p2", "Người được kết nạp", 1.0))])
    assert cover["p1"] == (1.0, ())
    share, missing = cover["p2"]
    assert 0 < share < 0.5 and missing == ("tuổi",)


def test_score_is_bm25_times_coverage_and_lifts_a_passage_stating_what_is_asked() -> None:
    a = analyze("kết nạp bao nhiêu tuổi")
    rows = [row("p1", "Kết nạp người đủ 18 tuổi", 10.0), row("p2", "Kết nạp người theo tuổi", 10.0)]
    plain = {c.passage.passage_id: c.score for c in score(a, rows, STATS)}
    age = intent_of("bao nhiêu tuổi")
    lifted = {c.passage.passage_id: c.score for c in score(a, rows, STATS, intent=age, boost=0.2)}
    assert plain["p1"] == pytest.approx(10.0)  # covers the question: BM25 unchanged
    assert lifted == {"p1": pytest.approx(12.0), "p2": pytest.approx(plain["p2"])}  # only p1 states an age


def test_fuse_keeps_each_passage_best_score_best_first() -> None:
    p, q = passage("p1", "a"), passage("p2", "b")
    fused = fuse([[Candidate(p, 1.0, 0.5), Candidate(q, 3.0, 0.5)], [Candidate(p, 4.0, 0.9)]])
    assert [(c.passage.passage_id, c.score, c.coverage) for c in fused] == [("p1", 4.0, 0.9), ("p2", 3.0, 0.5)]


def test_codes_first_puts_the_named_document_first() -> None:
    docs = {"a": Document("a", "a", "a.txt", "A"), "b": Document("b", "b", "b.txt", "B", code="05-CT/TW")}
    cands = [Candidate(passage("p1", "x", "a"), 9.0, 1.0), Candidate(passage("p2", "y", "b"), 1.0, 1.0)]
    ordered = codes_first(analyze("Chỉ thị 05"), cands, docs.__getitem__)
    assert [c.passage.passage_id for c in ordered] == ["p2", "p1"]


def test_collapse_skips_near_duplicates_of_a_better_passage() -> None:
    text = "đảng viên phải đóng đảng phí đầy đủ theo quy định hằng tháng"
    cands = [Candidate(passage("p1", text), 2.0, 1.0), Candidate(passage("p2", text + " nhé"), 1.0, 1.0),
             Candidate(passage("p3", "một đoạn khác hẳn về kết nạp"), 0.5, 1.0)]
    assert [c.passage.passage_id for c in collapse(cands, {})] == ["p1", "p3"]


def test_answers_applies_a_bar_to_the_first_and_another_to_the_rest() -> None:
    cands = [Candidate(passage(f"p{i}", "x"), 1.0, c) for i, c in enumerate((0.6, 0.3, 0.1), 1)]
    assert [c.passage.passage_id for c in answers(cands, 0.5, 0.2, False, 5)] == ["p1", "p2"]
    assert answers(cands, 0.7, 0.2, False, 5) == []  # the first shown must cover 0.7
    assert len(answers(cands, 0.7, 0.2, True, 5)) == 2  # a named code: the first needs only the others' bar


def test_ideal_is_the_sum_of_boosted_idfs() -> None:
    spec = [Clause("sylls", "tuổi", 2.0), Clause("sylls", "người", 1.0)]
    assert ideal(spec, STATS) == pytest.approx(2 * STATS.idf("sylls", "tuổi") + STATS.idf("sylls", "người"))
