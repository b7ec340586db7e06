"""Plain text: decoding any encoding, and .txt files (official documents, scraped reports).

A .txt file is an official document with a letterhead (`metadata.official`), text extracted
from a paginated document (hard-wrapped lines re-joined), or a report scraped from a news site
(`news`: boilerplate, bylines and captions dropped, date, source and publisher kept).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass

from index.ingest.errors import IngestError
from index.ingest.legacy import from_tcvn3, from_vni, vietnamese_score
from index.ingest.metadata import first_match, generic, iso_date, official, publisher_from, title_from
from index.ingest.structure import classify, clean, ends_sentence, join_lines, label, word_count
from index.models import Block, ParsedFile

# --- decoding plain text ----------------------------------------------------------------

# The share of words a legacy 8-bit reading must write as Vietnamese is (`legacy.vietnamese_score`);
# below it the file is refused rather than indexed as mojibake (real text: 0.97-1.0, measured).
LEGACY_MIN_SCORE = 0.9

def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(len(sample), 1) > 0.02


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if half and zeros / half > 0.3:
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode(codec)
    return None


def decode_text(data: bytes) -> str:
    """Bytes of a text file -> str: UTF-8/16/32 (BOM or not), else a legacy 8-bit code page.

    >>> decode_text("Chỉ thị".encode("utf-16"))
    'Chỉ thị'
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError("tệp văn bản bị hỏng (mã Unicode không hợp lệ)") from exc
    if b"\x00" in data[:65536]:
        text = _utf16_without_bom(data)
        if text is not None and not _looks_binary(text.encode("utf-8", "replace")):
            return text
        raise IngestError("tệp không phải văn bản (dữ liệu nhị phân)")
    if _looks_binary(data):
        raise IngestError("tệp không phải văn bản (dữ liệu nhị phân)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_legacy(data)


def _decode_legacy(data: bytes) -> str:
    """Pick the 8-bit encoding whose reading looks most like Vietnamese: Windows-1258, the
    legacy VNI and TCVN3 (ABC), or what charset detection proposes; refuse mojibake. On a tie
    the first in that order wins (VNI read as TCVN3 can look like Vietnamese, not the reverse)."""
    candidates = []
    with contextlib.suppress(UnicodeDecodeError):
        candidates.append(unicodedata.normalize("NFC", data.decode("cp1258")))
    candidates += [from_vni(data), from_tcvn3(data)]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000]).best()
        if best is not None and best.encoding:
            candidates.append(data.decode(best.encoding, errors="replace"))
    except Exception:  # charset detection is a best effort
        pass
    scored = sorted(candidates, key=vietnamese_score, reverse=True)
    if vietnamese_score(scored[0]) < LEGACY_MIN_SCORE:
        raise IngestError(
            "không nhận ra bảng mã của tệp văn bản; hãy lưu lại tệp với bảng mã UTF-8"
        )
    return scored[0]


