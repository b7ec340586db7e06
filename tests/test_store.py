"""The SQLite store on a database of its own: what goes in comes out, literally."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from bot_fixtures import *  # noqa: F403 - the fixtures fake and bot_settings
from bot_helpers import USER, ask
from fake_telegram import FakeTelegram

from bot.app import build_application, start_application, stop_application
from bot.config import Settings
from index.logbook import Logbook
from index.models import Document, Passage
from index.store import Store

QD = Document(doc_id="qd294-v1", slug="qd294", path="qd294.txt", title="Quy định thi hành Điều lệ Đảng",
              code="294-QĐ/TW", kind="Quy định", issuer="Ban Chấp hành Trung ương", date="2025-05-26",
              n_passages=3)
NEWS = Document(doc_id="tin-v1", slug="tin", path="tin.txt", title="Bắc Giang sơ kết Chỉ thị 05", n_passages=1)


def row(passage_id: str, doc_id: str, ordinal: int, text: str, location: str, **terms: str) -> dict[str, object]:
    """A passage row as the indexer writes it (term columns it does not name are empty)."""
    return {"passage_id": passage_id, "doc_id": doc_id, "ordinal": ordinal, "text": text, "location": location,
            "context": "", "t_words": "", "t_sylls": "", "t_folds": "", "t_codes": "", "t_title": "",
            "t_doccode": "", **terms}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A store holding 294-QĐ/TW (three passages) and one news item (one passage)."""
    s = Store(tmp_path)
    s.add_document(QD, [
        row("qd294-v1:1", "qd294-v1", 1, "Đảng viên phải đủ 18 tuổi.", "Điều 1", t_words="đảng_viên đủ 18 tuổi"),
        row("qd294-v1:2", "qd294-v1", 2, "Kết nạp đảng viên gồm:", "Điều 2"),
        row("qd294-v1:3", "qd294-v1", 3, "a) Có đơn tự nguyện.", "Điều 2, điểm a"),
    ], indexed_at="2026-01-02T03:04:05+00:00")
    s.add_document(NEWS, [row("tin-v1:1", "tin-v1", 1, "Bắc Giang học và làm theo Bác.", "đoạn 1/1")],
                   indexed_at="2026-01-02T03:04:05+00:00")
    return s


def test_a_new_store_has_its_tables(tmp_path: Path) -> None:
    db = Store(tmp_path).db
    assert db.table_names() == ["documents", "passages", "files", "relations", "relations_read"]
    assert list(db["relations"].columns_dict) == [
        "from_doc_id", "kind", "to_code", "to_name", "to_doc_id", "sentence", "from_place", "to_place",
    ]
    assert db["passages"].columns_dict == {
        "passage_id": str, "doc_id": str, "ordinal": int, "text": str, "location": str, "context": str,
        "t_words": str, "t_sylls": str, "t_folds": str, "t_codes": str, "t_title": str, "t_doccode": str,
    }
    assert db["files"].columns_dict == {"path": str, "size": int, "mtime_ns": int, "doc_id": str, "meta": str}
    assert db["passages"].indexes[0].columns == ["doc_id"]
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_documents_come_back_as_stored(store: Store) -> None:
    assert store.document("qd294-v1") == QD
    assert store.document("không-có") is None
    assert store.doc_ids() == ["qd294-v1", "tin-v1"]
    assert list(store.all_documents(ordered=True)) == [QD, NEWS]  # Party documents (with a code) first


def test_passages_by_id_and_in_order(store: Store) -> None:
    assert store.passages(["qd294-v1:3", "nothing"]) == {
        "qd294-v1:3": Passage("qd294-v1:3", "qd294-v1", 3, "a) Có đơn tự nguyện.", "Điều 2, điểm a"),
    }
    assert store.passages([]) == {}
    assert [p.passage_id for p in store.following("qd294-v1", 1, 5)] == ["qd294-v1:2", "qd294-v1:3"]
    assert [p.passage_id for p in store.following("qd294-v1", 1, 1)] == ["qd294-v1:2"]
    assert store.count_passages(["qd294-v1", "tin-v1"]) == 4
    assert store.count_passages(["qd294-v1", "tin-v1"], chunk=1) == 4


def test_labelled_passages_leave_out_positions(store: Store) -> None:
    assert sorted(store.labelled()) == [
        ("qd294-v1:1", "qd294-v1", "Điều 1"),
        ("qd294-v1:2", "qd294-v1", "Điều 2"),
        ("qd294-v1:3", "qd294-v1", "Điều 2, điểm a"),
    ]  # not 'đoạn 1/1' of the news item


