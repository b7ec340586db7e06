"""Every question answered exactly once through Bot API faults (bot/delivery.py), end to end
against the stand-in: the real Application, faults injected into the Bot API it talks to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from bot_faults import FAULTS, HEADER, QUESTIONS, run_fault
from bot_fixtures import *  # noqa: F403 - the fixtures fake, bot_settings
from fake_telegram import FakeTelegram
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.ext import Application

from bot.app import build_application, start_application, stop_application
from bot.config import Settings
from bot.delivery import RetryingRateLimiter, retryable


def timed_out(cause: Exception) -> TimedOut:
    """A TimedOut as PTB's HTTPXRequest raises it, caused by `cause`."""
    err = TimedOut()
    err.__cause__ = cause
    return err


@pytest.mark.parametrize("endpoint, err, retried", [
    ("sendMessage", NetworkError("Internal Server Error (500)"), True),
    ("sendMessage", NetworkError("httpx.RemoteProtocolError: Server disconnected"), True),
    ("sendMessage", timed_out(httpx.ConnectTimeout("connect")), True),
    ("sendMessage", timed_out(httpx.PoolTimeout("pool")), True),
    ("sendMessage", timed_out(httpx.WriteTimeout("write")), True),
    ("sendMessage", timed_out(httpx.ReadTimeout("read")), False),  # it may have been sent
    ("sendDocument", timed_out(httpx.ReadTimeout("read")), False),
    ("editMessageText", timed_out(httpx.ReadTimeout("read")), True),  # repeating changes nothing
    ("answerCallbackQuery", timed_out(httpx.ReadTimeout("read")), True),
    ("sendMessage", BadRequest("Bad Request: message text is empty"), False),
    ("sendMessage", Forbidden("Forbidden: bot was blocked by the user"), False),
])
def test_what_is_retried(endpoint: str, err: Exception, retried: bool) -> None:
    assert retryable(endpoint, err) is retried


def test_back_off_doubles_and_is_bounded() -> None:
    limiter = RetryingRateLimiter(base_delay=0.5, max_delay=4.0)
    delays = [limiter.delay(n) for n in range(1, 7)]
    assert 0.4 <= delays[0] <= 0.6 and 0.8 <= delays[1] <= 1.2 and 1.6 <= delays[2] <= 2.4
    assert all(d <= 4.8 for d in delays)


@pytest.fixture
async def sturdy_bot(fake: FakeTelegram, bot_settings: Settings) -> AsyncIterator[Application]:
    """The real Application with a 1 s read timeout (a slow answer is then an unknown outcome)."""
    app = build_application(bot_settings, read_timeout=1.0)
    await start_application(app, poll_timeout=5)
    yield app
    await stop_application(app)


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_each_question_is_answered_exactly_once(fake: FakeTelegram, sturdy_bot: Application,
                                                      fault: str) -> None:
    result = await run_fault(fake, fault, first_chat=70_000)
    print(f"\n{HEADER}\n{result.row()}")
    assert (result.pushed, result.once, result.lost, result.duplicated) == (len(QUESTIONS), len(QUESTIONS), 0, 0)
    hit = [c for c in fake.calls if (not c.ok or c.late) and c.method in ("sendMessage", "getUpdates")]
    assert hit, f"the fault {fault!r} was never hit"


async def test_polling_survives_an_outage_and_skips_nothing(fake: FakeTelegram, sturdy_bot: Application) -> None:
    """Updates pushed before, during and after a getUpdates outage are each handled once."""
    before = fake.send_text(fake.chat(71_000).id, 71_000, QUESTIONS[0])
    await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == 71_000)
    result = await run_fault(fake, next(f for f in FAULTS if f.startswith("getUpdates")), 71_001)
    assert result.once == len(QUESTIONS) and sturdy_bot.updater and sturdy_bot.updater.running
    assert len([c for c in fake.calls_of("sendMessage") if c.params["chat_id"] == 71_000]) == 1
    assert before["message_id"] == 1
