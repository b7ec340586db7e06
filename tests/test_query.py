"""index/query.py: a question is read once - accents, readings, source, place, intent."""

from __future__ import annotations

import pytest

from index.models import Reason
from index.query import interpret, lexicon
from index.search import Searcher


@pytest.mark.parametrize(("text", "reason"), [("", Reason.EMPTY), ("?!…", Reason.EMPTY), ("a" * 1001, Reason.TOO_LONG)])
def test_nothing_to_look_for_is_refused_at_once(searcher: Searcher, text: str, reason: Reason) -> None:
    q = interpret(text, searcher.generation())
    assert q.refusal is reason and q.analysis is None


def test_a_question_typed_without_diacritics_is_read_with_them(searcher: Searcher) -> None:
    q = interpret("dang vien du bi co duoc bieu quyet khong", searcher.generation())
    assert q.read_as == "đảng viên dự bị có được biểu quyết không" and q.plain
    assert q.analysis is not None and "dự_bị" in q.analysis.words
    assert q.intent is not None and q.intent.name == "permission"


def test_everyday_words_give_a_reading_in_the_documents_words(searcher: Searcher) -> None:
    q = interpret("Mẹ em mới qua đời, nhà em có phải nộp lại thẻ đảng không?", searcher.generation())
    assert q.readings and "từ trần" in " ".join(q.readings[0].sylls)


def test_a_source_named_up_front_says_where_to_look(searcher: Searcher) -> None:
    q = interpret("Theo Quy định 294, người vào Đảng phải đủ bao nhiêu tuổi?", searcher.generation())
    assert q.analysis is not None and "294-qd" in q.analysis.codes
    assert [c.field for c in q.source] and all(c.field == "title" for c in q.source)
    assert q.intent is not None and q.intent.name == "age"


def test_a_place_and_the_rest_of_the_question(searcher: Searcher) -> None:
    q = interpret("Điều 8 Quy định 294, khiếu nại", searcher.generation())
    assert q.place == {"dieu": "8"} and q.rest is not None and "khiếu_nại" in q.rest.words


def test_the_lexicon_is_keyed_by_the_documents_wording() -> None:
    groups = {g[0]: g[1:] for g in lexicon()}
    assert len(groups) > 200 and "qua đời" in groups["từ trần"]
