"""The `vankien` command line, run as a real subprocess over a real index."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.search import Searcher

ROOT = Path(__file__).resolve().parent.parent
RESULT_KEYS = {"rank", "score", "doc_id", "title", "code", "issuer", "publisher", "date", "url",
               "location", "passage_id", "passage", "excerpt", "missing"}


def run(args: list[str], data: Path, stdin: str | None = None, **settings: str
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VANKIEN_DATA_DIR": str(data), "VANKIEN_CORPUS_DIR": str(ROOT / "corpus"), **settings}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_ask_json_prints_exactly_one_object(shipped_index: Path) -> None:
    out = run(["ask", "--json", "Người vào Đảng phải đủ bao nhiêu tuổi?"], shipped_index)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) == {"query", "answered", "read_as", "results"} and obj["answered"] is True
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
    assert objs[1]["results"] == []


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
    assert len(documents) == 8 and "294-QĐ/TW" in documents[0]


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
    assert "Bạn cứ gõ câu hỏi, ví dụ «" in out.stdout and "Rất vui được giúp bạn" in out.stdout
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


def test_every_subcommand_is_in_the_readme() -> None:
    from bot.cli import COMMANDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"vankien {name}" in readme, f"`vankien {name}` is not documented in README.md"
