"""Quoting: ranked candidates -> hits with the excerpt to show, its marks, and the list a
passage opens ("… các trường hợp sau:")."""

from __future__ import annotations

from dataclasses import replace
from itertools import takewhile

from index.excerpt import ELLIPSIS, Matcher, make_excerpt, opens_list, with_list
from index.generations import Generation
from index.intents import Intent
from index.models import Hit, Passage
from index.query import Question
from index.rank import Candidate, typed_missing
from index.text import Analysis

LIST_ITEMS = 8  # passages read to quote the list a passage opens


def matcher(a: Analysis, readings: tuple[Analysis, ...], gen: Generation, intent: Intent | None = None) -> Matcher:
    """What counts as a match in a quote: the words of the reading answered, or of the
    question's other readings; a sentence stating what the question wants comes first."""
    field = "sylls" if a.accented else "folds"
    return Matcher(a, lambda t: gen.stats.idf(field, t), readings, intent)


def hits(q: Question, window: list[Candidate], first_rank: int, m: Matcher, gen: Generation) -> tuple[Hit, ...]:
    """The hits shown for a window of candidates, ranks counted from `first_rank`."""
    return tuple(hit(q, rank, c, m, gen) for rank, c in enumerate(window, first_rank))


def hit(q: Question, rank: int, c: Candidate, m: Matcher, gen: Generation) -> Hit:
    """One hit: the best sentences of the passage, and the start of the list it opens."""
    p = c.passage
    excerpt, marks = make_excerpt(p.text, m)
    if opens_list(p.text) and not excerpt.endswith(ELLIPSIS):  # "… các trường hợp sau:"
        excerpt = with_list(excerpt, [item.text for item in list_after(p, gen)])
        marks = m.marks(excerpt)
    missing = typed_missing(c.missing, p.text) if q.plain else c.missing
    return Hit(rank, c.score, gen.docs[p.doc_id], p, excerpt, marks, missing, gen.standing(p.doc_id, p.location))


def list_after(p: Passage, gen: Generation) -> list[Passage]:
    """The passages that carry on the list a passage opens: those after it at its own
    place ("điểm 10.2.2" -> "điểm 10.2.2 a)", "b)" …), or the next one when the passage
    has no structural place ("đoạn 11/15")."""
    after = gen.store.following(p.doc_id, p.ordinal, LIST_ITEMS)
    place = p.location or ""
    if not place or place.startswith("đoạn "):
        return after[:1]

    def within_place(item: Passage) -> bool:  # "điểm 1.1 a)" is within "điểm 1.1"; "điểm 1.10" is not
        loc = item.location or ""
        return loc.startswith(place) and not loc[len(place) : len(place) + 1].isdigit()

    return list(takewhile(within_place, after))


def whole(p: Passage, gen: Generation) -> Passage:
    """A passage as "Toàn văn" shows it: with the list it opens, whose items are passages
    of their own."""
    if not opens_list(p.text):
        return p
    return replace(p, text="\n".join([p.text, *(item.text for item in list_after(p, gen))]))
