"""Builders for the files the ingestion tests feed in: real formats, made on the spot."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
QD_294 = CORPUS / "qd-294-qdtw-2025-thi-hanh-dieu-le-dang.pdf"
HD_06 = CORPUS / "hd-06-hdtw-2025-thi-hanh-dieu-le-dang.pdf"

VI_TEXT = (
    "Đảng ủy Khối các cơ quan tỉnh tiếp tục thực hiện Chỉ thị 05-CT/TW về đẩy mạnh học tập "
    "và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.\n"
    "Các cấp ủy đã lựa chọn nội dung đột phá, gắn với nhiệm vụ chính trị của cơ quan, đơn vị.\n"
)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_bytes(text: str) -> bytes:
    """Vietnamese text as Windows-1258 bytes (base letters precomposed, tone marks combining)."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in parts if c not in _TONES)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", base) + tones)
    return "".join(out).encode("cp1258")


def blank_pdf() -> bytes:
    """A one-page PDF with no text layer (what a scan without OCR looks like to pypdf)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf(source: Path, user_password: str = "matkhau") -> bytes:
    """The first two pages of a real PDF, encrypted with a user password."""
    reader = PdfReader(source)
    writer = PdfWriter()
    for page in reader.pages[:2]:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def garbage_zip() -> bytes:
    """A ZIP archive that is not a Word document (what a broken .docx often is)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", b"\x00\x01 not xml at all \xff")
    return buf.getvalue()


def docx_bytes(paragraphs: list[tuple[str, str | None]], table: list[list[str]] | None = None,
               title: str | None = None) -> bytes:
    """A DOCX made with python-docx: (text, style) paragraphs, then an optional table."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
