"""Vietnamese word segmentation with exactly `underthesea.word_tokenize`'s output, about twice as fast.

underthesea builds 43 feature strings per token in Rust (`CRFFeaturizer`), hands them to Python and
back to a CRF tagger. Every feature looks only at the tokens within two places of the one being
tagged, so this module reads the same CRF weights once, sums each template's weight per window of
one, two or three tokens (cached), and runs the two-label Viterbi itself.

Exactness: the features follow `CRFFeaturizer` as measured against it (`scripts/segment_check.py`,
`tests/test_segmenter.py`). Sums are taken in another order than the Rust tagger's, so a paragraph
whose best path wins by less than the worst rounding difference, or that holds a character whose
case mapping may differ between Python's and Rust's Unicode tables, is handed to
`underthesea.word_tokenize` itself.

>>> word_tokenize("Bác sĩ bây giờ có thể thản nhiên báo tin bệnh nhân bị ung thư")
['Bác sĩ', 'bây giờ', 'có thể', 'thản nhiên', 'báo', 'tin', 'bệnh nhân', 'bị', 'ung thư']
"""

from __future__ import annotations

import re
import struct
import sys
import threading
import unicodedata
import warnings
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Generic, TypeVar

import joblib
import underthesea

try:  # underthesea's own pre-tokenizer (syllables, numbers, punctuation), before the CRF
    from underthesea.pipeline.word_tokenize import tokenize
except ImportError:  # another underthesea layout: default_segmenter() falls back to it whole
    tokenize = None

MODEL_DIR = Path(underthesea.__file__).parent / "pipeline" / "word_tokenize" / "models" / "ws_crf_vlsp2013_20230727"
LABELS = ("B-W", "I-W")  # begins a word, continues the word before
# Characters whose case mapping differs between Python's Unicode tables and the Rust featurizer's
# (found by comparing every code point), and Σ, whose lowercase depends on its neighbours.
UNSURE_CHARS = frozenset("ƛɤꟓꟕΣ")
UNSURE_CATEGORIES = frozenset({"Cn", "Cs"})  # unassigned here (maybe cased in Rust), surrogates
_EPS = sys.float_info.epsilon
_TEMPLATE_RE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](\.\w+)?")
_INT32_RE = re.compile(r"[+-]?[0-9]+")

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


# --- the CRF model file -------------------------------------------------------------------------


@dataclass(frozen=True)
class CRFModel:
    """A linear-chain CRF as underthesea_core's `CRFTagger` loads it from a CRFsuite file."""

    labels: tuple[str, ...]
    state: dict[str, tuple[float, ...]]  # attribute -> weight per label
    transitions: tuple[tuple[float, ...], ...]  # [from label][to label]


def read_crfsuite(path: Path) -> CRFModel:
    """Read a CRFsuite model file the way underthesea_core does (same attribute ids and weight cut-off)."""
    data = path.read_bytes()
    magic, _, _, _, _, n_labels, n_attrs, off_feats, off_labels, off_attrs = struct.unpack_from("<4sI4s7I", data)
    if magic != b"lCRF":
        raise ValueError(f"{path} is not a CRFsuite model (magic {magic!r})")
    labels = _read_quarks(data, off_labels, n_labels)
    attrs = _read_quarks(data, off_attrs, n_attrs)
    state: dict[tuple[int, int], float] = {}
    trans = [[0.0] * len(labels) for _ in labels]
    for kind, src, dst, weight in _read_features(data, off_feats):
        if kind == 0 and abs(weight) > 1e-10:  # underthesea_core drops weights this small
            state[src, dst] = weight
        elif kind == 0:
            state.pop((src, dst), None)
        elif kind == 1:
            trans[src][dst] = weight
    weights: dict[str, list[float]] = {}
    for (src, dst), weight in state.items():
        if src < len(attrs):
            weights.setdefault(attrs[src], [0.0] * len(labels))[dst] = weight
    return CRFModel(tuple(labels), {a: tuple(w) for a, w in weights.items()}, tuple(map(tuple, trans)))


