"""Diacritics for questions typed without them, from the syllables the corpus holds.

A question typed on a phone without diacritics ("dai hoi chi bo may nam mot lan") loses
word segmentation and the accented fields. `Restorer.restore` puts the diacritics back:
each syllable may be any accented syllable of the corpus that folds to it, and the most
likely sequence is chosen with the index's syllable and syllable-pair counts (a bigram
model, Viterbi). Question words ("bao nhiêu", "mấy", "thế nào") are rare in documents but
common in questions, so they get a prior of their own, and a syllable the documents never
hold says nothing about the one after it. Where the corpus is silent (a small corpus, a
word it never uses: "tuổi đời"), a dictionary of Vietnamese words speaks: a pair of
syllables that forms a word is likelier than one that does not. Beneath the corpus's
counts lie those of Vietnamese news (`Prior`, shipped in index/data/): where the documents
are silent on a pair ("già yếu", "qua đời", "tối đa"), the news speaks, and the syllables
it holds are spellings too.

A question typed partly with diacritics ("dang vien được miễn sinh hoạt khi nao") keeps
what was typed with them; of the rest, only the words the corpus seldom spells that way
("vien", "nao"; not "thi", "do", "ban") may change, only when there are two or more of
them (a single one, "Vua", "vận may", is most often meant), and the typed spelling stays
a little favoured. Words typed with diacritics, and abbreviations, are taken as typed,
unless their marks look mistyped: no passage holds the word next to either of its
neighbours, and another spelling of the same letters stands next to each of them in some
passage ("Đảng viên dư bị" -> "dự bị"; `Restorer.respell`).

>>> df = {"đảng": 9, "đang": 4, "phí": 5, "phi": 1}
>>> pair = {("đảng", "phí"): 5}
>>> Restorer(lambda s: df.get(s, 0), lambda x, y: pair.get((x, y), 0), 20, variants(df), prior=None).restore(
...     "Dang phi nop nhu the nao?")  # without the news prior: "nop" is in no passage
'Đảng phí nop như thế nào?'
>>> Restorer(lambda s: df.get(s, 0), lambda x, y: pair.get((x, y), 0), 20, variants(df)).restore(
...     "Dang phi nop nhu the nao?")
'Đảng phí nộp như thế nào?'
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.segmenter import MODEL_DIR, dictionary
from index.text import STOPWORDS, fold, normalize

ACCENTS_FILE = "accents.txt"  # in each index generation: the accented syllables it holds
PRIOR_FILE = "syllables.tsv.gz"  # in index/data/: news syllable and pair counts (scripts/build_syllable_model.py)
DATA_DIR = Path(__file__).resolve().parent / "data"
TOTAL = "<total>"  # the prior file's row that counts all the syllables it saw
NEWS_SHARE = 1.0  # weight of a syllable's share of the news in P(y) (chosen on dev halves: 0.1 to 10 alike)
NEWS_RARE = 0.001  # a spelling only the news holds is tried at >= NEWS_RARE x the likeliest's weight (dev halves)
NEWS_FOLLOWS = 30.0  # weight of the news P(y | x) in the backoff (dev halves; < 49: the corpus's pairs weigh more)
QUESTION_PRIOR = 0.05  # share of passages a question word counts as appearing in (chosen on dev halves)
BACKOFF = 0.02  # weight of P(y) in P(y | x) (Jelinek-Mercer; chosen on dev halves)
MAX_VARIANTS = 8  # accented spellings tried per syllable, the most frequent first
WORD_PAIR = 0.2  # added to P(y) in the backoff when "x y" is a two-syllable word of the dictionary
# In a question typed partly with diacritics (chosen on the dev halves with half the words stripped, and on
# well-typed questions made from news titles):
DOUBT = 0.5  # a plain word may change when the corpus has it < DOUBT × its likeliest accented spelling
KEEP = 3.0  # ... and the spelling as typed counts KEEP times as likely
MIN_DOUBTFUL = 2  # ... when the question has at least this many doubtful words (one is most often meant)
_WORD = re.compile(r"(\w+)")

_QUESTION_WORDS = [tuple(w.split("_")) for w in STOPWORDS]
QUESTION_SYLLABLES = frozenset(s for w in _QUESTION_WORDS for s in w)
QUESTION_PAIRS = frozenset((w[i], w[i + 1]) for w in _QUESTION_WORDS for i in range(len(w) - 1))


@lru_cache(maxsize=1)
def language_words() -> frozenset[str]:
    """underthesea's word list, the segmenter's own ("x y" in it: a two-syllable word);
    empty if this underthesea has none."""
    try:
        return dictionary(MODEL_DIR)
    except (OSError, ValueError):
        return frozenset()


def accented(terms: Iterable[str]) -> set[str]:
    """The terms that carry diacritics (the only ones a plain spelling can stand for).

    >>> sorted(accented(["đảng", "viên", "2024", "chi"]))
    ['viên', 'đảng']
    """
    return {t for t in terms if fold(t) != t}


def syllable_lines(syllables: Iterable[str]) -> str:
    """The accents file's text: one syllable per line, sorted.

    >>> syllable_lines(["viên", "đảng", "viên"]).splitlines()
    ['viên', 'đảng']
    """
    return "".join(f"{s}\n" for s in sorted(set(syllables)))


def gathering(rows: Iterable[dict[str, Any]], into: set[str]) -> Iterator[dict[str, Any]]:
    """The store rows, unchanged, adding each one's syllables to `into` on the way."""
    for row in rows:
        into.update(row["t_sylls"].split())
        yield row


