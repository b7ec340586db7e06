"""Speed and scale of vankien against its peers, on VNTC news paragraphs.

For each size: index build (wall, CPU, peak memory, passages/s), query latency of the
full pipeline (`Searcher.ask`) and of the ranking alone, the same ranking over the same
analysed terms with rank-bm25, bm25s and SQLite FTS5, cold start to first answer, and
serving memory. Once: incremental re-index after one changed file in a 10,000-file
corpus. Last: the Telegram bot's sustained throughput (scripts/bot_latency.py).

    $ .venv/bin/python scripts/bench.py --sizes 10000            # a couple of minutes
    $ nohup .venv/bin/python scripts/bench.py --sizes 10000,100000,all > var/bench.log &

See docs/performance.md for the table and what bounds each number.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import html
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "bench" / "vntc_10topics.jsonl.gz"
SEED = 20240601
WARMUP = ("Đảng viên phải làm gì?", "giá vàng hôm nay", "bóng đá Việt Nam")

# --- corpus and questions ------------------------------------------------------------

_TITLE_P = re.compile(r"<p\s+class=title>(.*?)</p>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def clean_title(raw: str) -> str:
    """The title text of a VNTC article: the `<p class=title>` part, tags stripped.

    >>> clean_title("<p class=title>TPHCM ban hành bảng giá đất</p><p class=ngay>01-01-2006</p>")
    'TPHCM ban hành bảng giá đất'
    """
    m = _TITLE_P.search(raw)
    text = _TAG.sub(" ", m.group(1) if m else raw)
    return " ".join(html.unescape(text).split())


def articles(corpus: Path) -> Iterator[dict[str, Any]]:
    """Articles of the gzipped JSON-lines corpus, streamed."""
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def records(corpus: Path, limit: int | None, titles: list[str] | None = None) -> Iterator[Any]:
    """Bulk records, one per article, until `limit` paragraphs (the last one cut short);
    the titles of the articles used are appended to `titles`."""
    from index.bulk import Record

    left = limit if limit is not None else sys.maxsize
    for art in articles(corpus):
        paras = tuple(p.strip() for p in art["paragraphs"] if p and p.strip())[:left]
        if not paras:
            continue
        title = clean_title(art.get("title") or "")
        if titles is not None:
            titles.append(title)
        yield Record(key=art["id"], title=title, passages=paras)
        left -= len(paras)
        if left <= 0:
            return


TEMPLATES = (
    "{} như thế nào?", "Vì sao {}?", "{} là gì?", "Tình hình {} ra sao?", "Cho biết về {}",
    "{}?", "Có phải {} không?", "Thông tin về {}",
)


def make_question(title: str, rng: random.Random) -> str:
    """A question a reader might type about an article, from its title: the first clause,
    at most 12 words, one or two words dropped, a template, sometimes without diacritics."""
    from index.text import fold

    clause = re.split(r"[.:;!?\-–—]\s", title, maxsplit=1)[0]
    words = [w.strip("\"'“”()[],") for w in clause.split()][:12]
    words = [w for w in words if w]
    for _ in range(rng.choice((0, 1, 1, 2)) if len(words) > 4 else 0):
        words.pop(rng.randrange(1, len(words)))
    text = " ".join(words)
    question = rng.choice(TEMPLATES).format(text[:1].lower() + text[1:] if rng.random() < 0.5 else text)
    return fold(question) if rng.random() < 0.1 else question


def make_questions(titles: list[str], n: int, seed: int = SEED) -> list[str]:
    """`n` questions from titles sampled with a fixed seed."""
    rng = random.Random(seed)
    usable = [t for t in titles if len(t.split()) >= 3]
    return [make_question(t, rng) for t in rng.sample(usable, min(n, len(usable)))]


# --- measuring ------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def latency(values_ms: list[float]) -> dict[str, float]:
    """p50, p99 and mean of latencies in ms."""
    return {"p50": percentile(values_ms, 50), "p99": percentile(values_ms, 99),
            "mean": statistics.fmean(values_ms), "n": len(values_ms)}


def timed(fn: Callable[[Any], Any], items: list[Any]) -> list[float]:
    """Wall milliseconds of fn(item) for each item."""
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def rss_mb(pid: int | str = "self", key: str = "VmRSS") -> float:
    """Resident memory (or VmHWM) of a process in MB, 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def tree_pids(pid: int) -> list[int]:
    """A process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children") if Path(f"/proc/{p}").exists() else ():
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return out


def cpu_s(pid: int) -> float:
    """User + system CPU seconds a live process has used (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PeakMemory:
    """Samples this process tree every 0.2 s: `.peak` is the summed RSS in MB, and
    `.descendants_cpu` the CPU seconds of every descendant as last seen. Pool workers that
    fork from a forkserver are not our children, so RUSAGE_CHILDREN misses them."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def descendants_cpu(self) -> float:
        return sum(self._cpu.values())

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            pids = tree_pids(os.getpid())
            self.peak = max(self.peak, sum(rss_mb(p) for p in pids))
            for p in pids[1:]:
                self._cpu[p] = max(self._cpu.get(p, 0.0), cpu_s(p))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def load_average() -> float:
    """1-minute load average (other work on the machine skews wall times)."""
    return os.getloadavg()[0]


# --- child: build ---------------------------------------------------------------------


def child_build(args: argparse.Namespace) -> dict[str, Any]:
    """Build the index of the first `size` paragraphs (run in its own process)."""
    from index.bulk import build

    titles: list[str] = []
    load0 = load_average()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with PeakMemory() as mem:
        stats = build(records(args.corpus, args.size, titles), args.data_dir, workers=args.workers)
    self_, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    main_cpu = self_.ru_utime + self_.ru_stime - cpu0[0].ru_utime - cpu0[0].ru_stime
    worker_cpu = max(kids.ru_utime + kids.ru_stime - cpu0[1].ru_utime - cpu0[1].ru_stime, mem.descendants_cpu)
    (args.data_dir / "titles.json").write_text(json.dumps(titles, ensure_ascii=False))
    return {
        "documents": stats.documents, "passages": stats.passages, "wall_s": stats.seconds,
        "cpu_s": main_cpu + worker_cpu, "main_cpu_s": main_cpu, "worker_cpu_s": worker_cpu,
        "analysis_cpu_s": stats.analysis_seconds, "peak_rss_mb": mem.peak,
        "passages_per_s": stats.passages / stats.seconds,
        "analysis_speedup": stats.analysis_seconds / stats.seconds, "workers": args.workers,
        "load_avg": (load0 + load_average()) / 2,
    }


# --- child: analysis throughput ----------------------------------------------------------


def child_analysis(args: argparse.Namespace) -> dict[str, Any]:
    """Analysis alone (no store, no tantivy) of the first `size` paragraphs with `workers`
    processes: passages per second, pool start-up included (run in a fresh process)."""
    from index.bulk import analysed
    from index.text import DEFAULT_OPTIONS

    t = time.perf_counter()
    passages = sum(len(rows) for _, rows, _ in analysed(records(args.corpus, args.size), args.workers, DEFAULT_OPTIONS))
    wall = time.perf_counter() - t
    return {"passages": passages, "workers": args.workers, "wall_s": wall, "passages_per_s": passages / wall}


def analysis_scaling(args: argparse.Namespace) -> dict[str, Any]:
    """Analysis throughput of the process pool ÷ that of one process, same paragraphs."""
    one = run_child("analysis", args, size=args.analysis_sample, workers=1)
    pool = run_child("analysis", args, size=args.analysis_sample, workers=args.workers)
    return {"one": one, "pool": pool, "speedup": pool["passages_per_s"] / one["passages_per_s"]}


# --- child: serving (cold start, latency, memory) -------------------------------------


def child_serve(args: argparse.Namespace) -> dict[str, Any]:
    """Cold start to first answer, then latencies of the full pipeline and of the ranking,
    then the serving RSS (run in a fresh process)."""
    t0 = time.perf_counter()
    from index.search import Searcher, build_query
    from index.text import analyze

    imported = time.perf_counter()
    searcher = Searcher.open(args.data_dir)
    opened = time.perf_counter()
    questions = json.loads(args.questions.read_text(encoding="utf-8"))
    first = searcher.ask(questions[0])
    answered = time.perf_counter()
    for q in WARMUP:
        searcher.ask(q)
    ask_ms = timed(searcher.ask, questions)
    answers = [searcher.ask(q) for q in questions]
    analyses = [analyze(q, question=True, options=searcher.options) for q in questions]
    specs = [build_query(a, searcher.ranking.weights) for a in analyses]
    analyse_ms = timed(lambda q: analyze(q, question=True, options=searcher.options), questions)
    rank_ms = timed(lambda spec: searcher.engine.search(spec, 10), specs)
    return {
        "cold_start_s": answered - t0, "import_s": imported - t0, "open_s": opened - imported,
        "first_ask_s": answered - opened, "first_answered": first.answered,
        "ask_ms": latency(ask_ms), "rank_ms": latency(rank_ms), "analyse_ms": latency(analyse_ms),
        "answered": sum(a.answered for a in answers) / len(answers),
        "serving_rss_mb": rss_mb(), "serving_hwm_mb": rss_mb(key="VmHWM"),
    }


# --- child: peers ---------------------------------------------------------------------


def flat_terms(spec: Any) -> list[str]:
    """The single terms of a query's word and folded clauses: what the peers search for."""
    return list(dict.fromkeys(c.term for c in spec if c.field in ("words", "folds")))


def passage_tokens(db_path: Path) -> Iterator[tuple[str, list[str]]]:
    """(passage_id, words + folds) of every passage, as the peers index them."""
    conn = sqlite3.connect(db_path)
    for pid, words, folds in conn.execute("SELECT passage_id, t_words, t_folds FROM passages"):
        yield pid, [sys.intern(t) for t in f"{words or ''} {folds or ''}".split()]
    conn.close()


def child_peers(args: argparse.Namespace) -> dict[str, Any]:
    """The same ranking (flat OR over the same analysed terms, top 10) with tantivy,
    bm25s, SQLite FTS5 and rank-bm25."""
    from index.search import Searcher, build_query
    from index.text import analyze

    searcher = Searcher.open(args.data_dir)
    questions = json.loads(args.questions.read_text(encoding="utf-8"))
    terms = [flat_terms(build_query(analyze(q, question=True, options=searcher.options))) for q in questions]
    terms = [t for t in terms if t]
    ids: list[str] = []
    corpus: list[list[str]] = []
    for pid, toks in passage_tokens(args.data_dir / "vankien.db"):
        ids.append(pid)
        corpus.append(toks)
    out: dict[str, Any] = {"tantivy_flat": peer_tantivy(searcher, terms)}
    out["bm25s"] = peer_bm25s(corpus, terms)
    out["fts5"] = peer_fts5(ids, corpus, terms, args.data_dir / "fts5.db")
    n = len(terms) if len(ids) <= args.rank_bm25_full_upto else args.rank_bm25_sample
    out["rank_bm25"] = peer_rank_bm25(corpus, terms[:n])
    out["rank_bm25"]["sampled"] = n < len(terms)
    return out


def peer_tantivy(searcher: Any, terms: list[list[str]]) -> dict[str, Any]:
    """Our engine running the peers' flat OR query (each term on the words and folds fields)."""
    from index.engine import Clause

    specs = [tuple(Clause(f, t) for t in ts for f in ("words", "folds")) for ts in terms]
    return {"query_ms": latency(timed(lambda s: searcher.engine.search(s, 10), specs))}


def peer_bm25s(corpus: list[list[str]], terms: list[list[str]]) -> dict[str, Any]:
    """bm25s over the same token lists."""
    import bm25s

    t = time.perf_counter()
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(tok, len(vocab)) for tok in doc] for doc in corpus]
    model = bm25s.BM25(k1=1.2, b=0.75)
    model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    built = time.perf_counter() - t
    del ids
    queries = [[tok for tok in ts if tok in vocab] or [next(iter(vocab))] for ts in terms]

    def run(q: list[str]) -> Any:
        return model.retrieve([[vocab[tok] for tok in q]], k=10, show_progress=False, n_threads=1)

    return {"build_s": built, "query_ms": latency(timed(run, queries))}


