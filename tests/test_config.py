"""Settings from the environment: defaults, and a one-line ConfigError for each bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

VARIABLES = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "ADMIN_IDS", "VANKIEN_DATA_DIR",
             "VANKIEN_CORPUS_DIR", "VANKIEN_ENGINE", "VANKIEN_QUESTIONS_PER_MINUTE", "WEBHOOK_URL",
             "WEBHOOK_SECRET", "PORT")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting from the machine running the tests, and no `.env` in the working directory;
    whatever a test's `.env` puts into the environment is taken out again afterwards."""
    for name in VARIABLES:
        monkeypatch.setenv(name, "")  # records the variable, so undoing removes it
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings()
    assert (settings.data_dir, settings.corpus_dir) == (tmp_path / "var", tmp_path / "corpus")
    assert (settings.engine, settings.token, settings.admin_ids) == ("tantivy", None, frozenset())
    assert (settings.port, settings.questions_per_minute) == (8443, 20)
    assert settings.base_url == "https://api.telegram.org/bot"


@pytest.mark.parametrize("name, value, expected", [
    ("PORT", "8080", ("port", 8080)),
    ("PORT", " 443 ", ("port", 443)),
    ("PORT", "", ("port", 8443)),
    ("VANKIEN_QUESTIONS_PER_MINUTE", "5", ("questions_per_minute", 5)),
    ("ADMIN_IDS", "1, 2;3", ("admin_ids", frozenset({1, 2, 3}))),
    ("VANKIEN_ENGINE", "rank-bm25", ("engine", "rank-bm25")),
])
def test_good_values(monkeypatch: pytest.MonkeyPatch, name: str, value: str,
                     expected: tuple[str, object]) -> None:
    monkeypatch.setenv(name, value)
    assert getattr(load_settings(), expected[0]) == expected[1]


@pytest.mark.parametrize("name, value, says", [
    ("PORT", "abc", "PORT must be a whole number from 1 to 65535, got 'abc'."),
    ("PORT", "0", "PORT must be a whole number from 1 to 65535, got '0'."),
    ("PORT", "70000", "PORT must be a whole number from 1 to 65535, got '70000'."),
    ("PORT", "-1", "PORT must be a whole number from 1 to 65535, got '-1'."),
    ("PORT", "²", "PORT must be a whole number from 1 to 65535, got '²'."),
    ("VANKIEN_QUESTIONS_PER_MINUTE", "x",
     "VANKIEN_QUESTIONS_PER_MINUTE must be a whole number from 1 to 100000, got 'x'."),
    ("VANKIEN_QUESTIONS_PER_MINUTE", "0",
     "VANKIEN_QUESTIONS_PER_MINUTE must be a whole number from 1 to 100000, got '0'."),
    ("VANKIEN_QUESTIONS_PER_MINUTE", "2.5",
     "VANKIEN_QUESTIONS_PER_MINUTE must be a whole number from 1 to 100000, got '2.5'."),
    ("ADMIN_IDS", "1, me", "ADMIN_IDS must be comma-separated Telegram user ids, got 'me'."),
    ("VANKIEN_ENGINE", "bm25", "VANKIEN_ENGINE must be 'tantivy' or 'rank-bm25', got 'bm25'."),
])
def test_bad_values_say_what_to_set(monkeypatch: pytest.MonkeyPatch, name: str, value: str,
                                    says: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(err.value) == says


def test_env_file_is_read_but_the_environment_wins(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PORT=9000\nVANKIEN_QUESTIONS_PER_MINUTE=7\n", encoding="utf-8")
    monkeypatch.setenv("PORT", "9001")
    settings = load_settings()
    assert (settings.port, settings.questions_per_minute) == (9001, 7)
