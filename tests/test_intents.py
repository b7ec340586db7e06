"""index/intents.py: what a question wants, and whether a passage states it."""

from __future__ import annotations

import pytest

from index.intents import carries, intent_of

WANTS = [
    ("Người vào Đảng phải đủ bao nhiêu tuổi?", "age"),
    ("em gai em 17 tuoi, bn tuoi thi duoc vao dang", "age"),
    ("Hết dự bị bao lâu thì được xét chính thức?", "duration"),
    ("Thời hạn khiếu nại kỷ luật là mấy ngày?", "duration"),
    ("Chi bộ có bao nhiêu đảng viên thì được bầu chi ủy?", "number"),
    ("Ai quyết định kết nạp đảng viên?", "body"),
    ("cap nao duyet ket nap dang vien", "body"),
    ("Trường hợp nào đảng viên được miễn sinh hoạt?", "condition"),
    ("Hồ sơ xin vào Đảng gồm những gì?", "list"),
    ("Chi bộ sinh hoạt qua Google Meet được không?", "permission"),
    ("dang vien du bi co duoc bieu quyet khong", "permission"),
]


@pytest.mark.parametrize(("question", "name"), WANTS)
def test_what_a_question_wants(question: str, name: str) -> None:
    intent = intent_of(question)
    assert intent is not None and intent.name == name


@pytest.mark.parametrize("question", ["Chỉ thị 05 về học tập và làm theo Bác", "thẻ đảng viên"])
def test_a_question_asking_for_no_kind_of_answer(question: str) -> None:
    assert intent_of(question) is None


STATES = [
    ("bao nhiêu tuổi", "Người vào Đảng phải đủ 18 tuổi đến đủ 60 tuổi", True),
    ("bao nhiêu tuổi", "Đảng viên tuổi cao, sức khỏe yếu", False),
    ("bao lâu", "Trong thời hạn 30 ngày làm việc, kể từ ngày nhận được quyết định", True),
    ("bao lâu", "12.4.2. Ban kiểm phiếu có nhiệm vụ:", False),  # its own label is no duration
    ("ai quyết định", "do cấp ủy có thẩm quyền quyết định", True),
    ("trường hợp nào", "Trường hợp đảng viên đi làm ăn xa", True),
]


@pytest.mark.parametrize(("question", "text", "stated"), STATES)
def test_whether_a_passage_states_what_is_asked(question: str, text: str, stated: bool) -> None:
    assert carries(intent_of(question), text) is stated
