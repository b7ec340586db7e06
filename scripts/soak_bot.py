"""Soak test of the Telegram bot through Bot API faults (not run in CI).

The real Application long polls the local Bot API stand-in (tests/fake_telegram.py) over
an index of the shipped corpus. Questions arrive open-loop at `--rate` a second from
`--chats` private chats for `--minutes`; every minute a fault is injected (a 429 burst,
runs of 500s and 502s, dropped connections, slow answers past the read timeout, getUpdates
outages of 60 s and 30 s). At the end it prints, per question: answered once, lost,
duplicated; the p50/p99 latency from the update being pushed to its answer; the warnings
and errors logged; and the process RSS at start and end.

An answer is recognised by its text: each question of the pool is asked once before the
load, and only questions whose answer is one message of its own are kept.

    $ .venv/bin/python scripts/soak_bot.py                      # 10 minutes, 25/s, 300 chats
    $ .venv/bin/python scripts/soak_bot.py --minutes 2 --rate 20
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "scripts")]

from bot_latency import percentile, questions  # noqa: E402
from fake_telegram import TOKEN, FakeTelegram  # noqa: E402
from telegram.ext import Application  # noqa: E402

from bot.app import build_application, start_application, stop_application  # noqa: E402
from bot.config import Settings  # noqa: E402
from index.indexer import reindex  # noqa: E402

Fault = tuple[str, Callable[[FakeTelegram], None]]
FAULTS: list[Fault] = [
    ("429 burst", lambda f: f.fail("sendMessage", 429, "Too Many Requests: retry after 2",
                                   {"retry_after": 2}, times=20)),
    ("30 × HTTP 500", lambda f: f.fail("sendMessage", 500, "Internal Server Error", times=30)),
    ("30 dropped connections", lambda f: f.drop("sendMessage", times=30)),
    ("getUpdates outage 60 s", lambda f: f.outage("getUpdates", 60.0)),
    ("30 × HTTP 502", lambda f: f.fail("sendMessage", 502, "Bad Gateway", times=30)),
    ("5 answers held 16 s (read timeout)", lambda f: f.slow("sendMessage", 16.0, times=5)),
    ("429 burst", lambda f: f.fail("sendMessage", 429, "Too Many Requests: retry after 1",
                                   {"retry_after": 1}, times=20)),
    ("20 × HTTP 500 + 20 drops", lambda f: (f.fail("sendMessage", 500, "Internal Server Error", times=20),
                                           f.drop("sendMessage", times=20))),
    ("getUpdates outage 30 s", lambda f: f.outage("getUpdates", 30.0)),
    ("30 dropped connections", lambda f: f.drop("sendMessage", times=30)),
]


class Counts(logging.Handler):
    """Counts the warnings and errors logged, by logger and first words."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        """Count one record."""
        words = " ".join(record.getMessage().split()[:4])
        self.seen[f"{record.levelname} {record.name}: {words}"] += 1


def rss_mb() -> float:
    """This process's resident memory in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Ledger:
    """What was asked and answered, kept compact (the stand-in's own records are cleared)."""

    def __init__(self) -> None:
        self.asked: dict[tuple[int, str], list[float]] = defaultdict(list)  # (chat, answer) -> times
        self.got: dict[tuple[int, str], list[float]] = defaultdict(list)
        self.other: Counter[str] = Counter()

    def collect(self, fake: FakeTelegram, known: set[str]) -> None:
        """Move the stand-in's sendMessage calls into the ledger and clear its records."""
        calls, fake.calls[:] = list(fake.calls), []
        fake.messages.clear()
        fake.served_at.clear()
        for call in calls:
            if call.method == "sendMessage" and call.ok:
                text = call.params["text"]
                if text in known:
                    self.got[(int(call.params["chat_id"]), text)].append(call.at)
                else:
                    self.other[text[:60]] += 1


async def warm_pool(fake: FakeTelegram, pool: list[str]) -> dict[str, str]:
    """Ask each question once; question -> its answer, for one-message, distinct answers."""
    found: dict[str, list[str]] = {}
    for i, question in enumerate(pool):
        chat = 900_000 + i
        fake.send_text(fake.chat(chat).id, chat, question)
        await fake.wait_call("sendMessage", lambda c, chat=chat: c.params["chat_id"] == chat)
    await fake.settle(0.5)
    for i, question in enumerate(pool):
        found[question] = [c.params["text"] for c in fake.calls_of("sendMessage")
                           if c.params["chat_id"] == 900_000 + i]
    texts = Counter(t[0] for t in found.values() if len(t) == 1)
    return {q: t[0] for q, t in found.items() if len(t) == 1 and texts[t[0]] == 1}