def _read_quarks(data: bytes, offset: int, count: int) -> list[str]:
    """The strings of a CQDB block in id order; like underthesea_core, empty slots are skipped."""
    magic, _, _, _, bwd_size, bwd_offset = struct.unpack_from("<4s5I", data, offset)
    if magic != b"CQDB":
        raise ValueError(f"no CQDB block at byte {offset}")
    n = min(count, bwd_size)
    strings: dict[str, None] = {}
    for entry in struct.unpack_from(f"<{n}I", data, offset + bwd_offset):
        if entry:
            size = struct.unpack_from("<I", data, offset + entry + 4)[0]
            key = data[offset + entry + 8 : offset + entry + 8 + size].split(b"\0", 1)[0]
            strings.setdefault(key.decode("utf-8", "replace"))
    return list(strings)


def _read_features(data: bytes, offset: int) -> Iterable[tuple[int, int, int, float]]:
    magic, _, count = struct.unpack_from("<4sII", data, offset)
    if magic != b"FEAT":
        raise ValueError(f"no FEAT block at byte {offset}")
    return struct.iter_unpack("<IIId", data[offset + 12 : offset + 12 + 20 * count])


# --- feature semantics of underthesea_core's CRFFeaturizer --------------------------------------


@dataclass(frozen=True)
class Template:
    """One feature template such as `T[-1,0].lower`: tokens `start`..`start+length-1` around a position."""

    syntax: str
    start: int
    length: int
    function: str  # "", "lower", "isdigit", "istitle" or "is_in_dict"


def parse_template(syntax: str) -> Template:
    """Parse a CRFFeaturizer template.

    >>> parse_template("T[-1,1].is_in_dict")
    Template(syntax='T[-1,1].is_in_dict', start=-1, length=3, function='is_in_dict')
    """
    m = _TEMPLATE_RE.fullmatch(syntax)
    if not m or (m[2] is not None and int(m[2]) < int(m[1])):
        raise ValueError(f"Unsupported feature template {syntax!r}: expected T[i], T[i,j] with j >= i, maybe .function")
    start = int(m[1])
    end = start if m[2] is None else int(m[2])
    return Template(syntax, start, end - start + 1, (m[3] or ".")[1:])


def is_int32(text: str) -> str:
    """'True' when Rust's `text.parse::<i32>()` succeeds (the featurizer's `isdigit`).

    >>> is_int32("2023"), is_int32("-5"), is_int32("12/5"), is_int32("2147483648")
    ('True', 'True', 'False', 'False')
    """
    return str(bool(_INT32_RE.fullmatch(text)) and -(2**31) <= int(text) < 2**31)


def is_title(token: str) -> bool:
    """The featurizer's `istitle`: the first character is unchanged by uppercasing ('12/5' is title).

    >>> is_title("Bác"), is_title("bác"), is_title("12/5")
    (True, False, True)
    """
    return token[0].upper() == token[0]


def is_sure(token: str) -> bool:
    """Whether this token's features are known to match the Rust featurizer's (else: ask underthesea).

    >>> is_sure("Đảng"), is_sure(""), is_sure("ΑΣ")
    (True, False, False)
    """
    if token.isascii():
        return token != "" and " " not in token
    return token != "" and " " not in token and not any(
        c in UNSURE_CHARS or unicodedata.category(c) in UNSURE_CATEGORIES for c in token
    )


@dataclass(frozen=True)
class Token:
    """What the templates read from one token, and its summed weight at each unigram offset."""

    lower: str
    title: bool
    sure: bool
    weights: tuple[float, ...]


# --- bounded caches -----------------------------------------------------------------------------


