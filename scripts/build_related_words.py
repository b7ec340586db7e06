"""Build index/data/related.tsv.gz: for each common Vietnamese word, the words used like it in
news text (word2vec neighbours over the VNTC corpus), for proposing the Party corpus's own words
in place of a question's words it lacks ("qua_đời" -> "từ_trần").

Needs the `model` extra (gensim), at build time only; `index.related` reads the file without it.

    .venv/bin/pip install -e '.[model]'
    .venv/bin/python scripts/build_related_words.py [--every 2] [--workers 2]

Segmented paragraphs are cached (`--cache`), so a second run with other training settings skips
segmentation. Training with several workers is not bit-for-bit reproducible (gensim's threads);
`--workers 1` with a fixed PYTHONHASHSEED is.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from multiprocessing import Pool
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.related import DEFAULT_PATH  # noqa: E402
from index.segmenter import dictionary  # noqa: E402
from index.text import normalize, segment  # noqa: E402

NEWS = ROOT.parent / "shared" / "bench" / "vntc_10topics.jsonl.gz"
CACHE = ROOT / "var" / "vntc_segmented.txt.gz"


@dataclass(frozen=True)
class Settings:
    """What the resource is built from and with (written to its header)."""

    every: int = 2  # every n-th article of VNTC
    vector_size: int = 100
    window: int = 5
    min_count: int = 5
    epochs: int = 5
    negative: int = 10
    sample: float = 1e-4
    seed: int = 1
    workers: int = 2
    keep_count: int = 10  # a word gets neighbours when seen this often (and is a dictionary or compound word)
    foreign_count: int = 30  # ... or, a single syllable outside the dictionary ("online"), this often
    top: int = 10
    min_cosine: float = 0.45


def articles(path: Path, every: int) -> Iterator[list[str]]:
    """The non-empty paragraphs of every `every`-th article of the news file."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in islice(f, 0, None, every):
            yield [p for p in json.loads(line)["paragraphs"] if p.strip()]


def segment_paragraph(text: str) -> str:
    """One paragraph as lowercase words with `_` between syllables, space-separated."""
    return " ".join(segment(normalize(text)))


def segment_corpus(news: Path, cache: Path, every: int, workers: int) -> None:
    """Write the sampled paragraphs, segmented, one per line, to `cache`."""
    paragraphs = (p for article in articles(news, every) for p in article)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    t0, n = time.perf_counter(), 0
    with Pool(workers) as pool, gzip.open(tmp, "wt", encoding="utf-8") as out:
        for words in pool.imap(segment_paragraph, paragraphs, chunksize=200):
            if words:
                out.write(words + "\n")
            n += 1
            if n % 50_000 == 0:
                logging.info("segmented %d paragraphs, %.0f/s", n, n / (time.perf_counter() - t0))
    tmp.replace(cache)
    logging.info("segmented %d paragraphs in %.0f s", n, time.perf_counter() - t0)


class Sentences:
    """The cached segmented paragraphs, re-readable for each training pass."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[list[str]]:
        with gzip.open(self.path, "rt", encoding="utf-8") as f:
            for line in f:
                yield line.split()


def train(sentences: Iterable[list[str]], s: Settings):  # noqa: ANN201 - gensim is untyped
    """Skip-gram word2vec over the segmented paragraphs."""
    from gensim.models import Word2Vec

    return Word2Vec(
        sentences, sg=1, vector_size=s.vector_size, window=s.window, min_count=s.min_count, epochs=s.epochs,
        negative=s.negative, sample=s.sample, seed=s.seed, workers=s.workers,
    )


def kept(words: list[str], counts: list[int], s: Settings) -> list[int]:
    """Indexes of the words that get, and may be, neighbours: letters only, common enough, and a
    dictionary word or a compound (a single syllable outside the dictionary needs more uses)."""
    known = {w.lower().replace(" ", "_") for w in dictionary()}
    out = []
    for i, (word, count) in enumerate(zip(words, counts, strict=True)):
        if not all(syll.isalpha() for syll in word.split("_")):
            continue
        if count >= s.keep_count and (word in known or "_" in word):
            out.append(i)
        elif count >= s.foreign_count:
            out.append(i)
    return out


def neighbours(vectors: np.ndarray, s: Settings, block: int = 2048) -> Iterator[list[tuple[int, float]]]:
    """For each row, the `top` other rows of highest cosine at or above `min_cosine`."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    for start in range(0, len(unit), block):
        sims = unit[start : start + block] @ unit.T
        for row, i in enumerate(range(start, min(start + block, len(unit)))):
            sims[row, i] = -1.0
        best = np.argpartition(-sims, s.top, axis=1)[:, : s.top]
        for row in range(len(best)):
            ranked = sorted(best[row], key=lambda j, r=row: -sims[r, j])
            yield [(int(j), float(sims[row, j])) for j in ranked if sims[row, j] >= s.min_cosine]


def write(path: Path, words: list[str], rows: Iterable[list[tuple[int, float]]], header: list[str]) -> int:
    """Write the resource; returns how many words it holds."""
    n = 0
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        for line in header:
            raw.write(f"# {line}\n".encode())
        for word, row in zip(words, rows, strict=True):
            if row:
                raw.write((word + "".join(f"\t{words[j]} {sim:.2f}" for j, sim in row) + "\n").encode())
                n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--news", type=Path, default=NEWS)
    parser.add_argument("--cache", type=Path, default=CACHE, help="segmented paragraphs (reused when present)")
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--every", type=int, default=Settings.every, help="use every n-th article")
    parser.add_argument("--epochs", type=int, default=Settings.epochs)
    parser.add_argument("--workers", type=int, default=Settings.workers)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", force=True)
    s = Settings(every=args.every, epochs=args.epochs, workers=args.workers)
    t0 = time.perf_counter()
    if not args.cache.exists():
        segment_corpus(args.news, args.cache, s.every, s.workers)
    t1 = time.perf_counter()
    model = train(Sentences(args.cache), s)
    t2 = time.perf_counter()
    wv = model.wv
    keep = kept(list(wv.index_to_key), [wv.get_vecattr(w, "count") for w in wv.index_to_key], s)
    words = [wv.index_to_key[i] for i in keep]
    header = [
        f"Related words: word2vec (gensim, skip-gram) neighbours over VNTC news ({args.news.name}, "
        f"MIT licence), every {s.every}th article, segmented by index.text.segment.",
        f"Settings: {json.dumps(asdict(s))}; {model.corpus_total_words} training words, "
        f"{len(wv)} trained words, {len(words)} kept.",
        f"Rebuilt by: .venv/bin/python scripts/build_related_words.py --every {s.every} "
        f"--epochs {s.epochs} --workers {s.workers}",
        "Format: word, then up to 10 tab-separated 'neighbour cosine', best first.",
    ]
    n = write(args.out, words, neighbours(wv.vectors[keep], s), header)
    logging.info(
        "%d words with neighbours -> %s (%.1f MB); segmentation %.0f s, training %.0f s, total %.0f s",
        n, args.out, args.out.stat().st_size / 1e6, t1 - t0, t2 - t1, time.perf_counter() - t0,
    )


if __name__ == "__main__":
    main()
