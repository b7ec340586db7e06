"""index/audit.py: the audit trail and the administrators added in the bot, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from index.audit import AuditTrail
from index.logbook import Logbook


def test_entries_come_back_newest_first_with_the_query_logs_hash(tmp_path: Path) -> None:
    db = tmp_path / "vankien.db"
    book, trail = Logbook(db), AuditTrail(db)
    trail.record("upload", "ok", user_id=42, name="Lan", document="a.pdf")
    trail.record("reindex", "busy", name="root", via="cli")
    trail.record("remove", "refused", user_id=7, name="Khách")
    assert [(e.action, e.outcome, e.name, e.via) for e in trail.latest(2)] == [
        ("remove", "refused", "Khách", "telegram"), ("reindex", "busy", "root", "cli")]
    first = trail.latest()[-1]
    assert first.who == book.hash_user(42) and first.who != "42" and first.document == "a.pdf"
    assert trail.latest()[1].who is None  # the terminal has no Telegram id
    book.close()
    trail.close()


def test_admins_are_added_once_and_removed_once(tmp_path: Path) -> None:
    trail = AuditTrail(tmp_path / "vankien.db")
    assert trail.add_admin(3003, "Minh") and not trail.add_admin(3003, "Lan")
    assert trail.admin_ids() == frozenset({3003}) and trail.admins()[0].added_by == "Minh"
    trail.close()
    again = AuditTrail(tmp_path / "vankien.db")  # kept across a restart
    assert again.admin_ids() == frozenset({3003})
    assert again.remove_admin(3003) and not again.remove_admin(3003)
    assert again.admin_ids() == frozenset()
    again.close()
