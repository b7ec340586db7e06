"""The SQLite store (the source of truth): documents, passages and their analysed terms."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import sqlite_utils

from index.models import Document, Passage

DB_NAME = "vankien.db"
DOC_FIELDS = [f.name for f in fields(Document)]
BUSY_MS = 10_000  # how long a reader or writer waits for another's lock
READERS = 4  # parallel reads of a question's candidate rows
TERM_COLUMNS = ("t_words", "t_sylls", "t_folds", "t_codes", "t_title", "t_doccode")
PASSAGE_COLUMNS = "passage_id, doc_id, ordinal, text, location, context"
RELATION_COLUMNS = ("from_doc_id", "kind", "to_code", "to_name", "to_doc_id", "sentence", "from_place", "to_place")


def passage_of(row: Sequence[Any]) -> Passage:
    """A passage from a row of PASSAGE_COLUMNS: a passage without a structural place
    ("đoạn 3/12") keeps the heading it falls under as its section.

    >>> passage_of(("p", "d", 3, "…", "đoạn 3/12", "Kết quả · Giải pháp đột phá")).section
    'Giải pháp đột phá'
    """
    location, context = row[4], row[5] or ""
    section = context.split(" · ")[-1] if context and (location or "").startswith("đoạn ") else None
    return Passage(row[0], row[1], row[2], row[3], location, section)


def connect(path: Path) -> sqlite_utils.Database:
    """Open the database in WAL mode, so the bot reads while a re-index writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(sqlite3.connect(path, check_same_thread=False))  # closed from any thread
    db.execute(f"PRAGMA busy_timeout={BUSY_MS}")  # first: setting WAL mode waits for locks too
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


class Connections:
    """One connection per thread to one SQLite file; `close` closes them all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[sqlite_utils.Database] = []

    def get(self) -> sqlite_utils.Database:
        """This thread's connection, opened on its first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self.path)
            with self._lock:
                self._open.append(db)
        return db

    def close(self) -> None:
        """Close every thread's connection (at shutdown: none is used after)."""
        with self._lock:
            dbs, self._open = self._open, []
        for db in dbs:
            db.close()


