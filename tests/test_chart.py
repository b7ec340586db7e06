"""bot/chart.py: the /thongke chart, drawn from a real query log."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.chart import chart_png, per_day
from index.logbook import DayUsage, Logbook, Usage


def test_per_day_spans_thirty_days_with_quiet_days_at_zero() -> None:
    usage = Usage(days=(DayUsage("2026-12-01", 5, 2, 1), DayUsage("2026-12-05", 1, 1, 0)), asked=6, answered=3,
                  users=2, unsure=(), disliked=(), feedback_up=0, feedback_down=0, by_chat_type=(), related=1)
    span, counts = per_day(usage, date(2026, 12, 5))
    assert len(span) == 30 and span[0] == date(2026, 11, 6) and span[-1] == date(2026, 12, 5)
    assert (counts["answer"][-5], counts["related"][-5], counts["none"][-5]) == (2, 1, 2)
    assert counts["answer"][-1] == 1 and sum(counts["none"]) == 2 and counts["answer"][-2] == 0


def test_chart_png_of_a_query_log(tmp_path: Path) -> None:
    book = Logbook(tmp_path / "vankien.db")
    now = datetime(2026, 12, 5, 3, tzinfo=UTC)
    book.log_query("Người vào Đảng phải đủ bao nhiêu tuổi?", True, n_hits=1, at=now)
    book.log_query("Giá vàng hôm nay?", False, at=now)
    png = chart_png(book, now=now)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1008, 1104)
    assert book.most_cited(now=now) == []  # no documents in this database
    book.close()
