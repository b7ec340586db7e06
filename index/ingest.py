"""Files -> ParsedFile: text, metadata and structural locations of one document.

Formats: .txt (raw web-scraped reports or plain documents), .md (optional YAML front
matter), .html/.htm (trafilatura), .pdf (pypdf), .docx (python-docx). Every failure is an
`IngestError` whose reason is a short Vietnamese sentence for administrators.
"""

from __future__ import annotations

import contextlib
import io
import re
import signal
import threading
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.models import Block, ParsedFile

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})
MAX_FILE_BYTES: int = 20 * 1024 * 1024
MAX_PDF_PAGES = 2000
PDF_SECONDS = 120  # a PDF that takes longer than this to read is treated as hostile

META_KEYS = ("title", "code", "kind", "issuer", "publisher", "date", "url")


class IngestError(Exception):
    """A file that cannot be ingested; the reason is short, polite Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


# --- public API -------------------------------------------------------------------------


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
        parsed = parser(data)
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError("tệp có cấu trúc lồng nhau quá sâu, không đọc được") from exc
    except MemoryError as exc:
        raise IngestError("tệp cần quá nhiều bộ nhớ để đọc") from exc
    except Exception as exc:  # a parser library failing on a bad file must never leak
        raise IngestError(f"tệp {suffix[1:].upper()} bị hỏng hoặc không đọc được") from exc
    if not parsed.blocks:
        raise IngestError("không tìm thấy đoạn văn bản nào đọc được trong tệp")
    return parsed


def _check_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(không có phần mở rộng)"
        raise IngestError(
            f"định dạng {shown} chưa được hỗ trợ (chỉ nhận .txt, .md, .html, .pdf, .docx)"
        )
    return suffix


def _check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        mb, limit = round(size / 1024 / 1024), MAX_FILE_BYTES // 1024 // 1024
        raise IngestError(f"tệp quá lớn ({mb} MB, tối đa {limit} MB)")


# --- text normalisation -----------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean(text: str) -> str:
    """NFC, invisible characters dropped, whitespace collapsed, trailing U+FFFD removed.

    >>> clean("  Đảng  uỷ\\u00a0Khối  ")
    'Đảng uỷ Khối'
    >>> clean("thực hiện nhiệm v\\ufffd")
    'thực hiện nhiệm v'
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _SPACES.sub(" ", text).strip()
    return text.rstrip("\ufffd").rstrip()


_TERMINAL = ".:;!?…"
_CLOSERS = ")\"”’»]'"


def ends_sentence(text: str) -> bool:
    """True when the text ends with terminal punctuation (closing quotes/brackets allowed)."""
    return text.rstrip(_CLOSERS + " ")[-1:] in _TERMINAL if text else False


def _words(text: str) -> int:
    return len(text.split())


def _starts_upper(text: str) -> bool:
    first = text.lstrip("\"“‘'(«[ ")[:1]
    return first.isupper() or first.isdigit()


# --- decoding plain text ----------------------------------------------------------------

_VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}


def _vietnamese_score(text: str) -> float:
    """Share of letters that belong to the Vietnamese alphabet (1.0 = all of them)."""
    letters = [c for c in text[:20000] if c.isalpha()]
    if not letters:
        return 0.0
    ok = 0
    for ch in letters:
        parts = unicodedata.normalize("NFD", ch.lower())
        if (parts[0].isascii() or parts[0] == "đ") and set(parts[1:]) <= _VI_MARKS:
            ok += 1
    return ok / len(letters)


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
    """Pick the 8-bit code page whose reading looks most like Vietnamese (cp1258 first)."""
    candidates: list[str] = []
    with contextlib.suppress(UnicodeDecodeError):
        candidates.append(unicodedata.normalize("NFC", data.decode("cp1258")))
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000]).best()
        if best is not None and best.encoding:
            candidates.append(data.decode(best.encoding, errors="replace"))
    except Exception:  # charset detection is a best effort
        pass
    scored = sorted(candidates, key=_vietnamese_score, reverse=True)
    if not scored or _vietnamese_score(scored[0]) < 0.9:
        raise IngestError(
            "không nhận ra bảng mã của tệp văn bản; hãy lưu lại tệp với bảng mã UTF-8"
        )
    return scored[0]


