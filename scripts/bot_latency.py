"""Latency of the Telegram bot, end to end over HTTP on 127.0.0.1.

Builds an index of the shipped corpus in a temporary directory, starts the local Bot API
stand-in (tests/fake_telegram.py) and the real Application long polling it, then asks
questions one at a time, each from its own private chat, and measures the time from the
stand-in serving the update (getUpdates) to the bot's sendMessage reaching the stand-in.

    $ .venv/bin/python scripts/bot_latency.py            # 200 questions
    $ .venv/bin/python scripts/bot_latency.py -n 500 --rate 10
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_telegram import TOKEN, FakeTelegram  # noqa: E402
from telegram.ext import Application  # noqa: E402

from bot.app import build_application, start_application, stop_application  # noqa: E402
from bot.config import Settings  # noqa: E402
from index.indexer import reindex  # noqa: E402

QUESTIONS = ROOT / "tests" / "data" / "questions.tsv"
FALLBACK = [
    "Người vào Đảng phải đủ bao nhiêu tuổi?",
    "Thời hạn dự bị của đảng viên là bao lâu?",
    "ket luan 01 ngay nao",
    "Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh",
]


def questions(n: int) -> list[str]:
    """`n` questions, cycling through the question table of the tests."""
    found = FALLBACK
    if QUESTIONS.is_file():
        rows = [line.split("\t") for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
        found = [r[1] for r in rows if len(r) > 1 and not r[0].startswith("#")] or FALLBACK
    return [found[i % len(found)] for i in range(n)]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def start_bot(data_dir: Path) -> tuple[FakeTelegram, Application]:
    """The local Bot API stand-in and the real bot over `data_dir`, both started; the
    per-user question limit is lifted (every question comes from its own chat anyway)."""
    fake = await FakeTelegram().start()
    settings = Settings(
        data_dir=data_dir, corpus_dir=ROOT / "corpus", engine="tantivy", token=TOKEN,
        base_url=fake.base_url, admin_ids=frozenset(), webhook_url=None, webhook_secret=None,
        port=8443,
    )
    app = build_application(replace(settings, questions_per_minute=10**6))
    await start_application(app)
    return fake, app


async def measure(data_dir: Path, n: int, rate: float) -> list[float]:
    """Latencies in ms of `n` questions asked at most `rate` per second."""
    fake, app = await start_bot(data_dir)
    latencies = []
    try:
        for i, question in enumerate(questions(n)):
            started = time.monotonic()
            chat_id = 10_000 + i
            fake.chat(chat_id)
            mark = len(fake.calls)
            update_id = fake.push({"message": {
                "message_id": 1, "date": int(time.time()), "chat": fake.chat(chat_id).json(),
                "from": fake.user(chat_id), "text": question,
            }})
            reply = await fake.wait_call(
                "sendMessage", lambda c, chat=chat_id: c.params["chat_id"] == chat, after=mark
            )
            latencies.append((reply.at - fake.served_at[update_id]) * 1000)
            await asyncio.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
    finally:
        await stop_application(app)
        await fake.stop()
    return latencies


def main() -> int:
    """Build the index, measure, print p50/p99."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="questions (default 200)")
    parser.add_argument("--rate", type=float, default=20.0,
                        help="questions per second at most (default 20; Telegram allows ~30 "
                             "messages/s per bot, which the rate limiter enforces)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        summary = reindex(ROOT / "corpus", Path(tmp))
        print(f"index: {summary.passages} passages from {summary.added} files "
              f"({summary.seconds:.1f} s)")
        latencies = asyncio.run(measure(Path(tmp), args.n, args.rate))
    print(f"{len(latencies)} questions, update served -> sendMessage received:")
    print(f"  p50 {statistics.median(latencies):.1f} ms · p90 {percentile(latencies, 90):.1f} ms"
          f" · p99 {percentile(latencies, 99):.1f} ms · max {max(latencies):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
