"""Administration: re-index without stopping, add documents sent to the bot, usage stats."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from pathlib import Path
from types import TracebackType

from telegram import BotCommand, BotCommandScopeChat, CallbackQuery, Message, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import keyboards as kb
from bot import texts
from bot.chart import chart_png
from bot.handlers import Context, command_argument, edit, reply, services
from bot.render import (
    document_heading,
    escape_html,
    local_time,
    render_audit_html,
    render_document_html,
    render_usage_html,
    summary_changes,
    summary_html,
)
from bot.services import Services
from index.corpus import (
    clashes,
    free_name,
    held,
    hold,
    move_out_of_corpus,
    put_back,
    release,
    removed_files,
    safe_file_name,
    save_into_corpus,
)
from index.indexer import IndexBusy, IndexSummary, reindex
from index.ingest import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, IngestError, parse_bytes
from index.models import Document
from index.text import unaccented

log = logging.getLogger(__name__)

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # what getFile serves to bots
MAX_CHOICES = 10
AUDIT_SHOWN = 20  # entries /nhatky shows
ADD_WORDS, REMOVE_WORDS = frozenset({"them", "add"}), frozenset({"bo", "xoa", "remove"})  # folded


def is_admin(update: Update, context: Context) -> bool:
    """Whether the sender is an administrator: in ADMIN_IDS, or added with /quantri."""
    user = update.effective_user
    return bool(user and services(context).is_admin(user.id))


async def refuse(update: Update, context: Context, action: str, text: str = texts.NOT_ADMIN) -> None:
    """The polite refusal for non-administrators; nothing changes but the audit trail. In a
    private chat it tells the user their Telegram id: whoever installs the bot needs it for
    ADMIN_IDS, and another administrator for /quantri."""
    message, user = update.effective_message, update.effective_user
    assert message is not None
    log.info("Refused an admin action to user %s", getattr(user, "id", None))
    await services(context).record(user, action, "refused")
    if user and message.chat.type == ChatType.PRIVATE:
        text += "\n" + texts.YOUR_ID.format(id=user.id)
    await reply(message, text)


# -- re-indexing ------------------------------------------------------------------------------


class ProgressMessage:
    """One status message, edited at most every `interval` seconds with the latest progress.

    `report` is called from the re-index thread; it only stores the numbers, and a task on
    the event loop does the editing, so edits never overlap or arrive out of order.
    """

    def __init__(self, message: Message, interval: float) -> None:
        self.message, self.interval = message, interval
        self.shown = message.text_html if message.text else ""
        self.latest: tuple[int, int, str] | None = None
        self._task: asyncio.Task[None] | None = None

    def report(self, done: int, total: int, name: str) -> None:
        """Progress callback for `reindex` (any thread)."""
        self.latest = (done, total, name)

    async def show(self, text: str) -> None:
        """Edit the message to `text` unless it already says that."""
        if text != self.shown:
            await edit(self.message, text)
            self.shown = text

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            if self.latest:
                done, total, name = self.latest
                text = texts.REINDEX_PROGRESS.format(done=done, total=total,
                                                     name=escape_html(name))
                with contextlib.suppress(Exception):
                    await self.show(text)

    async def __aenter__(self) -> ProgressMessage:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def run_reindex(svc: Services, progress: ProgressMessage) -> IndexSummary | None:
    """Re-index in a thread while the bot keeps answering; None if another one runs."""
    if svc.reindex_lock.locked():
        return None
    async with svc.reindex_lock, progress:
        settings = svc.settings
        before = {d.doc_id for d in await svc.documents()}
        try:
            summary = await asyncio.to_thread(
                reindex, settings.corpus_dir, settings.data_dir, progress.report
            )
        except IndexBusy:
            return None
    await asyncio.to_thread(svc.searcher.reload_if_changed)
    await svc.warm()
    new = [d for d in await svc.documents() if d.doc_id not in before]
    if new and svc.on_new_documents is not None:  # added or replaced: news for subscribed chats
        svc.on_new_documents(new)
    return summary


async def reindex_showing(svc: Services, message: Message, start: str, busy: str, what: str
                         ) -> tuple[ProgressMessage, IndexSummary | None]:
    """Show `start` on `message`, then re-index with its progress there. On failure (old
    index kept) or when another re-index runs, the message says so (`busy`) and the summary
    is None."""
    progress = ProgressMessage(message, svc.progress_interval)
    await progress.show(start)
    try:
        summary = await run_reindex(svc, progress)
    except Exception:
        log.exception("Re-index after %s failed", what)
        await progress.show(texts.REINDEX_FAILED)
        return progress, None
    if summary is None:
        await progress.show(busy)
    return progress, summary


async def reindex_command(update: Update, context: Context) -> None:
    """/capnhat: re-index the corpus, editing one progress message, ending with the summary."""
    if not is_admin(update, context):
        await refuse(update, context, "reindex")
        return
    svc = services(context)
    assert update.effective_message is not None
    status = await reply(update.effective_message, texts.REINDEX_START)
    progress = ProgressMessage(status, svc.progress_interval)
    try:
        summary = await run_reindex(svc, progress)
    except Exception:
        log.exception("Re-index failed")
        await progress.show(texts.REINDEX_FAILED)
        await svc.record(update.effective_user, "reindex", "failed")
        return
    await svc.record(update.effective_user, "reindex", "ok" if summary else "busy",
                     summary_changes(summary) if summary else None)
    await progress.show(summary_html(summary) if summary else texts.REINDEX_BUSY)


# -- documents sent to the bot ------------------------------------------------------------------


async def download(message: Message) -> bytes:
    """The bytes of the document attached to `message`."""
    assert message.document is not None
    file = await message.document.get_file(read_timeout=60)
    return bytes(await file.download_as_bytearray(read_timeout=120))


def upload_problem(name: str, size: int | None) -> str | None:
    """Why an upload is refused before downloading it, or None."""
    limit = min(MAX_FILE_BYTES, TELEGRAM_DOWNLOAD_LIMIT)
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        return texts.UPLOAD_BAD_TYPE.format(name=escape_html(name))
    if size is not None and size > limit:
        return texts.UPLOAD_TOO_BIG.format(name=escape_html(name), limit=limit // 1024 // 1024)
    return None


async def receive_document(update: Update, context: Context) -> None:
    """A file sent in a private chat: an admin's is checked, saved into the corpus, indexed."""
    message = update.effective_message
    assert message is not None and message.document is not None
    if not is_admin(update, context):
        await refuse(update, context, "upload", texts.NOT_ADMIN_UPLOAD)
        return
    name = safe_file_name(message.document.file_name or "van-ban")
    problem = upload_problem(name, message.document.file_size)
    if problem:
        await reply(message, problem)
        await services(context).record(update.effective_user, "upload", "failed", name)
        return
    status = await reply(message, texts.UPLOAD_READING.format(name=escape_html(name)))
    await add_document(services(context), status, name, await download(message), update.effective_user)


