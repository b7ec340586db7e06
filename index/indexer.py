"""Re-indexing: corpus files -> store -> a new index generation, swapped in atomically.

Readers follow `data_dir/index/CURRENT`. A re-index analyses only files it has not seen,
writes a *new* generation directory (hard-linked from the previous one, then updated),
and only then replaces CURRENT with one `os.replace`. A re-index that fails or is killed
leaves CURRENT, its generation and the store rows it refers to untouched.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import select
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from index import generations, relations
from index.accents import ACCENTS_FILE, accented, gathering, read_syllables, syllable_lines
from index.chunk import chunk, locate
from index.engine import SCHEMA_VERSION, write_tantivy
from index.generations import IndexBusy, IndexNotFound, Manifest, index_root
from index.generations import current as current_generation
from index.generations import lock as reindex_lock
from index.ingest import SUPPORTED_SUFFIXES, IngestError, parse_file
from index.ingest.limits import deadline
from index.ingest.metadata import META_KEYS, METADATA_FILE, load_metadata, read_sidecar
from index.models import Document, ParsedFile
from index.store import Store
from index.text import ANALYSIS_VERSION, DEFAULT_OPTIONS, Analysis, analyze

# The generation names re-exported for callers that re-index (tests, the bot's admin).
__all__ = ["IndexBusy", "IndexNotFound", "IndexSummary", "current_generation", "index_root", "reindex", "reindex_lock"]

SYNONYMS_FILE = "synonyms.yaml"  # the administrators' everyday wording: documents' phrase -> [everyday, ...]
Progress = Callable[[int, int, str], None]
POOL_MIN_FILES = 8  # fewer files than this are analysed in-process
# One file's reading (ingest.PARSE_SECONDS at most), chunking and analysis; the largest
# shipped document takes ~2 s. Past this the file is skipped and named, the rest indexed.
FILE_SECONDS: float = 300


@dataclass(frozen=True)
class IndexSummary:
    """What a re-index did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    passages: int = 0
    seconds: float = 0.0
    skipped: tuple[tuple[str, str], ...] = ()  # (file, Vietnamese reason)
    generation: str | None = None
    added_titles: tuple[str, ...] = field(default=())
    reanalysed: bool = False  # every file analysed again: the analysis changed (an upgrade)
    synonyms: int | None = None  # groups of synonyms.yaml now in use, when this run changed them (bot.render words it)


# --- generations ----------------------------------------------------------------


def write_accents(gen: Path, syllables: set[str]) -> None:
    """The generation's accents file: the accented ones of these syllables."""
    generations.write_atomic(gen / ACCENTS_FILE, syllable_lines(accented(syllables)))


# --- analysis ---------------------------------------------------------------------


def load_synonyms(corpus_dir: Path) -> tuple[list[list[str]], str | None]:
    """The administrators' `synonyms.yaml`: each key a phrase as the documents write it, its
    value the everyday phrase (or list of them) cadres use for it; as groups, the documents'
    phrase first (`index.text.reworded`). An error if the file is malformed."""
    data, error = read_sidecar(corpus_dir, SYNONYMS_FILE)
    groups = []
    for key, value in data.items():
        everyday = value if isinstance(value, list) else [value]
        phrases = [" ".join(str(x).split()) for x in [key, *everyday]
                   if x is not None and any(ch.isalnum() for ch in str(x))]
        if len(phrases) > 1:
            groups.append(phrases)
    return groups, error


def version_id(rel: str, data: bytes, meta: dict[str, Any]) -> str:
    """Content version of a file: changes when its bytes, its sidecar entry or the analysis
    (`ANALYSIS_VERSION`) change."""
    h = hashlib.sha256(rel.encode())
    h.update(b"\0" + data + b"\0" + file_key(meta).encode())
    return h.hexdigest()[:16]


def file_key(meta: dict[str, Any]) -> str:
    """What, besides size and mtime, decides whether a file's stored analysis is current:
    its sidecar entry and the analysis version."""
    return json.dumps({"analysis": ANALYSIS_VERSION, "meta": meta}, sort_keys=True, ensure_ascii=False)


def _slug(rel: str) -> str:
    return Path(rel).stem.lower()


def joined(*parts: tuple[str, ...]) -> str:
    """Space-joined terms of several tuples."""
    return " ".join(t for part in parts for t in part)


