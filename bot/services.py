"""Long-lived services of the Telegram bot, kept in `application.bot_data["services"]`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot import texts
from bot.config import Settings
from index.models import Reason

if TYPE_CHECKING:
    from telegram import User

    from index.audit import AuditTrail
    from index.logbook import Logbook
    from index.models import Answer, Document, Passage
    from index.search import Searcher

log = logging.getLogger(__name__)

# Small talk, folded, once the courtesies around it are dropped ("Cảm ơn bot nhiều ạ!").
GREETINGS = frozenset({"chao", "xin chao", "hello", "hi", "alo", "chao buoi sang", "chao buoi chieu", "chao buoi toi"})
THANKS = frozenset({"cam on", "xin cam on", "ok cam on", "thanks", "thank you", "thank", "tks"})
_COURTESIES = frozenset("a nhe nha ban bot ad admin em anh chi moi nguoi ca nhieu rat oi vankien".split())
MAX_SMALL_TALK_WORDS = 6


def small_talk(text: str) -> str | None:
    """"hello" or "thanks" for a short greeting or thank-you that asks nothing, else None.

    >>> small_talk("Xin chào bot!"), small_talk("cam on nhieu a"), small_talk("Chào cờ gồm những gì?")
    ('hello', 'thanks', None)
    """
    from index.text import syllables, unaccented  # the engine's analysis (loaded with the engine)

    words = syllables(unaccented(text))
    if not words or len(words) > MAX_SMALL_TALK_WORDS:
        return None
    core = " ".join(w for w in words if w not in _COURTESIES)
    return "hello" if core in GREETINGS else "thanks" if core in THANKS else None


@dataclass(frozen=True)
class AnswerState:
    """What the buttons under one answer need: the question and the passages shown."""

    question: str
    offset: int
    passage_ids: tuple[str, ...]
    total: int
    chat_type: str | None = None
    facets: tuple[str, ...] = ()  # levels or terms its quotes span, offered as buttons


class UserRateLimit:
    """At most `limit` questions per user in any `period` seconds (a sliding window)."""

    def __init__(self, limit: int = 20, period: float = 60.0) -> None:
        self.limit, self.period = limit, period
        self._seen: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def allow(self, user_id: int) -> bool:
        """Count one question; False when the user is over the limit."""
        now = time.monotonic()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= self.period:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        self._warned.pop(user_id, None)
        return True

    def wait_seconds(self, user_id: int) -> int:
        """Seconds until the user may ask again."""
        times = self._seen.get(user_id)
        if not times:
            return 0
        return max(1, round(self.period - (time.monotonic() - times[0])))

    def should_warn(self, user_id: int) -> bool:
        """True once per throttled spell, so the polite note itself never floods."""
        if user_id in self._warned:
            return False
        self._warned[user_id] = time.monotonic()
        return True


@dataclass
class Services:
    """Everything handlers share; created by build_application, completed in post_init."""

    settings: Settings
    opened: Searcher | None = None  # the Searcher once post_init has opened it (or as given); see `searcher`
    logbook: Logbook | None = None
    limiter: UserRateLimit = field(default_factory=UserRateLimit)
    examples: list[str] = field(default_factory=list)
    reindex_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    progress_interval: float = 2.0  # seconds between edits of the /capnhat progress message
    on_new_documents: Callable[[list[Document]], None] | None = None  # after a re-index: bot/study.py's notices
    audit: AuditTrail | None = None  # the audit trail and the administrators added in the bot
    added_admins: frozenset[int] = frozenset()  # those of `audit`, read again after each change

    def is_admin(self, user_id: int) -> bool:
        """Whether the user is an administrator: in ADMIN_IDS, or added with /quantri."""
        return user_id in self.settings.admin_ids or user_id in self.added_admins

    async def refresh_admins(self) -> None:
        """Read the administrators added in the bot again (at start-up, after /quantri)."""
        if self.audit is not None:
            self.added_admins = await asyncio.to_thread(self.audit.admin_ids)

    async def record(self, user: User | None, action: str, outcome: str, document: str | None = None) -> None:
        """Add an entry to the audit trail; a failure to write it never stops the action."""
        if self.audit is None:
            return
        name = (user.full_name or user.username) if user else None
        try:
            await asyncio.to_thread(self.audit.record, action, outcome, user_id=user.id if user else None,
                                    name=name, document=document)
        except Exception:  # noqa: BLE001 - the trail is best effort, and says so in the log
            log.warning("Could not write the audit trail (%s %s)", action, outcome, exc_info=True)
        log.info("Audit: %s %s %s by user %s", action, outcome, document or "", user.id if user else None)

    @property
    def searcher(self) -> Searcher:
        """The Searcher (opened at start-up)."""
        if self.opened is None:
            raise RuntimeError("The Searcher is opened in post_init; the bot is not started.")
        return self.opened

    async def ask(self, question: str, k: int = 3, offset: int = 0,
                  scope: list[Document] | None = None) -> tuple[Answer, float]:
        """Search off the event loop (only in the documents of `scope` when given); returns
        the answer and the time it took in ms."""
        started = time.perf_counter()
        within = frozenset(d.doc_id for d in scope) if scope else None
        answer = await asyncio.to_thread(self.searcher.ask, question, k, offset, within)
        return answer, (time.perf_counter() - started) * 1000

    async def chat_scope(self, chat_id: int | None) -> list[Document]:
        """The documents a chat is limited to (`/phamvi`), as they are now; [] for all
        (also when none of the chosen documents is left)."""
        if self.logbook is None or chat_id is None:
            return []
        try:
            paths = await asyncio.to_thread(self.logbook.chat_scope, chat_id)
        except Exception:  # noqa: BLE001 - an unreadable setting must not cost the answer
            log.warning("Could not read the scope of chat %s; answering from all documents", chat_id,
                        exc_info=True)
            return []
        if not paths:
            return []
        return [d for d in await self.documents() if d.path in paths]

    async def set_chat_scope(self, chat_id: int, docs: list[Document]) -> None:
        """Limit a chat to these documents; [] lifts the limit."""
        if self.logbook is None:
            raise RuntimeError("The chat settings live in the logbook, which is not open.")
        await asyncio.to_thread(self.logbook.set_chat_scope, chat_id, [d.path for d in docs])

    async def passage(self, passage_id: str) -> tuple[Document, Passage] | None:
        """A passage and its document, off the event loop."""
        return await asyncio.to_thread(self.searcher.passage, passage_id)

    async def documents(self) -> list[Document]:
        """All documents of the current index, off the event loop."""
        return await asyncio.to_thread(self.searcher.documents)

    async def find_documents(self, query: str) -> list[Document]:
        """Documents by code or title words, off the event loop."""
        return await asyncio.to_thread(self.searcher.find_documents, query)

    async def refresh_examples(self, n: int = 3) -> None:
        """Example questions the corpus answers (the engine's, else made from titles)."""
        self.examples = await asyncio.to_thread(example_questions, self.searcher, n)

    async def warm(self) -> None:
        """After start-up or a re-index: the example questions (asking them warms the models,
        the index and the accent model) and the structural labels, so that no user's first
        question, nor first "Điều 8", pays for loading them."""
        await self.refresh_examples()
        await asyncio.to_thread(lambda: self.searcher.places)

    async def log_query(self, answer: Answer, latency_ms: float, chat_type: str | None,
                        user_id: int | None, chat_id: int | None = None) -> None:
        """Record a question in the query log; a logging failure never hurts the answer."""
        if self.logbook is None or answer.reason == Reason.EMPTY:
            return
        top = answer.hits[0].passage.passage_id if answer.hits else None
        try:
            await asyncio.to_thread(
                self.logbook.log_query, answer.query, answer.answered, chat_type=chat_type,
                user_id=user_id, reason=answer.reason, top_passage=top,
                n_hits=len(answer.hits), latency_ms=latency_ms, confidence=answer.confidence,
                chat_id=chat_id,
            )
        except Exception:  # noqa: BLE001 - the log is best effort
            log.warning("Could not write the query log", exc_info=True)


def example_questions(searcher: Searcher, n: int = 3) -> list[str]:
    """Questions the corpus answers: the engine's examples, topped up from document titles."""
    found = searcher.answered(texts.EXAMPLE_QUESTIONS, n)
    for doc in searcher.documents():
        if len(found) >= n:
            break
        found.append(texts.TITLE_QUESTION.format(name=doc.code or doc.title))
    return found[:n]
