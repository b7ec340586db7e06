"""Private chats over HTTP: /start, /help, questions, answers, buttons, limits, the query log."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import ADMIN, USER, ask, buttons, make_settings, svc
from fake_telegram import FakeTelegram
from telegram.ext import Application

from bot import texts
from bot.app import build_application, start_application, stop_application
from bot.config import Settings
from bot.render import SCREEN, html_length
from index.models import Confidence
from index.search import Searcher

QUESTION = "Người vào Đảng phải đủ bao nhiêu tuổi?"
NEAR = "Giá vé máy bay đi Đà Nẵng tháng sau là bao nhiêu?"  # no document answers, some passages are near
NOTHING = "Thời tiết Hà Nội ngày mai thế nào?"  # nothing is near


async def press(fake: FakeTelegram, message: dict, label: str, user: int = USER) -> str:
    """Press the button labelled `label` under a message; returns the callback query id."""
    data = buttons_of(message)[label]
    return fake.press(message, data, user)


def buttons_of(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def answered(fake: FakeTelegram, query_id: str) -> dict:
    """The answerCallbackQuery call for one callback query."""
    call = await fake.wait_call(
        "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id
    )
    return call.params


async def test_start_greets_says_what_it_knows_and_offers_examples(
    fake: FakeTelegram, bot: Application
) -> None:
    reply = await ask(fake, USER, "/start")
    text = reply.params["text"]
    assert text.startswith("Xin chào đồng chí Minh!")
    assert "Hiện tôi có 8 văn bản:" in text
    assert "1 quy định" in text and "1 hướng dẫn" in text
    examples = buttons(reply)
    assert len(examples) == 3
    assert QUESTION in examples


async def test_example_button_asks_that_question(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, "/start")
    mark = len(fake.calls)
    query_id = await press(fake, reply.result, QUESTION)
    answer = await fake.wait_call("sendMessage", after=mark)
    assert answer.params["text"].startswith(f"❓ <i>{QUESTION}</i>")
    assert "18 <b>tuổi</b>" in answer.params["text"]
    assert (await answered(fake, query_id)).get("text") is None


async def test_help_explains_and_admins_see_more(fake: FakeTelegram, bot: Application) -> None:
    for command in ("/help", "/trogiup"):
        text = (await ask(fake, USER, command)).params["text"]
        assert "/hoi câu hỏi" in text and "@vankien_test_bot" in text
        assert "/capnhat" not in text
    fake.chat(ADMIN)
    assert "/capnhat" in (await ask(fake, ADMIN, "/trogiup")).params["text"]


async def test_any_text_is_a_question_answered_with_quotes_and_citations(
    fake: FakeTelegram, bot: Application
) -> None:
    reply = await ask(fake, USER, QUESTION)
    text = reply.params["text"]
    assert text.count("<blockquote>") == 3
    assert "phải <b>đủ</b> 18 <b>tuổi</b>" in text
    assert "<i>294-QĐ/TW – Quy định thi hành Điều lệ Đảng</i> · Ban Chấp hành Trung ương · " \
        "ngày 26/05/2025 · Điều 1, điểm 1.1.1" in text
    assert reply.params["parse_mode"] == "HTML"
    labels = list(buttons(reply))
    assert labels == ["📄 Toàn văn 1", "📄 Toàn văn 2", "📄 Toàn văn 3", "👍", "👎", "Xem thêm ▸"]
    assert all(len(d.encode()) <= 64 for d in buttons(reply).values())


async def test_a_quote_lacking_a_question_word_carries_a_note(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "Quy định 294 có bao nhiêu chương?")).params["text"]
    assert text.count("<i>Đoạn này không nhắc đến: «chương»</i>") == text.count("<blockquote>") >= 1
    first = (await ask(fake, USER, QUESTION)).params["text"].split("<blockquote>")[1]
    assert "18 <b>tuổi</b>" in first and "không nhắc đến" not in first


async def test_question_without_diacritics(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "nguoi vao dang phai du bao nhieu tuoi")).params["text"]
    assert "18 <b>tuổi</b>" in text
    assert text.startswith("<i>Tôi hiểu câu hỏi là: «người vào đảng phải đủ bao nhiêu tuổi»</i>\n\n<blockquote>")
    accented = (await ask(fake, USER, QUESTION)).params["text"]
    assert "Tôi hiểu câu hỏi là" not in accented


async def test_citation_link_is_an_anchor(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "Ngày 7-4-2021 Đảng ủy Khối ban hành mấy chương trình hành động?")
            ).params["text"]
    assert '<a href="http' in text and ">Xem văn bản</a>" in text


async def test_no_answer_says_so_and_suggests_what_it_knows(
    fake: FakeTelegram, bot: Application
) -> None:
    assert svc(bot).searcher.ask(NOTHING).confidence is Confidence.NONE  # the premise: the `none` tier
    reply = await ask(fake, USER, NOTHING)
    text = reply.params["text"]
    assert text.startswith(texts.NO_ANSWER)
    assert "<blockquote>" not in text
    assert "294-QĐ/TW" in text
    assert list(buttons(reply)) == ["📚 Danh sách văn bản"]
    mark = len(fake.calls)
    query_id = await press(fake, reply.result, "📚 Danh sách văn bản")
    listing = await fake.wait_call("sendMessage", after=mark)
    assert "Các văn bản hiện có" in listing.params["text"]
    await answered(fake, query_id)


async def test_a_related_answer_says_it_is_not_sure_then_quotes_with_buttons(
    fake: FakeTelegram, bot: Application
) -> None:
    """The `related` tier: one plain line first, then the nearest passages cited, with the
    buttons of an answer; the reply fits about one phone screen."""
    answer = svc(bot).searcher.ask(NEAR)
    assert answer.confidence is Confidence.RELATED and not answer.answered  # the premise
    reply = await ask(fake, USER, NEAR)
    text = reply.params["text"]
    assert text.startswith(texts.RELATED + "\n\n<blockquote>")
    quotes = text.count("<blockquote>")
    assert 1 <= quotes <= 3 and text.count("</blockquote>\n<b>1.</b> <i>") == 1 and html_length(text) <= SCREEN
    assert texts.NO_ANSWER not in text and "Danh sách văn bản" not in str(reply.params["reply_markup"])
    labels = list(buttons(reply))
    assert labels[:quotes] == [f"📄 Toàn văn {i}" for i in range(1, quotes + 1)] and {"👍", "👎"} <= set(labels)
    assert "Xem thêm ▸" in labels  # the fourth passage, and the one left off to fit the screen
    mark = len(fake.calls)
    await press(fake, reply.result, "📄 Toàn văn 1")
    full = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == USER, after=mark)
    assert full.params["text"].startswith("<blockquote>") and set(buttons(full)) >= {"👍", "👎"}
    mark = len(fake.calls)
    await press(fake, reply.result, "Xem thêm ▸")
    more = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == USER, after=mark)
    assert more.params["text"].startswith(texts.MORE_HEADER.format(question=NEAR) + "\n" + texts.RELATED)
    await fake.settle(0.2)
    row = list(svc(bot).logbook.db.query("SELECT * FROM queries ORDER BY id"))[-1]  # type: ignore[union-attr]
    assert (row["question"], row["confidence"], row["answered"]) == (NEAR, "related", 0) and row["top_passage"]


async def test_unknown_code_is_named_plainly(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "Nghị quyết 99-NQ/TW nói gì?")).params["text"]
    assert "chưa có văn bản mang số hiệu" in text


async def test_an_article_is_quoted_in_reading_order(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "Điều 8 Quy định 294")).params["text"]
    assert text.index("Điều 8, điểm 8.1") < text.index("Điều 8, điểm 8.2.1") < text.index("Điều 8, điểm 8.2.2")
    missing = (await ask(fake, USER, "Điều 99 Quy định 294")).params["text"]
    assert "chưa tìm thấy điều, khoản hoặc điểm đồng chí hỏi" in missing


async def test_greetings_and_thanks_get_a_polite_word_not_a_search(fake: FakeTelegram, bot: Application) -> None:
    hello = (await ask(fake, USER, "Xin chào bot!")).params["text"]
    assert hello.startswith("Xin chào đồng chí!") and "ví dụ «" in hello
    thanks = (await ask(fake, USER, "cam on nhieu a")).params["text"]
    assert thanks == texts.YOU_ARE_WELCOME
    question = "Chào cờ trong lễ kết nạp đảng viên thế nào?"  # a real question that starts with "chào"
    assert "<blockquote>" in (await ask(fake, USER, question)).params["text"]
    await fake.settle(0.2)
    rows = list(svc(bot).logbook.db.query("SELECT question FROM queries"))  # type: ignore
    assert [r["question"] for r in rows] == [question]


async def test_empty_question_gets_a_hint_with_an_example(
    fake: FakeTelegram, bot: Application
) -> None:
    for empty in ("/hoi", "…?!", "   .  "):
        text = (await ask(fake, USER, empty)).params["text"]
        assert text.startswith("Đồng chí hãy nhập câu hỏi, ví dụ")


async def test_too_long_question_is_refused_politely(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "đảng viên " * 120)).params["text"]
    assert text == "Câu hỏi quá dài (tối đa 1.000 ký tự). Đồng chí vui lòng hỏi ngắn gọn hơn."


async def test_hostile_question_is_escaped(fake: FakeTelegram, bot: Application) -> None:
    hostile = "<b>Đảng viên</b> & <script>'; DROP TABLE passages;--</script> tuổi OR 1=1 \x07"
    reply = await ask(fake, USER, hostile)
    assert reply.ok  # the stand-in parsed it as Telegram would
    assert "<script>" not in reply.params["text"]


async def test_more_sends_next_results_and_retires_its_button(
    fake: FakeTelegram, bot: Application
) -> None:
    reply = await ask(fake, USER, "Đảng viên dự bị")
    mark = len(fake.calls)
    query_id = await press(fake, reply.result, "Xem thêm ▸")
    more = await fake.wait_call("sendMessage", after=mark)
    assert more.params["text"].startswith("Các kết quả tiếp theo cho «Đảng viên dự bị»")
    assert "<b>4.</b>" in more.params["text"]
    assert "📄 Toàn văn 4" in buttons(more)
    edit = await fake.wait_call("editMessageReplyMarkup", after=mark)
    assert edit.params["message_id"] == reply.result["message_id"]
    assert "Xem thêm ▸" not in str(edit.params["reply_markup"])
    await answered(fake, query_id)


async def test_full_text_and_feedback_are_stored(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, QUESTION)
    mark = len(fake.calls)
    query_id = await press(fake, reply.result, "📄 Toàn văn 1")
    full = await fake.wait_call("sendMessage", after=mark)
    assert full.params["text"].startswith("<blockquote>1.1.1. Tại thời điểm chi bộ xét kết nạp")
    assert list(buttons(full)) == ["👍", "👎", "📖 Cả Điều 1"]
    await answered(fake, query_id)

    up = await answered(fake, await press(fake, reply.result, "👍"))
    assert up["text"] == texts.THANKS
    down = await answered(fake, await press(fake, full.result, "👎"))  # same passage: replaces
    assert down["text"] == texts.THANKS
    mark = len(fake.calls)
    await answered(fake, await press(fake, reply.result, "📄 Toàn văn 2"))
    second = await fake.wait_call("sendMessage", after=mark)
    await answered(fake, await press(fake, second.result, "👍"))
    rows = list(svc(bot).logbook.db.query("SELECT * FROM feedback ORDER BY id"))  # type: ignore
    assert [(r["question"], r["value"]) for r in rows] == [(QUESTION, -1), (QUESTION, 1)]
    assert rows[0]["passage_id"] != rows[1]["passage_id"]
    assert rows[0]["user_hash"] and str(USER) not in rows[0]["user_hash"]


async def test_the_whole_article_of_a_quote_is_read_in_order(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, QUESTION)  # first quote: 294-QĐ/TW, Điều 1, điểm 1.1.1
    mark = len(fake.calls)
    await answered(fake, await press(fake, reply.result, "📄 Toàn văn 1"))
    full = await fake.wait_call("sendMessage", after=mark)
    mark = len(fake.calls)
    await answered(fake, await press(fake, full.result, "📖 Cả Điều 1"))
    article = await fake.wait_call("sendMessage", after=mark)
    text = article.params["text"]
    assert text.startswith("📖 <b>Điều 1 – 294-QĐ/TW</b>, từng đoạn theo thứ tự:")
    assert text.index("điểm 1.1.1") < text.index("điểm 1.1.2") < text.index("điểm 1.2.1")
    assert "Xem thêm ▸" in buttons(article)  # point 1.2.2 is on the next page
    mark = len(fake.calls)
    await answered(fake, await press(fake, article.result, "Xem thêm ▸"))
    more = await fake.wait_call("sendMessage", after=mark)
    assert "điểm 1.2.2" in more.params["text"]


async def test_expired_and_unknown_buttons_get_a_polite_note(
    fake: FakeTelegram, bot: Application
) -> None:
    reply = await ask(fake, USER, QUESTION)
    for data in ("m:gone1234", "t:gone1234:0", "u:gone1234", "x:gone1234:1", "p:gone1234:0", "zz:old"):
        note = await answered(fake, fake.press(reply.result, data, USER))
        assert note["text"] == texts.EXPIRED


async def test_stickers_and_unknown_commands_get_a_hint(
    fake: FakeTelegram, bot: Application
) -> None:
    assert (await ask(fake, USER, "/lenhla")).params["text"] == texts.UNKNOWN_COMMAND
    mark = len(fake.calls)
    fake.push({"message": {
        "message_id": 999, "date": int(time.time()), "chat": fake.chat(USER).json(),
        "from": fake.user(USER), "sticker": {
            "file_id": "S1", "file_unique_id": "S1u", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False,
        },
    }})
    reply = await fake.wait_call("sendMessage", after=mark)
    assert reply.params["text"].startswith("Tôi chỉ đọc được câu hỏi dạng chữ")


async def test_edited_messages_are_not_answered_again(fake: FakeTelegram, bot: Application) -> None:
    original = fake.send_text(USER, USER, QUESTION)
    await fake.wait_call("sendMessage")
    mark = len(fake.calls)
    fake.push({"edited_message": {**original, "text": "Đảng viên dự bị", "edit_date": 1}})
    await fake.settle()
    assert [c for c in fake.calls[mark:] if c.method == "sendMessage"] == []


async def test_per_user_limit_is_polite_and_not_flooding(
    fake: FakeTelegram, own_index: Path, own_corpus: Path
) -> None:
    settings = make_settings(fake, own_index, own_corpus, questions_per_minute=3)
    app = build_application(settings)
    await start_application(app, poll_timeout=5)
    try:
        for _ in range(3):
            assert "<blockquote>" in (await ask(fake, USER, QUESTION)).params["text"]
        slow = (await ask(fake, USER, QUESTION)).params["text"]
        assert slow.startswith("Đồng chí đang hỏi hơi nhanh. Xin đợi khoảng")
        mark = len(fake.calls)
        fake.send_text(USER, USER, QUESTION)
        other = await ask(fake, ADMIN, QUESTION)  # someone else is not slowed down
        assert "<blockquote>" in other.params["text"]
        await fake.settle()
        to_user = [c for c in fake.calls[mark:] if c.params.get("chat_id") == USER]
        assert to_user == []  # the note is said once, not repeated
    finally:
        await stop_application(app)


async def test_questions_are_logged_with_hashed_users(fake: FakeTelegram, bot: Application) -> None:
    await ask(fake, USER, QUESTION)
    await ask(fake, USER, "Giá vé máy bay đi Đà Nẵng?")
    await ask(fake, USER, "/hoi")
    await fake.settle(0.2)
    rows = list(svc(bot).logbook.db.query("SELECT * FROM queries ORDER BY id"))  # type: ignore
    assert [(r["question"], r["answered"], r["confidence"], r["chat_type"]) for r in rows] == [
        (QUESTION, 1, "answer", "private"), ("Giá vé máy bay đi Đà Nẵng?", 0, "none", "private"),
    ]
    assert rows[0]["top_passage"] and rows[0]["latency_ms"] > 0
    assert rows[1]["reason"] == "no_match" and rows[1]["top_passage"] is None
    assert len({r["user_hash"] for r in rows}) == 1 and rows[0]["user_hash"] != str(USER)


class SlowSearcher(Searcher):
    """A real Searcher that takes 1.5 s over one particular question (blocking, like CPU)."""

    def ask(self, question: str, k: int = 3, offset: int = 0, within=None):  # type: ignore[no-untyped-def]
        if question.startswith("chậm"):
            time.sleep(1.5)
        return super().ask(question, k, offset, within)


async def test_a_slow_question_does_not_block_others(
    fake: FakeTelegram, bot_settings: Settings
) -> None:
    app = build_application(bot_settings, SlowSearcher.open(bot_settings.data_dir))
    await start_application(app, poll_timeout=5)
    try:
        fake.chat(3003)
        started = time.monotonic()
        fake.send_text(3003, 3003, "chậm: đảng viên dự bị")
        await asyncio.sleep(0.1)
        fast = await ask(fake, USER, QUESTION)
        assert time.monotonic() - started < 1.0
        slow = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == 3003)
        assert slow.at > fast.at
    finally:
        await stop_application(app)


def test_settings_default_limit() -> None:
    settings = Settings(Path("var"), Path("corpus"), "tantivy", None, "http://x/bot",
                        frozenset(), None, None, 8443)
    assert settings.questions_per_minute == 20
    assert replace(settings, questions_per_minute=5).questions_per_minute == 5
