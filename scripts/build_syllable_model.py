"""Build the news prior of accent restoration: syllable and syllable-pair counts of the
VNTC news corpus (`index/data/syllables.tsv.gz`, read by `index.accents.news_prior`).

    .venv/bin/python scripts/build_syllable_model.py [--vntc ../shared/bench/vntc_10topics.jsonl.gz]

Every title and paragraph is normalized (NFC, one tone-mark placement) and lowercased; its
words of letters are counted as syllables, and two such words standing next to each other
(no number, code or punctuation between them) as a pair. Syllables seen at least
MIN_SYLLABLE times and pairs seen at least MIN_PAIR times are kept. The output is sorted and
gzipped without a timestamp, so the same input always gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.accents import PRIOR_FILE, TOTAL  # noqa: E402
from index.text import normalize  # noqa: E402

SOURCE = "VNTC news corpus, 10 topics (github.com/duyvuleo/VNTC, MIT licence)"
COMMAND = "python scripts/build_syllable_model.py --vntc vntc_10topics.jsonl.gz"
MIN_SYLLABLE = 5  # syllables seen fewer times are typos, names and foreign words
MIN_PAIR = 3  # pairs seen fewer times are left out (keeps the file under ~4 MB gzipped)
_BREAK = re.compile(r"[^\w\s]+|\w*[\d_]\w*")  # punctuation, numbers, codes: no pair across them


def texts(path: Path) -> Iterator[str]:
    """The title and paragraphs of every article, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            yield article.get("title") or ""
            yield from article.get("paragraphs") or ()


def runs(text: str) -> Iterator[list[str]]:
    """The text's runs of adjacent lowercase syllables, split at punctuation and numbers.

    >>> list(runs("Ông ngoại em già yếu, năm 2009 đã qua đời."))
    [['ông', 'ngoại', 'em', 'già', 'yếu'], ['năm'], ['đã', 'qua', 'đời']]
    """
    for piece in _BREAK.split(normalize(text).lower()):
        if words := piece.split():
            yield words


def count(pieces: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Syllable counts and pair counts ("x y") of the texts."""
    syllables: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for text in pieces:
        for words in runs(text):
            syllables.update(words)
            if len(words) > 1:
                pairs.update(f"{x} {y}" for x, y in zip(words, words[1:], strict=False))
    return syllables, pairs


def lines(syllables: Counter[str], pairs: Counter[str]) -> Iterator[str]:
    """The model file's lines: header, total, then one row per syllable (sorted): its count
    and the syllables seen after it with their pair counts, most frequent first."""
    kept = {s: n for s, n in syllables.items() if n >= MIN_SYLLABLE}
    after: dict[str, list[tuple[int, str]]] = {}
    for pair, n in pairs.items():
        x, y = pair.split(" ")
        if n >= MIN_PAIR and x in kept and y in kept:
            after.setdefault(x, []).append((-n, y))
    yield f"# Syllable and syllable-pair counts of the {SOURCE}."
    yield f"# Rebuilt by: {COMMAND}"
    yield (f"# Columns: syllable, times seen (>= {MIN_SYLLABLE}), the syllables seen right after it "
           f"(>= {MIN_PAIR} times) as 'y n y n ...'; the {TOTAL} row counts all syllables.")
    yield f"{TOTAL}\t{sum(syllables.values())}\t"
    for s in sorted(kept):
        follow = " ".join(f"{y} {-n}" for n, y in sorted(after.get(s, [])))
        yield f"{s}\t{kept[s]}\t{follow}"


def write(rows: Iterable[str], path: Path) -> None:
    """Gzip the rows to `path`, byte for byte the same for the same rows (no name, no time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write("".join(f"{r}\n" for r in rows).encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vntc", default=str(ROOT.parent / "shared" / "bench" / "vntc_10topics.jsonl.gz"))
    parser.add_argument("--out", default=str(ROOT / "index" / "data" / PRIOR_FILE))
    args = parser.parse_args()
    started = time.perf_counter()
    syllables, pairs = count(texts(Path(args.vntc)))
    write(lines(syllables, pairs), Path(args.out))
    size = Path(args.out).stat().st_size
    print(f"{args.out}: {size / 1e6:.2f} MB, {sum(syllables.values())} syllables counted "
          f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
