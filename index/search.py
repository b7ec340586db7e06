"""Search: question -> query -> BM25 -> passages -> cited, quoted hits.

>>> s = Searcher.open(Path("var"))                          # doctest: +SKIP
>>> s.ask("Người vào Đảng phải đủ bao nhiêu tuổi?").hits[0].passage.location  # doctest: +SKIP
'Điều 1, điểm 1.1.1'
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from itertools import islice, takewhile
from pathlib import Path

from index.accents import ACCENTS_FILE, Restorer, language_words, read_syllables, variants
from index.engine import (
    SCHEMA_VERSION,
    Clause,
    Engine,
    QuerySpec,
    RankBM25Engine,
    TantivyEngine,
    idf,
    score_rows,
)
from index.excerpt import ELLIPSIS, Matcher, make_excerpt, merge_marks, opens_list, with_list
from index.indexer import IndexNotFound, current_generation, index_root, read_manifest
from index.models import Answer, Document, Hit, Passage
from index.places import Place, Places, find_places
from index.store import Store
from index.text import (
    KIND_WORDS,
    MAX_QUESTION_CHARS,
    STOP_FOLDS,
    STOPWORDS,
    Analysis,
    Options,
    analyze,
    content_terms,
    find_codes,
    fold,
    normalize,
    reworded,
    syllables,
)

__all__ = ["Searcher", "IndexNotFound", "Weights", "build_query"]

CANDIDATES = 60
MIN_COVERAGE = 0.5  # share of the question's idf mass the best passage must contain (scripts/refusals.py)
MIN_COVERAGE_OTHERS = 0.35  # ... and every further hit shown
LIST_ITEMS = 8  # passages read to quote the list a passage opens
# A question asking how many or how long ("bao nhiêu", "bao lâu", "mấy") is answered by a
# number: a passage that holds one (a digit, or a number word: "hai phần ba"; its own label
# "12.4.2." aside) scores QUANTITY_BOOST more (docs/quality.md, "Number questions").
QUANTITY_WORDS = frozenset({"bao_nhiêu", "bao_lâu", "mấy"})
QUANTITY_BOOST = 0.2
_NUMBER_RE = re.compile(r"\d|(?<!\w)(hai|ba|bốn|sáu|bảy|tám|chín|mười|mươi|trăm|nửa)(?!\w)", re.IGNORECASE)
_LABEL_RE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+])\s*")
DUPLICATE_JACCARD = 0.7
UNKNOWN_NAME = 3.0
COMPOUND_CREDIT = 0.5
COVERAGE_COLUMNS = ("t_sylls", "t_folds", "t_words", "t_title", "t_codes", "t_doccode")

EXAMPLE_QUESTIONS = (
    "Người vào Đảng phải đủ bao nhiêu tuổi?",
    "Đảng viên đóng đảng phí dựa trên cơ sở nào?",
    "Đảng viên tuổi cao, sức khỏe yếu có được miễn sinh hoạt đảng không?",
    "Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh",
    "Khi nào đảng viên dự bị được xét công nhận chính thức?",
    "Đảng viên có quyền phê bình, chất vấn tổ chức đảng không?",
)


@dataclass(frozen=True)
class Weights:
    """Field boosts of the query; chosen on one evaluation split (see docs/quality.md)."""

    words: float = 1.0
    sylls: float = 0.3
    folds_accented: float = 0.1
    folds_plain: float = 1.0
    title: float = 0.3
    phrase: float = 1.0  # adjacent content syllables of the question, as a pair term
    stop_pair: float = 0.25  # ... and a content syllable next to a stopword ("tên trong")
    doccode: float = 3.0
    codes: float = 1.5


def _pairs(terms: tuple[str, ...], content: set[str]) -> list[tuple[str, str]]:
    """Adjacent pairs of content terms, as they stand in the question."""
    pairs = zip(terms, terms[1:], strict=False)
    return list(dict.fromkeys((x, y) for x, y in pairs if x in content and y in content and x != y))


def _adjacent_pairs(a: Analysis, quiet: frozenset[str] = STOPWORDS) -> dict[tuple[str, str], bool]:
    """Adjacent syllables of the question, stopwords kept ("xóa tên trong danh sách" ->
    ("tên", "trong"), ("trong", "danh"), ...), when at least one belongs to a content word;
    True when both do. A passage that says the same words in the same order matches them
    as pair terms, and a pair's own idf tells how telling it is.

    >>> _adjacent_pairs(analyze("quyền của đảng viên"))
    {('quyền', 'của'): False, ('của', 'đảng'): False, ('đảng', 'viên'): True}
    """
    seq = [(s, w not in quiet) for w in a.words for s in w.split("_")]
    out: dict[tuple[str, str], bool] = {}
    for (x, cx), (y, cy) in zip(seq, seq[1:], strict=False):
        if (cx or cy) and x != y:
            out[(x, y)] = out.get((x, y), False) or (cx and cy)
    return out


def _named_kinds(a: Analysis) -> set[str]:
    """The kind words ("chỉ thị", folded) of the codes a question names ("Chỉ thị 05"):
    they say which document, not what to find in it.

    >>> sorted(_named_kinds(analyze("Chỉ thị 05 về học tập")))
    ['chi thi']
    """
    kinds = {c.split("-")[1] for c in a.codes}
    return {phrase for phrase, ks in KIND_WORDS.items() if kinds & set(ks)}


def build_query(a: Analysis, w: Weights = Weights()) -> QuerySpec:
    """The weighted clauses for a question's analysis (pure)."""
    clauses: list[Clause] = []
    if a.accented:
        named = _named_kinds(a)
        quiet = STOPWORDS | {t for t in a.words if fold(t.replace("_", " ")) in named}
        words = list(dict.fromkeys(t for t in a.words if t not in quiet))
        content = list(dict.fromkeys(s for t in words for s in t.split("_")))
        clauses += [Clause("words", t, w.words) for t in words]
        clauses += [Clause("sylls", t, w.sylls) for t in content]
        folds = dict.fromkeys(fold(t) for t in content)
        clauses += [Clause("folds", t, w.folds_accented) for t in folds]
        clauses += [Clause("title", t, w.title) for t in words]
        pairs = _adjacent_pairs(a, quiet).items()
        clauses += [Clause("sylls2", f"{x}_{y}", w.phrase if both else w.stop_pair) for (x, y), both in pairs]
    else:
        # Kind words stay: in short unaccented questions ("ket luan 01 ngay nao") they are
        # most of what the question says.
        content = list(content_terms(a))
        clauses += [Clause("folds", t, w.folds_plain) for t in content]
        clauses += [Clause("title", t, w.title) for t in content]
        clauses += [Clause("folds2", f"{x}_{y}", w.phrase) for x, y in _pairs(a.folds, set(content))]
    clauses += [Clause("doccode", c, w.doccode) for c in a.codes]
    clauses += [Clause("codes", c, w.codes) for c in a.codes]
    return tuple(c for c in clauses if c.boost > 0)  # a zero boost switches a clause off (ablations)


