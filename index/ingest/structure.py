"""Paragraphs and where they stand: cleaning, markers, headings, Chương / Điều / khoản / điểm.

Every format ends here: its paragraphs are classified by their opening marker, labelled with
their structural location ("Chương I, Điều 1, khoản 1, điểm a", "Điều 1, điểm 1.1.1") and
flagged as headings or content; hard-wrapped lines (PDF) are re-joined first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from index.models import Block

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


def word_count(text: str) -> int:
    """The number of whitespace-separated words."""
    return len(text.split())


def starts_upper(text: str) -> bool:
    """True when the text (past opening quotes and brackets) starts with a capital or a digit."""
    first = text.lstrip("\"“‘'(«[ ")[:1]
    return first.isupper() or first.isdigit()


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
    n, terminal = word_count(p.text), ends_sentence(p.text)
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
    return not terminal and n <= 20 and starts_upper(p.text) and word_count(nxt.text) > n


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
        return starts_upper(_BULLET.sub("", line, count=1))
    if kind == "letter":
        return starts_upper(_LETTER.sub("", line, count=1))
    if kind in ("num", "chuong", "muc", "dieu", "roman"):
        return True
    if not starts_upper(line):
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

