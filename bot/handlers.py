"""What the bot does with each update: short async handlers (wiring: bot/app.py)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot import keyboards as kb
from bot import texts
from bot.render import (
    document_heading,
    escape_html,
    render_answer_html,
    render_applying_html,
    render_citing_html,
    render_document_html,
    render_documents_page_html,
    render_hit_html,
    render_passage_html,
    render_reading_html,
    screenful,
    short_name,
    small_talk_text,
)
from bot.services import AnswerState, Services, small_talk
from index import catalogue
from index.models import Reason
from index.places import enclosing
from index.text import unaccented

if TYPE_CHECKING:
    from telegram import Bot

    from index.models import Answer, Document, Hit, Passage

log = logging.getLogger(__name__)

K = 3  # quotes per answer
INLINE_K = 10
DOCS_PER_PAGE = 10
Context = ContextTypes.DEFAULT_TYPE


def services(context: Context) -> Services:
    """The shared services of this application."""
    return context.bot_data["services"]  # type: ignore[no-any-return]


def mention(bot: Bot) -> str:
    """'@vankien_bot', escaped for HTML."""
    return escape_html(f"@{bot.username}")


def example(context: Context) -> str:
    """One example question the corpus really answers."""
    found = services(context).examples
    return found[0] if found else texts.FALLBACK_EXAMPLE


# -- sending --------------------------------------------------------------------------------


async def reply(message: Message, text: str,
                markup: InlineKeyboardMarkup | None = None) -> Message:
    """Reply in the message's chat (and forum topic); follows a group upgraded to supergroup."""
    try:
        return await message.reply_text(text, reply_markup=markup)
    except ChatMigrated as err:
        log.info("Chat %s moved to %s; replying there", message.chat_id, err.new_chat_id)
        return await message.get_bot().send_message(err.new_chat_id, text, reply_markup=markup)


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit a bot message; 'not modified' is not an error."""
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as err:
        if "not modified" not in str(err).lower():
            raise


def answer_markup(svc: Services, answer: Answer, chat_type: str | None, facets: bool = True
                  ) -> InlineKeyboardMarkup | None:
    """Buttons under the quotes of an answer (`answer` and `related` alike), or the list of
    documents under "nothing found"; their state is kept server-side behind a short id."""
    if not answer.hits:
        found_nothing = answer.reason in (Reason.NO_MATCH, Reason.UNKNOWN_CODE, Reason.UNKNOWN_PLACE)
        return kb.no_answer_keyboard() if found_nothing else None
    offset = answer.hits[0].rank - 1
    ids = tuple(h.passage.passage_id for h in answer.hits)
    spans = tuple(catalogue.facets([h.document for h in answer.hits])) if offset == 0 and facets else ()
    key = AnswerState(answer.query, offset, ids, answer.total, chat_type, spans)  # travels in the buttons
    more = answer.total > offset + len(answer.hits)
    applied = tuple((i, article) for i, h in enumerate(answer.hits)
                    if h.standing.applied_by and (article := enclosing(h.passage.location)))
    markup = kb.answer_keyboard(key, [h.rank for h in answer.hits], more, applied)
    return kb.with_facets(markup, key, [facet_label(f) for f in spans])


def facet_label(facet: str) -> str:
    """How a facet button reads: "Trung ương", "2021–2025"."""
    return texts.LEVELS.get(facet, facet)


async def send_answer(message: Message, svc: Services, answer: Answer, chat_type: str | None,
                      header: str | None = None, scope: list[Document] | None = None, facets: bool = True
                      ) -> Message:
    """Send an answer under `message` (the quotes that fit about one phone screen), as many
    messages as needed, buttons on the last (with facet buttons when `facets`)."""
    answer = screenful(answer, header)
    pages = render_answer_html(answer, header, scope)
    markup = answer_markup(svc, answer, chat_type, facets)
    for page in pages[:-1]:
        await reply(message, page)
    return await reply(message, pages[-1], markup)


async def answer_question(update: Update, context: Context, question: str,
                          header: str | None = None) -> None:
    """Search (off the event loop), reply with quotes and buttons, log the question."""
    svc = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None
    if user and not svc.limiter.allow(user.id):
        if svc.limiter.should_warn(user.id):
            seconds = svc.limiter.wait_seconds(user.id)
            await reply(message, texts.SLOW_DOWN.format(seconds=seconds))
        return
    if talk := small_talk(question):  # "xin chào", "cảm ơn ạ": no search, no log
        await reply(message, small_talk_text(talk, example(context), escape_html))
        return
    scope = await svc.chat_scope(message.chat_id)
    answer, latency_ms = await svc.ask(question, K, scope=scope)
    chat_type = update.effective_chat.type if update.effective_chat else None
    await send_answer(message, svc, answer, chat_type, header, scope)
    await svc.log_query(answer, latency_ms, chat_type, user.id if user else None, message.chat_id)


# -- commands and messages --------------------------------------------------------------------


def knows_line(docs: list[Document]) -> str:
    """'Hiện tôi có 7 văn bản: 5 bài viết, 1 quy định, 1 hướng dẫn.'"""
    if not docs:
        return texts.KNOWS_NOTHING
    kinds = Counter((d.kind or texts.OTHER_KIND).lower() for d in docs)
    parts = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    return texts.KNOWS.format(count=len(docs), kinds=escape_html(parts))


async def start(update: Update, context: Context) -> None:
    """Greet, say what the bot knows, offer three example questions as buttons."""
    message, svc = update.effective_message, services(context)
    assert message is not None
    if message.chat.type != ChatType.PRIVATE:
        await reply(message, texts.GROUP_START.format(mention=mention(context.bot)))
        return
    name = update.effective_user.first_name if update.effective_user else ""
    lines = [texts.GREETING.format(name=escape_html(name)), knows_line(await svc.documents())]
    if scope := await svc.chat_scope(message.chat_id):
        lines.append("\n".join([texts.SCOPE_NOW, *scope_lines(scope), texts.SCOPE_HOW]))
    markup = None
    if svc.examples:
        lines.append(texts.TRY_EXAMPLES)
        markup = kb.examples_keyboard(tuple(svc.examples), svc.examples)
    await reply(message, "\n\n".join(lines), markup)


async def help_command(update: Update, context: Context) -> None:
    """/help, /trogiup: how to ask, in private chats, groups and inline."""
    message, user = update.effective_message, update.effective_user
    assert message is not None
    text = texts.HELP.format(example=escape_html(example(context)), mention=mention(context.bot))
    if user and services(context).is_admin(user.id):
        text += texts.HELP_ADMIN
    await reply(message, text)


def command_argument(message: Message) -> str:
    """The text after the command: '/hoi@bot  câu hỏi' -> 'câu hỏi'."""
    parts = (message.text or "").split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


async def ask_command(update: Update, context: Context) -> None:
    """/hoi <câu hỏi> (alias /ask), in any chat."""
    assert update.effective_message is not None
    await answer_question(update, context, command_argument(update.effective_message))


async def private_text(update: Update, context: Context) -> None:
    """In a private chat, any text is a question."""
    assert update.effective_message is not None
    await answer_question(update, context, update.effective_message.text or "")


def addressed_question(message: Message, bot: Bot) -> str | None:
    """The question of a group message that mentions the bot or replies to it, else None."""
    text = message.text or ""
    handle = f"@{bot.username}".lower()
    named = message.parse_entities([MessageEntity.MENTION]).values()
    if any(t.lower() == handle for t in named):
        return re.sub(re.escape(handle), " ", text, flags=re.IGNORECASE).strip(" ,:;\n")
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot.id and (
        replied.forum_topic_created is None
    ):
        return text
    return None


async def group_text(update: Update, context: Context) -> None:
    """In groups, answer only messages that mention the bot or reply to it."""
    assert update.effective_message is not None
    question = addressed_question(update.effective_message, context.bot)
    if question is not None:
        await answer_question(update, context, question)


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice… in a private chat: ask for a typed question."""
    assert update.effective_message is not None
    await reply(update.effective_message,
                texts.TEXT_ONLY.format(example=escape_html(example(context))))


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not have (private chats only)."""
    assert update.effective_message is not None
    await reply(update.effective_message, texts.UNKNOWN_COMMAND)


async def chat_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: move its chat data to the new id."""
    message = update.effective_message
    if message and message.migrate_to_chat_id:
        log.info("Group %s migrated to %s", message.chat_id, message.migrate_to_chat_id)
        context.application.migrate_chat_data(message=message)
        logbook = services(context).logbook
        if logbook is not None:
            await asyncio.to_thread(logbook.move_chat, message.chat_id, message.migrate_to_chat_id)


