"""The Party Charter in the corpus: its chapters are headings, its citations name the
article and clause, and a question naming an article of "Điều lệ" reads the Charter's."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.render import citation_parts
from index.ingest import parse_file
from index.places import cited
from index.search import Searcher

CHARTER_FILE = Path(__file__).resolve().parent.parent / "corpus" / "dieu-le-dang-2011.txt"


def test_the_charters_chapters_are_headings_not_passages() -> None:
    blocks = parse_file(CHARTER_FILE).blocks
    chapters = [b for b in blocks if b.text.startswith("Chương ")]
    assert len(chapters) == 12
    assert all(b.heading for b in chapters)
    assert [b.location for b in chapters[:2]] == ["Chương I", "Chương II"]


def test_no_passage_of_the_charter_is_a_chapter_title(searcher: Searcher) -> None:
    gen = searcher.generation()
    charter = next(d for d in gen.docs.all() if d.kind == "Điều lệ")
    texts = [r[0] for r in gen.store.db.execute("SELECT text FROM passages WHERE doc_id = ?", [charter.doc_id])]
    assert texts and not [t for t in texts if t.startswith("Chương ")]


def test_a_charter_citation_names_the_article_and_clause(searcher: Searcher) -> None:
    hit = searcher.ask("Các hình thức kỷ luật đối với đảng viên là gì?").hits[0]
    assert hit.passage.location == "Chương VIII, Điều 35, khoản 2"  # the chapter stays in the stored label
    parts = citation_parts(hit.document, hit.passage.location)
    assert (parts[0], parts[-1]) == ("Điều lệ Đảng", "Điều 35, khoản 2")


def test_a_citation_of_another_document_keeps_its_title_and_label() -> None:
    assert cited("Điều 1, điểm 1.1.1") == "Điều 1, điểm 1.1.1"
    assert cited("Chương II, Mục 1, Điều 4") == "Điều 4"


@pytest.mark.parametrize("question", ["Điều 35 Điều lệ", "Điều 35 Điều lệ Đảng", "dieu 35 dieu le dang"])
def test_article_35_of_the_charter_reads_that_article(searcher: Searcher, question: str) -> None:
    answer = searcher.ask(question)
    assert answer.answered
    article_35 = {"Chương VIII, Điều 35, khoản 1", "Chương VIII, Điều 35, khoản 2"}
    assert {h.passage.location for h in answer.hits} <= article_35
    assert {h.document.kind for h in answer.hits} == {"Điều lệ"}


@pytest.mark.parametrize("question", ["Điều 4 Điều lệ", "dieu 4 dieu le dang"])
def test_an_article_294_also_applies_is_read_in_the_charter_when_the_question_names_it(
    searcher: Searcher, question: str
) -> None:
    """Regression: 294's points quoting "Điều 4 Điều lệ Đảng" came first."""
    answer = searcher.ask(question, k=10)
    assert {h.document.kind for h in answer.hits} == {"Điều lệ"}
    assert all(", Điều 4" in (h.passage.location or "") for h in answer.hits)


def test_the_same_article_of_294_is_read_when_the_question_names_294(searcher: Searcher) -> None:
    for question in ("Điều 4 Quy định 294", "Điều 4 Quy định thi hành Điều lệ Đảng"):
        assert {h.document.code for h in searcher.ask(question).hits} == {"294-QĐ/TW"}