def peer_fts5(ids: list[str], corpus: list[list[str]], terms: list[list[str]], path: Path) -> dict[str, Any]:
    """SQLite FTS5 with bm25() over the same tokens (one space-joined column)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    t = time.perf_counter()
    conn.execute("CREATE VIRTUAL TABLE p USING fts5(pid UNINDEXED, terms, "
                 "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_-'\")")
    with conn:
        conn.executemany("INSERT INTO p VALUES (?, ?)", ((i, " ".join(d)) for i, d in zip(ids, corpus, strict=True)))
    conn.execute("INSERT INTO p(p) VALUES ('optimize')")
    built = time.perf_counter() - t

    def run(ts: list[str]) -> Any:
        match = " OR ".join('"' + tok.replace('"', '""') + '"' for tok in ts)
        return conn.execute("SELECT pid FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT 10", [match]).fetchall()

    result = {"build_s": built, "query_ms": latency(timed(run, terms))}
    conn.close()
    path.unlink(missing_ok=True)
    return result


def peer_rank_bm25(corpus: list[list[str]], terms: list[list[str]]) -> dict[str, Any]:
    """rank-bm25 BM25Okapi over the same tokens (the reference; slow)."""
    from rank_bm25 import BM25Okapi

    t = time.perf_counter()
    model = BM25Okapi(corpus, k1=1.2, b=0.75)
    built = time.perf_counter() - t
    return {"build_s": built, "query_ms": latency(timed(lambda q: model.get_top_n(q, corpus, 10), terms))}


# --- child: incremental re-index --------------------------------------------------------


def child_reindex(args: argparse.Namespace) -> dict[str, Any]:
    """Write `docs` articles as .txt files, index them, change one file, re-index."""
    from index.indexer import reindex

    corpus, data = args.data_dir / "corpus", args.data_dir / "data"
    shutil.rmtree(args.data_dir, ignore_errors=True)
    corpus.mkdir(parents=True)
    files = []
    for n, art in enumerate(articles(args.corpus)):
        if n >= args.docs:
            break
        path = corpus / f"{n:05d}.txt"
        body = "\n\n".join(p.strip() for p in art["paragraphs"] if p.strip())
        path.write_text(clean_title(art["title"]) + "\n\n" + body + "\n", encoding="utf-8")
        files.append(path)
    t = time.perf_counter()
    first = reindex(corpus, data, workers=args.workers)
    initial = time.perf_counter() - t
    unchanged = reindex(corpus, data, workers=args.workers)
    changed = files[len(files) // 2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nMột đoạn mới được thêm vào bài viết này.\n",
                       encoding="utf-8")
    again = reindex(corpus, data, workers=args.workers)
    return {"files": len(files), "passages": first.passages, "initial_s": initial,
            "unchanged_s": unchanged.seconds, "one_changed_s": again.seconds, "updated": again.updated}


# --- child: bot -------------------------------------------------------------------------


def bot_throughput(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """scripts/bench_bot.py over this index: answers per second and latency at each rate."""
    cmd = [sys.executable, str(ROOT / "scripts" / "bench_bot.py"), str(data_dir),
           "--seconds", str(args.bot_seconds), "--rate", *[str(r) for r in args.bot_rates]]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        return {"skipped": f"bench_bot.py failed: {proc.stderr.strip()[-400:]}"}
    return {"rates": [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]}


# --- orchestration ----------------------------------------------------------------------


def run_child(mode: str, args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and return its JSON."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--corpus", str(args.corpus),
           "--workers", str(args.workers), "--rank-bm25-sample", str(args.rank_bm25_sample),
           "--rank-bm25-full-upto", str(args.rank_bm25_full_upto)]
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{proc.stderr[-3000:]}")
    result = dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    result["process_wall_s"] = time.perf_counter() - t
    return result


def bench_size(args: argparse.Namespace, size: int | None) -> dict[str, Any]:
    """Every per-size measurement."""
    label = "all" if size is None else str(size)
    data_dir = args.work_dir / f"size-{label}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    log(f"[{label}] building")
    result: dict[str, Any] = {"size": label, "build": run_child("build", args, data_dir=data_dir,
                                                               size=size if size else "")}
    titles = json.loads((data_dir / "titles.json").read_text(encoding="utf-8"))
    qfile = data_dir / "questions.json"
    qfile.write_text(json.dumps(make_questions(titles, args.questions), ensure_ascii=False), encoding="utf-8")
    log(f"[{label}] built: {json.dumps(result['build'])}")
    result["serve"] = run_child("serve", args, data_dir=data_dir, questions_file=qfile)
    log(f"[{label}] served: {json.dumps(result['serve'])}")
    if not args.skip_peers:
        result["peers"] = run_child("peers", args, data_dir=data_dir, questions_file=qfile)
        log(f"[{label}] peers: {json.dumps(result['peers'])}")
    if args.bot_size == label and not args.skip_bot:
        result["bot"] = bot_throughput(args, data_dir)
        log(f"[{label}] bot: {json.dumps(result['bot'])}")
    if not args.keep:
        shutil.rmtree(data_dir / "index", ignore_errors=True)
        (data_dir / "vankien.db").unlink(missing_ok=True)
    return result


def log(message: str) -> None:
    """Progress on stderr, timestamped."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def table(results: dict[str, Any]) -> str:
    """The Markdown table of a run."""
    rows = [
        ("passages", lambda r: f"{r['build']['passages']:,}"),
        ("build wall / CPU (s)", lambda r: f"{r['build']['wall_s']:.0f} / {r['build']['cpu_s']:.0f}"),
        ("build passages/s", lambda r: f"{r['build']['passages_per_s']:.0f}"),
        ("analysis speed-up (CPU/wall)", lambda r: f"{r['build']['analysis_speedup']:.2f}×"),
        ("build peak RSS (MB, all processes)", lambda r: f"{r['build']['peak_rss_mb']:.0f}"),
        ("ask p50 / p99 (ms)", lambda r: _lat(r["serve"]["ask_ms"])),
        ("ranking p50 / p99 (ms)", lambda r: _lat(r["serve"]["rank_ms"])),
        ("analysis of the question p50 (ms)", lambda r: f"{r['serve']['analyse_ms']['p50']:.2f}"),
        ("tantivy flat OR p50 / p99 (ms)", lambda r: _peer(r, "tantivy_flat")),
        ("bm25s p50 / p99 (ms)", lambda r: _peer(r, "bm25s")),
        ("SQLite FTS5 bm25() p50 / p99 (ms)", lambda r: _peer(r, "fts5")),
        ("rank-bm25 p50 / p99 (ms)", lambda r: _peer(r, "rank_bm25")),
        ("rank-bm25 p50 ÷ ask p50", lambda r: _ratio(r)),
        ("cold start to first answer (s)", lambda r: f"{r['serve']['cold_start_s']:.2f}"),
        ("serving RSS (MB)", lambda r: f"{r['serve']['serving_rss_mb']:.0f}"),
        ("questions answered", lambda r: f"{r['serve']['answered']:.0%}"),
        ("load average during build", lambda r: f"{r['build']['load_avg']:.1f}"),
    ]
    rows += [(f"bot at {rate:g}/s: answers/s, p50 / p99 (ms)", _bot(i)) for i, rate in enumerate(_bot_rates(results))]
    sizes = results["sizes"]
    lines = ["| | " + " | ".join(r["size"] for r in sizes) + " |", "|---|" + "---|" * len(sizes)]
    for name, fmt in rows:
        lines.append(f"| {name} | " + " | ".join(_safe(fmt, r) for r in sizes) + " |")
    return "\n".join(lines)


