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

from index.models import Confidence
from index.store import Connections


@dataclass(frozen=True)
class DayUsage:
    """Questions asked on one day and how many came out in each tier."""

    day: str  # ISO date, local time
    asked: int
    answered: int  # the `answer` tier
    related: int = 0  # the nearest passages, shown under a warning

    @property
    def nothing(self) -> int:
        """Questions of the `none` tier (nothing related, too long, or refused)."""
        return self.asked - self.answered - self.related


@dataclass(frozen=True)
class AskedQuestion:
    """A question as `/thongke` lists it: its latest tier, how often it was asked, its 👎."""

    question: str  # as first asked
    confidence: str | None  # the tier of its latest asking; None when it is not in the log
    times: int
    downs: int = 0


@dataclass(frozen=True)
class Usage:
    """What `/thongke` shows: activity over the last `days` days."""

    days: tuple[DayUsage, ...]
    asked: int
    answered: int
    users: int
    unsure: tuple[AskedQuestion, ...]  # the latest `related` and `none` questions, newest first
    disliked: tuple[AskedQuestion, ...]  # the other questions given a 👎, newest first
    feedback_up: int
    feedback_down: int
    by_chat_type: tuple[tuple[str, int], ...]
    related: int = 0

    @property
    def nothing(self) -> int:
        """Questions of the `none` tier."""
        return self.asked - self.answered - self.related

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


def user_salt(db: sqlite_utils.Database) -> str:
    """The database's random salt for hashing user ids (made on first use; shared by the
    query log and the audit trail, so one user hashes alike in both)."""
    with db.conn:
        db.table("logbook_meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
        db.execute("INSERT OR IGNORE INTO logbook_meta (key, value) VALUES ('salt', ?)", [secrets.token_hex(16)])
    return str(db.execute("SELECT value FROM logbook_meta WHERE key = 'salt'").fetchone()[0])


def hash_user_id(salt: str, user_id: int | None) -> str | None:
    """The salted hash under which a user id is stored; None for no user."""
    if user_id is None:
        return None
    return hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:24]


class UserTables:
    """Tables of `db_path` (WAL) that record what users did: one connection per thread, the
    database's salt for hashing user ids; subclasses create their tables in `_ensure_schema`."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(db_path)
        self._connections = Connections(self.path)
        self._ensure_schema()
        self._salt = user_salt(self.db)

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection."""
        return self._connections.get()

    def close(self) -> None:
        """Close every thread's connection (at shutdown)."""
        self._connections.close()

    def hash_user(self, user_id: int | None) -> str | None:
        """The salted hash under which a user id is stored."""
        return hash_user_id(self._salt, user_id)

    def _ensure_schema(self) -> None:
        raise NotImplementedError


