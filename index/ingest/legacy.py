"""The legacy Vietnamese 8-bit encodings old provincial documents still use, read as Unicode:
TCVN3 (ABC, the .VnTime fonts: one byte per letter) and VNI (VNI-Times: a base letter and a
mark byte after it), and how much a text looks like Vietnamese (to tell them from mojibake).

>>> from_tcvn3("§¶ng viªn ph¶i g\xad¬ng mÉu".encode("latin-1"))  # \xad (ư) prints as nothing
'Đảng viên phải gương mẫu'
>>> from_vni("Ñaûng vieân phaûi göông maãu".encode("cp1252"))
'Đảng viên phải gương mẫu'
"""

from __future__ import annotations

import re
import unicodedata

# TCVN 5712 (VN1; TCVN3 is its lower-case part): bytes 0xA0-0xFF, then the capitals it adds at 0x80-0x9F.
_TCVN3_HIGH = (
    " ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
_TCVN3_CAPITALS = "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"
TCVN3 = {0xA0 + i: ch for i, ch in enumerate(_TCVN3_HIGH)} | {0x80 + i: ch for i, ch in enumerate(_TCVN3_CAPITALS)}

# VNI Windows, as the cp1252 characters its bytes are: marks written after the vowel they go
# on (tone; circumflex or breve with a tone), and the letters it gives a byte of their own.
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_HATS = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVES = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
VNI = (
    {k: v for m, v in _TONES.items() for k in (m, m.upper())}
    | {k: "\u0302" + v for m, v in _HATS.items() for k in (m, m.upper())}
    | {k: "\u0306" + v for m, v in _BREVES.items() for k in (m, m.upper())}
    | _VNI_LETTERS | {m.upper(): v.upper() for m, v in _VNI_LETTERS.items()}
)

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SHAPES = {"a": {"", "\u0302", "\u0306"}, "e": {"", "\u0302"}, "o": {"", "\u0302", "\u031b"},
           "u": {"", "\u031b"}, "i": {""}, "y": {""}}
_EDGE = re.compile(r"^\W+|\W+$")


def from_tcvn3(data: bytes) -> str:
    """Bytes in TCVN3 (ABC) as Unicode text (NFC)."""
    return unicodedata.normalize("NFC", "".join(TCVN3.get(b, chr(b)) for b in data))


def from_vni(data: bytes) -> str:
    """Bytes in VNI Windows as Unicode text (NFC)."""
    text = data.decode("cp1252", errors="replace")
    return unicodedata.normalize("NFC", "".join(VNI.get(ch, ch) for ch in text))


def vietnamese_letter(ch: str) -> bool:
    """True for a letter of the Vietnamese alphabet (or any ASCII letter), in either case.

    >>> vietnamese_letter("ặ"), vietnamese_letter("û"), vietnamese_letter("ª")
    (True, False, False)
    """
    parts = unicodedata.normalize("NFD", ch.lower())
    base, marks = parts[0], parts[1:]
    if not marks:
        return base.isascii() and base.isalpha() or base == "đ"
    tones = [m for m in marks if m in _TONE_MARKS]
    shape = "".join(m for m in marks if m not in _TONE_MARKS)
    return len(tones) <= 1 and shape in _SHAPES.get(base, set())


def vietnamese_word(word: str) -> bool:
    """True for a word written as Vietnamese is: its letters Vietnamese, one tone mark at most
    (a word is a syllable), no symbol inside it, no capital after a small letter ('mÉu',
    'viªn', '§¶ng', 'ẹaỷng' are mojibake)."""
    core = _EDGE.sub("", word)
    if not core or any(ch.isdigit() for ch in core):
        return True
    if not all(vietnamese_letter(ch) or ch in "-/.'" for ch in core):
        return False
    if sum(m in _TONE_MARKS for m in unicodedata.normalize("NFD", core)) > 1:
        return False
    return core.islower() or core.isupper() or (core[0].isupper() and core[1:].islower())


def vietnamese_score(text: str) -> float:
    """Share of the words (of the first 20,000 characters) written as Vietnamese is."""
    words = text[:20000].split()
    return sum(map(vietnamese_word, words)) / len(words) if words else 0.0
