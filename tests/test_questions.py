"""The shipped-corpus question table: executable documentation of what the bot answers.

Each row of `tests/data/questions.tsv` names a question and a phrase its top passage must
contain; questions outside the corpus must get no answer. The product target is
P@1 >= 0.95; measured 0.918 (45/49) when this floor was set, so the test guards against
regressions below 0.90 (see scripts/question_table.py for the report beside the naive
anchor, and docs/quality.md for the misses).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.engine import Clause
from index.evaluation import answer_ranker, contains, read_table, score_table
from index.excerpt import LIST_CHARS, opens_list
from index.models import Confidence
from index.search import Ranking, Searcher, Weights, build_query, holds_number
from index.text import analyze, content_terms, find_codes, fold, normalize, reworded

TABLE = read_table(Path(__file__).parent / "data" / "questions.tsv")
OUT_OF_CORPUS = [r for r in TABLE if not r.phrases]
REGRESSION_FLOOR = 0.90  # target 0.95, measured 0.918
# Question sets written blind from the passages (docs/quality.md, "Blind question sets"):
# measured 0.755 (dev) and 0.782 (test) when these floors were set.
BLIND = {"dev": 0.70, "test": 0.72}


def test_table_is_big_and_varied() -> None:
    kinds = {r.kind for r in TABLE}
    assert len(TABLE) >= 40 and {"fact", "code", "plain", "abbr", "none"} <= kinds


def test_p_at_1_over_the_table(searcher: Searcher) -> None:
    score = score_table(TABLE, answer_ranker(searcher.ask))
    assert score.p_at_1 >= REGRESSION_FLOOR, f"P@1 {score.p_at_1:.3f}; misses: {score.misses}"
    assert score.r_at_3 >= score.p_at_1


@pytest.mark.parametrize("row", OUT_OF_CORPUS, ids=lambda r: r.question)
def test_out_of_corpus_questions_get_no_answer(searcher: Searcher, row) -> None:
    """Never dressed up as an answer: at most the nearest passages under a warning, or
    nothing, with what the corpus does know instead."""
    answer = searcher.ask(row.question)
    assert not answer.answered and answer.confidence is not Confidence.ANSWER
    assert bool(answer.hits) == (answer.confidence is Confidence.RELATED)
    assert answer.hits or answer.suggestions


@pytest.mark.parametrize("row", [r for r in TABLE if r.kind == "code"], ids=lambda r: r.question)
def test_code_questions_quote_the_named_document_first(searcher: Searcher, row) -> None:
    from index.text import find_codes

    answer = searcher.ask(row.question)
    wanted = set(find_codes(row.question))
    named = [d for d in searcher.documents() if d.code and wanted & set(find_codes(d.code))]
    if named:
        assert answer.hits[0].document in named
    else:  # no such document: the top passage or its document's title mentions the code
        top = answer.hits[0]
        assert wanted & set(find_codes(top.passage.text + " " + top.document.title))


def test_unaccented_question_finds_the_same_passage(searcher: Searcher) -> None:
    accented = searcher.ask("Người vào Đảng phải đủ bao nhiêu tuổi?")
    plain = searcher.ask("nguoi vao dang phai du bao nhieu tuoi")
    assert accented.hits[0].passage.passage_id == plain.hits[0].passage.passage_id


def test_excerpt_is_short_marked_and_cut_at_sentences(searcher: Searcher) -> None:
    for row in TABLE:
        for hit in searcher.ask(row.question).hits:
            listed = opens_list(hit.passage.text)  # the start of the list it opens is quoted after it
            assert len(hit.excerpt) <= 402 + (LIST_CHARS + 2 if listed else 0)
            core = hit.excerpt.split("\n")[0].strip("…") if listed else hit.excerpt.strip("…")
            assert core in hit.passage.text
            assert hit.excerpt.startswith("…") == (not hit.passage.text.startswith(core))
            assert hit.marks, f"nothing marked in the excerpt for {row.question!r}"
            for start, end in hit.marks:
                assert 0 <= start < end <= len(hit.excerpt)


def test_near_duplicates_are_collapsed(searcher: Searcher) -> None:
    from index.rank import jaccard, shingles
    from index.text import analyze

    def folded(text: str) -> set[tuple[str, ...]]:
        return shingles(" ".join(analyze(text).folds))

    hits = searcher.ask("học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", k=10).hits
    for i, a in enumerate(hits):
        for b in hits[i + 1 :]:
            assert jaccard(folded(a.passage.text), folded(b.passage.text)) < 0.7


def test_table_phrases_exist_in_the_corpus(searcher: Searcher) -> None:
    """Guards the tables themselves: every expected phrase is somewhere in the corpus."""
    rows = searcher.store.db.execute("SELECT text FROM passages").fetchall()
    corpus = "\n".join(r[0] for r in rows)
    for row in TABLE + [r for name in BLIND for r in blind_table(name)]:
        if row.phrases:
            assert contains(corpus, row.phrases), row.phrases


def blind_table(name: str) -> list:
    return read_table(Path(__file__).parent / "data" / f"questions_blind_{name}.tsv")


@pytest.mark.parametrize("name", BLIND)
def test_p_at_1_over_the_blind_sets(searcher: Searcher, name: str) -> None:
    rows = blind_table(name)
    assert len(rows) >= 100 and {r.kind for r in rows} == {"fact", "plain", "none"}
    score = score_table(rows, answer_ranker(searcher.ask))
    assert score.p_at_1 >= BLIND[name], f"P@1 {score.p_at_1:.3f}; misses: {score.misses}"


def test_a_question_in_everyday_words_is_asked_in_the_documents_words(searcher: Searcher) -> None:
    """"nộp đảng phí" is what the documents call "đóng đảng phí" (`index.text.SYNONYMS`): the
    question finds the rule on fees, not a passage that happens to say "nộp"; and a passage
    found through the documents' wording is not said to lack the everyday word."""
    everyday = searcher.ask("Nộp đảng phí dựa trên cơ sở nào?")
    assert everyday.hits and contains(everyday.hits[0].passage.text, ["đóng đảng phí trên cơ sở tiền lương"])
    top = everyday.hits[0]
    assert "nộp" not in top.missing
    assert any("đóng" in top.excerpt[a:b].lower() for a, b in top.marks)  # the documents' word is marked
    died = searcher.ask("Đảng viên qua đời có được truy tặng Huy hiệu Đảng không?")
    assert died.hits and "từ trần" in died.hits[0].passage.text and "qua đời" not in died.hits[0].missing
    # the documents' own wording asks once, as before
    assert reworded("Đảng viên đóng đảng phí dựa trên cơ sở nào?") is None


