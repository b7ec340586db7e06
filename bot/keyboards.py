"""Inline keyboards and their callback data.

A button's callback data is a `Button`: the action letter, the state the button needs
(any picklable value: an AnswerState, a doc_id, a page number) and an optional item
number. PTB's arbitrary callback data sends Telegram a short id in its place and keeps the
Button in `buttons.sqlite` in the data directory (bot/buttons.py), so buttons keep working
after a restart; a button whose state is gone arrives as `InvalidCallbackData` and gets
the polite "hết hạn". Handlers are routed by action: `CallbackQueryHandler(h.x,
pattern=kb.on(kb.X))`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.buttons import ButtonStore

MORE, FULL, UP, DOWN, EXAMPLE, DOCS, DOC_LIST, PLACE = "m", "t", "u", "d", "x", "v", "l", "p"
PICK, REMOVE, KEEP, RESTORE = "r", "g", "k", "h"  # /xoavanban: choose, confirm, cancel, undo
QUIZ_NEXT, CARD = "q", "c"  # /ontap: the next question; a notice of new documents: a document's card

BUTTONS_FILE = "buttons.sqlite"  # in the data directory
BUTTONS_KEPT = 10_000  # keyboards remembered (about 2 KB each); the least recently used go first
BUTTONS_SAVED_EVERY = 10.0  # seconds between saves of what changed (and at shutdown)
APPLIED, ASK_IN, READ, ORIGINAL, FACET = "y", "i", "o", "z", "f"  # Hướng dẫn thi hành; a card's three buttons
REPLACE_FILE, KEEP_BOTH = "w", "b"  # an upload whose file name is taken: overwrite, or keep both


class Button(NamedTuple):
    """Callback data: an action letter, the state the button needs, an optional item number.

    >>> kb = Button("t", "Ab3dE_9x", 2); (kb.action, kb.key, kb.item, str(kb))
    ('t', 'Ab3dE_9x', 2, 't:Ab3dE_9x:2')
    """

    action: str
    key: Any
    item: int | None = None

    def __str__(self) -> str:
        shown = self.key if isinstance(self.key, str | int) else "…"
        return f"{self.action}:{shown}" if self.item is None else f"{self.action}:{shown}:{self.item}"


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


def on(*actions: str) -> Callable[[object], bool]:
    """The CallbackQueryHandler pattern for buttons of these actions: `pattern=on(MORE)`.

    >>> on(UP, DOWN)(data(UP, "k")), on(UP, DOWN)(data(MORE, "k")), on(UP)("u:k")
    (True, False, False)
    """
    return lambda callback_data: isinstance(callback_data, Button) and callback_data.action in actions


def button_persistence(data_dir: Path) -> ButtonStore:
    """Where PTB keeps the buttons' state (and only that): `buttons.sqlite` in the data dir."""
    return ButtonStore(data_dir / BUTTONS_FILE, update_interval=BUTTONS_SAVED_EVERY)


def answer_keyboard(key: Any, ranks: list[int], more: bool, applied: tuple[tuple[int, str], ...] = ()
                    ) -> InlineKeyboardMarkup:
    """Under an answer: one 'Toàn văn' per quote, then 👍 👎 and 'Xem thêm'; and one
    '📎 Hướng dẫn thi hành Điều 35' per quoted article that other documents apply
    (`applied`: the quote's index and its article)."""
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
    rows = [[InlineKeyboardButton(texts.BUTTON_APPLIED.format(article=article), callback_data=data(APPLIED, key, i))]
            for i, article in applied]
    return InlineKeyboardMarkup([full, last, *rows])


def with_facets(markup: InlineKeyboardMarkup, key: Any, labels: list[str]) -> InlineKeyboardMarkup:
    """An answer's keyboard with one row of facet buttons ("Trung ương", "2021–2025")."""
    row = [InlineKeyboardButton(label, callback_data=data(FACET, key, i)) for i, label in enumerate(labels)]
    return InlineKeyboardMarkup([*markup.inline_keyboard, row]) if row else markup


def card_keyboard(doc_id: str, original: bool) -> InlineKeyboardMarkup:
    """Under a document card: ask in it, read it from the start, the original file."""
    row = [InlineKeyboardButton(texts.BUTTON_ASK_IN, callback_data=data(ASK_IN, doc_id)),
           InlineKeyboardButton(texts.BUTTON_READ, callback_data=data(READ, doc_id, 0))]
    file = [InlineKeyboardButton(texts.BUTTON_FILE, callback_data=data(ORIGINAL, doc_id))]
    rows = [row, file] if original else [row]
    return InlineKeyboardMarkup(rows)


def read_on_keyboard(doc_id: str, ordinal: int) -> InlineKeyboardMarkup:
    """Under a page of a document read from the start: the next page."""
    button = InlineKeyboardButton(texts.BUTTON_READ_ON, callback_data=data(READ, doc_id, ordinal))
    return InlineKeyboardMarkup([[button]])


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


def quiz_next_keyboard(key: Any, done: int) -> InlineKeyboardMarkup:
    """Under a quiz poll: 'Câu tiếp' (the run `key`, after its question `done`)."""
    button = InlineKeyboardButton(texts.BUTTON_QUIZ_NEXT, callback_data=data(QUIZ_NEXT, key, done))
    return InlineKeyboardMarkup([[button]])


def cards_keyboard(docs: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Under a notice of new documents: one card button per (doc_id, short name)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.BUTTON_CARD.format(name=name[:50]), callback_data=data(CARD, doc_id))]
         for doc_id, name in docs]
    )


def upload_clash(key: str) -> InlineKeyboardMarkup:
    """Under 'a file of that name is already there': replace it, or keep both."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.BUTTON_REPLACE, callback_data=data(REPLACE_FILE, key)),
        InlineKeyboardButton(texts.BUTTON_KEEP_BOTH, callback_data=data(KEEP_BOTH, key)),
    ]])
