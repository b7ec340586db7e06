"""BM25 engines behind one interface: tantivy (default) and rank-bm25 (reference).

Both index the same analysed terms (space-joined, from the store) and run the same
`QuerySpec`, so their rankings can be compared side by side.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import tantivy

# Analysed fields of a passage, and the store column each one comes from.
FIELDS = {
    "words": "t_words",
    "sylls": "t_sylls",
    "folds": "t_folds",
    "codes": "t_codes",
    "title": "t_title",
    "doccode": "t_doccode",
}
# Adjacent-syllable pairs ("đảng_viên"), indexed as single terms: a phrase of two
# syllables becomes one term lookup, which BM25's top-k pruning (block-max WAND) can skip
# through, where a positional phrase query must score every candidate.
PAIR_FIELDS = {"sylls2": "sylls", "folds2": "folds"}  # pair field -> the field it pairs
SCHEMA_VERSION = 3  # bump when the fields or the files beside them change: a re-index rebuilds them


def pairs(terms: str) -> str:
    """Adjacent pairs of space-separated syllables, as terms.

    >>> pairs("đảng viên dự bị")
    'đảng_viên viên_dự dự_bị'
    """
    toks = terms.split()
    return " ".join(f"{x}_{y}" for x, y in zip(toks, toks[1:], strict=False))


def field_values(row: dict[str, Any]) -> dict[str, str]:
    """Every indexed field's text for a store row of analysed terms."""
    values = {name: row.get(col) or "" for name, col in FIELDS.items()}
    values.update({name: pairs(values[field]) for name, field in PAIR_FIELDS.items()})
    return values


@dataclass(frozen=True)
class Clause:
    """One weighted term of a query, in one field."""

    field: str
    term: str
    boost: float = 1.0


QuerySpec = tuple[Clause, ...]