def test_wanting_and_needing_are_how_a_question_is_put() -> None:
    """"Muốn vào Đảng …", "… cần điều kiện gì": the asker's want and need are not what a
    passage must say (a passage lacking "muốn" was named as not mentioning it, and such
    questions fell below the coverage bar)."""
    assert "muốn" not in content_terms(analyze("Muốn vào Đảng cần điều kiện gì?", question=True))
    assert "cần" not in content_terms(analyze("Muốn vào Đảng cần điều kiện gì?", question=True))


def test_unknown_name_is_not_ignored(searcher: Searcher) -> None:
    """Regression: "Ai là người đứng đầu NASA?" was answered with "người đứng đầu" passages."""
    assert not searcher.ask("Ai là người đứng đầu NASA?").answered


def test_a_typo_does_not_lose_the_answer(searcher: Searcher) -> None:
    """Regression: a misspelt question word ("nhiu") weighed like the rarest word and sank
    the answer below the coverage bar."""
    good = searcher.ask("Người vào Đảng phải đủ bao nhiêu tuổi?")
    typo = searcher.ask("Người vào Đảng phải đủ bao nhiu tuổi")
    assert typo.hits and typo.hits[0].passage == good.hits[0].passage


def test_one_syllable_inside_a_compound_is_weak_evidence(searcher: Searcher) -> None:
    """Regression: "nước Pháp" matched passages on "nước" and the "pháp" of "pháp luật"."""
    assert not searcher.ask("Thủ đô của nước Pháp là gì?").answered


def test_a_question_segmented_unlike_the_passages_is_still_answered(searcher: Searcher) -> None:
    """Regression: "Đảng phí đóng như thế nào?" is segmented "đảng | phí_đóng", a word no
    passage holds ("đóng đảng phí" is "đóng | đảng_phí"), so the coverage bar refused it."""
    question = "Đảng phí đóng như thế nào?"
    words = analyze(question, question=True).words
    unseen = [w for w in words if "_" in w and not searcher.engine.doc_freq("words", w)]
    assert unseen  # the case this test is about: a compound of the question the index never holds
    answer = searcher.ask(question)
    assert answer.hits and "đóng đảng phí" in answer.hits[0].passage.text
    plain = searcher.ask("Đảng viên đóng đảng phí như thế nào?")
    assert answer.hits[0].passage == plain.hits[0].passage


