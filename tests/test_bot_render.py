"""Telegram HTML rendering, checked by the stand-in's parser (the rules Telegram applies)."""

from __future__ import annotations

import pytest
from fake_telegram import ApiError, check_markup, check_text, parse_html, text_entities

from bot import texts
from bot.keyboards import answer_keyboard, parse
from bot.render import (
    TELEGRAM_LIMIT,
    answer_json,
    citation_html,
    escape_html,
    hit_json,
    html_length,
    mark_html,
    render_answer_html,
    render_answer_text,
    render_hit_html,
    render_hit_text,
    render_passage_html,
    render_usage_html,
    screenful,
    summary_html,
    summary_line,
)
from index.indexer import IndexSummary
from index.logbook import AskedQuestion, DayUsage, Usage
from index.models import Answer, Confidence, Document, Hit, Passage

DOC = Document("d1", "qd-294", "qd-294.pdf", "Quy định thi hành Điều lệ Đảng", code="294-QĐ/TW",
               kind="Quy định", issuer="Ban Chấp hành Trung ương", date="2025-05-26",
               url="https://example.org/van-ban?a=1&b=2")


def hit(rank: int, excerpt: str, marks: tuple[tuple[int, int], ...] = ()) -> Hit:
    passage = Passage(f"p{rank}", "d1", rank, excerpt, "Điều 1, điểm 1.1.1")
    return Hit(rank, 1.0, DOC, passage, excerpt, marks)


def test_hit_is_a_blockquote_with_bold_matches_and_citation() -> None:
    excerpt = "Người vào Đảng phải đủ 18 tuổi."
    html = render_hit_html(hit(1, excerpt, ((23, 25), (26, 30))))
    assert html == (
        "<blockquote>Người vào Đảng phải đủ <b>18</b> <b>tuổi</b>.</blockquote>\n"
        "<b>1.</b> <i>294-QĐ/TW – Quy định thi hành Điều lệ Đảng</i> · Ban Chấp hành Trung ương"
        " · ngày 26/05/2025 · Điều 1, điểm 1.1.1 · "
        '<a href="https://example.org/van-ban?a=1&amp;b=2">Xem văn bản</a>'
    )
    plain, entities = check_text(html, "HTML")
    assert {e["type"] for e in entities} == {"blockquote", "bold", "italic", "text_link"}


def test_a_quote_that_lacks_question_words_says_so() -> None:
    lacking = Hit(1, 1.0, DOC, Passage("p1", "d1", 1, "Chi bộ họp.", None), "Chi bộ họp.", (), ("hưu trí", "<mức>"))
    html = render_hit_html(lacking)
    plain, entities = check_text(html, "HTML")
    assert plain.endswith("Đoạn này không nhắc đến: «hưu trí», «<mức>»")
    assert "italic" in {e["type"] for e in entities}
    assert "không nhắc đến" not in render_hit_html(hit(1, "Chi bộ họp."))
    assert render_hit_text(lacking).endswith("(Đoạn này không nhắc đến: «hưu trí», «<mức>»)")
    assert hit_json(lacking)["missing"] == ["hưu trí", "<mức>"]


def test_an_answer_read_with_diacritics_put_back_says_so_first() -> None:
    answer = Answer("dang phi <dong> the nao", True, (hit(1, "Đảng phí."),), total=1, read_as="Đảng phí <đóng> thế nào")
    line = "Tôi hiểu câu hỏi là: «Đảng phí <đóng> thế nào»"
    first = render_answer_html(answer)[0]
    assert first.startswith("<i>Tôi hiểu câu hỏi là: «Đảng phí &lt;đóng&gt; thế nào»</i>\n\n<blockquote>")
    assert check_text(first, "HTML")[0].startswith(line)
    assert line not in render_answer_html(answer, header="<b>Thêm kết quả</b>")[0]  # said once, not on "more"
    assert render_answer_text(answer).startswith(f"({line})\n\n1. «")
    assert answer_json(answer)["read_as"] == "Đảng phí <đóng> thế nào"
    unread = Answer("gia vang", False, reason="no_match", read_as="Gia vắng")  # a garbled reading
    assert "Gia vắng" not in render_answer_text(unread) and "gõ lại câu hỏi có dấu" in render_answer_text(unread)
    assert "gõ lại câu hỏi có dấu" in render_answer_html(unread)[0] and "Gia vắng" not in render_answer_html(unread)[0]
    assert "có dấu" not in render_answer_text(Answer("Giá vàng", False, reason="no_match"))
    assert "Tôi hiểu" not in render_answer_text(Answer("Đảng phí", True, (hit(1, "Đảng phí."),), total=1))


