"""The Telegram application: settings in, handlers wired, polling or webhook out.

>>> app = build_application(load_settings())   # doctest: +SKIP
>>> run_bot(load_settings())  # what `vankien bot` does  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    InvalidCallbackData,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot import admin, study, texts
from bot import handlers as h
from bot import keyboards as kb
from bot.config import ConfigError, Settings
from bot.delivery import SEND_READ_TIMEOUT, RetryingRateLimiter
from bot.services import Services, UserRateLimit
from index.audit import AuditTrail
from index.logbook import Logbook
from index.search import IndexNotFound, Searcher

log = logging.getLogger(__name__)

NEW = filters.UpdateType.MESSAGE  # edits of old messages are not new questions
PRIVATE, GROUPS = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def add_handlers(app: Application) -> None:
    """All the wiring, in one place."""
    app.add_handlers([
        CommandHandler("start", study.passage_link, NEW & filters.Regex(r"^/start(@\w+)? p_")),
        CommandHandler("start", h.start, NEW),
        CommandHandler(["trogiup", "help"], h.help_command, NEW),
        CommandHandler(["hoi", "ask"], h.ask_command, NEW),
        CommandHandler("vanban", h.documents_command, NEW),
        CommandHandler("phamvi", h.scope_command, NEW),
        CommandHandler("capnhat", admin.reindex_command, NEW),
        CommandHandler("thongke", admin.stats_command, NEW),
        CommandHandler("xoavanban", admin.remove_command, NEW),
        CommandHandler("ontap", study.quiz_command, NEW),
        CommandHandler("ketqua", study.scores_command, NEW),
        CommandHandler("batdau", study.start_command, NEW),
        CommandHandler("tongket", study.end_command, NEW),
        CommandHandler("theodoi", study.subscribe_command, NEW),
        CommandHandler("huytheodoi", study.unsubscribe_command, NEW),
        PollAnswerHandler(study.poll_answer),
        CommandHandler("nhatky", admin.audit_command, NEW),
        CommandHandler("quantri", admin.admins_command, NEW),
        MessageHandler(filters.StatusUpdate.MIGRATE, h.chat_migrated),
        MessageHandler(NEW & PRIVATE & filters.TEXT & ~filters.COMMAND, h.private_text),
        MessageHandler(NEW & GROUPS & filters.TEXT & ~filters.COMMAND, h.group_text),
        MessageHandler(NEW & PRIVATE & filters.Document.ALL, admin.receive_document),
        MessageHandler(NEW & PRIVATE & filters.COMMAND, h.unknown_command),
        MessageHandler(NEW & PRIVATE & ~filters.StatusUpdate.ALL, h.not_text),
        CallbackQueryHandler(h.more_results, pattern=kb.on(kb.MORE)),
        CallbackQueryHandler(h.full_passage, pattern=kb.on(kb.FULL)),
        CallbackQueryHandler(h.feedback, pattern=kb.on(kb.UP, kb.DOWN)),
        CallbackQueryHandler(h.example_question, pattern=kb.on(kb.EXAMPLE)),
        CallbackQueryHandler(h.whole_article, pattern=kb.on(kb.PLACE)),
        CallbackQueryHandler(h.documents_button, pattern=kb.on(kb.DOCS, kb.DOC_LIST)),
        CallbackQueryHandler(admin.removal_button,
                             pattern=kb.on(kb.PICK, kb.REMOVE, kb.KEEP, kb.RESTORE)),
        CallbackQueryHandler(admin.upload_button, pattern=kb.on(kb.REPLACE_FILE, kb.KEEP_BOTH)),
        CallbackQueryHandler(h.stale_button, pattern=InvalidCallbackData),
        CallbackQueryHandler(study.next_question, pattern=kb.on(kb.QUIZ_NEXT)),
        CallbackQueryHandler(study.card_button, pattern=kb.on(kb.CARD)),
        CallbackQueryHandler(h.applying_points, pattern=kb.on(kb.APPLIED)),
        CallbackQueryHandler(h.facet_button, pattern=kb.on(kb.FACET)),
        CallbackQueryHandler(h.ask_in_button, pattern=kb.on(kb.ASK_IN)),
        CallbackQueryHandler(h.read_button, pattern=kb.on(kb.READ)),
        CallbackQueryHandler(h.original_button, pattern=kb.on(kb.ORIGINAL)),
        CallbackQueryHandler(h.stale_button),
        InlineQueryHandler(h.inline_query),
    ])
    app.add_error_handler(h.on_error)
    check_button_patterns(app)


def check_button_patterns(app: Application) -> None:
    """Refuse a CallbackQueryHandler routed by a text pattern: callback data are Buttons
    (bot/keyboards.py), which a text pattern never matches (a merge that adds one fails here,
    not silently with "hết hạn" on every press); `pattern=kb.on(ACTION)` routes them."""
    for group in app.handlers.values():
        for handler in group:
            if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern):
                raise TypeError(f"{handler.callback.__name__}: route buttons with "
                                f"pattern=kb.on(ACTION), not the text pattern {handler.pattern.pattern!r}")


def build_application(settings: Settings, searcher: Searcher | None = None, *,
                      read_timeout: float = SEND_READ_TIMEOUT) -> Application:
    """The bot with every handler wired; services live in `bot_data["services"]`. Button
    state is kept in the data directory (survives restarts); transient Bot API faults are
    retried (bot/delivery.py; `read_timeout`: how long a call waits for Telegram's answer)."""
    token = settings.require_token()
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        allow_sending_without_reply=True,
    )
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .defaults(defaults)
        .rate_limiter(RetryingRateLimiter(max_retries=3))
        .read_timeout(read_timeout)
        .arbitrary_callback_data(kb.BUTTONS_KEPT)
        .persistence(kb.button_persistence(settings.data_dir))
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["services"] = Services(
        settings, opened=searcher, limiter=UserRateLimit(settings.questions_per_minute)
    )
    app.bot_data["services"].on_new_documents = lambda docs: study.schedule_notices(app, docs)
    add_handlers(app)
    return app


