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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
