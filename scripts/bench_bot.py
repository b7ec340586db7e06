"""Sustained throughput of the Telegram bot over HTTP: the real python-telegram-bot
Application (rate limiter on, concurrent updates) long polling the local Bot API stand-in
(tests/fake_telegram.py), against an index built by scripts/bench.py.

Unlike scripts/bot_latency.py (one question at a time, shipped corpus), this pushes
questions open-loop at a fixed rate, each from its own private chat, and measures how many
answers per second come back and the latency from the update to its `sendMessage`.

    $ .venv/bin/python scripts/bench.py --sizes 100000 --keep --skip-peers --reindex-docs 0
    $ .venv/bin/python scripts/bench_bot.py /tmp/vankien-bench/size-100000 --rate 30 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "scripts")]

from bench import latency  # noqa: E402
from bot_latency import start_bot  # noqa: E402
from fake_telegram import FakeTelegram  # noqa: E402

from bot.app import stop_application  # noqa: E402


async def load(data_dir: Path, questions: list[str], rate: float, seconds: float) -> dict[str, Any]:
    """Push `rate` questions a second for `seconds`; collect every answer."""
    fake, app = await start_bot(data_dir)
    pushed: dict[int, tuple[int, float]] = {}  # chat -> (update_id, pushed at)
    n = int(rate * seconds)
    start = time.monotonic()
    try:
        for i in range(n):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            chat_id = 100_000 + i
            fake.chat(chat_id)
            update_id = fake.push({"message": {
                "message_id": 1, "date": int(time.time()), "chat": fake.chat(chat_id).json(),
                "from": fake.user(chat_id), "text": questions[i % len(questions)],
            }})
            pushed[chat_id] = (update_id, time.monotonic())
        await wait_answers(fake, set(pushed), timeout=60)
    finally:
        await stop_application(app)
        await fake.stop()
    return summarize(fake, pushed, start, rate)


async def wait_answers(fake: FakeTelegram, chats: set[int], timeout: float) -> None:
    """Until every chat got its sendMessage (or the timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if chats <= {c.params.get("chat_id") for c in fake.calls_of("sendMessage")}:
            return
        await asyncio.sleep(0.1)


def summarize(fake: FakeTelegram, pushed: dict[int, tuple[int, float]], start: float, rate: float) -> dict[str, Any]:
    """Answers per second and latencies (from the push, and from getUpdates serving it)."""
    first_send: dict[int, float] = {}
    for call in fake.calls_of("sendMessage"):
        chat = int(call.params.get("chat_id", 0))
        if chat in pushed and chat not in first_send:
            first_send[chat] = call.at
    from_push = [(first_send[c] - t) * 1000 for c, (_, t) in pushed.items() if c in first_send]
    from_served = [(first_send[c] - fake.served_at[u]) * 1000 for c, (u, _) in pushed.items()
                   if c in first_send and u in fake.served_at]
    end = max(first_send.values(), default=start)
    return {
        "offered_rate": rate, "questions": len(pushed), "answered": len(first_send),
        "answers_per_s": len(first_send) / (end - start) if end > start else 0.0,
        "from_update_ms": latency(from_push) if from_push else None,
        "from_served_ms": latency(from_served) if from_served else None,
    }


def main() -> None:
    """Run the load and print one JSON line per rate."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data_dir", type=Path, help="an index built by scripts/bench.py (size-100000)")
    p.add_argument("--rate", type=float, nargs="+", default=[30.0], help="questions per second")
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--questions", type=Path, help="JSON list (default: data_dir/questions.json)")
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    questions = json.loads((args.questions or args.data_dir / "questions.json").read_text(encoding="utf-8"))
    for rate in args.rate:
        print(json.dumps(asyncio.run(load(args.data_dir, questions, rate, args.seconds))), flush=True)


if __name__ == "__main__":
    main()
