"""Interpreting a question, once: the text as read, its analysis, its other readings, the
source it names, the place it names.

>>> split_source("Theo Bộ luật Hình sự năm 2017, người dưới 18 tuổi có bị phạt tù không?")
('Bộ luật Hình sự năm 2017', 'người dưới 18 tuổi có bị phạt tù không?')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from index.engine import Clause, QuerySpec
from index.generations import Generation
from index.intents import Intent, intent_of
from index.models import Reason
from index.places import Place, find_places
from index.related import RelatedWords
from index.retrieve import DEFAULT_WEIGHTS, Weights, build_query, source_clauses
from index.text import MAX_QUESTION_CHARS, STOPWORDS, Analysis, Groups, analyze, fold, normalize, reworded, syllables

MIN_SIMILARITY = 0.6  # a related word from news must be at least this close (cosine) to be tried
LEXICON_FILE = Path(__file__).parent / "lexicon.yaml"
SOURCE_RE = re.compile(r"^\s*(?:theo|căn cứ|can cu)\s+([^,?]{3,120}?)\s*,\s*(\S.*)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Question:
    """A question as the engine understood it; every later stage reads only this."""

    text: str  # as typed (stripped; cut to MAX_QUESTION_CHARS when too long)
    read_as: str | None = None  # the text with the diacritics it was typed without, when that differs
    plain: bool = False  # typed wholly without diacritics: lacking words are shown as typed
    analysis: Analysis | None = None  # of the question (its "Theo …," clause aside)
    source: QuerySpec = ()  # title clauses for that clause: where to look, not what to find
    readings: tuple[Analysis, ...] = ()  # the question in the documents' wording ("bố mẹ" -> "cha mẹ")
    place: Place | None = None  # "Điều 8", "điểm 4.3.2" …
    rest: Analysis | None = None  # the question without the place (and its document)
    refusal: Reason | None = None  # empty or too long: nothing to look for
    intent: Intent | None = None  # the kind of answer it wants: an age, a duration, a body …
    related: Analysis | None = None  # its words the corpus lacks said with related words it holds (gated)

    @property
    def reading(self) -> str:
        """The text the engine searches for."""
        return self.read_as or self.text


@lru_cache(maxsize=1)
def lexicon(path: Path = LEXICON_FILE) -> Groups:
    """The curated everyday <-> documents' wording (index/lexicon.yaml: the documents'
    phrase, then how cadres say it), as groups for `reworded`; none if the file is absent.

    >>> ("từ trần", "qua đời") == lexicon()[[g[0] for g in lexicon()].index("từ trần")][:2]
    True
    """
    import yaml  # read once, on the first question: the searcher's import stays light

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return ()
    return tuple((str(k), *(str(p) for p in ([v] if isinstance(v, str) else v))) for k, v in data.items())


def split_source(question: str) -> tuple[str, str]:
    """Split off a leading "Theo <source>," clause.

    >>> split_source("Người vào Đảng phải đủ bao nhiêu tuổi?")
    ('', 'Người vào Đảng phải đủ bao nhiêu tuổi?')
    """
    m = SOURCE_RE.match(question)
    return (m.group(1).strip(), m.group(2)) if m else ("", question)


def interpret(
    text: str, gen: Generation, weights: Weights = DEFAULT_WEIGHTS, accents: bool = True, reword: bool = True,
    related: bool = True, lexicon_on: bool = True, news: bool = True,
) -> Question:
    """Read a question once: accents put back, its analysis, readings, source and place."""
    text = (text or "").strip()
    if not any(ch.isalnum() for ch in text):
        return Question(text, refusal=Reason.EMPTY)
    if len(text) > MAX_QUESTION_CHARS:
        return Question(text[:MAX_QUESTION_CHARS], refusal=Reason.TOO_LONG)
    read_as = read_accents(text, gen, news) if accents else None
    reading = read_as or text
    a, clauses = analyzed(reading, gen, weights)
    other = reworded(reading, (lexicon() if lexicon_on else ()) + gen.synonyms) if reword else None
    place, rest = find_places(reading)
    return Question(
        text, read_as, plain=read_as is not None and fold(text) == text.lower(), analysis=a, source=clauses,
        readings=(analyzed(other, gen, weights)[0],) if other else (), place=place or None,
        rest=analyzed(rest, gen, weights)[0] if place else None, intent=intent_of(reading),
        related=related_reading(a, gen, weights) if related else None,
    )


def analyzed(text: str, gen: Generation, weights: Weights = DEFAULT_WEIGHTS) -> tuple[Analysis, QuerySpec]:
    """A text's analysis, and title clauses for a source it names up front ("Theo Bộ luật
    Hình sự, …"): its codes join the question's, its words say where to look."""
    source, body = split_source(text)
    a = analyze(body, question=True, options=gen.options)
    if not source:
        return a, ()
    s = analyze(source, question=True, options=gen.options)
    return replace(a, codes=tuple(dict.fromkeys(a.codes + s.codes))), source_clauses(s, weights)


