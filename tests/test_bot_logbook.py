"""The query log: hashed users, feedback, usage statistics (index/logbook.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from index.logbook import AskedQuestion, Logbook, question_key

NOW = datetime(2026, 5, 20, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội


def test_users_are_stored_as_salted_hashes(tmp_path: Path) -> None:
    book = Logbook(tmp_path / "v.db")
    book.log_query("Đảng viên dự bị?", True, chat_type="private", user_id=42, top_passage="p1")
    row = next(book.db.query("SELECT * FROM queries"))
    assert row["user_hash"] != "42" and len(row["user_hash"]) == 24
    assert Logbook(tmp_path / "v.db").hash_user(42) == row["user_hash"]  # same salt on reopen
    assert Logbook(tmp_path / "other.db").hash_user(42) != row["user_hash"]  # not guessable
    assert book.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_usage_over_the_last_days(tmp_path: Path) -> None:
    book = Logbook(tmp_path / "v.db")
    log = book.log_query
    log("Người vào Đảng bao nhiêu tuổi?", True, chat_type="private", user_id=1, n_hits=3, at=NOW)
    log("giá  VÀNG hôm nay", False, chat_type="supergroup", user_id=2, n_hits=1, confidence="related", at=NOW)
    log("Giá vàng hôm nay", False, chat_type="private", user_id=3, n_hits=1, confidence="related",
        at=NOW - timedelta(days=1))
    log("Nghị quyết 99", False, chat_type="private", user_id=1, reason="unknown_code",
        at=NOW - timedelta(days=1, hours=1))
    log("x" * 1200, False, chat_type="private", user_id=1, reason="too_long", at=NOW)
    log("cũ", False, chat_type="private", user_id=1, reason="no_match", at=NOW - timedelta(days=9))
    book.add_feedback("Người vào Đảng bao nhiêu tuổi?", "p1", 1, user_id=1, at=NOW)
    book.add_feedback("Người vào Đảng bao nhiêu tuổi?", "p1", -1, user_id=1, at=NOW)  # changes
    book.add_feedback("Người vào Đảng bao nhiêu tuổi?", "p1", 1, user_id=2, at=NOW)
    book.add_feedback("Giá vàng hôm nay", "p9", -1, user_id=2, at=NOW)
    usage = book.usage(7, now=NOW)
    assert [(d.day, d.asked, d.answered, d.related, d.nothing) for d in usage.days] == [
        ("2026-05-19", 2, 0, 1, 1), ("2026-05-20", 3, 1, 1, 1)]
    assert (usage.asked, usage.answered, usage.related, usage.nothing, usage.users) == (5, 1, 2, 2, 3)
    assert usage.answered_share == 0.2
    # newest first, each once with its latest tier; the one too long to read is left out
    assert usage.unsure == (AskedQuestion("Giá vàng hôm nay", "related", 2, 1),
                            AskedQuestion("Nghị quyết 99", "none", 1, 0))
    assert usage.disliked == (AskedQuestion("Người vào Đảng bao nhiêu tuổi?", "answer", 1, 1),)
    assert (usage.feedback_up, usage.feedback_down) == (1, 2)
    assert dict(usage.by_chat_type) == {"private": 4, "supergroup": 1}


def test_the_tier_is_read_from_the_old_answered_and_hits_when_not_given(tmp_path: Path) -> None:
    book = Logbook(tmp_path / "v.db")
    book.log_query("a", True, n_hits=3)
    book.log_query("b", False, n_hits=2)
    book.log_query("c", False, reason="no_match")
    assert [r["confidence"] for r in book.db.query("SELECT confidence FROM queries ORDER BY id")] == [
        "answer", "related", "none"]
    with pytest.raises(ValueError):
        book.log_query("d", False, confidence="maybe")


def test_a_log_from_before_the_tiers_gains_its_confidence_column(tmp_path: Path) -> None:
    """Regression guard: the bot opens databases written before the three tiers."""
    db = sqlite_utils.Database(tmp_path / "v.db")
    db["queries"].insert_all([
        {"id": 1, "at": NOW.isoformat(), "chat_type": "private", "user_hash": "h", "question": "q1",
         "answered": 1, "reason": None, "top_passage": "p1", "n_hits": 3, "latency_ms": 1.0},
        {"id": 2, "at": NOW.isoformat(), "chat_type": "private", "user_hash": "h", "question": "q2",
         "answered": 0, "reason": None, "top_passage": "p2", "n_hits": 1, "latency_ms": 1.0},
        {"id": 3, "at": NOW.isoformat(), "chat_type": "private", "user_hash": "h", "question": "q3",
         "answered": 0, "reason": "no_match", "top_passage": None, "n_hits": 0, "latency_ms": 1.0},
    ], pk="id")
    db.close()
    book = Logbook(tmp_path / "v.db")
    assert [r["confidence"] for r in book.db.query("SELECT confidence FROM queries ORDER BY id")] == [
        "answer", "related", "none"]
    usage = book.usage(7, now=NOW + timedelta(hours=1))
    assert (usage.asked, usage.answered, usage.related, usage.nothing) == (3, 1, 1, 1)
    book.log_query("q4", False, n_hits=2, confidence="related")  # and is written to as usual
    assert Logbook(tmp_path / "v.db").usage(7, now=NOW + timedelta(hours=1)).related == 2


def test_empty_log(tmp_path: Path) -> None:
    usage = Logbook(tmp_path / "v.db").usage()
    assert (usage.asked, usage.answered_share, usage.unsure, usage.disliked) == (0, 0.0, (), ())


def test_question_key() -> None:
    assert question_key("  Người vào ĐẢNG   bao nhiêu tuổi? ") == "người vào đảng bao nhiêu tuổi?"