async def add_document(svc: Services, status: Message, name: str, data: bytes, user: User | None) -> None:
    """Validate one uploaded file; save and index it, or, when a different file of that name
    is in the corpus, keep it aside and ask: replace it, or keep both?"""
    shown = escape_html(name)
    try:
        parsed = await asyncio.to_thread(parse_bytes, data, name)
    except IngestError as exc:
        await edit(status, texts.UPLOAD_REFUSED.format(name=shown, reason=escape_html(str(exc))))
        await svc.record(user, "upload", "failed", name)
        return
    if await asyncio.to_thread(clashes, svc.settings.corpus_dir, name, data):
        key = await asyncio.to_thread(hold, svc.settings.data_dir, name, data)
        await edit(status, texts.UPLOAD_CLASH.format(name=shown), kb.upload_clash(key))
        return
    saved = await asyncio.to_thread(save_into_corpus, svc.settings.corpus_dir, name, data)
    if saved == "same":
        await edit(status, texts.UPLOAD_SAME.format(title=escape_html(parsed.title or name)))
        await svc.record(user, "upload", "same", name)
        return
    await index_saved(svc, status, name, saved, "upload", user)


async def index_saved(svc: Services, status: Message, name: str, saved: str, action: str,
                      user: User | None) -> None:
    """Re-index after saving an uploaded file, report on `status`, and record it."""
    shown = escape_html(name)
    progress, summary = await reindex_showing(
        svc, status, texts.UPLOAD_INDEXING.format(name=shown), texts.UPLOAD_BUSY.format(name=shown), "an upload")
    text = await added_text(svc, summary, name, saved) if summary is not None else None
    await svc.record(user, action, reindex_outcome(progress, summary, name), name)  # before it shows
    if text:
        await progress.show(text)


