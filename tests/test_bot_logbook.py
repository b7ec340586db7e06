"""The query log: hashed users, feedback, usage statistics (index/logbook.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from index.logbook import Logbook, question_key

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
    log("Người vào Đảng bao nhiêu tuổi?", True, chat_type="private", user_id=1, at=NOW)
    log("Giá vàng hôm nay", False, chat_type="supergroup", user_id=2, reason="no_match", at=NOW)
    log("giá  VÀNG hôm nay", False, chat_type="private", user_id=3, reason="no_match",
        at=NOW - timedelta(days=1))
    log("Nghị quyết 99", False, chat_type="private", user_id=1, reason="unknown_code",
        at=NOW - timedelta(days=1))
    log("x" * 1200, False, chat_type="private", user_id=1, reason="too_long", at=NOW)
    log("cũ", False, chat_type="private", user_id=1, reason="no_match", at=NOW - timedelta(days=9))
    book.add_feedback("Người vào Đảng bao nhiêu tuổi?", "p1", 1, user_id=1, at=NOW)
    book.add_feedback("Người vào Đảng bao nhiêu tuổi?", "p1", -1, user_id=1, at=NOW)  # changes
    book.add_feedback("Người vào Đảng bao nhiêu tuổi?", "p1", 1, user_id=2, at=NOW)
    usage = book.usage(7, now=NOW)
    assert [(d.day, d.asked, d.answered) for d in usage.days] == [
        ("2026-05-19", 2, 0), ("2026-05-20", 3, 1)]
    assert (usage.asked, usage.answered, usage.users) == (5, 1, 3)
    assert usage.answered_share == 0.2
    assert usage.top_unanswered == (("Giá vàng hôm nay", 2), ("Nghị quyết 99", 1))
    assert (usage.feedback_up, usage.feedback_down) == (1, 1)
    assert dict(usage.by_chat_type) == {"private": 4, "supergroup": 1}


def test_empty_log(tmp_path: Path) -> None:
    usage = Logbook(tmp_path / "v.db").usage()
    assert (usage.asked, usage.answered_share, usage.top_unanswered) == (0, 0.0, ())


def test_question_key() -> None:
    assert question_key("  Người vào ĐẢNG   bao nhiêu tuổi? ") == "người vào đảng bao nhiêu tuổi?"