def test_passages_with_columns_reads_in_parallel_slices(store: Store) -> None:
    ids = ["qd294-v1:1", "qd294-v1:2", "qd294-v1:3", "tin-v1:1", "nothing"]
    found = store.passages_with_columns(ids, ("t_words", "not_a_column"))
    assert sorted(found) == ["qd294-v1:1", "qd294-v1:2", "qd294-v1:3", "tin-v1:1"]
    assert found["qd294-v1:1"] == (Passage("qd294-v1:1", "qd294-v1", 1, "Đảng viên phải đủ 18 tuổi.", "Điều 1"),
                                   {"t_words": "đảng_viên đủ 18 tuổi"})
    assert found["tin-v1:1"][1] == {"t_words": ""}
    assert store.passages_with_columns([], ("t_words",)) == {}


def test_passage_terms_for_building_an_index(store: Store) -> None:
    terms = list(store.passage_terms(["tin-v1"]))
    assert terms == [{"passage_id": "tin-v1:1", "doc_id": "tin-v1", "t_words": "", "t_sylls": "", "t_folds": "",
                      "t_codes": "", "t_title": "", "t_doccode": ""}]


def test_a_new_version_replaces_the_passages_of_the_old(store: Store) -> None:
    store.add_document(QD, [row("qd294-v1:1", "qd294-v1", 1, "Đảng viên phải đủ 18 tuổi trở lên.", "Điều 1")],
                       indexed_at="2026-02-01T00:00:00+00:00")
    assert store.count_passages(["qd294-v1"]) == 1
    assert store.db.execute("SELECT indexed_at FROM documents WHERE doc_id = 'qd294-v1'").fetchone() == (
        "2026-02-01T00:00:00+00:00",
    )


def test_garbage_collection_keeps_what_a_generation_refers_to(store: Store) -> None:
    assert store.delete_documents_except({"qd294-v1"}) == 1
    assert store.doc_ids() == ["qd294-v1"]
    assert store.count_passages(["tin-v1"]) == 0


def test_the_file_cache(store: Store) -> None:
    store.remember_file("qd294.txt", 1200, 111, "qd294-v1", "{}")
    store.remember_file("tin.txt", 300, 222, "tin-v1", "{}")
    store.remember_file("tin.txt", 301, 333, "tin-v2", "{}")
    assert store.cached_files() == {
        "qd294.txt": {"path": "qd294.txt", "size": 1200, "mtime_ns": 111, "doc_id": "qd294-v1", "meta": "{}"},
        "tin.txt": {"path": "tin.txt", "size": 301, "mtime_ns": 333, "doc_id": "tin-v2", "meta": "{}"},
    }
    store.forget_files({"tin.txt"})
    assert list(store.cached_files()) == ["tin.txt"]


def test_insert_rows_replaces_by_key(store: Store) -> None:
    with store.db.conn:
        store.insert_rows("files", [
            {"path": "a.txt", "size": 1, "mtime_ns": 1, "doc_id": "a-v1", "meta": ""},
            {"path": "a.txt", "size": 2, "mtime_ns": 2, "doc_id": "a-v2", "meta": ""},
        ])
        store.insert_rows("files", [])
    assert store.cached_files()["a.txt"]["doc_id"] == "a-v2"


def store_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("vankien-store")}


def test_close_stops_the_readers_and_closes_every_threads_connection(store: Store, tmp_path: Path) -> None:
    before = store_threads()
    store.passages_with_columns(["qd294-v1:1", "qd294-v1:2", "tin-v1:1"], ("t_words",))  # on the reader threads
    other = threading.Thread(target=lambda: store.doc_ids())  # a connection of a thread that has ended
    other.start()
    other.join()
    assert store_threads() - before and (tmp_path / "vankien.db-wal").exists()
    store.close()
    assert store_threads() - before == set()
    assert not (tmp_path / "vankien.db-wal").exists()  # the last connection closed checkpoints the log


def test_close_of_the_query_log(tmp_path: Path) -> None:
    book = Logbook(tmp_path / "log.db")
    book.log_query("Người vào Đảng phải đủ bao nhiêu tuổi?", True)
    worker = threading.Thread(target=lambda: book.chat_scope(1))
    worker.start()
    worker.join()
    assert (tmp_path / "log.db-wal").exists()
    book.close()
    assert not (tmp_path / "log.db-wal").exists()


async def test_the_bots_shutdown_closes_the_store_and_the_query_log(fake: FakeTelegram,
                                                                      bot_settings: Settings) -> None:
    """Regression: the bot left the store's reader threads and every connection open."""
    before = store_threads()
    app = build_application(bot_settings)
    await start_application(app, poll_timeout=5)
    await ask(fake, USER, "Người vào Đảng phải đủ bao nhiêu tuổi?")  # reads passages, writes the log
    assert store_threads() - before and (bot_settings.data_dir / "vankien.db-wal").exists()
    await stop_application(app)
    assert store_threads() - before == set()
    assert not (bot_settings.data_dir / "vankien.db-wal").exists()
