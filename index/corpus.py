"""The corpus directory as files: add one safely, remove one (kept for restoring), put it back.

Removed files are not deleted: each goes to `<data>/removed/<doc_id>/<its corpus path>`,
so it can go back to the same place. Nothing here re-indexes; callers re-index after.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from index.ingest import parse_file
from index.models import Document

REMOVED_DIR = "removed"  # under the data dir: files of removed documents, by doc_id


@dataclass(frozen=True)
class Added:
    """A file copied into the corpus: its name there, what happened, and its title."""

    name: str
    status: str  # "new", "replaced" or "same" (already there, byte for byte)
    title: str


def safe_file_name(name: str) -> str:
    """A file name safe to write into the corpus directory.

    >>> safe_file_name("../Quy định số 294/QĐ-TW (bản chính).pdf")
    'QĐ-TW_(bản_chính).pdf'
    """
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    match = re.match(r"^(.*?)(\.[A-Za-z0-9]{1,5})?$", name, flags=re.DOTALL)
    stem, suffix = (match.group(1), match.group(2) or "") if match else (name, "")
    stem = re.sub(r"[^\w().-]+", "_", stem, flags=re.UNICODE).strip("._") or "van-ban"
    return stem[:120] + suffix.lower()


def save_into_corpus(corpus_dir: Path, name: str, data: bytes) -> str:
    """Write the file atomically; returns 'new', 'replaced' or 'same'."""
    target = Path(corpus_dir) / name
    if target.is_file():
        if target.read_bytes() == data:
            return "same"
        status = "replaced"
    else:
        status = "new"
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{name}.part")  # hidden: the indexer skips it
    part.write_bytes(data)
    os.replace(part, target)
    return status


def add_file(corpus_dir: Path, source: Path) -> Added:
    """Copy a file into the corpus under a safe name, once it reads as the indexer would
    read it; raises IngestError (with the reason) for a file that cannot be indexed."""
    parsed = parse_file(Path(source))
    name = safe_file_name(Path(source).name)
    status = save_into_corpus(corpus_dir, name, Path(source).read_bytes())
    return Added(name, status, parsed.title or name)


def removed_dir(data_dir: Path, doc_id: str) -> Path:
    """Where the file of a removed document is kept: `<data>/removed/<doc_id>/<its corpus path>`."""
    return Path(data_dir) / REMOVED_DIR / doc_id


def move_out_of_corpus(corpus_dir: Path, data_dir: Path, doc: Document) -> Path | None:
    """Move a document's file out of the corpus into its removed folder, keeping its path
    below the corpus (so it can go back); None when the file is no longer in the corpus."""
    source = Path(corpus_dir) / doc.path
    if not source.resolve().is_relative_to(Path(corpus_dir).resolve()) or not source.is_file():
        return None
    target = removed_dir(data_dir, doc.doc_id) / doc.path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, target)
    return target


def put_back(corpus_dir: Path, data_dir: Path, doc_id: str) -> tuple[str | None, str | None]:
    """Move a removed document's file back to its place in the corpus. Returns (its corpus
    path, None), or (None, why not): "gone" (nothing kept) or "taken" (its place is taken,
    with the path)."""
    folder = removed_dir(data_dir, doc_id)
    kept = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    if not kept:
        return None, "gone"
    rel = kept[0].relative_to(folder).as_posix()
    target = Path(corpus_dir) / rel
    if target.exists():
        return rel, "taken"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(kept[0], target)
    shutil.rmtree(folder, ignore_errors=True)
    return rel, None


def removed_files(data_dir: Path) -> list[tuple[str, str]]:
    """(doc_id, corpus path) of the removed documents kept for restoring, newest first."""
    root = Path(data_dir) / REMOVED_DIR
    kept = [(f.stat().st_mtime, folder.name, f.relative_to(folder).as_posix())
            for folder in (root.iterdir() if root.is_dir() else ()) if folder.is_dir()
            for f in folder.rglob("*") if f.is_file()]
    return [(doc_id, rel) for _, doc_id, rel in sorted(kept, reverse=True)]


# -- uploads waiting for the administrator's choice (a file of that name is already there) ------

HELD_DIR = "held"  # under the data dir: uploads that would replace a file, until confirmed


def clashes(corpus_dir: Path, name: str, data: bytes) -> bool:
    """Whether saving `data` as `name` would overwrite a different file."""
    target = Path(corpus_dir) / name
    return target.is_file() and target.read_bytes() != data


def hold(data_dir: Path, name: str, data: bytes) -> str:
    """Keep an upload aside until the administrator chooses; returns its short key."""
    key = hashlib.sha256(name.encode() + b"\0" + data).hexdigest()[:16]
    folder = Path(data_dir) / HELD_DIR / key
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return key


def held(data_dir: Path, key: str) -> tuple[str, bytes] | None:
    """The name and bytes of an upload kept aside, or None (already handled, or unknown)."""
    folder = Path(data_dir) / HELD_DIR / key
    if not re.fullmatch(r"[0-9a-f]{16}", key) or not folder.is_dir():
        return None
    files = [p for p in folder.iterdir() if p.is_file()]
    return (files[0].name, files[0].read_bytes()) if files else None


def release(data_dir: Path, key: str) -> None:
    """Forget an upload kept aside (once saved into the corpus)."""
    shutil.rmtree(Path(data_dir) / HELD_DIR / key, ignore_errors=True)


def free_name(corpus_dir: Path, name: str) -> str:
    """`name`, or `stem-2.pdf`, `stem-3.pdf`, … : the first not taken in the corpus.

    >>> free_name(Path("/nonexistent"), "qd-294.pdf")
    'qd-294.pdf'
    """
    path = Path(name)
    candidate, n = name, 2
    while (Path(corpus_dir) / candidate).exists():
        candidate, n = f"{path.stem}-{n}{path.suffix}", n + 1
    return candidate
