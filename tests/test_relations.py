"""Relations read from the texts: each rule on sentences of the shipped documents (codes
written both ways), the store's table, and the relations of the shipped corpus."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index import relations
from index.models import Block, Document
from index.relations import Relation, extract, lead_places, sentence_relations
from index.search import Searcher
from index.store import Store

QD294 = Document("qd294", "qd-294", "qd-294.pdf", "Quy định thi hành Điều lệ Đảng", code="294-QĐ/TW",
                 kind="Quy định", issuer="Ban Chấp hành Trung ương", date="2025-05-26")
HD06 = Document("hd06", "hd-06", "hd-06.pdf", "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng",
                code="06-HD/TW", kind="Hướng dẫn", issuer="Ban Bí thư", date="2025-06-09")
CHARTER = Document("charter", "dieu-le", "dieu-le.txt", "Điều lệ Đảng Cộng sản Việt Nam", kind="Điều lệ",
                   issuer="Đại hội đại biểu toàn quốc lần thứ XI", date="2011-01-19")
BAC_GIANG = Document("bg", "002", "002.txt", "Bắc Giang sơ kết 5 năm thực hiện Chỉ thị 05-CT/TW", kind="Bài viết",
                     publisher="dangcongsan.vn")
BAC_NINH = Document("bn", "000", "000.txt", "Bắc Ninh: Hiệu quả việc học và làm theo Bác", kind="Bài viết")
QUANG_BINH = Document("qb", "003", "003.txt", "Đảng bộ Khối các cơ quan tỉnh: Học và làm theo Bác", kind="Bài viết",
                      publisher="Báo Quảng Bình", date="2019-05-22")

# 06-HD/TW's closing paragraph, as the text writes it, and with the code spelled the other way
REPLACES = ("Hướng dẫn này có hiệu lực thi hành kể từ ngày ký và thay thế Hướng dẫn số {code}, ngày 28/9/2021 "
            "của Ban Bí thư khoá XIII; được phổ biến đến chi bộ để thực hiện.")
GUIDES = ("- Căn cứ Quy định số {code}, ngày 26/5/2025 của Ban Chấp hành Trung ương Đảng khoá XIII "
          "về thi hành Điều lệ Đảng;")
CARRIES_OUT = ("Ban Thường vụ Đảng ủy Khối tập trung chỉ đạo cấp ủy cơ sở thực hiện Kết luận số {kl}, ngày 18-5-2021 "
               "của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số {ct} của Bộ Chính trị, chuyên đề toàn khóa XIII")


def kinds(rels: list[Relation]) -> list[tuple[str, str | None]]:
    return [(r.kind, r.to_code) for r in rels]


@pytest.mark.parametrize("code", ["01-HD/TW", "01/HD-TW", "01-HD-TW"])
def test_a_guidance_replaces_the_one_its_closing_names(code: str) -> None:
    assert kinds(sentence_relations(REPLACES.format(code=code), HD06)) == [("replaces", "1-hd-tw")]


@pytest.mark.parametrize("code", ["294-QĐ/TW", "294/QĐ-TW"])
def test_a_guidance_guides_the_regulation_it_is_based_on(code: str) -> None:
    found = sentence_relations(GUIDES.format(code=code), HD06)
    assert kinds(found) == [("guides", "294-qd-tw"), ("applies", None)]  # "… về thi hành Điều lệ Đảng"
    assert found[0].to_name == f"Quy định số {code}"


def test_a_regulation_based_on_the_charter_applies_it() -> None:
    working_rules = "- Căn cứ Quy chế làm việc của Ban Chấp hành Trung ương, Bộ Chính trị và Ban Bí thư khoá XIII;"
    found = extract(QD294, [Block("- Căn cứ Điều lệ Đảng;"), Block(working_rules)])
    assert [(r.kind, r.to_code, r.to_name, r.sentence) for r in found] == [
        ("applies", None, "Điều lệ Đảng", "- Căn cứ Điều lệ Đảng;")]


def test_a_title_that_carries_out_the_charter_applies_it_without_a_sentence_saying_so() -> None:
    assert [(r.kind, r.to_name, r.sentence) for r in extract(QD294, [])] == [
        ("applies", "Điều lệ Đảng", "Quy định thi hành Điều lệ Đảng")]


def test_the_points_of_294_name_the_articles_and_clauses_they_apply() -> None:
    blocks = [Block("- Căn cứ Điều lệ Đảng;"),
              Block("1. Điều 1 (Khoản 2): Tuổi đời và trình độ học vấn của người vào Đảng", "Điều 1, điểm 1", True),
              Block("1.1. Về tuổi đời.", "Điều 1, điểm 1.1", True),
              Block("2. Điều 3: Về quyền của đảng viên", "Điều 3, điểm 2", True),
              Block("2.1. (Khoản 1): Quyền được thông tin của đảng viên.", "Điều 3, điểm 2.1", True),
              Block("c) Thực hiện đúng các thủ tục nêu ở các Khoản 1, 2, 3, Điều 4 Điều lệ Đảng.",
                    "Điều 4, điểm 3.5.1 c)")]
    points = [(r.from_place, r.to_place) for r in extract(QD294, blocks) if r.to_place]
    assert points == [("Điều 1, điểm 1", "Điều 1, khoản 2"), ("Điều 3, điểm 2", "Điều 3"),
                      ("Điều 3, điểm 2.1", "Điều 3, khoản 1"), ("Điều 4, điểm 3.5.1 c)", "Điều 4, khoản 1, 2, 3")]


def test_a_document_that_does_not_apply_the_charter_has_no_article_links() -> None:
    """A report's "1. Điều 5: …" is its own numbering, not the Charter's article."""
    assert lead_places("1. Điều 5: Về quyền", None) == ["Điều 5"]
    found = extract(BAC_GIANG, [Block("1. Điều 5: Về quyền của đảng viên", "điểm 1", True)])
    assert [r for r in found if r.sentence != BAC_GIANG.title] == []  # only what its title carries out


@pytest.mark.parametrize(("kl", "ct"), [("01- KL/TW", "05 -CT/TW"), ("01/KL-TW", "05/CT-TW")])
def test_a_report_carries_out_the_conclusion_and_directive_it_names(kl: str, ct: str) -> None:
    found = extract(BAC_NINH, [Block(CARRIES_OUT.format(kl=kl, ct=ct))])
    assert kinds(found) == [("carries_out", "1-kl-tw"), ("carries_out", "5-ct-tw")]


def test_a_bare_chi_thi_so_05_is_the_05_ct_tw_the_same_text_names() -> None:
    blocks = [Block("Hội nghị sơ kết 5 năm thực hiện Chỉ thị 05-CT-TW của Đảng ủy Khối Doanh nghiệp Tỉnh Bắc Giang."),
              Block("Bắc Giang đã quán triệt Chỉ thị số 05 đến từng chi bộ.")]
    found = extract(BAC_GIANG, blocks)
    assert [(r.kind, r.to_code, r.to_name) for r in found] == [("carries_out", "5-ct-tw", "Chỉ thị 05-CT-TW")]


def test_a_bare_chi_thi_so_05_alone_is_kept_as_the_short_code() -> None:
    untitled = replace(BAC_GIANG, title="Bắc Giang sơ kết 5 năm")  # a title naming the full code completes it
    found = extract(untitled, [Block("Bắc Giang triển khai thực hiện Chỉ thị số 05 đến từng chi bộ.")])
    assert kinds(found) == [("carries_out", "5-ct")]


def test_a_title_states_what_a_report_carries_out() -> None:
    assert kinds(extract(BAC_GIANG, [Block("Tỉnh ủy chỉ đạo các cấp ủy.")])) == [("carries_out", "5-ct-tw")]


def test_receiving_a_directive_only_cites_it() -> None:
    sentence = ("(QBĐT) - Ngay sau khi tiếp thu Chỉ thị số 05-CT/TW, các kế hoạch, hướng dẫn của cấp trên và chuyên đề "
                "hàng năm, Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh đã chủ động triển khai thực hiện.")
    assert kinds(sentence_relations(sentence, QUANG_BINH)) == [("cites", "5-ct-tw")]


def test_the_regulations_a_report_lists_after_carrying_out_are_cited_not_carried_out() -> None:
    """Regression: "… trong thực hiện chức trách nhiệm vụ được giao”; Quy định số 03" read as carrying out 03."""
    sentence = ("ban hành Quy định số 01-QĐ/ĐUK ngày 21-3-2016 “Quy định về trách nhiệm đối với trưởng, phó các ban "
                "trong thực hiện chức trách nhiệm vụ được giao”; Quy định số 03-QĐ/ĐUK ngày 23-10-2018")
    assert kinds(sentence_relations(sentence, QUANG_BINH)) == [("cites", "1-qd-duk"), ("cites", "3-qd-duk")]


def test_a_guidance_cites_what_it_names_as_carried_out_and_never_itself() -> None:
    sentence = ("- Đối với đảng viên được kết nạp vào Đảng từ khi thực hiện Quy định số 29-QĐ/TW, ngày 02/6/1997 "
                "của Bộ Chính trị; Hướng dẫn số 06-HD/TW này")
    assert kinds(sentence_relations(sentence, HD06)) == [("cites", "29-qd-tw")]


def test_the_charter_names_no_document_of_its_own() -> None:
    blocks = [Block("1. Đảng viên … chấp hành nghiêm chỉnh Cương lĩnh chính trị, Điều lệ Đảng, các nghị quyết của "
                    "Đảng và pháp luật của Nhà nước;", "Chương I, Điều 1, khoản 1")]
    assert extract(CHARTER, blocks) == []


def test_metadata_may_state_what_replaces_a_document() -> None:
    assert kinds(relations.stated(HD06, {"replaced_by": "07-HD/TW"})) == [("replaced_by", "7-hd-tw")]
    assert relations.stated(HD06, {}) == []


# --- the store -------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A store holding the Charter, 294, 06 and a report, with their relations resolved."""
    s = Store(tmp_path)
    for doc in (CHARTER, QD294, HD06, BAC_GIANG):
        s.add_document(doc, [], "2025-07-01T00:00:00")
    charter_points = [Block("- Căn cứ Điều lệ Đảng;"),
                      Block("1. Điều 1 (Khoản 2): Tuổi đời và trình độ học vấn của người vào Đảng", "Điều 1, điểm 1",
                            True),
                      Block("1.1. Về tuổi đời.", "Điều 1, điểm 1.1", True),
                      Block("28. Điều 34: Khen thưởng đối với tổ chức đảng và đảng viên", "Điều 34, điểm 28", True)]
    relations.save(s, "qd294", extract(QD294, charter_points))
    relations.save(s, "hd06", extract(HD06, [Block("- Căn cứ Điều lệ Đảng;"), Block(GUIDES.format(code="294-QĐ/TW")),
                                             Block(REPLACES.format(code="01-HD/TW"))]))
    relations.save(s, "bg", extract(BAC_GIANG, [Block("Sơ kết 5 năm thực hiện Chỉ thị 05-CT-TW.")]))
    relations.resolve(s, ["charter", "qd294", "hd06", "bg"])
    return s


