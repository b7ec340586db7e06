"""Running the bot: settings, command registration, polling and webhook modes."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest
from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import USER, ask, free_port, make_settings
from fake_telegram import FakeTelegram
from telegram.ext import Application

from bot import texts
from bot.app import (
    build_application,
    check_webhook,
    run_bot,
    start_application,
    stop_application,
    webhook_path,
)
from bot.config import ConfigError


@pytest.mark.parametrize("token, says", [
    (None, "TELEGRAM_BOT_TOKEN is not set. Put it in .env (see .env.example)."),
    ("12345:short", "TELEGRAM_BOT_TOKEN looks malformed (expected '123456789:ABC…' from @BotFather)."),
])
async def test_missing_or_malformed_token_says_what_to_set(
    fake: FakeTelegram, tmp_path: Path, token: str | None, says: str
) -> None:
    settings = make_settings(fake, tmp_path, tmp_path, token=token)
    for start in (build_application, run_bot):
        with pytest.raises(ConfigError) as err:
            start(settings)
        assert str(err.value) == says and "\n" not in says


def test_missing_index_says_how_to_build_it(fake: FakeTelegram, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Chưa có chỉ mục tại .*Hãy chạy: vankien index"):
        run_bot(make_settings(fake, tmp_path / "empty", tmp_path))


def test_webhook_settings_are_checked(fake: FakeTelegram, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET may only use"):
        check_webhook(make_settings(fake, tmp_path, tmp_path, webhook_url="https://x.org/h",
                                    webhook_secret="có dấu"))
    with pytest.raises(ConfigError, match="WEBHOOK_URL must be an https"):
        check_webhook(make_settings(fake, tmp_path, tmp_path, webhook_url="x.org/h"))
    assert webhook_path("https://bot.example.org/tg/hook/") == "tg/hook"


def test_file_downloads_follow_the_base_url(fake: FakeTelegram, tmp_path: Path) -> None:
    assert make_settings(fake, tmp_path, tmp_path).base_file_url == fake.base_file_url
    settings = make_settings(fake, tmp_path, tmp_path, base_url="https://api.telegram.org/bot")
    assert settings.base_file_url == "https://api.telegram.org/file/bot"


async def test_commands_are_registered_in_vietnamese(fake: FakeTelegram, bot: Application) -> None:
    scopes = {json.dumps(c.params.get("scope") or {}, sort_keys=True): c.params["commands"]
              for c in fake.calls_of("setMyCommands")}
    private = scopes['{"type": "all_private_chats"}']
    assert [c["command"] for c in private] == ["start", "hoi", "vanban", "phamvi", "trogiup",
                                               "ontap", "ketqua", "theodoi", "huytheodoi"]
    assert private[1]["description"] == "Đặt câu hỏi: /hoi câu hỏi"
    assert [c["command"] for c in scopes['{"type": "all_group_chats"}']] == [
        "hoi", "vanban", "phamvi", "trogiup", "ontap", "ketqua", "batdau", "tongket", "theodoi", "huytheodoi"]
    admin = scopes['{"chat_id": 1001, "type": "chat"}']
    assert [c["command"] for c in admin][-5:] == ["capnhat", "xoavanban", "thongke", "nhatky", "quantri"]
    assert len(bot.bot_data["services"].examples) == 3  # warmed in post_init
    assert "places" in bot.bot_data["services"].searcher.generation()._lazy  # so are the structural labels


async def test_webhook_mode_with_secret(fake: FakeTelegram, own_index: Path,
                                        own_corpus: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg/hook"
    settings = make_settings(fake, own_index, own_corpus, webhook_url=url,
                             webhook_secret="s3cret-Token_1", port=port)
    app = build_application(settings)
    await start_application(app, listen="127.0.0.1")
    try:
        assert fake.webhook == {"url": url, "secret_token": "s3cret-Token_1"}
        reply = await ask(fake, USER, "Người vào Đảng phải đủ bao nhiêu tuổi?")
        assert "18 <b>tuổi</b>" in reply.params["text"]
        update = {"update_id": 999, "message": {**reply.result, "from": fake.user(USER),
                                                 "text": "/start"}}
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with session.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
        await fake.settle(0.3)
        assert not [c for c in fake.calls if c.ok and c.method == "sendMessage"
                    and c.params["text"].startswith(texts.GREETING[:8])]
    finally:
        await stop_application(app)