def _presence(
    unit: tuple[str, ...], terms: str, words: set[str], accented: bool, joins: frozenset[str] = frozenset()
) -> float:
    """1 when the passage holds the unit (a run of syllables); a one-syllable word of an
    accented question found only inside a compound ("pháp" in "pháp_luật") counts
    COMPOUND_CREDIT, unless that compound is spelled out by the question's own adjacent
    syllables (`joins`: "đảng phí", segmented as two words in a question); 0 when absent."""
    if f" {' '.join(unit)} " not in terms:
        return 0.0
    if accented and len(unit) == 1 and unit[0] not in words and not joins & words:
        return COMPOUND_CREDIT
    return 1.0


def _joins(a: Analysis) -> dict[str, frozenset[str]]:
    """Per syllable of the question, the runs of 2-4 adjacent syllables it belongs to, as
    compound words.

    >>> sorted(_joins(analyze("đảng phí đóng"))["phí"])
    ['phí_đóng', 'đảng_phí', 'đảng_phí_đóng']
    """
    sylls = a.sylls
    out: dict[str, set[str]] = {}
    for n in range(2, 5):
        for i in range(len(sylls) - n + 1):
            run = sylls[i : i + n]
            for s in run:
                out.setdefault(s, set()).add("_".join(run))
    return {s: frozenset(r) for s, r in out.items()}


def _missegmented(
    a: Analysis, units: list[tuple[str, ...]], known: Callable[[str], bool]
) -> list[tuple[str, ...]]:
    """Compounds of the question the index does not know, where a run of 2-3 of the
    question's syllables that crosses the compound's edge is a known word: the passages
    segment these syllables another way.

    >>> q = analyze("Đảng phí đóng như thế nào?")
    >>> q.words[:2], _missegmented(q, [("đảng",), ("phí", "đóng")], {"đảng_phí"}.__contains__)
    (('đảng', 'phí_đóng'), [('phí', 'đóng')])
    """
    sylls, start = a.sylls, 0
    spans: dict[tuple[str, ...], tuple[int, int]] = {}
    for w in a.words:
        parts = tuple(w.split("_"))
        spans.setdefault(parts, (start, start + len(parts)))
        start += len(parts)
    out = []
    for u in units:
        if len(u) < 2 or u not in spans or known("_".join(u)):
            continue
        i, j = spans[u]
        crossing = (
            "_".join(sylls[k : k + n])
            for n in (2, 3)
            for k in range(max(0, i - n + 1), min(j, len(sylls) - n + 1))
            if k < i or k + n > j
        )
        if any(known(run) for run in crossing):
            out.append(u)
    return out