def related_reading(a: Analysis, gen: Generation, weights: Weights = DEFAULT_WEIGHTS) -> Analysis | None:
    """The question with each content word the corpus never uses replaced by a related
    word it does use, when one passes the gate (`accepted`); None when no word changes.
    Related words come from news text (index/related.py), where synonyms and opposites
    stand side by side: similarity alone never decides."""
    if not a.accented:
        return None
    words = list(a.words)
    changed = False
    for i, w in enumerate(words):
        if w in STOPWORDS or "_" not in w or gen.engine.doc_freq("words", w):
            continue
        others = [x for x in a.words if x != w and x not in STOPWORDS]
        found = next((n for n, sim in related_words().neighbours(w) if sim >= MIN_SIMILARITY
                      and accepted(n, others, gen)), None)
        if found:
            words[i], changed = found, True
    if not changed:
        return None
    return analyze(" ".join(x.replace("_", " ") for x in words), question=True, options=gen.options)


def accepted(word: str, others: list[str], gen: Generation) -> bool:
    """Whether a related word stands with the question's other words in the corpus: the
    passage that best matches them all holds it and at least half of the others."""
    if not gen.engine.doc_freq("words", word) or not others:
        return False
    spec = tuple(Clause("words", t) for t in dict.fromkeys([word, *others]))
    found = gen.engine.search(spec, 1)
    if not found:
        return False
    rows = gen.store.passages_with_columns([found[0][0]], ("t_words",))
    held = set(rows[found[0][0]][1]["t_words"].split()) if found[0][0] in rows else set()
    return word in held and 2 * len(held & set(others)) >= len(set(others))


@lru_cache(maxsize=1)
def related_words() -> RelatedWords:
    """The shipped related words (an empty table when the file is absent)."""
    try:
        return RelatedWords.load()
    except FileNotFoundError:
        return RelatedWords(rows={})


def read_accents(text: str, gen: Generation, news: bool = True) -> str | None:
    """The question with the diacritics it was typed without put back, wholly or in part
    (None when that changes nothing): accented, it finds words and phrases that folded
    syllables cannot tell apart ("đảng" from "đang"). Marks that look mistyped are mended
    unless some passage holds the words as typed ("tin vắn" in a corpus that has it)."""
    restorer = gen.restorer(news) if gen.options.fold else None
    if restorer is None:
        return None
    as_typed, restored = restorer.readings(text)
    if not restorer.respelling or (restored != as_typed and held_as_typed(as_typed, restored, gen)):
        restored = as_typed
    return restored if restored != normalize(text) else None


def held_as_typed(as_typed: str, mended: str, gen: Generation) -> bool:
    """Whether the passage that best matches the question as typed (by BM25 alone) holds
    the syllables `mended` would change: then they were meant."""
    typed, fixed = syllables(as_typed), syllables(mended)
    if len(typed) != len(fixed):
        return False
    changed = {t for t, f in zip(typed, fixed, strict=True) if t != f}
    a, source = analyzed(as_typed, gen)
    found = gen.engine.search(build_query(a) + source, 1)
    best = gen.store.passages([found[0][0]]).get(found[0][0]) if found else None
    return best is not None and changed <= set(syllables(normalize(best.text)))
