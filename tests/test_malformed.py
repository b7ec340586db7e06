"""Malformed, hostile and odd files: a clear Vietnamese IngestError, or a clean parse."""

from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path

import pytest
from fixtures_ingest import (
    QD_294,
    VI_TEXT,
    blank_pdf,
    cp1258_bytes,
    docx_bytes,
    encrypted_pdf,
    garbage_zip,
)

from index.ingest import MAX_FILE_BYTES, IngestError, parse_bytes, parse_file


def vietnamese(text: str) -> bool:
    """True when the text has Vietnamese letters (a diacritic or đ)."""
    return any(c in "đĐ" or len(unicodedata.normalize("NFD", c)) > 1 for c in text)


def refused(path: Path) -> IngestError:
    """Parse a file that must be refused; return the error after checking its reason."""
    with pytest.raises(IngestError) as info:
        parse_file(path)
    err = info.value
    assert err.reason and str(err) == err.reason
    assert vietnamese(err.reason), err.reason
    assert len(err.reason) < 200
    return err


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- files that must be refused, with the reason an administrator reads -----------------

BAD_FILES = [
    # name, bytes, words the reason must contain
    ("rac.txt", bytes(range(256)) * 64, "nhị phân"),
    ("rac-ngau-nhien.txt", os.urandom(4096) + b"\x00" * 10, "nhị phân"),
    ("rong.txt", b"", "rỗng"),
    ("khoang-trang.txt", b"  \n\t\r\n   \n", "rỗng"),
    ("khoang-trang.md", b"\n \n", "rỗng"),
    ("rong.pdf", b"", "rỗng"),
    ("rong.docx", b"", "rỗng"),
    ("khong-phai-pdf.pdf", b"<html>day khong phai PDF</html>", "không phải PDF"),
    ("hong.docx", os.urandom(2048), "DOCX bị hỏng"),
    ("zip-rac.docx", garbage_zip(), "DOCX bị hỏng"),
    ("trang-trang.pdf", blank_pdf(), "bản scan"),
    ("bang-tinh.xls", b"\xd0\xcf\x11\xe0 bang tinh", "định dạng .xls chưa được hỗ trợ"),
    ("khong-duoi", b"Chi thi 05", "chưa được hỗ trợ"),
    ("khong-chu.html", b"<html><head><style>p{}</style></head><body><img src=a.png>"
                       b"<script>var x=1;</script></body></html>", "không có nội dung"),
    ("html-rong.htm", b"   ", "rỗng"),
    ("yaml-hong.md", "---\ntitle: [chưa đóng\n---\nNội dung.\n".encode(), "YAML"),
    ("toan-rac-web.txt", "Đăng nhập\nZalo\n.\nPhản hồi\nCác tin khác\n".encode(),
     "không có nội dung"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_with_reason(tmp_path: Path, name: str, data: bytes,
                                         reason: str) -> None:
    err = refused(write(tmp_path, name, data))
    assert reason in err.reason


def test_truncated_pdf(tmp_path: Path) -> None:
    data = QD_294.read_bytes()
    err = refused(write(tmp_path, "cat-doi.pdf", data[: len(data) // 2]))
    assert "PDF" in err.reason


def test_encrypted_pdf(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "mat-khau.pdf", encrypted_pdf(QD_294, "matkhau")))
    assert err.reason == "tệp PDF được mã hoá (có mật khẩu), không đọc được"


def test_pdf_encrypted_with_empty_password_is_read(tmp_path: Path) -> None:
    p = parse_file(write(tmp_path, "khong-mat-khau.pdf", encrypted_pdf(QD_294, "")))
    assert p.code == "294-QĐ/TW"
    assert any("đủ 18 tuổi đến đủ 60 tuổi" in b.text for b in p.blocks)


def test_huge_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "rat-lon.pdf"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 5 * 1024 * 1024)  # sparse: no disk, no memory
    started = time.perf_counter()
    err = refused(path)
    assert time.perf_counter() - started < 1
    assert err.reason == "tệp quá lớn (25 MB, tối đa 20 MB)"


def test_huge_bytes_refused() -> None:
    with pytest.raises(IngestError, match="quá lớn"):
        parse_bytes(b"a" * (MAX_FILE_BYTES + 1), "lon.txt")


def test_missing_file_is_ingest_error(tmp_path: Path) -> None:
    err = refused(tmp_path / "khong-co.txt")
    assert "không mở được" in err.reason


def test_pdf_garbage_after_header(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "dau-pdf.pdf", b"%PDF-1.7\n" + os.urandom(5000)))
    assert "PDF" in err.reason


# --- odd files that must parse ------------------------------------------------------------

GOOD_TEXTS = [
    ("utf16.txt", VI_TEXT.encode("utf-16")),
    ("utf16-be.txt", b"\xfe\xff" + VI_TEXT.encode("utf-16-be")),
    ("utf16-khong-bom.txt", VI_TEXT.encode("utf-16-le")),
    ("utf8-bom.txt", b"\xef\xbb\xbf" + VI_TEXT.encode("utf-8")),
    ("crlf.txt", VI_TEXT.replace("\n", "\r\n").encode("utf-8")),
    ("cp1258.txt", cp1258_bytes(VI_TEXT)),
    ("utf16.md", ("# Chỉ thị 05\n\n" + VI_TEXT).encode("utf-16")),
]


@pytest.mark.parametrize(("name", "data"), GOOD_TEXTS, ids=[g[0] for g in GOOD_TEXTS])
def test_text_encodings_parse(tmp_path: Path, name: str, data: bytes) -> None:
    p = parse_file(write(tmp_path, name, data))
    body = "\n".join(b.text for b in p.blocks)
    assert "Các cấp ủy đã lựa chọn nội dung đột phá" in body or "Chỉ thị 05-CT/TW" in body
    assert "phong cách Hồ Chí Minh" in p.title + body
    assert "\ufeff" not in p.title + body and "\x00" not in body


def test_cp1258_is_read_as_vietnamese(tmp_path: Path) -> None:
    p = parse_file(write(tmp_path, "cu.txt", cp1258_bytes(VI_TEXT)))
    assert p.title.startswith("Đảng ủy Khối các cơ quan tỉnh tiếp tục thực hiện Chỉ thị 05-CT/TW")


def test_unknown_legacy_encoding_gets_clear_error(tmp_path: Path) -> None:
    # Latin-1 letters that no Vietnamese reading explains (e.g. ß, æ, ð, þ in a row)
    data = ("Straße Ærø ðþ ßæ ÿþ " * 50).encode("latin-1")
    err = refused(write(tmp_path, "la.txt", data))
    assert "bảng mã" in err.reason


def test_broken_html_still_gives_text(tmp_path: Path) -> None:
    html = ("<html><body><div><p>Đảng ủy Khối tổ chức hội nghị sơ kết Chỉ thị 05 <b>chưa đóng "
            "thẻ<p>Đoạn hai: kết nạp 315 đảng viên mới<div><table><tr><td>ô bảng")
    p = parse_file(write(tmp_path, "hong.html", html.encode("utf-8")))
    body = "\n".join(b.text for b in p.blocks)
    assert "hội nghị sơ kết Chỉ thị 05" in body and "kết nạp 315 đảng viên mới" in body


def test_tiny_html_fragment_uses_fallback(tmp_path: Path) -> None:
    p = parse_file(write(tmp_path, "nho.htm", "<p>Chỉ thị 05-CT/TW".encode()))
    assert [b.text for b in p.blocks] == ["Chỉ thị 05-CT/TW"]


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    html = (b'<html><head><meta charset="windows-1258"></head><body><p>'
            + cp1258_bytes("Đảng ủy Khối các cơ quan tỉnh học tập và làm theo Bác.")
            + b"</p></body></html>")
    p = parse_file(write(tmp_path, "cu.html", html))
    assert "Đảng ủy Khối các cơ quan tỉnh" in "\n".join(b.text for b in p.blocks)


def test_docx_empty_document_refused(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "trong.docx", docx_bytes([])))
    assert "DOCX" in err.reason


def test_pdf_text_only_whitespace_lines_is_scan(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "scan.pdf", blank_pdf()))
    assert err.reason.startswith("PDF không có lớp chữ (bản scan)")


def test_uppercase_suffix_is_supported(tmp_path: Path) -> None:
    p = parse_file(write(tmp_path, "BAI.TXT", VI_TEXT.encode("utf-8")))
    assert p.blocks
