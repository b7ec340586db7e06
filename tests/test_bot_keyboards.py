"""Buttons that survive a restart: PTB arbitrary callback data kept in the data directory
(bot/keyboards.py), pressed across two Applications over the same data dir and stand-in."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from bot_fixtures import *  # noqa: F403 - the fixtures fake, bot_settings
from bot_helpers import USER, ask, buttons
from fake_telegram import FakeTelegram
from telegram.ext import CallbackQueryHandler

from bot import keyboards as kb
from bot import texts
from bot.app import build_application, check_button_patterns, start_application, stop_application
from bot.buttons import ButtonStore
from bot.config import Settings
from bot.handlers import stale_button
from bot.services import AnswerState

QUESTION = "Người vào Đảng phải đủ bao nhiêu tuổi?"
FULL_1 = texts.BUTTON_FULL_NUMBERED.format(rank=1)


async def answered(fake: FakeTelegram, query_id: str) -> dict:
    """The answerCallbackQuery call of one press."""
    call = await fake.wait_call("answerCallbackQuery",
                                lambda c: c.params["callback_query_id"] == query_id)
    return call.params


def test_a_button_carries_its_state_and_is_routed_by_action() -> None:
    state = AnswerState(QUESTION, 0, ("p1", "p2"), 9)
    button = kb.data(kb.FULL, state, 1)
    assert kb.parse(button) == (kb.FULL, state, 1) and kb.parse(kb.data(kb.DOCS, 2)) == ("v", 2, 0)
    assert kb.on(kb.FULL)(button) and not kb.on(kb.MORE)(button) and not kb.on(kb.FULL)("t:x:1")
    again = pickle.loads(pickle.dumps(button))
    assert isinstance(again, kb.Button) and kb.parse(again) == (kb.FULL, state, 1)


def test_a_text_pattern_is_refused_at_build_time(bot_settings: Settings) -> None:
    app = build_application(bot_settings)
    app.add_handler(CallbackQueryHandler(stale_button, pattern="^z:"))
    with pytest.raises(TypeError, match=r"stale_button: route buttons with pattern=kb.on\(ACTION\)"):
        check_button_patterns(app)


async def test_only_what_changed_is_written(tmp_path: Path) -> None:
    store = ButtonStore(tmp_path / "b.sqlite")
    assert await store.get_callback_data() == ([], {})
    one = {"u1": kb.data(kb.UP, "k")}
    await store.update_callback_data(([("k1", 1.0, one), ("k2", 2.0, {"u2": kb.data(kb.MORE, "k")})], {}))
    await store.update_callback_data(([("k2", 3.0, {"u2": kb.data(kb.MORE, "k")})], {"q": "k2"}))
    again = ButtonStore(tmp_path / "b.sqlite")
    assert await again.get_callback_data() == ([("k2", 3.0, {"u2": kb.Button("m", "k")})], {})


async def test_a_button_works_after_a_restart(fake: FakeTelegram, bot_settings: Settings) -> None:
    first = build_application(bot_settings)
    await start_application(first, poll_timeout=1)
    reply = await ask(fake, USER, QUESTION)
    wire = buttons(reply)[FULL_1]
    await stop_application(first)
    assert (bot_settings.data_dir / kb.BUTTONS_FILE).is_file()

    second = build_application(bot_settings)
    await start_application(second, poll_timeout=1)
    try:
        mark = len(fake.calls)
        query_id = fake.press(reply.result, wire, USER)
        full = await fake.wait_call("sendMessage", after=mark)
        note = await answered(fake, query_id)
        unknown = await answered(fake, fake.press(reply.result, "f" * 64, USER))
        old_style = await answered(fake, fake.press(reply.result, "t:Ab3dE_9x:0", USER))
    finally:
        await stop_application(second)
    print(f"\nbefore the restart: {FULL_1!r} sent callback_data {wire!r}"
          f"\nafter the restart: sendMessage {full.params['text'][:70]!r}…, buttons {list(buttons(full))}"
          f"\nunknown button: {unknown.get('text')!r}; old-style 't:Ab3dE_9x:0': {old_style.get('text')!r}")
    assert full.params["text"].startswith("<blockquote>1.1.1. Tại thời điểm chi bộ xét kết nạp")
    assert "text" not in note and list(buttons(full)) == ["👍", "👎", "📖 Cả Điều 1"]
    assert unknown["text"] == old_style["text"] == texts.EXPIRED
