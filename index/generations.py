"""Index generations: the one owner of `data_dir/index/` (writers commit, readers follow).

A generation is a directory `gNNNNNN` holding the engine's files, the accents file and a
`manifest.json`; `CURRENT` names the one readers use. A writer takes the `lock`, builds
a `new` generation (hard-linked from the previous one), then `commit`s it: the manifest
is written, CURRENT swapped with one `os.replace`, and older generations removed unless a
reader still `hold`s one (a question being answered on it: the bot may not have moved on).
A writer that fails or is killed before `commit` leaves CURRENT and its generation untouched.

>>> Manifest.from_json({"files": {"a.txt": "d1"}, "passages": 3}).doc_ids
('d1',)
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from index import relations
from index.accents import ACCENTS_FILE, Restorer, language_words, read_syllables, variants
from index.catalogue import DocumentCache
from index.engine import SCHEMA_VERSION, Engine, RankBM25Engine, TantivyEngine
from index.models import Standing
from index.places import Places
from index.rank import Stats
from index.store import Store
from index.text import Groups, Options

T = TypeVar("T")

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
READERS = ".readers"  # in each generation: readers hold a shared lock on it while they use it


class IndexBusy(Exception):
    """Another re-index holds the lock."""


class IndexNotFound(Exception):
    """No index generation has been built yet in this data directory."""


class IndexOutdated(IndexNotFound):
    """The current generation was built by an older vankien (another engine schema)."""


@dataclass(frozen=True)
class Manifest:
    """What a generation holds: which file version is which document, and how it was built."""

    files: Mapping[str, str] = field(default_factory=dict)  # corpus path -> doc_id
    passages: int = 0
    analysis: Mapping[str, bool] = field(default_factory=dict)  # `Options.to_dict()`
    schema: int | None = None  # engine schema (`engine.SCHEMA_VERSION`)
    analysis_version: int | None = None  # `text.ANALYSIS_VERSION`
    synonyms: tuple[tuple[str, ...], ...] = ()  # the administrators' everyday wording
    created: str | None = None

    @property
    def doc_ids(self) -> tuple[str, ...]:
        """The documents this generation serves, each once."""
        return tuple(dict.fromkeys(self.files.values()))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        """A manifest from its JSON form (keys it does not know are ignored)."""
        return cls(
            files=dict(data.get("files", {})), passages=int(data.get("passages", 0)),
            analysis=dict(data.get("analysis", {})), schema=data.get("schema"),
            analysis_version=data.get("analysis_version"),
            synonyms=tuple(tuple(g) for g in data.get("synonyms", [])), created=data.get("created"),
        )

    def to_json(self) -> str:
        """The manifest file's text."""
        data = {
            "files": dict(self.files), "passages": self.passages, "analysis": dict(self.analysis),
            "schema": self.schema, "analysis_version": self.analysis_version,
            "synonyms": [list(g) for g in self.synonyms], "created": self.created,
        }
        return json.dumps(data, ensure_ascii=False, indent=1)


def index_root(data_dir: Path) -> Path:
    """Where index generations live."""
    return Path(data_dir) / "index"