def test_a_related_answer_says_first_it_may_not_answer() -> None:
    """The `related` tier: the same quotes as an answer, under one plain line."""
    hits = (hit(1, "Chi bộ họp."), hit(2, "Đảng viên <dự bị>."))
    related = Answer("họp online", False, hits, total=2, confidence=Confidence.RELATED, read_as="họp online")
    sure = Answer("họp online", True, hits, total=2, read_as="họp online")
    (message,) = render_answer_html(related)
    assert message == (f"<i>Tôi hiểu câu hỏi là: «họp online»</i>\n{texts.RELATED}\n\n"
                       + render_answer_html(sure)[0].split("\n\n", 1)[1])
    plain, entities = check_text(message, "HTML")
    assert plain.splitlines()[1] == texts.RELATED and "đồng chí" in texts.RELATED
    assert texts.RELATED not in render_answer_html(sure)[0]
    assert render_answer_html(related, header="<b>Thêm</b>")[0].startswith(f"<b>Thêm</b>\n{texts.RELATED}\n\n")
    text = render_answer_text(related)
    assert text.startswith(f"(Tôi hiểu câu hỏi là: «họp online»)\n\n{texts.RELATED}\n\n1. «")
    assert texts.RELATED not in render_answer_text(sure)
    got = answer_json(related)
    assert (got["answered"], got["confidence"], [r["rank"] for r in got["results"]]) == (False, "related", [1, 2])
    assert answer_json(sure)["confidence"] == "answer"
    nothing = answer_json(Answer("x", False, reason="no_match"))
    assert (nothing["answered"], nothing["confidence"], nothing["results"]) == (False, "none", [])


def test_a_reply_keeps_the_quotes_that_fit_one_phone_screen() -> None:
    long = "Đảng viên phải gương mẫu. " * 22  # about 570 characters a quote, 720 with its citation
    answer = Answer("q", True, tuple(hit(i, long) for i in (1, 2, 3)), total=4)
    kept = screenful(answer)
    assert [h.rank for h in kept.hits] == [1, 2] and kept.total == 4  # the third comes with "Xem thêm"
    assert sum(html_length(m) for m in render_answer_html(kept)) <= 1600
    short = Answer("q", True, tuple(hit(i, "Chi bộ họp.") for i in (1, 2, 3)), total=3)
    assert screenful(short) is short
    huge = Answer("q", True, (hit(1, long * 3),), total=1)
    assert screenful(huge) is huge  # one quote is always shown


def test_usage_counts_the_tiers_and_lists_the_unsure_and_the_disliked() -> None:
    usage = Usage(days=(DayUsage("2026-05-20", 5, 2, 1),), asked=5, answered=2, related=1, users=2,
                  unsure=(AskedQuestion("Giá <vàng>", "related", 2, 1), AskedQuestion("Thời tiết", "none", 1)),
                  disliked=(AskedQuestion("Đảng phí?", "answer", 3, 1),), feedback_up=1, feedback_down=2,
                  by_chat_type=(("private", 5),))
    html = render_usage_html(usage)
    plain, _ = check_text(html, "HTML")
    assert ("Câu hỏi: 5 · trả lời được 2 (40%) · 2 người hỏi\n"
            "Chưa chắc (trích đoạn gần nhất): 1 · không tìm thấy: 2") in plain
    assert "• 20/05/2026: 5 câu hỏi, trả lời được 2, chưa chắc 1, không tìm thấy 2" in plain
    assert "1. 🔸 «Giá <vàng>» — 2 lần · 👎 1\n2. ▫️ «Thời tiết» — 1 lần\n" in plain
    assert "Câu trả lời bị chê gần đây:\n1. ✅ «Đảng phí?» — 3 lần · 👎 1\nGóp ý: 👍 1 · 👎 2" in plain


