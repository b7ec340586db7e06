"""PDF (.pdf) by pypdf: the text layer of each page, headers, footers and page numbers dropped.

A hostile or broken PDF is refused with an IngestError: too many pages, encrypted, damaged,
or taking longer than PDF_SECONDS to read; a scan without a text layer is named as such.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

from index.ingest.errors import IngestError
from index.ingest.limits import deadline
from index.ingest.metadata import generic, official
from index.ingest.structure import classify, join_lines, word_count
from index.ingest.text import PAGE_NUMBER, text_lines
from index.models import ParsedFile

MAX_PDF_PAGES = 2000
PDF_SECONDS = 120  # a PDF that takes longer than this to read is treated as hostile


def _pdf_reader(data: bytes) -> Any:
    """An open pypdf reader (decrypted when the password is empty), or IngestError."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise IngestError("tệp không phải PDF (thiếu phần đầu %PDF)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("tệp PDF được mã hoá (có mật khẩu), không đọc được")
        return reader
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError("tệp PDF bị hỏng hoặc không đầy đủ, không đọc được") from exc
    except NotImplementedError as exc:
        raise IngestError("tệp PDF được mã hoá theo cách chưa hỗ trợ, không đọc được") from exc


def pdf_pages(data: bytes) -> list[list[str]]:
    """Cleaned lines of each page of a PDF."""
    try:
        with deadline(PDF_SECONDS):
            reader = _pdf_reader(data)
            if len(reader.pages) > MAX_PDF_PAGES:
                raise IngestError(f"tệp PDF quá nhiều trang ({len(reader.pages)} trang)")
            return [text_lines(page.extract_text() or "") for page in reader.pages]
    except TimeoutError as exc:
        raise IngestError("tệp PDF đọc quá lâu (có thể bị hỏng), đã bỏ qua") from exc
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        if "decrypt" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise IngestError("tệp PDF được mã hoá (có mật khẩu), không đọc được") from exc
        raise IngestError("tệp PDF bị hỏng hoặc không đầy đủ, không đọc được") from exc


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of many pages (running headers and footers)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        edge = {re.sub(r"\d+", "#", s) for s in lines[:2] + lines[-2:]}
        seen.update(edge)
    return {s for s, n in seen.items() if n >= max(3, len(pages) // 2)}


def strip_furniture(pages: list[list[str]]) -> list[str]:
    """All lines of a PDF without page numbers and running headers/footers."""
    furniture = _furniture(pages)
    out: list[str] = []
    for lines in pages:
        for i, line in enumerate(lines):
            edge = i < 3 or i >= len(lines) - 3
            if PAGE_NUMBER.match(line) and (edge or line.isdigit()):
                continue
            if edge and re.sub(r"\d+", "#", line) in furniture:
                continue
            out.append(line)
    return out


def parse(data: bytes) -> ParsedFile:
    """A .pdf file with a text layer: page furniture dropped, wrapped lines re-joined."""
    pages = pdf_pages(data)
    lines = strip_furniture(pages)
    if not any(word_count(s) >= 1 and any(c.isalpha() for c in s) for s in lines):
        raise IngestError(
            "PDF không có lớp chữ (bản scan); cần nhận dạng chữ (OCR) trước khi nạp"
        )
    return official(lines, joined=True) or generic([classify(t) for t in join_lines(lines)])
