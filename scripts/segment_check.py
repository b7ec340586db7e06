"""Compare `index.segmenter` with `underthesea.word_tokenize` on news paragraphs: every
difference, how many paragraphs went to underthesea, and the speed of each.

    .venv/bin/python scripts/segment_check.py [--skip 0] [--n 20000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import underthesea  # noqa: E402

from index.segmenter import Segmenter  # noqa: E402

NEWS = ROOT.parent / "shared" / "bench" / "vntc_10topics.jsonl.gz"


def paragraphs(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield from (p for p in json.loads(line)["paragraphs"] if p.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--news", default=str(NEWS))
    parser.add_argument("--skip", type=int, default=0, help="paragraphs to skip first")
    parser.add_argument("--n", type=int, default=20_000, help="paragraphs to compare")
    args = parser.parse_args()
    segmenter = Segmenter()
    underthesea.word_tokenize("khởi động")  # load its model outside the timing
    theirs = ours = 0.0
    checked = differ = 0
    for text in islice(paragraphs(Path(args.news)), args.skip, args.skip + args.n):
        t0 = time.perf_counter()
        expected = underthesea.word_tokenize(text)
        t1 = time.perf_counter()
        got = segmenter.word_tokenize(text)
        t2 = time.perf_counter()
        theirs, ours, checked = theirs + t1 - t0, ours + t2 - t1, checked + 1
        if got != expected:
            differ += 1
            print(f"DIFFERS: {text[:300]!r}\n  underthesea: {expected}\n  ours:        {got}", flush=True)
    print(
        f"{checked} paragraphs, {differ} differ, {segmenter.fallbacks} handed to underthesea; "
        f"underthesea {theirs:.1f} s, ours {ours:.1f} s: {theirs / max(ours, 1e-9):.2f}x"
    )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
