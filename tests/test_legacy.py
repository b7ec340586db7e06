"""Legacy Vietnamese encodings (TCVN3, VNI): read as Unicode, never indexed as mojibake."""

from __future__ import annotations

import unicodedata

import pytest

from index.ingest import IngestError, parse_bytes
from index.ingest.legacy import TCVN3, vietnamese_score

SENTENCES = (
    "Đảng viên phải gương mẫu chấp hành chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước.\n"
    "Chi bộ tổ chức sinh hoạt chuyên đề về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.\n"
    "Ban Thường vụ Huyện ủy yêu cầu các tổ chức cơ sở đảng rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ tới.\n"
    "Kết quả thực hiện Chỉ thị số 05-CT/TW được sơ kết hằng năm; những việc còn tồn tại được khắc phục ngay.\n"
)


def to_tcvn3(text: str) -> bytes:
    """Text written in TCVN3 (ABC), as the .VnTime fonts stored it: one byte per letter."""
    byte_of = {ch: b for b, ch in TCVN3.items() if len(ch) == 1 and not unicodedata.combining(ch)}
    return bytes(ord(ch) if ch.isascii() else byte_of[ch] for ch in unicodedata.normalize("NFC", text))


_VNI_TONES = dict(zip("\u0301\u0300\u0309\u0303\u0323", "ùøûõï", strict=True))
_VNI_HATS = dict(zip(["", *"\u0301\u0300\u0309\u0303\u0323"], "âáàåãä", strict=True))
_VNI_BREVES = dict(zip(["", *"\u0301\u0300\u0309\u0303\u0323"], "êéèúüë", strict=True))
_VNI_I = dict(zip("íìỉĩị", "íìæóò", strict=True))


def to_vni(text: str) -> bytes:
    """Text written in VNI Windows: a vowel, then a byte for its marks; ơ ư đ and some i, y alone."""
    return "".join(_vni_letter(ch) for ch in unicodedata.normalize("NFC", text)).encode("cp1252")


def _vni_letter(ch: str) -> str:
    low = ch.lower()
    if low in _VNI_I or low in ("ỵ", "đ"):
        out = {**_VNI_I, "ỵ": "î", "đ": "ñ"}[low]
        return out.upper() if ch.isupper() else out
    base, *marks = unicodedata.normalize("NFD", low)
    tone = next((m for m in marks if m in _VNI_TONES), "")
    if "\u031b" in marks:  # ơ, ư: a byte of their own, then the tone
        base, seq = {"o": "ô", "u": "ö"}[base], _VNI_TONES.get(tone, "")
    elif "\u0302" in marks:
        seq = _VNI_HATS[tone]
    elif "\u0306" in marks:
        seq = _VNI_BREVES[tone]
    else:
        seq = _VNI_TONES.get(tone, "")
    out = base + seq
    return out.upper() if ch.isupper() else out


@pytest.mark.parametrize("encode", [to_tcvn3, to_vni], ids=["TCVN3", "VNI"])
def test_legacy_encodings_are_read_as_unicode(encode) -> None:
    """Regression: TCVN3 was indexed as «§¶ng viªn ph¶i g­¬ng mÉu…», VNI skipped."""
    data = encode(SENTENCES)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = parse_bytes(data, "van-ban-cu.txt")
    text = "\n".join([parsed.title or "", *(b.text for b in parsed.blocks)])
    for line in SENTENCES.splitlines():
        assert line.rstrip(".") in text  # the first line is the title, without its full stop


def test_mojibake_scores_below_the_threshold() -> None:
    """What the legacy bytes look like read as Windows-1258 is not Vietnamese writing."""
    for data in (to_tcvn3(SENTENCES), to_vni(SENTENCES)):
        assert vietnamese_score(data.decode("cp1252")) < 0.6
    assert vietnamese_score(SENTENCES) == 1.0


def test_text_in_an_unknown_encoding_is_refused_not_indexed() -> None:
    russian = ("Партийная организация провела собрание по вопросам кадровой работы.\n" * 4).encode("koi8-r")
    with pytest.raises(IngestError, match="bảng mã"):
        parse_bytes(russian, "la.txt")
