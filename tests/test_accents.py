"""Questions typed without diacritics: the accents are put back from the index's own
syllable counts, and the reply says how the question was read."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures_ingest import VI_TEXT

from index.accents import ACCENTS_FILE, DATA_DIR, PRIOR_FILE, news_prior, read_prior, read_syllables
from index.bulk import Record, build
from index.evaluation import answer_ranker, mistyped, read_table, score_table, typed_without_accents
from index.indexer import current_generation, reindex
from index.search import Ranking, Searcher
from index.text import analyze, fold, unaccented

TABLE = read_table(Path(__file__).parent / "data" / "questions.tsv")
ACCENTED = [r for r in TABLE if r.phrases and fold(r.question) != r.question.lower()]


def test_the_index_keeps_the_accented_syllables_it_holds(shipped_index: Path) -> None:
    syllables = read_syllables(current_generation(shipped_index) / ACCENTS_FILE)
    assert {"đảng", "viên", "nghị", "quyết"} <= syllables
    assert all(fold(s) != s for s in syllables)  # plain spellings need no restoring


@pytest.mark.parametrize("row", ACCENTED, ids=lambda r: r.question[:40])
def test_restoring_changes_only_the_marks(searcher: Searcher, row) -> None:
    typed = unaccented(row.question)
    read_as = searcher.read_as(typed)
    assert read_as is not None and unaccented(read_as) == typed  # same letters, same case


def test_most_syllables_of_the_table_come_back_as_written(searcher: Searcher) -> None:
    right = total = 0
    for row in ACCENTED:
        read_as = searcher.read_as(unaccented(row.question)) or ""
        want, got = analyze(row.question).sylls, analyze(read_as).sylls
        if len(want) == len(got):
            right += sum(a == b for a, b in zip(want, got, strict=True))
        total += len(want)
    assert right / total >= 0.9, f"{right}/{total}"


def test_restoring_answers_unaccented_questions_at_least_as_well(shipped_index: Path, searcher: Searcher) -> None:
    """The table's accented questions, typed without diacritics: with the accents put back
    the bot finds the expected passage at least as often as on folded syllables alone."""
    plain = [replace(r, question=unaccented(r.question)) for r in ACCENTED]
    restored = score_table(plain, answer_ranker(searcher.ask))
    folded = score_table(plain, answer_ranker(Searcher(shipped_index, ranking=Ranking(accents=False)).ask))
    assert restored.p_at_1 >= folded.p_at_1, (restored.misses, folded.misses)
    assert restored.p_at_1 > 0.8, restored.misses


def test_an_unaccented_answer_says_how_it_read_the_question(searcher: Searcher) -> None:
    answer = searcher.ask("Thoi han du bi cua dang vien la bao lau?")
    assert answer.read_as == "Thời hạn dự bị của đảng viên là bao lâu?"
    accented = searcher.ask(answer.read_as)
    assert answer.hits and [h.passage for h in answer.hits] == [h.passage for h in accented.hits]
    assert all(fold(w) == w for h in answer.hits for w in h.missing)  # lacking words as typed


@pytest.mark.parametrize("row", [r for r in TABLE if fold(r.question) != r.question.lower()],
                         ids=lambda r: r.question[:40])
def test_a_question_typed_with_diacritics_is_read_as_typed(searcher: Searcher, row) -> None:
    """Plain words of a well-typed question ("chi bộ", "Quy định 294") are left alone."""
    assert searcher.read_as(row.question) is None


def test_a_question_typed_partly_without_diacritics_gets_the_rest(searcher: Searcher) -> None:
    answer = searcher.ask("nguoi vao Đảng phai du bao nhieu tuổi")
    assert answer.read_as == "người vào Đảng phải đủ bao nhiêu tuổi"
    accented = searcher.ask(answer.read_as)
    assert [h.passage for h in answer.hits] == [h.passage for h in accented.hits]


def test_half_unaccented_questions_are_answered_better_with_restoring(shipped_index: Path, searcher: Searcher) -> None:
    """The table's accented questions with about half their words typed without diacritics."""
    half = [replace(r, question=typed_without_accents(r.question, "half", r.question)) for r in ACCENTED]
    assert sum(r.question != h.question for r, h in zip(ACCENTED, half, strict=True)) > len(half) // 2
    restored = score_table(half, answer_ranker(searcher.ask))
    folded = score_table(half, answer_ranker(Searcher(shipped_index, ranking=Ranking(accents=False)).ask))
    assert restored.p_at_1 > folded.p_at_1, (restored.misses, folded.misses)


