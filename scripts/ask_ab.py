"""`Searcher.ask` latency of two checkouts on one index, alternating, in one run.

    .venv/bin/python scripts/ask_ab.py --before /tmp/old-checkout [--size 100000]

Builds (once, kept in --work-dir) an index of the first --size VNTC paragraphs with this
checkout, then times `ask` on the bench's questions made from titles (scripts/bench.py),
each asked twice, in a child process per checkout and round: this checkout and the one at
--before (a `git worktree` of an older commit; its code must read this index: same
engine schema and analysis version). Prints p50 / p99 per checkout and pass.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import json, sys, time
from pathlib import Path
from index.search import Searcher
s = Searcher.open(Path(sys.argv[1]))
questions = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
s.ask(questions[0])
out = []
for _ in range(2):
    times = []
    for q in questions:
        t = time.perf_counter(); s.ask(q); times.append((time.perf_counter() - t) * 1000)
    out.append(times)
print(json.dumps(out))
"""


def build(size: int, data: Path, questions: Path, n: int) -> None:
    """The index and the questions, unless already there."""
    from bench import CORPUS, make_questions, records  # scripts/bench.py

    from index.bulk import build as bulk_build

    if (data / "index" / "CURRENT").exists() and questions.exists():
        return
    titles: list[str] = []
    bulk_build(records(CORPUS, size, titles), data)
    questions.write_text(json.dumps(make_questions(titles, n), ensure_ascii=False), encoding="utf-8")


def timed(checkout: Path, data: Path, questions: Path) -> list[list[float]]:
    """Two passes of `ask` latencies (ms) with the code of `checkout`."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(data), str(questions)], env=env, cwd=checkout,
                         capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/vankien-ab"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "scripts"))
    data, questions = args.work_dir / f"data-{args.size}", args.work_dir / f"questions-{args.size}.json"
    args.work_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    build(args.size, data, questions, args.questions)
    print(f"index of {args.size} paragraphs ready ({time.perf_counter() - started:.0f} s)")
    print("| checkout | round | first pass p50 / p99 (ms) | second pass p50 / p99 (ms) |\n|---|---|---|---|")
    for r in range(args.rounds):
        for name, checkout in (("before", args.before), ("now", ROOT)):
            first, second = timed(checkout, data, questions)
            print(f"| {name} | {r + 1} | {pct(first, 50):.2f} / {pct(first, 99):.2f} | "
                  f"{pct(second, 50):.2f} / {pct(second, 99):.2f} |", flush=True)


if __name__ == "__main__":
    main()
