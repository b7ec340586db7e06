"""The `vankien` command line, run as a real subprocess over a real index."""

from __future__ import annotations

import asyncio
import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bot_helpers import ADMIN, USER, ask
from fake_telegram import TOKEN, FakeTelegram

from index.search import Searcher

ROOT = Path(__file__).resolve().parent.parent
RESULT_KEYS = {"rank", "score", "doc_id", "title", "code", "issuer", "publisher", "date", "url",
               "location", "passage_id", "passage", "excerpt", "missing", "section", "replaced_by", "applies",
               "applied_by"}


def run(args: list[str], data: Path, stdin: str | None = None,
        corpus: Path = ROOT / "corpus", **settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VANKIEN_DATA_DIR": str(data), "VANKIEN_CORPUS_DIR": str(corpus), **settings}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_ask_json_prints_exactly_one_object(shipped_index: Path) -> None:
    out = run(["ask", "--json", "Người vào Đảng phải đủ bao nhiêu tuổi?"], shipped_index)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) == {"query", "answered", "confidence", "read_as", "results"}
    assert obj["answered"] is True and obj["confidence"] == "answer"
    assert obj["read_as"] is None  # typed with diacritics: read as typed
    assert len(obj["results"]) == 3
    first = obj["results"][0]
    assert set(first) == RESULT_KEYS
    assert [r["rank"] for r in obj["results"]] == [1, 2, 3]
    assert first["excerpt"].strip("…") in first["passage"] or len(first["excerpt"]) <= 402
    assert first["date"] is None or len(first["date"]) == 10


def test_ask_json_says_how_an_unaccented_question_was_read(shipped_index: Path) -> None:
    obj = json.loads(run(["ask", "--json", "nguoi vao dang phai du bao nhieu tuoi"], shipped_index).stdout)
    assert obj["answered"] and obj["read_as"] == "người vào đảng phải đủ bao nhiêu tuổi"


def test_ask_json_k(shipped_index: Path) -> None:
    obj = json.loads(run(["ask", "--json", "--k", "5", "kết nạp đảng viên"], shipped_index).stdout)
    assert len(obj["results"]) == 5
    assert len({r["passage_id"] for r in obj["results"]}) == 5


def test_ask_json_stdin_one_object_per_line(shipped_index: Path) -> None:
    questions = ["Người vào Đảng phải đủ bao nhiêu tuổi?", "Giá vàng hôm nay bao nhiêu?", "", "dang phi"]
    out = run(["ask", "--json", "-"], shipped_index, stdin="\n".join(questions) + "\n")
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o["query"] for o in objs] == [q for q in questions if q]
    assert [o["answered"] for o in objs][:2] == [True, False]
    assert objs[0]["confidence"] == "answer" and objs[1]["confidence"] in ("related", "none")
    # what is shown comes with its tier: the nearest passages when `related`, nothing when `none`
    assert bool(objs[1]["results"]) is (objs[1]["confidence"] == "related")


@pytest.mark.parametrize("question, confidence, shown", [
    ("Người vào Đảng phải đủ bao nhiêu tuổi?", "answer", 3),
    ("Giá vé máy bay đi Đà Nẵng tháng sau là bao nhiêu?", "related", 3),  # near passages, no answer
    ("Thời tiết Hà Nội ngày mai thế nào?", "none", 0),
    ("Nghị quyết 99-NQ/TW nói gì?", "none", 0),  # a code no document bears
])
def test_ask_json_says_the_tier(searcher: Searcher, shipped_index: Path, question: str, confidence: str,
                                shown: int) -> None:
    obj = json.loads(run(["ask", "--json", question], shipped_index).stdout)
    assert (obj["confidence"], obj["answered"], len(obj["results"])) == (confidence, confidence == "answer", shown)
    assert [r["passage_id"] for r in obj["results"]] == [h.passage.passage_id for h in searcher.ask(question).hits]