def _text_lines(text: str) -> list[str]:
    """Cleaned, non-empty lines of a text."""
    lines = (clean(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return [line for line in lines if line]


# --- structure: markers, headings, locations ---------------------------------------------

_NUM = re.compile(r"^((?:[1-9]\d{0,2}|0)(?:\.[1-9]\d?)*)(\.)?\s+(?=[(\"“A-ZĐÀ-ỸÁ-Ỹ\d])")
_LETTER = re.compile(r"^([a-zđ])\)\s+")
_BULLET = re.compile(r"^[-–•+*]\s+(?=\S)")
_DIEU = re.compile(r"^Điều\s+(\d+[a-z]?)\s*[.:]\s*(.*)$")
_CHUONG = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d+)\b[.:]?\s*(.*)$")
_MUC = re.compile(r"^(?:Mục|MỤC)\s+(\d+|[IVXLC]+)\b[.:]?\s*(.*)$")
_ROMAN = re.compile(r"^([IVXLC]{1,6})[.)]\s+(?=\S)")
_DIEU_REF = re.compile(r"Điều\s+(\d+)")


@dataclass(frozen=True)
class Para:
    """A paragraph before labelling: its text, marker kind and a heading hint."""

    text: str
    kind: str = "plain"  # plain | num | letter | bullet | dieu | chuong | muc | roman
    key: str = ""  # "1.1.2", "a", "5", "II"
    hint: bool = False  # the source marks it as a heading (style, '#', <h2>)


def classify(text: str, hint: bool = False) -> Para:
    """The structural marker that opens a paragraph.

    >>> classify("1.1.2. Việc kết nạp vào Đảng những người trên 60 tuổi").key
    '1.1.2'
    >>> classify("Điều 5. Đảng viên").kind
    'dieu'
    """
    for kind, pattern in (("dieu", _DIEU), ("chuong", _CHUONG), ("muc", _MUC)):
        m = pattern.match(text)
        if m:
            return Para(text, kind, m.group(1), hint)
    m = _NUM.match(text)
    if m and (m.group(2) or "." in m.group(1)):
        return Para(text, "num", m.group(1), hint)
    for kind, pattern in (("letter", _LETTER), ("roman", _ROMAN)):
        m = pattern.match(text)
        if m:
            return Para(text, kind, m.group(1), hint)
    if _BULLET.match(text):
        return Para(text, "bullet", "", hint)
    return Para(text, "plain", "", hint)


def _depth(p: Para) -> int:
    return p.key.count(".") + 1 if p.kind == "num" else 0


def _is_heading(p: Para, nxt: Para | None, in_article: bool = False) -> bool:
    """Decide whether a paragraph is a heading from its marker, length and what follows."""
    n, terminal = _words(p.text), ends_sentence(p.text)
    if p.hint:
        return n <= 40
    if p.kind in ("chuong", "muc", "roman"):
        return n <= 30
    if p.kind == "dieu":
        return n <= 30 and (not terminal or n <= 15)
    if nxt is None or p.kind == "bullet":
        return False
    if p.kind == "num" and in_article:  # a khoản of an Điều is content unless it has no end
        return not terminal and n <= 20 and nxt.kind != "num"
    if p.kind == "num":
        return _num_heading(p, nxt, n, terminal)
    if p.kind == "letter":
        return not terminal and n <= 20 and nxt.kind in ("bullet", "plain")
    return not terminal and n <= 20 and _starts_upper(p.text) and _words(nxt.text) > n


def _num_heading(p: Para, nxt: Para, n: int, terminal: bool) -> bool:
    sub = nxt.kind == "num" and _depth(nxt) > _depth(p)
    sibling = nxt.kind == "num" and _depth(nxt) <= _depth(p)
    if n > 45 or sibling:
        return False
    if sub:
        return True
    if p.text.rstrip()[-1:] in ":;":
        return False
    body = _NUM.sub("", p.text, count=1)
    clause = re.search(r"\s(thì|phải|là)\s", body) is not None or body.startswith("Không")
    return not terminal or (n <= 20 and not clause) or (
        body.startswith(("(Khoản", "Điều")) and n <= 40
    )


def _dieu_refs(p: Para) -> list[str]:
    """Điều numbers named in a numbered section title: '1. Điều 1 (Khoản 2): …' -> ['1']."""
    body = _NUM.sub("", p.text, count=1)
    if not body.startswith(("(", "Điều")) or ":" not in body[:160]:
        return []
    refs = _DIEU_REF.findall(body.split(":", 1)[0])
    return list(dict.fromkeys(refs))


class _Locator:
    """Tracks the structural position while reading paragraphs in order."""

    def __init__(self) -> None:
        self.chuong = self.muc = self.roman = self.dieu = self.letter = ""
        self.num = ""
        self.refs: dict[int, list[str]] = {}

    def see(self, p: Para) -> None:
        """Update the position with the marker of paragraph `p`."""
        if p.kind == "chuong":
            self.chuong, self.muc, self.dieu, self.num, self.letter = p.key, "", "", "", ""
        elif p.kind == "muc":
            self.muc, self.dieu, self.num, self.letter = p.key, "", "", ""
        elif p.kind == "roman":
            self.roman, self.num, self.letter, self.refs = p.key, "", "", {}
        elif p.kind == "dieu":
            self.dieu, self.num, self.letter = p.key, "", ""
        elif p.kind == "num":
            self._see_num(p)
        elif p.kind == "letter":
            self.letter = p.key

    def _see_num(self, p: Para) -> None:
        depth = _depth(p)
        self.num, self.letter = p.key, ""
        self.refs = {d: r for d, r in self.refs.items() if d < depth}
        refs = _dieu_refs(p)
        if refs:
            self.refs[depth] = refs

    def label(self) -> str | None:
        """The citation label of the current position, or None outside any structure."""
        parts = [f"Chương {self.chuong}"] if self.chuong else []
        if self.muc:
            parts.append(f"Mục {self.muc}")
        if self.roman and not self.dieu:
            parts.append(f"phần {self.roman}")
        if self.dieu:
            parts.append(f"Điều {self.dieu}")
            if self.num:
                parts.append(f"khoản {self.num}")
            if self.letter:
                parts.append(f"điểm {self.letter}")
            return ", ".join(parts)
        refs = self.refs[max(self.refs)] if self.refs else []
        if refs:
            parts.append("Điều " + ", ".join(refs))
        if self.num or self.letter:
            point = f"{self.num} {self.letter})" if self.num and self.letter else (
                self.num or f"{self.letter})"
            )
            parts.append(f"điểm {point}")
        return ", ".join(parts) or None


def label(paras: Sequence[Para]) -> list[Block]:
    """Blocks with heading flags and structural location labels, in reading order."""
    blocks: list[Block] = []
    loc = _Locator()
    for i, p in enumerate(paras):
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        loc.see(p)
        blocks.append(Block(p.text, loc.label(), _is_heading(p, nxt, bool(loc.dieu))))
    return blocks


# --- re-joining hard-wrapped lines (PDF) ----------------------------------------------------


def _opens_paragraph(line: str, prev: str, width: float) -> bool:
    """Whether a wrapped line starts a new paragraph rather than continuing `prev`."""
    kind = classify(line).kind
    if kind == "bullet":
        return _starts_upper(_BULLET.sub("", line, count=1))
    if kind == "letter":
        return _starts_upper(_LETTER.sub("", line, count=1))
    if kind in ("num", "chuong", "muc", "dieu", "roman"):
        return True
    if not _starts_upper(line):
        return False
    return ends_sentence(prev) or len(prev) < 0.6 * width


def join_lines(lines: Sequence[str]) -> list[str]:
    """Re-join hard-wrapped lines into paragraphs at markers and sentence ends.

    >>> join_lines(["1.1. Người vào Đảng phải đủ 18 tuổi (tính", "theo tháng).", "1.2. Học vấn."])
    ['1.1. Người vào Đảng phải đủ 18 tuổi (tính theo tháng).', '1.2. Học vấn.']
    """
    lengths = sorted(len(line) for line in lines)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80
    paras: list[list[str]] = []
    for line in lines:
        if paras and not _opens_paragraph(line, paras[-1][-1], width):
            paras[-1].append(line)
        else:
            paras.append([line])
    return [clean(" ".join(p)) for p in paras]


# --- official Party documents: letterhead, title, closing ------------------------------------

_KINDS = (
    "QUY ĐỊNH", "HƯỚNG DẪN", "CHỈ THỊ", "NGHỊ QUYẾT", "KẾT LUẬN", "QUYẾT ĐỊNH", "THÔNG BÁO",
    "BÁO CÁO", "KẾ HOẠCH", "CÔNG VĂN", "THÔNG TRI", "QUY CHẾ", "ĐIỀU LỆ", "LUẬT", "NGHỊ ĐỊNH",
    "THÔNG TƯ", "CHƯƠNG TRÌNH", "TỜ TRÌNH", "ĐỀ ÁN", "CHIẾN LƯỢC", "HIẾN PHÁP", "PHÁP LỆNH",
)
_CODE = re.compile(r"\bSố\s*:?\s*(\d+[\w\-–/.Đđ]*[A-ZĐ]\b)")
_VN_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_SIGN = re.compile(r"^(?:T/M|TM\.?|K/T|KT\.?|T/L|TL\.?|Q\.?)\s*(.+)$")
_PROPER = (
    "Ban Chấp hành Trung ương", "Ban Bí thư", "Bộ Chính trị", "Điều lệ Đảng",
    "Đảng Cộng sản Việt Nam",
    "Hồ Chí Minh", "Việt Nam", "Nhà nước", "Quốc hội", "Chính phủ", "Mặt trận Tổ quốc",
    "Trung ương", "Ủy ban Kiểm tra", "Tỉnh ủy", "Thành ủy", "Đảng ủy", "Đảng bộ", "Đảng",
)
_LETTERHEAD = re.compile(
    r"^(\*+|-{3,}|_{3,}|ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|"
    r"CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc)$"
)


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def proper_case(caps: str, body: str = "") -> str:
    """Sentence case for an all-caps title, keeping the casing the body text uses.

    >>> proper_case("THI HÀNH ĐIỀU LỆ ĐẢNG")
    'Thi hành Điều lệ Đảng'
    """
    low = caps.lower()
    found = re.search(re.escape(low), body.lower()) if body else None
    if found:
        return body[found.start():found.end()]
    for phrase in _PROPER:
        low = re.sub(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", phrase, low)
    return low[:1].upper() + low[1:]


def _iso(day: str, month: str, year: str) -> str | None:
    d, m, y = int(day), int(month), int(year)
    if 1 <= d <= 31 and 1 <= m <= 12 and 1900 <= y <= 2100:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


@dataclass
class _Head:
    """What the letterhead of an official document says."""

    kind: str | None = None
    subtitle: str = ""
    code: str | None = None
    date: str | None = None
    issuer: str | None = None
    end: int = 0  # index of the first body line


def letterhead(lines: Sequence[str]) -> _Head | None:
    """Code, date, kind, subtitle and top-left body of an official document, or None."""
    head = _Head()
    top = list(lines[:25])
    kind_at = next((i for i, s in enumerate(top) if s.upper() == s and s in _KINDS), None)
    if kind_at is None:
        return None
    for line in top[:kind_at]:
        head.code = head.code or _first(_CODE, line)
        m = _VN_DATE.search(line)
        if m and not head.date:
            head.date = _iso(*m.groups())
    if not (head.code or head.date):
        return None
    first = top[0]
    if _is_caps(first) and not _LETTERHEAD.match(first) and not _CODE.search(first):
        head.issuer = proper_case(first)
    head.kind = proper_case(top[kind_at])
    end = kind_at + 1
    while end < len(lines) and _is_caps(lines[end]) and _words(lines[end]) <= 25:
        end += 1
    head.subtitle = " ".join(lines[kind_at + 1:end])
    head.end = end
    return head


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group(1 if pattern.groups else 0) if m else None


def _split_closing(lines: list[str]) -> tuple[list[str], list[str], str | None]:
    """Body lines, signature lines, and the signing body ('T/M BAN BÍ THƯ' -> 'Ban Bí thư')."""
    start = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith("Nơi nhận")),
                 None)
    sign_at = next((i for i in range(len(lines) - 1, -1, -1) if _SIGN.match(lines[i])), None)
    if start is None and sign_at is None:
        return lines, [], None
    cut = min(i for i in (start, sign_at) if i is not None)
    if len(lines) - cut > 40:
        return lines, [], None
    tail = lines[cut:]
    signature = [s for s in tail if not s.startswith(("Nơi nhận", "-", "+", "•"))
                 and not (s.endswith(",") or s.endswith(";"))]
    signature = [s for s in signature if not re.match(r"^[a-zđ]", s)]
    issuer = next((proper_case(m.group(1)) for s in tail if (m := _SIGN.match(s))), None)
    return lines[:cut], signature, issuer