class Memo(dict[K, V], Generic[K, V]):
    """A dict that computes missing values and forgets its oldest quarter when full. Reads
    take no lock; inserts and evictions take one (the bot analyses in several threads).

    >>> m = Memo(len, capacity=4)
    >>> [m[w] for w in ("a", "bb", "ccc", "dddd", "eeeee")], list(m)
    ([1, 2, 3, 4, 5], ['bb', 'ccc', 'dddd', 'eeeee'])
    """

    def __init__(self, compute: Callable[[K], V], capacity: int) -> None:
        super().__init__()
        self.compute = compute
        self.capacity = capacity
        self._lock = threading.Lock()

    def __missing__(self, key: K) -> V:
        value = self.compute(key)
        with self._lock:
            self[key] = value
            if len(self) > self.capacity:
                for old in list(islice(self, max(1, self.capacity // 4))):
                    del self[old]
        return value


# --- the segmenter ------------------------------------------------------------------------------


class Segmenter:
    """underthesea's word segmenter (same tokens, features, weights and Viterbi), with cached windows."""

    def __init__(self, model_dir: Path = MODEL_DIR, cache_size: int = 100_000) -> None:
        if tokenize is None:
            raise ValueError("underthesea.pipeline.word_tokenize.tokenize is not available")
        model = read_crfsuite(model_dir / "models.bin")
        if model.labels != LABELS:
            raise ValueError(f"Expected labels {LABELS} in {model_dir}, found {model.labels}")
        self.templates = [parse_template(s) for s in joblib.load(model_dir / "features.bin")]
        self.dictionary = dictionary(model_dir)
        self.fallbacks = 0  # paragraphs handed to underthesea itself
        by_syntax = _weights_by_template(model)
        self._tables = [by_syntax.get(t.syntax, {}) for t in self.templates]
        self._groups = _group_by_window(self.templates)
        self._padding = {edge: self._padding_weights(edge) for edge in ("BOS", "EOS")}
        (t00, t01), (t10, t11) = model.transitions
        self._transitions = (t00, t01, t10, t11)
        self._bound = _rounding_bound(model, len(self.templates))
        self._shared: dict[tuple[float, ...], tuple[float, ...]] = {}
        self._tokens: Memo[str, Token] = Memo(self._token, cache_size)
        self._windows: dict[int, Memo[tuple[str, ...], tuple[float, ...]]] = {
            length: Memo(self._window, cache_size) for length in self._groups if length > 1
        }

    # features -> summed weights

    def _token(self, token: str) -> Token:
        sure = is_sure(token)
        lower = token.lower()
        title = sure and is_title(token)
        weights = self._sum(self._groups[1], token, lower, title) if sure else ()
        return Token(lower, title, sure, weights)

    def _window(self, tokens: tuple[str, ...]) -> tuple[float, ...]:
        infos = [self._tokens[t] for t in tokens]
        lower = " ".join(i.lower for i in infos)
        return self._sum(self._groups[len(tokens)], " ".join(tokens), lower, all(i.title for i in infos))

    def _sum(self, group: list[list[int]], raw: str, lower: str, title: bool) -> tuple[float, ...]:
        """Per start offset, the summed weight difference (I-W minus B-W) of the window's templates."""
        values = {
            "": raw, "lower": lower, "isdigit": is_int32(raw), "istitle": str(title),
            "is_in_dict": str(lower in self.dictionary),
        }
        sums = tuple(
            sum(self._tables[i].get(values.get(self.templates[i].function, raw), 0.0) for i in ids) for ids in group
        )
        return self._shared.setdefault(sums, sums) if len(self._shared) < 100_000 else sums

    def _padding_weights(self, edge: str) -> dict[int, tuple[float, ...]]:
        """Per window length, the weights of a window that reaches before the first or past the last token."""
        return {
            length: tuple(sum(self._tables[i].get(edge, 0.0) for i in ids) for ids in group)
            for length, group in self._groups.items()
        }

    def emissions(self, tokens: Sequence[str]) -> list[float]:
        """Per token, the summed feature weight of I-W minus that of B-W."""
        columns = []
        for length, group in self._groups.items():
            if length == 1:
                inner = [self._tokens[t].weights for t in tokens]
            else:
                inner = [self._windows[length][w] for w in zip(*(tokens[k:] for k in range(length)), strict=False)]
            starts = [self.templates[ids[0]].start for ids in group]
            base = min(starts[0], 0)  # window j sits at index j - base
            before = [self._padding["BOS"][length]] * -base
            after = [self._padding["EOS"][length]] * max(0, starts[-1] + length)
            windows = before + inner + after
            for m, start in enumerate(starts):
                columns.append(map(itemgetter(m), windows[start - base : start - base + len(tokens)]))
        return list(map(sum, zip(*columns, strict=True)))

    # decoding

    def tag(self, tokens: Sequence[str]) -> list[bool] | None:
        """Per token, whether it continues the word before (I-W); None when too close to call exactly."""
        if not tokens:
            return []
        if not all(self._tokens[t].sure for t in tokens):
            return None
        return self._viterbi(self.emissions(tokens))

    def _viterbi(self, emissions: list[float]) -> list[bool] | None:
        """Best label path; None if a decision on it is within the rounding bound of a tie."""
        t00, t01, t10, t11 = self._transitions
        c0, c1 = t00 - t10, t01 - t11  # the previous label is I-W when its score lead exceeds these
        lead = emissions[0]  # score of I-W minus score of B-W at the current token
        leads = [lead]
        for e in emissions[1:]:
            lead = (lead + t11 if lead > c1 else t01) - (lead + t10 if lead > c0 else t00) + e
            leads.append(lead)
        bound = self._bound(len(emissions))
        if -bound <= lead <= bound:
            return None
        labels = [False] * len(emissions)
        labels[-1] = label = lead > 0
        for t in range(len(emissions) - 1, 0, -1):
            margin = leads[t - 1] - (c1 if label else c0)
            if -bound <= margin <= bound:
                return None
            labels[t - 1] = label = margin > 0
        return labels

    def word_tokenize(self, text: str) -> list[str]:
        """Words of `text` as `underthesea.word_tokenize(text)` returns them.

        >>> Segmenter().word_tokenize("Học tập và làm theo Bác.")
        ['Học tập', 'và', 'làm', 'theo', 'Bác', '.']
        """
        tokens = tokenize(text, use_token_normalize=True, fixed_words=[])
        labels = self.tag(tokens)
        if labels is None:
            self.fallbacks += 1
            return list(underthesea.word_tokenize(text))
        words: list[str] = []
        for token, inside in zip(tokens, labels, strict=True):
            if inside and words:
                words[-1] += " " + token
            else:
                words.append(token)
        return words


def _weights_by_template(model: CRFModel) -> dict[str, dict[str, float]]:
    """Template syntax -> feature value -> weight of I-W minus weight of B-W."""
    tables: dict[str, dict[str, float]] = {}
    for attribute, (begin, inside) in model.state.items():
        syntax, value = attribute.split("=", 1)
        tables.setdefault(syntax, {})[value] = inside - begin
    return tables


def _group_by_window(templates: list[Template]) -> dict[int, list[list[int]]]:
    """Template indices by window length, then by start offset (in order of offset)."""
    groups: dict[int, dict[int, list[int]]] = {}
    for i, t in enumerate(templates):
        groups.setdefault(t.length, {}).setdefault(t.start, []).append(i)
    return {length: [by_start[s] for s in sorted(by_start)] for length, by_start in sorted(groups.items())}


def _rounding_bound(model: CRFModel, n_templates: int) -> Callable[[int], float]:
    """Per sentence length, a bound on how far our float scores can be from the Rust tagger's.

    Both sum the same weights, in another order: a sum of at most `n_templates` weights is off by
    at most n_templates * eps * (the sum of their sizes); along the sentence the Viterbi scores
    add one emission and one transition per token, each rounding by eps * (the score's size).
    """
    largest: dict[str, float] = {}
    for attribute, weights in model.state.items():
        syntax = attribute.split("=", 1)[0]
        largest[syntax] = max(largest.get(syntax, 0.0), *map(abs, weights))
    emission = sum(largest.values())
    step = emission + max(abs(w) for row in model.transitions for w in row)
    per_token = 8 * n_templates * emission + 32 * step

    def bound(n: int) -> float:
        return 2 * _EPS * n * (per_token + n * step)

    return bound


@lru_cache(maxsize=2)
def dictionary(model_dir: Path = MODEL_DIR) -> frozenset[str]:
    """underthesea's word list (its CRF's `is_in_dict` feature): 72,547 words, "hợp tác xã"."""
    return frozenset(joblib.load(model_dir / "dictionary.bin"))


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter | None:
    """The segmenter for underthesea's shipped model (loaded on first use), or None when this
    underthesea ships another model than the one this module reads."""
    try:
        return Segmenter()
    except Exception as exc:  # noqa: BLE001 - any surprise in underthesea's files: use underthesea itself
        warnings.warn(f"fast word segmentation unavailable ({exc}); using underthesea.word_tokenize", stacklevel=2)
        return None


def word_tokenize(text: str) -> list[str]:
    """Exactly `underthesea.word_tokenize(text)`, faster.

    >>> word_tokenize("Ngày 12/5/2023, Bộ Chính trị ban hành Kết luận số 01-KL/TW")
    ['Ngày', '12/5/2023', ',', 'Bộ Chính trị', 'ban hành', 'Kết luận', 'số', '01', '-', 'KL', '/', 'TW']
    """
    segmenter = default_segmenter()
    return segmenter.word_tokenize(text) if segmenter else list(underthesea.word_tokenize(text))