def _share(units: list[Unit], parts: dict[tuple[str, ...], tuple[str, ...]]) -> list[Unit]:
    """Syllables split off one compound (`parts`: syllable unit -> compound) share the weight
    the compound would have had, that of its rarest syllable, in proportion to their own.

    >>> _share([(("a",), 1.0), (("b",), 3.0), (("c",), 2.0)], {("a",): ("a", "b"), ("b",): ("a", "b")})
    [(('a',), 0.75), (('b',), 2.25), (('c',), 2.0)]
    """
    weights = dict(units)
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for unit, whole in parts.items():
        if unit in weights:
            groups.setdefault(whole, []).append(unit)
    for members in groups.values():
        scale = max(weights[u] for u in members) / (sum(weights[u] for u in members) or 1.0)
        for u in members:
            weights[u] *= scale
    return [(u, weights[u]) for u, _ in units]


def _named_codes(cols: dict[str, str]) -> set[str]:
    """The document codes a passage names: in its text, its document's title, or its
    document's own code."""
    return set(cols["t_codes"].split()) | set(cols["t_doccode"].split())


SOURCE_RE = re.compile(r"^\s*(?:theo|căn cứ|can cu)\s+([^,?]{3,120}?)\s*,\s*(\S.*)$", re.IGNORECASE | re.DOTALL)


def holds_number(text: str) -> bool:
    """Whether a passage states a number, its leading label aside.

    >>> holds_number("a) Trong thời hạn 30 ngày"), holds_number("hai phần ba số đảng viên")
    (True, True)
    >>> holds_number("12.4.2. Ban kiểm phiếu có nhiệm vụ:")
    False
    """
    return bool(_NUMBER_RE.search(_LABEL_RE.sub("", text, count=1)))


def split_source(question: str) -> tuple[str, str]:
    """Split off a leading "Theo <source>," clause.

    >>> split_source("Theo Bộ luật Hình sự năm 2017, người dưới 18 tuổi có bị phạt tù chung thân không?")
    ('Bộ luật Hình sự năm 2017', 'người dưới 18 tuổi có bị phạt tù chung thân không?')
    >>> split_source("Người vào Đảng phải đủ bao nhiêu tuổi?")
    ('', 'Người vào Đảng phải đủ bao nhiêu tuổi?')
    """
    m = SOURCE_RE.match(question)
    return (m.group(1).strip(), m.group(2)) if m else ("", question)


