"""The query log, feedback, usage statistics and per-chat settings, kept in the engine's
SQLite file.

Users are never stored by id: a salted sha256 (the salt is random and lives in the
database) lets us count distinct users and deduplicate feedback, nothing more.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from index.store import Connections


@dataclass(frozen=True)
class DayUsage:
    """Questions asked on one day and how many got an answer."""

    day: str  # ISO date, local time
    asked: int
    answered: int


@dataclass(frozen=True)
class Usage:
    """What `/thongke` shows: activity over the last `days` days."""

    days: tuple[DayUsage, ...]
    asked: int
    answered: int
    users: int
    top_unanswered: tuple[tuple[str, int], ...]  # (question as first asked, times)
    feedback_up: int
    feedback_down: int
    by_chat_type: tuple[tuple[str, int], ...]

    @property
    def answered_share(self) -> float:
        """Share of questions that got an answer, 0..1."""
        return self.answered / self.asked if self.asked else 0.0


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def question_key(question: str) -> str:
    """The form under which equal questions are counted together.

    >>> question_key("  Người vào ĐẢNG   bao nhiêu tuổi? ")
    'người vào đảng bao nhiêu tuổi?'
    """
    return " ".join(question.casefold().split())


class Logbook:
    """Query log and feedback in `db_path` (WAL); one connection per thread."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(db_path)
        self._connections = Connections(self.path)
        self._ensure_schema()
        self._salt = self._load_salt()

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection."""
        return self._connections.get()

    def close(self) -> None:
        """Close every thread's connection (at shutdown)."""
        self._connections.close()

    def _ensure_schema(self) -> None:
        db = self.db
        with db.conn:
            db.table("queries").create(
                {"id": int, "at": str, "chat_type": str, "user_hash": str, "question": str,
                 "answered": int, "reason": str, "top_passage": str, "n_hits": int,
                 "latency_ms": float},
                pk="id", if_not_exists=True,
            )
            db.table("queries").create_index(["at"], if_not_exists=True)
            db.table("feedback").create(
                {"id": int, "at": str, "chat_type": str, "user_hash": str, "question": str,
                 "passage_id": str, "value": int},
                pk="id", if_not_exists=True,
            )
            db.table("logbook_meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
            db.table("chat_settings").create(
                {"chat_id": int, "scope": str, "at": str}, pk="chat_id", if_not_exists=True)

    def _load_salt(self) -> str:
        with self.db.conn:
            self.db.execute(
                "INSERT OR IGNORE INTO logbook_meta (key, value) VALUES ('salt', ?)",
                [secrets.token_hex(16)],
            )
        return self.db.execute("SELECT value FROM logbook_meta WHERE key = 'salt'").fetchone()[0]

    def hash_user(self, user_id: int | None) -> str | None:
        """The salted hash under which a user id is stored."""
        if user_id is None:
            return None
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()[:24]

    def log_query(self, question: str, answered: bool, *, chat_type: str | None = None,
                  user_id: int | None = None, reason: str | None = None,
                  top_passage: str | None = None, n_hits: int = 0, latency_ms: float = 0.0,
                  at: datetime | None = None) -> int:
        """Record one question and what became of it; returns the row id."""
        row = {
            "at": _iso(at or _now()), "chat_type": chat_type,
            "user_hash": self.hash_user(user_id), "question": question,
            "answered": int(answered), "reason": reason, "top_passage": top_passage,
            "n_hits": n_hits, "latency_ms": round(latency_ms, 2),
        }
        with self.db.conn:
            return int(self.db.table("queries").insert(row).last_pk or 0)

    def add_feedback(self, question: str, passage_id: str | None, value: int, *,
                     user_id: int | None = None, chat_type: str | None = None,
                     at: datetime | None = None) -> None:
        """Record 👍 (+1) or 👎 (-1); a user's later vote on the same passage replaces theirs."""
        user_hash = self.hash_user(user_id)
        with self.db.conn:
            if user_hash is not None:
                self.db.execute(
                    "DELETE FROM feedback WHERE user_hash = ? AND question = ? "
                    "AND passage_id IS ?",
                    [user_hash, question, passage_id],
                )
            self.db.table("feedback").insert({
                "at": _iso(at or _now()), "chat_type": chat_type, "user_hash": user_hash,
                "question": question, "passage_id": passage_id, "value": 1 if value > 0 else -1,
            })

    # -- per-chat settings ------------------------------------------------------------------

    def chat_scope(self, chat_id: int) -> tuple[str, ...]:
        """The corpus paths of the documents a chat searches; () for all of them.

        >>> book = Logbook(Path(getfixture("tmp_path")) / "x.db")
        >>> book.set_chat_scope(-100, ["qd-294.pdf"]); book.chat_scope(-100), book.chat_scope(7)
        (('qd-294.pdf',), ())
        """
        row = self.db.execute("SELECT scope FROM chat_settings WHERE chat_id = ?", [chat_id]).fetchone()
        return tuple(json.loads(row[0])) if row and row[0] else ()

    def set_chat_scope(self, chat_id: int, paths: Sequence[str]) -> None:
        """Limit a chat to these documents (corpus paths: they outlive content versions);
        an empty list lifts the limit."""
        with self.db.conn:
            self.db.table("chat_settings").upsert(
                {"chat_id": chat_id, "scope": json.dumps(list(paths), ensure_ascii=False) if paths else None,
                 "at": _iso(_now())}, pk="chat_id")

    def move_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup (a new chat id): its settings follow it."""
        with self.db.conn:
            self.db.execute("UPDATE OR REPLACE chat_settings SET chat_id = ? WHERE chat_id = ?", [new_id, old_id])

    def usage(self, days: int = 7, *, now: datetime | None = None, utc_offset_hours: int = 7,
              top: int = 5) -> Usage:
        """Activity over the last `days` days, with days counted in local time (UTC+7)."""
        now = now or _now()
        since = _iso(now - timedelta(days=days))
        shift = f"{utc_offset_hours:+d} hours"
        rows = self.db.execute(
            "SELECT date(at, ?) AS day, count(*), sum(answered) FROM queries WHERE at >= ? "
            "GROUP BY day ORDER BY day",
            [shift, since],
        ).fetchall()
        per_day = tuple(DayUsage(day, asked, answered or 0) for day, asked, answered in rows)
        return Usage(
            days=per_day,
            asked=sum(d.asked for d in per_day),
            answered=sum(d.answered for d in per_day),
            users=self._scalar(
                "SELECT count(DISTINCT user_hash) FROM queries WHERE at >= ?", since
            ),
            top_unanswered=self._top_unanswered(since, top),
            feedback_up=self._scalar(
                "SELECT count(*) FROM feedback WHERE at >= ? AND value > 0", since
            ),
            feedback_down=self._scalar(
                "SELECT count(*) FROM feedback WHERE at >= ? AND value < 0", since
            ),
            by_chat_type=tuple(self.db.execute(
                "SELECT coalesce(chat_type, '?'), count(*) FROM queries WHERE at >= ? "
                "GROUP BY 1 ORDER BY 2 DESC",
                [since],
            ).fetchall()),
        )

    def _scalar(self, sql: str, *params: object) -> int:
        return int(self.db.execute(sql, list(params)).fetchone()[0] or 0)

    def _top_unanswered(self, since: str, top: int) -> tuple[tuple[str, int], ...]:
        counts: Counter[str] = Counter()
        first: dict[str, str] = {}
        for (question,) in self.db.execute(
            "SELECT question FROM queries WHERE at >= ? AND answered = 0 "
            "AND coalesce(reason, '') NOT IN ('empty', 'too_long') ORDER BY id",
            [since],
        ):
            key = question_key(question)
            counts[key] += 1
            first.setdefault(key, " ".join(question.split()))
        return tuple((first[key], n) for key, n in counts.most_common(top))
