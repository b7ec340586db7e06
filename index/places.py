"""Places in a document: the article, clause or point a question names ("Điều 8",
"khoản 2 Điều 5", "điểm 4.3.2") and the citation labels of passages they match.

>>> places, rest = find_places("Điều 8 Quy định 294 nói gì?")
>>> places, rest
({'dieu': '8'}, 'Quy định 294 nói gì?')
>>> matches(places, "Điều 8, điểm 8.1"), matches(places, "Điều 18, điểm 17.1")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Place = dict[str, str]  # kind -> number: {"dieu": "8", "khoan": "2", "diem": "4.3.2", "letter": "a"}

_ROMAN = r"[ivxlc]+"
_NUMBER = r"\d+(?:\.\d+)*"
# One reference of a question, accented or not: "Điều 8", "dieu 8", "khoản 2", "điểm 4.3.2 a)",
# "điểm a", "Chương II", "Mục 1". Numbers only (a word after "điều" is "điều kiện", not a place).
_REF_RE = re.compile(
    r"(?<!\w)(?:"
    r"(?P<chuong>chương|chuong)\s+(?P<chuong_n>\d+|" + _ROMAN + r")"
    r"|(?P<muc>mục|muc)\s+(?P<muc_n>\d+|" + _ROMAN + r")"
    r"|(?P<dieu>điều|dieu)\s+(?P<dieu_n>\d+)"
    r"|(?P<khoan>khoản|khoan)\s+(?P<khoan_n>" + _NUMBER + r")"
    r"|(?P<diem>điểm|diem)\s+(?:(?P<diem_n>" + _NUMBER + r")(?:\s+(?P<diem_l>[a-zđ])\)?)?|(?P<letter>[a-zđ])\)?)"
    r")(?![\w.])",
    re.IGNORECASE,
)
_LABEL_RE = {
    "chuong": re.compile(r"Chương (\S+?)(?:,|$)"),
    "muc": re.compile(r"Mục (\S+?)(?:,|$)"),
    "khoan": re.compile(r"khoản (" + _NUMBER + ")"),
    "diem": re.compile(r"điểm (" + _NUMBER + ")"),
    "letter": re.compile(r"điểm (?:" + _NUMBER + r" )?([a-zđ])\)?(?:,|$)"),
}
_LABEL_DIEU = re.compile(r"Điều (\d+[a-z]?(?:, \d+[a-z]?)*)")


def find_places(question: str) -> tuple[Place, str]:
    """The place a question names, and the question without it (empty place: none named).

    >>> find_places("điểm a khoản 2 dieu 5 luat nay")
    ({'letter': 'a', 'khoan': '2', 'dieu': '5'}, 'luat nay')
    >>> find_places("Điều kiện kết nạp lại là gì?")
    ({}, 'Điều kiện kết nạp lại là gì?')
    >>> find_places("nộp khoản 2 triệu đồng")
    ({}, 'nộp khoản 2 triệu đồng')
    """
    place: Place = {}
    for m in _REF_RE.finditer(question):
        for kind in ("chuong", "muc", "dieu", "khoan"):
            if m.group(kind):
                place.setdefault(kind, m.group(f"{kind}_n").lower())
        if m.group("diem"):
            if m.group("diem_n"):
                place.setdefault("diem", m.group("diem_n"))
            letter = m.group("diem_l") or m.group("letter")
            if letter:
                place.setdefault("letter", letter.lower())
    if not place.keys() & {"chuong", "muc", "dieu", "diem"}:
        return {}, question  # "khoản 2" or "điểm a" alone names no place ("khoản 2 triệu")
    return place, " ".join(_REF_RE.sub(" ", question).split())


def label_place(label: str | None) -> dict[str, str | frozenset[str]]:
    """What a citation label says, in the kinds of `find_places`.

    >>> held = label_place("Điều 10, 13, điểm 10.4.2 b)")
    >>> sorted(held["dieu"]), held["diem"], held["letter"]
    (['10', '13'], '10.4.2', 'b')
    """
    if not label:
        return {}
    out: dict[str, str | frozenset[str]] = {}
    m = _LABEL_DIEU.search(label)
    if m:
        out["dieu"] = frozenset(n.strip() for n in m.group(1).split(","))
    for kind, pattern in _LABEL_RE.items():
        found = pattern.search(label)
        if found:
            out[kind] = found.group(1).lower()
    return out


def enclosing(label: str | None) -> str | None:
    """The article (or top-level point) a citation label lies in, as a question names it:
    what "read the whole article" asks for.

    >>> enclosing("Điều 8, điểm 8.2.1"), enclosing("điểm 10.1 c)"), enclosing("đoạn 3/12")
    ('Điều 8', 'điểm 10', None)
    """
    article = _LABEL_DIEU.search(label or "")
    if article:
        return f"Điều {article.group(1).split(',')[0]}"
    point = _LABEL_RE["diem"].search(label or "")
    return f"điểm {point.group(1).split('.')[0]}" if point else None


def cited(label: str | None) -> str | None:
    """A location as a citation names it: an article without the chapter it stands in
    (the chapter stays in the stored label, for questions that name it).

    >>> cited("Chương VIII, Điều 35, khoản 2"), cited("Chương II"), cited("Điều 1, điểm 1.1.1")
    ('Điều 35, khoản 2', 'Chương II', 'Điều 1, điểm 1.1.1')
    """
    return _CHAPTER_BEFORE_ARTICLE.sub("", label) if label else label


_CHAPTER_BEFORE_ARTICLE = re.compile(r"^Chương \S+?, (?:Mục \S+?, )?(?=Điều )")


def _within(asked: str, held: str) -> bool:
    """A numbered place holds the one asked for or lies inside it ("4.3.2" in "4.3")."""
    return held == asked or held.startswith(asked + ".")


def holds(place: Place, held: dict[str, str | frozenset[str]]) -> bool:
    """Whether a passage whose label says `held` (`label_place`) lies at or inside `place`."""
    if not place or not held:
        return False
    for kind, asked in place.items():
        have = held.get(kind)
        if have is None:
            return False
        if kind == "dieu":
            if asked not in have:
                return False
        elif kind in ("khoan", "diem"):
            if not _within(asked, str(have)):
                return False
        elif asked != have:
            return False
    return True


def matches(place: Place, label: str | None) -> bool:
    """Whether a passage cited as `label` lies at (or inside) the place a question names.

    >>> matches({"diem": "4.3"}, "Điều 5, điểm 4.3.2 a)"), matches({"khoan": "2"}, "Điều 5, khoản 3")
    (True, False)
    """
    return holds(place, label_place(label))


class Places:
    """The passages under each structural label of an index, the labels parsed once: a
    question that names a place reads a few thousand labels at most, not every passage.

    >>> Places([("p1", "d", "Điều 8, điểm 8.1"), ("p2", "d", "Điều 9, điểm 9.1")]).find({"dieu": "8"})
    [('p1', 'd')]
    """

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        self.by_label: dict[str, list[tuple[str, str]]] = {}
        for passage_id, doc_id, label in rows:
            self.by_label.setdefault(label, []).append((passage_id, doc_id))
        self.held = {label: label_place(label) for label in self.by_label}

    def find(self, place: Place) -> list[tuple[str, str]]:
        """(passage_id, doc_id) of the passages at or inside `place`."""
        return [row for label, held in self.held.items() if holds(place, held) for row in self.by_label[label]]
