"""Inline mode: `@bot câu hỏi` in any chat offers quotes; choosing one sends it cited."""

from __future__ import annotations

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import USER, svc
from fake_telegram import FakeTelegram, check_text
from telegram.ext import Application

from bot import texts
from index.models import Confidence


async def inline(fake: FakeTelegram, query: str) -> dict:
    """Type an inline query; returns the bot's answerInlineQuery parameters."""
    query_id = fake.inline(USER, query, chat_type="supergroup")
    call = await fake.wait_call("answerInlineQuery",
                                lambda c: c.params["inline_query_id"] == query_id)
    return call.params


async def test_inline_offers_up_to_ten_cited_quotes(fake: FakeTelegram, bot: Application) -> None:
    params = await inline(fake, "đảng viên dự bị")
    results = params["results"]
    assert 1 < len(results) <= 10
    for result in results:
        assert result["type"] == "article" and result["title"] and result["description"]
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        plain, _ = check_text(content["message_text"], "HTML")  # what the chat will show
        assert content["message_text"].startswith("<blockquote>")
        assert "</blockquote>\n<i>" in content["message_text"]
    assert len({r["id"] for r in results}) == len(results)


async def test_inline_quote_is_the_one_the_chat_receives(fake: FakeTelegram, bot: Application) -> None:
    results = (await inline(fake, "Người vào Đảng phải đủ bao nhiêu tuổi?"))["results"]
    first = results[0]
    assert first["title"] == "294-QĐ/TW – Quy định thi hành Điều lệ Đảng · Điều 1, điểm 1.1.1"
    assert "18 <b>tuổi</b>" in first["input_message_content"]["message_text"]


async def test_inline_empty_or_unknown_offers_the_private_chat(
    fake: FakeTelegram, bot: Application
) -> None:
    empty = await inline(fake, "  ")
    assert empty["results"] == [] and empty["button"]["start_parameter"] == "inline"
    unknown = await inline(fake, "giá vé máy bay đi Đà Nẵng")
    assert unknown["results"] == [] and unknown["button"]["text"].startswith("Chưa tìm thấy")


async def test_inline_offers_related_quotes_marked_as_perhaps_not_answering(
    fake: FakeTelegram, bot: Application
) -> None:
    """The `related` tier: the nearest passages are offered too, each saying in its
    description that it may not answer; a sure answer's choices say nothing of the kind."""
    near = "Giá vé máy bay đi Đà Nẵng tháng sau là bao nhiêu?"
    answer = svc(bot).searcher.ask(near, 10)
    assert answer.confidence is Confidence.RELATED  # the premise
    results = (await inline(fake, near))["results"]
    assert len(results) == len(answer.hits) >= 1
    hint = texts.INLINE_RELATED.format(excerpt="")
    for result, hit in zip(results, answer.hits, strict=True):
        assert result["description"].startswith(hint) and hit.excerpt[:40] in result["description"]
        assert result["input_message_content"]["message_text"].startswith("<blockquote>")
    sure = (await inline(fake, "Người vào Đảng phải đủ bao nhiêu tuổi?"))["results"]
    assert sure and not any(r["description"].startswith(hint) for r in sure)
