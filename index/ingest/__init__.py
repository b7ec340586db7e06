"""Files -> ParsedFile: text, metadata and structural locations of one document.

Formats: .txt (raw web-scraped reports or plain documents), .md (optional YAML front
matter), .html/.htm (trafilatura), .pdf (pypdf), .docx (python-docx), one module each.
What they share: `structure` (paragraph markers, headings, Chương / Điều / khoản / điểm
locations) and `metadata` (title, code, kind, issuer, date; front matter). Every failure is an
`IngestError` whose reason is a short Vietnamese sentence for administrators.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from index.ingest import docx, html, markdown, pdf, text
from index.ingest.errors import IngestError
from index.ingest.limits import deadline
from index.ingest.structure import ends_sentence
from index.models import ParsedFile

__all__ = [
    "MAX_FILE_BYTES", "PARSE_SECONDS", "SUPPORTED_SUFFIXES", "IngestError", "ends_sentence", "parse_bytes",
    "parse_file",
]

# Libraries that log, at WARNING, what they mend or give up on in a bad file ("EOF marker not
# found", "discarding data: None"): ingestion names every file it skips, in Vietnamese, so
# their lines only cluttered `vankien index` and the bot's log. Their errors still show.
QUIET_LOGGERS = ("pypdf", "trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")
for _name in QUIET_LOGGERS:
    logging.getLogger(_name).setLevel(logging.ERROR)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})
MAX_FILE_BYTES: int = 20 * 1024 * 1024
PARSE_SECONDS: float = 120  # any file that takes longer to read is refused (a PDF's own limit is the same)
_PARSERS: dict[str, Callable[[bytes], ParsedFile]] = {
    ".txt": text.parse, ".md": markdown.parse, ".html": html.parse, ".htm": html.parse,
    ".pdf": pdf.parse, ".docx": docx.parse,
}


def parse_file(path: Path) -> ParsedFile:
    """Parse one file of the corpus; raises IngestError, never anything else."""
    path = Path(path)
    _check_suffix(path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"không mở được tệp ({exc.strerror or exc.__class__.__name__})") from exc
    _check_size(size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"không đọc được tệp ({exc.strerror or exc.__class__.__name__})") from exc
    return parse_bytes(data, path.name)


def parse_bytes(data: bytes, name: str) -> ParsedFile:
    """Parse the bytes of a file named `name` (its suffix decides the format)."""
    suffix = _check_suffix(name)
    _check_size(len(data))
    if not data:
        raise IngestError("tệp rỗng")
    parser = _PARSERS[suffix]
    try:
        parsed = _timed(parser, data)
    except IngestError:
        raise
    except TimeoutError as exc:
        raise IngestError(f"tệp đọc quá lâu (hơn {PARSE_SECONDS} giây), có thể bị hỏng; đã bỏ qua") from exc
    except RecursionError as exc:
        raise IngestError("tệp có cấu trúc lồng nhau quá sâu, không đọc được") from exc
    except MemoryError as exc:
        raise IngestError("tệp cần quá nhiều bộ nhớ để đọc") from exc
    except Exception as exc:  # a parser library failing on a bad file must never leak
        raise IngestError(f"tệp {suffix[1:].upper()} bị hỏng hoặc không đọc được") from exc
    if not parsed.blocks:
        raise IngestError("không tìm thấy đoạn văn bản nào đọc được trong tệp")
    return parsed


def _timed(parser: Callable[[bytes], ParsedFile], data: bytes) -> ParsedFile:
    """`parser(data)` within PARSE_SECONDS; TimeoutError past it, even when a library caught
    the first one (a fallback that turned it into "no text found", say)."""
    with deadline(PARSE_SECONDS) as clock:
        try:
            parsed = parser(data)
        except Exception:
            if clock.expired:
                raise TimeoutError from None
            raise
    if clock.expired:
        raise TimeoutError
    return parsed


def _check_suffix(name: str) -> str:
    """The lower-case suffix of a supported file name, or IngestError naming what is supported."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(không có phần mở rộng)"
        raise IngestError(
            f"định dạng {shown} chưa được hỗ trợ (chỉ nhận .txt, .md, .html, .pdf, .docx)"
        )
    return suffix


def _check_size(size: int) -> None:
    """IngestError when a file is larger than MAX_FILE_BYTES."""
    if size > MAX_FILE_BYTES:
        mb, limit = round(size / 1024 / 1024), MAX_FILE_BYTES // 1024 // 1024
        raise IngestError(f"tệp quá lớn ({mb} MB, tối đa {limit} MB)")