def _issuer_from_body(text: str) -> str | None:
    m = re.search(r"(Ban Bí thư|Bộ Chính trị|Ban Chấp hành Trung ương(?: Đảng)?)\s+"
                  r"(?:hướng dẫn|quy định|chỉ thị|kết luận|quyết định|yêu cầu)\b", text)
    return m.group(1) if m else None


def _drop_repeats(lines: list[str], head: _Head) -> list[str]:
    """Drop all-caps repeats of the issuer or the title just under the letterhead."""
    title_caps = {f"{head.kind or ''} {head.subtitle}".upper().strip(), head.subtitle.upper()}
    issuer = (head.issuer or "").upper()
    out = []
    for i, line in enumerate(lines):
        if i < 30 and _is_caps(line) and (line.upper() in title_caps or line.upper() == issuer
                                          or _LETTERHEAD.match(line)):
            continue
        out.append(line)
    return out


def official(lines: list[str], joined: bool) -> ParsedFile | None:
    """Parse an official Party document (letterhead, numbered points), or None if it is not one."""
    head = letterhead(lines)
    if head is None:
        return None
    body, signature, signer = _split_closing(list(lines[head.end:]))
    body = _drop_repeats(body, head)
    texts = join_lines(body) if joined else body
    text_all = " ".join(texts)
    subtitle = proper_case(head.subtitle, text_all) if head.subtitle else ""
    title = f"{head.kind} {subtitle}".strip() if head.kind else subtitle
    blocks = label([classify(t) for t in texts])
    if signature:
        blocks.append(Block(clean(" ".join(signature)), None, False))
    issuer = signer or _issuer_from_body(text_all) or head.issuer
    return ParsedFile(title=title, blocks=tuple(blocks), code=head.code, kind=head.kind,
                      issuer=issuer, date=head.date)


