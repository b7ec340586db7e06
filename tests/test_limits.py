"""What one file may cost to read: zip bombs refused from their directory, every format timed."""

from __future__ import annotations

import io
import random
import struct
import threading
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures_ingest import CORPUS, QD_294, docx_bytes

from index.ingest import IngestError, parse_bytes, parse_file
from index.ingest.limits import MAX_UNZIPPED_BYTES, MAX_ZIP_RATIO, RATIO_FLOOR_BYTES, deadline

BODY = b'<w:body>'
PARAGRAPH = "<w:p><w:r><w:t>Đảng viên phải gương mẫu chấp hành chủ trương của Đảng.</w:t></w:r></w:p>".encode()
WORDS = "Đảng viên phải gương mẫu chấp hành chủ trương đường lối chính sách pháp luật Nhà nước".split()


def word_document(paragraphs: Callable[[], bytes], repeat: int) -> bytes:
    """A real .docx (python-docx) whose word/document.xml body is `paragraphs()` `repeat` times,
    streamed into the archive (never held whole in memory)."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes([("x", None)])))
    xml = source.read("word/document.xml")
    head, tail = xml[: xml.index(BODY) + len(BODY)], b"</w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info))
        with out.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            for _ in range(repeat):
                member.write(paragraphs())
            member.write(tail)
    return buf.getvalue()


def refused_cheaply(path: Path) -> str:
    """The reason a file is refused; it must take under a second and inflate nothing."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(IngestError) as info:
            parse_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1.0
    assert peak < path.stat().st_size + 2 * 1024 * 1024  # the file itself, not what it inflates to
    return info.value.reason


def test_docx_bombs_are_refused_from_the_zip_directory(tmp_path: Path) -> None:
    """Regression: a 1 MB .docx inflating to 1 GiB took 8-11 s and 2.2 GB before being refused,
    one of many small paragraphs (0.36 MB to 100 MB) was still being read after 300 s. The
    same shapes, just over the bounds, are refused before anything is inflated."""
    large = tmp_path / "bom-doan-nho.docx"  # many small paragraphs, past the total bound
    large.write_bytes(word_document(lambda: PARAGRAPH * 1000, MAX_UNZIPPED_BYTES // (len(PARAGRAPH) * 1000) + 1))
    assert large.stat().st_size < 1024 * 1024
    assert "giải nén ra quá lớn" in refused_cheaply(large)
    dense = tmp_path / "bom-ti-le.docx"  # within the total bound, past the ratio
    dense.write_bytes(word_document(lambda: b" " * 1024 * 1024, 4 * RATIO_FLOOR_BYTES // (1024 * 1024)))
    reason = refused_cheaply(dense)
    assert "bom nén" in reason and "word/document.xml" in reason


def test_a_zip_directory_that_lies_about_sizes_is_refused(tmp_path: Path) -> None:
    """A member declared as 1000 bytes (its checksum that of its first 1000) but inflating to
    megabytes: `ZipFile.read` would inflate it whole; it is read only up to what is declared."""
    source = word_document(lambda: PARAGRAPH * 1000, 40)
    xml = zipfile.ZipFile(io.BytesIO(source)).read("word/document.xml")
    data = bytearray(source)
    name = b"word/document.xml"
    at = data.index(b"PK\x01\x02")  # the central directory: one record per member
    while data[at + 46:at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    assert struct.unpack_from("<I", data, at + 24)[0] > 3 * 1024 * 1024
    struct.pack_into("<I", data, at + 24, 1000)  # its uncompressed size, declared: 1000 bytes
    struct.pack_into("<I", data, at + 16, zlib.crc32(xml[:1000]))
    path = tmp_path / "noi-doi.docx"
    path.write_bytes(bytes(data))
    assert "DOCX bị hỏng" in refused_cheaply(path)  # the 1000 bytes are not a whole document


def test_ordinary_word_text_is_within_the_ratio() -> None:
    """Word text compresses far less than the bound: a 1.5 MB body of varied sentences reads."""
    rnd = random.Random(7)

    def sentences() -> bytes:
        words = " ".join(rnd.choice(WORDS) for _ in range(60))
        return f"<w:p><w:r><w:t>{words}.</w:t></w:r></w:p>".encode()

    data = word_document(sentences, 3000)
    member = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    assert member.file_size > RATIO_FLOOR_BYTES and member.file_size < MAX_ZIP_RATIO * member.compress_size
    assert len(parse_bytes(data, "dai.docx").blocks) >= 3000


def _slow_inputs() -> dict[str, bytes]:
    """One file of every format, each taking well over a millisecond to read."""
    text = (CORPUS / "dieu-le-dang-2011.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return {
        "dieu-le.txt": text.encode(), "dieu-le.md": text.encode(), "dieu-le.pdf": QD_294.read_bytes(),
        "dieu-le.html": f"<html><body><article>{paragraphs}</article></body></html>".encode(),
        "dieu-le.docx": docx_bytes([(line, None) for line in text.splitlines() if line.strip()]),
    }


@pytest.mark.parametrize("name", list(_slow_inputs()))
def test_every_format_has_a_time_limit(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs had a time limit, no other format had: each is now refused past PARSE_SECONDS."""
    data = _slow_inputs()[name]
    assert parse_bytes(data, name).blocks  # readable within the real limit
    monkeypatch.setattr("index.ingest.PARSE_SECONDS", 0.001)
    with pytest.raises(IngestError, match="đọc quá lâu"):
        parse_bytes(data, name)


def test_the_time_limit_holds_outside_the_main_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot reads uploads in a worker thread, where SIGALRM cannot reach."""
    data = _slow_inputs()["dieu-le.docx"]
    monkeypatch.setattr("index.ingest.PARSE_SECONDS", 0.001)
    outcome: list[str] = []

    def read() -> None:
        try:
            parse_bytes(data, "dieu-le.docx")
            outcome.append("read")
        except IngestError as exc:
            outcome.append(exc.reason)

    worker = threading.Thread(target=read)
    worker.start()
    worker.join(30)
    assert len(outcome) == 1 and "đọc quá lâu" in outcome[0]


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_nested_deadlines_the_nearest_wins() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError), deadline(0.3):
        with deadline(10):
            _spin(0.05)
        _spin(5)  # the outer deadline still runs after the inner one ended
    assert time.monotonic() - started < 2
    _spin(0.4)  # nothing left armed
