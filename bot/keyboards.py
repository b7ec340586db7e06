"""Inline keyboards and their callback data (always short: `<action>:<id>[:<n>]`)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts

MORE, FULL, UP, DOWN, EXAMPLE, DOCS, DOC_LIST, PLACE = "m", "t", "u", "d", "x", "v", "l", "p"
PICK, REMOVE, KEEP, RESTORE = "r", "g", "k", "h"  # /xoavanban: choose, confirm, cancel, undo
REPLACE_FILE, KEEP_BOTH = "w", "b"  # an upload whose file name is taken: overwrite, or keep both


def data(action: str, key: str | int, index: int | None = None) -> str:
    """Callback data: `m:Ab3dE_9x` or `t:Ab3dE_9x:2` (well under 64 bytes)."""
    return f"{action}:{key}" if index is None else f"{action}:{key}:{index}"


def parse(callback_data: str | None) -> tuple[str, str, int]:
    """('t', 'Ab3dE_9x', 2) from 't:Ab3dE_9x:2'; index 0 when absent."""
    parts = (callback_data or "").split(":")
    index = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    return parts[0], parts[1] if len(parts) > 1 else "", index


def answer_keyboard(key: str, ranks: list[int], more: bool) -> InlineKeyboardMarkup:
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


def feedback_keyboard(key: str, index: int, place: str | None = None) -> InlineKeyboardMarkup:
    """Under a full passage: 👍 👎 about that passage, and "📖 Cả Điều 8" when it lies in one."""
    rows = [[
        InlineKeyboardButton("👍", callback_data=data(UP, key, index)),
        InlineKeyboardButton("👎", callback_data=data(DOWN, key, index)),
    ]]
    if place:
        label = texts.BUTTON_PLACE.format(place=place)
        rows.append([InlineKeyboardButton(label, callback_data=data(PLACE, key, index))])
    return InlineKeyboardMarkup(rows)


def examples_keyboard(key: str, examples: list[str]) -> InlineKeyboardMarkup:
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


def upload_clash(key: str) -> InlineKeyboardMarkup:
    """Under 'a file of that name is already there': replace it, or keep both."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.BUTTON_REPLACE, callback_data=data(REPLACE_FILE, key)),
        InlineKeyboardButton(texts.BUTTON_KEEP_BOTH, callback_data=data(KEEP_BOTH, key)),
    ]])