async def post_init(app: Application) -> None:
    """Open the index and the query log, warm the models, register the commands."""
    svc: Services = app.bot_data["services"]
    settings = svc.settings
    if svc.opened is None:
        svc.opened = await asyncio.to_thread(Searcher.open, settings.data_dir, settings.engine)
    svc.logbook = await asyncio.to_thread(Logbook, settings.db_path)
    svc.audit = await asyncio.to_thread(AuditTrail, settings.db_path)
    await svc.refresh_admins()
    await svc.warm()
    await register_commands(app, settings.admin_ids | svc.added_admins)
    log.info("Bot @%s ready: %s", app.bot.username, svc.searcher.stats())


async def post_shutdown(app: Application) -> None:
    """Close what the bot opened: the store's readers and connections, and the query log's."""
    svc: Services = app.bot_data["services"]
    if svc.opened is not None:
        await asyncio.to_thread(svc.opened.store.close)
    if svc.logbook is not None:
        svc.logbook.close()
    if svc.audit is not None:
        svc.audit.close()
    log.info("Closed the index store and the query log")


PRIVATE_COMMANDS = texts.COMMANDS + texts.STUDY_COMMANDS


def _commands(pairs: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in pairs]


async def register_commands(app: Application, admin_ids: frozenset[int]) -> None:
    """setMyCommands with Vietnamese descriptions (admins also see the admin commands)."""
    bot = app.bot
    try:
        await bot.set_my_commands(_commands(PRIVATE_COMMANDS))
        await bot.set_my_commands(_commands(PRIVATE_COMMANDS), scope=BotCommandScopeAllPrivateChats())
        await bot.set_my_commands(_commands(texts.GROUP_COMMANDS + texts.STUDY_GROUP_COMMANDS),
                                  scope=BotCommandScopeAllGroupChats())
    except TelegramError as err:
        log.warning("Could not register the bot commands: %s", err)
    for admin_id in sorted(admin_ids):
        try:
            await bot.set_my_commands(_commands(PRIVATE_COMMANDS + texts.ADMIN_COMMANDS[len(texts.COMMANDS):]),
                                      scope=BotCommandScopeChat(admin_id))
        except TelegramError as err:  # the admin has not started a chat with the bot yet
            log.info("Admin commands not set for %s: %s", admin_id, err)


def webhook_path(webhook_url: str) -> str:
    """The path the webhook server listens on: 'https://x.org/tg/hook' -> 'tg/hook'."""
    return urlsplit(webhook_url).path.strip("/")


def check_webhook(settings: Settings) -> None:
    """A ConfigError for webhook settings Telegram would refuse."""
    if not settings.webhook_url:
        return
    if not re.match(r"^https?://", settings.webhook_url):
        raise ConfigError("WEBHOOK_URL must be an https:// address Telegram can reach.")
    if settings.webhook_secret and not SECRET_RE.match(settings.webhook_secret):
        raise ConfigError("WEBHOOK_SECRET may only use A-Z, a-z, 0-9, _ and - (1-256 characters).")
    if not settings.webhook_secret:
        log.warning("WEBHOOK_SECRET is not set: anyone who finds the URL can post updates.")


async def start_application(app: Application, listen: str = "0.0.0.0",
                            poll_timeout: int = 10) -> None:
    """Start inside a running event loop, as run_bot would (for tests and scripts)."""
    settings: Settings = app.bot_data["services"].settings
    check_webhook(settings)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    if settings.webhook_url:
        await app.updater.start_webhook(
            listen=listen, port=settings.port, url_path=webhook_path(settings.webhook_url),
            webhook_url=settings.webhook_url, secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout,
                                        allowed_updates=Update.ALL_TYPES,
                                        error_callback=lambda err: polling_failed(app, err))


def polling_failed(app: Application, err: TelegramError) -> None:
    """A failed getUpdates goes to the error handler, as in run_polling (PTB retries it)."""
    app.create_task(app.process_error(update=None, error=err))


async def stop_application(app: Application) -> None:
    """Stop what start_application started."""
    if app.updater and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)


def configure_logging() -> None:
    """INFO logs; never the request URLs (they contain the token). `force`: importing
    underthesea has already called basicConfig (a WARNING handler), which would ignore ours."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        level=logging.INFO, force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def run_bot(settings: Settings) -> None:
    """Run the bot until interrupted: long polling, or a webhook when WEBHOOK_URL is set."""
    configure_logging()
    settings.require_token()
    check_webhook(settings)
    try:
        searcher = Searcher.open(settings.data_dir, settings.engine)
    except IndexNotFound as exc:
        raise ConfigError(str(exc)) from exc
    app = build_application(settings, searcher)
    if settings.webhook_url:
        app.run_webhook(
            listen="0.0.0.0", port=settings.port, url_path=webhook_path(settings.webhook_url),
            webhook_url=settings.webhook_url, secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