def reindex_outcome(progress: ProgressMessage, summary: IndexSummary | None, name: str | None = None) -> str:
    """How a re-index after a change ended, for the audit trail: 'ok', 'busy' or 'failed'
    (also when the file `name` was skipped)."""
    if summary is None:
        return "failed" if progress.shown in (texts.REINDEX_FAILED, texts.REMOVE_FAILED) else "busy"
    return "failed" if name and name in dict(summary.skipped) else "ok"


async def upload_button(update: Update, context: Context) -> None:
    """'Thay thế' (overwrite the file of that name) or 'Giữ cả hai' (save under a free name)."""
    query = update.callback_query
    assert query is not None
    checked = await admin_button(update, context, "upload")
    if checked is None:
        return
    svc, message = checked
    action, key, _ = kb.parse(query.data)
    upload = await asyncio.to_thread(held, svc.settings.data_dir, key)
    if upload is None:
        await query.answer(texts.UPLOAD_CLASH_GONE, show_alert=True)
        return
    await query.answer()
    name, data = upload
    corpus = svc.settings.corpus_dir
    if action == kb.KEEP_BOTH:
        name = await asyncio.to_thread(free_name, corpus, name)
    saved = await asyncio.to_thread(save_into_corpus, corpus, name, data)
    await asyncio.to_thread(release, svc.settings.data_dir, key)
    await index_saved(svc, message, name, saved, "replace" if action == kb.REPLACE_FILE else "keep_both",
                      update.effective_user)


async def added_text(svc: Services, summary: IndexSummary, name: str, saved: str) -> str:
    """What became of an uploaded file after the re-index."""
    reason = dict(summary.skipped).get(name)
    if reason:
        if saved == "new":
            await asyncio.to_thread((svc.settings.corpus_dir / name).unlink, True)
        return texts.UPLOAD_REFUSED.format(name=escape_html(name), reason=escape_html(reason))
    doc = next((d for d in await svc.documents() if d.path == name), None)
    title = doc.title if doc else name
    passages = doc.n_passages if doc else 0
    template = texts.UPLOAD_ADDED if saved == "new" else texts.UPLOAD_UPDATED
    return template.format(title=escape_html(title), passages=passages)


# -- removing documents ---------------------------------------------------------------------------


async def remove_command(update: Update, context: Context) -> None:
    """/xoavanban <số hiệu hoặc từ khoá>: show the document to remove and ask to confirm."""
    if not is_admin(update, context):
        await refuse(update, context, "remove")
        return
    message, svc = update.effective_message, services(context)
    assert message is not None
    query = command_argument(message)[:200]
    found = await svc.find_documents(query) if query else []
    if not query:
        kept = (await asyncio.to_thread(removed_files, svc.settings.data_dir))[:MAX_CHOICES]
        if not kept:
            await reply(message, texts.REMOVE_USAGE)
            return
        lines = [texts.REMOVE_USAGE, "", texts.REMOVED_KEPT, *(f"• {escape_html(rel)}" for _, rel in kept)]
        await reply(message, "\n".join(lines), kb.restore_choices(kept))
    elif not found:
        await reply(message, texts.DOC_NOT_FOUND.format(query=escape_html(query)))
    elif len(found) == 1:
        await reply(message, confirm_html(found[0]), kb.removal_confirm(found[0].doc_id))
    else:
        choices = [(d.doc_id, document_heading(d)) for d in found[:MAX_CHOICES]]
        await reply(message, texts.REMOVE_CHOOSE.format(count=len(found), query=escape_html(query)),
                    kb.removal_choices(choices))


def confirm_html(doc: Document) -> str:
    """The card of a document about to be removed, and the question."""
    return f"{render_document_html(doc)}\n\n{texts.REMOVE_CONFIRM}"


async def admin_button(update: Update, context: Context, action: str) -> tuple[Services, Message] | None:
    """The services and the message of an administrator's button; others get a refusal
    (recorded as a refused `action`)."""
    query = update.callback_query
    assert query is not None
    if not is_admin(update, context):
        await services(context).record(update.effective_user, action, "refused")
        await query.answer(texts.NOT_ADMIN, show_alert=True)
        return None
    if not isinstance(query.message, Message):
        await query.answer(texts.EXPIRED, show_alert=True)
        return None
    return services(context), query.message


