"""What one file may cost to read: a time limit (`deadline`) and, for zip containers (.docx),
how much they may inflate to (`check_zip`), checked from the zip directory before reading.

A hostile file is refused at these bounds, cheaply, instead of holding the re-index for
minutes and gigabytes: a .docx zip bomb (1 MB expanding to 1 GiB) took 8-11 s and 2.2 GB
before being refused, one of many small paragraphs (0.36 MB to 100 MB) was still being read
after 300 s.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from typing import Any

from index.ingest.errors import IngestError

MB = 1024 * 1024
# Twice the largest file accepted (ingest.MAX_FILE_BYTES, 20 MB): a .docx whose parts are
# stored as they are (photos) always fits; only text compressed more than 2:1 can exceed it,
# and 40 MB of Word XML is several thousand pages (python-docx holds ~10x that in memory).
MAX_UNZIPPED_BYTES = 40 * MB
# Word XML compresses 5-15:1 (measured on real and generated documents), a bomb 300-1000:1.
# Parts under RATIO_FLOOR_BYTES are too small to matter whatever their ratio.
MAX_ZIP_RATIO = 100
RATIO_FLOOR_BYTES = 1 * MB
MAX_ZIP_MEMBERS = 10_000
CHUNK_BYTES = 64 * 1024  # what a member is read by: at most this much is inflated at once


def check_zip(archive: zipfile.ZipFile) -> None:
    """IngestError when a zip's directory says it would inflate past the bounds above."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise IngestError(f"tệp nén chứa quá nhiều phần ({len(members)}), không đọc")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise IngestError(
            f"tệp giải nén ra quá lớn ({total // MB} MB, tối đa {MAX_UNZIPPED_BYTES // MB} MB), không đọc"
        )
    for m in members:
        if m.file_size > RATIO_FLOOR_BYTES and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise IngestError(
                f"tệp bị nén bất thường (phần {m.filename} nở ra gấp "
                f"{m.file_size // max(m.compress_size, 1)} lần), có thể là bom nén; không đọc"
            )


def bounded_copy(archive: zipfile.ZipFile) -> bytes:
    """The archive re-packed uncompressed from its members read in small pieces, each up to the
    size its directory entry declares. `ZipFile.read` inflates a member's whole stream before
    cutting it at that size, so a directory that lies (1 KB declared, 1 GiB inside) would
    defeat `check_zip`; what is copied here is exactly what `check_zip` bounded."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for member in archive.infolist():
            if member.is_dir():
                continue
            with archive.open(member) as source, out.open(member.filename, "w") as target:
                while chunk := source.read(CHUNK_BYTES):
                    target.write(chunk)
    return buf.getvalue()


class Clock:
    """A deadline's state: `expired` once it has fired (even if a library swallowed the error)."""

    expired: bool = False


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Clock]:
    """Raise TimeoutError in this thread after `seconds` (nested deadlines: the nearest one
    wins). In the main thread a SIGALRM timer; in another thread (the bot reads uploads in
    one) an asynchronous exception, delivered between two Python instructions."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    clock = Clock()
    with (_alarm_deadline if usable else _thread_deadline)(seconds, clock):
        yield clock


@contextlib.contextmanager
def _alarm_deadline(seconds: float, clock: Clock) -> Iterator[None]:
    def _alarm(signum: int, frame: Any) -> None:
        clock.expired = True
        raise TimeoutError

    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer:  # an enclosing deadline keeps running
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


@contextlib.contextmanager
def _thread_deadline(seconds: float, clock: Clock) -> Iterator[None]:
    ident, lock, done = threading.get_ident(), threading.Lock(), [False]

    def _fire() -> None:
        with lock:
            if not done[0]:
                clock.expired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(TimeoutError))

    timer = threading.Timer(seconds, _fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            done[0] = True
        timer.cancel()
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)  # one not yet delivered
