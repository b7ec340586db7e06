"""Study sessions in the SQLite store: quiz polls asked and their answers, sessions started
and ended in a chat, and chats subscribed to news of new documents.

Users are stored as the query log stores them (`Logbook.hash_user`), with the first name
they show in the chat, so that `/ketqua` can name who answered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from index.logbook import Logbook

RECENT = timedelta(hours=3)  # what a recap covers without /batdau


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Session:
    """A study session of one chat: since `started` (ISO), open while `ended` is None."""

    id: int | None
    chat_id: int
    title: str | None
    started: str
    ended: str | None = None


@dataclass(frozen=True)
class Score:
    """One person's quiz answers in a session."""

    name: str
    right: int
    answered: int


@dataclass(frozen=True)
class AskedInChat:
    """A question asked in a chat and the passage that answered it first."""

    question: str
    at: str
    passage_id: str | None
    confidence: str | None


class Study:
    """The study tables, beside the query log in its database."""

    def __init__(self, logbook: Logbook) -> None:
        self.logbook = logbook
        self._ensure_schema()

    @property
    def db(self):  # type: ignore[no-untyped-def]
        """This thread's connection (the logbook's)."""
        return self.logbook.db

    def _ensure_schema(self) -> None:
        db = self.db
        with db.conn:
            db.table("quiz_polls").create(
                {"poll_id": str, "chat_id": int, "message_id": int, "passage_id": str, "doc_id": str,
                 "question": str, "correct_option_id": int, "at": str}, pk="poll_id", if_not_exists=True)
            db.table("quiz_polls").create_index(["chat_id", "at"], if_not_exists=True)
            db.table("poll_answers").create(
                {"poll_id": str, "user_hash": str, "name": str, "option_id": int, "correct": int, "at": str},
                pk=("poll_id", "user_hash"), if_not_exists=True)
            db.table("study_sessions").create(
                {"id": int, "chat_id": int, "title": str, "started": str, "ended": str, "started_by": str},
                pk="id", if_not_exists=True)
            db.table("subscriptions").create(
                {"chat_id": int, "chat_type": str, "at": str}, pk="chat_id", if_not_exists=True)

    # -- quizzes -------------------------------------------------------------------------------

    def record_poll(self, poll_id: str, chat_id: int, message_id: int, passage_id: str, doc_id: str,
                    question: str, correct_option_id: int, at: datetime | None = None) -> None:
        """Remember a quiz poll sent to a chat."""
        with self.db.conn:
            self.db.table("quiz_polls").upsert({
                "poll_id": poll_id, "chat_id": chat_id, "message_id": message_id, "passage_id": passage_id,
                "doc_id": doc_id, "question": question, "correct_option_id": correct_option_id,
                "at": _iso(at or _now())}, pk="poll_id")

    def record_answer(self, poll_id: str, user_id: int, name: str, option_ids: list[int]) -> bool | None:
        """Record one person's answer to a quiz poll (a retracted vote removes it); whether it
        was right, or None for a poll this bot did not send."""
        row = self.db.execute("SELECT correct_option_id FROM quiz_polls WHERE poll_id = ?", [poll_id]).fetchone()
        if row is None:
            return None
        user_hash = self.logbook.hash_user(user_id)
        with self.db.conn:
            self.db.execute("DELETE FROM poll_answers WHERE poll_id = ? AND user_hash = ?", [poll_id, user_hash])
            if not option_ids:
                return None
            right = option_ids[0] == row[0]
            self.db.table("poll_answers").insert({
                "poll_id": poll_id, "user_hash": user_hash, "name": name, "option_id": option_ids[0],
                "correct": int(right), "at": _iso(_now())})
        return right

    def asked_passages(self, chat_id: int, since: str) -> set[str]:
        """The passages this chat was quizzed on since `since`."""
        rows = self.db.execute("SELECT passage_id FROM quiz_polls WHERE chat_id = ? AND at >= ?", [chat_id, since])
        return {r[0] for r in rows}

    def scores(self, chat_id: int, since: str, until: str | None = None) -> tuple[list[Score], int]:
        """Each person's right answers in this chat's quiz polls of the period, best first;
        and how many polls were sent."""
        until = until or "9999"
        polls = self.db.execute("SELECT count(*) FROM quiz_polls WHERE chat_id = ? AND at >= ? AND at <= ?",
                                [chat_id, since, until]).fetchone()[0]
        rows = self.db.execute(
            "SELECT a.user_hash, max(a.name), sum(a.correct), count(*) FROM poll_answers a "
            "JOIN quiz_polls p ON p.poll_id = a.poll_id WHERE p.chat_id = ? AND p.at >= ? AND p.at <= ? "
            "GROUP BY a.user_hash ORDER BY sum(a.correct) DESC, count(*) ASC, max(a.name)",
            [chat_id, since, until]).fetchall()
        return [Score(name or "?", int(right), int(n)) for _, name, right, n in rows], int(polls)

    # -- sessions ------------------------------------------------------------------------------

    def open_session(self, chat_id: int) -> Session | None:
        """The chat's session under way, if any."""
        row = self.db.execute(
            "SELECT id, chat_id, title, started, ended FROM study_sessions WHERE chat_id = ? AND ended IS NULL "
            "ORDER BY id DESC LIMIT 1", [chat_id]).fetchone()
        return Session(*row) if row else None

    def start_session(self, chat_id: int, title: str | None, user_id: int | None,
                      at: datetime | None = None) -> Session:
        """Start a session (one under way is ended first)."""
        now = _iso(at or _now())
        with self.db.conn:
            self.db.execute("UPDATE study_sessions SET ended = ? WHERE chat_id = ? AND ended IS NULL", [now, chat_id])
            pk = self.db.table("study_sessions").insert({
                "chat_id": chat_id, "title": title or None, "started": now, "ended": None,
                "started_by": self.logbook.hash_user(user_id)}).last_pk
        return Session(int(pk or 0), chat_id, title or None, now)

    def end_session(self, chat_id: int, at: datetime | None = None) -> Session:
        """End the session under way, or, without one, the last three hours as a session."""
        now = at or _now()
        found = self.open_session(chat_id)
        if found is None:
            return Session(None, chat_id, None, _iso(now - RECENT), _iso(now))
        with self.db.conn:
            self.db.execute("UPDATE study_sessions SET ended = ? WHERE id = ?", [_iso(now), found.id])
        return Session(found.id, chat_id, found.title, found.started, _iso(now))

    def since(self, chat_id: int, at: datetime | None = None) -> str:
        """When the chat's current session began: its /batdau, else three hours ago."""
        found = self.open_session(chat_id)
        return found.started if found else _iso((at or _now()) - RECENT)

    def asked(self, chat_id: int, since: str, until: str | None = None) -> list[AskedInChat]:
        """The questions asked in a chat in the period, in order."""
        rows = self.db.execute(
            "SELECT question, at, top_passage, confidence FROM queries WHERE chat_id = ? AND at >= ? AND at <= ? "
            "ORDER BY at, id", [chat_id, since, until or "9999"]).fetchall()
        return [AskedInChat(*r) for r in rows]

    # -- subscriptions -------------------------------------------------------------------------

    def subscribe(self, chat_id: int, chat_type: str | None) -> bool:
        """Subscribe a chat to news of new documents; False if it already was."""
        with self.db.conn:
            cur = self.db.execute("INSERT OR IGNORE INTO subscriptions (chat_id, chat_type, at) VALUES (?, ?, ?)",
                                  [chat_id, chat_type, _iso(_now())])
        return cur.rowcount > 0

    def unsubscribe(self, chat_id: int) -> bool:
        """Unsubscribe a chat; False if it was not subscribed."""
        with self.db.conn:
            cur = self.db.execute("DELETE FROM subscriptions WHERE chat_id = ?", [chat_id])
        return cur.rowcount > 0

    def subscribers(self) -> list[int]:
        """Every subscribed chat."""
        return [r[0] for r in self.db.execute("SELECT chat_id FROM subscriptions ORDER BY at, chat_id")]


def most_quoted(doc_ids: list[str | None], top: int = 3) -> list[tuple[str, int]]:
    """The documents quoted most, with how often.

    >>> most_quoted(["a", "b", "a", None])
    [('a', 2), ('b', 1)]
    """
    return Counter(d for d in doc_ids if d).most_common(top)