def passage_rows(doc: Document, parsed: ParsedFile) -> list[dict[str, Any]]:
    """Chunk a parsed file and analyse every passage into store rows."""
    chunks = chunk(parsed.blocks)
    doc_codes = analyze(doc.code).codes if doc.code else ()
    # the title (and who issued or published it) describes every passage; its codes too
    title_terms = analyze(" . ".join(filter(None, [doc.title, doc.issuer, doc.publisher])))
    rows = []
    for ordinal, (piece, location) in enumerate(zip(chunks, locate(chunks), strict=True), 1):
        a = analyze(piece.text)
        rows.append({
            "passage_id": f"{doc.doc_id[:10]}-{ordinal:04d}",
            "doc_id": doc.doc_id, "ordinal": ordinal, "text": piece.text,
            "location": location, "context": piece.context,
            **term_columns(a, title_terms.codes, title_field(title_terms, piece.context), doc_codes),
        })
    return rows


def term_columns(a: Analysis, title_codes: tuple[str, ...], title: str, doc_codes: tuple[str, ...]) -> dict[str, str]:
    """The analysed store columns of one passage (every index field is built from them)."""
    return {
        "t_words": joined(a.words), "t_sylls": joined(a.sylls), "t_folds": joined(a.folds),
        "t_codes": joined(tuple(dict.fromkeys(a.codes + title_codes))), "t_title": title,
        "t_doccode": joined(doc_codes),
    }


def title_field(title: Analysis, context: str) -> str:
    """Terms of the title field: the document's title, then the headings above the
    passage, the nearest heading twice (it describes the passage most precisely)."""
    parts = [joined(title.words, title.folds)]
    headings = [h for h in context.split(" · ") if h] if context else []
    if headings:
        ctx = analyze(" . ".join(headings))
        near = analyze(headings[-1])
        parts += [joined(ctx.words, ctx.folds), joined(near.words, near.folds)]
    return " ".join(parts)


def analyze_file(
    path: Path, rel: str, doc_id: str, meta: dict[str, Any]
) -> tuple[Document, list[dict[str, Any]], list[relations.Relation]]:
    """Parse, chunk and analyse one file, and read the relations its text states (runs in
    a worker process). Raises IngestError."""
    parsed = parse_file(path)
    fields_ = {k: getattr(parsed, k) for k in META_KEYS} | {k: v for k, v in meta.items() if v and k in META_KEYS}
    if not fields_.get("title"):
        fields_["title"] = Path(rel).stem
    doc = Document(doc_id=doc_id, slug=_slug(rel), path=rel, **fields_)
    rows = passage_rows(doc, parsed)
    if not rows:
        raise IngestError("không có đoạn văn bản nào đọc được")
    links = relations.extract(doc, parsed.blocks) + relations.stated(doc, meta)
    return Document(**{**doc.__dict__, "n_passages": len(rows)}), rows, links


def _safe_analyze(args: tuple[Path, str, str, dict[str, Any]]) -> tuple[str, Any]:
    """One job of `run_analysis`: ("ok", result) or ("skip", the Vietnamese reason)."""
    try:
        with deadline(FILE_SECONDS):
            return "ok", analyze_file(*args)
    except IngestError as exc:
        return "skip", str(exc)
    except TimeoutError:
        return "skip", f"đọc và phân tích tệp quá lâu (hơn {FILE_SECONDS} giây); hãy tách thành các tệp nhỏ hơn"
    except Exception as exc:  # a parser bug must not stop the whole re-index
        return "skip", f"lỗi khi đọc tệp ({exc.__class__.__name__})"


def _warm(parent: int | None = None) -> None:
    """A worker's start: die with the process that made the pool, load the analysis."""
    if parent is not None:
        die_with(parent)
    analyze("khởi động")


def die_with(parent: int) -> None:
    """End this process (at once, `os._exit`) when process `parent` ends, killed or not.

    A pool's workers are forked by the forkserver, not by their pool's owner, and hold its
    pipes open: after a SIGKILL of `vankien index` they, and the forkserver, lived on. A
    daemon thread waits on a pidfd of the owner (readable once it has ended)."""
    try:
        fd = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux, old kernel): poll instead
        threading.Thread(target=_poll_parent, args=(parent,), daemon=True, name="vankien-lifeline").start()
        return
    threading.Thread(target=_wait_parent, args=(fd,), daemon=True, name="vankien-lifeline").start()


def _wait_parent(fd: int) -> None:
    select.select([fd], [], [])
    os._exit(1)


def _poll_parent(parent: int) -> None:
    while True:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # alive, owned by someone else
            pass
        time.sleep(1)