def test_a_hit_names_the_question_words_it_lacks(searcher: Searcher) -> None:
    """"Quy định 294 có bao nhiêu chương?" is answered from passages of 294 that say
    "chương trình", never "chương": the reply must say so rather than pass them off."""
    answer = searcher.ask("Quy định 294 có bao nhiêu chương?")
    assert answer.hits and all(h.missing == ("chương",) for h in answer.hits)
    assert not searcher.ask("Người vào Đảng phải đủ bao nhiêu tuổi?").hits[0].missing


@pytest.mark.parametrize("row", [r for r in TABLE if r.phrases], ids=lambda r: r.question[:40])
def test_words_named_as_lacking_are_not_in_the_passage(searcher: Searcher, row) -> None:
    for h in searcher.ask(row.question).hits:
        words = set(analyze(h.passage.text).words)
        words |= {fold(w) for w in words}  # an unaccented question's words are named as typed
        assert not [w for w in h.missing if w.replace(" ", "_") in words]


def test_every_hit_of_a_code_question_is_about_that_document(searcher: Searcher) -> None:
    """Regression: "Chỉ thị 05 yêu cầu gì?" also quoted passages of other documents that
    share only the word "yêu cầu"."""
    answer = searcher.ask("Chỉ thị 05 yêu cầu gì?")
    assert answer.answered and len(answer.hits) > 1
    for hit in answer.hits:
        named = find_codes(" ".join(filter(None, [hit.document.code, hit.document.title, hit.passage.text])))
        assert "5-ct" in named, hit.passage.location


def test_a_source_named_up_front_says_where_to_look(searcher: Searcher) -> None:
    """"Theo <văn bản>, <câu hỏi>": the source steers to its document; the rest is the question."""
    answer = searcher.ask("Theo hướng dẫn 06-HD/TW, đảng viên bị bệnh nặng có được tặng Huy hiệu Đảng sớm không?")
    assert answer.answered and answer.hits[0].document.code == "06-HD/TW"
    assert "bệnh nặng" in answer.hits[0].passage.text


def test_question_phrases_are_pair_terms_stopwords_included() -> None:
    """A phrase with a stopword inside ("xóa tên trong danh sách") is asked for as it is
    written: "tên trong" and "trong danh" are pairs (weaker), "danh sách" a content pair."""
    spec = build_query(analyze("Những trường hợp nào bị xóa tên trong danh sách đảng viên?"))
    pairs = {c.term: c.boost for c in spec if c.field == "sylls2"}
    assert pairs["tên_trong"] == pairs["trong_danh"] == Weights().stop_pair
    assert pairs["danh_sách"] == pairs["xóa_tên"] == Weights().phrase
    assert "nào_bị" not in pairs  # two stopwords
    assert "tên_danh" not in pairs  # syllables that are not adjacent in the question


def test_pair_terms_find_the_passage_that_keeps_the_stopword(searcher: Searcher) -> None:
    """The engine matches a pair term only where the two syllables stand side by side."""
    found = dict(searcher.engine.search((Clause("sylls2", "tên_trong"),), 50))
    texts = searcher.store.passages(list(found))
    def adjacent(text: str) -> bool:
        toks = re.findall(r"\w+", normalize(text).lower())
        return ("tên", "trong") in set(zip(toks, toks[1:], strict=False))

    assert found and all(adjacent(p.text) for p in texts.values())


def test_the_kind_word_of_a_named_code_is_not_content() -> None:
    """"Quy định 294 … tuổi đời": "quy định" names the document (the code clauses find it);
    as a content word it would pull up every passage that cites some regulation."""
    spec = build_query(analyze("Quy định 294-QĐ/TW nói gì về tuổi đời của người vào Đảng?"))
    words = {c.term for c in spec if c.field == "words"}
    pairs = {c.term for c in spec if c.field == "sylls2"}
    assert "tuổi_đời" in words and "quy_định" not in words
    assert not any(p.startswith(("quy_", "định_")) or p.endswith(("_quy", "_định")) for p in pairs)
    plain = build_query(analyze("Người vào Đảng phải đủ quy định gì?"))  # no code named: a word like any other
    assert "quy_định" in {c.term for c in plain if c.field == "words"}


def test_suggestions_name_the_first_documents_without_loading_all(shipped_index: Path) -> None:
    """An unanswered question suggests the first documents of the list (Party documents
    first), read with one ordered query rather than by loading every document."""
    fresh = Searcher.open(shipped_index)
    suggested = fresh.suggestions(3)
    assert fresh.generation().docs._ordered is None  # the full list was not needed
    listed = fresh.documents()[:3]
    assert suggested == tuple(f"{d.code} – {d.title}" if d.code else d.title for d in listed)
    assert listed[0].code  # a Party document with a code comes first


