"""Fixtures for the end-to-end bot tests: the stand-in Bot API and the real Application.

Use them with `from bot_fixtures import *` in a test module; `own_index` and `own_corpus`
come from conftest.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bot_helpers import ADMIN, USER, make_settings
from fake_telegram import FakeTelegram
from telegram.ext import Application

from bot.app import build_application, start_application, stop_application
from bot.config import Settings

__all__ = ["bot", "bot_settings", "fake"]

@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The stand-in Bot API on 127.0.0.1, with a private chat for ADMIN and USER."""
    server = await FakeTelegram().start()
    server.chat(ADMIN)
    server.chat(USER)
    yield server
    await server.stop()


@pytest.fixture
def bot_settings(fake: FakeTelegram, own_index: Path, own_corpus: Path) -> Settings:
    """Settings over a private copy of the shipped index and corpus."""
    return make_settings(fake, own_index, own_corpus)


@pytest.fixture
async def bot(fake: FakeTelegram, bot_settings: Settings) -> AsyncIterator[Application]:
    """The real Application, long polling the stand-in."""
    app = build_application(bot_settings)
    await start_application(app, poll_timeout=5)
    yield app
    await stop_application(app)