def _safe(fmt: Callable[[dict[str, Any]], str], r: dict[str, Any]) -> str:
    try:
        return fmt(r)
    except (KeyError, TypeError, ZeroDivisionError):
        return "–"


def _lat(lat: dict[str, float]) -> str:
    return f"{lat['p50']:.2f} / {lat['p99']:.2f}"


def _peer(r: dict[str, Any], name: str) -> str:
    peer = r["peers"][name]
    note = f" (sample of {peer['query_ms']['n']})" if peer.get("sampled") else ""
    return _lat(peer["query_ms"]) + note


def _bot_rates(results: dict[str, Any]) -> list[float]:
    return [x["offered_rate"] for r in results["sizes"] for x in r.get("bot", {}).get("rates", [])][:4]


def _bot(i: int) -> Callable[[dict[str, Any]], str]:
    def fmt(r: dict[str, Any]) -> str:
        x = r["bot"]["rates"][i]
        return f"{x['answers_per_s']:.1f}, {_lat(x['from_update_ms'])}"
    return fmt


def _ratio(r: dict[str, Any]) -> str:
    return f"{r['peers']['rank_bm25']['query_ms']['p50'] / r['serve']['ask_ms']['p50']:.0f}×"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000,all", help="passage counts, comma-separated; 'all' = every one")
    p.add_argument("--corpus", type=Path, default=CORPUS, help="VNTC JSON lines, gzipped")
    p.add_argument("--work-dir", type=Path, default=Path("/tmp/vankien-bench"), help="scratch space")
    p.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "results.json")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="analysis processes")
    p.add_argument("--questions", type=int, default=200)
    p.add_argument("--rank-bm25-full-upto", type=int, default=100_000,
                   help="above this many passages, rank-bm25 runs only a sample of the questions")
    p.add_argument("--rank-bm25-sample", type=int, default=20)
    p.add_argument("--reindex-docs", type=int, default=10_000, help="files in the re-index corpus (0: skip)")
    p.add_argument("--bot-size", default="100000", help="size at which the bot is measured")
    p.add_argument("--bot-rates", type=float, nargs="+", default=[30.0, 40.0], help="questions per second")
    p.add_argument("--bot-seconds", type=float, default=20.0, help="seconds of load per rate")
    p.add_argument("--skip-peers", action="store_true")
    p.add_argument("--skip-bot", action="store_true")
    p.add_argument("--keep", action="store_true", help="keep the indexes in --work-dir")
    # internal: one measurement in a child process
    p.add_argument("--analysis-sample", type=int, default=20_000,
                   help="paragraphs for the analysis-only scaling measurement (0: skip)")
    p.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    p.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--size", type=lambda s: int(s) if s else None, help=argparse.SUPPRESS)
    p.add_argument("--docs", type=int, default=10_000, help=argparse.SUPPRESS)
    p.add_argument("--questions-file", dest="questions_path", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


CHILDREN = {"build": child_build, "serve": child_serve, "peers": child_peers, "reindex": child_reindex,
            "analysis": child_analysis}


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write results JSON and the Markdown table."""
    args = parse_args(argv)
    if args.child:
        if args.questions_path:
            args.questions = args.questions_path
        print(json.dumps(CHILDREN[args.child](args), ensure_ascii=False))
        return
    sizes = [None if s.strip() == "all" else int(s) for s in args.sizes.split(",")]
    results: dict[str, Any] = {"machine": machine(), "command": " ".join(sys.argv), "sizes": []}
    if args.reindex_docs:
        log("re-index")
        results["reindex"] = run_child("reindex", args, data_dir=args.work_dir / "reindex", docs=args.reindex_docs)
        log(f"re-index: {json.dumps(results['reindex'])}")
        save(args.out, results)
    if args.analysis_sample:
        log("analysis scaling")
        results["analysis"] = analysis_scaling(args)
        log(f"analysis scaling: {json.dumps(results['analysis'])}")
        save(args.out, results)
    for size in sizes:
        results["sizes"].append(bench_size(args, size))
        gc.collect()
        save(args.out, results)
    print(table(results))
    if "reindex" in results:
        r = results["reindex"]
        print(f"\nre-index of {r['files']:,} files ({r['passages']:,} passages): first {r['initial_s']:.1f} s, "
              f"unchanged {r['unchanged_s']:.2f} s, one file changed {r['one_changed_s']:.2f} s")
    if "analysis" in results:
        a = results["analysis"]
        print(f"analysis alone of {a['one']['passages']:,} paragraphs: {a['one']['passages_per_s']:.0f}/s in one "
              f"process, {a['pool']['passages_per_s']:.0f}/s with {a['pool']['workers']} workers: {a['speedup']:.2f}×")


def save(path: Path, results: dict[str, Any]) -> None:
    """Write the results so far."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


def machine() -> dict[str, Any]:
    """Cores, memory and versions."""
    import platform

    mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    return {"cores": os.cpu_count(), "memory_mb": mem, "python": platform.python_version(),
            "load_avg_start": load_average()}


if __name__ == "__main__":
    main()
