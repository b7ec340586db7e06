"""The fault table: per Bot API fault kind, questions pushed, answered once, lost, duplicated.

Runs the scenarios of tests/test_bot_delivery.py (tests/bot_faults.py) one by one, each
against a fresh stand-in and the real Application over an index of the shipped corpus, and
prints a Markdown table.

    $ .venv/bin/python scripts/fault_table.py
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot_faults import FAULTS, HEADER, Tally, run_fault  # noqa: E402
from bot_helpers import make_settings  # noqa: E402
from fake_telegram import FakeTelegram  # noqa: E402

from bot.app import build_application, start_application, stop_application  # noqa: E402
from index.indexer import reindex  # noqa: E402


async def one(data_dir: Path, fault: str) -> Tally:
    """One fault kind against a fresh stand-in and bot (1 s read timeout, as in the tests)."""
    fake = await FakeTelegram().start()
    app = build_application(make_settings(fake, data_dir, ROOT / "corpus"), read_timeout=1.0)
    await start_application(app, poll_timeout=5)
    try:
        return await run_fault(fake, fault, first_chat=70_000)
    finally:
        await stop_application(app)
        await fake.stop()


def main() -> int:
    """Build the index, run every fault kind, print the table."""
    logging.basicConfig(level=logging.CRITICAL, force=True)
    with tempfile.TemporaryDirectory() as tmp:
        reindex(ROOT / "corpus", Path(tmp))
        rows = [asyncio.run(one(Path(tmp), fault)) for fault in FAULTS]
    print(HEADER)
    for row in rows:
        print(row.row())
    return 0 if all(r.lost == r.duplicated == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