@pytest.mark.parametrize("noise", ["a a a a", "b)", "x y z", "8"])
def test_letters_alone_are_not_a_question(searcher: Searcher, noise: str) -> None:
    # regression: "a a a a" was answered with passages labelled "a)"
    answer = searcher.ask(noise)
    assert not answer.answered and answer.reason == "no_match"


@pytest.mark.parametrize("engine", ["tantivy", "rank-bm25"])
def test_answers_within_some_documents(shipped_index: Path, engine: str) -> None:
    s = Searcher.open(shipped_index, engine)
    by_code = {d.code: d.doc_id for d in s.documents() if d.code}
    hd, qd = by_code["06-HD/TW"], by_code["294-QĐ/TW"]
    question = "Người vào Đảng phải đủ bao nhiêu tuổi?"
    charter = next(d.doc_id for d in s.documents() if d.kind == "Điều lệ")
    assert {h.document.doc_id for h in s.ask(question, k=5).hits} == {hd, qd, charter}
    assert {h.document.doc_id for h in s.ask(question, k=5, within={hd}).hits} == {hd}
    assert s.ask(question, within={qd}).hits[0].passage.location == "Điều 1, điểm 1.1.1"  # same best
    assert s.ask("Điều 1 Quy định 294", within={hd}).reason == "unknown_place"
    assert s.ask("Điều 1 Quy định 294", within={qd}).answered
    article = s.ask("Điều 8", k=10, within={qd})  # a study group on 294 need not name it
    assert article.hits and all(h.passage.location.startswith("Điều 8") for h in article.hits)
    assert not s.ask(question, within=frozenset()).answered


def test_a_word_the_corpus_never_says_is_not_answered_by_its_parts(searcher: Searcher) -> None:
    """"lương cơ sở" (base salary) is a word no passage holds, though "lương", "cơ sở" and
    "năm 2025" are common: a compound weighs as rare as it is, so a report that mentions
    2025 is no answer (it was, when a word weighed its rarest syllable)."""
    assert not searcher.ask("Lương cơ sở năm 2025 là bao nhiêu?").answered
    assert searcher.ask("Đảng viên đóng đảng phí trên cơ sở tiền lương nào?").answered  # its parts, said


def test_a_quote_that_opens_a_list_goes_on_with_the_list(searcher: Searcher) -> None:
    """"12.4.2. Ban kiểm phiếu có nhiệm vụ:" is a passage of its own, and its points a), b),
    c) are others: quoted alone it answers nothing. The quote goes on with the start of the
    list, and "Toàn văn" gives the whole list."""
    hit = searcher.ask("Ban kiểm phiếu có nhiệm vụ gì?").hits[0]
    opener = hit.passage
    assert opens_list(opener.text)
    items = [q for q in searcher.store.following(opener.doc_id, opener.ordinal, 8)
             if (q.location or "").startswith(opener.location or "?")]
    assert len(items) >= 2
    assert hit.excerpt.startswith(opener.text.strip()) and items[0].text[:60] in hit.excerpt
    assert len(hit.excerpt) <= len(opener.text) + LIST_CHARS + 2
    assert all(0 <= a < b <= len(hit.excerpt) for a, b in hit.marks)
    found = searcher.passage(opener.passage_id)
    assert found is not None and all(q.text in found[1].text for q in items)
    # a passage that opens no list is quoted, and shown whole, as it is
    other = searcher.ask("Người vào Đảng phải đủ bao nhiêu tuổi?").hits[0]
    assert not opens_list(other.passage.text)
    assert searcher.passage(other.passage.passage_id)[1].text == other.passage.text


def test_a_question_asking_how_long_prefers_a_passage_that_says_how_long(searcher: Searcher) -> None:
    """"… dùng được bao lâu?" is answered by a number of months ("Quá 60 tháng, kể từ ngày …
    được cấp Giấy chứng nhận …"), not by the list of papers a file holds, which names the
    certificate too and nothing more (QUANTITY_BOOST)."""
    question = "Giấy chứng nhận lớp nhận thức về Đảng dùng được bao lâu?"
    top = searcher.ask(question).hits[0].passage
    assert holds_number(top.text) and "Giấy chứng nhận" in top.text
    plain = Searcher(searcher.data_dir, ranking=Ranking(quantity=0.0))
    assert plain.ask(question).hits[0].passage.passage_id != top.passage_id  # what the boost changes
    # a question that asks no number is ranked as before
    other = "Giấy chứng nhận lớp nhận thức về Đảng do ai cấp?"
    ids = [[h.passage.passage_id for h in s.ask(other).hits] for s in (plain, searcher)]
    assert ids[0] and ids[0] == ids[1]
