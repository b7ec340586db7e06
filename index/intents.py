"""What a question wants, and whether a passage carries it.

"bao nhiêu tuổi" wants an age, "bao lâu" or "thời hạn" a duration, "trường hợp nào" a
condition, "ai / cấp nào" a body that decides, "gồm những gì / hồ sơ" a list, "có được …
không" a permission or a prohibition, "bao nhiêu / mấy" a number. Both sides are matched
folded (without diacritics), so a question typed on a phone is read the same way.

>>> intent_of("Người vào Đảng phải đủ bao nhiêu tuổi?").name, intent_of("ai duyet ket nap").name
('age', 'body')
>>> carries(intent_of("bao lâu thì được xét chính thức"), "Sau 12 tháng, kể từ ngày kết nạp")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text import fold

_LABEL_RE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+])\s*", re.IGNORECASE)
_NUM = r"(?:\d+|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|muoi hai|nua|mươi)"


@dataclass(frozen=True)
class Intent:
    """A kind of answer: how a question asks for it, and how a passage states it (folded)."""

    name: str
    asks: re.Pattern[str]
    states: re.Pattern[str]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# In order: the first that a question matches is its intent.
INTENTS = (
    Intent("age", _rx(r"\b(bao nhieu|may|bn) tuoi\b|\btuoi (doi )?(toi thieu|toi da|bao nhieu)"),
           _rx(rf"\b{_NUM} tuoi\b")),
    Intent("duration", _rx(r"\bbao lau\b|\bthoi han\b|\bbao gio\b|\b(bao nhieu|may|bn) (ngay|thang|nam|tuan)\b"
                           r"|\bmat bao\b|\bthoi gian\b"),
           _rx(rf"\b{_NUM} (ngay|thang|nam|tuan)\b|\bthoi han\b|\bngay lam viec\b")),
    Intent("number", _rx(r"\bbao nhieu\b|\bmay (nguoi|dang vien|lan|phan|thanh vien|ca nhan)\b|\bbn\b|\bty le\b"),
           _rx(r"\d|\b(hai|ba|bon|sau|bay|tam|chin|muoi|tram|nua)\b|phan (hai|ba|tram)")),
    Intent("body", _rx(r"\bai (duyet|quyet dinh|ky|xet|co quyen|chiu trach nhiem|la nguoi)\b|\bcap nao\b"
                       r"|\b(tham quyen|co quyen) (gi|nao)?|\bco quan nao\b|^ai\b|\bdo ai\b|\bai\b.*\bquyet\b"),
           _rx(r"\bco tham quyen\b|\bquyet dinh\b|\b(cap uy|ban thuong vu|chi bo|dang uy|uy ban kiem tra|bi thu)\b")),
    Intent("condition", _rx(r"\btruong hop nao\b|\bkhi nao\b|\bdieu kien\b|\bneu\b.*\bthi\b|\bluc nao\b"),
           _rx(r"\btruong hop\b|\bdieu kien\b|\bneu\b|\bkhi\b|\bsau khi\b")),
    Intent("list", _rx(r"\bgom (nhung )?(gi|nhung)\b|\bho so\b|\bnhung (gi|viec gi)\b|\bcac (buoc|thu tuc)\b"
                       r"|\bthu tuc\b|\bnhiem vu gi\b|\bquyen gi\b"),
           _rx(r"\bgom\b|:\s*$|\bsau day\b|\bbao gom\b")),
    Intent("permission", _rx(r"\bco (duoc|the|phai)\b.*\b(khong|ko|k|hok)\b|\bduoc (khong|ko|k)\b|\bduoc phep\b"
                             r"|\bco bi\b.*\bkhong\b"),
           _rx(r"\bkhong duoc\b|\bduoc\b|\bphai\b|\bkhong\b")),
)
BY_NAME = {i.name: i for i in INTENTS}
NUMBERS = frozenset({"age", "duration", "number"})  # answered by a number


def intent_of(question: str) -> Intent | None:
    """The kind of answer a question wants, or None.

    >>> intent_of("Chi bộ sinh hoạt qua Google Meet được không?").name
    'permission'
    >>> intent_of("Chỉ thị 05 nói về việc gì") is None
    True
    """
    folded = " ".join(fold(question).replace("?", " ").split())
    return next((i for i in INTENTS if i.asks.search(folded)), None)


def carries(intent: Intent | None, text: str) -> bool:
    """Whether a passage states what the intent asks for (its leading label aside)."""
    if intent is None:
        return False
    return bool(intent.states.search(fold(_LABEL_RE.sub("", text, count=1))))
