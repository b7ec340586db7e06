"""What a document says about itself: title, code, kind, issuer, date, publisher.

Extracted from an official Party document's letterhead and closing (`official`), from the
first heading of any other document (`generic`), from a report's source line (`publisher_from`);
given explicitly in Markdown front matter, which wins (`apply_metadata`), or by the
administrators in the corpus's sidecar `metadata.yaml` (`load_metadata`), which the indexer
lays over what ingestion found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.ingest.errors import IngestError
from index.ingest.structure import Para, classify, clean, join_lines, label, word_count
from index.models import Block, ParsedFile

META_KEYS = ("title", "code", "kind", "issuer", "publisher", "date", "url")
RELATION_KEYS = ("replaced_by",)  # what the texts do not say of a document's standing (index/relations.py)
METADATA_FILE = "metadata.yaml"


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


def iso_date(day: str, month: str, year: str) -> str | None:
    """An ISO date from day, month and year, or None when they make no plausible date.

    >>> iso_date("9", "6", "2025")
    '2025-06-09'
    """
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
        head.code = head.code or first_match(_CODE, line)
        m = _VN_DATE.search(line)
        if m and not head.date:
            head.date = iso_date(*m.groups())
    if not (head.code or head.date):
        return None
    first = top[0]
    if _is_caps(first) and not _LETTERHEAD.match(first) and not _CODE.search(first):
        head.issuer = proper_case(first)
    head.kind = proper_case(top[kind_at])
    end = kind_at + 1
    while end < len(lines) and _is_caps(lines[end]) and word_count(lines[end]) <= 25:
        end += 1
    head.subtitle = " ".join(lines[kind_at + 1:end])
    head.end = end
    return head


def first_match(pattern: re.Pattern[str], text: str) -> str | None:
    """The first group of the pattern's first match in the text (the whole match if it has no group)."""
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
        title = title_from(first)
    return ParsedFile(title=title, blocks=tuple(blocks))


def title_from(text: str, limit: int = 25) -> str:
    """A title from a line: trailing period dropped, long sentences cut at `limit` words."""
    text = clean(text)
    first = re.split(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ])", text, maxsplit=1)[0]
    words = first.split()
    if len(words) > limit:
        return " ".join(words[:limit]).rstrip(",;:") + "…"
    return first.rstrip(" .")


# --- publishers of reports ---------------------------------------------------------------

DOMAIN_PUBLISHERS = {
    "baothanhhoa.vn": "Báo Thanh Hóa", "baoquangbinh.vn": "Báo Quảng Bình",
    "baonamdinh.vn": "Báo Nam Định", "baonamdinh.com.vn": "Báo Nam Định",
    "baobacninh.vn": "Báo Bắc Ninh", "baobacninhtv.vn": "Báo Bắc Ninh",
    "baobacgiang.vn": "Báo Bắc Giang", "nhandan.vn": "Báo Nhân Dân",
    "qdnd.vn": "Báo Quân đội nhân dân", "tuoitre.vn": "Báo Tuổi Trẻ",
}


def publisher_from(label: str, url: str | None = None) -> str | None:
    """A publisher name from a source label and/or URL.

    >>> publisher_from("Thanh Hóa", "http://baothanhhoa.vn/xay-dung-dang/1.htm")
    'Báo Thanh Hóa'
    """
    host = url_host(url)
    if host in DOMAIN_PUBLISHERS:
        return DOMAIN_PUBLISHERS[host]
    label = label.strip(" :-")
    if label and host.startswith("bao") and not label.lower().startswith("báo"):
        return f"Báo {label}"
    return label or host or None


def url_host(url: str | None) -> str:
    """The host name of a URL without 'www.' ('' when there is none)."""
    return re.sub(r"^www\.", "", url.split("/")[2].lower()) if url and "//" in url else ""


# --- metadata given explicitly: front matter ------------------------------------------------

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


def _meta_value(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return clean(str(value)) or None


def apply_metadata(parsed: ParsedFile, meta: dict[str, Any]) -> ParsedFile:
    """Metadata given explicitly (front matter) wins over what was extracted."""
    fields: dict[str, str] = {}
    for key in META_KEYS:
        value = _meta_value(meta.get(key))
        if value:
            fields[key] = value
    date = fields.get("date", "")
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        m = re.search(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", date)
        fields["date"] = (iso_date(*m.groups()) if m else None) or date
    return replace(parsed, **fields)  # type: ignore[arg-type]


# --- metadata given by the administrators: the sidecar metadata.yaml ---------------------------


def read_sidecar(corpus_dir: Path, name: str) -> tuple[dict[Any, Any], str | None]:
    """A YAML mapping beside the documents (empty when the file is absent), and an error if
    it is malformed."""
    import yaml

    path = Path(corpus_dir) / name
    if not path.is_file():
        return {}, None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
    except (yaml.YAMLError, ValueError, UnicodeDecodeError) as exc:
        return {}, f"tệp {name} sai cú pháp, đã bỏ qua ({exc.__class__.__name__})"
    return data, None


def load_metadata(corpus_dir: Path) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The sidecar `metadata.yaml` (file name -> fields), and an error if it is malformed."""
    data, error = read_sidecar(corpus_dir, METADATA_FILE)
    known = META_KEYS + RELATION_KEYS
    return {str(k): {m: str(v) for m, v in (d or {}).items() if m in known} for k, d in data.items()}, error
