"""The audit trail (who did what to the corpus, to which document, when, how it ended) and
the administrators added in the bot, kept in the engine's SQLite file beside the query log.

Who: the salted hash of the Telegram user id (as the query log keeps it) and the display
name the person had then; on the command line, the operating-system user.

>>> trail = AuditTrail(getfixture("tmp_path") / "x.db")
>>> _ = trail.record("upload", "ok", user_id=7, name="Minh", document="qd-294.pdf")
>>> [(e.action, e.outcome, e.name, e.document) for e in trail.latest()]
[('upload', 'ok', 'Minh', 'qd-294.pdf')]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from index.logbook import UserTables

# What an entry records (`action`), and how it ended (`outcome`).
ACTIONS = ("upload", "replace", "keep_both", "remove", "restore", "reindex", "scope",
           "audit", "stats", "admins", "admin_add", "admin_remove")
OUTCOMES = ("ok", "failed", "busy", "same", "refused", "gone")
ENTRY_COLUMNS = ("at", "who", "name", "action", "document", "outcome", "via")


@dataclass(frozen=True)
class Entry:
    """One line of the audit trail."""

    at: str  # ISO 8601, UTC
    who: str | None  # salted hash of the Telegram user id; None on the command line
    name: str | None  # display name (Telegram) or operating-system user (command line)
    action: str
    document: str | None
    outcome: str
    via: str = "telegram"  # or "cli"


@dataclass(frozen=True)
class Admin:
    """An administrator added in the bot (those of ADMIN_IDS are not stored)."""

    user_id: int
    added_by: str | None  # the display name of who added them
    at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AuditTrail(UserTables):
    """The `audit` and `admins` tables of `db_path` (WAL); one connection per thread."""

    def _ensure_schema(self) -> None:
        with self.db.conn:
            self.db.table("audit").create(
                {"id": int, **{c: str for c in ENTRY_COLUMNS}}, pk="id", if_not_exists=True)
            self.db.table("audit").create_index(["at"], if_not_exists=True)
            self.db.table("admins").create(
                {"user_id": int, "added_by": str, "at": str}, pk="user_id", if_not_exists=True)

    def record(self, action: str, outcome: str, *, user_id: int | None = None, name: str | None = None,
               document: str | None = None, via: str = "telegram") -> int:
        """Add one entry; returns its id."""
        row = {"at": _now(), "who": self.hash_user(user_id), "name": name, "action": action,
               "document": document, "outcome": outcome, "via": via}
        with self.db.conn:
            return int(self.db.table("audit").insert(row).last_pk or 0)

    def latest(self, n: int = 20) -> list[Entry]:
        """The `n` latest entries, newest first."""
        rows = self.db.execute(
            f"SELECT {', '.join(ENTRY_COLUMNS)} FROM audit ORDER BY id DESC LIMIT ?", [n]).fetchall()
        return [Entry(*row) for row in rows]

    # -- administrators added in the bot -------------------------------------------------

    def admins(self) -> list[Admin]:
        """The administrators added in the bot, oldest first."""
        rows = self.db.execute("SELECT user_id, added_by, at FROM admins ORDER BY at, user_id").fetchall()
        return [Admin(*row) for row in rows]

    def admin_ids(self) -> frozenset[int]:
        """Their Telegram ids."""
        return frozenset(a.user_id for a in self.admins())

    def add_admin(self, user_id: int, added_by: str | None) -> bool:
        """Make `user_id` an administrator; False when they already were."""
        with self.db.conn:
            cursor = self.db.execute("INSERT OR IGNORE INTO admins (user_id, added_by, at) VALUES (?, ?, ?)",
                                     [user_id, added_by, _now()])
        return cursor.rowcount == 1

    def remove_admin(self, user_id: int) -> bool:
        """No longer an administrator; False when they were not one."""
        with self.db.conn:
            cursor = self.db.execute("DELETE FROM admins WHERE user_id = ?", [user_id])
        return cursor.rowcount == 1
