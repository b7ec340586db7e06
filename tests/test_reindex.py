"""Re-indexing: incremental, removals, atomic swaps, and surviving SIGKILL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures_ingest import QD_294, blank_pdf, cp1258_bytes, encrypted_pdf, garbage_zip

from index.indexer import IndexBusy, current_generation, reindex, reindex_lock
from index.ingest import MAX_FILE_BYTES
from index.search import IndexNotFound, Searcher
from index.store import Store
from index.text import ANALYSIS_VERSION

ROOT = Path(__file__).resolve().parent.parent


def vankien(args: list[str], data: Path, corpus: Path, **kw) -> subprocess.CompletedProcess[str]:
    """Run the real `vankien` command line against a data dir and corpus."""
    env = {**os.environ, "VANKIEN_DATA_DIR": str(data), "VANKIEN_CORPUS_DIR": str(corpus)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, **kw)


def test_second_run_analyses_nothing(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = reindex(own_corpus, data)
    assert first.added == 8 and first.passages > 100
    calls: list[str] = []
    second = reindex(own_corpus, data, progress=lambda d, t, name: calls.append(name))
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, 8)
    assert calls == []  # nothing was analysed again
    assert second.generation == first.generation  # nothing changed, no new generation


def test_index_of_an_older_schema_is_rebuilt_without_reanalysis(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = reindex(own_corpus, data)
    manifest_path = current_generation(data) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["schema"]  # as written before the engine schema was versioned
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexNotFound, match="phiên bản cũ.*vankien index"):
        Searcher.open(data)
    calls: list[str] = []
    second = reindex(own_corpus, data, progress=lambda d, t, name: calls.append(name))
    assert calls == []  # the engine index is rebuilt from the stored terms
    assert second.generation != first.generation and second.passages == first.passages
    answer = Searcher.open(data).ask("Người vào Đảng phải đủ bao nhiêu tuổi?")
    assert answer.answered and "18 tuổi" in answer.hits[0].passage.text


def test_a_new_analysis_version_analyses_every_file_again(
    own_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade that changes what `analyze` returns, stored terms are stale."""
    data = tmp_path / "data"
    first = reindex(own_corpus, data)
    monkeypatch.setattr("index.indexer.ANALYSIS_VERSION", ANALYSIS_VERSION + 1)  # as a newer release
    calls: list[str] = []
    second = reindex(own_corpus, data, progress=lambda d, t, name: calls.append(name))
    assert len(calls) == 8 and (second.added, second.updated, second.removed) == (0, 8, 0)
    assert second.passages == first.passages
    assert second.reanalysed and not first.reanalysed  # bot.render.summary_line says so
    third = reindex(own_corpus, data, progress=lambda d, t, name: calls.append(name))
    assert len(calls) == 8 and third.generation == second.generation  # analysed once, not every run
    assert not third.reanalysed
    assert Searcher.open(data).ask("Người vào Đảng phải đủ bao nhiêu tuổi?").answered


