"""Private chats over HTTP: /start, /help, questions, answers and their buttons."""

from __future__ import annotations

from bot_helpers import USER, ask, buttons
from fake_telegram import FakeTelegram
from telegram.ext import Application

pytest_plugins = ["bot_fixtures"]


async def test_start_greets_and_offers_examples(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, "/start")
    text = reply.params["text"]
    assert "Xin chào" in text
    assert "7 văn bản" in text
    assert len(buttons(reply)) == 3


async def test_question_gets_quotes(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, "Người vào Đảng phải đủ bao nhiêu tuổi?")
    assert "<blockquote>" in reply.params["text"]
