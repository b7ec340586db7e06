"""Ingestion over the real shipped files: metadata, boilerplate, paragraphs, locations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures_ingest import CORPUS, HD_06, QD_294, docx_bytes

from index.chunk import chunk
from index.ingest import ends_sentence, parse_bytes, parse_file
from index.ingest.metadata import load_metadata
from index.models import ParsedFile

_CACHE: dict[Path, ParsedFile] = {}


def parsed(path: Path) -> ParsedFile:
    """Parse a shipped file once per test session."""
    if path not in _CACHE:
        _CACHE[path] = parse_file(path)
    return _CACHE[path]


def seed(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


def texts(p: ParsedFile) -> str:
    return "\n".join(b.text for b in p.blocks)


# --- scraped reports (.txt) -------------------------------------------------------------

SEED_META = [
    # file, title, date, publisher, url
    ("000", "Bắc Ninh: Hiệu quả việc học và làm theo Bác tại Đảng bộ Khối các Cơ quan và "
            "Doanh nghiệp", None, None, None),
    ("001", "Kỷ niệm Ngày thành lập Đảng bộ Khối Các cơ quan và Doanh nghiệp tỉnh (1/6/2020): "
            "Tiếp tục đổi mới, nâng cao chất lượng công tác xây dựng Đảng, lãnh đạo thực hiện "
            "thắng lợi nhiệm vụ chính trị được giao", "2023-05-29", "Báo Nam Định", None),
    ("002", "Hội nghị sơ kết 5 năm thực hiện Chỉ thị 05-CT-TW của Đảng ủy Khối Doanh nghiệp "
            "Tỉnh Bắc Giang", None, "dangcongsan.vn", None),
    ("003", "Đảng bộ Khối các cơ quan tỉnh: Học và làm theo Bác là nhiệm vụ thường xuyên của "
            "mỗi cán bộ, đảng viên", "2019-05-22", "Báo Quảng Bình", None),
    ("004", "Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh xây dựng chương trình hành động thực "
            "hiện các nghị quyết của Đảng", None, "Báo Thanh Hóa",
     "http://baothanhhoa.vn/xay-dung-dang/dang-uy-khoi-co-quan-va-doanh-nghiep-tinh-xay-dung-"
     "chuong-trinh-hanh-dong-thuc-hien-cac-nghi-quyet-cua-dang/139057.htm"),
]


@pytest.mark.parametrize(("prefix", "title", "date", "publisher", "url"), SEED_META)
def test_seed_metadata(prefix: str, title: str, date: str | None, publisher: str | None,
                       url: str | None) -> None:
    p = parsed(seed(prefix))
    assert (p.title, p.date, p.publisher, p.url) == (title, date, publisher, url)
    assert p.kind == "Bài viết"


SEED_CONTENT = [
    # file, a content sentence that must be kept, lines that must be gone
    ("000", "kết nạp được 315 đảng viên mới (vượt 26% kế hoạch năm)",
     ["Phản hồi", "Các tin khác", "Mới nhất", "Liên kết website", "Trong ảnh:"]),
    ("000", "là một trong những nội dung được Đảng ủy Khối quan tâm chỉ đạo thực hiện.",
     ["Lễ ra mắt Chi bộ Công ty Cổ phần tập đoàn SINGHAL"]),
    ("001", "hiện có 152 đảng bộ, chi bộ cơ sở với gần 8.400 đảng viên",
     ["Thành phố Nam Định hôm nay", "(Ảnh: Viết Dư)", "Thứ 2, Ngày 29 / 05 / 2023",
      "(Nguồn: Báo Nam Định)", "Video hoạt động", "Website liên kết", "Vũ Hữu Thi - TUV"]),
    ("001", "xây dựng Nam Định ngày càng giàu đẹp, văn minh và hạnh phúc./.",
     ["(1-6-2020 - 1-6-2023)"]),
    ("002", "mỗi tập thể, cá nhân lựa chọn từ 1 đến 2 việc làm theo", ["Nguồn ảnh"]),
    ("003", "Quy định số 05-QĐ/ĐUK ngày 9-11-2018",
     ["08:28", "(GMT+7)", "(QBĐT)", "Lê Xuân Thủy", "(Đảng ủy Khối các cơ quan tỉnh)"]),
    ("004", "kết nạp ít nhất 300 đảng viên mới",
     ["Đăng nhập", "Zalo", "Bài và ảnh", "Nguồn Thanh Hóa", "http://"]),
]


@pytest.mark.parametrize(("prefix", "kept", "gone"), SEED_CONTENT)
def test_seed_boilerplate_gone_content_kept(prefix: str, kept: str, gone: list[str]) -> None:
    body = texts(parsed(seed(prefix)))
    assert kept in body
    for line in gone:
        assert line not in body, line


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_blocks_are_clean_paragraphs(prefix: str) -> None:
    p = parsed(seed(prefix))
    assert len(p.blocks) >= 5
    for b in p.blocks:
        assert b.text == b.text.strip() and "  " not in b.text and b.text
        assert b.text not in {".", ","}
        assert b.location is None
    assert not any(b.text.rstrip(" .") == p.title for b in p.blocks), "title duplicated"


def test_seed_subheadings_are_headings() -> None:
    headings = [b.text for b in parsed(seed("001")).blocks if b.heading]
    assert headings == ["Triển khai đồng bộ, toàn diện các nhiệm vụ",
                        "Kết quả và các giải pháp đột phá"]


def test_seed_agency_prefix_dropped_sentence_kept() -> None:
    first = parsed(seed("003")).blocks[0].text
    assert first.startswith("Ngay sau khi tiếp thu Chỉ thị số 05-CT/TW")


def test_truncated_line_loses_replacement_char_keeps_text() -> None:
    data = ("Tiêu đề bài viết về Chỉ thị 05\n\nĐảng ủy Khối đã triển khai thực hiện nhiệm v\ufffd\n"
            "Các cấp ủy đã lựa chọn nội dung đột phá trong học tập và làm theo Bác.\n")
    p = parse_bytes(data.encode("utf-8"), "bai.txt")
    assert "Đảng ủy Khối đã triển khai thực hiện nhiệm v" in texts(p)
    assert "\ufffd" not in texts(p)


def test_text_is_nfc() -> None:
    decomposed = "Đa\u0309ng u\u0309y Khô\u0301i\n\nNội dung co\u0301 dấu tách rời trong tệp."
    p = parse_bytes(decomposed.encode("utf-8"), "nfd.txt")
    assert p.title == "Đảng ủy Khối"
    assert "có dấu" in texts(p)


# --- official documents (.pdf) -----------------------------------------------------------

PDF_META = [
    (QD_294, "294-QĐ/TW", "2025-05-26", "Quy định", "Quy định thi hành Điều lệ Đảng",
     "Ban Chấp hành Trung ương"),
    (HD_06, "06-HD/TW", "2025-06-09", "Hướng dẫn",
     "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng", "Ban Bí thư"),
]


@pytest.mark.parametrize(("path", "code", "date", "kind", "title", "issuer"), PDF_META)
def test_pdf_metadata(path: Path, code: str, date: str, kind: str, title: str,
                      issuer: str) -> None:
    p = parsed(path)
    assert (p.code, p.date, p.kind, p.title, p.issuer) == (code, date, kind, title, issuer)


@pytest.mark.parametrize("path", [QD_294, HD_06])
def test_pdf_letterhead_and_page_numbers_dropped(path: Path) -> None:
    p = parsed(path)
    for b in p.blocks:
        assert not re.fullmatch(r"[\d\s*-]+", b.text), b.text
        assert b.text not in {"BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "*"}
        assert not b.text.startswith(("Số 294-QĐ/TW", "Số 06-HD/TW", "Nơi nhận"))
        assert not re.search(r"\s\d{1,2}\s*$", b.text) or ends_sentence(b.text), b.text
    assert len(p.blocks) > 300


@pytest.mark.parametrize("path", [QD_294, HD_06])
def test_pdf_paragraphs_rejoined(path: Path) -> None:
    body = [b for b in parsed(path).blocks if not b.heading]
    open_ended = [b.text for b in body if not ends_sentence(b.text)]
    assert len(open_ended) / len(body) < 0.05, open_ended[:5]
    assert not [b.text for b in body if b.text[:1].islower() and not re.match(r"[a-zđ]\) ", b.text)]


LOCATIONS = [
    (QD_294, "đủ 18 tuổi đến đủ 60 tuổi", "Điều 1, điểm 1.1.1", False),
    (QD_294, "1.1. Về tuổi đời.", "Điều 1, điểm 1.1", True),
    (QD_294, "a) Có đủ điều kiện và tiêu chuẩn của người vào Đảng", "Điều 4, điểm 3.5.1 a)", False),
    (QD_294, "Định kỳ hằng tháng hoặc đột xuất", "Điều 3, điểm 2.1", False),
    (QD_294, "13. Việc bầu cử trong Đảng", "điểm 13", True),
    (QD_294, "10.5.1. Chỉ giải thể một đảng bộ, chi bộ", "Điều 10, điểm 10.5.1", False),
    (HD_06, "già làng, trưởng bản", "điểm 1.2 b)", False),
    (HD_06, "3.5. Lấy ý kiến nhận xét của đoàn thể chính trị - xã hội nơi người vào Đảng sinh "
            "hoạt và chi ủy nơi người vào Đảng cư trú", "điểm 3.5", True),
    (HD_06, "Chỉ xem xét kết nạp vào Đảng những người trên 60 tuổi", "điểm 1.1", False),
]


@pytest.mark.parametrize(("path", "needle", "location", "heading"), LOCATIONS)
def test_pdf_locations(path: Path, needle: str, location: str, heading: bool) -> None:
    block = next(b for b in parsed(path).blocks if needle in b.text)
    assert (block.location, block.heading) == (location, heading)


@pytest.mark.parametrize("path", [QD_294, HD_06])
def test_pdf_preamble_has_no_location_and_signature_kept(path: Path) -> None:
    blocks = parsed(path).blocks
    assert blocks[0].text == "- Căn cứ Điều lệ Đảng;" and blocks[0].location is None
    assert blocks[-1].text.startswith("T/M BAN") and blocks[-1].location is None


@pytest.mark.parametrize("path", [QD_294, HD_06])
def test_pdf_long_points_keep_their_label(path: Path) -> None:
    """A point too long for one passage is split at sentence ends; its label ("3.4.1.")
    stays with the first sentence instead of becoming a passage of its own."""
    texts = [c.text for c in chunk(parsed(path).blocks)]
    assert not [t for t in texts if not any(ch.isalpha() for ch in t)]


def test_long_point_label_stays_with_its_text() -> None:
    texts = [c.text for c in chunk(parsed(QD_294).blocks)]
    assert any(t.startswith("3.4.1. Cấp ủy cấp trên trực tiếp") for t in texts)


# --- .md, .html, .docx ------------------------------------------------------------------


def test_markdown_front_matter_overrides() -> None:
    md = """---