def test_ask_plain_text_warns_above_related_passages(shipped_index: Path) -> None:
    from bot import texts

    out = run(["ask", "Giá vé máy bay đi Đà Nẵng tháng sau là bao nhiêu?"], shipped_index).stdout
    assert out.startswith(texts.RELATED + "\n\n1. « ") and "\n   — " in out
    sure = run(["ask", "Người vào Đảng phải đủ bao nhiêu tuổi?"], shipped_index).stdout
    assert sure.startswith("1. « ") and texts.RELATED not in sure
    nothing = run(["ask", "Thời tiết Hà Nội ngày mai thế nào?"], shipped_index).stdout
    assert nothing.startswith(texts.NO_ANSWER) and "1. «" not in nothing


def test_ask_json_of_invalid_utf8_is_valid_utf8(shipped_index: Path) -> None:
    """Regression: bytes that are not UTF-8 on stdin came back raw inside "query"."""
    env = {**os.environ, "VANKIEN_DATA_DIR": str(shipped_index)}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", "-"], cwd=ROOT, env=env,
                         input=b"nguoi vao \xff\xfe dang tu\xc3i\n", capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr.decode(errors="replace")
    obj = json.loads(out.stdout.decode("utf-8"))  # strict: raises on any invalid byte
    assert obj["query"] == "nguoi vao \ufffd\ufffd dang tu\ufffdi"
    assert obj["read_as"] is None or obj["read_as"] == obj["read_as"].strip()


