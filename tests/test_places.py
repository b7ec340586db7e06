"""Questions that name a place in a document ("Điều 8 Quy định 294", "điểm 4.3.2"): the
passages at that place, in reading order or by what else the question asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.render import render_answer_text
from index.indexer import reindex
from index.places import find_places, matches
from index.search import Searcher

REGULATION = "294-QĐ/TW"


def located(searcher: Searcher, question: str, k: int = 10) -> list[tuple[str, str | None, int]]:
    answer = searcher.ask(question, k=k)
    assert answer.answered, question
    return [(h.document.code or "", h.passage.location, h.passage.ordinal) for h in answer.hits]


@pytest.mark.parametrize("question", [
    "Điều 8 Quy định 294",
    "QĐ 294 điều 8 nói gì?",
    "dieu 8 qd 294",
    "ĐIỀU 8 QUY ĐỊNH 294-QĐ/TW",
])
def test_an_article_of_a_named_document_is_read_in_order(searcher: Searcher, question: str) -> None:
    hits = located(searcher, question)
    assert {code for code, _, _ in hits} == {REGULATION}
    assert all(matches({"dieu": "8"}, loc) for _, loc, _ in hits)
    ordinals = [o for _, _, o in hits]
    assert ordinals == sorted(ordinals) and len(hits) >= 3


def test_every_passage_of_the_article_can_be_paged_through(searcher: Searcher) -> None:
    first = searcher.ask("Điều 8 Quy định 294", k=3)
    rest = searcher.ask("Điều 8 Quy định 294", k=3, offset=3)
    assert first.total == rest.total > 3
    seen = [h.passage.passage_id for h in first.hits + rest.hits]
    assert len(set(seen)) == len(seen)


def test_a_point_holds_its_sub_points(searcher: Searcher) -> None:
    hits = located(searcher, "điểm 4.3.2 Quy định 294")
    assert [loc for _, loc, _ in hits] == sorted(loc for _, loc, _ in hits)  # a), b), c), d)
    assert all(loc and "điểm 4.3.2" in loc for _, loc, _ in hits) and len(hits) == 4


def test_the_rest_of_the_question_ranks_within_the_article(searcher: Searcher) -> None:
    in_order = located(searcher, "Điều 8 Quy định 294")
    asked = located(searcher, "Theo Điều 8 Quy định 294, không giải quyết những trường hợp khiếu nại nào?")
    assert sorted(asked) == sorted(in_order)  # the same passages ...
    assert asked[0] != in_order[0]  # ... the one about complaints first
    abroad = searcher.ask("Điều 8 Quy định 294, đảng viên ở ngoài nước").hits[0]
    assert "ở ngoài nước" in abroad.passage.text and abroad.passage.location == "Điều 8, điểm 8.2.4"


def test_a_place_no_document_has_is_said_plainly(searcher: Searcher) -> None:
    answer = searcher.ask("Điều 99 Quy định 294")
    assert not answer.answered and answer.reason == "unknown_place"
    assert "chưa tìm thấy điều, khoản hoặc điểm" in render_answer_text(answer)
    assert searcher.ask("Điều 8 Quy định 999").reason == "unknown_code"


def test_a_question_that_only_cites_a_place_is_searched_as_typed(searcher: Searcher) -> None:
    # the guidance has no "Điều 1" labels, and the rest of the question says what to find
    answer = searcher.ask("Theo Điều 1 Điều lệ Đảng, người vào Đảng phải đủ bao nhiêu tuổi?")
    assert "đủ 18 tuổi" in answer.hits[0].passage.text
    assert not answer.hits[0].missing


def test_a_place_of_another_document_is_only_a_hint(searcher: Searcher) -> None:
    """Quy định 294 has a Điều 8, but it is not the labour code's: with no document named and
    nothing there covering the question, the question is searched as typed."""
    labour = searcher.ask("Theo Điều 8 Bộ luật Lao động, người lao động được nghỉ phép năm mấy ngày?")
    assert not any((h.passage.location or "").startswith("Điều 8") for h in labour.hits)
    ours = searcher.ask("Điều 8, trường hợp nào bị xóa tên?")  # no document named, and it answers
    assert ours.hits[0].passage.location.startswith("Điều 8")


def test_words_after_dieu_are_not_places() -> None:
    assert find_places("Điều kiện kết nạp lại là gì?")[0] == {}
    assert find_places("Điều lệ Đảng quy định đảng viên có mấy quyền?")[0] == {}
    assert find_places("khoản 2 triệu đồng")[0] == {}  # a clause number alone names no place


def test_a_new_document_s_places_are_found_after_a_reindex(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    reindex(own_corpus, data)
    searcher = Searcher.open(data)
    before = searcher.ask("Điều 2", k=50)  # reads the labels of this generation
    (own_corpus / "quy-che-chi-bo.txt").write_text(
        "QUY CHẾ LÀM VIỆC CỦA CHI BỘ THÔN ĐÔNG\n\n"
        "Điều 1. Chế độ sinh hoạt\n\n"
        "Chi bộ thôn Đông sinh hoạt thường kỳ vào ngày mồng năm hằng tháng tại nhà văn hóa thôn.\n\n"
        "Điều 2. Phân công nhiệm vụ\n\n"
        "Bí thư chi bộ phụ trách chung; phó bí thư phụ trách công tác dân vận ở khu dân cư.\n",
        encoding="utf-8",
    )
    reindex(own_corpus, data)
    after = searcher.ask("Điều 2", k=50)  # the open searcher follows the new generation
    new = [h for h in after.hits if h.document.path == "quy-che-chi-bo.txt"]
    assert all(h.document.path != "quy-che-chi-bo.txt" for h in before.hits)
    assert [h.passage.location for h in new] == ["Điều 2"] and "phó bí thư" in new[0].passage.text
