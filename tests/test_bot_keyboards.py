"""Buttons that survive a restart: PTB arbitrary callback data kept in the data directory
(bot/keyboards.py), pressed across two Applications over the same data dir and stand-in."""

from __future__ import annotations

import copy
import pickle

from bot_fixtures import *  # noqa: F403 - the fixtures fake, bot_settings
from bot_helpers import USER, ask, buttons
from fake_telegram import FakeTelegram

from bot import keyboards as kb
from bot import texts
from bot.app import build_application, start_application, stop_application
from bot.config import Settings
from bot.services import AnswerState

QUESTION = "Người vào Đảng phải đủ bao nhiêu tuổi?"
FULL_1 = texts.BUTTON_FULL_NUMBERED.format(rank=1)


async def answered(fake: FakeTelegram, query_id: str) -> dict:
    """The answerCallbackQuery call of one press."""
    call = await fake.wait_call("answerCallbackQuery",
                                lambda c: c.params["callback_query_id"] == query_id)
    return call.params


def test_a_button_routes_like_its_string_and_carries_its_state() -> None:
    state = AnswerState(QUESTION, 0, ("p1", "p2"), 9)
    button = kb.data(kb.FULL, state, 1)
    assert button == "t:*:1" and button.startswith(f"{kb.FULL}:")
    assert kb.parse(button) == (kb.FULL, state, 1) and kb.parse(kb.data(kb.DOCS, 2)) == ("v", 2, 0)
    for again in (pickle.loads(pickle.dumps(button)), copy.deepcopy(button)):
        assert isinstance(again, kb.Button) and kb.parse(again) == (kb.FULL, state, 1)


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
