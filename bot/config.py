"""Settings: the only module that reads the environment (and an optional `.env`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

TOKEN_RE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
DEFAULT_BASE_URL = "https://api.telegram.org/bot"


class ConfigError(Exception):
    """A setting is missing or malformed; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read once at start-up."""

    data_dir: Path
    corpus_dir: Path
    engine: str
    token: str | None
    base_url: str
    admin_ids: frozenset[int]
    webhook_url: str | None
    webhook_secret: str | None
    port: int
    questions_per_minute: int = 20  # per user, in the Telegram bot

    @property
    def db_path(self) -> Path:
        """The SQLite file that holds documents, passages and logs."""
        return self.data_dir / "vankien.db"

    @property
    def base_file_url(self) -> str:
        """Where python-telegram-bot downloads files: `…/bot` becomes `…/file/bot`."""
        base = self.base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("bot")] + "file/bot"
        return base + "/file/bot"

    def require_token(self) -> str:
        """The bot token, or a ConfigError that says what to set."""
        if not self.token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set. Put it in .env (see .env.example).")
        if not TOKEN_RE.match(self.token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN looks malformed (expected '123456789:ABC…' from @BotFather)."
            )
        return self.token


def _admin_ids(raw: str) -> frozenset[int]:
    """Parse ADMIN_IDS='1, 2,3' into a set of ints."""
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise ConfigError(f"ADMIN_IDS must be comma-separated Telegram user ids, got {part!r}.")
        ids.add(int(part))
    return frozenset(ids)


def _whole_number(name: str, raw: str | None, default: int, lowest: int, highest: int) -> int:
    """An integer setting between `lowest` and `highest`, or a ConfigError naming it.

    >>> _whole_number("PORT", "abc", 8443, 1, 65535)
    Traceback (most recent call last):
    bot.config.ConfigError: PORT must be a whole number from 1 to 65535, got 'abc'.
    """
    raw = (raw or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not lowest <= int(raw) <= highest:
        raise ConfigError(f"{name} must be a whole number from {lowest} to {highest}, got {raw!r}.")
    return int(raw)


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Read settings from the environment, after loading `.env` if present."""
    if env_file and Path(env_file).is_file():
        load_dotenv(env_file, override=False)
    env = os.environ
    root = Path.cwd()
    engine = env.get("VANKIEN_ENGINE", "tantivy").strip() or "tantivy"
    if engine not in ("tantivy", "rank-bm25"):
        raise ConfigError(f"VANKIEN_ENGINE must be 'tantivy' or 'rank-bm25', got {engine!r}.")
    return Settings(
        data_dir=Path(env.get("VANKIEN_DATA_DIR") or root / "var"),
        corpus_dir=Path(env.get("VANKIEN_CORPUS_DIR") or root / "corpus"),
        engine=engine,
        token=(env.get("TELEGRAM_BOT_TOKEN") or "").strip() or None,
        base_url=(env.get("TELEGRAM_BASE_URL") or "").strip() or DEFAULT_BASE_URL,
        admin_ids=_admin_ids(env.get("ADMIN_IDS", "")),
        webhook_url=(env.get("WEBHOOK_URL") or "").strip() or None,
        webhook_secret=(env.get("WEBHOOK_SECRET") or "").strip() or None,
        port=_whole_number("PORT", env.get("PORT"), 8443, 1, 65535),
        questions_per_minute=_whole_number(
            "VANKIEN_QUESTIONS_PER_MINUTE", env.get("VANKIEN_QUESTIONS_PER_MINUTE"), 20, 1, 100_000
        ),
    )
