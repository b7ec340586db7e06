"""Where the buttons' state outlives the process: a small SQLite file in the data directory.

PTB's arbitrary callback data (`ApplicationBuilder().arbitrary_callback_data(n)`) keeps
each keyboard's data in memory behind short ids; this persistence writes it to
`buttons.sqlite`, one row per keyboard, and PTB reads it back at start-up, so a button
pressed after a restart or a deploy still works. PTB hands the whole cache over at every
save; only what changed is written (new keyboards, presses, evictions), off the event
loop, so a save costs milliseconds however many buttons are kept. Only callback data is
kept: no bot, chat or user data, no conversations.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

log = logging.getLogger(__name__)

SCHEMA = "CREATE TABLE IF NOT EXISTS keyboards (uuid TEXT PRIMARY KEY, access_time REAL, data BLOB)"
Row = tuple[str, float, bytes]


class ButtonStore(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB persistence of callback data only, in SQLite; writes what changed since the last save."""

    def __init__(self, path: Path, update_interval: float = 10.0) -> None:
        super().__init__(store_data=PersistenceInput(bot_data=False, chat_data=False,
                                                     user_data=False, callback_data=True),
                         update_interval=update_interval)
        self.path = path
        self._saved: dict[str, float] = {}  # keyboard id -> access time as written

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(SCHEMA)
        return db

    def _load(self) -> list[Row]:
        with self._connect() as db:
            return db.execute("SELECT uuid, access_time, data FROM keyboards ORDER BY access_time").fetchall()

    def _write(self, new: list[tuple[str, float, dict[str, Any]]], touched: list[tuple[float, str]],
               gone: list[str]) -> None:
        rows = [(uuid, at, pickle.dumps(data, pickle.HIGHEST_PROTOCOL)) for uuid, at, data in new]
        db = self._connect()
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO keyboards VALUES (?, ?, ?)", rows)
                db.executemany("UPDATE keyboards SET access_time = ? WHERE uuid = ?", touched)
                db.executemany("DELETE FROM keyboards WHERE uuid = ?", [(u,) for u in gone])
        finally:
            db.close()

    async def get_callback_data(self) -> CDCData | None:
        """The keyboards kept, oldest first; a row that no longer unpickles is skipped."""
        keyboards = []
        for uuid, at, blob in await asyncio.to_thread(self._load):
            try:
                keyboards.append((uuid, at, pickle.loads(blob)))
            except Exception:  # noqa: BLE001 - one unreadable keyboard only expires its buttons
                log.warning("Skipped an unreadable keyboard %s in %s", uuid, self.path.name, exc_info=True)
        self._saved = {uuid: at for uuid, at, _ in keyboards}
        return keyboards, {}

    async def update_callback_data(self, data: CDCData) -> None:
        """Write the keyboards added or pressed since the last save; forget the evicted."""
        current = {uuid: (at, buttons) for uuid, at, buttons in data[0]}
        new = [(u, at, b) for u, (at, b) in current.items() if u not in self._saved]
        touched = [(at, u) for u, (at, _) in current.items() if u in self._saved and self._saved[u] != at]
        gone = [u for u in self._saved if u not in current]
        if not (new or touched or gone):
            return
        await asyncio.to_thread(self._write, new, touched, gone)
        self._saved = {u: at for u, (at, _) in current.items()}

    async def flush(self) -> None:
        """Every save is already written through."""

    # -- what this persistence does not keep ------------------------------------------------

    async def get_bot_data(self) -> dict[Any, Any]:
        """Not kept."""
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not kept."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Not kept."""

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Not kept."""
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Not kept."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Not kept."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not kept."""

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Not kept."""
        return {}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Not kept."""

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Not kept."""

    async def drop_user_data(self, user_id: int) -> None:
        """Not kept."""

    async def get_conversations(self, name: str) -> ConversationDict:
        """Not kept."""
        return {}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        """Not kept."""
