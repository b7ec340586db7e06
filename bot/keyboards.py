"""Inline keyboards and their callback data.

A button's callback data is a `Button`: the action letter, the state the button needs
(any picklable value: an AnswerState, a doc_id, a page number) and an optional index.
PTB's arbitrary callback data sends Telegram a short id in its place and keeps the Button
in `buttons.pickle` in the data directory, so buttons keep working after a restart; a
button whose state is gone arrives as `InvalidCallbackData` (the polite "hết hạn").
A Button is also the string `<action>:<key>[:<n>]`, so handlers are still routed by
`CallbackQueryHandler(..., pattern=f"^{ACTION}:")`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import PersistenceInput, PicklePersistence

from bot import texts

MORE, FULL, UP, DOWN, EXAMPLE, DOCS, DOC_LIST, PLACE = "m", "t", "u", "d", "x", "v", "l", "p"
PICK, REMOVE, KEEP, RESTORE = "r", "g", "k", "h"  # /xoavanban: choose, confirm, cancel, undo


BUTTONS_FILE = "buttons.pickle"  # in the data directory
BUTTONS_KEPT = 20_000  # keyboards remembered; the least recently used are forgotten first
BUTTONS_SAVED_EVERY = 15.0  # seconds between writes of buttons.pickle (and at shutdown)


class Button(str):
    """Callback data carrying its state: `Button(FULL, state, 2)` reads 't:*:2' for the
    handler patterns, and `.key` is `state` itself (str and int keys are shown: 'v:1').

    >>> b = Button("v", 1); (b, b.action, b.key, b.item, b == "v:1")
    ('v:1', 'v', 1, None, True)
    """

    action: str
    key: Any
    item: int | None  # which quote of an answer, which example (`index` is str's)

    def __new__(cls, action: str, key: Any, index: int | None = None) -> Button:
        shown = key if isinstance(key, str | int) else "*"
        self = super().__new__(cls, f"{action}:{shown}" if index is None else f"{action}:{shown}:{index}")
        self.action, self.key, self.item = action, key, index
        return self

    def __getnewargs__(self) -> tuple[Any, ...]:  # type: ignore[override]
        """What pickle and deepcopy rebuild a Button from."""
        return self.action, self.key, self.item


def data(action: str, key: Any, index: int | None = None) -> Button:
    """The callback data of a button: its action, the state it needs, an optional index."""
    return Button(action, key, index)


def parse(callback_data: object) -> tuple[str, Any, int]:
    """(action, key, index) of a Button, or of a plain 't:Ab3dE_9x:2' string; index 0
    when absent, ('', '', 0) for anything else."""
    if isinstance(callback_data, Button):
        return callback_data.action, callback_data.key, callback_data.item or 0
    parts = (callback_data if isinstance(callback_data, str) else "").split(":")
    index = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    return parts[0], parts[1] if len(parts) > 1 else "", index


def button_persistence(data_dir: Path) -> PicklePersistence:
    """Where PTB keeps the buttons' state (and only that): `buttons.pickle` in the data dir."""
    only_buttons = PersistenceInput(bot_data=False, chat_data=False, user_data=False,
                                    callback_data=True)
    return PicklePersistence(data_dir / BUTTONS_FILE, store_data=only_buttons,
                             update_interval=BUTTONS_SAVED_EVERY)


def answer_keyboard(key: Any, ranks: list[int], more: bool) -> InlineKeyboardMarkup:
    """Under an answer: one 'Toàn văn' per quote, then 👍 👎 and 'Xem thêm'."""
    full = [
        InlineKeyboardButton(texts.BUTTON_FULL_NUMBERED.format(rank=rank) if len(ranks) > 1 else texts.BUTTON_FULL,
                             callback_data=data(FULL, key, i))
        for i, rank in enumerate(ranks)
    ]
    last = [
        InlineKeyboardButton("👍", callback_data=data(UP, key)),
        InlineKeyboardButton("👎", callback_data=data(DOWN, key)),
    ]
    if more:
        last.append(InlineKeyboardButton(texts.BUTTON_MORE, callback_data=data(MORE, key)))
    return InlineKeyboardMarkup([full, last])


def without_more(markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """The same keyboard once 'Xem thêm' has been used."""
    rows = [[b for b in row if b.text != texts.BUTTON_MORE] for row in markup.inline_keyboard]
    return InlineKeyboardMarkup([row for row in rows if row])


def feedback_keyboard(key: Any, index: int, place: str | None = None) -> InlineKeyboardMarkup:
    """Under a full passage: 👍 👎 about that passage, and "📖 Cả Điều 8" when it lies in one."""
    rows = [[
        InlineKeyboardButton("👍", callback_data=data(UP, key, index)),
        InlineKeyboardButton("👎", callback_data=data(DOWN, key, index)),
    ]]
    if place:
        label = texts.BUTTON_PLACE.format(place=place)
        rows.append([InlineKeyboardButton(label, callback_data=data(PLACE, key, index))])
    return InlineKeyboardMarkup(rows)


def examples_keyboard(key: Any, examples: list[str]) -> InlineKeyboardMarkup:
    """One button per example question."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(q, callback_data=data(EXAMPLE, key, i))] for i, q in
         enumerate(examples)]
    )


def documents_keyboard(page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◂ / ▸ between pages of the document list."""
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(texts.BUTTON_PREVIOUS, callback_data=data(DOCS, page - 1)))
    if page < pages - 1:
        row.append(InlineKeyboardButton(texts.BUTTON_NEXT, callback_data=data(DOCS, page + 1)))
    return InlineKeyboardMarkup([row]) if row else None


def no_answer_keyboard() -> InlineKeyboardMarkup:
    """Under a 'no answer': the list of documents."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.BUTTON_DOCUMENTS, callback_data=data(DOC_LIST, 0))]]
    )


def removal_choices(docs: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """/xoavanban with several matches: one button per (doc_id, heading)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"🗑 {heading[:60]}", callback_data=data(PICK, doc_id))]
         for doc_id, heading in docs]
    )


def removal_confirm(doc_id: str) -> InlineKeyboardMarkup:
    """Under the card of a document about to be removed."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.BUTTON_REMOVE, callback_data=data(REMOVE, doc_id)),
        InlineKeyboardButton(texts.BUTTON_KEEP, callback_data=data(KEEP, doc_id)),
    ]])


def restore_keyboard(doc_id: str) -> InlineKeyboardMarkup:
    """Under 'removed': put the document back."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.BUTTON_RESTORE, callback_data=data(RESTORE, doc_id))]]
    )


def restore_choices(kept: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Under /xoavanban: one '↩️' per removed file (doc_id, corpus path) kept for restoring."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"↩️ {rel[-60:]}", callback_data=data(RESTORE, doc_id))] for doc_id, rel in kept]
    )