async def load(app: Application, fake: FakeTelegram, answers: dict[str, str], args: argparse.Namespace,
               ledger: Ledger) -> list[tuple[float, float, str]]:
    """Push questions open-loop, inject a fault every minute; returns the faults' times."""
    pool, known = list(answers), set(answers.values())
    rng = random.Random(17)
    start, n = time.monotonic(), int(args.rate * args.minutes * 60)
    faults: list[tuple[float, float, str]] = []
    next_fault, k, next_collect = start + 30, 0, start + 5
    for i in range(n):
        await asyncio.sleep(max(0.0, start + i / args.rate - time.monotonic()))
        now = time.monotonic()
        if now >= next_fault:
            name, inject = FAULTS[k % len(FAULTS)]
            inject(fake)
            outage = fake._outage("getUpdates")
            faults.append((now, outage.until if outage and outage.until else now, name))
            print(f"{now - start:6.0f} s  RSS {rss_mb():.0f} MB, {len(ledger.asked)} chat-answers; fault: {name}",
                  flush=True)
            next_fault, k = next_fault + 60, k + 1
        if now >= next_collect:
            ledger.collect(fake, known)
            next_collect = now + 5
        chat = 200_000 + rng.randrange(args.chats)
        question = rng.choice(pool)
        fake.send_text(fake.chat(chat).id, chat, question)
        ledger.asked[(chat, answers[question])].append(time.monotonic())
    return faults


async def finish(fake: FakeTelegram, ledger: Ledger, known: set[str], timeout: float = 120.0) -> None:
    """Until every question has its answer (or the timeout), then a quiet spell for late repeats."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ledger.collect(fake, known)
        if all(len(ledger.got.get(key, [])) >= len(times) for key, times in ledger.asked.items()):
            break
        await asyncio.sleep(1.0)
    await asyncio.sleep(20.0)  # a slow answer (16 s) or a retry that repeats would land by now
    ledger.collect(fake, known)


def report(ledger: Ledger, counts: Counts, rss: tuple[float, float], seconds: float,
           outages: list[tuple[float, float]]) -> None:
    """Print the figures (latencies also without the questions asked while getUpdates was down)."""
    pushed = once = lost = duplicated = 0
    latencies: list[float] = []
    outside: list[float] = []
    for key, asked in ledger.asked.items():
        got = sorted(ledger.got.get(key, []))
        pushed += len(asked)
        lost += max(0, len(asked) - len(got))
        duplicated += max(0, len(got) - len(asked))
        once += min(len(asked), len(got))
        for a, g in zip(sorted(asked), got, strict=False):
            latencies.append((g - a) * 1000)
            if not any(begin <= a < end for begin, end in outages):
                outside.append((g - a) * 1000)
    print(f"\n{pushed} questions in {seconds:.0f} s ({pushed / seconds:.1f}/s) from "
          f"{len({c for c, _ in ledger.asked})} chats")
    print(f"answered once {once} · lost {lost} · duplicated {duplicated} · other replies "
          f"{sum(ledger.other.values())}")
    if latencies:
        print(f"update -> answer: p50 {percentile(latencies, 50):.0f} ms · p90 {percentile(latencies, 90):.0f} ms"
              f" · p99 {percentile(latencies, 99):.0f} ms · max {max(latencies):.0f} ms")
    if outside and outages:
        print(f"  asked outside getUpdates outages ({len(outside)}): p50 {percentile(outside, 50):.0f} ms"
              f" · p99 {percentile(outside, 99):.0f} ms · max {max(outside):.0f} ms")
    print(f"RSS {rss[0]:.0f} MB at start, {rss[1]:.0f} MB at the end ({(rss[1] / rss[0] - 1) * 100:+.1f} %)")
    print("warnings and errors logged:")
    for line, n in counts.seen.most_common(12):
        print(f"  {n:6d}  {line}")
    for text, n in ledger.other.most_common(5):
        print(f"  other reply ×{n}: {text!r}")


async def soak(data_dir: Path, args: argparse.Namespace) -> None:
    """Start the stand-in and the bot, warm the pool, run the load, report."""
    fake = await FakeTelegram().start()
    settings = Settings(data_dir=data_dir, corpus_dir=ROOT / "corpus", engine="tantivy", token=TOKEN,
                        base_url=fake.base_url, admin_ids=frozenset(), webhook_url=None,
                        webhook_secret=None, port=8443)
    app = build_application(settings)
    await start_application(app)
    counts, ledger = Counts(), Ledger()
    try:
        answers = await warm_pool(fake, questions(args.pool)[: args.pool])
        ledger.collect(fake, set())
        ledger.other.clear()
        print(f"{len(answers)} questions with a one-message answer of their own", flush=True)
        logging.getLogger().addHandler(counts)
        rss_start, started = rss_mb(), time.monotonic()
        faults = await load(app, fake, answers, args, ledger)
        seconds = time.monotonic() - started
        await finish(fake, ledger, set(answers.values()))
        report(ledger, counts, (rss_start, rss_mb()), seconds, [(a, b) for a, b, _ in faults if b > a])
    finally:
        await stop_application(app)
        await fake.stop()


def main() -> int:
    """Build the index of corpus/ in a temporary directory and soak the bot over it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=25.0, help="questions per second")
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--pool", type=int, default=80, help="distinct questions tried")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s",
                        stream=open("/dev/null", "w"), force=True)  # noqa: SIM115 - counted, not printed
    with tempfile.TemporaryDirectory() as tmp:
        reindex(ROOT / "corpus", Path(tmp))
        asyncio.run(soak(Path(tmp), args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
