"""Search: a question passes each stage once, against one generation.

    interpret (index/query.py) -> retrieve (index/retrieve.py) -> rank (index/rank.py)
    -> quote (index/quote.py)

>>> s = Searcher.open(Path("var"))                          # doctest: +SKIP
>>> s.ask("Người vào Đảng phải đủ bao nhiêu tuổi?").hits[0].passage.location  # doctest: +SKIP
'Điều 1, điểm 1.1.1'
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

from index import catalogue, confidence, generations, quote, rank, relations
from index.accents import Restorer
from index.catalogue import reading_order
from index.confidence import RELATED_FLOOR, Model
from index.engine import Engine
from index.generations import Generation, IndexNotFound, IndexOutdated
from index.intents import NUMBERS, Intent, carries
from index.models import Answer, Confidence, Document, Passage, Reason
from index.places import Places
from index.query import Question, interpret, read_accents
from index.rank import INTENT_BOOST, MIN_COVERAGE, MIN_COVERAGE_OTHERS, QUANTITY_BOOST, Candidate, holds_number
from index.retrieve import CANDIDATES, Weights, at_place, build_query, code_known, retrieve
from index.store import Store
from index.text import Analysis, Options, content_terms

RELATED_WEIGHT = 0.0  # a reading in related words scores this share; off: it did not bear out (docs/quality.md)

__all__ = ["Searcher", "Ranking", "IndexNotFound", "IndexOutdated", "Weights", "build_query", "holds_number"]


@dataclass(frozen=True)
class Ranking:
    """How questions are ranked: one frozen object given to `Searcher.open` (evaluations
    and ablations build another; nothing is set on a built searcher)."""

    weights: Weights = field(default_factory=Weights)
    coord: float = 1.0  # exponent of the coverage factor (0 switches it off)
    min_coverage: float = MIN_COVERAGE  # a place asked for without its document: the passages there must cover this
    related_floor: float = RELATED_FLOOR  # a first passage covering less is nothing related: tier `none`
    related: float = RELATED_WEIGHT  # a reading in related words (news word vectors, gated) weighs this (0: off)
    lexicon: bool = True  # the curated everyday wording (index/lexicon.yaml) among the readings
    news_accents: bool = True  # accent restoration backed by syllable counts learned from news
    model: Model = field(default_factory=confidence.load)  # decides `answer` or `related`
    accents: bool = True  # put diacritics back on questions typed without them
    reword: bool = True  # also ask a question's everyday phrases in the documents' wording
    quantity: float = QUANTITY_BOOST  # an age, a duration, a number asked: passages stating one first
    intent: float = INTENT_BOOST  # a body, a condition, a list, a permission asked: passages stating one first

    def boost(self, intent: Intent | None) -> float:
        """How much a passage carrying what the question wants is lifted."""
        if intent is None:
            return 0.0
        return self.quantity if intent.name in NUMBERS else self.intent


class Searcher:
    """Answers questions from the current index generation; follows re-indexes."""

    def __init__(self, data_dir: Path, engine: str = "tantivy", ranking: Ranking = Ranking()) -> None:
        self.data_dir = Path(data_dir)
        self.engine_name = engine
        self.ranking = ranking
        self.store = Store(self.data_dir)
        self._lock = threading.Lock()
        self._gen = generations.load(self.data_dir, self.store, engine)

    @classmethod
    def open(cls, data_dir: Path, engine: str = "tantivy", ranking: Ranking = Ranking()) -> Searcher:
        """Open the index in `data_dir`; raises IndexNotFound before the first re-index."""
        return cls(data_dir, engine, ranking)

    def generation(self) -> Generation:
        """The current generation, switching to a newer one if a re-index swapped one in."""
        self.reload_if_changed()
        return self._gen

    def reload_if_changed(self) -> bool:
        """Switch to a newer index generation if a re-index swapped one in."""
        name = generations.current_name(self.data_dir)
        if name is None or name == self._gen.name:
            return False
        with self._lock:
            if name != self._gen.name:
                self._gen = generations.load(self.data_dir, self.store, self.engine_name)
        return True

    # -- asking ----------------------------------------------------------------

    def interpret(self, question: str, gen: Generation | None = None) -> Question:
        """The question as the engine reads it (stage one)."""
        r = self.ranking
        return interpret(question, gen or self.generation(), r.weights, r.accents, r.reword, r.related > 0,
                         r.lexicon, r.news_accents)

    def ask(self, question: str, k: int = 3, offset: int = 0, within: Collection[str] | None = None) -> Answer:
        """The best passages for a question with the tier they deserve (`answer`, `related`
        or `none`, index/confidence.py); only from the documents `within` (doc ids) when
        given: a chat's scope."""
        gen = self.generation()
        q = self.interpret(question, gen)
        if q.refusal:
            return Answer(q.text, False, reason=q.refusal)
        ranked, a, reason = self._answers(q, gen, offset + k + 1, within)  # +1: is there more?
        if not ranked:
            return Answer(q.text, False, reason=reason, suggestions=catalogue.suggestions(gen.docs), read_as=q.read_as)
        tier, signals = self._tier(q, a, ranked, gen)
        if tier is Confidence.NONE:  # the nearest passages are too far from the question to show
            return Answer(q.text, False, reason=Reason.NO_MATCH, suggestions=catalogue.suggestions(gen.docs),
                          read_as=q.read_as, signals=tuple(signals.items()))
        m = quote.matcher(a, () if a is q.rest else q.readings, gen, q.intent)
        hits = quote.hits(q, ranked[offset : offset + k], offset + 1, m, gen)
        return Answer(q.text, tier is Confidence.ANSWER, hits=hits, total=len(ranked), read_as=q.read_as,
                      confidence=tier, signals=tuple(signals.items()))

    def _tier(
        self, q: Question, a: Analysis, ranked: list[Candidate], gen: Generation
    ) -> tuple[Confidence, dict[str, float]]:
        """The confidence tier of the passages to show, and the signals it was read from. A
        place asked for ("Điều 8") is an answer; the rest is the model's call."""
        if a is q.rest:
            return Confidence.ANSWER, {}
        shown = ranked[:3]
        met = [carries(q.intent, c.passage.text) for c in shown]
        named = bool(a.codes)
        found = confidence.signals(shown, rank.ideal(build_query(a, self.ranking.weights), gen.stats),
                                   len(rank.units(a, gen.stats)), q.intent is not None, met, q.plain, named)
        return self.ranking.model.tier(found), found

    def _answers(
        self, q: Question, gen: Generation, limit: int, within: Collection[str] | None
    ) -> tuple[list[Candidate], Analysis, Reason | None]:
        """The candidates to show (those near enough the question), the reading they answer,
        and why there are none."""
        assert q.analysis is not None
        if q.place and q.rest is not None:
            located = self._at_place(q, gen, within)
            if located:
                return located, q.rest, None
            if not rank.units(q.rest, gen.stats):  # "Điều 99 Quy định 294": nothing else asked
                return [], q.rest, self._reason(q.rest, gen, Reason.UNKNOWN_PLACE)
        a = q.analysis
        ranked: list[Candidate] = []
        if (not a.codes or code_known(a, gen)) and (a.codes or any(len(t) > 1 for t in content_terms(a))):
            bar = self.ranking.related_floor
            ranked = rank.answers(self._candidates(q, gen, within), bar, min(bar, MIN_COVERAGE_OTHERS), bool(a.codes),
                                  limit)
        return ranked, a, None if ranked else self._reason(a, gen, Reason.NO_MATCH)

    @staticmethod
    def _reason(a: Analysis, gen: Generation, otherwise: Reason) -> Reason:
        return Reason.UNKNOWN_CODE if a.codes and not code_known(a, gen) else otherwise

    def _at_place(self, q: Question, gen: Generation, within: Collection[str] | None) -> list[Candidate]:
        """The passages at the place a question names: those covering more of the rest of
        the question first, then in reading order. A place named without its document, in a
        question none of those passages answers well enough ("Theo Điều 14 Bộ luật dân sự,
        …" of a corpus whose Điều 14 is another document's), gives none: the question is
        then searched as typed."""
        assert q.place is not None and q.rest is not None
        rest, r = q.rest, self.ranking
        scored = bool(rank.units(rest, gen.stats))
        rows = at_place(q.place, rest, gen, r.weights, within, scored)
        if not rows:
            return []
        cover = rank.coverage(rest, gen.stats, [(x.passage, x.columns) for x in rows]) if scored else {}
        if scored and not rest.codes and max(c for c, _ in cover.values()) < r.min_coverage:
            return []
        cands = [
            Candidate(x.passage, x.bm25 * cover[x.passage.passage_id][0] ** r.coord if scored else 0.0,
                      cover[x.passage.passage_id][0] if scored else 1.0)
            for x in rows
        ]
        return rank.by_place(cands, gen.docs.__getitem__, reading_order)

    def _candidates(self, q: Question, gen: Generation, within: Collection[str] | None) -> Iterator[Candidate]:
        """Every reading's BM25 rows, rescored, fused, the named document first, duplicates
        collapsed (lazily)."""
        assert q.analysis is not None
        r, folded, lists = self.ranking, {}, []
        related = ((q.related, r.related),) if q.related and r.related else ()
        for reading, weight in ((q.analysis, 1.0), *((x, 1.0) for x in q.readings), *related):
            rows = retrieve(reading, gen, r.weights, q.source, within)
            folded.update({x.passage.passage_id: x.columns["t_folds"] for x in rows})
            scored = rank.score(reading, rows, gen.stats, r.coord, q.intent, r.boost(q.intent))
            lists.append(scored if weight == 1.0 else [replace(c, score=c.score * weight) for c in scored])
        ordered = rank.codes_first(q.analysis, rank.demote(rank.fuse(lists), gen.replaced()), gen.docs.__getitem__)
        return rank.collapse(ordered, folded)

    def rank(self, question: str, k: int = 10) -> list[tuple[str, float]]:
        """The ranking alone, for evaluations: top-k (passage_id, score) without the
        "no answer" cut."""
        gen = self.generation()
        q = self.interpret(question, gen)
        if q.refusal:
            return []
        return [(c.passage.passage_id, c.score) for c in islice(self._candidates(q, gen, None), k)]

    def explain(self, question: str, passage_id: str) -> list[tuple[str, str]]:
        """Every factor of a passage's final score for a question, in the order applied."""
        gen = self.generation()
        q = self.interpret(question, gen)
        out = [("read as", q.reading)]
        if q.refusal or q.analysis is None:
            return [*out, ("refused", str(q.refusal))]
        for n, reading in enumerate((q.analysis, *q.readings)):
            found = retrieve(reading, gen, self.ranking.weights, q.source)
            rows = [x for x in found if x.passage.passage_id == passage_id]
            if not rows:
                out.append((f"reading {n}", f"not among the first {CANDIDATES} BM25 results"))
                continue
            (c,) = rank.score(reading, rows, gen.stats, self.ranking.coord, q.intent, self.ranking.boost(q.intent))
            out += [(f"reading {n} bm25", f"{rows[0].bm25:.3f}"),
                    (f"reading {n} coverage", f"{c.coverage:.3f} ^ {self.ranking.coord}"),
                    (f"reading {n} intent", f"{q.intent.name if q.intent else '-'}, carried: "
                                            f"{carries(q.intent, c.passage.text)}"),
                    (f"reading {n} score", f"{c.score:.3f}"), (f"reading {n} lacks", ", ".join(c.missing) or "-")]
        return out

    # -- reading and documents -----------------------------------------------------

    def read_as(self, question: str) -> str | None:
        """The question with the diacritics it was typed without put back (None: unchanged)."""
        r = self.ranking
        return read_accents(question, self.generation(), r.news_accents) if r.accents else None

    def passage(self, passage_id: str) -> tuple[Document, Passage] | None:
        """A passage and its document, by id (for "Toàn văn"), with the list it opens."""
        gen = self.generation()
        p = gen.store.passages([passage_id]).get(passage_id)
        if p is None:
            return None
        doc = gen.docs.get(p.doc_id) or gen.store.document(p.doc_id)
        return (doc, quote.whole(p, gen)) if doc else None

    def document(self, doc_id: str) -> Document | None:
        """A document of the current index by id (None once a re-index dropped it)."""
        return self.generation().docs.get(doc_id)

    def applying(self, passage_id: str) -> list[tuple[Document, Passage]]:
        """The points of other documents that apply the article a passage lies in ("📎
        Hướng dẫn thi hành" under a quote of the Charter's Điều 35), in order."""
        gen = self.generation()
        p = gen.store.passages([passage_id]).get(passage_id)
        if p is None:
            return []
        out = []
        for ref in gen.standing(p.doc_id, p.location).applied_by:
            doc = gen.docs.get(ref.doc_id or "")
            point = gen.store.at_location(ref.doc_id or "", ref.place or "") if doc else None
            if doc and point:
                out.append((doc, point))
        return out

    def all_relations(self) -> list[tuple[str, str, str, int]]:
        """Every relation of the current index for `vankien stats`: (from, kind, to, how many
        points or articles state it), document-level ones once."""
        gen = self.generation()
        counts: dict[tuple[str, str, str], int] = {}
        for x in relations.all_links(gen.store, gen.held()):
            key = (relations.source(gen.store, x), x.kind, relations.target(gen.store, x))
            counts[key] = counts.get(key, 0) + (1 if x.to_place else 0)
        return [(*key, n) for key, n in counts.items()]

    def relations(self, doc_id: str) -> list[tuple[str, bool, str]]:
        """A document's relations as its card lists them (index/relations.py `described`)."""
        gen = self.generation()
        return relations.described(gen.store, doc_id, gen.held())

    def citing(self, query: str, found: list[Document]) -> list[tuple[str, Document]]:
        """For a code the corpus does not hold ("05-CT/TW"): the documents that carry it
        out, cite, replace or guide it, with the kind of link; [] when `found` bears it."""
        gen = self.generation()
        seen: dict[str, tuple[str, Document]] = {}
        for x in relations.citing(gen.store, found, query, gen.held()):  # strongest kind first
            if (doc := gen.docs.get(x.from_doc_id)) is not None:
                seen.setdefault(doc.doc_id, (x.kind, doc))
        return list(seen.values())

    def documents(self) -> list[Document]:
        """The documents of the current index: Party documents first, then by date."""
        return self.generation().docs.all()

    def find_documents(self, query: str) -> list[Document]:
        """Documents by code (any spelling) or by words of the title or file name."""
        return catalogue.find_documents(self.documents(), query)

    def suggestions(self, n: int = 3) -> tuple[str, ...]:
        """What the corpus does know: titles of its main documents."""
        return catalogue.suggestions(self.generation().docs, n)

    def answered(self, questions: Iterable[str], n: int = 3) -> list[str]:
        """Those of these questions the corpus really answers, at most `n`."""
        return list(islice((q for q in questions if self.ask(q).answered), n))

    def warm(self) -> None:
        """Read what the first questions of some kinds would otherwise wait for."""
        gen = self.generation()
        gen.restorer()
        gen.places()

    def stats(self) -> dict[str, int | str | None]:
        """Counts for `vankien stats` and /start."""
        gen = self.generation()
        return {"generation": gen.name, "documents": len(gen.docs), "passages": gen.engine.num_docs,
                "engine": self.engine_name}

    # what evaluations and benchmarks read of the current generation
    @property
    def engine(self) -> Engine:
        """The BM25 engine of the current generation."""
        return self.generation().engine

    @property
    def options(self) -> Options:
        """The analysis options the current generation was built with."""
        return self.generation().options

    @property
    def restorer(self) -> Restorer | None:
        """The accent restorer of the current generation (None: no accents file)."""
        return self.generation().restorer()

    @property
    def places(self) -> Places:
        """The structural labels of the current generation."""
        return self.generation().places()