def current_name(data_dir: Path) -> str | None:
    """The name CURRENT points at (cheap: readers poll it), or None."""
    try:
        return (index_root(data_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def current(data_dir: Path) -> Path | None:
    """The generation readers should use, or None before the first re-index."""
    name = current_name(data_dir)
    if not name:
        return None
    gen = index_root(data_dir) / name
    return gen if (gen / MANIFEST).is_file() else None


def read(gen: Path | None) -> Manifest:
    """A generation's manifest (an empty one for no generation)."""
    if gen is None:
        return Manifest()
    return Manifest.from_json(json.loads((gen / MANIFEST).read_text(encoding="utf-8")))


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old text or the new, never a part."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def new(data_dir: Path, previous: Path | None = None) -> Path:
    """A fresh generation dir, hard-linked from `previous` when given (its engine files
    and manifest aside)."""
    root = index_root(data_dir)
    numbers = [int(p.name[1:]) for p in root.glob("g*") if p.name[1:].isdigit()]
    gen = root / f"g{max(numbers, default=0) + 1:06d}"
    shutil.rmtree(gen, ignore_errors=True)
    gen.mkdir(parents=True)
    if previous is not None:
        for src in previous.iterdir():
            if src.is_file() and not src.name.startswith(".tantivy") and src.name not in (MANIFEST, READERS):
                os.link(src, gen / src.name)
    return gen


def commit(data_dir: Path, gen: Path, manifest: Manifest) -> list[Path]:
    """Make `gen` current: its manifest, then CURRENT; every other generation no reader
    holds (`hold`) is removed. Returns the generations kept, `gen` first."""
    write_atomic(gen / MANIFEST, manifest.to_json())
    write_atomic(index_root(data_dir) / CURRENT, gen.name)
    return sweep(data_dir)


def sweep(data_dir: Path) -> list[Path]:
    """Remove every generation but the current one that no reader holds; the ones kept,
    the current one first (writers only, under the `lock`)."""
    gen = current(data_dir)
    kept = [gen] if gen else []
    for path in sorted(index_root(data_dir).glob("g*")):
        if path.is_dir() and path != gen and not _remove_unless_held(path):
            kept.append(path)
    return kept


def _remove_unless_held(gen: Path) -> bool:
    """Remove a generation unless a reader holds it; True when removed. The lock is held while
    removing, so a reader arriving meanwhile waits, then finds no manifest and looks again."""
    try:
        handle = open(gen / READERS, "a")  # noqa: SIM115 (closed below, after removing)
    except OSError:  # not a generation any more (a half-made one whose directory went)
        shutil.rmtree(gen, ignore_errors=True)
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(gen, ignore_errors=True)
        return True


def hold(data_dir: Path) -> tuple[Path, IO[str]] | None:
    """The current generation, held for reading (a shared lock on its READERS file, kept while
    the returned file is open: `commit` removes no generation held so); None before the first."""
    for _ in range(100):  # a re-index may commit between reading CURRENT and taking the lock
        gen = current(data_dir)
        if gen is None:
            return None
        try:
            handle = open(gen / READERS, "a")  # noqa: SIM115 (the lease: open as long as the generation is used)
        except OSError:
            continue
        fcntl.flock(handle, fcntl.LOCK_SH)
        if (gen / MANIFEST).is_file():
            return gen, handle
        handle.close()
    raise IndexNotFound(f"Chỉ mục tại {data_dir} thay đổi liên tục, chưa đọc được. Hãy thử lại.")


@contextmanager
def lock(data_dir: Path) -> Iterator[None]:
    """Hold the re-index lock or raise IndexBusy."""
    root = index_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusy("Another re-index is running.") from exc
        yield


@dataclass(frozen=True, eq=False)
class Generation:
    """One index generation as readers see it, immutable: a question is answered against
    one of these from start to end, whatever a re-index swaps in meanwhile. What only some
    questions need (the accent restorer, the structural labels) is read on first use."""

    name: str
    path: Path
    manifest: Manifest
    engine: Engine
    docs: DocumentCache
    store: Store
    options: Options
    synonyms: Groups  # the administrators' everyday wording (corpus/synonyms.yaml, read at re-index)
    lease: IO[str] | None = field(default=None, repr=False)  # `hold`: released when this is collected
    _lazy: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def stats(self) -> Stats:
        """Document frequencies for ranking."""
        return Stats(self.engine.doc_freq, self.engine.num_docs)

    def _once(self, key: str, make: Callable[[], T]) -> T:
        with self._lock:
            if key not in self._lazy:
                self._lazy[key] = make()
            return self._lazy[key]  # type: ignore[no-any-return]

    def restorer(self, news: bool = True) -> Restorer | None:
        """The accent restorer of this generation (with the general-language prior learned
        from news unless `news` is off), or None when it has no accents file."""
        return self._once(f"restorer-{news}", lambda: self._make_restorer(news))

    def _make_restorer(self, news: bool) -> Restorer | None:
        held = read_syllables(self.path / ACCENTS_FILE)
        if not held:
            return None
        engine = self.engine
        return Restorer(
            lambda s: engine.doc_freq("sylls", s), lambda x, y: engine.doc_freq("sylls2", f"{x}_{y}"),
            engine.num_docs, variants(held), language_words, **({} if news else {"prior": None}),
        )

    def held(self) -> frozenset[str]:
        """The ids of the documents this generation serves."""
        return self._once("held", lambda: frozenset(self.manifest.doc_ids))

    def replaced(self) -> frozenset[str]:
        """The documents of this generation that another of its documents replaces."""
        held = self.held()  # not inside `_once`: its lock is not re-entrant
        return self._once("replaced", lambda: relations.replaced_ids(self.store, held))

    def standing(self, doc_id: str, location: str | None) -> Standing:
        """What a quote's document stands in (index/relations.py), within this generation."""
        return relations.standing(self.store, doc_id, location, self.held())

    def places(self) -> Places:
        """The structural labels of the passages ("Điều 8, điểm 8.1"), for questions that name one."""
        return self._once("places", lambda: Places(self.store.labelled()))


def load(data_dir: Path, store: Store, engine_name: str = "tantivy") -> Generation:
    """The current generation of `data_dir`; raises IndexNotFound before the first
    re-index, IndexOutdated when an older vankien built it."""
    held = hold(data_dir)
    if held is None:
        raise IndexNotFound(f"Chưa có chỉ mục tại {data_dir}. Hãy chạy: vankien index")
    gen, lease = held
    manifest = read(gen)
    if manifest.schema != SCHEMA_VERSION:
        raise IndexOutdated(
            f"Chỉ mục tại {data_dir} do phiên bản cũ tạo ra. Hãy chạy: vankien index "
            "(chỉ dựng lại chỉ mục, không phân tích lại văn bản)"
        )
    doc_ids = manifest.doc_ids
    engine: Engine = RankBM25Engine(store.passage_terms(doc_ids)) if engine_name == "rank-bm25" else TantivyEngine(gen)
    return Generation(
        gen.name, gen, manifest, engine, DocumentCache(store, doc_ids), store, Options(**manifest.analysis),
        manifest.synonyms, lease,
    )