def test_relations_point_at_the_documents_the_corpus_holds(store: Store) -> None:
    of_06 = {(x.kind, x.to_code, x.to_doc_id) for x in relations.relations_of(store, "hd06")}
    assert of_06 == {("applies", None, "charter"), ("guides", "294-qd-tw", "qd294"), ("replaces", "1-hd-tw", None)}


def test_a_regulation_knows_who_guides_it_and_what_it_applies(store: Store) -> None:
    links = relations.relations_of(store, "qd294")
    assert [(x.from_doc_id, x.kind) for x in links] == [("qd294", "applies"), ("hd06", "guides")]
    assert [x.to_doc_id for x in relations.applies(store, "qd294")] == ["charter"]


def test_a_charter_article_lists_the_points_applying_it(store: Store) -> None:
    found = relations.applying(store, "charter", "Điều 1")
    assert [(x.from_doc_id, x.from_place, x.to_place) for x in found] == [
        ("qd294", "Điều 1, điểm 1", "Điều 1, khoản 2")]
    assert relations.applying(store, "charter", "Điều 35") == []


def test_a_point_of_294_knows_the_charter_article_it_applies(store: Store) -> None:
    found = relations.applied_at(store, "qd294", "Điều 1, điểm 1.1.1")
    assert [(x.to_doc_id, x.to_place) for x in found] == [("charter", "Điều 1, khoản 2")]
    assert [x.to_place for x in relations.applied_at(store, "qd294", "Điều 34, điểm 28.2")] == ["Điều 34"]
    assert relations.applied_at(store, "hd06", "điểm 1.1") == []