class Store:
    """Documents and passages in `data_dir/vankien.db`; one connection per thread."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / DB_NAME
        self._connections = Connections(self.path)
        self._pool: ThreadPoolExecutor | None = None  # readers of candidate rows, made on first use
        self._ensure_schema()

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection."""
        return self._connections.get()

    def close(self) -> None:
        """Stop the readers of candidate rows and close every connection (at shutdown)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self._connections.close()

    def _ensure_schema(self) -> None:
        db = self.db
        if "documents" not in db.table_names():
            db.table("documents").create(
                {**{name: str for name in DOC_FIELDS}, "n_passages": int, "indexed_at": str},
                pk="doc_id",
            )
        if "passages" not in db.table_names():
            cols: dict[str, Any] = {
                "passage_id": str, "doc_id": str, "ordinal": int, "text": str,
                "location": str, "context": str,
            }
            cols.update({c: str for c in TERM_COLUMNS})
            db.table("passages").create(cols, pk="passage_id")
            db.table("passages").create_index(["doc_id"])
        if "files" not in db.table_names():
            db.table("files").create(
                {"path": str, "size": int, "mtime_ns": int, "doc_id": str, "meta": str}, pk="path"
            )
        if "relations" not in db.table_names():  # index/relations.py: links read from the texts
            db.table("relations").create({name: str for name in RELATION_COLUMNS})
            for column in ("from_doc_id", "to_doc_id", "to_code"):
                db.table("relations").create_index([column])
        if "relations_read" not in db.table_names():  # document versions already read for relations
            db.table("relations_read").create({"doc_id": str}, pk="doc_id")

    # -- writing ---------------------------------------------------------------

    def add_document(self, doc: Document, rows: list[dict[str, Any]], indexed_at: str) -> None:
        """Insert one document version and its passage rows in a single transaction."""
        with self.db.conn:
            self.db.table("passages").delete_where("doc_id = ?", [doc.doc_id])
            self.db.table("documents").upsert({**asdict(doc), "indexed_at": indexed_at}, pk="doc_id")
            self.db.table("passages").insert_all(rows, pk="passage_id", replace=True, batch_size=500)

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """INSERT OR REPLACE rows that share their keys, in the caller's transaction (bulk
        builds: one executemany instead of sqlite-utils' per-row work)."""
        if not rows:
            return
        cols = list(rows[0])
        sql = (f"INSERT OR REPLACE INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
               f"VALUES ({', '.join('?' * len(cols))})")
        self.db.conn.executemany(sql, [tuple(row[c] for c in cols) for row in rows])

    def remember_file(self, path: str, size: int, mtime_ns: int, doc_id: str, meta: str) -> None:
        """Cache (size, mtime, sidecar entry) -> doc_id so unchanged files are not read again."""
        row = {"path": path, "size": size, "mtime_ns": mtime_ns, "doc_id": doc_id, "meta": meta}
        with self.db.conn:
            self.db.table("files").upsert(row, pk="path")

    def forget_files(self, keep: set[str]) -> None:
        """Drop cached file entries for files no longer in the corpus."""
        stale = [(p,) for (p,) in self.db.execute("SELECT path FROM files").fetchall() if p not in keep]
        with self.db.conn:
            self.db.conn.executemany("DELETE FROM files WHERE path = ?", stale)

    def delete_documents_except(self, keep: set[str]) -> int:
        """Garbage-collect document versions no index generation refers to."""
        stale = [d for d in self.doc_ids() if d not in keep]
        with self.db.conn:
            for doc_id in stale:
                self.db.table("passages").delete_where("doc_id = ?", [doc_id])
                self.db.table("documents").delete(doc_id)
                self.db.table("relations").delete_where("from_doc_id = ?", [doc_id])
                self.db.table("relations_read").delete_where("doc_id = ?", [doc_id])
        return len(stale)

    # -- reading ---------------------------------------------------------------

    def cached_files(self) -> dict[str, dict[str, Any]]:
        """Every cached file entry by path (one query, for planning a re-index)."""
        cursor = self.db.execute("SELECT * FROM files")
        names = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}

    def doc_ids(self) -> list[str]:
        """Every stored document version."""
        return [r[0] for r in self.db.execute("SELECT doc_id FROM documents").fetchall()]

    def all_documents(self, ordered: bool = False) -> Iterator[Document]:
        """Every stored document (of every generation still kept), in one query; `ordered`:
        Party documents (with a code) first, then by date and title."""
        order = " ORDER BY code IS NULL, COALESCE(date, ''), title, doc_id" if ordered else ""
        for row in self.db.execute(f"SELECT {', '.join(DOC_FIELDS)} FROM documents{order}"):
            yield Document(*row)

    def document(self, doc_id: str) -> Document | None:
        """One document by id."""
        row = self.db.execute(
            f"SELECT {', '.join(DOC_FIELDS)} FROM documents WHERE doc_id = ?", [doc_id]
        ).fetchone()
        return Document(*row) if row else None

    def count_passages(self, doc_ids: list[str], chunk: int = 10_000) -> int:
        """How many passages these documents have (in chunks: SQLite caps bound variables)."""
        total = 0
        for i in range(0, len(doc_ids), chunk):
            part = doc_ids[i : i + chunk]
            total += self.db.execute(
                f"SELECT count(*) FROM passages WHERE doc_id IN ({','.join('?' * len(part))})", part
            ).fetchone()[0]
        return total

    def passages(self, passage_ids: list[str]) -> dict[str, Passage]:
        """Passages by id."""
        if not passage_ids:
            return {}
        marks = ",".join("?" * len(passage_ids))
        rows = self.db.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages "
            f"WHERE passage_id IN ({marks})",
            passage_ids,
        ).fetchall()
        return {r[0]: passage_of(r) for r in rows}

    def document_passages(self, doc_ids: Iterable[str]) -> Iterator[Passage]:
        """Every passage of these documents, each document's in reading order."""
        for doc_id in doc_ids:
            rows = self.db.execute(
                "SELECT passage_id, doc_id, ordinal, text, location FROM passages "
                "WHERE doc_id = ? ORDER BY ordinal", [doc_id])
            yield from (Passage(*r) for r in rows)

    def at_location(self, doc_id: str, location: str) -> Passage | None:
        """The first passage of a document at a citation label ("Điều 5, điểm 4.1")."""
        row = self.db.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE doc_id = ? AND location = ? ORDER BY ordinal LIMIT 1",
            [doc_id, location],
        ).fetchone()
        return passage_of(row) if row else None

    def following(self, doc_id: str, ordinal: int, n: int) -> list[Passage]:
        """Up to `n` passages of a document after the one at `ordinal`, in order."""
        rows = self.db.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages "
            "WHERE doc_id = ? AND ordinal > ? ORDER BY ordinal LIMIT ?",
            [doc_id, ordinal, n],
        ).fetchall()
        return [passage_of(r) for r in rows]

    def passage_terms(self, doc_ids: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Analysed term rows of the passages of these documents, for building an index."""
        cols = ", ".join(("passage_id", "doc_id") + TERM_COLUMNS)
        for doc_id in doc_ids:
            cursor = self.db.execute(f"SELECT {cols} FROM passages WHERE doc_id = ?", [doc_id])
            names = [c[0] for c in cursor.description]
            for row in cursor:
                yield dict(zip(names, row, strict=True))

    def labelled(self) -> list[tuple[str, str, str]]:
        """(passage_id, doc_id, location) of every passage cited by a structural label
        ("Điều 5, khoản 2", not "đoạn 3/12")."""
        return self.db.execute(
            "SELECT passage_id, doc_id, location FROM passages WHERE location NOT LIKE 'đoạn %'"
        ).fetchall()

    def passages_with_columns(
        self, passage_ids: list[str], columns: tuple[str, ...]
    ) -> dict[str, tuple[Passage, dict[str, str]]]:
        """Passages by id, each with the analysed term columns asked for (terms in text order).
        The rows are read in READERS parallel slices: on a cold page cache each row is a
        random disk read, and SQLite releases the GIL while it waits."""
        wanted = [c for c in columns if c in TERM_COLUMNS]
        if not passage_ids:
            return {}
        slices = [passage_ids[i::READERS] for i in range(READERS) if passage_ids[i::READERS]]
        if len(slices) == 1:
            rows = self._rows_with_columns(slices[0], wanted)
        else:
            rows = [r for part in self._readers().map(lambda ids: self._rows_with_columns(ids, wanted), slices)
                    for r in part]
        return {r[0]: (passage_of(r[:6]), {c: v or "" for c, v in zip(wanted, r[6:], strict=False)}) for r in rows}

    def _rows_with_columns(self, passage_ids: list[str], wanted: list[str]) -> list[tuple[Any, ...]]:
        marks = ",".join("?" * len(passage_ids))
        return self.db.execute(
            f"SELECT {PASSAGE_COLUMNS}, {', '.join(wanted) or 'NULL'} FROM passages "
            f"WHERE passage_id IN ({marks})",
            passage_ids,
        ).fetchall()

    def _readers(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(READERS, thread_name_prefix="vankien-store")
        return self._pool
