"""Plain rank-bm25 rankers, the anchors every report shows beside our pipeline."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from index.evaluation.table import Ranker


def syllable_tokens(text: str) -> list[str]:
    """Lowercase syllables, no analysis: the naive anchor's tokens.

    >>> syllable_tokens("Điều 2. Phạm vi")
    ['điều', '2', 'phạm', 'vi']
    """
    return re.findall(r"\w+", text.lower())


def underthesea_words(text: str) -> list[str]:
    """underthesea words as the published ViRHE4QA baseline uses them (lowercase, no
    punctuation tokens, no stopword list).

    >>> underthesea_words("Học tập và làm theo Bác.")
    ['học_tập', 'và', 'làm', 'theo', 'bác']
    """
    from underthesea import word_tokenize

    words = (w.lower().replace(" ", "_") for w in word_tokenize(text))
    return [w for w in words if re.search(r"\w", w)]


def naive_ranker(paragraphs: list[str]) -> Ranker:
    """The naive anchor on the question table: rank-bm25 over lowercase syllables of raw
    paragraphs; it always answers (it has no notion of "no answer"), and its excerpt is the
    whole paragraph."""
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([syllable_tokens(p) for p in paragraphs])

    def rank(question: str) -> tuple[bool, list[tuple[str, str]]]:
        scores = bm25.get_scores(syllable_tokens(question))
        order = sorted(range(len(paragraphs)), key=lambda i: -scores[i])[:3]
        return True, [(paragraphs[i], paragraphs[i]) for i in order]

    return rank


def bm25_id_ranker(
    ids: Sequence[str], texts: Sequence[str], tokenize: Callable[[str], list[str]] = syllable_tokens,
    k1: float = 1.5, b: float = 0.75,
) -> Callable[[str, int], list[str]]:
    """rank-bm25 BM25Okapi over `tokenize`d texts: (question, k) -> top-k ids."""
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([tokenize(t) for t in texts], k1=k1, b=b)

    def rank(question: str, k: int) -> list[str]:
        scores = bm25.get_scores(tokenize(question))
        order = sorted(range(len(ids)), key=lambda i: -scores[i])[:k]
        return [ids[i] for i in order]

    return rank
