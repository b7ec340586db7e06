"""The curated lexicon `index/lexicon.yaml` (the documents' phrase: [everyday phrases]):
the rules a program can check, and what it does to a question."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from index.evaluation import raw_paragraphs
from index.text import SYNONYMS, fold, normalize, reworded

ROOT = Path(__file__).resolve().parent.parent
LEXICON = yaml.safe_load((ROOT / "index" / "lexicon.yaml").read_text(encoding="utf-8"))
BUILT_IN = {_p: g[0] for g in SYNONYMS for _p in g[1:]}  # everyday phrase -> documents' phrase


def canon(text: str) -> str:
    """One spelling for comparing phrases: NFC, one tone-mark placement, lowercase, single spaces."""
    return " ".join(normalize(text).lower().split())


@lru_cache(maxsize=1)
def corpus_text() -> str:
    """Every paragraph of the shipped corpus, in one comparable string."""
    return canon("\n".join(raw_paragraphs(ROOT / "corpus")))


def groups() -> tuple[tuple[str, ...], ...]:
    """The lexicon as `reworded` groups, the documents' phrase first."""
    return tuple((key, *phrases) for key, phrases in LEXICON.items())


def everyday() -> list[tuple[str, str]]:
    """(everyday phrase, its key) for every entry."""
    return [(phrase, key) for key, phrases in LEXICON.items() for phrase in phrases]


def test_the_lexicon_maps_phrases_to_lists_of_phrases() -> None:
    assert isinstance(LEXICON, dict) and len(LEXICON) >= 250
    for key, phrases in LEXICON.items():
        assert isinstance(key, str) and key.strip(), key
        assert isinstance(phrases, list) and phrases, key
        assert all(isinstance(p, str) and any(c.isalnum() for c in p) for p in phrases), key
        assert len(set(map(canon, phrases))) == len(phrases), f"repeated phrase under {key!r}"
    assert len(everyday()) >= 600


@pytest.mark.parametrize("key", sorted(LEXICON))
def test_every_key_is_the_documents_wording(key: str) -> None:
    assert re.search(r"(?<!\w)" + re.escape(canon(key)) + r"(?!\w)", corpus_text()), key


def test_everything_is_lowercase_nfc() -> None:
    for text in [*LEXICON, *(p for p, _ in everyday())]:
        assert text == unicodedata.normalize("NFC", text), text
        assert text == text.lower(), text
        assert text == " ".join(text.split()), text


def test_an_everyday_phrase_stands_under_one_key_only() -> None:
    seen: dict[str, str] = {}
    for phrase, key in everyday():
        assert seen.setdefault(canon(phrase), key) == key, f"{phrase!r} under {seen[canon(phrase)]!r} and {key!r}"


def test_no_key_is_also_an_everyday_phrase() -> None:
    keys = {canon(k) for k in LEXICON} | {canon(g[0]) for g in SYNONYMS}
    phrases = {canon(p) for p, _ in everyday()}
    assert not keys & phrases
    assert not {canon(k) for k in LEXICON} & {canon(p) for p in BUILT_IN}


def test_the_lexicon_agrees_with_the_built_in_wording() -> None:
    """A phrase the built-in `SYNONYMS` already knows is taught the same documents' phrase."""
    built_in = {canon(p): canon(head) for p, head in BUILT_IN.items()}
    for phrase, key in everyday():
        assert built_in.get(canon(phrase), canon(key)) == canon(key), phrase


def test_no_phrase_folds_to_another_key() -> None:
    """Diacritics are folded for unaccented questions: "tử trận" must not read as "từ trần"."""
    keys_by_fold: dict[str, set[str]] = {}
    for key in [*LEXICON, *(g[0] for g in SYNONYMS)]:
        keys_by_fold.setdefault(fold(key), set()).add(canon(key))
    for phrase, key in everyday():
        assert keys_by_fold.get(fold(phrase), {canon(key)}) <= {canon(key)}, phrase


@pytest.mark.parametrize(
    ("question", "reading"),
    [
        ("Mất thẻ đảng thì làm thế nào?", "thẻ đảng viên bị mất thì làm thế nào?"),
        ("Đi xuất khẩu lao động có phải chuyển sinh hoạt đảng?",
         "lao động ở nước ngoài có phải chuyển sinh hoạt đảng?"),
        ("Bố mẹ vợ có phải thẩm tra không?", "cha, mẹ vợ (chồng) có phải thẩm tra không?"),
        ("Học hết cấp 2 có đủ điều kiện không?", "bằng tốt nghiệp trung học cơ sở có đủ điều kiện không?"),
        ("Bao lâu thì lên chính thức?", "Bao lâu thì công nhận đảng viên chính thức?"),
        ("Họp chi bộ online được không?", "sinh hoạt đảng trực tuyến được không?"),
        ("Nợ đảng phí 3 tháng trong năm", "không đóng đảng phí ba tháng trong năm"),
    ],
)
def test_a_question_in_everyday_words_is_also_asked_in_the_documents_words(question: str, reading: str) -> None:
    assert reworded(question, groups()) == reading


@pytest.mark.parametrize(
    "question",
    [
        "Học tập và làm theo đạo đức Hồ Chí Minh như thế nào?",  # not "theo đạo" (religion)
        "Ai đưa ra Đảng ủy xem xét?",  # not "ra đảng" (leaving the Party)
        "Chuyển sinh hoạt đảng chính thức cần giấy tờ gì?",  # the documents' own words stay
    ],
)
def test_the_documents_own_wording_is_not_misread(question: str) -> None:
    reading = reworded(question, groups()) or question
    assert "tôn giáo" not in reading and "khỏi đảng" not in reading
    assert canon(reading).count("chuyển sinh hoạt đảng chính thức") == canon(question).count(
        "chuyển sinh hoạt đảng chính thức")