@pytest.mark.parametrize("code", ["05-CT/TW", "05/CT-TW", "Chỉ thị số 05"])
def test_a_code_the_corpus_lacks_lists_the_documents_citing_it(store: Store, code: str) -> None:
    found = relations.cited_by(store, code)
    assert [(x.from_doc_id, x.kind, x.to_doc_id) for x in found] == [("bg", "carries_out", None)]


def test_a_replaced_code_the_corpus_lacks_lists_what_replaces_it(store: Store) -> None:
    assert [(x.from_doc_id, x.kind) for x in relations.cited_by(store, "01-HD/TW")] == [("hd06", "replaces")]
    assert relations.cited_by(store, "01-KL/TW") == []


def test_what_replaces_a_held_document(store: Store) -> None:
    relations.save(store, "bg", relations.stated(BAC_GIANG, {"replaced_by": "294-QĐ/TW"}))
    assert [(x.kind, x.to_code) for x in relations.replaced_by(store, "bg")] == [("replaced_by", "294-qd-tw")]


def test_a_collected_document_version_takes_its_relations_with_it(store: Store) -> None:
    store.delete_documents_except({"charter", "qd294", "hd06"})
    assert relations.cited_by(store, "05-CT/TW") == []
    assert relations.unread(store, ["bg", "hd06"]) == ["bg"]


