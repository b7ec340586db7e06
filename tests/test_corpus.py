"""The corpus directory as files: safe names, atomic saves, removal kept for restoring."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.corpus import (
    Added,
    add_file,
    move_out_of_corpus,
    put_back,
    removed_dir,
    removed_files,
    safe_file_name,
    save_into_corpus,
)
from index.ingest import IngestError
from index.models import Document

TEXT = "Quy chế làm việc của Chi bộ\n\nĐiều 1. Chi bộ sinh hoạt thường kỳ mỗi tháng một lần.\n"


@pytest.mark.parametrize(
    ("sent", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\x.PDF", "x.pdf"),
        (".hidden.md", "hidden.md"),
        ("Nghị quyết 21 NQ.docx", "Nghị_quyết_21_NQ.docx"),
        ("....pdf", "van-ban.pdf"),
        ("Quy định số 294/QĐ-TW (bản chính).pdf", "QĐ-TW_(bản_chính).pdf"),
        ("Nghi\u0323 quyê\u0301t.txt", "Nghị_quyết.txt"),  # decomposed marks: NFC
    ],
)
def test_safe_file_names(sent: str, safe: str) -> None:
    assert safe_file_name(sent) == safe


def test_save_into_corpus_says_new_replaced_or_same(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    assert save_into_corpus(corpus, "a.txt", b"one") == "new"
    assert save_into_corpus(corpus, "a.txt", b"one") == "same"
    assert save_into_corpus(corpus, "a.txt", b"two") == "replaced"
    assert (corpus / "a.txt").read_bytes() == b"two"
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]  # no .part left behind


def test_add_file_copies_under_a_safe_name(tmp_path: Path) -> None:
    source = tmp_path / "Quy chế chi bộ.TXT"
    source.write_text(TEXT, encoding="utf-8")
    corpus = tmp_path / "corpus"
    assert add_file(corpus, source) == Added("Quy_chế_chi_bộ.txt", "new", "Quy chế làm việc của Chi bộ")
    assert (corpus / "Quy_chế_chi_bộ.txt").read_text(encoding="utf-8") == TEXT
    assert source.is_file()  # copied, not moved
    assert add_file(corpus, source).status == "same"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("anh.png", b"\x89PNG", "định dạng .png chưa được hỗ trợ (chỉ nhận .txt, .md, .html, .pdf, .docx)"),
        ("rong.txt", b"", "tệp rỗng"),
    ],
)
def test_add_file_refuses_what_the_indexer_cannot_read(tmp_path: Path, name: str, data: bytes,
                                                       reason: str) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    with pytest.raises(IngestError) as raised:
        add_file(tmp_path / "corpus", source)
    assert str(raised.value) == reason
    assert not (tmp_path / "corpus").exists()


def document(path: str, doc_id: str = "d1") -> Document:
    return Document(doc_id=doc_id, slug="x", path=path, title="Quy chế")


def test_a_removed_file_is_kept_and_goes_back(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    (corpus / "chi-bo").mkdir(parents=True)
    (corpus / "chi-bo" / "quy-che.txt").write_text(TEXT, encoding="utf-8")
    kept = move_out_of_corpus(corpus, data, document("chi-bo/quy-che.txt"))
    assert kept == data / "removed" / "d1" / "chi-bo" / "quy-che.txt"
    assert kept == removed_dir(data, "d1") / "chi-bo" / "quy-che.txt"
    assert kept.read_text(encoding="utf-8") == TEXT
    assert not (corpus / "chi-bo" / "quy-che.txt").exists()
    assert removed_files(data) == [("d1", "chi-bo/quy-che.txt")]
    assert put_back(corpus, data, "d1") == ("chi-bo/quy-che.txt", None)
    assert (corpus / "chi-bo" / "quy-che.txt").read_text(encoding="utf-8") == TEXT
    assert removed_files(data) == []
    assert not removed_dir(data, "d1").exists()
    assert put_back(corpus, data, "d1") == (None, "gone")  # twice


def test_put_back_never_overwrites_a_file_in_its_place(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    (corpus / "a.txt").write_text("cũ", encoding="utf-8")
    move_out_of_corpus(corpus, data, document("a.txt"))
    (corpus / "a.txt").write_text("mới", encoding="utf-8")
    assert put_back(corpus, data, "d1") == ("a.txt", "taken")
    assert (corpus / "a.txt").read_text(encoding="utf-8") == "mới"
    assert removed_files(data) == [("d1", "a.txt")]  # still kept


@pytest.mark.parametrize("path", ["mat.txt", "../ngoai.txt"])
def test_nothing_moves_when_the_file_is_gone_or_outside_the_corpus(tmp_path: Path, path: str) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    (tmp_path / "ngoai.txt").write_text(TEXT, encoding="utf-8")
    assert move_out_of_corpus(corpus, data, document(path)) is None
    assert (tmp_path / "ngoai.txt").is_file() and removed_files(data) == []


def test_removed_files_newest_first(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    for i, name in enumerate(["cu.txt", "moi.txt"]):
        (corpus / name).write_text(TEXT, encoding="utf-8")
        kept = move_out_of_corpus(corpus, data, document(name, f"d{i}"))
        assert kept is not None
        os.utime(kept, (1_700_000_000 + i, 1_700_000_000 + i))
    assert removed_files(data) == [("d1", "moi.txt"), ("d0", "cu.txt")]
