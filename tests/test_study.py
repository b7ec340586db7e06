"""The study tables (index/study.py) on a real SQLite file: sessions, quiz answers, scores,
subscriptions, and the chat a question was asked in."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from index.logbook import Logbook
from index.study import Study

T0 = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
GROUP = -100321


def book(tmp_path: Path) -> Study:
    return Study(Logbook(tmp_path / "v.db"))


def test_a_session_covers_what_was_asked_in_its_chat(tmp_path: Path) -> None:
    s = book(tmp_path)
    s.logbook.log_query("trước buổi", True, chat_id=GROUP, at=T0 - timedelta(minutes=5))
    started = s.start_session(GROUP, "Học Điều lệ", 7, at=T0)
    s.logbook.log_query("câu một", True, chat_id=GROUP, top_passage="p-1", at=T0 + timedelta(minutes=1))
    s.logbook.log_query("chat khác", True, chat_id=42, at=T0 + timedelta(minutes=2))
    ended = s.end_session(GROUP, at=T0 + timedelta(hours=1))
    assert ended.id == started.id and ended.title == "Học Điều lệ" and ended.ended
    assert [a.question for a in s.asked(GROUP, ended.started, ended.ended)] == ["câu một"]
    assert s.open_session(GROUP) is None


def test_without_batdau_a_recap_covers_the_last_three_hours(tmp_path: Path) -> None:
    s = book(tmp_path)
    window = s.end_session(GROUP, at=T0)
    assert window.id is None
    assert datetime.fromisoformat(window.ended or "") - datetime.fromisoformat(window.started) == timedelta(hours=3)


def test_answers_scores_and_a_retracted_vote(tmp_path: Path) -> None:
    s = book(tmp_path)
    s.record_poll("P1", GROUP, 1, "p-1", "d", "q1", 2)
    s.record_poll("P2", GROUP, 2, "p-2", "d", "q2", 0)
    assert s.record_answer("P1", 7, "Lan", [2]) is True
    assert s.record_answer("P2", 7, "Lan", [1]) is False
    assert s.record_answer("P1", 8, "Hùng", [2]) is True
    assert s.record_answer("P9", 8, "Hùng", [0]) is None  # not a poll of this bot
    scores, polls = s.scores(GROUP, "2000")
    assert polls == 2 and [(x.name, x.right, x.answered) for x in scores] == [("Hùng", 1, 1), ("Lan", 1, 2)]
    s.record_answer("P1", 8, "Hùng", [])  # the vote is retracted
    assert [x.name for x in s.scores(GROUP, "2000")[0]] == ["Lan"]
    assert s.asked_passages(GROUP, "2000") == {"p-1", "p-2"}
    hashes = [r[0] for r in s.db.execute("SELECT user_hash FROM poll_answers")]
    assert hashes and all(h not in ("7", "8") and len(h) == 24 for h in hashes)


def test_subscriptions(tmp_path: Path) -> None:
    s = book(tmp_path)
    assert s.subscribe(GROUP, "supergroup") is True and s.subscribe(GROUP, "supergroup") is False
    assert s.subscribe(7, "private") and s.subscribers() == [GROUP, 7]
    assert s.unsubscribe(GROUP) is True and s.unsubscribe(GROUP) is False and s.subscribers() == [7]


def test_an_older_query_log_gains_the_chat_column(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE queries (id INTEGER PRIMARY KEY, at TEXT, chat_type TEXT, user_hash TEXT, "
                   "question TEXT, answered INTEGER, reason TEXT, top_passage TEXT, n_hits INTEGER, "
                   "latency_ms FLOAT, confidence TEXT)")
        db.execute("INSERT INTO queries (at, question, answered, confidence) VALUES ('2026-01-01', 'cũ', 1, 'answer')")
    log = Logbook(path)
    log.log_query("mới", True, chat_id=GROUP)
    rows = log.db.execute("SELECT question, chat_id FROM queries ORDER BY id").fetchall()
    assert rows == [("cũ", None), ("mới", GROUP)]