async def removal_button(update: Update, context: Context) -> None:
    """The buttons of /xoavanban: choose a document, confirm, keep it, or restore it."""
    query = update.callback_query
    assert query is not None
    action, doc_id, _ = kb.parse(query.data)
    checked = await admin_button(update, context, "restore" if action == kb.RESTORE else "remove")
    if checked is None:
        return
    svc, message = checked
    if action == kb.RESTORE:
        await restore(query, svc, message, doc_id)
        return
    doc = next((d for d in await svc.documents() if d.doc_id == doc_id), None)
    if doc is None:
        await query.answer(texts.REMOVE_GONE, show_alert=True)
        await edit(message, texts.REMOVE_GONE)
        return
    if action == kb.PICK:
        await query.answer()
        await edit(message, confirm_html(doc), kb.removal_confirm(doc.doc_id))
    elif action == kb.KEEP:
        await query.answer()
        await edit(message, texts.REMOVE_KEPT)
    else:
        await remove(query, svc, message, doc)


async def remove(query: CallbackQuery, svc: Services, message: Message, doc: Document) -> None:
    """Move the document's file out of the corpus and re-index; on any failure the file goes
    back and the old index keeps serving."""
    if svc.reindex_lock.locked():
        await query.answer(texts.REMOVE_BUSY, show_alert=True)
        return
    await query.answer()
    settings, title = svc.settings, escape_html(document_heading(doc))
    kept = await asyncio.to_thread(move_out_of_corpus, settings.corpus_dir, settings.data_dir, doc)
    progress = ProgressMessage(message, svc.progress_interval)
    await progress.show(texts.REMOVING.format(title=title))
    try:
        summary = await run_reindex(svc, progress)
    except Exception:
        log.exception("Re-index after removing %s failed", doc.path)
        summary, failed = None, True
    else:
        failed = False
    if summary is None:
        if kept:
            await asyncio.to_thread(put_back, settings.corpus_dir, settings.data_dir, doc.doc_id)
        await progress.show(texts.REMOVE_FAILED if failed else texts.REMOVE_BUSY)
        await svc.record(query.from_user, "remove", "failed" if failed else "busy", document_heading(doc))
        return
    log.info("Removed %s (%s) from the corpus", doc.path, doc.doc_id)
    await svc.record(query.from_user, "remove", "ok", document_heading(doc))
    if kept is None:
        await progress.show(texts.REMOVED_NO_FILE.format(title=title))
        return
    text = texts.REMOVED.format(title=title, passages=doc.n_passages, name=escape_html(kept.name))
    await edit(message, text, kb.restore_keyboard(doc.doc_id))


async def restore(query: CallbackQuery, svc: Services, message: Message, doc_id: str) -> None:
    """'↩️ Khôi phục': the removed file goes back into the corpus, and is indexed again."""
    settings = svc.settings
    rel, problem = await asyncio.to_thread(put_back, settings.corpus_dir, settings.data_dir, doc_id)
    if problem:
        note = texts.RESTORE_GONE if problem == "gone" else texts.RESTORE_TAKEN.format(name=rel)
        await query.answer(note, show_alert=True)
        await svc.record(query.from_user, "restore", "gone" if problem == "gone" else "failed", rel)
        return
    assert rel is not None
    await query.answer()
    shown = escape_html(rel)
    progress, summary = await reindex_showing(
        svc, message, texts.RESTORING.format(name=shown), texts.RESTORE_BUSY.format(name=shown), f"restoring {rel}")
    await svc.record(query.from_user, "restore", reindex_outcome(progress, summary, rel), rel)
    if summary is None:
        return
    doc = next((d for d in await svc.documents() if d.path == rel), None)
    if doc is None:
        reason = dict(summary.skipped).get(rel, "")
        await progress.show(texts.UPLOAD_REFUSED.format(name=shown, reason=escape_html(reason)))
        return
    await progress.show(texts.RESTORED.format(title=escape_html(document_heading(doc)), passages=doc.n_passages))


# -- usage ----------------------------------------------------------------------------------------