def test_everything_is_escaped() -> None:
    evil = '<script>alert("x")</script> & <b>not bold</b> &amp; </blockquote>'
    doc = Document("d", "s", "p", evil, code="<i>", issuer="A & B", url="javascript:alert(1)")
    h = Hit(1, 1.0, doc, Passage("p", "d", 1, evil, "<Điều>"), evil, ((0, 8),))
    html = render_hit_html(h)
    plain, _ = check_text(html, "HTML")
    assert evil in plain and "javascript" not in html
    assert escape_html("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert check_text(citation_html(doc, None), "HTML")


def test_overlapping_or_bad_marks_never_break_the_html() -> None:
    assert mark_html("abcdef", ((0, 3), (2, 4), (5, 5), (4, 6))) == "<b>abc</b>d<b>ef</b>"


def test_long_answers_split_at_passage_boundaries_and_each_message_is_valid() -> None:
    sentence = "Chi bộ & đảng viên <phải> gương mẫu thực hiện nghị quyết. "
    hits = tuple(hit(i, sentence * 30, ((0, 6),)) for i in range(1, 4))
    messages = render_answer_html(Answer("q", True, hits, total=3))
    assert len(messages) == 2
    for message in messages:
        plain, _ = check_text(message, "HTML")
        assert len(plain) <= TELEGRAM_LIMIT
        assert message.count("<blockquote>") == message.count("</blockquote>")


def test_a_single_huge_quote_is_cut_to_fit() -> None:
    html = render_hit_html(hit(1, "Đảng viên " * 1000))
    plain, _ = check_text(html, "HTML")
    assert len(plain) <= TELEGRAM_LIMIT and "…</blockquote>" in html


def test_full_passage_in_several_valid_messages() -> None:
    text = "\n".join(f"{i}. Đoạn {i} nói về <công tác> & nhiệm vụ của chi bộ." * 6
                     for i in range(60))
    messages = render_passage_html(DOC, Passage("p", "d1", 1, text, "Điều 9"))
    assert len(messages) > 1
    for message in messages:
        check_text(message, "HTML")
    assert messages[-1].endswith('Điều 9 · <a href="https://example.org/van-ban?a=1&amp;b=2">'
                                 "Xem văn bản</a>")
    joined = "".join(parse_html(m)[0] for m in messages)
    assert joined.count("Đoạn 59") == 6


def test_no_answer_suggests_documents() -> None:
    (message,) = render_answer_html(Answer("x", False, reason="no_match",
                                           suggestions=("294-QĐ/TW – Quy định <thi hành>",)))
    plain, _ = check_text(message, "HTML")
    assert plain.startswith("Xin lỗi, tôi chưa tìm thấy")
    assert "• 294-QĐ/TW – Quy định <thi hành>" in plain and "/vanban" in plain


SUMMARY = IndexSummary(added=1, updated=2, removed=0, unchanged=5, passages=954, seconds=3.25,
                       skipped=(("hong.pdf", "tệp PDF bị hỏng hoặc không đọc được"),),
                       added_titles=("Quy chế <Chi bộ>",))


@pytest.mark.parametrize(
    ("summary", "line"),
    [
        (SUMMARY, "Đã cập nhật chỉ mục: thêm 1, sửa 2, xoá 0, giữ nguyên 5 · 954 đoạn · 3.2 giây · bỏ qua 1 tệp"),
        (IndexSummary(unchanged=8, passages=954, reanalysed=True, synonyms=2),
         "Đã cập nhật chỉ mục: thêm 0, sửa 0, xoá 0, giữ nguyên 8 · 954 đoạn · 0.0 giây · các tệp đã được phân "
         "tích lại theo phiên bản mới của vankien · cách nói thường ngày (synonyms.yaml): 2 nhóm"),
    ],
)
def test_a_reindex_in_one_line(summary: IndexSummary, line: str) -> None:
    assert summary_line(summary) == line


def test_the_end_of_capnhat_names_new_and_skipped_files() -> None:
    assert summary_html(SUMMARY) == (
        "✅ Đã cập nhật chỉ mục: thêm 1, sửa 2, xoá 0, giữ nguyên 5.\n"
        "Tổng cộng 954 đoạn · 3,2 giây.\n"
        "Văn bản mới:\n• Quy chế &lt;Chi bộ&gt;\n"
        "Bỏ qua 1 tệp:\n• hong.pdf: tệp PDF bị hỏng hoặc không đọc được")
    assert summary_html(IndexSummary(reanalysed=True, synonyms=1)).splitlines()[2:] == [
        "ℹ️ Lần này các tệp đã được phân tích lại theo phiên bản mới của vankien.",
        "ℹ️ Đã cập nhật cách nói thường ngày (synonyms.yaml): 1 nhóm."]


def test_html_length_counts_what_telegram_counts() -> None:
    html = "<b>a&amp;b</b> 👍"
    assert html_length(html) == len(parse_html(html)[0].encode("utf-16-le")) // 2 == 6


def test_callback_data_parses_back() -> None:
    markup = answer_keyboard("Ab3dE_9x", [10, 11, 12], more=True)
    datas = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert [parse(d) for d in datas[:2]] == [("t", "Ab3dE_9x", 0), ("t", "Ab3dE_9x", 1)]
    assert parse("t:Ab3dE_9x:2") == ("t", "Ab3dE_9x", 2) and parse("m:k") == ("m", "k", 0)
    assert parse(None) == ("", "", 0)


# -- the stand-in refuses what Telegram refuses ----------------------------------------------


@pytest.mark.parametrize("text, error", [
    ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("a < b", "Empty tag name at byte offset 2"),
    ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
    ("<blockquote><blockquote>x</blockquote></blockquote>", "Nested blockquote"),
    ("<b>  </b>", "message text is empty"),
    ("x" * 4097, "message is too long"),
    ("<b>" + "đ" * 4096 + "</b>", None),
    ("👍" * 2049, "message is too long"),
])
def test_stand_in_html_rules(text: str, error: str | None) -> None:
    if error is None:
        check_text(text, "HTML")
        return
    with pytest.raises(ApiError) as err:
        check_text(text, "HTML")
    assert err.value.code == 400 and error in err.value.description


def test_stand_in_refuses_long_callback_data() -> None:
    with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
        check_markup({"inline_keyboard": [[{"text": "x", "callback_data": "đ" * 33}]]})


def test_stand_in_derives_command_and_mention_entities() -> None:
    assert text_entities("/hoi@vankien_test_bot câu hỏi @someone_x") == [
        {"type": "bot_command", "offset": 0, "length": 21},
        {"type": "mention", "offset": 30, "length": 10},
    ]