def generic(paras: Sequence[Para], title: str | None = None) -> ParsedFile:
    """A document without letterhead: labelled blocks, title from the first heading or line."""
    blocks = label(list(paras))
    if not title:
        first = next((b.text for b in blocks if b.heading), blocks[0].text if blocks else "")
        title = _title_from(first)
    return ParsedFile(title=title, blocks=tuple(blocks))


def _title_from(text: str, limit: int = 25) -> str:
    """A title from a line: trailing period dropped, long sentences cut at `limit` words."""
    text = clean(text)
    first = re.split(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ])", text, maxsplit=1)[0]
    words = first.split()
    if len(words) > limit:
        return " ".join(words[:limit]).rstrip(",;:") + "…"
    return first.rstrip(" .")


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
_DOMAINS = {
    "baothanhhoa.vn": "Báo Thanh Hóa", "baoquangbinh.vn": "Báo Quảng Bình",
    "baonamdinh.vn": "Báo Nam Định", "baonamdinh.com.vn": "Báo Nam Định",
    "baobacninh.vn": "Báo Bắc Ninh", "baobacninhtv.vn": "Báo Bắc Ninh",
    "baobacgiang.vn": "Báo Bắc Giang", "nhandan.vn": "Báo Nhân Dân",
    "qdnd.vn": "Báo Quân đội nhân dân", "tuoitre.vn": "Báo Tuổi Trẻ",
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


def publisher_from(label: str, url: str | None = None) -> str | None:
    """A publisher name from a source label and/or URL.

    >>> publisher_from("Thanh Hóa", "http://baothanhhoa.vn/xay-dung-dang/1.htm")
    'Báo Thanh Hóa'
    """
    host = _host(url)
    if host in _DOMAINS:
        return _DOMAINS[host]
    label = label.strip(" :-")
    if label and host.startswith("bao") and not label.lower().startswith("báo"):
        return f"Báo {label}"
    return label or host or None


def _host(url: str | None) -> str:
    """The host name of a URL without 'www.' ('' when there is none)."""
    return re.sub(r"^www\.", "", url.split("/")[2].lower()) if url and "//" in url else ""


def _source_line(line: str, meta: _Meta) -> bool:
    """Record a 'Nguồn: …' line into meta; True when the line is a source line."""
    m = _SOURCE_PAREN.match(line) or None
    if m:
        url = _first(_URL, line)
        meta.url = meta.url or url
        meta.publisher = meta.publisher or publisher_from(_URL.sub("", m.group(1)), url)
        return True
    m = _SOURCE.match(line)
    if not m or _words(line) > 25:
        return False
    photo, label_, value = m.groups()
    url = _first(_URL, value)
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
        meta.date = meta.date or _iso(*m.groups())
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
    return rest if _words(rest) >= 12 and ends_sentence(rest) else None


def _similar(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    a, b = a.lower().rstrip(" ."), b.lower().rstrip(" .")
    return a == b or SequenceMatcher(None, a, b).ratio() > 0.85


def _drop_signature(lines: list[str]) -> list[str]:
    """Drop author lines after the last real paragraph (short, no sentence end)."""
    end = len(lines)
    while end > 0:
        line = lines[end - 1]
        if ends_sentence(line.rstrip(")")) and _words(line) > 15:
            break
        if _words(line) > 20:
            break
        end -= 1
    return lines[:end]


def _news_title(lines: list[str], photo: str | None) -> tuple[str, list[str]]:
    """The headline and the remaining lines (near-duplicates of the headline dropped)."""
    first = lines[0]
    caption_first = photo is not None and ends_sentence(first) and _words(first) <= 40
    if _words(first) <= 60 and (not ends_sentence(first) or caption_first):
        title, rest = _title_from(first, 60), lines[1:]
    else:
        title, rest = _title_from(first, 20), lines
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


def _parse_txt(data: bytes) -> ParsedFile:
    lines = _text_lines(decode_text(data))
    if not lines:
        raise IngestError("tệp rỗng (chỉ có khoảng trắng)")
    wrapped = _hard_wrapped(lines)
    if wrapped:  # text extracted from a paginated document: page numbers are not content
        lines = [line for line in lines if not _PAGE_NO.match(line)]
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


# --- .md ----------------------------------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (as a dict) and the text after it."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 2})" if mark is not None else ""
        raise IngestError(f"phần thông tin đầu tệp Markdown (YAML) bị lỗi{where}") from exc
    if not isinstance(meta, dict):
        raise IngestError("phần thông tin đầu tệp Markdown (YAML) phải là các cặp khoá: giá trị")
    return meta, text[m.end():]


def _md_inline(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](\S[^*_]*?)[*_](?![\w*])", r"\1", text)
    return clean(text)


def markdown_paras(text: str) -> list[Para]:
    """Paragraphs of Markdown text: '#' lines are headings, list items stand alone."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    paras: list[Para] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            joined = _md_inline(" ".join(buf))
            if joined:
                paras.append(classify(joined))
            buf.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or re.fullmatch(r"[-*_=]{3,}|\|?[\s:|-]+\|?", line):
            flush()
        elif line.startswith("#"):
            flush()
            heading = _md_inline(line.lstrip("#").strip().rstrip("#"))
            if heading:
                paras.append(classify(heading, hint=True))
        elif re.match(r"^([-*+]|\d+[.)])\s+", line) or line.startswith(("|", ">")):
            flush()
            buf.append(line.strip("|>").replace("|", " ; ") if line[0] in "|>" else line)
            flush()
        else:
            buf.append(line)
    flush()
    return [_unstar(p) for p in paras]


def _unstar(p: Para) -> Para:
    """Markdown '* item' / '+ item' bullets read as '- item'."""
    if p.kind == "bullet" and p.text[:1] in "*+":
        return replace(p, text="- " + p.text[1:].strip())
    return p


def _meta_value(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return clean(str(value)) or None


def _parse_md(data: bytes) -> ParsedFile:
    meta, body = front_matter(decode_text(data).replace("\r\n", "\n"))
    paras = markdown_paras(body)
    if not paras:
        raise IngestError("tệp rỗng (không có nội dung sau phần thông tin đầu tệp)")
    parsed = official([p.text for p in paras], joined=False) or generic(paras)
    return _override(parsed, meta)


def _override(parsed: ParsedFile, meta: dict[str, Any]) -> ParsedFile:
    """Metadata given explicitly (front matter) wins over what was extracted."""
    fields: dict[str, str] = {}
    for key in META_KEYS:
        value = _meta_value(meta.get(key))
        if value:
            fields[key] = value
    date = fields.get("date", "")
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        m = re.search(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", date)
        fields["date"] = (_iso(*m.groups()) if m else None) or date
    return replace(parsed, **fields)  # type: ignore[arg-type]


# --- .html ---------------------------------------------------------------------------------


def _parse_html(data: bytes) -> ParsedFile:
    html = _decode_html(data)
    if not html.strip():
        raise IngestError("tệp rỗng (chỉ có khoảng trắng)")
    paras, meta = _trafilatura(html)
    if not paras:
        paras = _html_fallback(html)
    if not paras:
        raise IngestError("trang HTML không có nội dung văn bản đọc được")
    parsed = official([p.text for p in paras], joined=False) or generic(paras, meta.get("title"))
    if parsed.kind is None:
        parsed = replace(parsed, kind="Bài viết")
    return _override(parsed, meta)


def _decode_html(data: bytes) -> str:
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    if m and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return data.decode(m.group(1).decode("ascii"))
    return decode_text(data)


def _trafilatura(html: str) -> tuple[list[Para], dict[str, Any]]:
    """Main text (as paragraphs) and metadata extracted by trafilatura."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(html, output_format="xml", with_metadata=True,
                              favor_recall=True, include_comments=False, include_tables=True)
    if not xml:
        return [], {}
    root = etree.fromstring(xml.encode("utf-8"))
    meta = {k: root.get(k) for k in ("title", "date", "url")}
    meta["publisher"] = publisher_from("", meta["url"]) if _host(meta["url"]) in _DOMAINS \
        else root.get("sitename")
    paras = []
    for el in root.iter("head", "p", "item", "cell", "quote"):
        if el.tag in ("p", "quote") and el.getparent() is not None \
                and el.getparent().tag in ("item", "cell"):
            continue
        text = clean("".join(el.itertext()))
        if text:
            paras.append(classify(text, hint=el.tag == "head"))
    return paras, {k: v for k, v in meta.items() if v}


def _html_fallback(html: str) -> list[Para]:
    """Plain text of an HTML page that trafilatura could not read (broken or tiny pages)."""
    from lxml import html as lhtml

    try:
        root = lhtml.fromstring(html)
    except Exception:  # lxml gives up only on hopeless input
        return []
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    text = root.text_content() if root is not None else ""
    return [classify(line) for line in _text_lines(text)]


# --- .pdf ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Abort (TimeoutError) after `seconds`, where the platform allows it (main thread, Unix)."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _alarm(signum: int, frame: Any) -> None:
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _pdf_reader(data: bytes) -> Any:
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
        with _deadline(PDF_SECONDS):
            reader = _pdf_reader(data)
            if len(reader.pages) > MAX_PDF_PAGES:
                raise IngestError(f"tệp PDF quá nhiều trang ({len(reader.pages)} trang)")
            return [_text_lines(page.extract_text() or "") for page in reader.pages]
    except TimeoutError as exc:
        raise IngestError("tệp PDF đọc quá lâu (có thể bị hỏng), đã bỏ qua") from exc
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        if "decrypt" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise IngestError("tệp PDF được mã hoá (có mật khẩu), không đọc được") from exc
        raise IngestError("tệp PDF bị hỏng hoặc không đầy đủ, không đọc được") from exc


_PAGE_NO = re.compile(r"^(?:Trang\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*/\s*\d{1,4})?$", re.I)


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
            if _PAGE_NO.match(line) and (edge or line.isdigit()):
                continue
            if edge and re.sub(r"\d+", "#", line) in furniture:
                continue
            out.append(line)
    return out


def _parse_pdf(data: bytes) -> ParsedFile:
    pages = pdf_pages(data)
    lines = strip_furniture(pages)
    if not any(_words(s) >= 1 and any(c.isalpha() for c in s) for s in lines):
        raise IngestError(
            "PDF không có lớp chữ (bản scan); cần nhận dạng chữ (OCR) trước khi nạp"
        )
    return official(lines, joined=True) or generic([classify(t) for t in join_lines(lines)])


# --- .docx ---------------------------------------------------------------------------------


def _docx_items(doc: Any) -> Iterator[Para]:
    """Paragraphs and table cells of a DOCX body, in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            text = clean(item.text)
            style = (item.style.name if item.style is not None else "") or ""
            if text:
                yield classify(text, hint=style.lower().startswith(("heading", "title")))
        elif isinstance(item, Table):
            yield from _table_cells(item)


def _table_cells(table: Any) -> Iterator[Para]:
    """Text of each table cell once (merged cells repeat in python-docx)."""
    seen: list[Any] = []  # the cell elements themselves: merged cells share one element
    for row in table.rows:
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            text = clean(" ".join(p.text for p in cell.paragraphs))
            if text:
                yield classify(text)


def _parse_docx(data: bytes) -> ParsedFile:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError("tệp DOCX bị hỏng (không phải tệp Word hợp lệ)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise IngestError("tệp DOCX bị hỏng (không phải tệp Word hợp lệ)") from exc
    paras = list(_docx_items(document))
    if not paras:
        raise IngestError("tệp DOCX không có nội dung văn bản")
    props_title = clean(document.core_properties.title or "")
    parsed = official([p.text for p in paras], joined=False) or generic(paras, props_title)
    return parsed


_PARSERS: dict[str, Callable[[bytes], ParsedFile]] = {
    ".txt": _parse_txt, ".md": _parse_md, ".html": _parse_html, ".htm": _parse_html,
    ".pdf": _parse_pdf, ".docx": _parse_docx,
}