def text_lines(text: str) -> list[str]:
    """Cleaned, non-empty lines of a text."""
    lines = (clean(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return [line for line in lines if line]


PAGE_NUMBER = re.compile(r"^(?:Trang\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*/\s*\d{1,4})?$", re.I)


# --- .txt: raw web-scraped reports --------------------------------------------------------

_BOILERPLATE = {
    "đăng nhập", "đăng ký", "đăng xuất", "zalo", "facebook", "twitter", "chia sẻ", "in bài",
    "in", "phản hồi", "gửi phản hồi", "bình luận", "ý kiến bạn đọc", "các tin khác",
    "tin khác", "tin liên quan", "bài liên quan", "tin cùng chuyên mục", "mới nhất",
    "xem nhiều", "đọc nhiều", "liên kết website", "website liên kết", "xem thêm", "trở về",
    "quay lại", "lên đầu trang", "video hoạt độnghình ảnh hoạt động", "video hoạt động",
    "hình ảnh hoạt động", "đăng nhập để trải nghiệm thêm những tính năng hữu ích",
    "trang chủ", "tags", "từ khóa", "từ khoá", "bản in", "gửi email", "copy link",
}
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
_DATE_LINE = re.compile(
    r"^(?:\d{1,2}:\d{2}\s*(?:AM|PM|SA|CH)?,?\s*)?(?:(?:Thứ\s+\w+|Chủ\s+nhật)\s*,?\s*)?"
    r"(?:Ngày\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
    r"(?:\s*,?\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:\(?GMT\s*[+-]\s*\d+\)?)?$",
    re.I,
)
_SOURCE = re.compile(r"^\(?\s*Nguồn\s*(ảnh)?\s*([^:()]*?)\s*:?\s*:\s*(.+?)\s*\)?\s*$", re.I)
_SOURCE_PAREN = re.compile(r"^\(\s*Nguồn\s*:?\s*(.+?)\s*\)$", re.I)
_URL = re.compile(r"https?://[^\s)\]>\"']+")
_AGENCY = re.compile(r"^\(([A-ZĐ]{2,8})\)\s*[-–—:]\s*")
_AGENCIES = {
    "QBĐT": "Báo Quảng Bình", "BNĐT": "Báo Bắc Ninh", "BGĐT": "Báo Bắc Giang",
    "BTNO": "Báo Tây Ninh", "HNM": "Báo Hànộimới", "TTXVN": "TTXVN", "VOV": "VOV",
    "ĐCSVN": "Báo điện tử Đảng Cộng sản Việt Nam", "NDO": "Báo Nhân Dân", "BTHO": "Báo Thanh Hóa",
}
_CAPTION = re.compile(r"\((?:Ảnh|Nguồn ảnh|Ảnh minh họa|Ảnh minh hoạ)\s*:[^)]*\)|"
                      r"\bTrong ảnh\s*:.*$|(?:^|\s)Ảnh\s*:\s*[^.]{1,60}$")
_BYLINE = re.compile(r"^(?:Bài và ảnh|Bài, ảnh|Bài|Tin và ảnh|Tin, ảnh|Ảnh|Tin|Theo|"
                     r"Tác giả|Thực hiện)\s*:\s*(.{1,80})$", re.I)


@dataclass
class _Meta:
    """Metadata found while cleaning a scraped page."""

    date: str | None = None
    publisher: str | None = None
    photo_source: str | None = None
    url: str | None = None


def _source_line(line: str, meta: _Meta) -> bool:
    """Record a 'Nguồn: …' line into meta; True when the line is a source line."""
    m = _SOURCE_PAREN.match(line) or None
    if m:
        url = first_match(_URL, line)
        meta.url = meta.url or url
        meta.publisher = meta.publisher or publisher_from(_URL.sub("", m.group(1)), url)
        return True
    m = _SOURCE.match(line)
    if not m or word_count(line) > 25:
        return False
    photo, label_, value = m.groups()
    url = first_match(_URL, value)
    name = publisher_from(label_ or (value if not url else ""), url)
    if photo:
        meta.photo_source = meta.photo_source or clean(value)
    else:
        meta.url = meta.url or url
        meta.publisher = meta.publisher or name
    return True


def _meta_line(line: str, meta: _Meta) -> bool:
    """True when a line is boilerplate or metadata (recorded into meta), not content."""
    low = line.lower().strip(" :.")
    if low in _BOILERPLATE or _PUNCT_ONLY.match(line):
        return True
    m = _DATE_LINE.match(line)
    if m:
        meta.date = meta.date or iso_date(*m.groups())
        return True
    if _source_line(line, meta) or _BYLINE.match(line):
        return True
    if _URL.fullmatch(line):
        meta.url = meta.url or line
        return True
    return False


def _strip_caption(line: str) -> str | None:
    """Content left after removing a photo caption; None when the line is only a caption."""
    if not _CAPTION.search(line):
        return line
    rest = clean(_CAPTION.sub("", line))
    return rest if word_count(rest) >= 12 and ends_sentence(rest) else None


def _similar(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    a, b = a.lower().rstrip(" ."), b.lower().rstrip(" .")
    return a == b or SequenceMatcher(None, a, b).ratio() > 0.85


def _drop_signature(lines: list[str]) -> list[str]:
    """Drop author lines after the last real paragraph (short, no sentence end)."""
    end = len(lines)
    while end > 0:
        line = lines[end - 1]
        if ends_sentence(line.rstrip(")")) and word_count(line) > 15:
            break
        if word_count(line) > 20:
            break
        end -= 1
    return lines[:end]


def _news_title(lines: list[str], photo: str | None) -> tuple[str, list[str]]:
    """The headline and the remaining lines (near-duplicates of the headline dropped)."""
    first = lines[0]
    caption_first = photo is not None and ends_sentence(first) and word_count(first) <= 40
    if word_count(first) <= 60 and (not ends_sentence(first) or caption_first):
        title, rest = title_from(first, 60), lines[1:]
    else:
        title, rest = title_from(first, 20), lines
    rest = [s for i, s in enumerate(rest) if not (i < 5 and _similar(s, title))]
    return title, rest


def news(lines: list[str]) -> ParsedFile:
    """A scraped news report: boilerplate removed, metadata kept, one block per line."""
    meta = _Meta()
    content: list[str] = []
    publisher = None
    for line in lines:
        if _meta_line(line, meta):
            continue
        m = _AGENCY.match(line)
        if m and m.group(1) in _AGENCIES:
            publisher = publisher or _AGENCIES[m.group(1)]
            line = line[m.end():]
        kept = _strip_caption(line)
        if kept:
            content.append(kept)
    if not content:
        raise IngestError("tệp không có nội dung văn bản (chỉ có phần trang trí của trang web)")
    title, body = _news_title(content, meta.photo_source)
    body = _drop_signature(body) or body
    blocks = label([classify(s) for s in body]) if body else [Block(title)]
    return ParsedFile(
        title=title, blocks=tuple(blocks), kind="Bài viết", date=meta.date, url=meta.url,
        publisher=meta.publisher or publisher or meta.photo_source,
    )


def parse(data: bytes) -> ParsedFile:
    """A .txt file: an official document, a hard-wrapped plain document, or a scraped report."""
    lines = text_lines(decode_text(data))
    if not lines:
        raise IngestError("tệp rỗng (chỉ có khoảng trắng)")
    wrapped = _hard_wrapped(lines)
    if wrapped:  # text extracted from a paginated document: page numbers are not content
        lines = [line for line in lines if not PAGE_NUMBER.match(line)]
    return official(lines, joined=wrapped) or (
        generic([classify(t) for t in join_lines(lines)]) if wrapped else news(lines)
    )


def _hard_wrapped(lines: list[str]) -> bool:
    """True when most lines continue on the next one (text wrapped at a fixed width)."""
    if len(lines) < 8:
        return False
    cont = sum(1 for a, b in zip(lines, lines[1:], strict=False)
               if not ends_sentence(a) and b[:1].islower())
    return cont / (len(lines) - 1) > 0.3

