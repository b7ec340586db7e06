"""The shipped related words (index/data/related.tsv.gz): its shape, and relations news text gives."""

from __future__ import annotations

import gzip
import subprocess
import sys

import pytest

from index.related import DEFAULT_PATH, RelatedWords


@pytest.fixture(scope="module")
def related() -> RelatedWords:
    return RelatedWords.load()


def test_ships_small_with_its_provenance(related: RelatedWords) -> None:
    assert DEFAULT_PATH.stat().st_size < 5_000_000
    assert len(related) > 20_000
    assert any("VNTC" in line for line in related.header)
    assert any(line.startswith("Rebuilt by: ") for line in related.header)


def test_every_line_is_a_word_and_its_ranked_neighbours() -> None:
    with gzip.open(DEFAULT_PATH, "rt", encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    for word, *items in rows[:: max(1, len(rows) // 2000)]:
        assert word == word.lower() and " " not in word
        pairs = [item.split(" ") for item in items]
        scores = [float(score) for _, score in pairs]
        assert 1 <= len(pairs) <= 10
        assert word not in [w for w, _ in pairs]
        assert scores == sorted(scores, reverse=True) and min(scores) >= 0.45


def test_neighbours_are_cut_to_n_and_unknown_words_have_none(related: RelatedWords) -> None:
    assert len(related.neighbours("bố_mẹ", 3)) == 3
    assert related.neighbours("bố_mẹ", 3) == related.neighbours("bố_mẹ")[:3]
    assert related.neighbours("từ_không_có") == ()
    assert "bố_mẹ" in related and "từ_không_có" not in related
    assert RelatedWords.load() is related  # read once


@pytest.mark.parametrize(
    ("word", "near", "top"),
    [
        ("bố_mẹ", "cha_mẹ", 3),
        ("online", "trực_tuyến", 3),
        ("trực_tuyến", "online", 5),
        ("tối_thiểu", "tối_đa", 3),
        ("kỷ_luật", "khiển_trách", 5),
        ("kỷ_luật", "cảnh_cáo", 10),
        ("chết", "thiệt_mạng", 5),
        ("giấy_tờ", "chứng_minh_thư", 10),
    ],
)
def test_news_gives_these_relations(related: RelatedWords, word: str, near: str, top: int) -> None:
    assert near in [w for w, _ in related.neighbours(word, top)]


def test_reading_needs_no_gensim() -> None:
    code = "import sys; from index.related import RelatedWords; RelatedWords.load(); print('gensim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