title: Kết luận 01-KL/TW về tiếp tục thực hiện Chỉ thị 05
code: 01-KL/TW
kind: Kết luận
issuer: Bộ Chính trị
date: 2021-05-18
url: https://example.vn/kl-01
---
# Tiếp tục thực hiện Chỉ thị 05

Bộ Chính trị yêu cầu các cấp ủy, tổ chức đảng **tiếp tục** đẩy mạnh học tập và làm theo
tư tưởng, đạo đức, phong cách Hồ Chí Minh.

## Nhiệm vụ

- Xây dựng chuyên đề toàn khóa.
- Gắn với [Nghị quyết Trung ương 4](https://example.vn/nq4).
"""
    p = parse_bytes(md.encode("utf-8"), "kl-01.md")
    assert (p.title, p.code, p.kind, p.issuer, p.date, p.url) == (
        "Kết luận 01-KL/TW về tiếp tục thực hiện Chỉ thị 05", "01-KL/TW", "Kết luận",
        "Bộ Chính trị", "2021-05-18", "https://example.vn/kl-01")
    assert [(b.text, b.heading) for b in p.blocks] == [
        ("Tiếp tục thực hiện Chỉ thị 05", True),
        ("Bộ Chính trị yêu cầu các cấp ủy, tổ chức đảng tiếp tục đẩy mạnh học tập và làm theo "
         "tư tưởng, đạo đức, phong cách Hồ Chí Minh.", False),
        ("Nhiệm vụ", True),
        ("- Xây dựng chuyên đề toàn khóa.", False),
        ("- Gắn với Nghị quyết Trung ương 4.", False),
    ]


def test_markdown_without_front_matter_takes_first_heading() -> None:
    p = parse_bytes("# Chỉ thị 05\n\nNội dung chỉ thị về học tập và làm theo Bác.\n".encode(),
                    "ct05.md")
    assert p.title == "Chỉ thị 05" and p.code is None


def test_html_page() -> None:
    html = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Sơ kết Chỉ thị 05 | Báo Bắc Giang</title>
<link rel="canonical" href="https://baobacgiang.vn/so-ket-chi-thi-05.html">
<meta property="article:published_time" content="2023-05-29T08:00:00+07:00">
</head><body><nav><a href="/">Trang chủ</a> <a href="/login">Đăng nhập</a></nav>
<article><h1>Sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW</h1>
<p>Đảng ủy Khối Doanh nghiệp tỉnh tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW
của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.</p>
<h2>Kết quả nổi bật</h2>
<p>Các cấp ủy đã lựa chọn nội dung đột phá, gắn với nhiệm vụ chính trị của cơ quan, đơn vị,
doanh nghiệp và kết nạp 315 đảng viên mới trong nhiệm kỳ.</p></article>
<footer>Bản quyền thuộc về Báo Bắc Giang</footer></body></html>"""
    p = parse_bytes(html.encode("utf-8"), "so-ket.html")
    assert p.title == "Sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW"
    assert p.url == "https://baobacgiang.vn/so-ket-chi-thi-05.html"
    assert p.date == "2023-05-29"
    assert p.publisher == "Báo Bắc Giang" and p.kind == "Bài viết"
    body = texts(p)
    assert "kết nạp 315 đảng viên mới" in body and "Đăng nhập" not in body
    assert ("Kết quả nổi bật", True) in [(b.text, b.heading) for b in p.blocks]


def test_docx_structure_and_tables(tmp_path: Path) -> None:
    data = docx_bytes([
        ("Quy chế làm việc của Chi bộ", "Title"),
        ("Chương I", "Heading 1"),
        ("Điều 1. Phạm vi điều chỉnh", "Heading 2"),
        ("1. Quy chế này quy định nguyên tắc, chế độ làm việc của chi bộ.", None),
        ("a) Chi bộ họp thường kỳ mỗi tháng một lần.", None),
        ("b) Chi ủy họp trước kỳ sinh hoạt chi bộ.", None),
        ("Chương II", "Heading 1"),
        ("Điều 5. Đảng viên", "Heading 2"),
        ("2. Đảng viên phải gương mẫu thực hiện nghị quyết của chi bộ.", None),
    ], table=[["Nội dung", "Thời gian"], ["Sinh hoạt chuyên đề", "Hằng quý"]])
    path = tmp_path / "quy-che.docx"
    path.write_bytes(data)
    p = parse_file(path)
    assert p.title == "Quy chế làm việc của Chi bộ"
    got = {b.text: (b.location, b.heading) for b in p.blocks}
    assert got["Điều 1. Phạm vi điều chỉnh"] == ("Chương I, Điều 1", True)
    assert got["a) Chi bộ họp thường kỳ mỗi tháng một lần."] == (
        "Chương I, Điều 1, khoản 1, điểm a", False)
    assert got["2. Đảng viên phải gương mẫu thực hiện nghị quyết của chi bộ."] == (
        "Chương II, Điều 5, khoản 2", False)
    assert "Sinh hoạt chuyên đề" in got and "Hằng quý" in got


def test_parse_bytes_equals_parse_file() -> None:
    assert parse_bytes(seed("003").read_bytes(), "003.txt") == parsed(seed("003"))


def test_official_document_as_wrapped_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(HD_06).pages]
    path = tmp_path / "hd-06.txt"
    path.write_text("\n".join(pages), encoding="utf-8")
    p = parse_file(path)
    assert (p.code, p.date, p.kind, p.issuer) == ("06-HD/TW", "2025-06-09", "Hướng dẫn",
                                                  "Ban Bí thư")
    assert p.blocks == parsed(HD_06).blocks


# --- metadata.yaml beside the documents ----------------------------------------------------


def test_sidecar_metadata_keeps_known_fields_as_text(tmp_path: Path) -> None:
    (tmp_path / "metadata.yaml").write_text(
        "qd-294.pdf:\n  title: Quy định 294\n  date: 2025-05-26\n  ghi_chu: bỏ qua\nbai.txt:\n",
        encoding="utf-8")
    assert load_metadata(tmp_path) == (
        {"qd-294.pdf": {"title": "Quy định 294", "date": "2025-05-26"}, "bai.txt": {}}, None)


def test_sidecar_metadata_not_a_mapping_is_named_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "metadata.yaml").write_text("- qd-294.pdf\n- bai.txt\n", encoding="utf-8")
    assert load_metadata(tmp_path) == ({}, "tệp metadata.yaml sai cú pháp, đã bỏ qua (ValueError)")
    assert load_metadata(tmp_path / "khong-co") == ({}, None)