class Logbook(UserTables):
    """Query log and feedback in `db_path` (WAL); one connection per thread."""

    def _ensure_schema(self) -> None:
        db = self.db
        with db.conn:
            db.table("queries").create(
                {"id": int, "at": str, "chat_type": str, "user_hash": str, "question": str,
                 "answered": int, "reason": str, "top_passage": str, "n_hits": int,
                 "latency_ms": float, "confidence": str},
                pk="id", if_not_exists=True,
            )
            self._add_confidence(db)
            if "chat_id" not in db.table("queries").columns_dict:  # a log from before study sessions
                db.table("queries").add_column("chat_id", int)
            db.table("queries").create_index(["at"], if_not_exists=True)
            db.table("feedback").create(
                {"id": int, "at": str, "chat_type": str, "user_hash": str, "question": str,
                 "passage_id": str, "value": int},
                pk="id", if_not_exists=True,
            )
            db.table("logbook_meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
            db.table("chat_settings").create(
                {"chat_id": int, "scope": str, "at": str}, pk="chat_id", if_not_exists=True)

    @staticmethod
    def _add_confidence(db: sqlite_utils.Database) -> None:
        """A query log from before the three tiers gains its `confidence` column: asked
        questions that were answered are `answer`, those that showed passages `related`,
        the rest `none`."""
        queries = db.table("queries")
        if "confidence" in queries.columns_dict:
            return
        queries.add_column("confidence", str)
        db.execute("UPDATE queries SET confidence = CASE WHEN answered = 1 THEN 'answer' "
                   "WHEN n_hits > 0 THEN 'related' ELSE 'none' END")

    def log_query(self, question: str, answered: bool, *, chat_type: str | None = None,
                  user_id: int | None = None, reason: str | None = None,
                  top_passage: str | None = None, n_hits: int = 0, latency_ms: float = 0.0,
                  confidence: str | None = None, at: datetime | None = None, chat_id: int | None = None) -> int:
        """Record one question and what became of it (its tier: `answer`, `related` or
        `none`, read from `answered` and `n_hits` when not given) and the chat it was asked
        in (a session recap lists a group's questions); returns the row id."""
        tier = Confidence(confidence or ("answer" if answered else "related" if n_hits else "none"))
        row = {
            "at": _iso(at or _now()), "chat_type": chat_type,
            "user_hash": self.hash_user(user_id), "question": question,
            "answered": int(answered), "reason": reason, "top_passage": top_passage,
            "n_hits": n_hits, "latency_ms": round(latency_ms, 2), "confidence": tier.value,
            "chat_id": chat_id,
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
            "SELECT date(at, ?) AS day, count(*), sum(confidence = 'answer'), sum(confidence = 'related') "
            "FROM queries WHERE at >= ? GROUP BY day ORDER BY day",
            [shift, since],
        ).fetchall()
        per_day = tuple(DayUsage(day, asked, answered or 0, related or 0) for day, asked, answered, related in rows)
        unsure, disliked = self._unsure_and_disliked(since, top)
        return Usage(
            days=per_day,
            asked=sum(d.asked for d in per_day),
            answered=sum(d.answered for d in per_day),
            related=sum(d.related for d in per_day),
            users=self._scalar(
                "SELECT count(DISTINCT user_hash) FROM queries WHERE at >= ?", since
            ),
            unsure=unsure,
            disliked=disliked,
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

    def most_cited(self, days: int = 30, top: int = 5, *, now: datetime | None = None) -> list[tuple[str, int]]:
        """The documents quoted first most often over the last `days` days (answers and the
        nearest passages shown), as (code or title, times), most first; [] before any index."""
        tables = set(self.db.table_names())
        if not {"passages", "documents"} <= tables:
            return []
        since = _iso((now or _now()) - timedelta(days=days))
        return [(str(name), int(n)) for name, n in self.db.execute(
            "SELECT coalesce(d.code, d.title) AS name, count(*) AS n FROM queries q "
            "JOIN passages p ON p.passage_id = q.top_passage JOIN documents d ON d.doc_id = p.doc_id "
            "WHERE q.at >= ? AND q.confidence IN ('answer', 'related') GROUP BY name ORDER BY n DESC, name LIMIT ?",
            [since, top])]

    def _scalar(self, sql: str, *params: object) -> int:
        return int(self.db.execute(sql, list(params)).fetchone()[0] or 0)

    def _unsure_and_disliked(self, since: str, top: int
                             ) -> tuple[tuple[AskedQuestion, ...], tuple[AskedQuestion, ...]]:
        """The `top` latest questions whose latest tier is `related` or `none` (a question
        too long to read is left out), and the `top` latest of the others given a 👎; each
        with its 👎 count."""
        first: dict[str, str] = {}  # question key -> the question as first asked
        asked: Counter[str] = Counter()
        latest: dict[str, str | None] = {}  # key -> tier, in the order of latest asking
        for question, tier, reason in self.db.execute(
            "SELECT question, confidence, reason FROM queries WHERE at >= ? ORDER BY at, id", [since]
        ):
            key = _count(question, first, asked)
            latest.pop(key, None)
            latest[key] = None if reason == "too_long" else tier
        downs: Counter[str] = Counter()
        voted: dict[str, None] = {}  # keys in the order of latest 👎
        for (question,) in self.db.execute(
            "SELECT question FROM feedback WHERE at >= ? AND value < 0 ORDER BY at, id", [since]
        ):
            key = _count(question, first, downs)
            voted.pop(key, None)
            voted[key] = None
        unsure = [k for k in reversed(latest) if latest[k] in (Confidence.RELATED, Confidence.NONE)][:top]
        disliked = [k for k in reversed(voted) if k not in unsure][:top]

        def listed(keys: list[str]) -> tuple[AskedQuestion, ...]:
            return tuple(AskedQuestion(first[k], latest.get(k), asked[k], downs[k]) for k in keys)

        return listed(unsure), listed(disliked)


def _count(question: str, first: dict[str, str], counts: Counter[str]) -> str:
    """Count a question under its key, remembering how it was first written; returns the key."""
    key = question_key(question)
    counts[key] += 1
    first.setdefault(key, " ".join(question.split()))
    return key