def test_changed_file_is_updated_and_only_it_is_analysed(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    reindex(own_corpus, data)
    target = next(own_corpus.glob("003_*.txt"))
    paragraphs = target.read_text(encoding="utf-8").split("\n\n")
    paragraphs.insert(4, "Đoạn bổ sung: Đảng bộ khối phát động phong trào trồng cây xanh đạt kỷ lục.")
    target.write_text("\n\n".join(paragraphs), encoding="utf-8")
    calls: list[str] = []
    summary = reindex(own_corpus, data, progress=lambda d, t, name: calls.append(name))
    assert (summary.added, summary.updated, summary.removed) == (0, 1, 0)
    assert calls == [target.name]
    answer = Searcher.open(data).ask("phong trào trồng cây xanh kỷ lục")
    assert answer.answered and "trồng cây xanh" in answer.hits[0].passage.text


def test_removed_file_disappears_from_results(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    reindex(own_corpus, data)
    searcher = Searcher.open(data)
    question = "Kế hoạch số 44-KH/ĐUK về học tập chuyên đề năm 2023"
    assert searcher.ask(question).answered
    seed = next(own_corpus.glob("000_*.txt"))
    seed.unlink()
    summary = reindex(own_corpus, data)
    assert summary.removed == 1
    answer = searcher.ask(question)  # the open searcher follows the new generation
    assert all("44-KH/ĐUK" not in h.passage.text for h in answer.hits)
    assert all(d.path != seed.name for d in searcher.documents())


def test_reader_keeps_answering_during_reindex(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    reindex(own_corpus, data)
    searcher = Searcher.open(data)
    (own_corpus / "extra.md").write_text("# Ghi chú\n\nHội nghị bàn về chuyển đổi số trong công tác đảng.\n",
                                         encoding="utf-8")
    seen: list[bool] = []
    reindex(own_corpus, data, progress=lambda *_: seen.append(
        searcher.ask("Người vào Đảng phải đủ bao nhiêu tuổi?").answered))
    assert seen and all(seen)
    assert searcher.ask("chuyển đổi số trong công tác đảng").answered


def test_second_reindex_at_once_is_refused(tmp_path: Path) -> None:
    with reindex_lock(tmp_path), pytest.raises(IndexBusy):
        reindex(ROOT / "corpus", tmp_path)


def test_garbage_collection_keeps_store_in_step(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    reindex(own_corpus, data)
    for i in range(3):
        (own_corpus / "note.md").write_text(f"# Ghi chú {i}\n\nNội dung lần thứ {i} về công tác dân vận.\n",
                                            encoding="utf-8")
        reindex(own_corpus, data)
    # the store keeps the current and the previous generation's versions only
    assert len(Store(data).doc_ids()) <= 9 + 1  # 8 shipped + note.md, and its previous version
    assert len([p for p in (data / "index").glob("g*") if p.is_dir()]) <= 2


def _many_files(corpus: Path, n: int) -> None:
    """Add n distinct documents so that a re-index takes a few seconds."""
    seed = next(corpus.glob("001_*.txt")).read_text(encoding="utf-8")
    for i in range(n):
        lead = f"Chi bộ số {i} tổ chức hội nghị chuyên đề mã hiệu XYZ{i} về công tác dân vận."
        (corpus / f"bulk_{i:03d}.txt").write_text(f"Bản tin số {i}\n\n{lead}\n\n{seed}", encoding="utf-8")


def test_sigkill_midway_leaves_previous_index_serving(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert vankien(["index", "--quiet"], data, own_corpus).returncode == 0
    before = current_generation(data)
    _many_files(own_corpus, 40)
    env = {**os.environ, "VANKIEN_DATA_DIR": str(data), "VANKIEN_CORPUS_DIR": str(own_corpus)}
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "index", "--quiet"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    store = Store(data)
    deadline = time.time() + 120
    while time.time() < deadline and len(store.doc_ids()) < 8 + 3 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "re-index finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert current_generation(data) == before
    asked = vankien(["ask", "--json", "Người vào Đảng phải đủ bao nhiêu tuổi?"], data, own_corpus)
    assert asked.returncode == 0, asked.stderr
    result = json.loads(asked.stdout)
    assert result["answered"] and "18 tuổi" in result["results"][0]["passage"]
    again = vankien(["index", "--quiet"], data, own_corpus)
    assert again.returncode == 0, again.stderr
    assert "thêm 40" in again.stdout
    assert current_generation(data) != before
    assert Searcher.open(data).ask("hội nghị chuyên đề mã hiệu XYZ17").answered


MALFORMED = {
    "nhi-phan.txt": lambda: os.urandom(4096) + b"\x00" * 64,
    "rong.txt": lambda: b"",
    "khoang-trang.md": lambda: b"  \n\t\n",
    "cat-ngang.pdf": lambda: QD_294.read_bytes()[: QD_294.stat().st_size // 2],
    "mat-khau.pdf": lambda: encrypted_pdf(QD_294),
    "ban-scan.pdf": blank_pdf,
    "khong-phai-pdf.pdf": lambda: b"<html>khong phai PDF</html>",
    "hong.docx": garbage_zip,
    "ngau-nhien.docx": lambda: os.urandom(2048),
    "trong-rong.html": lambda: b"<html><head><script>x()</script></head><body>   </body></html>",
    "bang-tinh.xlsx": lambda: b"PK\x03\x04 spreadsheet",
}
READABLE = {  # odd but readable: must be indexed, not skipped
    "utf16.txt": lambda: ("Chi bộ tổ chức hội nghị chuyên đề về chuyển đổi số trong công tác đảng viên.\n"
                          * 3).encode("utf-16"),
    "cp1258.txt": lambda: cp1258_bytes("Đảng ủy xã tổ chức tọa đàm về phòng chống thiên tai, bão lũ.\n" * 3),
    "the-hong.html": lambda: ("<html><body><p>Ban chỉ đạo họp bàn về công tác khuyến học, khuyến tài"
                              "<div><p>năm học mới").encode(),
}


def test_malformed_files_are_skipped_and_named(own_corpus: Path, tmp_path: Path) -> None:
    """Eleven kinds of bad files and a huge one: each skipped with its name and reason, the
    rest (odd encodings and broken HTML included) indexed and answerable."""
    for name, make in {**MALFORMED, **READABLE}.items():
        (own_corpus / name).write_bytes(make())
    with open(own_corpus / "qua-lon.txt", "wb") as huge:  # sparse: no RAM or disk spent
        huge.truncate(MAX_FILE_BYTES + 1)
    result = vankien(["index", "--quiet"], tmp_path / "data", own_corpus)
    assert result.returncode == 0, result.stderr
    for name in [*MALFORMED, "qua-lon.txt"]:
        line = next((x for x in result.stderr.splitlines() if name in x), "")
        assert line.startswith(f"Bỏ qua {name}: ") and len(line) > len(name) + 12, line
    for name in READABLE:
        assert name not in result.stderr
    assert f"thêm {8 + len(READABLE)}" in result.stdout
    searcher = Searcher.open(tmp_path / "data")
    for question in ("chuyển đổi số trong công tác đảng viên", "tọa đàm phòng chống thiên tai bão lũ",
                     "công tác khuyến học khuyến tài"):
        assert searcher.ask(question).answered, question


def test_broken_file_keeps_last_good_version(own_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    reindex(own_corpus, data)
    pdf = next(own_corpus.glob("qd-294*.pdf"))
    pdf.write_bytes(pdf.read_bytes()[:2000])  # truncated by a bad copy
    summary = reindex(own_corpus, data)
    assert pdf.name in dict(summary.skipped)
    assert Searcher.open(data).ask("Người vào Đảng phải đủ bao nhiêu tuổi?").answered


def test_metadata_sidecar_overrides_extraction(own_corpus: Path, tmp_path: Path) -> None:
    seed = next(own_corpus.glob("002_*.txt"))
    (own_corpus / "metadata.yaml").write_text(
        f"{seed.name}:\n  title: Bắc Giang sơ kết 5 năm Chỉ thị 05\n  publisher: dangcongsan.vn\n"
        "  date: '2021-06-30'\n", encoding="utf-8")
    data = tmp_path / "data"
    reindex(own_corpus, data)
    doc = next(d for d in Searcher.open(data).documents() if d.path == seed.name)
    assert (doc.title, doc.publisher, doc.date) == ("Bắc Giang sơ kết 5 năm Chỉ thị 05", "dangcongsan.vn",
                                                    "2021-06-30")
    shutil.copy(own_corpus / "metadata.yaml", tmp_path / "m.yaml")
    (own_corpus / "metadata.yaml").write_text(": : not yaml [", encoding="utf-8")
    summary = reindex(own_corpus, data)
    assert "metadata.yaml" in dict(summary.skipped)


def test_administrators_teach_everyday_wording_without_reanalysis(own_corpus: Path, tmp_path: Path) -> None:
    """corpus/synonyms.yaml: the documents' phrase -> how cadres say it. Editing it alone
    makes a new generation at the next re-index (nothing is analysed again); a malformed
    file is named and skipped, and the last good wording keeps serving."""
    data = tmp_path / "data"
    question = "Đảng viên góp quỹ Đảng trên cơ sở nào?"  # no document says "góp quỹ"
    first = reindex(own_corpus, data)
    assert not Searcher.open(data).ask(question).answered and first.synonyms is None
    (own_corpus / "synonyms.yaml").write_text(
        "# cách văn bản viết: [cách nói thường ngày]\nđóng đảng phí: [góp quỹ đảng, nộp quỹ đảng]\n",
        encoding="utf-8")
    calls: list[str] = []
    second = reindex(own_corpus, data, progress=lambda d, t, name: calls.append(name))
    assert calls == [] and second.generation != first.generation and second.synonyms == 1
    assert not second.skipped
    answer = Searcher.open(data).ask(question)
    assert answer.answered and "đóng đảng phí trên cơ sở tiền lương" in answer.hits[0].passage.text
    (own_corpus / "synonyms.yaml").write_text("đóng đảng phí: [góp quỹ\n", encoding="utf-8")
    third = reindex(own_corpus, data)
    assert [name for name, _ in third.skipped] == ["synonyms.yaml"] and "sai cú pháp" in third.skipped[0][1]
    assert third.generation == second.generation and third.synonyms is None
    assert Searcher.open(data).ask(question).answered  # the last good wording still serves
    (own_corpus / "synonyms.yaml").unlink()
    fourth = reindex(own_corpus, data)
    assert fourth.synonyms == 0 and not Searcher.open(data).ask(question).answered


def _small_corpus(corpus: Path) -> None:
    """Two short documents: enough to index in a second or two."""
    corpus.mkdir()
    (corpus / "dan-van.txt").write_text("Chi bộ tổ chức hội nghị chuyên đề về công tác dân vận ở cơ sở.\n",
                                        encoding="utf-8")
    (corpus / "khuyen-hoc.md").write_text("# Khuyến học\n\nBan chỉ đạo họp bàn về công tác khuyến học.\n",
                                          encoding="utf-8")


def test_odd_corpus_entries_are_skipped_and_named(tmp_path: Path) -> None:
    """Regressions: a file name that is not UTF-8 stopped the whole re-index (version_id
    raised UnicodeEncodeError); a symbolic link out of the corpus was followed and its
    target served; a link loop was skipped without a word. Each is now named, the rest indexed."""
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    _small_corpus(corpus)
    secret = tmp_path / "ngoai-kho.txt"
    secret.write_text("Mật khẩu máy chủ là hoa sen vàng rực rỡ.\n", encoding="utf-8")
    bad_name = os.fsdecode(b"bad_\xff.txt")
    (corpus / bad_name).write_text("Hội nghị bàn về công tác phòng chống thiên tai.\n", encoding="utf-8")
    (corpus / "ra-ngoai.txt").symlink_to(secret)
    (corpus / "vong-a.txt").symlink_to(corpus / "vong-b.txt")
    (corpus / "vong-b.txt").symlink_to(corpus / "vong-a.txt")
    (corpus / "hong.txt").symlink_to(corpus / "khong-co.txt")
    (corpus / "ban-sao.txt").symlink_to(corpus / "dan-van.txt")  # a link inside the corpus is read
    summary = reindex(corpus, data, workers=1)
    skipped = dict(summary.skipped)
    assert set(skipped) == {"bad_\ufffd.txt", "ra-ngoai.txt", "vong-a.txt", "vong-b.txt", "hong.txt"}
    assert "UTF-8" in skipped["bad_\ufffd.txt"] and "ra ngoài thư mục" in skipped["ra-ngoai.txt"]
    assert "vòng lặp" in skipped["vong-a.txt"] and "hỏng" in skipped["hong.txt"]
    assert summary.added == 3
    searcher = Searcher.open(data)
    assert not searcher.ask("mật khẩu máy chủ hoa sen vàng").answered
    assert searcher.ask("hội nghị chuyên đề công tác dân vận").answered
    result = vankien(["index"], data, corpus)  # the command line prints the names it skips
    assert result.returncode == 0 and "Bỏ qua bad_\ufffd.txt: tên tệp" in result.stderr


def _descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc: psutil is not a dependency)."""
    found, frontier = set(), {pid}
    while frontier:
        below = {child for child, parent in _parents().items() if parent in frontier} - found
        found |= below
        frontier = below
    return found


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process that is not a zombie."""
    out = {}
    for entry in os.listdir("/proc"):
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.isdigit() and fields[0] != "Z":
            out[int(entry)] = int(fields[1])
    return out


def _alive(pid: int) -> bool:
    return pid in _parents()


def test_sigkill_of_the_indexer_leaves_no_worker_behind(own_corpus: Path, tmp_path: Path) -> None:
    """Regression: after a SIGKILL of `vankien index`, its forkserver and pool workers lived on
    (they hold each other's pipes open) beside the next index. They now die with it."""
    _many_files(own_corpus, 40)
    env = {**os.environ, "VANKIEN_DATA_DIR": str(tmp_path / "data"), "VANKIEN_CORPUS_DIR": str(own_corpus)}
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "index", "--quiet", "--workers", "2"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set[int] = set()
    deadline = time.time() + 120
    while time.time() < deadline and len(children) < 3 and proc.poll() is None:  # forkserver + 2 workers
        children |= _descendants(proc.pid)
        time.sleep(0.05)
    try:
        assert proc.poll() is None and len(children) >= 3, "the pool did not start before the run ended"
        proc.kill()  # the command alone, as `kill -9 PID` would
        proc.wait(timeout=30)
        deadline = time.time() + 5
        while time.time() < deadline and any(map(_alive, children)):
            time.sleep(0.1)
        assert [pid for pid in children if _alive(pid)] == []
    finally:
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_index_prints_only_the_summary_and_named_skips(tmp_path: Path) -> None:
    """Regression: `vankien index` printed library lines ("EOF marker not found" from pypdf,
    "discarding data: None" from trafilatura) among the named skips."""
    corpus = tmp_path / "corpus"
    _small_corpus(corpus)
    for name, make in MALFORMED.items():
        (corpus / name).write_bytes(make())
    pdf = QD_294.read_bytes()
    end = pdf.rfind(b"%%EOF")
    (corpus / "thieu-eof.pdf").write_bytes(pdf[:end] + pdf[end + 5:])  # read, with a warning from pypdf
    result = vankien(["index", "--quiet"], tmp_path / "data", corpus)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if not line.startswith("Bỏ qua ")] == []
    assert len(result.stderr.splitlines()) == len(MALFORMED)
    assert result.stdout.startswith("Đã cập nhật chỉ mục: thêm 3,") and len(result.stdout.splitlines()) == 1


def _counts(data: Path) -> tuple[int, int]:
    store = Store(data)
    return (store.db.execute("SELECT count(*) FROM documents").fetchone()[0],
            store.db.execute("SELECT count(*) FROM passages").fetchone()[0])


def test_edits_leave_the_store_as_a_clean_build(own_corpus: Path, tmp_path: Path) -> None:
    """Regression: the store kept the previous versions of changed files (337 documents / 5,412
    passages against 317 / 5,178 in a clean build after 20 edits). Only what a generation a
    reader still holds serves is kept, and only until it has moved on."""
    data = tmp_path / "data"
    reindex(own_corpus, data)
    edited = next(own_corpus.glob("000_*.txt"))
    for i in range(5):
        with open(edited, "a", encoding="utf-8") as f:
            f.write(f"\nChi bộ bổ sung đoạn sửa lần {i} về công tác kiểm tra, giám sát của Đảng.\n")
        reindex(own_corpus, data)
    clean = tmp_path / "clean"
    reindex(own_corpus, clean)
    assert _counts(data) == _counts(clean)
    assert len([p for p in (data / "index").glob("g*") if p.is_dir()]) == 1
    reader = Searcher.open(data)  # the bot, answering on the current generation
    with open(edited, "a", encoding="utf-8") as f:
        f.write("\nĐoạn sửa khi bot đang trả lời: hội nghị mã hiệu QWE7 bàn về dân vận.\n")
    reindex(own_corpus, data)
    assert _counts(data)[0] == _counts(clean)[0] + 1  # the version the reader may still quote
    assert len([p for p in (data / "index").glob("g*") if p.is_dir()]) == 2  # and its generation
    assert reader.ask("hội nghị mã hiệu QWE7").answered  # it moves on to the new one
    reindex(own_corpus, data)  # nothing changed; what only the old generation served goes
    reindex(own_corpus, clean)
    assert _counts(data) == _counts(clean)
