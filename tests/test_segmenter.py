"""The fast word segmenter gives exactly underthesea's words, on real text and on odd input."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

import pytest
import underthesea

from index.evaluation import raw_paragraphs
from index.segmenter import Segmenter, is_int32

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


def eval_passages(name: str, n: int) -> list[str]:
    path = EVAL / name / "corpus.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found (../shared beside the checkout)")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in islice(f, n)]


def assert_same_words(segmenter: Segmenter, texts: list[str]) -> None:
    differ = [t for t in texts if segmenter.word_tokenize(t) != underthesea.word_tokenize(t)]
    assert not differ, f"{len(differ)} of {len(texts)} differ, first: {differ[0][:200]!r}"


def test_every_paragraph_of_the_shipped_corpus(segmenter: Segmenter) -> None:
    paragraphs = raw_paragraphs(ROOT / "corpus")
    assert len(paragraphs) > 500
    before = segmenter.fallbacks
    assert_same_words(segmenter, paragraphs)
    assert segmenter.fallbacks - before < len(paragraphs) / 100  # the fast path does the work


@pytest.mark.parametrize("name", ["alqac2022", "virhe4qa"])
def test_benchmark_passages(segmenter: Segmenter, name: str) -> None:
    assert_same_words(segmenter, eval_passages(name, 300))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "?!...",
        "Ngày 12/5/2023, Bộ Chính trị ban hành Kết luận số 01-KL/TW",
        "2147483647 2147483648 -5 +7 ١٢٣ ¹²",
        "Xem https://dangcongsan.vn/a-b?c=1 hoặc email vp@tinhuy.gov.vn",
        "ĐẢNG CỘNG SẢN VIỆT NAM — ĐỘC LẬP – TỰ DO – HẠNH PHÚC",
        "đảng viên😀 tốt 👍👍 ",
        "Tiếng Việt 中文 русский ΑΣΑ ǅemal İstanbul ß ﬁ",
        "a" * 300,
        "Điều 1.\tKhoản 2.\nĐiểm a) b) c)",
    ],
)
def test_odd_input(segmenter: Segmenter, text: str) -> None:
    assert segmenter.word_tokenize(text) == underthesea.word_tokenize(text)


def test_characters_rust_may_case_otherwise_go_to_underthesea() -> None:
    segmenter = Segmenter()
    assert segmenter.word_tokenize("Hệ số Σ của đảng bộ") == underthesea.word_tokenize("Hệ số Σ của đảng bộ")
    assert segmenter.fallbacks == 1


def test_isdigit_is_rusts_i32_parse() -> None:
    assert [is_int32(t) for t in ("0", "-0", "+12", "2147483647", "-2147483648", "-2147483649", "1.5", "")] == [
        "True", "True", "True", "True", "True", "False", "False", "False",
    ]


def test_threads_share_one_segmenter_with_small_caches() -> None:
    """The bot analyses questions in worker threads; evicting cache entries must not race."""
    segmenter = Segmenter(cache_size=16)
    texts = raw_paragraphs(ROOT / "corpus")[:400]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(segmenter.word_tokenize, texts * 2))
    assert got == [underthesea.word_tokenize(t) for t in texts * 2]
