"""Bot API faults injected into the stand-in, and the answers each question got.

Every question comes from its own private chat, so the answers it got are the messages
the stand-in accepted for that chat: none is a loss, the same text twice a duplicate.
Used by tests/test_bot_delivery.py and scripts/fault_table.py.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from fake_telegram import FakeTelegram

QUESTIONS = [
    "Người vào Đảng phải đủ bao nhiêu tuổi?",
    "Thời hạn dự bị của đảng viên là bao lâu?",
    "ket luan 01 ngay nao",
    "Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh",
    "Đảng viên dự bị có quyền biểu quyết không?",
    "Chi bộ sinh hoạt định kỳ mấy lần một tháng?",
]
OUTAGE = 4.0  # seconds of getUpdates outage in the tests (the soak script runs longer ones)
SLOW = 1.5  # seconds a slow answer is held back; tests give the bot a 1 s read timeout

FAULTS: dict[str, Callable[[FakeTelegram], None]] = {
    "429 burst": lambda f: f.fail("sendMessage", 429, "Too Many Requests: retry after 1",
                                  {"retry_after": 1}, times=6),
    "HTTP 500 run": lambda f: f.fail("sendMessage", 500, "Internal Server Error", times=6),
    "HTTP 502 run": lambda f: f.fail("sendMessage", 502, "Bad Gateway", times=6),
    "dropped connections": lambda f: f.drop("sendMessage", times=6),
    f"getUpdates outage {OUTAGE:g} s": lambda f: f.outage("getUpdates", OUTAGE),
    "slow answer (read timeout)": lambda f: f.slow("sendMessage", SLOW, times=2),
}


@dataclass(frozen=True)
class Tally:
    """Per fault kind: questions pushed, answered once, lost, duplicated."""

    fault: str
    pushed: int
    once: int
    lost: int
    duplicated: int

    def row(self) -> str:
        """One Markdown table row."""
        return f"| {self.fault} | {self.pushed} | {self.once} | {self.lost} | {self.duplicated} |"


HEADER = "| fault | pushed | answered once | lost | duplicated |\n|---|---|---|---|---|"


def answers_per_chat(fake: FakeTelegram, chats: list[int]) -> dict[int, Counter[str]]:
    """The texts the stand-in accepted for each chat, counted."""
    found: dict[int, Counter[str]] = {c: Counter() for c in chats}
    for call in fake.calls_of("sendMessage"):
        chat = int(call.params.get("chat_id", 0))
        if chat in found:
            found[chat][call.params["text"]] += 1
    return found


def tally(fault: str, fake: FakeTelegram, chats: list[int]) -> Tally:
    """Count each question's answers."""
    counts = list(answers_per_chat(fake, chats).values())
    lost = sum(1 for c in counts if not c)
    duplicated = sum(1 for c in counts if c and max(c.values()) > 1)
    return Tally(fault, len(chats), len(chats) - lost - duplicated, lost, duplicated)


async def wait_answered(fake: FakeTelegram, chats: list[int], timeout: float) -> None:
    """Until every chat has an answer and the bot has gone quiet (or the timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(answers_per_chat(fake, chats).values()):
            break
        await asyncio.sleep(0.1)
    await fake.settle(quiet=max(1.0, SLOW))


async def run_fault(fake: FakeTelegram, fault: str, first_chat: int,
                    timeout: float = 30.0) -> Tally:
    """Inject `fault`, ask the questions (one chat each), count their answers."""
    chats = [first_chat + i for i in range(len(QUESTIONS))]
    FAULTS[fault](fake)
    await asyncio.sleep(0.3)  # a getUpdates outage is under way before anyone asks
    for chat, question in zip(chats, QUESTIONS, strict=True):
        fake.send_text(fake.chat(chat).id, chat, question)
    await wait_answered(fake, chats, timeout)
    return tally(fault, fake, chats)