# -- documents --------------------------------------------------------------------------------


def documents_page(docs: list[Document], page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the document list and its ◂ / ▸ buttons."""
    pages = max(1, -(-len(docs) // DOCS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    text = render_documents_page_html(docs, page, DOCS_PER_PAGE)
    return text, kb.documents_keyboard(page, pages)


async def documents_command(update: Update, context: Context) -> None:
    """/vanban lists the documents; /vanban <số hiệu hoặc từ khoá> shows document cards."""
    message, svc = update.effective_message, services(context)
    assert message is not None
    query = command_argument(message)
    if not query:
        await reply(message, *documents_page(await svc.documents(), 0))
        return
    found = await svc.find_documents(query[:200])
    citing = await asyncio.to_thread(svc.searcher.citing, query[:200], found)
    if citing:  # a code the corpus does not hold: who carries it out or cites it
        await reply(message, render_citing_html(query[:200], citing))
    elif not found:
        await reply(message, texts.DOC_NOT_FOUND.format(query=escape_html(query[:200])))
    elif len(found) <= 3:
        for doc in found:
            await send_card(message, svc, doc)
    else:
        head = texts.DOC_MANY.format(count=len(found), query=escape_html(query[:200]))
        lines = [f"• {escape_html(document_heading(d))}" for d in found[:DOCS_PER_PAGE]]
        await reply(message, "\n".join([head, *lines]))


async def send_card(message: Message, svc: Services, doc: Document) -> None:
    """A document's card: what it is, what it replaces, applies or carries out and what
    does so to it, with '🔎 Hỏi trong văn bản này', '📖 Đọc từ đầu' and '📄 Tệp gốc'."""
    links = await asyncio.to_thread(svc.searcher.relations, doc.doc_id)
    original = original_file(svc, doc) is not None
    await reply(message, render_document_html(doc, links), kb.card_keyboard(doc.doc_id, original))


def original_file(svc: Services, doc: Document) -> Path | None:
    """The document's file in the corpus, if it is still there and lies inside it."""
    root = svc.settings.corpus_dir.resolve()
    path = (root / doc.path).resolve()
    return path if path.is_file() and path.is_relative_to(root) else None


async def card_document(update: Update, context: Context) -> tuple[Document, Message] | None:
    """The document a card's button names, or None (after the polite note) once it is gone."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    _, doc_id, _ = kb.parse(query.data)
    doc = await asyncio.to_thread(svc.searcher.document, str(doc_id))
    if doc is None or not isinstance(query.message, Message):
        await query.answer(texts.DOC_GONE, show_alert=True)
        return None
    return doc, query.message


async def ask_in_button(update: Update, context: Context) -> None:
    """'🔎 Hỏi trong văn bản này': limit the chat's next questions to the card's document."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    found = await card_document(update, context)
    if found is None:
        return
    if not await may_set_scope(update, context):
        await query.answer(texts.SCOPE_NOT_ALLOWED, show_alert=True)
        return
    await query.answer()
    await svc.set_chat_scope(found[1].chat_id, [found[0]])
    await reply(found[1], texts.ASK_IN_SET.format(name=escape_html(short_name(found[0]))))


READ_PAGE = 3  # passages a page of "📖 Đọc từ đầu" shows


async def read_button(update: Update, context: Context) -> None:
    """'📖 Đọc từ đầu' / 'Đọc tiếp ▸': the next few passages of the document, in order."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    found = await card_document(update, context)
    if found is None:
        return
    doc, message = found
    _, _, after = kb.parse(query.data)
    page = await asyncio.to_thread(svc.searcher.store.following, doc.doc_id, after, READ_PAGE)
    if not page:
        await query.answer(texts.NO_MORE)
        return
    await query.answer()
    last = page[-1].ordinal
    markup = kb.read_on_keyboard(doc.doc_id, last) if last < doc.n_passages else None
    await reply(message, render_reading_html(doc, page), markup)


async def original_button(update: Update, context: Context) -> None:
    """'📄 Tệp gốc': send the document's original file."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    found = await card_document(update, context)
    if found is None:
        return
    path = original_file(svc, found[0])
    if path is None:
        await query.answer(texts.FILE_GONE, show_alert=True)
        return
    await query.answer()
    await found[1].reply_document(path.read_bytes(), filename=path.name)


async def applying_points(update: Update, context: Context) -> None:
    """'📎 Hướng dẫn thi hành Điều 35' under a quote of the Charter: the points of other
    documents that apply that article, each quoted with its citation."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    state, index = answer_state(context, query)
    if state is None or not isinstance(query.message, Message):
        await expired(query)
        return
    pid = state.passage_ids[index]
    found, points = await svc.passage(pid), await asyncio.to_thread(svc.searcher.applying, pid)
    if found is None:
        await query.answer(texts.PASSAGE_GONE, show_alert=True)
        return
    await query.answer(None if points else texts.APPLIED_NONE, show_alert=not points)
    if points:
        for page in render_applying_html(found[0], found[1], points):
            await reply(query.message, page)


SCOPE_ALL_WORDS = frozenset({"tatca", "tat ca", "all", "bo", "huy", "het"})  # folded


async def may_set_scope(update: Update, context: Context) -> bool:
    """Anyone in a private chat; in a group its administrators (asked of Telegram), or the
    bot's own administrators."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE or services(context).is_admin(user.id):
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except (BadRequest, Forbidden, NetworkError):
        log.warning("Could not read the membership of user %s in chat %s", user.id, chat.id)
        return False
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def scope_lines(docs: list[Document]) -> list[str]:
    """One bullet per document of a scope."""
    return [f"• {escape_html(document_heading(d))}" for d in docs]


async def scope_command(update: Update, context: Context) -> None:
    """/phamvi: show which documents this chat searches; /phamvi <số hiệu hoặc từ khoá>
    limits it to the documents found (a study session on one regulation); /phamvi tatca
    lifts the limit. Kept in SQLite, so it outlives restarts."""
    message, svc = update.effective_message, services(context)
    assert message is not None
    query = command_argument(message)[:200]
    if not query:
        scope = await svc.chat_scope(message.chat_id)
        head = [texts.SCOPE_NOW, *scope_lines(scope)] if scope else [texts.SCOPE_ALL]
        await reply(message, "\n".join([*head, "", texts.SCOPE_HOW]))
        return
    if not await may_set_scope(update, context):
        await reply(message, texts.SCOPE_NOT_ALLOWED)
        await svc.record(update.effective_user, "scope", "refused", query)
        return
    if " ".join(unaccented(query).lower().split()) in SCOPE_ALL_WORDS:
        await svc.set_chat_scope(message.chat_id, [])
        await reply(message, texts.SCOPE_CLEARED)
        await svc.record(update.effective_user, "scope", "ok", query)
        return
    facet = catalogue.facet_documents(await svc.documents(), query)  # "trungương", "tỉnh", "2025"
    found = facet[1] if facet else (await svc.find_documents(query))[:DOCS_PER_PAGE]
    if not found:
        await reply(message, texts.DOC_NOT_FOUND.format(query=escape_html(query)))
        return
    await svc.set_chat_scope(message.chat_id, found)
    if facet:
        await svc.record(update.effective_user, "scope", "ok", query)
        said = texts.FACET_SET.format(facet=escape_html(facet_phrase(facet[0])))
        await reply(message, "\n".join([said, *scope_lines(found[:DOCS_PER_PAGE]), "", texts.SCOPE_HOW]))
        return
    await svc.record(update.effective_user, "scope", "ok", ", ".join(document_heading(d) for d in found))
    await reply(message, "\n".join([texts.SCOPE_SET, *scope_lines(found), "", texts.SCOPE_HOW]))


# -- buttons --------------------------------------------------------------------------------


async def expired(query: CallbackQuery) -> None:
    """The polite note for a button whose state is gone."""
    await query.answer(texts.EXPIRED, show_alert=True)


def answer_state(context: Context, query: CallbackQuery) -> tuple[AnswerState | None, int]:
    """The answer a button belongs to, and the quote index it names."""
    _, state, index = kb.parse(query.data)
    if not isinstance(state, AnswerState) or index >= max(len(state.passage_ids), 1):
        return None, index
    return state, index


async def more_results(update: Update, context: Context) -> None:
    """'Xem thêm': the next quotes for the same question."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    state, _ = answer_state(context, query)
    if state is None or not isinstance(query.message, Message):
        await expired(query)
        return
    scope = await svc.chat_scope(query.message.chat_id)
    answer, _ = await svc.ask(state.question, K, state.offset + len(state.passage_ids), scope)
    if not answer.hits:
        await query.answer(texts.NO_MORE)
        return
    await query.answer()
    header = texts.MORE_HEADER.format(question=escape_html(state.question))
    await send_answer(query.message, svc, answer, state.chat_type, header, scope)
    if query.message.reply_markup:
        await query.message.edit_reply_markup(kb.without_more(query.message.reply_markup))


def facet_phrase(facet: str) -> str:
    """"cấp Trung ương", "năm 2021–2025": what a facet limits to, in a sentence."""
    return texts.FACET_PHRASES.get(facet) or texts.FACET_YEARS.format(years=facet)


async def facet_button(update: Update, context: Context) -> None:
    """A facet under an answer ("Trung ương", "2021–2025"): the same question, only in the
    documents of that level or term (and of the chat's scope)."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    state, index = answer_state(context, query)
    if state is None or index >= len(state.facets) or not isinstance(query.message, Message):
        await expired(query)
        return
    facet = state.facets[index]
    docs = await svc.chat_scope(query.message.chat_id) or await svc.documents()
    found = catalogue.facet_documents(docs, facet)
    within = found[1] if found else []
    if not within:
        await query.answer(texts.NO_MORE)
        return
    await query.answer()
    answer, _ = await svc.ask(state.question, K, scope=within)
    header = texts.FACET_HEADER.format(facet=escape_html(facet_phrase(facet)))
    await send_answer(query.message, svc, answer, state.chat_type, header, facets=False)


async def full_passage(update: Update, context: Context) -> None:
    """'Toàn văn': the whole passage of one quote, with 👍 / 👎 about it."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    state, index = answer_state(context, query)
    if state is None or not state.passage_ids or not isinstance(query.message, Message):
        await expired(query)
        return
    found = await svc.passage(state.passage_ids[index])
    if found is None:
        await query.answer(texts.PASSAGE_GONE, show_alert=True)
        return
    await query.answer()
    _, key, _ = kb.parse(query.data)
    pages = render_passage_html(*found)
    for page in pages[:-1]:
        await reply(query.message, page)
    await reply(query.message, pages[-1], kb.feedback_keyboard(key, index, whole_place(*found)[0]))


def whole_place(doc: Document, passage: Passage) -> tuple[str | None, str]:
    """The article a passage lies in ("Điều 8"), and the question that reads it all
    ("Điều 8 294-QĐ/TW"); (None, "") when the passage has no article, or its document
    no code to name it by."""
    place = enclosing(passage.location)
    return (place, f"{place} {doc.code}") if place and doc.code else (None, "")


async def whole_article(update: Update, context: Context) -> None:
    """'📖 Cả Điều 8' under a full passage: every passage of that article, in order."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    state, index = answer_state(context, query)
    found = await svc.passage(state.passage_ids[index]) if state and state.passage_ids else None
    if found is None or not isinstance(query.message, Message):
        await expired(query)
        return
    await query.answer()
    place, question = whole_place(*found)
    header = texts.PLACE_HEADER.format(place=escape_html(f"{place} – {found[0].code}"))
    await answer_question(update, context, question, header)


async def feedback(update: Update, context: Context) -> None:
    """👍 / 👎: store the vote with the question and the passage."""
    query, svc = update.callback_query, services(context)
    assert query is not None
    state, index = answer_state(context, query)
    if state is None or svc.logbook is None:
        await expired(query)
        return
    passage_id = state.passage_ids[index] if state.passage_ids else None
    value = 1 if kb.parse(query.data)[0] == kb.UP else -1
    await asyncio.to_thread(svc.logbook.add_feedback, state.question, passage_id, value,
                            user_id=query.from_user.id, chat_type=state.chat_type)
    await query.answer(texts.THANKS)


async def example_question(update: Update, context: Context) -> None:
    """An example button of /start: ask that question."""
    query = update.callback_query
    assert query is not None
    _, examples, index = kb.parse(query.data)
    if not isinstance(examples, tuple) or index >= len(examples):
        await expired(query)
        return
    await query.answer()
    header = texts.QUESTION_HEADER.format(question=escape_html(examples[index]))
    await answer_question(update, context, examples[index], header)


async def documents_button(update: Update, context: Context) -> None:
    """◂ / ▸ of the document list (edits it), or the list under a 'no answer' (sends it)."""
    query = update.callback_query
    assert query is not None
    action, page, _ = kb.parse(query.data)
    text, markup = documents_page(await services(context).documents(), int(page or 0))
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if action == kb.DOCS:
        await edit(query.message, text, markup)
    else:
        await reply(query.message, text, markup)


async def stale_button(update: Update, context: Context) -> None:
    """Any other button (an older bot's): a polite note."""
    assert update.callback_query is not None
    await expired(update.callback_query)


# -- inline mode ----------------------------------------------------------------------------


def inline_result(hit: Hit, sure: bool = True) -> InlineQueryResultArticle:
    """One choice of inline mode: the quote with its citation; a choice that may not answer
    (`sure` false: the `related` tier) says so in its description."""
    location = f" · {hit.passage.location}" if hit.passage.location else ""
    excerpt = hit.excerpt if len(hit.excerpt) <= 200 else hit.excerpt[:199] + "…"
    return InlineQueryResultArticle(
        id=str(hit.rank),
        title=(document_heading(hit.document) + location)[:120],
        description=excerpt if sure else texts.INLINE_RELATED.format(excerpt=excerpt),
        input_message_content=InputTextMessageContent(
            render_hit_html(hit, numbered=False), parse_mode=ParseMode.HTML
        ),
    )


async def inline_query(update: Update, context: Context) -> None:
    """@bot câu hỏi: up to 10 quotes to choose from (marked when they may not answer);
    choosing one sends it with its citation."""
    query = update.inline_query
    assert query is not None
    question = query.query.strip()
    if not question:
        button = InlineQueryResultsButton(text=texts.INLINE_EMPTY, start_parameter="inline")
        await query.answer([], button=button, cache_time=300)
        return
    answer, _ = await services(context).ask(question, INLINE_K)
    if not answer.hits:
        button = InlineQueryResultsButton(text=texts.INLINE_NOTHING, start_parameter="inline")
        await query.answer([], button=button, cache_time=30)
        return
    await query.answer([inline_result(h, answer.answered) for h in answer.hits], cache_time=60)


# -- errors ---------------------------------------------------------------------------------


async def on_error(update: object, context: Context) -> None:
    """Log every error; tell the user politely unless Telegram itself is the problem."""
    err = context.error
    if isinstance(err, Forbidden):
        log.info("Cannot write to this chat (blocked or removed): %s", err)
        return
    if isinstance(err, ChatMigrated):
        log.info("Group migrated to supergroup %s", err.new_chat_id)
        return
    if isinstance(err, RetryAfter | TimedOut | NetworkError) and not isinstance(err, BadRequest):
        log.warning("Telegram is slow or unreachable: %s", err)
        return
    log.error("Error while handling an update", exc_info=err)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query:
            await update.callback_query.answer(texts.SORRY_ERROR, show_alert=True)
        elif update.effective_message and not update.inline_query:
            await reply(update.effective_message, texts.SORRY_ERROR)
    except Exception:  # noqa: BLE001 - telling the user is best effort
        log.debug("Could not tell the user about the error", exc_info=True)