class Engine(Protocol):
    """What search needs from a BM25 engine."""

    def search(self, query: QuerySpec, k: int, within: Collection[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (passage_id, score), best first; only passages of the documents `within`
        when given."""
        ...

    def doc_freq(self, field: str, term: str) -> int:
        """In how many passages `term` occurs in `field`."""
        ...

    @property
    def num_docs(self) -> int:
        """How many passages are indexed."""
        ...


# --- tantivy ------------------------------------------------------------------


def tantivy_schema() -> tantivy.Schema:
    """Ids stored raw; analysed fields split on whitespace (we analyse ourselves), with
    term frequencies but no positions (phrases are pair terms)."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("passage_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("doc_id", stored=False, tokenizer_name="raw", index_option="basic")
    for name in (*FIELDS, *PAIR_FIELDS):
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    return sb.build()


def tantivy_document(row: dict[str, Any]) -> tantivy.Document:
    """A store row of terms -> a tantivy document."""
    return tantivy.Document(passage_id=row["passage_id"], doc_id=row["doc_id"], **field_values(row))


def write_tantivy(
    path: Path, add: Iterable[dict[str, Any]], delete_doc_ids: Iterable[str] = ()
) -> int:
    """Apply deletions and additions to the tantivy index at `path`, in one commit."""
    schema = tantivy_schema()
    index = tantivy.Index(schema, path=str(path), reuse=True)
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    for doc_id in delete_doc_ids:
        writer.delete_documents_by_term("doc_id", doc_id)
    added = 0
    for row in add:
        writer.add_document(tantivy_document(row))
        added += 1
    writer.commit()
    writer.wait_merging_threads()
    return added


class TantivyEngine:
    """BM25 over a tantivy index directory (memory-mapped, read-only here)."""

    def __init__(self, path: Path) -> None:
        self.schema = tantivy_schema()
        self.index = tantivy.Index.open(str(path))
        self.searcher = self.index.searcher()

    def _query(self, clause: Clause) -> tantivy.Query:
        q = tantivy.Query.term_query(self.schema, clause.field, clause.term)
        return tantivy.Query.boost_query(q, clause.boost) if clause.boost != 1.0 else q

    def search(self, query: QuerySpec, k: int, within: Collection[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (passage_id, score), of the documents `within` when given (a filter that
        adds nothing to the scores)."""
        if not query or (within is not None and not within):
            return []
        should = [(tantivy.Occur.Should, self._query(c)) for c in query]
        q = tantivy.Query.boolean_query(should)
        if within is not None:
            only = tantivy.Query.term_set_query(self.schema, "doc_id", sorted(within))
            q = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, q), (tantivy.Occur.Must, tantivy.Query.const_score_query(only, 0.0))])
        result = self.searcher.search(q, k, count=False)
        docs = self.searcher
        return [(docs.doc(addr)["passage_id"][0], score) for score, addr in result.hits]

    def doc_freq(self, field: str, term: str) -> int:
        """Passages containing `term` in `field`."""
        return int(self.searcher.doc_freq(field, term))

    @property
    def num_docs(self) -> int:
        """Indexed passages."""
        return int(self.searcher.num_docs)


# --- rank-bm25 (reference) -------------------------------------------------------


class RankBM25Engine:
    """rank-bm25 BM25Okapi per field, summed with the same boosts. Slow on large corpora:
    the reference."""

    def __init__(self, rows: Iterable[dict[str, Any]], k1: float = 1.2, b: float = 0.75) -> None:
        from rank_bm25 import BM25Okapi

        self.ids: list[str] = []
        self.doc_ids: list[str] = []
        columns: dict[str, list[list[str]]] = {name: [] for name in (*FIELDS, *PAIR_FIELDS)}
        for row in rows:
            self.ids.append(row["passage_id"])
            self.doc_ids.append(row["doc_id"])
            for name, text in field_values(row).items():
                columns[name].append(text.split())
        self.df = {name: Counter(t for toks in docs for t in set(toks)) for name, docs in columns.items()}
        self.bm25 = {
            name: BM25Okapi(docs, k1=k1, b=b) if any(docs) else None
            for name, docs in columns.items()
        }

    def _scores(self, clause: Clause) -> Any:
        model = self.bm25[clause.field]
        if model is None:
            return None
        return model.get_scores([clause.term]) * clause.boost

    def search(self, query: QuerySpec, k: int, within: Collection[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (passage_id, score), of the documents `within` when given."""
        total = None
        for clause in query:
            s = self._scores(clause)
            if s is not None:
                total = s if total is None else total + s
        if total is None:
            return []
        rows = range(len(self.ids)) if within is None else [i for i, d in enumerate(self.doc_ids) if d in within]
        order = sorted(rows, key=lambda i: -total[i])[:k]
        return [(self.ids[i], float(total[i])) for i in order if total[i] > 0]

    def doc_freq(self, field: str, term: str) -> int:
        """Passages containing `term` in `field`."""
        return self.df[field].get(term, 0)

    @property
    def num_docs(self) -> int:
        """Indexed passages."""
        return len(self.ids)


def score_rows(
    rows: Iterable[dict[str, Any]], query: QuerySpec, idf_of: Callable[[str, str], float],
    k1: float = 1.2, b: float = 0.75,
) -> dict[str, float]:
    """BM25 of a few stored rows for a query, each term weighing `idf_of(field, term)` (the
    whole index's idf; lengths are averaged over these rows): ranks passages chosen by other
    means, as the engine would among them.

    >>> rows = [{"passage_id": "a", "t_sylls": "xoá tên"}, {"passage_id": "b", "t_sylls": "khiếu nại"}]
    >>> score_rows(rows, (Clause("sylls", "nại"),), lambda f, t: 2.0)
    {'a': 0.0, 'b': 2.0}
    """
    fields: dict[str, list[list[str]]] = {name: [] for name in (*FIELDS, *PAIR_FIELDS)}
    ids: list[str] = []
    for row in rows:
        ids.append(row["passage_id"])
        for name, text in field_values(row).items():
            fields[name].append(text.split())
    out = dict.fromkeys(ids, 0.0)
    for clause in query:
        docs = fields[clause.field]
        avg = sum(map(len, docs)) / len(docs) if docs else 0.0
        weight = idf_of(clause.field, clause.term) * clause.boost
        for pid, toks in zip(ids, docs, strict=True):
            tf = toks.count(clause.term)
            if tf:
                out[pid] += weight * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(toks) / (avg or 1.0)))
    return out


def idf(n_docs: int, df: int) -> float:
    """BM25's idf, as tantivy computes it.

    >>> round(idf(100, 1), 3)
    4.21
    """
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
