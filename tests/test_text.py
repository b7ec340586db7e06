"""Analysis: the same terms for documents and questions, whatever the spelling."""

from __future__ import annotations

import pytest

from index.text import (
    QUESTION_PHRASES,
    analyze,
    content_terms,
    expand_abbreviations,
    find_codes,
    fold,
    normalize,
    regroup,
    reworded,
)


@pytest.mark.parametrize(
    "spelling",
    ["05-CT/TW", "05-CT-TW", "05/CT-TW", "05 -CT/TW", "5-CT/TW", "Chỉ thị số 05-CT/TW", "ct 05-ct/tw"],
)
def test_full_code_spellings_meet(spelling: str) -> None:
    assert {"5-ct", "5-ct-tw"} <= set(find_codes(spelling))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Chỉ thị 05", "5-ct"),
        ("chi thi so 05", "5-ct"),
        ("CT05", "5-ct"),
        ("Kết luận số 01- KL/TW", "1-kl-tw"),
        ("44-KH/ĐUK", "44-kh-duk"),
        ("08-QĐi/TW", "8-qd-tw"),
        ("294-QĐ/TW", "294-qd-tw"),
        ("Quy định 294", "294-qd"),
        ("NQ 58", "58-nq"),
        ("nghi quyet 58", "58-nq"),
    ],
)
def test_codes_are_one_term(text: str, code: str) -> None:
    assert code in find_codes(text)


def test_dates_and_numbers_are_not_codes() -> None:
    assert find_codes("ngày 18-5-2021, 1.1.2 và 30 ngày") == ()


def test_a_kind_abbreviation_that_is_also_a_syllable_needs_capitals() -> None:
    """Regression: "tối đa 03 năm" (at most 3 years) was read as the code "ĐA 03"."""
    assert find_codes("bị phạt tù tối đa 03 năm") == ()
    assert find_codes("Theo ĐA 03 của Tỉnh ủy") == ("3-da",)


@pytest.mark.parametrize(
    ("old", "new"),
    [("uỷ", "ủy"), ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Đảng uỷ Khối", "Đảng ủy Khối")],
)
def test_tone_mark_placements_are_one_word(old: str, new: str) -> None:
    assert normalize(old) == new
    assert analyze(old).words == analyze(new).words


def test_nfd_input_is_composed() -> None:
    import unicodedata

    assert analyze(unicodedata.normalize("NFD", "Đảng viên")).words == analyze("Đảng viên").words


def test_segmentation_joins_words_and_drops_punctuation() -> None:
    a = analyze("Học tập và làm theo tư tưởng Hồ Chí Minh.")
    assert "học_tập" in a.words and "tư_tưởng" in a.words
    assert all(ch.isalnum() or ch == "_" for w in a.words for ch in w)


def test_folding_makes_unaccented_questions_meet() -> None:
    assert analyze("kết luận").folds == analyze("ket luan", question=True).folds == ("ket", "luan")
    assert fold("Đảng ủy") == "dang uy"
    assert not analyze("ket luan 01 ngay nao", question=True).accented
    assert analyze("kết luận").accented


@pytest.mark.parametrize(
    ("abbr", "full"),
    [("NQ", "nghị quyết"), ("TCCS", "tổ chức cơ sở"), ("ĐUK", "đảng ủy khối"), ("CBĐV", "cán bộ đảng viên"),
     ("HĐND", "hội đồng nhân dân"), ("UBND", "ủy ban nhân dân"), ("BCT", "bộ chính trị"), ("BCH", "ban chấp hành")],
)
def test_abbreviations_expand_both_ways(abbr: str, full: str) -> None:
    assert analyze(f"các {abbr} tỉnh").sylls == analyze(f"các {full} tỉnh").sylls


def test_casual_lowercase_abbreviations_only_in_questions() -> None:
    assert "tổ" in analyze("tccs la gi", question=True).sylls
    assert expand_abbreviations("ct của tôi") == "ct của tôi"
    # "đv" / "dv" (no vowel, no other casual meaning) are đảng viên; "kh" is casual "không"
    for typed in ("đv dự bị", "dv du bi", "ĐV dự bị"):
        assert analyze(typed, question=True).sylls[:2] == ("đảng", "viên"), typed
    assert expand_abbreviations("kh biết", casual=True) == "kh biết"
    assert "đảng" not in analyze("đv dự bị").sylls  # passages keep what they say


def test_content_terms_drop_question_words() -> None:
    assert content_terms(analyze("Người vào Đảng phải đủ bao nhiêu tuổi?")) == ("người", "đảng", "đủ", "tuổi")
    assert content_terms(analyze("nguoi vao dang phai du bao nhieu tuoi", question=True)) == (
        "nguoi", "dang", "du", "tuoi")


@pytest.mark.parametrize(
    "question",
    ["Thời hạn dự bị là bao lâu?", "thoi han du bi la bao lau", "Bao giờ thì xét thời hạn dự bị?",
     "bao gio thi xet thoi han du bi"],
)
def test_how_long_and_when_are_question_words(question: str) -> None:
    terms = set(content_terms(analyze(question, question=True)))
    assert {fold(t) for t in terms} >= {"thoi", "han", "du"}
    assert not {fold(t) for t in terms} & {"bao", "lau", "gio"}


@pytest.mark.parametrize("question", ["Thế nào là đảng viên dự bị?", "Như thế nào là vi phạm tư cách đảng viên?"])
def test_question_phrases_split_across_words_are_still_question_words(question: str) -> None:
    """"Thế nào là …" segments as "thế | nào_là": the question phrase must not become content."""
    terms = content_terms(analyze(question, question=True))
    assert not {"thế", "nào", "như"} & set(terms) and "đảng" in terms


def test_regroup_keeps_words_a_phrase_does_not_touch() -> None:
    assert regroup(["như_thế", "nào", "là", "vi_phạm"], QUESTION_PHRASES) == ["như_thế_nào", "là", "vi_phạm"]
    assert regroup(["đảng_viên", "dự_bị"], QUESTION_PHRASES) == ["đảng_viên", "dự_bị"]


@pytest.mark.parametrize("hostile", ["", "   ", "<b>x</b>", "'; DROP TABLE passages; --", "\x00\x01\x1b[31m",
                                     "title:foo AND (bar OR", "a" * 5000, "🙂" * 50])
def test_hostile_text_analyses_without_error(hostile: str) -> None:
    a = analyze(hostile, question=True)
    assert isinstance(a.words, tuple)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Bố mẹ đảng viên có phải thẩm tra không?", "cha mẹ đảng viên có phải thẩm tra không?"),
        ("Nộp đảng phí ở đâu?", "đóng đảng phí ở đâu?"),
        ("Lớp cảm tình Đảng học mấy ngày?", "Lớp nhận thức về đảng học mấy ngày?"),
        ("Tối thiểu bao nhiêu đảng viên tán thành?", "ít nhất bao nhiêu đảng viên đồng ý?"),
    ],
)
def test_everyday_phrases_are_reworded_as_the_documents_say_them(question: str, expected: str) -> None:
    assert reworded(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "Thẻ đảng viên dùng để làm gì?",  # the documents' phrase holds the everyday one ("thẻ đảng")
        "Ai bố trí công tác cho đảng viên?",  # "bố" is "cha" only beside "mẹ" or "đẻ"
        "Đảng viên nộp đơn xin ra khỏi Đảng ở đâu?",  # "nộp" is "đóng" only before "đảng phí"
        "Chi bộ đồng ý kết nạp khi nào?",
    ],
)
def test_the_documents_wording_and_other_senses_are_left_alone(question: str) -> None:
    assert reworded(question) is None
