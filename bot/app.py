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
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import admin, texts
from bot import handlers as h
from bot import keyboards as kb
from bot.config import ConfigError, Settings
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
        CommandHandler("start", h.start, NEW),
        CommandHandler(["trogiup", "help"], h.help_command, NEW),
        CommandHandler(["hoi", "ask"], h.ask_command, NEW),
        CommandHandler("vanban", h.documents_command, NEW),
        CommandHandler("phamvi", h.scope_command, NEW),
        CommandHandler("capnhat", admin.reindex_command, NEW),
        CommandHandler("thongke", admin.stats_command, NEW),
        CommandHandler("xoavanban", admin.remove_command, NEW),
        CommandHandler("nhatky", admin.audit_command, NEW),
        CommandHandler("quantri", admin.admins_command, NEW),
        MessageHandler(filters.StatusUpdate.MIGRATE, h.chat_migrated),
        MessageHandler(NEW & PRIVATE & filters.TEXT & ~filters.COMMAND, h.private_text),
        MessageHandler(NEW & GROUPS & filters.TEXT & ~filters.COMMAND, h.group_text),
        MessageHandler(NEW & PRIVATE & filters.Document.ALL, admin.receive_document),
        MessageHandler(NEW & PRIVATE & filters.COMMAND, h.unknown_command),
        MessageHandler(NEW & PRIVATE & ~filters.StatusUpdate.ALL, h.not_text),
        CallbackQueryHandler(h.more_results, pattern=f"^{kb.MORE}:"),
        CallbackQueryHandler(h.full_passage, pattern=f"^{kb.FULL}:"),
        CallbackQueryHandler(h.feedback, pattern=f"^[{kb.UP}{kb.DOWN}]:"),
        CallbackQueryHandler(h.example_question, pattern=f"^{kb.EXAMPLE}:"),
        CallbackQueryHandler(h.whole_article, pattern=f"^{kb.PLACE}:"),
        CallbackQueryHandler(h.documents_button, pattern=f"^[{kb.DOCS}{kb.DOC_LIST}]:"),
        CallbackQueryHandler(admin.removal_button,
                             pattern=f"^[{kb.PICK}{kb.REMOVE}{kb.KEEP}{kb.RESTORE}]:"),
        CallbackQueryHandler(admin.upload_button, pattern=f"^[{kb.REPLACE_FILE}{kb.KEEP_BOTH}]:"),
        CallbackQueryHandler(h.stale_button),
        InlineQueryHandler(h.inline_query),
    ])
    app.add_error_handler(h.on_error)


def build_application(settings: Settings, searcher: Searcher | None = None) -> Application:
    """The bot with every handler wired; services live in `bot_data["services"]`."""
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
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["services"] = Services(
        settings, opened=searcher, limiter=UserRateLimit(settings.questions_per_minute)
    )
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


def _commands(pairs: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in pairs]


async def register_commands(app: Application, admin_ids: frozenset[int]) -> None:
    """setMyCommands with Vietnamese descriptions (admins also see the admin commands)."""
    bot = app.bot
    try:
        await bot.set_my_commands(_commands(texts.COMMANDS))
        await bot.set_my_commands(_commands(texts.COMMANDS), scope=BotCommandScopeAllPrivateChats())
        await bot.set_my_commands(_commands(texts.GROUP_COMMANDS),
                                  scope=BotCommandScopeAllGroupChats())
    except TelegramError as err:
        log.warning("Could not register the bot commands: %s", err)
    for admin_id in sorted(admin_ids):
        try:
            await bot.set_my_commands(_commands(texts.ADMIN_COMMANDS),
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
                                        allowed_updates=Update.ALL_TYPES)


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