@pytest.mark.parametrize(("typed", "read"), [
    ("Đảng viên dư bị được xét công nhận chính thức khi nào?",
     "Đảng viên dự bị được xét công nhận chính thức khi nào?"),
    ("nguời vào Đảng phải đủ bao nhiêu tuổi?", "người vào Đảng phải đủ bao nhiêu tuổi?"),
    ("Đảng viên đóng đăng phí dựa trên cơ sở nào?", "Đảng viên đóng đảng phí dựa trên cơ sở nào?"),
])
def test_mistyped_marks_are_mended_from_the_neighbours(searcher: Searcher, typed: str, read: str) -> None:
    answer = searcher.ask(typed)
    assert answer.read_as == read
    assert [h.passage for h in answer.hits] == [h.passage for h in searcher.ask(read).hits]


def test_mending_marks_answers_mistyped_questions_better(shipped_index: Path, searcher: Searcher) -> None:
    """The table's accented questions, each with the marks of one word mistyped."""
    assert searcher.restorer is not None
    typos = [replace(r, question=mistyped(r.question, r.question, searcher.restorer.spellings)) for r in ACCENTED]
    assert sum(r.question != t.question for r, t in zip(ACCENTED, typos, strict=True)) > len(typos) * 0.9
    as_typed = Searcher(shipped_index)
    assert as_typed.restorer is not None
    as_typed.restorer.respelling = False
    mended = score_table(typos, answer_ranker(searcher.ask))
    unmended = score_table(typos, answer_ranker(as_typed.ask))
    assert mended.p_at_1 > unmended.p_at_1, (mended.misses, unmended.misses)


def test_names_and_words_out_of_the_corpus_are_not_mended(searcher: Searcher) -> None:
    restorer = searcher.restorer
    assert restorer is not None
    assert restorer.respell("hiệu", "dang", "sớm") == "đảng"  # as a word it would be mended ...
    assert searcher.read_as("Có được tặng Huy hiệu Dang sớm không?") is None  # ... not as a name
    assert searcher.read_as("Cách nấu phở bò ngon") is None  # no spelling of "pho" fits "nấu … bò"


def test_abbreviations_keep_their_capitals_and_codes_stay_as_typed(searcher: Searcher) -> None:
    read_as = searcher.read_as("Cac TCCS bao cao ket qua thuc hien Chi thi 05-CT/TW the nao?")
    assert read_as == "Các TCCS báo cáo kết quả thực hiện Chỉ thị 05-CT/TW thế nào?"


def test_without_the_accents_file_questions_are_matched_on_folded_syllables(own_index: Path) -> None:
    (current_generation(own_index) / ACCENTS_FILE).unlink()
    searcher = Searcher.open(own_index)
    answer = searcher.ask("nguoi vao dang phai du bao nhieu tuoi")
    assert answer.read_as is None
    assert answer.answered and "18 tuổi" in answer.hits[0].passage.text