# --- the shipped corpus ------------------------------------------------------------------------


def test_the_shipped_corpus_relations(searcher: Searcher) -> None:
    gen = searcher.generation()
    by_slug = {d.doc_id: d.slug for d in gen.docs.all()}
    found = {(by_slug[x.from_doc_id], x.kind, x.to_code, by_slug.get(x.to_doc_id or ""))
             for x in relations.all_links(searcher.store, gen.docs) if x.to_place is None}
    assert {
        ("hd-06-hdtw-2025-thi-hanh-dieu-le-dang", "guides", "294-qd-tw", "qd-294-qdtw-2025-thi-hanh-dieu-le-dang"),
        ("hd-06-hdtw-2025-thi-hanh-dieu-le-dang", "replaces", "1-hd-tw", None),
        ("hd-06-hdtw-2025-thi-hanh-dieu-le-dang", "applies", None, "dieu-le-dang-2011"),
        ("qd-294-qdtw-2025-thi-hanh-dieu-le-dang", "applies", None, "dieu-le-dang-2011"),
        ("002_aa4ce6b0e5a98dae", "carries_out", "1-kl-tw", None),
        ("003_0ab88be093ae86a6", "carries_out", "5-ct-tw", None),
        ("000_590cd8ee452ff830", "carries_out", "5-ct-tw", None),
        ("000_590cd8ee452ff830", "carries_out", "1-kl-tw", None),
    } <= found
    assert not any(slug == "dieu-le-dang-2011" for slug, *_ in found)


def test_the_charter_article_on_admission_lists_294s_points(searcher: Searcher) -> None:
    gen = searcher.generation()
    charter = next(d for d in gen.docs.all() if relations.is_charter(d))
    points = relations.applying(searcher.store, charter.doc_id, "Điều 4", gen.docs)
    assert ("Điều 4, điểm 3", "Điều 4") in [(x.from_place, x.to_place) for x in points]
    assert ("Điều 4, điểm 3.1", "Điều 4, khoản 1") in [(x.from_place, x.to_place) for x in points]
    assert {gen.docs[x.from_doc_id].code for x in points} == {"294-QĐ/TW"}


def test_a_replaced_document_ranks_below_and_says_so(tmp_path: Path) -> None:
    """Two guidances give the same rule; the newer states it replaces the older: for the
    question the newer is quoted first, and the older's quote says what replaces it."""
    from index.indexer import reindex

    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    rule = "Đảng viên dự bị được dự sinh hoạt chi bộ và đóng đảng phí hằng tháng theo quy định."
    (corpus / "hd-01.txt").write_text(f"Hướng dẫn về sinh hoạt đảng\n\n{rule}\n", encoding="utf-8")
    (corpus / "hd-02.txt").write_text(
        f"Hướng dẫn mới về sinh hoạt đảng\n\n{rule} Hướng dẫn này thay thế Hướng dẫn số 01-HD/TW.\n",
        encoding="utf-8")
    (corpus / "metadata.yaml").write_text(
        'hd-01.txt:\n  code: "01-HD/TW"\n  kind: Hướng dẫn\n  date: "2020-01-01"\n'
        'hd-02.txt:\n  code: "02-HD/TW"\n  kind: Hướng dẫn\n  date: "2025-01-01"\n', encoding="utf-8")
    reindex(corpus, data, workers=1)
    hits = Searcher.open(data).ask("đảng viên dự bị có phải đóng đảng phí hằng tháng không", k=2).hits
    assert [h.document.code for h in hits] == ["02-HD/TW", "01-HD/TW"]
    assert [r.name for r in hits[1].standing.replaced_by] == ["02-HD/TW"] and not hits[0].standing.replaced_by
    named = Searcher.open(data).ask("Hướng dẫn 01-HD/TW đảng viên dự bị đóng đảng phí", k=1).hits
    assert named[0].document.code == "01-HD/TW"  # asked by its code, the replaced one still comes first