def typed_missing(missing: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The words a quote lacks, as the asker typed them (without diacritics); a word the
    quote holds with other marks is not lacking to the asker.

    >>> typed_missing(("đồng", "chương"), "Đảng viên đóng đảng phí")
    ('chuong',)
    """
    folded = f" {' '.join(syllables(fold(text)))} "
    return tuple(w for w in (fold(m) for m in missing) if f" {w} " not in folded)


def shingles(folded: str) -> set[tuple[str, ...]]:
    """3-grams of folded syllables, for spotting near-duplicate passages.

    >>> sorted(shingles("a b c d"))
    [('a', 'b', 'c'), ('b', 'c', 'd')]
    """
    toks = folded.split()
    return set(zip(toks, toks[1:], toks[2:], strict=False)) if len(toks) >= 3 else {tuple(toks)}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    """|a ∩ b| / |a ∪ b|."""
    return len(a & b) / len(a | b) if a and b else 0.0


Unit = tuple[tuple[str, ...], float]  # a run of syllables the answer should contain, its weight
Scored = tuple[Passage, float, float, tuple[str, ...]]  # passage, score, coverage, words it lacks
MAX_MISSING = 3  # question words named as missing from a hit, at most ...
MISSING_SHARE = 0.2  # ... each weighing at least this share of the question


def reading_order(d: Document) -> tuple[bool, str, str, str]:
    """How documents are listed: Party documents (with a code) first, then by date."""
    return (d.code is None, d.date or "", d.title, d.doc_id)


class DocumentCache:
    """The documents of one index generation, loaded on demand (large corpora start fast)."""

    def __init__(self, store: Store, doc_ids: list[str]) -> None:
        self.store = store
        self.ids = frozenset(doc_ids)
        self._cache: dict[str, Document] = {}
        self._ordered: list[Document] | None = None
        self._first: list[Document] | None = None

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, doc_id: str) -> Document:
        doc = self._cache.get(doc_id)
        if doc is None:
            doc = self.store.document(doc_id)
            if doc is None:
                raise KeyError(doc_id)
            self._cache[doc_id] = doc
        return doc

    def get(self, doc_id: str) -> Document | None:
        """A document of this generation, or None."""
        return self[doc_id] if doc_id in self.ids else None

    def first(self, n: int) -> list[Document]:
        """The first `n` documents in the order of `all`, without loading the others."""
        if self._ordered is not None:
            return self._ordered[:n]
        if self._first is None or len(self._first) < n:
            self._first = list(islice((d for d in self.store.all_documents(ordered=True) if d.doc_id in self.ids), n))
        return self._first[:n]

    def all(self) -> list[Document]:
        """Every document: Party documents first, then by date (loaded once, in one query)."""
        if self._ordered is None:
            for doc in self.store.all_documents():
                if doc.doc_id in self.ids:
                    self._cache.setdefault(doc.doc_id, doc)
            docs = [self[d] for d in self.ids]
            self._ordered = sorted(docs, key=reading_order)
        return self._ordered


class Searcher:
    """Answers questions from the current index generation; reloads when it changes."""

    def __init__(
        self, data_dir: Path, engine: str = "tantivy", weights: Weights = Weights(), coord: float = 1.0,
        accents: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.coord = coord  # exponent of the coverage factor (0 switches it off)
        self.min_coverage = MIN_COVERAGE  # below it, the best passage is no answer
        self.accents = accents  # put diacritics back on questions typed without them
        self.reword = True  # also ask a question's everyday phrases in the documents' wording
        self.quantity = QUANTITY_BOOST  # "bao nhiêu / bao lâu / mấy": passages that hold a number first
        self.engine_name = engine
        self.weights = weights
        self.store = Store(self.data_dir)
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._load()

    @classmethod
    def open(cls, data_dir: Path, engine: str = "tantivy") -> Searcher:
        """Open the index in `data_dir`; raises IndexNotFound before the first re-index."""
        return cls(data_dir, engine)

    # -- loading ---------------------------------------------------------------

    def _load(self) -> None:
        gen = current_generation(self.data_dir)
        if gen is None:
            raise IndexNotFound(f"Chưa có chỉ mục tại {self.data_dir}. Hãy chạy: vankien index")
        manifest = read_manifest(gen)
        if manifest.get("schema") != SCHEMA_VERSION:
            raise IndexNotFound(
                f"Chỉ mục tại {self.data_dir} do phiên bản cũ tạo ra. Hãy chạy: vankien index "
                "(chỉ dựng lại chỉ mục, không phân tích lại văn bản)"
            )
        doc_ids = list(dict.fromkeys(manifest["files"].values()))
        engine: Engine
        if self.engine_name == "rank-bm25":
            engine = RankBM25Engine(self.store.passage_terms(doc_ids))
        else:
            engine = TantivyEngine(gen)
        self.options = Options(**manifest.get("analysis", {}))
        # the administrators' everyday wording (corpus/synonyms.yaml, read at re-index)
        self.synonyms = tuple(tuple(g) for g in manifest.get("synonyms", []))
        self.engine, self.docs, self._gen_dir = engine, DocumentCache(self.store, doc_ids), gen
        self._restorer: tuple[Restorer | None] | None = None  # read on the first question
        self._places: Places | None = None  # read on the first question that names a place
        self._generation = gen.name

    @property
    def restorer(self) -> Restorer | None:
        """The accent restorer of the current generation, or None when it has no accents file."""
        with self._lock:
            if self._restorer is None:
                engine, held = self.engine, read_syllables(self._gen_dir / ACCENTS_FILE)
                self._restorer = (Restorer(
                    lambda s: engine.doc_freq("sylls", s), lambda x, y: engine.doc_freq("sylls2", f"{x}_{y}"),
                    engine.num_docs, variants(held), language_words,
                ) if held else None,)
            return self._restorer[0]

    @property
    def places(self) -> Places:
        """The structural labels of the passages ("Điều 8, điểm 8.1"), for questions that name one."""
        with self._lock:
            if self._places is None:
                self._places = Places(self.store.labelled())
            return self._places

    def reload_if_changed(self) -> bool:
        """Switch to a newer index generation if a re-index swapped one in."""
        try:
            name = (index_root(self.data_dir) / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return False
        if name == self._generation:
            return False
        with self._lock:
            if name != self._generation:
                self._load()
        return True

    # -- asking ----------------------------------------------------------------

    def ask(self, question: str, k: int = 3, offset: int = 0, within: Collection[str] | None = None) -> Answer:
        """The best passages for a question, or a clear "no answer"; only from the documents
        `within` (doc ids) when given: a chat's scope."""
        question = (question or "").strip()
        if not any(ch.isalnum() for ch in question):
            return Answer(query=question, answered=False, reason="empty")
        if len(question) > MAX_QUESTION_CHARS:
            return Answer(query=question[:MAX_QUESTION_CHARS], answered=False, reason="too_long")
        self.reload_if_changed()
        engine, docs = self.engine, self.docs
        read_as = self.read_as(question)
        plain = read_as is not None and fold(question) == question.lower()  # typed wholly without diacritics
        place, rest = find_places(read_as or question)
        ranked: list[tuple[Passage, float, tuple[str, ...]]] = []
        also: tuple[Analysis, ...] = ()
        if place:
            a, ranked = self._located(place, rest, engine, docs, within)
            if not ranked and not self._units(a, engine):  # "Điều 99 Quy định 294": nothing else asked
                reason = "unknown_code" if a.codes and not self._code_known(a, engine) else "unknown_place"
                return Answer(question, False, reason=reason, suggestions=self.suggestions(), read_as=read_as)
        if not ranked:
            a, source = self._analyze(read_as or question)
            also = self._reworded(read_as or question)
            ranked = self._rank(a, engine, docs, source, limit=offset + k + 1, within=within, also=also)  # +1: more?
        if not ranked:
            reason = "unknown_code" if a.codes and not self._code_known(a, engine) else "no_match"
            return Answer(question, False, reason=reason, suggestions=self.suggestions(), read_as=read_as)
        window = ranked[offset : offset + k]
        matcher = Matcher(a, lambda t: self._idf(engine, "folds" if not a.accented else "sylls", t), also)
        hits = tuple(
            self._hit(i, score, p, docs, matcher, typed_missing(missing, p.text) if plain else missing)
            for i, (p, score, missing) in enumerate(window, offset + 1)
        )
        return Answer(question, bool(hits), hits=hits, total=len(ranked), read_as=read_as)

    def _located(
        self, place: Place, rest: str, engine: Engine, docs: DocumentCache, within: Collection[str] | None = None
    ) -> tuple[Analysis, list[tuple[Passage, float, tuple[str, ...]]]]:
        """The analysis of the rest of a question that names a place ("Điều 8 Quy định 294"),
        and the passages at that place, in the document it names if it names one: those
        covering more of the rest first, then in reading order. A place named without its
        document, in a question none of those passages answers well enough ("Theo Điều 14
        Bộ luật dân sự, …" of a corpus whose Điều 14 is another document's), gives none: the
        question is then searched as typed."""
        a, _ = self._analyze(rest)
        rows = [(pid, d) for pid, d in self.places.find(place) if d in docs and (within is None or d in within)]
        if a.codes:
            wanted = set(a.codes)
            rows = [(pid, d) for pid, d in rows if wanted & set(find_codes(docs[d].code or ""))]
        found = self.store.passages_with_columns([pid for pid, _ in rows], COVERAGE_COLUMNS)
        cands = [found[pid] for pid, _ in rows if pid in found]
        scores: dict[str, float] = {}
        if cands and self._units(a, engine):  # BM25 within the place, times coverage, as `_candidates`
            coverage = self._coverage(a, engine, cands)
            stored = [{"passage_id": p.passage_id, **cols} for p, cols in cands]
            bm25 = score_rows(stored, build_query(a, self.weights), lambda f, t: self._idf(engine, f, t))
            scores = {pid: s * coverage[pid][0] ** self.coord for pid, s in bm25.items()}
            if not a.codes and max(c for c, _ in coverage.values()) < self.min_coverage:
                return a, []
        ranked = sorted(
            ((p, scores.get(p.passage_id, 0.0)) for p, _ in cands),
            key=lambda c: (-c[1], reading_order(docs[c[0].doc_id]), c[0].ordinal),
        )
        return a, [(p, score, ()) for p, score in ranked]  # asked for by place: no word is "missing"

    def rank(self, question: str, k: int = 10) -> list[tuple[str, float]]:
        """The ranking alone, for evaluations: top-k (passage_id, score) without the
        "no answer" cut."""
        text = self.read_as(question) or question
        a, source = self._analyze(text)
        cands = self._candidates(a, self.engine, self.docs, source, also=self._reworded(text))
        return [(p.passage_id, s) for p, s, _, _ in islice(cands, k)]

    def read_as(self, question: str) -> str | None:
        """The question with the diacritics it was typed without put back, wholly or in
        part (None when that changes nothing): accented, it finds words and phrases that
        folded syllables cannot tell apart ("đảng" from "đang")."""
        if not self.accents or not self.options.fold:
            return None
        restorer = self.restorer
        if restorer is None:
            return None
        as_typed, restored = restorer.readings(question)
        if not restorer.respelling or (restored != as_typed and self._quotes_as_typed(as_typed, restored)):
            restored = as_typed
        return restored if restored != normalize(question) else None

    def _quotes_as_typed(self, as_typed: str, mended: str) -> bool:
        """Whether the best passage for a question read as typed holds the words whose marks
        `mended` would change ("tin vắn" in a corpus that has it): then they were meant."""
        typed, fixed = syllables(as_typed), syllables(mended)
        if len(typed) != len(fixed):
            return False
        changed = {t for t, f in zip(typed, fixed, strict=True) if t != f}
        a, source = self._analyze(as_typed)
        best = next(iter(self._candidates(a, self.engine, self.docs, source)), None)
        return best is not None and changed <= set(syllables(normalize(best[0].text)))

    def _analyze(self, question: str) -> tuple[Analysis, QuerySpec]:
        """The question's analysis, and title clauses for a source it names up front
        ("Theo Bộ luật Hình sự, ..."): those words say where to look, not what to find."""
        source, body = split_source(question)
        a = analyze(body, question=True, options=self.options)
        if not source:
            return a, ()
        s = analyze(source, question=True, options=self.options)
        terms = (s.words if s.accented else s.folds)
        stop = STOPWORDS if s.accented else STOP_FOLDS
        clauses = tuple(Clause("title", t, self.weights.title) for t in dict.fromkeys(terms) if t not in stop)
        return replace(a, codes=tuple(dict.fromkeys(a.codes + s.codes))), clauses

    def _reworded(self, question: str) -> tuple[Analysis, ...]:
        """The analysis of the question said in the documents' wording ("bố mẹ" -> "cha mẹ",
        `index.text.reworded`), when that differs: asked beside the question itself."""
        text = reworded(question, self.synonyms) if self.reword else None
        return (self._analyze(text)[0],) if text else ()

    def _hit(
        self, rank: int, score: float, p: Passage, docs: DocumentCache, matcher: Matcher, missing: tuple[str, ...]
    ) -> Hit:
        excerpt, marks = make_excerpt(p.text, matcher)
        if opens_list(p.text) and not excerpt.endswith(ELLIPSIS):  # "… các trường hợp sau:"
            excerpt = with_list(excerpt, [q.text for q in self._list_after(p)])
            marks = merge_marks(matcher.spans(excerpt), excerpt)
        return Hit(rank, score, docs[p.doc_id], p, excerpt, marks, missing)

    def _list_after(self, p: Passage) -> list[Passage]:
        """The passages that carry on the list a passage opens: those after it at its own
        place ("điểm 10.2.2" -> "điểm 10.2.2 a)", "b)" …), or the next one when the passage
        has no structural place ("đoạn 11/15")."""
        after = self.store.following(p.doc_id, p.ordinal, LIST_ITEMS)
        place = p.location or ""
        if not place or place.startswith("đoạn "):
            return after[:1]

        def within_place(q: Passage) -> bool:  # "điểm 1.1 a)" is within "điểm 1.1"; "điểm 1.10" is not
            loc = q.location or ""
            return loc.startswith(place) and not loc[len(place) : len(place) + 1].isdigit()

        return list(takewhile(within_place, after))

    def _rank(
        self, a: Analysis, engine: Engine, docs: DocumentCache, source: QuerySpec = (), limit: int = CANDIDATES,
        within: Collection[str] | None = None, also: tuple[Analysis, ...] = (),
    ) -> list[tuple[Passage, float, tuple[str, ...]]]:
        """Up to `limit` candidates that cover enough of the question (the first must cover
        more), each with the question words it lacks."""
        if a.codes and not self._code_known(a, engine):
            return []
        if not a.codes and all(len(t) == 1 for t in content_terms(a)):  # "a a a", "b)": labels, not a question
            return []
        out: list[tuple[Passage, float, tuple[str, ...]]] = []
        for p, score, coverage, missing in self._candidates(a, engine, docs, source, within, also):
            bar = MIN_COVERAGE_OTHERS if out or a.codes else self.min_coverage
            if coverage >= bar:
                out.append((p, score, missing))
                if len(out) >= limit:
                    break
        return out

    def _candidates(
        self, a: Analysis, engine: Engine, docs: DocumentCache, source: QuerySpec = (),
        within: Collection[str] | None = None, also: tuple[Analysis, ...] = (),
    ) -> Iterator[Scored]:
        """BM25 candidates rescored by how much of the question they cover (a coordination
        factor, as Lucene's classic `coord`), the named document first, duplicates collapsed
        (lazily: a reply reads only the first few). Other readings of the question (`also`)
        are ranked too, and a passage keeps its best score of all."""
        best: dict[str, Scored] = {}
        folded: dict[str, str] = {}
        for reading in (a, *also):
            scored, terms = self._scored(reading, engine, docs, source, within)
            folded.update(terms)
            for cand in scored:
                if cand[0].passage_id not in best or cand[1] > best[cand[0].passage_id][1]:
                    best[cand[0].passage_id] = cand
        ranked = sorted(best.values(), key=lambda c: -c[1])
        return self._collapse(self._codes_first(a, ranked, docs), folded)

    def _scored(
        self, a: Analysis, engine: Engine, docs: DocumentCache, source: QuerySpec = (),
        within: Collection[str] | None = None,
    ) -> tuple[list[Scored], dict[str, str]]:
        """One reading's BM25 candidates, each times its coverage of the question (and, for
        a question asking how many or how long, by QUANTITY_BOOST when it holds a number),
        and their folded terms (for `_collapse`)."""
        found = engine.search(build_query(a, self.weights) + source, CANDIDATES, within)
        rows = self.store.passages_with_columns([pid for pid, _ in found], COVERAGE_COLUMNS)
        cands = [(rows[pid], s) for pid, s in found if pid in rows and rows[pid][0].doc_id in docs]
        if a.codes:  # a question about "Chỉ thị 05": passages that never name it are not about it
            wanted = set(a.codes)
            about = [((p, cols), s) for (p, cols), s in cands if wanted & _named_codes(cols)]
            cands = about or cands
        coverage = self._coverage(a, engine, [(p, cols) for (p, cols), _ in cands])
        scored = [
            (p, s * coverage[p.passage_id][0] ** self.coord, *coverage[p.passage_id]) for (p, _), s in cands
        ]
        if self.quantity and a.accented and QUANTITY_WORDS & set(a.words):
            scored = [(p, s * (1 + self.quantity) if holds_number(p.text) else s, c, m) for p, s, c, m in scored]
        return scored, {p.passage_id: cols["t_folds"] for (p, cols), _ in cands}

    def _code_known(self, a: Analysis, engine: Engine) -> bool:
        return any(engine.doc_freq("doccode", c) or engine.doc_freq("codes", c) for c in a.codes)

    def _codes_first(self, a: Analysis, cands: list[Scored], docs: DocumentCache) -> list[Scored]:
        """Passages of the document a question names by code go first (stable); passages
        that only mention the code are helped by the query's code clauses."""
        if not a.codes:
            return cands
        wanted = set(a.codes)

        def named(p: Passage) -> bool:
            code = docs[p.doc_id].code
            return bool(code and wanted & set(find_codes(code)))

        return sorted(cands, key=lambda c: not named(c[0]))

    def _collapse(self, cands: list[Scored], folded: dict[str, str]) -> Iterator[Scored]:
        """Skip passages nearly identical (folded 3-gram Jaccard) to a better one; overlaps
        are counted through an inverted index of the kept passages' shingles."""
        sizes: list[int] = []
        owners: dict[tuple[str, ...], list[int]] = {}
        for cand in cands:
            sh = shingles(folded.get(cand[0].passage_id) or fold(cand[0].text))
            overlap: dict[int, int] = {}
            for gram in sh:
                for i in owners.get(gram, ()):
                    overlap[i] = overlap.get(i, 0) + 1
            if any(n / (len(sh) + sizes[i] - n) >= DUPLICATE_JACCARD for i, n in overlap.items()):
                continue
            for gram in sh:
                owners.setdefault(gram, []).append(len(sizes))
            sizes.append(len(sh))
            yield cand

    def _idf(self, engine: Engine, field: str, term: str) -> float:
        return idf(engine.num_docs, engine.doc_freq(field, term))

    def _coverage(
        self, a: Analysis, engine: Engine, passages: list[tuple[Passage, dict[str, str]]]
    ) -> dict[str, tuple[float, tuple[str, ...]]]:
        """Per passage, the idf-weighted share of the question's units it contains
        (in its text or its title and headings), codes included; and the question's words
        it lacks (a word found only inside a longer one, "chương" in "chương trình", is
        lacking), the weightiest first."""
        units = self._units(a, engine)
        joins = _joins(a) if a.accented else {}
        codes = [(c, idf(engine.num_docs, engine.doc_freq("codes", c))) for c in a.codes]
        column = "t_sylls" if a.accented else "t_folds"
        total = sum(w for _, w in units) + sum(w for _, w in codes) or 1.0
        out = {}
        for p, c in passages:
            have = f" {c[column]} {c['t_title'].replace('_', ' ')} "
            words = set(c["t_words"].split()) | set(c["t_title"].split())
            named = _named_codes(c)
            presence = [(u, w, _presence(u, have, words, a.accented, joins.get(u[0], frozenset()))) for u, w in units]
            found = sum(w * x for _, w, x in presence)
            found += sum(w for code, w in codes if code in named)
            # a lacking word is named when it is a real part of the question (by weight);
            # the pairs of an unaccented question are not words of it
            lacking = sorted(
                (x for x in presence if x[2] < 1 and x[1] >= MISSING_SHARE * total and (a.accented or len(x[0]) == 1)),
                key=lambda x: -x[1],
            )
            out[p.passage_id] = (found / total, tuple(" ".join(u) for u, _, _ in lacking[:MAX_MISSING]))
        return out

    def _units(self, a: Analysis, engine: Engine) -> list[Unit]:
        """What a passage must contain to answer: the question's content words as syllable
        runs (accented), or its folded syllables and adjacent pairs (unaccented), by idf."""
        units: list[tuple[str, ...]]
        parts: dict[tuple[str, ...], tuple[str, ...]] = {}
        if a.accented:
            words = dict.fromkeys(w for w in a.words if w not in STOPWORDS)
            units = [tuple(w.split("_")) for w in words]
            # A compound the index never holds, overlapped by one it does hold ("phí_đóng" in
            # "Đảng phí đóng như thế nào?", where passages say "đóng đảng phí"), is the
            # question's segmentation going astray: its syllables count one by one, sharing
            # the compound's weight.
            unseen = _missegmented(a, units, lambda w: engine.doc_freq("words", w) > 0)
            parts = {(s,): u for u in unseen for s in u if (s,) not in units}
            units = list(dict.fromkeys(v for u in units for v in ([(s,) for s in u] if u in unseen else [u])))
            field = "sylls"
        else:
            content = content_terms(a)
            units = [(t,) for t in content]
            units += _pairs(a.folds, set(content))
            field = "folds"
        if a.codes:  # "Quy định 294": the kind word is part of naming the code
            kinds = {c.split("-")[1] for c in a.codes}
            units = [u for u in units if not kinds & set(KIND_WORDS.get(" ".join(fold(t) for t in u), ()))]
        return _share(self._weigh(engine, field, units, a), parts)

    def _weigh(self, engine: Engine, field: str, units: list[tuple[str, ...]], a: Analysis) -> list[Unit]:
        """A word of an accented question weighs the idf of its rarest pair of adjacent
        syllables (how rare the word itself is, not its parts: "thực hành" is rare where
        "thực" and "hành" are common), and a word whose syllables the corpus holds but never
        together ("nghi thức") weighs the most: no passage says it, and one lacking it does
        not answer. Other units (one syllable; the folded pairs of an unaccented question)
        weigh the idf of their rarest syllable. A syllable the corpus has never seen weighs
        UNKNOWN_NAME times the most when written as a name ("NASA"): it cannot be ignored by
        a partial match; otherwise (likely a typo, "bao nhiu") as an average word."""
        whole = a.accented  # units are words, not pairs standing in for phrases

        def df_of(u: tuple[str, ...]) -> int:
            if whole and len(u) > 1:
                return min(engine.doc_freq(f"{field}2", f"{x}_{y}") for x, y in zip(u, u[1:], strict=False))
            return min(engine.doc_freq(field, t) for t in u)

        dfs = {u: df_of(u) for u in units}
        weights = {u: idf(engine.num_docs, df) for u, df in dfs.items()}
        known = [w for u, w in weights.items() if dfs[u]]
        typical = sum(known) / len(known) if known else 1.0
        for u, df in dfs.items():
            if df == 0 and (len(u) == 1 or not whole or not all(engine.doc_freq(field, t) for t in u)):
                weights[u] = weights[u] * UNKNOWN_NAME if set(u) & set(a.names) else typical
        return [(u, weights[u]) for u in units]

    # -- documents -----------------------------------------------------------------

    def passage(self, passage_id: str) -> tuple[Document, Passage] | None:
        """A passage and its document, by id (for "Toàn văn"); a passage that opens a list
        ("… các trường hợp sau:") comes with the list, whose items are passages of their own."""
        p = self.store.passages([passage_id]).get(passage_id)
        if p is None:
            return None
        if opens_list(p.text):
            p = replace(p, text="\n".join([p.text, *(q.text for q in self._list_after(p))]))
        doc = self.docs.get(p.doc_id) or self.store.document(p.doc_id)
        return (doc, p) if doc else None

    def documents(self) -> list[Document]:
        """The documents of the current index: Party documents first, then by date."""
        self.reload_if_changed()
        return self.docs.all()

    def find_documents(self, query: str) -> list[Document]:
        """Documents by code (any spelling) or by words of the title or file name."""
        docs = self.documents()
        codes = set(find_codes(query))
        if codes:
            by_code = [d for d in docs if d.code and codes & set(find_codes(d.code))]
            if by_code:
                return by_code
            # a code no document bears: only documents whose title names it ("Chỉ thị 05")
            docs = [d for d in docs if codes & set(find_codes(f"{d.title} {d.slug}"))]
        words = [w for w in fold(query).split() if w not in STOP_FOLDS]
        if not words:
            return []
        def score(d: Document) -> int:
            hay = fold(" ".join(filter(None, [d.title, d.code, d.slug, d.issuer, d.publisher])))
            return sum(1 for w in words if w in hay)
        scored = [(score(d), d) for d in docs]
        best = max((s for s, _ in scored), default=0)
        return [d for s, d in scored if s == best and s >= max(1, len(words) // 2)]

    def suggestions(self, n: int = 3) -> tuple[str, ...]:
        """What the corpus does know: titles of its main documents."""
        self.reload_if_changed()
        docs = self.docs.first(n)
        return tuple((f"{d.code} – {d.title}" if d.code else d.title) for d in docs)

    def examples(self, n: int = 3) -> list[str]:
        """Example questions that this corpus really answers."""
        return [q for q in EXAMPLE_QUESTIONS if self.ask(q).answered][:n]

    def stats(self) -> dict[str, int | str | None]:
        """Counts for `vankien stats` and /start."""
        return {
            "generation": self._generation,
            "documents": len(self.docs),
            "passages": self.engine.num_docs,
            "engine": self.engine_name,
        }
