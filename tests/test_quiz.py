"""Quiz questions from the shipped documents (index/quiz.py): every rule checked on real
passages, no answer written down by hand."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from test_cli import run

from index.quiz import (
    BLANK,
    MAX_EXPLANATION,
    MAX_OPTION,
    MAX_QUESTION,
    Bank,
    QuizQuestion,
    bodies,
    bound_of,
    corpus_bank,
    number_value,
    quantities,
    relative,
)
from index.search import Searcher
from index.text import normalize


@pytest.fixture(scope="module")
def bank(searcher: Searcher) -> Bank:
    return corpus_bank(searcher)


def plain(text: str) -> str:
    return " ".join(normalize(text).lower().split())


def passage_with(searcher: Searcher, words: str) -> str:
    """The text of the one passage of the shipped corpus holding these words."""
    rows = searcher.store.db.execute("SELECT text FROM passages WHERE text LIKE ?", [f"%{words}%"]).fetchall()
    assert rows, words
    return str(rows[0][0])


def test_the_corpus_yields_questions_of_every_kind(bank: Bank) -> None:
    kinds = {q.kind for q in bank.questions}
    assert kinds == {"quantity", "body", "list"}
    assert len(bank.questions) >= 40


def test_every_question_fits_telegrams_limits(bank: Bank) -> None:
    for q in bank.questions:
        assert 0 < len(q.question) <= MAX_QUESTION and q.question.count(BLANK) == 1
        assert 3 <= len(q.options) <= 4 and len(set(q.options)) == len(q.options)
        assert all(0 < len(o) <= MAX_OPTION for o in q.options)
        assert len(q.explanation) <= MAX_EXPLANATION and q.explanation.startswith("Nguồn:")


def test_the_right_option_is_the_passages_words_and_the_wrong_ones_are_not(bank: Bank) -> None:
    for q in bank.questions:
        assert plain(q.answer) in plain(q.passage), q
        if q.kind != "list":
            for wrong in (o for o in q.options if o != q.answer):
                assert not re.search(rf"(?<!\w){re.escape(plain(wrong))}(?!\w)", plain(q.passage)), (wrong, q)


def test_the_answer_is_not_left_in_the_question(bank: Bank) -> None:
    for q in bank.questions:
        if q.kind == "body":
            assert not re.search(rf"(?<!\w){re.escape(plain(q.answer))}(?!\w)", plain(q.question)), q


def value(q: QuizQuestion, option: str) -> tuple[str, Fraction | None]:
    found = quantities(option.lower())
    return (found[0].group, found[0].key[1]) if found else ("", None)  # type: ignore[return-value]


def test_no_wrong_option_equals_the_right_one_by_value(bank: Bank) -> None:
    """'mười hai tháng' and '12 tháng' are one answer; so are '1 năm' and '12 tháng'."""
    def months(group: str, v: Fraction | None) -> tuple[str, Fraction | None]:
        return ("tháng", v * 12) if group == "năm" and v is not None else (group, v)

    for q in (q for q in bank.questions if q.kind == "quantity"):
        right = months(*value(q, q.answer))
        assert right[1] is not None, q.answer
        assert all(months(*value(q, o)) != right for o in q.options if o != q.answer), q


def test_wrong_options_are_of_the_same_kind(bank: Bank) -> None:
    for q in (q for q in bank.questions if q.kind == "quantity"):
        assert len({value(q, o)[0] for o in q.options}) == 1, q.options
    for q in (q for q in bank.questions if q.kind == "body"):
        assert all(bodies(f"do {o.lower()} quyết định") for o in q.options), q.options


def test_a_date_is_not_a_duration(searcher: Searcher) -> None:
    text = passage_with(searcher, "thông qua ngày 19 tháng 01 năm 2011")
    assert quantities(text) == []


def test_numbers_in_words_and_digits(searcher: Searcher) -> None:
    text = passage_with(searcher, "thời kỳ dự bị mười hai tháng")
    assert [(f.text, f.key) for f in quantities(text)] == [("mười hai tháng", ("tháng", Fraction(12)))]
    assert number_value("8.137") == 8137 and number_value("97,08") == Fraction(9708, 100)


def test_a_fact_in_a_series_is_not_asked(searcher: Searcher, bank: Bank) -> None:
    """'Huy hiệu Đảng 30 năm, 40 năm, 45 năm, …': the blank is guessed from its neighbours."""
    series = passage_with(searcher, "45 năm, 50 năm, 55 năm")
    assert bank.rejected["series"] > 0
    assert not [q for q in bank.questions if q.passage == series]


def test_bodies_named_by_relation_are_neither_asked_nor_offered(bank: Bank) -> None:
    for q in (q for q in bank.questions if q.kind == "body"):
        assert not any(relative(plain(o)) for o in q.options), q.options
    assert bank.rejected["relative"] > 0


def test_a_required_bound_takes_wrong_values_beyond_it(searcher: Searcher) -> None:
    """'ít nhất một năm' makes 'ít nhất sáu tháng' true: wrong values must lie above it."""
    text = passage_with(searcher, "cùng công tác với người vào Đảng ít nhất một năm")
    fact = next(f for f in quantities(text) if f.text == "một năm")
    assert bound_of(text, fact) == "lower"


def test_a_bound_in_a_condition_is_turned_round(searcher: Searcher) -> None:
    """'Chi bộ có 9 đảng viên chính thức trở lên bầu chi ủy': a larger number is true too."""
    text = passage_with(searcher, "đảng viên chính thức trở lên bầu chi ủy")
    fact = next(f for f in quantities(text) if f.key[0] == "đảng viên")
    assert bound_of(text, fact) == "upper"


def test_a_deadline_is_an_upper_bound(searcher: Searcher) -> None:
    text = passage_with(searcher, "Trong vòng 30 ngày làm việc kể từ ngày giới thiệu chuyển đi")
    fact = next(f for f in quantities(text) if f.group == "ngày làm việc")
    assert bound_of(text, fact) == "upper"


def test_pick_mixes_kinds_skips_asked_passages_and_keeps_to_a_scope(bank: Bank, searcher: Searcher) -> None:
    first = bank.pick(6, seed=1)
    assert len({q.passage_id for q in first}) == 6 and len({q.kind for q in first}) == 3
    again = bank.pick(6, exclude=[q.passage_id for q in first], seed=1)
    assert not {q.passage_id for q in again} & {q.passage_id for q in first}
    charter = [d.doc_id for d in searcher.find_documents("Điều lệ Đảng") if "Điều lệ" in d.title]
    assert {q.doc_id for q in bank.pick(5, within=charter)} <= set(charter)


def test_cli_quiz_json_prints_the_fields_the_bot_sends(shipped_index: Path) -> None:
    out = run(["quiz", "--json", "--n", "3", "--doc", "294", "--seed", "2"], shipped_index)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 3
    for q in rows:
        assert {"question", "options", "correct_option_id", "explanation", "passage", "passage_id", "doc_id",
                "location"} <= set(q)
        assert "294-QĐ/TW" in q["question"] and "294-QĐ/TW" in q["explanation"]
        assert q["options"][q["correct_option_id"]].lower() in normalize(q["passage"]).lower()


def test_cli_quiz_names_an_unknown_document(shipped_index: Path) -> None:
    out = run(["quiz", "--doc", "Nghị quyết 99"], shipped_index)
    assert out.returncode == 1 and "Nghị quyết 99" in out.stderr and not out.stdout
