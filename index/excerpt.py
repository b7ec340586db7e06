"""Quotes: the 1-3 sentences of a passage that best cover a question, matches marked."""

from __future__ import annotations

from collections.abc import Callable

from index.intents import Intent, carries
from index.text import STOP_FOLDS, STOPWORDS, Analysis, fold, normalize, sentence_spans, tokens_with_spans

MAX_CHARS = 400
LIST_CHARS = 400  # of the list quoted after a passage that opens it
ELLIPSIS = "…"
MARK_IDF = 1.2  # a question word is bold when its rarest syllable is at least this rare ("đảng viên" is not)


class Matcher:
    """Decides which tokens of a text match a question, and how much each is worth."""

    def __init__(
        self, question: Analysis, weight: Callable[[str], float], also: tuple[Analysis, ...] = (),
        intent: Intent | None = None,
    ) -> None:
        """`also`: other readings of the question (in the documents' wording), whose words
        match too; `intent`: what the question wants (a sentence stating it is quoted first)."""
        self.accented = question.accented
        self.terms: set[str] = set()
        self.marked: set[str] = set()  # the distinctive ones, shown in bold
        for reading in (question, *(b for b in also if b.accented == question.accented)):
            if self.accented:
                words = [w.split("_") for w in reading.words if w not in STOPWORDS]
                self.terms |= {s for s in reading.sylls if s not in STOPWORDS}
                self.terms |= {p for w in words for p in w}
            else:
                words = [[f] for f in reading.folds if f not in STOP_FOLDS]
                self.terms |= {f for f in reading.folds if f not in STOP_FOLDS}
            self.marked |= {p for w in words if max(map(weight, w)) >= MARK_IDF for p in w}
        self.weight = weight
        self.intent = intent
        self._keys: dict[str, str | None] = {}  # token -> key; a reply's passages share most tokens

    def key(self, token: str) -> str | None:
        """The question term a token of the text matches, or None."""
        if token in self._keys:
            return self._keys[token]
        low = normalize(token).lower()
        key = low if self.accented else fold(low)
        self._keys[token] = out = key if key in self.terms else None
        return out

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Matched (start, end, term) in `text`."""
        out = []
        for start, end, tok in tokens_with_spans(text):
            key = self.key(tok)
            if key is not None:
                out.append((start, end, key))
        return out

    def marks(self, text: str) -> tuple[tuple[int, int], ...]:
        """The spans of `text` to bold: matches of the question's distinctive words only
        (not every "đảng" and "đảng viên")."""
        return merge_marks([s for s in self.spans(text) if s[2] in self.marked], text)

    def score(self, text: str) -> float:
        """Distinct matched terms weighted by idf, plus a bonus for adjacent matches, and one
        for stating what the question wants (the number, the body, the condition)."""
        spans = self.spans(text)
        weights = [self.weight(k) for k in {k for _, _, k in spans}]
        adjacent = sum(1 for a, b in zip(spans, spans[1:], strict=False) if 0 < b[0] - a[1] <= 2)
        stated = max(weights, default=0.0) if weights and carries(self.intent, text) else 0.0
        return sum(weights) + 0.5 * adjacent + stated


def best_window(text: str, matcher: Matcher, max_chars: int = MAX_CHARS) -> tuple[int, int]:
    """The run of 1-3 sentences with the best score that fits in `max_chars`."""
    sents = sentence_spans(text)
    scores = [matcher.score(text[s:e]) for s, e in sents]
    best, best_key = (sents[0][0], sents[0][1]), (-1.0, 0)
    for i in range(len(sents)):
        for j in range(i, min(i + 3, len(sents))):
            start, end = sents[i][0], sents[j][1]
            if j > i and end - start > max_chars:
                break
            value = sum(scores[i : j + 1])
            key = (value, -(j - i))
            if key > best_key:
                best, best_key = (start, end), key
    return best


def cut_long(text: str, start: int, end: int, matcher: Matcher, max_chars: int) -> tuple[int, int]:
    """Narrow a too-long sentence to `max_chars` around its first match, at word ends."""
    spans = matcher.spans(text[start:end])
    focus = start + (spans[0][0] if spans else 0)
    lo = max(start, focus - max_chars // 4)
    hi = min(end, lo + max_chars)
    while lo > start and not text[lo - 1].isspace():
        lo += 1
    while hi < end and not text[hi].isspace() and hi > lo:
        hi -= 1
    return lo, hi


def make_excerpt(
    text: str, matcher: Matcher, max_chars: int = MAX_CHARS
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The quote shown to users, and the spans of matched words in it.

    >>> from index.text import analyze
    >>> m = Matcher(analyze("tuổi đời"), lambda t: 1.0)
    >>> make_excerpt("Câu một. Người vào Đảng phải đủ 18 tuổi. Câu ba.", m)[0]
    '…Người vào Đảng phải đủ 18 tuổi.…'
    """
    start, end = best_window(text, matcher, max_chars)
    if end - start > max_chars:
        start, end = cut_long(text, start, end, matcher, max_chars)
    body = text[start:end].strip()
    prefix = ELLIPSIS if text[:start].strip() else ""
    suffix = ELLIPSIS if text[end:].strip() else ""
    quote = prefix + body + suffix
    return quote, matcher.marks(quote)


def opens_list(text: str) -> bool:
    """Whether a passage ends by announcing what follows ("… các trường hợp sau:")."""
    return text.rstrip().endswith(":")


def with_list(quote: str, items: list[str], max_chars: int = LIST_CHARS) -> str:
    r"""A quote that ends by opening a list, followed by the start of that list (its items
    are passages of their own), cut at a sentence or a word with "…".

    >>> with_list("Gồm các trường hợp sau:", ["a) Một. Hai.", "b) Ba bốn năm sáu bảy."], 20)
    'Gồm các trường hợp sau:\na) Một. Hai.…'
    """
    text = "\n".join(item.strip() for item in items if item.strip())
    if len(text) > max_chars:
        cut = max(text.rfind(". ", 0, max_chars) + 1, text.rfind("\n", 0, max_chars))
        if cut < max_chars // 2:
            cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > 0 else max_chars].rstrip()
        text = text if text.endswith(("...", ELLIPSIS)) else text + ELLIPSIS
    return f"{quote}\n{text}" if text else quote


def merge_marks(spans: list[tuple[int, int, str]], text: str) -> tuple[tuple[int, int], ...]:
    """Join matched spans separated only by spaces into one mark."""
    marks: list[tuple[int, int]] = []
    for start, end, _ in spans:
        if marks and text[marks[-1][1] : start].isspace():
            marks[-1] = (marks[-1][0], end)
        else:
            marks.append((start, end))
    return tuple(marks)