def test_ask_on_a_locked_database_is_one_vietnamese_line(own_index: Path) -> None:
    """Regression: WAL mode was set before busy_timeout, so `ask` died after Python's 5 s
    with a traceback; now it waits BUSY_MS, then says so in Vietnamese."""
    import sqlite3

    from bot import texts
    from index.store import BUSY_MS, DB_NAME

    holder = sqlite3.connect(own_index / DB_NAME, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    started = time.monotonic()
    try:
        out = run(["ask", "--json", "Người vào Đảng phải đủ bao nhiêu tuổi?"], own_index)
    finally:
        holder.close()
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.strip() == texts.DATABASE_BUSY
    assert time.monotonic() - started >= BUSY_MS / 1000


def test_ask_plain_text_cites_source(shipped_index: Path) -> None:
    out = run(["ask", "Đảng viên đóng đảng phí dựa trên cơ sở nào?"], shipped_index)
    assert "294-QĐ/TW" in out.stdout and "«" in out.stdout


@pytest.mark.parametrize("question", ["   ", "<script>alert(1)</script>", "x" * 1500])
def test_bad_questions_get_vietnamese_reply(shipped_index: Path, question: str) -> None:
    out = run(["ask", question], shipped_index)
    assert out.returncode == 0 and out.stdout.strip()
    assert "Traceback" not in out.stderr


def test_missing_index_says_how_to_fix(tmp_path: Path) -> None:
    out = run(["ask", "câu hỏi"], tmp_path / "empty")
    assert out.returncode != 0 and "vankien index" in out.stderr


def test_stats_lists_documents_in_vietnamese(shipped_index: Path, searcher: Searcher) -> None:
    out = run(["stats"], shipped_index)
    first, *documents = out.stdout.splitlines()
    passages = searcher.stats()["passages"]
    assert first == f"Chỉ mục thế hệ g000001 (bộ tìm kiếm tantivy): 8 văn bản, {passages} đoạn."
    documents, relations = documents[:8], documents[8:]
    assert "294-QĐ/TW" in documents[0] and all(" đoạn " in d for d in documents)
    assert relations[0].startswith("Liên hệ giữa các văn bản (") and len(relations) >= 10
    assert "  06-HD/TW — thay thế → Hướng dẫn số 01-HD/TW" in relations
    assert any(r.startswith("  294-QĐ/TW — thi hành → Điều lệ Đảng (") for r in relations)
    assert any(r.startswith("  Bắc Giang") and r.endswith("thực hiện → Chỉ thị 05-CT/TW") for r in relations)


def test_stats_counts_the_tiers_of_the_bots_questions(own_index: Path) -> None:
    from index.logbook import Logbook

    book = Logbook(own_index / "vankien.db")
    book.log_query("Người vào Đảng phải đủ bao nhiêu tuổi?", True, n_hits=3)
    book.log_query("Giá vé máy bay?", False, n_hits=2, confidence="related")
    book.log_query("Thời tiết?", False, reason="no_match")
    book.log_query("Thời tiết mai?", False, reason="no_match")
    book.close()
    last = run(["stats"], own_index).stdout.splitlines()[-1]
    assert last == "Câu hỏi 7 ngày qua: 4 · trả lời được 1 · chưa chắc 1 · không tìm thấy 2"


@pytest.mark.parametrize("name, value, says", [
    ("PORT", "abc", "PORT must be a whole number from 1 to 65535, got 'abc'."),
    ("VANKIEN_QUESTIONS_PER_MINUTE", "x",
     "VANKIEN_QUESTIONS_PER_MINUTE must be a whole number from 1 to 100000, got 'x'."),
])
def test_a_bad_setting_is_one_line_for_every_command(shipped_index: Path, name: str, value: str,
                                                     says: str) -> None:
    """Regression: `PORT=abc vankien stats` ended in a ValueError traceback."""
    for command in (["stats"], ["ask", "đảng phí"]):
        out = run(command, shipped_index, **{name: value})
        assert (out.returncode, out.stdout, out.stderr) == (2, "", f"Configuration error: {says}\n")


@pytest.mark.parametrize("k", ["0", "-1", "ba"])
def test_k_below_one_is_a_usage_error(shipped_index: Path, k: str) -> None:
    """Regression: `vankien ask --k 0` answered "no answer" instead of refusing the option."""
    out = run(["ask", "--k", k, "đảng phí"], shipped_index)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.splitlines()[-1] == (
        f"vankien ask: error: argument --k: must be a whole number of at least 1, got {k!r}"
    )


def test_chat_answers_and_pages(shipped_index: Path) -> None:
    out = run(["chat"], shipped_index, stdin="Người vào Đảng phải đủ bao nhiêu tuổi?\nthêm\n")
    assert out.returncode == 0
    assert "18 tuổi" in out.stdout and "4." in out.stdout  # the second page starts at rank 4


def test_chat_says_once_how_it_read_an_unaccented_question(shipped_index: Path) -> None:
    out = run(["chat"], shipped_index, stdin="nguoi vao dang phai du bao nhieu tuoi\nthêm\n")
    assert out.returncode == 0 and "4." in out.stdout
    assert out.stdout.count("Tôi hiểu câu hỏi là: «người vào đảng phải đủ bao nhiêu tuổi»") == 1


def test_chat_answers_small_talk_without_searching(shipped_index: Path) -> None:
    out = run(["chat"], shipped_index, stdin="xin chào\ncảm ơn bạn nhé\n")
    assert out.returncode == 0
    assert "Đồng chí cứ gõ câu hỏi, ví dụ «" in out.stdout and "Rất vui được giúp đồng chí" in out.stdout
    assert "Chào cờ" not in out.stdout  # not searched (the guidance has "Chào cờ")


def test_chat_help_blank_lines_and_exit(shipped_index: Path) -> None:
    out = run(["chat"], shipped_index, stdin="\n   \n/help\nThoát\nNgười vào Đảng phải đủ bao nhiêu tuổi?\n")
    assert out.returncode == 0
    assert "«thêm»: các kết quả tiếp theo" in out.stdout
    assert "18 tuổi" not in out.stdout  # it stopped at «Thoát»
    assert "chưa tìm thấy" not in out.stdout  # blank lines and /help are not questions


def chat_in_terminal(data: Path, lines: list[str], timeout: float = 60) -> tuple[int, str]:
    """`vankien chat` in a pseudo-terminal, typing each line at a new prompt; (exit code, output)."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "VANKIEN_DATA_DIR": str(data), "TERM": "xterm"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat"], cwd=ROOT, env=env,
                            stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    output, deadline = b"", time.monotonic() + timeout
    try:
        for prompts, typed in enumerate([*lines, ""], 1):
            while (not typed or output.count("❓".encode()) < prompts) and time.monotonic() < deadline:
                if select.select([controller], [], [], 0.2)[0]:
                    output += os.read(controller, 4096)  # OSError once the chat has ended
            os.write(controller, typed.encode())
    except OSError:
        pass
    finally:
        os.close(controller)
    try:
        return proc.wait(timeout=1), output.decode(errors="replace")
    finally:
        proc.kill()


def test_chat_edits_lines_with_arrow_keys_and_recalls_them(shipped_index: Path) -> None:
    """Regression: without readline, the arrow keys put `^[[D` into the question."""
    left, up = "\x1b[D", "\x1b[A"
    code, output = chat_in_terminal(shipped_index, [f"/hlp{left}{left}e\r", f"{up}\r", "thoat\r"])
    assert code == 0
    assert output.count("«thêm»: các kết quả tiếp theo") == 2  # '/help', then '/help' again


async def test_the_bot_logs_at_info(own_index: Path) -> None:
    """Regression: importing underthesea set up logging first, so `vankien bot` logged nothing
    at INFO: not that it was ready, nor refused admin actions, nor its shutdown."""
    fake = await FakeTelegram().start()
    fake.chat(USER)
    env = {**os.environ, "VANKIEN_DATA_DIR": str(own_index), "TELEGRAM_BOT_TOKEN": TOKEN,
           "TELEGRAM_BASE_URL": fake.base_url, "ADMIN_IDS": str(ADMIN)}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "bot", cwd=ROOT, env=env,
                                                stderr=asyncio.subprocess.PIPE)
    assert proc.stderr is not None
    try:
        lines = [await asyncio.wait_for(proc.stderr.readline(), 90)]
        while lines[-1] and b" ready: " not in lines[-1]:
            lines.append(await asyncio.wait_for(proc.stderr.readline(), 90))
        await ask(fake, USER, "/capnhat")  # an admin command from a user who is not one
        proc.send_signal(signal.SIGINT)
        lines += (await asyncio.wait_for(proc.stderr.read(), 60)).splitlines()
        assert await proc.wait() == 0
    finally:
        if proc.returncode is None:
            proc.kill()
        await fake.stop()
    logged = [line.decode().split(" ", 2)[-1] for line in lines]  # without the time
    assert "INFO bot.app: Bot @vankien_test_bot ready: {" in "\n".join(logged)
    assert f"INFO bot.admin: Refused an admin action to user {USER}" in logged
    assert "INFO bot.app: Closed the index store and the query log" in logged
    assert TOKEN not in "\n".join(logged)  # request URLs (they hold the token) are not logged


def test_every_subcommand_is_in_the_readme() -> None:
    from bot.cli import COMMANDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"vankien {name}" in readme, f"`vankien {name}` is not documented in README.md"


# -- vankien add / remove / restore: /xoavanban without Telegram ---------------------------------

NOTE_TITLE = "Quy chế làm việc của Chi bộ Khu phố Hoà Bình"
NOTE = (f"{NOTE_TITLE}\n\nĐiều 1. Chi bộ Khu phố Hoà Bình sinh hoạt thường kỳ vào ngày mùng năm "
        "hằng tháng, tại nhà văn hoá khu phố.\n")


@pytest.fixture
def admin_env(own_corpus: Path, own_index: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(corpus, data) of one's own, as `main()` reads them from the environment."""
    monkeypatch.setenv("VANKIEN_CORPUS_DIR", str(own_corpus))
    monkeypatch.setenv("VANKIEN_DATA_DIR", str(own_index))
    return own_corpus, own_index


def test_add_remove_restore_round_trip(admin_env: tuple[Path, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main
    from index.corpus import removed_files

    corpus, data = admin_env
    source = tmp_path / "Quy chế chi bộ.txt"
    source.write_text(NOTE, encoding="utf-8")
    assert main(["add", str(source)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Đã cập nhật chỉ mục: thêm 1, sửa 0, xoá 0, giữ nguyên 8 · ")
    assert out[1] == f"✅ Đã thêm «{NOTE_TITLE}» vào kho (tệp Quy_chế_chi_bộ.txt)."
    assert (corpus / "Quy_chế_chi_bộ.txt").read_text(encoding="utf-8") == NOTE

    assert main(["remove", "Quy chế làm việc của Chi bộ Khu phố Hoà Bình"]) == 0  # no TTY: no question
    out = capsys.readouterr().out.splitlines()
    [(doc_id, path)] = removed_files(data)
    assert (out[0], path) == (f"{NOTE_TITLE} — tệp Quy_chế_chi_bộ.txt, 1 đoạn", "Quy_chế_chi_bộ.txt")
    assert out[1].startswith("Đã cập nhật chỉ mục: thêm 0, sửa 0, xoá 1, giữ nguyên 8 · ")
    assert out[2] == (f"✅ Đã gỡ «{NOTE_TITLE}» khỏi kho (1 đoạn). Tệp được cất tại "
                      f"{data / 'removed' / doc_id / path}; gõ «vankien restore {doc_id}» nếu gỡ nhầm.")
    assert not (corpus / path).exists()

    assert main(["restore"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Các văn bản đã gỡ, có thể khôi phục:", f"  {doc_id}  {path}",
        "Gõ «vankien restore MÃ» để khôi phục một văn bản."]
    assert main(["restore", doc_id[:6]]) == 0  # a unique prefix will do
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Đã cập nhật chỉ mục: thêm 1, sửa 0, xoá 0, giữ nguyên 8 · ")
    assert out[1] == "✅ Đã khôi phục tệp Quy_chế_chi_bộ.txt vào kho."
    assert (corpus / path).read_text(encoding="utf-8") == NOTE and removed_files(data) == []
    assert main(["restore"]) == 0
    assert capsys.readouterr().out == "Chưa có văn bản nào bị gỡ.\n"


def test_add_refuses_what_cannot_be_indexed(admin_env: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    corpus, _ = admin_env
    before = sorted(p.name for p in corpus.iterdir())
    (tmp_path / "anh.png").write_bytes(b"\x89PNG")
    (tmp_path / "rong.txt").write_bytes(b"")
    assert main(["add", str(tmp_path / "anh.png"), str(tmp_path / "rong.txt"), str(tmp_path / "mat.txt")]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "Không thêm được «anh.png»: định dạng .png chưa được hỗ trợ (chỉ nhận .txt, .md, .html, .pdf, .docx).",
        "Không thêm được «rong.txt»: tệp rỗng.",
        "Không thêm được «mat.txt»: không mở được tệp (No such file or directory)."]  # not a traceback
    assert captured.out == "" and sorted(p.name for p in corpus.iterdir()) == before
    assert main(["add", str(CORPUS_FILE)]) == 0  # already there, byte for byte: nothing to do
    assert capsys.readouterr().out == ("Văn bản «Quy định thi hành Điều lệ Đảng» đã có trong kho với đúng "
                                       "nội dung này; không cần thêm.\n")


CORPUS_FILE = ROOT / "corpus" / "qd-294-qdtw-2025-thi-hanh-dieu-le-dang.pdf"


@pytest.mark.parametrize(
    ("query", "first_line"),
    [
        ("Nghị quyết 99-NQ/TW",
         "Không tìm thấy văn bản nào khớp với «Nghị quyết 99-NQ/TW». Gõ «vankien stats» để xem danh sách."),
        ("Đảng bộ Khối", "văn bản khớp với «Đảng bộ Khối»; đồng chí hãy gõ số hiệu hoặc tên cụ thể hơn:"),
    ],
)
def test_remove_needs_exactly_one_document(admin_env: tuple[Path, Path], query: str, first_line: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    corpus, _ = admin_env
    before = sorted(p.name for p in corpus.iterdir())
    assert main(["remove", query]) == 1
    assert first_line in capsys.readouterr().err.splitlines()[0]
    assert sorted(p.name for p in corpus.iterdir()) == before


class Terminal(io.StringIO):
    """Typed answers on what looks like a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("typed", "removed"), [("k\n", False), ("\n", False), ("c\n", True)])
def test_remove_on_a_terminal_asks_first(admin_env: tuple[Path, Path], typed: str, removed: bool,
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    corpus, _ = admin_env
    monkeypatch.setattr(sys, "stdin", Terminal(typed))
    assert main(["remove", "294-QĐ/TW"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"294-QĐ/TW – Quy định thi hành Điều lệ Đảng — tệp {CORPUS_FILE.name}, ")
    assert "Gỡ văn bản này khỏi kho? Tệp sẽ được cất vào thư mục lưu trữ và có thể khôi phục. [c/K] " in out
    assert (CORPUS_FILE.name in {p.name for p in corpus.iterdir()}) is not removed
    assert ("Đã huỷ; văn bản vẫn còn trong kho." in out) is not removed


def test_remove_while_another_reindex_runs_keeps_the_file(admin_env: tuple[Path, Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main
    from index.corpus import removed_files
    from index.indexer import reindex_lock

    corpus, data = admin_env
    with reindex_lock(data):  # e.g. /capnhat in the bot
        assert main(["remove", "--yes", "294-QĐ/TW"]) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        "Đang có một lần cập nhật chỉ mục khác; văn bản vẫn còn trong kho. Đồng chí vui lòng thử lại sau ít phút.")
    assert (corpus / CORPUS_FILE.name).is_file() and removed_files(data) == []


def test_restore_an_unknown_id(admin_env: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["restore", "abc"]) == 1
    assert capsys.readouterr().err == (
        "Không có văn bản đã gỡ nào mang mã «abc». Gõ «vankien restore» để xem danh sách.\n")


def test_remove_as_a_subprocess_asks_nothing(own_corpus: Path, own_index: Path) -> None:
    out = run(["remove", "294"], own_index, stdin="", corpus=own_corpus)
    assert out.returncode == 0, out.stderr
    assert "✅ Đã gỡ «294-QĐ/TW – Quy định thi hành Điều lệ Đảng» khỏi kho (" in out.stdout
    assert "[c/K]" not in out.stdout and not (own_corpus / CORPUS_FILE.name).exists()


# -- vankien audit, vankien stats --chart ----------------------------------------------------------


def test_audit_prints_what_the_terminal_did(admin_env: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import getpass

    from bot.cli import main

    assert main(["audit"]) == 0
    assert capsys.readouterr().out == "Chưa có việc quản trị nào được ghi lại.\n"
    source = tmp_path / "Quy chế chi bộ.txt"
    source.write_text(NOTE, encoding="utf-8")
    (tmp_path / "rong.txt").write_text("  \n", encoding="utf-8")
    assert main(["add", str(source), str(tmp_path / "rong.txt")]) == 1  # one refused
    assert main(["remove", NOTE_TITLE]) == 0
    assert main(["index", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["audit", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    who = f"💻 {getpass.getuser()}"
    assert lines[0] == "Nhật ký quản trị (3 việc gần nhất)"
    assert re.fullmatch(rf"✅ \d\d/\d\d \d\d:\d\d · {who} · cập nhật chỉ mục «Đã cập nhật chỉ mục: thêm 0, sửa 0, "
                        r"xoá 0, giữ nguyên 8»", lines[1]), lines[1]
    assert lines[2].endswith(f" · {who} · gỡ «{NOTE_TITLE}»") and lines[2].startswith("✅ ")
    assert lines[3].endswith(f" · {who} · thêm tệp «Quy_chế_chi_bộ.txt»")
    assert main(["audit"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(f" · {who} · thêm tệp «rong.txt» (không thành công)")


def test_stats_chart_writes_the_png(own_index: Path, tmp_path: Path) -> None:
    from index.logbook import Logbook

    book = Logbook(own_index / "vankien.db")
    book.log_query("Người vào Đảng phải đủ bao nhiêu tuổi?", True, top_passage="705ce9d499-0001", n_hits=1)
    book.close()
    chart = tmp_path / "thongke.png"
    out = run(["stats", "--chart", str(chart)], own_index)
    assert out.returncode == 0 and out.stdout.splitlines()[-1] == f"Đã lưu biểu đồ vào {chart}."
    png = chart.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") >= 900  # phone-legible width
    bad = run(["stats", "--chart", str(tmp_path / "no" / "such" / "dir.png")], own_index)
    assert bad.returncode == 1 and bad.stderr.startswith("Could not write the chart to ")
    assert "Traceback" not in bad.stderr