def read_syllables(path: Path) -> set[str]:
    """The syllables of an accents file; none when the file is missing."""
    try:
        return set(path.read_text(encoding="utf-8").split())
    except FileNotFoundError:
        return set()


def variants(syllables: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Plain spelling -> the accented syllables it may stand for (question words included)."""
    out: dict[str, set[str]] = {}
    for s in set(syllables) | accented(QUESTION_SYLLABLES):
        out.setdefault(fold(s), set()).add(s)
    return {k: tuple(sorted(v)) for k, v in out.items()}


class Prior:
    """Syllable and syllable-pair counts of general Vietnamese (news): the background beneath
    a corpus's own counts. A syllable's followers are read from its row on first use.

    >>> p = Prior.parse("# news\\n<total>\\t10\\t\\ngià\\t4\\tyếu 2\\nyếu\\t3\\t\\n".encode())
    >>> p.share("già"), p.follows("già", "yếu"), p.follows("yếu", "già"), p.spellings["gia"]
    (0.4, 0.5, 0.0, ('già',))
    """

    def __init__(self, rows: Mapping[str, tuple[int, bytes]], total: int) -> None:
        self._rows, self.total = rows, max(total, 1)
        keys = list(rows)
        spellings: dict[str, list[str]] = {}
        for s, plain in zip(keys, fold("\n".join(keys)).split("\n"), strict=True):  # one fold: fast
            if plain != s:
                spellings.setdefault(plain, []).append(s)
        self.spellings = {k: tuple(sorted(v)) for k, v in spellings.items()}  # as `variants` gives them
        self._after = lru_cache(maxsize=4096)(self._followers)

    @classmethod
    def parse(cls, data: bytes) -> Prior:
        """The counts of a prior file's UTF-8 text (rows: syllable, count, followers "y n y n ...");
        the followers stay undecoded until asked for."""
        rows: dict[str, tuple[int, bytes]] = {}
        for line in data.split(b"\n"):
            if line and not line.startswith(b"#"):
                syllable, count, after = line.split(b"\t")
                rows[syllable.decode("utf-8")] = (int(count), after)
        total = rows.pop(TOTAL, (0, b""))[0]
        return cls(rows, total)

    def share(self, syllable: str) -> float:
        """The syllable's share of all the syllables of the news."""
        return self._rows[syllable][0] / self.total if syllable in self._rows else 0.0

    def follows(self, x: str, y: str) -> float:
        """P(y | x) in the news (0 when the pair is too rare to be kept)."""
        return self._after(x).get(y, 0) / self._rows[x][0] if x in self._rows else 0.0

    def _followers(self, x: str) -> dict[str, int]:
        words = self._rows[x][1].decode("utf-8").split()
        return dict(zip(words[::2], map(int, words[1::2]), strict=True))


def read_prior(path: Path) -> Prior:
    """The counts of a prior file (gzipped TSV, written by scripts/build_syllable_model.py)."""
    with gzip.open(path) as data:
        return Prior.parse(data.read())


@lru_cache(maxsize=1)
def news_prior() -> Prior | None:
    """The shipped news prior, read once; None when the file is missing."""
    try:
        return read_prior(DATA_DIR / PRIOR_FILE)
    except FileNotFoundError:
        return None


def _restorable(parts: list[str], i: int) -> bool:
    """A word of letters, not part of a code ("05-ct/tw")."""
    in_code = parts[i - 1].endswith(("-", "/")) or (i + 1 < len(parts) and parts[i + 1].startswith(("-", "/")))
    return parts[i].isalpha() and not in_code


def _abbreviation(word: str) -> bool:
    """"TCCS", "ĐV": typed in capitals on purpose."""
    return word.isupper() and len(word) > 1


def _cased(word: str, typed: str) -> str:
    """`word` in the case it was typed, letter by letter (putting marks back keeps the length).

    >>> _cased("đảng", "Dang"), _cased("đttx", "DTTX"), _cased("thạc", "ThAc")
    ('Đảng', 'ĐTTX', 'ThẠc')
    """
    if len(word) != len(typed):  # a letter whose case changes its length ("İ"): keep it as typed
        return typed
    return "".join(c.upper() if t.isupper() else c for c, t in zip(word, typed, strict=True))


class Restorer:
    """Chooses the most likely accented spelling of a plain question."""

    def __init__(
        self, df: Callable[[str], int], pair_df: Callable[[str, str], int], n_docs: int,
        spellings: Mapping[str, tuple[str, ...]], words: Callable[[], frozenset[str]] = frozenset,
        prior: Callable[[], Prior | None] | None = news_prior,
    ) -> None:
        # passages holding a syllable / a pair; a generation's counts never change, and the
        # Viterbi asks for the same syllable's count at every spelling that may follow it
        self._df, self._pair = lru_cache(maxsize=65_536)(df), lru_cache(maxsize=262_144)(pair_df)
        self.spellings = spellings
        self._words = words  # words of the language ("x y"), read on first use
        self.n = max(n_docs, 1)
        self.prior = QUESTION_PRIOR * self.n
        self.respelling = True  # mend mistyped marks in questions typed with diacritics (see `respell`)
        self.background = prior() if prior else None  # general-language counts beneath the corpus's (None: off)

    def count(self, syllable: str) -> float:
        """Passages holding the syllable, plus the question-word prior (a share of all passages)."""
        return self._df(syllable) + (self.prior if syllable in QUESTION_SYLLABLES else 0.0)

    def news(self, syllable: str) -> float:
        """The syllable's share of the news, weighted to sit beside `count` / n (0 without a prior)."""
        return NEWS_SHARE * self.background.share(syllable) if self.background else 0.0

    def follows(self, x: str, y: str, p: Mapping[str, float]) -> float:
        """P(y | x): the passages' pair estimate mixed with a backoff, P(y) plus more when
        "x y" is a word of the language or a pair of the news. After a syllable no passage
        holds, the news' pair estimate takes the passages' place, and only the backoff is
        left when the news lacks it too (a question word says nothing about what follows
        it). A question phrase ("bao nhiêu") adds a prior of its own."""
        news = self.background.follows(x, y) if self.background else 0.0
        backoff = p[y] + (WORD_PAIR if f"{x} {y}" in self._words() else 0.0) + NEWS_FOLLOWS * news
        if seen := self._df(x):
            bigram = (1 - BACKOFF) * self._pair(x, y) / seen + BACKOFF * backoff
        elif self.background and self.background.share(x):
            bigram = (1 - BACKOFF) * news + BACKOFF * backoff
        else:
            bigram = backoff
        return bigram + (QUESTION_PRIOR if (x, y) in QUESTION_PAIRS else 0.0)

    def candidates(self, token: str) -> list[str]:
        """What a typed syllable may stand for: itself when the corpus (or the news) has it,
        and its accented spellings the corpus, the question words or the news have, most
        frequent first."""
        plain = token.lower()
        news = self.background.spellings.get(plain, ()) if self.background else ()
        spelled = (plain, *self.spellings.get(plain, ()), *news)
        weight = {s: self.count(s) / self.n + self.news(s) for s in spelled}
        options = sorted((s for s, w in weight.items() if w > 0), key=lambda s: -weight[s])
        if options:  # a spelling only the news holds, and rarely beside the likeliest: a typo, a name
            options = [s for s in options if self.count(s) or weight[s] >= NEWS_RARE * weight[options[0]]]
        return options[:MAX_VARIANTS] or [plain]

    def doubtful(self, token: str) -> bool:
        """Whether a plain word typed among accented ones may lack its diacritics: the
        corpus holds it as typed less than DOUBT times as often as its likeliest accented
        spelling ("vien" beside "viên"; not "thi" beside "thì")."""
        plain = token.lower()
        others = [self.count(s) for s in self.spellings.get(plain, ()) if s != plain]
        return bool(others) and self._df(plain) < DOUBT * max(others)

    def best(self, options: list[list[str]], keep: Mapping[int, str] | None = None) -> list[str]:
        """The most likely sequence, one syllable from each list of options (Viterbi); the
        spelling `keep[i]` at position i counts KEEP times as likely."""
        p = {s: (self.count(s) + 0.5) / self.n + self.news(s) for opts in options for s in opts}
        bonus = [{keep[i]: math.log(KEEP)} if keep and i in keep else {} for i in range(len(options))]
        score = {s: math.log(p[s]) + bonus[0].get(s, 0.0) for s in options[0]}
        back: list[dict[str, str]] = []
        for i, opts in enumerate(options[1:], 1):
            step, links = {}, {}
            for y in opts:
                costs = {x: s + math.log(self.follows(x, y, p)) for x, s in score.items()}
                links[y] = max(costs, key=costs.__getitem__)
                step[y] = costs[links[y]] + bonus[i].get(y, 0.0)
            score = step
            back.append(links)
        last = max(score, key=lambda s: score[s])
        path = [last]
        for links in reversed(back):
            path.append(links[path[-1]])
        return path[::-1]

    def respell(self, before: str | None, word: str, after: str | None) -> str:
        """A word of a question typed with diacritics, or a better spelling of the same
        letters when its marks look mistyped: no passage holds it next to either neighbour,
        and the other spelling stands next to each neighbour in some passage (the likeliest
        such spelling). A word with no neighbour stays as typed, and so does a question word
        ("vào đâu"), or a word the corpus holds at the start or end of the question.

        >>> pairs = {("viên", "dự"), ("dự", "bị")}
        >>> r = Restorer(lambda s: 1, lambda x, y: (x, y) in pairs, 10, {"du": ("du", "dư", "dự")})
        >>> r.respell("viên", "dư", "bị"), r.respell("viên", "dư", "luận"), r.respell(None, "dư", None)
        ('dự', 'dư', 'dư')
        """
        near = [(x, y) for x, y in ((before, word), (word, after)) if x and y]
        if not near or any(self._pair(x, y) for x, y in near) or word in QUESTION_SYLLABLES:
            return word
        if len(near) == 1 and self._df(word):  # one neighbour is weak evidence against a real word
            return word

        def fits(s: str) -> bool:
            return all(self._pair(s if x == word else x, s if y == word else y) for x, y in near)

        options = [s for s in self.spellings.get(fold(word), ()) if s != word and fits(s)]
        return max(options, key=self.count) if options else word

    def restore(self, text: str) -> str:
        """The text with diacritics put back on its words, in the case they were typed;
        numbers and codes stay as typed (and still count as context). In a text typed
        partly with diacritics, only doubtful plain words may change, and words whose marks
        look mistyped (`respell`) unless `self.respelling` is off."""
        as_typed, mended = self.readings(text)
        return mended if self.respelling else as_typed

    def readings(self, text: str) -> tuple[str, str]:
        """The text restored as `restore` does, in one pass: without mending mistyped marks,
        and with it (the same text when nothing looks mistyped)."""
        parts = _WORD.split(normalize(text))
        at = list(range(1, len(parts), 2))
        partly = any(fold(parts[i]) != parts[i].lower() for i in at)
        options: list[list[str]] = []
        keep: dict[int, str] = {}
        for n, i in enumerate(at):
            word = parts[i]
            if not _restorable(parts, i):
                options.append([word.lower()])
            elif not partly:
                options.append(self.candidates(word))
            elif fold(word) == word.lower() and not _abbreviation(word) and self.doubtful(word):
                options.append(list(dict.fromkeys([*self.candidates(word), word.lower()])))
                keep[n] = word.lower()
            else:
                options.append([word.lower()])
        if partly and len(keep) < MIN_DOUBTFUL:
            options = [[keep[n]] if n in keep else o for n, o in enumerate(options)]  # the plain word as typed
            keep = {}
        chosen = [o[0] for o in options] if all(len(o) == 1 for o in options) else self.best(options, keep)
        mended = list(chosen)
        if partly:
            for n, i in enumerate(at):
                word = parts[i]
                if n in keep or not _restorable(parts, i) or _abbreviation(word) or (n and word[:1].isupper()):
                    continue  # restored above, a number or code, an abbreviation, a name
                after = mended[n + 1] if n + 1 < len(at) else None
                mended[n] = self.respell(mended[n - 1] if n else None, mended[n], after)

        def spelled(words: list[str]) -> str:
            if partly and not keep and words == [parts[i].lower() for i in at]:
                return normalize(text)
            out = list(parts)
            for i, w in zip(at, words, strict=True):
                out[i] = _cased(w, parts[i])
            return "".join(out)

        as_typed = spelled(chosen)
        return as_typed, (spelled(mended) if mended != chosen else as_typed)
