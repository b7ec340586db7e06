"""Index generations: the one owner of `data_dir/index/` (writers commit, readers follow).

A generation is a directory `gNNNNNN` holding the engine's files, the accents file and a
`manifest.json`; `CURRENT` names the one readers use. A writer takes the `lock`, builds
a `new` generation (hard-linked from the previous one), then `commit`s it: the manifest
is written, CURRENT swapped with one `os.replace`, and older generations pruned. A writer
that fails or is killed before `commit` leaves CURRENT and its generation untouched.

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
from typing import Any, TypeVar

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
            if src.is_file() and not src.name.startswith(".tantivy") and src.name != MANIFEST:
                os.link(src, gen / src.name)
    return gen


def commit(data_dir: Path, gen: Path, manifest: Manifest, previous: Path | None = None) -> None:
    """Make `gen` current: its manifest, then CURRENT; generations other than it and
    `previous` (which a reader may still be using) are removed."""
    write_atomic(gen / MANIFEST, manifest.to_json())
    root = index_root(data_dir)
    write_atomic(root / CURRENT, gen.name)
    keep = {gen} | ({previous} if previous else set())
    for path in root.glob("g*"):
        if path.is_dir() and path not in keep:
            shutil.rmtree(path, ignore_errors=True)


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
        return self._once("replaced", lambda: relations.replaced_ids(self.store, self.held()))

    def standing(self, doc_id: str, location: str | None) -> Standing:
        """What a quote's document stands in (index/relations.py), within this generation."""
        return relations.standing(self.store, doc_id, location, self.held())

    def places(self) -> Places:
        """The structural labels of the passages ("Điều 8, điểm 8.1"), for questions that name one."""
        return self._once("places", lambda: Places(self.store.labelled()))


def load(data_dir: Path, store: Store, engine_name: str = "tantivy") -> Generation:
    """The current generation of `data_dir`; raises IndexNotFound before the first
    re-index, IndexOutdated when an older vankien built it."""
    gen = current(data_dir)
    if gen is None:
        raise IndexNotFound(f"Chưa có chỉ mục tại {data_dir}. Hãy chạy: vankien index")
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
        manifest.synonyms,
    )