def analysis_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool for analysis. Its workers fork from a server process that imported the
    analysis and loaded the segmentation model once (`index.warm`), so none of them pays
    that start-up again (with "spawn", each did: ~0.85 CPU-s). The server is a fresh
    interpreter, so no thread of the caller (tantivy, the bot) is forked. Workers die with
    the caller (`die_with`), however it ends."""
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(["index.warm"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm, initargs=(os.getpid(),))


def run_analysis(jobs: list[tuple[Path, str, str, dict[str, Any]]], workers: int) -> Iterator[tuple[str, str, Any]]:
    """Yield (rel, status, result) per job, in a process pool when the batch is large."""
    if workers <= 1 or len(jobs) < POOL_MIN_FILES:
        for job in jobs:
            yield (job[1], *_safe_analyze(job))
        return
    with analysis_pool(workers) as pool:
        for job, result in zip(jobs, pool.map(_safe_analyze, jobs, chunksize=4), strict=True):
            yield (job[1], *result)


# --- the re-index ---------------------------------------------------------------------


def scan_corpus(corpus_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Supported files under the corpus (sorted), and unsupported ones with a reason."""
    files, skipped = [], []
    root = Path(os.path.realpath(corpus_dir))
    for path in sorted(Path(corpus_dir).rglob("*"), key=lambda p: p.parts):
        rel = path.relative_to(corpus_dir).as_posix()
        if any(p.startswith(".") for p in Path(rel).parts):
            continue
        if why := unreadable_entry(path, rel, root):
            skipped.append((shown_name(rel), why))
            continue
        if not path.is_file():
            continue
        if rel in (METADATA_FILE, SYNONYMS_FILE) or path.name.lower() in ("readme.md", "license"):
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(path)
        else:
            skipped.append((rel, f"định dạng {path.suffix or '(không đuôi)'} chưa được hỗ trợ"))
    return files, skipped


def unreadable_entry(path: Path, rel: str, root: Path) -> str | None:
    """Why a corpus entry must not be read, in Vietnamese: a name that is not UTF-8, a
    symbolic link that loops, is broken or leads out of the corpus (None: it may be read)."""
    if shown_name(rel) != rel:
        return "tên tệp không phải chữ UTF-8 hợp lệ; hãy đổi tên tệp rồi cập nhật lại"
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except OSError as exc:
        return "liên kết bị vòng lặp (trỏ vòng về chính nó)" if exc.errno == errno.ELOOP else "liên kết bị hỏng"
    if not Path(os.path.realpath(path)).is_relative_to(root):
        return "liên kết trỏ ra ngoài thư mục văn bản, không đọc"
    return None


