"""Groups and forum supergroups (study sessions), and Telegram errors that must not stop the bot."""

from __future__ import annotations

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import USER, ask, buttons
from fake_telegram import BOT_USER, FakeTelegram
from telegram.ext import Application

from bot import texts

GROUP, FORUM, TOPIC = -100111, -100222, 77
QUESTION = "Người vào Đảng phải đủ bao nhiêu tuổi?"


def sent_to(fake: FakeTelegram, chat_id: int, after: int = 0) -> list:
    """Successful sendMessage calls to one chat."""
    return [c for c in fake.calls[after:]
            if c.method == "sendMessage" and c.ok and c.params["chat_id"] == chat_id]


async def test_group_stays_silent_unless_addressed(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(GROUP, "supergroup", "Chi bộ 3")
    mark = len(fake.calls)
    for text in (QUESTION, "Chào cả nhà", "/hoi@other_bot " + QUESTION, "@someone_else " + QUESTION,
                 "/lenhla"):
        fake.send_text(GROUP, USER, text)
    other = fake.send_text(GROUP, 3003, "Tôi nghĩ là 18 tuổi")
    fake.send_text(GROUP, USER, QUESTION, reply_to=other)  # a reply to someone else
    await fake.settle(0.5)
    assert sent_to(fake, GROUP, mark) == []


async def test_hoi_command_is_answered_as_a_reply(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(GROUP, "group", "Chi bộ 3")
    for command in ("/hoi", "/ask", "/hoi@vankien_test_bot"):
        mark = len(fake.calls)
        asked = fake.send_text(GROUP, USER, f"{command} {QUESTION}")
        reply = await fake.wait_call("sendMessage", after=mark)
        assert reply.params["chat_id"] == GROUP
        assert reply.params["reply_parameters"]["message_id"] == asked["message_id"]
        assert "18 <b>tuổi</b>" in reply.params["text"]


async def test_empty_hoi_in_a_group_gets_the_hint(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(GROUP, "group", "Chi bộ 3")
    reply = await ask(fake, GROUP, "/hoi", USER)
    assert reply.params["text"].startswith("Đồng chí hãy nhập câu hỏi, ví dụ")


async def test_mention_and_reply_to_the_bot_are_questions(
    fake: FakeTelegram, bot: Application
) -> None:
    fake.chat(GROUP, "supergroup", "Chi bộ 3")
    first = await ask(fake, GROUP, f"@vankien_test_bot {QUESTION}", USER)
    assert "18 <b>tuổi</b>" in first.params["text"]
    mark = len(fake.calls)
    follow = fake.send_text(GROUP, USER, "Thời hạn dự bị của đảng viên là bao lâu?",
                            reply_to=first.result)
    second = await fake.wait_call("sendMessage", after=mark)
    assert second.params["reply_parameters"]["message_id"] == follow["message_id"]
    assert "<blockquote>" in second.params["text"]


async def test_start_in_a_group_explains_how_to_ask(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(GROUP, "supergroup", "Chi bộ 3")
    reply = await ask(fake, GROUP, "/start", USER)
    assert "/hoi câu hỏi" in reply.params["text"] and "@vankien_test_bot" in reply.params["text"]


async def test_forum_topic_answers_land_in_that_topic(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(FORUM, "supergroup", "Sinh hoạt chuyên đề", is_forum=True)
    reply = await ask(fake, FORUM, f"/hoi {QUESTION}", USER, thread_id=TOPIC)
    assert reply.params["message_thread_id"] == TOPIC
    assert reply.result["is_topic_message"] is True
    mark = len(fake.calls)
    fake.press(reply.result, buttons(reply)["Xem thêm ▸"], USER)
    more = await fake.wait_call("sendMessage", after=mark)
    assert more.params["message_thread_id"] == TOPIC
    mark = len(fake.calls)
    fake.send_text(FORUM, USER, "Đảng viên dự bị", reply_to=reply.result)
    again = await fake.wait_call("sendMessage", after=mark)
    assert again.params["message_thread_id"] == TOPIC


async def test_related_and_none_replies_in_a_forum_topic(fake: FakeTelegram, bot: Application) -> None:
    """The tiers look the same in a study group's topic: the warning, the quotes and their
    buttons for `related`; the plain "nothing found" for `none`; both in that topic."""
    fake.chat(FORUM, "supergroup", "Sinh hoạt chuyên đề", is_forum=True)
    near = "Giá vé máy bay đi Đà Nẵng tháng sau là bao nhiêu?"
    reply = await ask(fake, FORUM, f"/hoi {near}", USER, thread_id=TOPIC)
    assert reply.params["message_thread_id"] == TOPIC
    assert reply.params["text"].startswith(texts.RELATED + "\n\n<blockquote>")
    assert {"📄 Toàn văn 1", "👍", "👎"} <= set(buttons(reply))
    nothing = await ask(fake, FORUM, "/hoi Thời tiết Hà Nội ngày mai thế nào?", USER, thread_id=TOPIC)
    assert nothing.params["message_thread_id"] == TOPIC
    assert nothing.params["text"].startswith(texts.NO_ANSWER) and "<blockquote>" not in nothing.params["text"]
    assert list(buttons(nothing)) == [texts.BUTTON_DOCUMENTS]


async def test_429_is_retried(fake: FakeTelegram, bot: Application) -> None:
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", {"retry_after": 1})
    reply = await ask(fake, USER, QUESTION)
    refused = fake.calls_of("sendMessage", ok=False)
    assert [c.error for c in refused] == ["Too Many Requests: retry after 1"]
    assert reply.at - refused[0].at >= 1.0
    assert "18 <b>tuổi</b>" in reply.params["text"]


async def test_blocked_user_does_not_stop_the_bot(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(3003)
    fake.blocked.add(3003)
    fake.send_text(3003, 3003, QUESTION)
    reply = await ask(fake, USER, QUESTION)
    assert "<blockquote>" in reply.params["text"]
    await fake.settle(0.3)
    tries = [c for c in fake.calls if c.params.get("chat_id") == 3003]
    assert [c.error for c in tries] == ["Forbidden: bot was blocked by the user"]


async def test_bad_request_is_logged_and_the_user_told(fake: FakeTelegram, bot: Application) -> None:
    fake.fail("sendMessage", 400, "Bad Request: something Telegram did not like")
    reply = await ask(fake, USER, QUESTION)
    assert reply.params["text"] == texts.SORRY_ERROR
    assert "<blockquote>" in (await ask(fake, USER, QUESTION)).params["text"]


async def test_lost_connection_and_timeouts_do_not_stop_the_bot(
    fake: FakeTelegram, bot: Application
) -> None:
    fake.drop("sendMessage")
    mark = len(fake.calls)
    fake.send_text(USER, USER, QUESTION)
    await fake.wait_call("sendMessage", after=mark)  # retried (bot/delivery.py)
    await fake.settle(0.5)
    assert [c.error for c in fake.calls[mark:] if c.method == "sendMessage"] == [
        "connection dropped", None  # answered once
    ]
    assert "<blockquote>" in (await ask(fake, USER, QUESTION)).params["text"]


async def test_group_upgraded_to_supergroup(fake: FakeTelegram, bot: Application) -> None:
    old, new = -3333, -1003333
    fake.chat(old, "group", "Chi bộ cũ")
    fake.chat(new, "supergroup", "Chi bộ cũ")
    fake.migrated[old] = new
    mark = len(fake.calls)
    fake.send_text(old, USER, f"/hoi {QUESTION}")
    reply = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == new, after=mark)
    assert "18 <b>tuổi</b>" in reply.params["text"]
    fake.push({"message": {"message_id": 99, "date": 0, "chat": fake.chat(old).json(),
                           "from": BOT_USER, "migrate_to_chat_id": new}})
    assert "<blockquote>" in (await ask(fake, new, f"/hoi {QUESTION}", USER)).params["text"]