async def stats_command(update: Update, context: Context) -> None:
    """/thongke: the chart of 30 days (drawn in a thread), then questions per day in each
    tier, the latest not surely answered, the 👎, feedback."""
    if not is_admin(update, context):
        await refuse(update, context, "stats")
        return
    svc, message = services(context), update.effective_message
    assert message is not None and svc.logbook is not None
    try:
        png = await asyncio.to_thread(chart_png, svc.logbook)
        await message.reply_photo(png, caption=texts.CHART_CAPTION, filename="thongke.png")
    except Exception:  # noqa: BLE001 - the text summary still goes out
        log.warning("Could not draw or send the usage chart", exc_info=True)
    usage = await asyncio.to_thread(svc.logbook.usage, 7)
    await reply(message, render_usage_html(usage))


# -- the audit trail and the administrators ---------------------------------------------------------


async def audit_command(update: Update, context: Context) -> None:
    """/nhatky: the 20 latest entries of the audit trail, newest first."""
    if not is_admin(update, context):
        await refuse(update, context, "audit")
        return
    svc, message = services(context), update.effective_message
    assert message is not None and svc.audit is not None
    entries = await asyncio.to_thread(svc.audit.latest, AUDIT_SHOWN)
    await reply(message, render_audit_html(entries))


async def admins_command(update: Update, context: Context) -> None:
    """/quantri: list the administrators; /quantri them <id>, /quantri bo <id>: add, remove one."""
    if not is_admin(update, context):
        await refuse(update, context, "admins")
        return
    message = update.effective_message
    assert message is not None
    words = command_argument(message).split()
    verb = unaccented(words[0]).lower() if words else ""
    if len(words) != 2 or verb not in ADD_WORDS | REMOVE_WORDS:
        await reply(message, await admins_html(services(context)))
        return
    if not re.fullmatch(r"[0-9]{1,15}", words[1]):
        await reply(message, texts.ADMIN_BAD_ID.format(id=escape_html(words[1][:30])))
        return
    change = add_admin if verb in ADD_WORDS else remove_admin
    await reply(message, await change(update, context, int(words[1])))


async def admins_html(svc: Services) -> str:
    """Who administers the bot: ADMIN_IDS, then those added in the bot."""
    assert svc.audit is not None
    added = await asyncio.to_thread(svc.audit.admins)
    lines = [texts.ADMINS_TITLE, *(texts.ADMINS_FIXED.format(id=i) for i in sorted(svc.settings.admin_ids))]
    lines += [texts.ADMINS_ADDED.format(id=a.user_id, by=escape_html(a.added_by or texts.SOMEONE),
                                        date=local_time(a.at)[:5]) for a in added]
    return "\n".join([*lines, "", texts.ADMINS_HOW])


async def add_admin(update: Update, context: Context, user_id: int) -> str:
    """Make `user_id` an administrator, at once; returns what to say."""
    svc, user = services(context), update.effective_user
    assert svc.audit is not None
    name = (user.full_name or user.username) if user else None
    if svc.is_admin(user_id) or not await asyncio.to_thread(svc.audit.add_admin, user_id, name):
        return texts.ADMIN_ALREADY.format(id=user_id)
    await svc.refresh_admins()
    await svc.record(user, "admin_add", "ok", str(user_id))
    await set_commands(context, user_id, texts.ADMIN_COMMANDS)
    return texts.ADMIN_ADDED.format(id=user_id)


async def remove_admin(update: Update, context: Context, user_id: int) -> str:
    """No longer an administrator, at once (never one of ADMIN_IDS); returns what to say."""
    svc, user = services(context), update.effective_user
    assert svc.audit is not None
    if user_id in svc.settings.admin_ids:
        await svc.record(user, "admin_remove", "refused", str(user_id))
        return texts.ADMIN_FIXED.format(id=user_id)
    if not await asyncio.to_thread(svc.audit.remove_admin, user_id):
        return texts.ADMIN_NOT_ONE.format(id=user_id)
    await svc.refresh_admins()
    await svc.record(user, "admin_remove", "ok", str(user_id))
    await set_commands(context, user_id, texts.COMMANDS)
    return texts.ADMIN_REMOVED.format(id=user_id)


async def set_commands(context: Context, user_id: int, commands: tuple[tuple[str, str], ...]) -> None:
    """The command menu one user sees in their private chat with the bot (best effort: they
    may not have started a chat with it yet)."""
    try:
        await context.bot.set_my_commands([BotCommand(n, d) for n, d in commands],
                                          scope=BotCommandScopeChat(user_id))
    except TelegramError as err:
        log.info("Commands not set for %s: %s", user_id, err)