def shown_name(rel: str) -> str:
    """A corpus path as it can be printed and stored: bytes of the name that are not UTF-8
    (kept by Python as surrogates) become U+FFFD."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _plan(
    store: Store, corpus_dir: Path, files: list[Path], metadata: dict[str, dict[str, Any]]
) -> tuple[dict[str, str], list[tuple[Path, str, str, dict[str, Any]]]]:
    """Split files into known versions and jobs to analyse."""
    known: dict[str, str] = {}
    jobs: list[tuple[Path, str, str, dict[str, Any]]] = []
    cache, stored = store.cached_files(), set(store.doc_ids())
    for path in files:
        rel = path.relative_to(corpus_dir).as_posix()
        meta = metadata.get(path.name) or metadata.get(rel) or {}
        st = path.stat()
        cached = cache.get(rel)
        if (cached and cached["size"] == st.st_size and cached["mtime_ns"] == st.st_mtime_ns
                and cached.get("meta") == file_key(meta)
                and cached["doc_id"] in stored):
            known[rel] = cached["doc_id"]
            continue
        try:
            data = path.read_bytes() if st.st_size <= 64 * 1024 * 1024 else b"%d" % st.st_mtime_ns
        except OSError:
            data = b""
        doc_id = version_id(rel, data, meta)
        if doc_id in stored:
            known[rel] = doc_id
            store.remember_file(rel, st.st_size, st.st_mtime_ns, doc_id, file_key(meta))
        else:
            jobs.append((path, rel, doc_id, meta))
    return known, jobs


def reindex(
    corpus_dir: Path, data_dir: Path, progress: Progress | None = None, workers: int | None = None
) -> IndexSummary:
    """Bring the index in line with the corpus directory. Raises IndexBusy."""
    started = time.perf_counter()
    corpus_dir, data_dir = Path(corpus_dir), Path(data_dir)
    with generations.lock(data_dir):
        return _reindex_locked(corpus_dir, data_dir, progress, workers or os.cpu_count() or 1, started)


def _reindex_locked(
    corpus_dir: Path, data_dir: Path, progress: Progress | None, workers: int, started: float
) -> IndexSummary:
    store = Store(data_dir)
    previous = generations.current(data_dir)
    old_files = dict(generations.read(previous).files)
    metadata, meta_error = load_metadata(corpus_dir)
    synonyms, synonyms_error = load_synonyms(corpus_dir)
    files, skipped = scan_corpus(corpus_dir)
    if meta_error:
        skipped.append((METADATA_FILE, meta_error))
    if synonyms_error:  # keep the last good ones
        skipped.append((SYNONYMS_FILE, synonyms_error))
        synonyms = [list(g) for g in generations.read(previous).synonyms]
    known, jobs = _plan(store, corpus_dir, files, metadata)
    new_files = dict(known)
    added_titles = []
    for done, (rel, status, result) in enumerate(run_analysis(jobs, workers), 1):
        if progress:
            progress(done, len(jobs), rel)
        if status == "skip":
            skipped.append((rel, result))
            if rel in old_files:  # keep serving the last good version
                new_files[rel] = old_files[rel]
            continue
        doc, rows, links = result
        store.add_document(doc, rows, datetime.now(UTC).isoformat(timespec="seconds"))
        relations.save(store, doc.doc_id, links)
        st = (corpus_dir / rel).stat()
        meta = metadata.get(Path(rel).name) or metadata.get(rel) or {}
        store.remember_file(rel, st.st_size, st.st_mtime_ns, doc.doc_id, file_key(meta))
        new_files[rel] = doc.doc_id
        if rel not in old_files:
            added_titles.append(doc.title)
    relations.catch_up(store, corpus_dir, new_files.values(), metadata)  # versions analysed before relations were kept
    relations.resolve(store, new_files.values())
    return _commit_generation(store, data_dir, previous, old_files, new_files, skipped, added_titles, started,
                              synonyms)


def prune(store: Store, data_dir: Path) -> int:
    """Remove the generations no reader holds (the current one aside), then the stored
    document versions none of those kept serves; how many versions went. A version a reader
    may still quote stays until it has moved on (it is pruned by a later re-index). Removed
    files need nothing here: `vankien restore` puts the file back and it is read again."""
    kept = generations.sweep(data_dir)
    return store.delete_documents_except({d for gen in kept for d in generations.read(gen).doc_ids})


def _commit_generation(
    store: Store, data_dir: Path, previous: Path | None, old_files: dict[str, str], new_files: dict[str, str],
    skipped: list[tuple[str, str]], added_titles: list[str], started: float, synonyms: Sequence[Sequence[str]] = (),
) -> IndexSummary:
    """Write the new generation (if anything changed: files, or the administrators'
    synonyms), swap CURRENT, collect garbage (`prune`)."""
    removed = [p for p in old_files if p not in new_files]
    updated = [p for p in new_files if p in old_files and old_files[p] != new_files[p]]
    added = [p for p in new_files if p not in old_files]
    unchanged = len(new_files) - len(added) - len(updated)
    gen = previous
    before = generations.read(previous)
    passages = before.passages
    # An engine index of an older schema is rebuilt from the stored terms (no re-analysis).
    stale = previous is not None and before.schema != SCHEMA_VERSION
    reanalysed = previous is not None and before.analysis_version != ANALYSIS_VERSION
    wording = tuple(tuple(g) for g in synonyms)
    new_wording = wording != before.synonyms
    if added or updated or removed or previous is None or stale or new_wording:
        gen = generations.new(data_dir, None if stale else previous)
        drop = {old_files[p] for p in removed + updated}
        fresh = list(new_files.values()) if stale else [new_files[p] for p in added + updated]
        base = set(old_files.values()) if previous and not stale else set()
        # the accented syllables the index holds, for questions typed without diacritics
        # (a removed file's syllables stay listed: the restorer weighs them by their count, 0)
        syllables = read_syllables(previous / ACCENTS_FILE) if previous and not stale else set()
        write_tantivy(gen, gathering(store.passage_terms(fresh), syllables), delete_doc_ids=drop & base)
        write_accents(gen, syllables)
        passages = store.count_passages(list(new_files.values()))
        manifest = Manifest(
            files=new_files, passages=passages, analysis=DEFAULT_OPTIONS.to_dict(), schema=SCHEMA_VERSION,
            analysis_version=ANALYSIS_VERSION, synonyms=wording,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        generations.commit(data_dir, gen, manifest)
    prune(store, data_dir)
    store.forget_files(set(new_files))
    return IndexSummary(
        added=len(added), updated=len(updated), removed=len(removed), unchanged=unchanged,
        passages=passages, seconds=time.perf_counter() - started, skipped=tuple(skipped),
        generation=gen.name if gen else None, added_titles=tuple(added_titles), reanalysed=reanalysed,
        synonyms=len(synonyms) if new_wording else None,
    )
