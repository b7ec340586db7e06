"""Scoring the three tiers over a question table: what is shown (answer or related), how
often the first quote is right, and how far each tier can be trusted.

>>> s = score_tiers([TableRow("fact", "q", ("x",))], lambda q: Answer(q, True, hits=()))
>>> (s.p_at_1, s.answered, s.answer_precision)
(0.0, 1.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from index.evaluation.table import TableRow, contains
from index.models import Answer, Confidence


@dataclass(frozen=True)
class TierScore:
    """Over the answerable rows: P@1 and R@3 of what is shown, the share in each tier,
    the precision of `answer`, how often a `related` reply shows the answer; over the
    out-of-corpus rows: the share dressed up as an answer."""

    n: int  # answerable rows
    n_none: int  # out-of-corpus rows
    p_at_1: float
    r_at_3: float
    answered: float  # share of answerable rows in the `answer` tier
    answer_precision: float  # of every row called `answer` (out-of-corpus ones included), first quote right
    related: float  # share of answerable rows in `related`
    related_shown: float  # of those, answer among the shown passages
    refused: float  # share of answerable rows in `none`
    false_answers: float  # share of out-of-corpus rows called `answer`
    misses: tuple[str, ...] = ()

    def line(self, name: str) -> str:
        """A table row for reports."""
        return (f"| {name} | {self.p_at_1:.3f} | {self.r_at_3:.3f} | {self.answered:.3f} | "
                f"{self.answer_precision:.3f} | {self.related_shown:.3f} | {self.refused:.3f} | "
                f"{self.false_answers:.3f} | {self.n} + {self.n_none} |")


HEADER = ("| set | P@1 | R@3 | answered | answer precision | related: answer shown | answerable refused | "
          "out-of-corpus answered | n |\n|---|---|---|---|---|---|---|---|---|")


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score_tiers(rows: list[TableRow], ask: Callable[[str], Answer]) -> TierScore:
    """Score `ask` (a question -> Answer) over a table with tiers."""
    n = first = three = answered = right_answers = related = related_ok = refused = 0
    n_none = false = 0
    misses = []
    for row in rows:
        a = ask(row.question)
        if not row.phrases:
            n_none += 1
            false += a.confidence is Confidence.ANSWER
            continue
        n += 1
        texts = [h.passage.text for h in a.hits]
        top = bool(texts) and contains(texts[0], row.phrases)
        shown = any(contains(t, row.phrases) for t in texts[:3])
        first, three = first + top, three + shown
        if a.confidence is Confidence.ANSWER:
            answered, right_answers = answered + 1, right_answers + top
        elif a.confidence is Confidence.RELATED:
            related, related_ok = related + 1, related_ok + shown
        else:
            refused += 1
        if not top:
            misses.append(row.question)
    return TierScore(
        n, n_none, _share(first, n), _share(three, n), _share(answered, n),
        _share(right_answers, answered + false), _share(related, n), _share(related_ok, related),
        _share(refused, n), _share(false, n_none), tuple(misses),
    )


def score_tiers_qrels(
    queries: Iterable[tuple[str, str]], qrels: Mapping[str, Mapping[str, int]], ask: Callable[[str], Answer]
) -> TierScore:
    """The same scores over a benchmark: (qid, question) pairs, right when a shown passage
    is relevant in `qrels` (benchmarks hold no out-of-corpus questions)."""
    rows = []
    for qid, question in queries:
        relevant = {pid for pid, grade in qrels.get(qid, {}).items() if grade > 0}
        rows.append((question, relevant))
    n = first = three = answered = right = related = related_ok = refused = 0
    misses = []
    for question, relevant in rows:
        a = ask(question)
        ids = [h.passage.passage_id for h in a.hits]
        top, shown = bool(ids) and ids[0] in relevant, bool(relevant & set(ids[:3]))
        n, first, three = n + 1, first + top, three + shown
        if a.confidence is Confidence.ANSWER:
            answered, right = answered + 1, right + top
        elif a.confidence is Confidence.RELATED:
            related, related_ok = related + 1, related_ok + shown
        else:
            refused += 1
        if not top:
            misses.append(question)
    return TierScore(n, 0, _share(first, n), _share(three, n), _share(answered, n), _share(right, answered),
                     _share(related, n), _share(related_ok, related), _share(refused, n), 0.0, tuple(misses))