def test_a_reindex_adds_the_syllables_of_new_documents(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    reindex(own_corpus, data)
    before = read_syllables(current_generation(data) / ACCENTS_FILE)
    assert "khướt" not in before
    (own_corpus / "moi.txt").write_text(
        "Hướng dẫn về rèn luyện\n\nĐảng viên mệt khướt vẫn phải sinh hoạt đảng đúng kỳ.\n", encoding="utf-8"
    )
    summary = reindex(own_corpus, data)
    after = read_syllables(current_generation(data) / ACCENTS_FILE)
    assert summary.added == 1 and before | {"khướt"} <= after
    previous = [g for g in current_generation(data).parent.glob("g*") if g != current_generation(data)]
    assert all("khướt" not in read_syllables(g / ACCENTS_FILE) for g in previous)  # not written through a link


def test_a_bulk_build_writes_the_accents_file(tmp_path: Path) -> None:
    build([Record("a", "Quy định", (VI_TEXT,))], tmp_path / "data", workers=1)
    syllables = read_syllables(current_generation(tmp_path / "data") / ACCENTS_FILE)
    assert {s for s in analyze(VI_TEXT).sylls if fold(s) != s} == syllables


def test_restoring_picks_the_spelling_the_neighbours_support(tmp_path: Path) -> None:
    """"dang" is "đang" in "đang công tác" and "Đảng" in "Đảng viên": the pairs decide."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Quy định về đảng viên\n\n"
        + "".join(f"{i}. Đảng viên đang công tác ở cơ sở số {i} phải sinh hoạt đảng.\n\n" for i in range(1, 9)),
        encoding="utf-8",
    )
    reindex(corpus, tmp_path / "data")
    searcher = Searcher.open(tmp_path / "data")
    assert searcher.read_as("dang vien dang cong tac") == "đảng viên đang công tác"


EVERYDAY = [  # words the Party documents seldom use, in questions cadres do ask
    ("ong ay da gia yeu", "ông ấy đã già yếu"),
    ("dang vien gia yeu co duoc mien sinh hoat khong", "đảng viên già yếu có được miễn sinh hoạt không"),
    ("dang vien om dau lau ngay", "đảng viên ốm đau lâu ngày"),
    ("muc phat toi da la bao nhieu", "mức phạt tối đa là bao nhiêu"),
    ("muc luong toi da", "mức lương tối đa"),
    ("toi bi om", "tôi bị ốm"),
]


@pytest.mark.parametrize(("typed", "read"), EVERYDAY)
def test_everyday_words_come_back_from_the_news_prior(shipped_index: Path, searcher: Searcher,
                                                      typed: str, read: str) -> None:
    """The corpus alone reads "gia yêu", "mục phát tôi đã", "om"; the news counts beneath it know better."""
    assert searcher.read_as(typed) == read
    corpus_only = Searcher(shipped_index)
    assert corpus_only.restorer is not None
    corpus_only.restorer.background = None  # the ablation: the corpus's counts alone
    assert corpus_only.read_as(typed) != read


def test_the_news_prior_ships_small_and_names_its_source() -> None:
    path = DATA_DIR / PRIOR_FILE
    assert path.stat().st_size < 4_000_000
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = [next(lines) for _ in range(2)]
    assert "VNTC" in header[0] and "scripts/build_syllable_model.py" in header[1]
    prior = news_prior()
    assert prior is not None and prior.follows("già", "yếu") > 10 * prior.follows("gia", "yếu")
    assert "già" in prior.spellings["gia"] and prior.share("và") > prior.share("già") > 0


def test_the_prior_is_rebuilt_byte_for_byte_from_the_same_news(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl.gz"
    article = {"id": "1", "split": "Train", "category": "Xa hoi", "title": "Người già yếu",
               "paragraphs": ["Ông ngoại em già yếu rồi, năm 2009 đã qua đời."]}
    with gzip.open(news, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(article, ensure_ascii=False) + "\n" for _ in range(6))
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_syllable_model.py"
    for name in ("a.tsv.gz", "b.tsv.gz"):
        subprocess.run([sys.executable, str(script), "--vntc", str(news), "--out", str(tmp_path / name)],
                       check=True, capture_output=True)
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()
    prior = read_prior(tmp_path / "a.tsv.gz")
    assert prior.total == 6 * 13 and prior.follows("già", "yếu") == 1.0
    assert prior.follows("rồi", "năm") == prior.follows("năm", "đã") == 0.0  # a comma, a number between them
