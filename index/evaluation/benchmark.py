"""Benchmarks with qrels: read them, index their corpus, rank and score their queries.

One corpus line `{"id", "text", ...}` is one passage (no chunking); a short first line
is the passage's heading and also goes to the title field. Queries are
`{"id", "text", "split"?}`; qrels lines are `qid<TAB>doc_id<TAB>relevance`. The ranking
is `Searcher.rank` (no "no answer" cut). R@k is the share of a query's relevant ids
found in the top k (for single-relevant benchmarks it equals hit@k and P@1 = R@1).
"""

from __future__ import annotations

import json
import random
import re
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.bulk import Record, build
from index.evaluation.metrics import METRICS, percentile, query_metrics
from index.text import DEFAULT_OPTIONS, Options, unaccented

MAX_TITLE_CHARS = 160  # a first line longer than this is body text, not a heading
SMALL_CORPUS_BYTES = 200_000

_WORD = re.compile(r"\w+")

IdRanker = Callable[[str, int], Sequence[str]]
"""(question, k) -> passage ids, best first."""


@dataclass(frozen=True)
class Query:
    """One benchmark question."""

    qid: str
    text: str
    split: str | None = None


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON-lines file (blank lines skipped)."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not a JSON object ({exc.msg})") from exc


def read_queries(path: Path, split: str | None = None) -> list[Query]:
    """Queries, keeping only `split` when given."""
    queries = [Query(str(o["id"]), str(o["text"]), o.get("split")) for o in read_jsonl(path)]
    return [q for q in queries if split is None or q.split == split]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """qid -> {doc_id: relevance}; relevance 0 lines are kept out."""
    qrels: dict[str, dict[str, int]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip() or parts[0].startswith("#"):
            continue
        rel = int(parts[2]) if len(parts) > 2 and parts[2].strip() else 1
        if rel > 0:
            qrels.setdefault(parts[0].strip(), {})[parts[1].strip()] = rel
    return qrels


def split_heading(text: str) -> tuple[str, str]:
    """(heading, text): a short first line followed by more text is the heading.

    >>> split_heading("Điều 2. Một số thuật ngữ\\nKLTN: Khóa luận tốt nghiệp")[0]
    'Điều 2. Một số thuật ngữ'
    """
    first, sep, rest = text.strip().partition("\n")
    first = " ".join(first.split())
    if sep and rest.strip() and len(first) <= MAX_TITLE_CHARS:
        return first, text
    return "", text


def corpus_records(path: Path, headings: bool = True) -> Iterator[Record]:
    """One record per corpus line; its heading (when `headings`) is the title."""
    for obj in read_jsonl(path):
        pid, text = str(obj["id"]), str(obj.get("text") or "")
        title = split_heading(text)[0] if headings else ""
        yield Record(key=pid, title=title, passages=(text,), passage_ids=(pid,))


def build_benchmark(corpus: Path, data_dir: Path, options: Options = DEFAULT_OPTIONS,
                    headings: bool = True, workers: int | None = None) -> Path:
    """Index a benchmark corpus into `data_dir` with the full analysis; returns it.
    Small corpora are analysed in-process (a process pool costs more than it saves)."""
    if workers is None and corpus.stat().st_size < SMALL_CORPUS_BYTES:
        workers = 1
    build(corpus_records(corpus, headings), data_dir, workers=workers, options=options)
    return data_dir


@dataclass(frozen=True)
class Scored:
    """One query's metrics and latency."""

    qid: str
    metrics: dict[str, float]
    ms: float


def score_queries(rank: IdRanker, queries: Sequence[Query], qrels: dict[str, dict[str, int]],
                  k: int = 10) -> list[Scored]:
    """Rank every query that has qrels and score it."""
    out = []
    for q in queries:
        relevant = qrels.get(q.qid)
        if not relevant:
            continue
        started = time.perf_counter()
        ranked = list(rank(q.text, k))[:k]
        ms = (time.perf_counter() - started) * 1000
        out.append(Scored(q.qid, query_metrics(ranked, relevant), ms))
    return out


def summarize(scored: Sequence[Scored]) -> dict[str, float | int]:
    """Mean metrics, latency p50/p99 (ms) and the number of queries."""
    n = len(scored)
    out: dict[str, float | int] = {"n_queries": n}
    out.update({m: round(sum(s.metrics[m] for s in scored) / n, 4) if n else 0.0 for m in METRICS})
    out["p50_ms"] = round(percentile([s.ms for s in scored], 50), 2)
    out["p99_ms"] = round(percentile([s.ms for s in scored], 99), 2)
    return out


def evaluate(rank: IdRanker, queries: Sequence[Query], qrels: dict[str, dict[str, int]],
             k: int = 10) -> dict[str, float | int]:
    """Mean metrics and latency (ms) of a ranker over the queries that have qrels."""
    return summarize(score_queries(rank, queries, qrels, k))


def searcher_ranker(searcher: Any) -> IdRanker:
    """Adapt `Searcher.rank` to an id ranker."""
    return lambda question, k: [pid for pid, _ in searcher.rank(question, k)]


def evaluate_benchmark(corpus: Path, queries: Sequence[Query], qrels: dict[str, dict[str, int]],
                       engine: str = "tantivy", k: int = 10) -> dict[str, float | int]:
    """Index a benchmark corpus in a temporary directory and evaluate our ranking on it."""
    from index.search import Searcher

    with tempfile.TemporaryDirectory(prefix="vankien-eval-") as tmp:
        searcher = Searcher.open(build_benchmark(Path(corpus), Path(tmp)), engine)
        return evaluate(searcher_ranker(searcher), queries, qrels, k)


# --- the queries as cadres type them ------------------------------------------------------


def typed_without_accents(text: str, how: str, key: str) -> str:
    """The text as typed without diacritics: on every word ("all"), or on about half of
    them ("half", drawn per word with a generator seeded by `key`, so runs repeat).

    >>> typed_without_accents("Đảng viên dự bị", "all", "q1")
    'Dang vien du bi'
    >>> typed_without_accents("Đảng viên dự bị", "half", "q1") == typed_without_accents("Đảng viên dự bị", "half", "q1")
    True
    """
    if how == "all":
        return unaccented(text)
    rng = random.Random(key)
    return _WORD.sub(lambda m: unaccented(m.group(0)) if rng.random() < 0.5 else m.group(0), text)


def mistyped(text: str, key: str, spellings: Mapping[str, tuple[str, ...]]) -> str:
    """The text with the marks of one word mistyped: a word with diacritics, drawn with a
    generator seeded by `key`, becomes another spelling of the same letters (from
    `spellings`: plain letters -> accented syllables) or the plain letters.

    >>> mistyped("Đảng viên dự bị", "q1", {"du": ("dư", "dự")}) in ("Đảng viên dư bị", "Đảng viên du bị")
    True
    """
    words = [m for m in _WORD.finditer(text) if unaccented(m.group(0)) != m.group(0)]
    rng = random.Random(key)
    if not words:
        return text
    m = rng.choice(words)
    typed = m.group(0).lower()
    plain = unaccented(typed)
    others = sorted({*spellings.get(plain, ()), plain} - {typed})
    if not others:
        return text
    wrong = rng.choice(others)
    wrong = wrong[:1].upper() + wrong[1:] if m.group(0)[:1].isupper() else wrong
    return text[: m.start()] + wrong + text[m.end() :]


def query_half(qid: str) -> str:
    """"dev" or "test", fixed by a hash of the query id (parameters are chosen on dev).

    >>> query_half("q3"), query_half("q4")
    ('dev', 'test')
    """
    return "dev" if zlib.crc32(qid.encode("utf-8")) % 2 == 0 else "test"
