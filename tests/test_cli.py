"""The `vankien` command line, run as a real subprocess over a real index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULT_KEYS = {"rank", "score", "doc_id", "title", "code", "issuer", "publisher", "date", "url",
               "location", "passage_id", "passage", "excerpt", "missing"}


def run(args: list[str], data: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VANKIEN_DATA_DIR": str(data), "VANKIEN_CORPUS_DIR": str(ROOT / "corpus")}
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


def test_stats_lists_documents(shipped_index: Path) -> None:
    out = run(["stats"], shipped_index)
    assert "documents: 7" in out.stdout and "294-QĐ/TW" in out.stdout


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


def test_every_subcommand_is_in_the_readme() -> None:
    from bot.cli import COMMANDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"vankien {name}" in readme, f"`vankien {name}` is not documented in README.md"
