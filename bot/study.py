"""Study sessions in Telegram: quiz polls (/ontap, /ketqua), a session recap (/batdau,
/tongket) and news of new documents (/theodoi, /huytheodoi); wiring: bot/app.py."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from telegram import Message, Update
from telegram.constants import ChatType, PollType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, CallbackContext, ContextTypes

from bot import keyboards as kb
from bot import texts
from bot.handlers import command_argument, may_set_scope, reply, send_card, services
from bot.render import document_heading, escape_html, render_passage_html
from index.quiz import Bank, QuizQuestion, corpus_bank, source_name
from index.study import Score, Session, Study, most_quoted

if TYPE_CHECKING:
    from index.models import Document

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
MAX_QUIZ = 10  # questions one /ontap may ask
RECAP_QUESTIONS = 15  # questions a recap lists
NOTICE_CARDS = 5  # card buttons under a notice
LOCAL = timedelta(hours=7)  # the time a recap shows: Việt Nam


async def study(context: CallbackContext) -> Study:  # type: ignore[type-arg]
    """The study tables (opened on first use, beside the query log)."""
    found = context.bot_data.get("study")
    if found is None:
        logbook = services(context).logbook
        if logbook is None:
            raise RuntimeError("The study tables live in the logbook, which is not open.")
        found = context.bot_data["study"] = await asyncio.to_thread(Study, logbook)
    return found  # type: ignore[no-any-return]


def clock(iso: str) -> str:
    """'08:30 05/12' in Việt Nam time, from a stored ISO time."""
    at = datetime.fromisoformat(iso).astimezone(UTC) + LOCAL
    return at.strftime("%H:%M %d/%m")


# -- quizzes ------------------------------------------------------------------------------------


@dataclass
class QuizRun:
    """One /ontap: the documents it draws from (None: all), how many, how many sent."""

    chat_id: int
    thread_id: int | None
    doc_ids: tuple[str, ...] | None
    total: int
    done: int = 0
    claimed: int = 0  # the question whose 'Câu tiếp' was pressed: a second press does nothing


async def quiz_bank(context: CallbackContext) -> Bank:  # type: ignore[type-arg]
    """The questions of the current index (built once per index generation)."""
    svc = services(context)
    name = (await asyncio.to_thread(svc.searcher.generation)).name
    cached = context.bot_data.get("quiz_bank")
    if cached is None or cached[0] != name:
        cached = context.bot_data["quiz_bank"] = (name, await asyncio.to_thread(corpus_bank, svc.searcher))
    return cached[1]  # type: ignore[no-any-return]


def quiz_request(argument: str) -> tuple[int, str]:
    """'/ontap 5 294' -> (5, '294'); '/ontap 294' -> (1, '294'); at most MAX_QUIZ.

    >>> quiz_request("5 294"), quiz_request("Điều lệ"), quiz_request("50")
    ((5, '294'), (1, 'Điều lệ'), (10, ''))
    """
    words = argument.split()
    if words and words[0].isdigit() and len(words[0]) <= 3:
        return max(1, min(int(words[0]), MAX_QUIZ)), " ".join(words[1:])
    return 1, argument.strip()


async def quiz_command(update: Update, context: Context) -> None:
    """/ontap [N] [văn bản]: N quiz polls from the documents (or the chat's /phamvi), one at a time."""
    message, svc = update.effective_message, services(context)
    assert message is not None
    n, query = quiz_request(command_argument(message)[:200])
    if query:
        docs = await svc.find_documents(query)
        if not docs:
            await reply(message, texts.DOC_NOT_FOUND.format(query=escape_html(query)))
            return
    else:
        docs = await svc.chat_scope(message.chat_id)
    doc_ids = tuple(d.doc_id for d in docs) if docs else None
    run = QuizRun(message.chat_id, message.message_thread_id if message.is_topic_message else None, doc_ids, n)
    await send_question(context, run, docs)


def where(docs: list[Document]) -> str:
    """'294-QĐ/TW, 06-HD/TW' for the words 'từ các văn bản …'."""
    if not docs:
        return texts.QUIZ_WHERE_ALL
    return escape_html(", ".join(d.code or d.title for d in docs))


async def send_question(context: CallbackContext, run: QuizRun,  # type: ignore[type-arg]
                        docs: list[Document] | None = None) -> None:
    """Send the run's next quiz poll (none the chat had in this session), with 'Câu tiếp'
    when more are to come; say so when nothing is left."""
    book, bank = await study(context), await quiz_bank(context)
    since = await asyncio.to_thread(book.since, run.chat_id)
    asked = await asyncio.to_thread(book.asked_passages, run.chat_id, since)
    found = bank.pick(1, run.doc_ids, asked, seed=random.randrange(1 << 30))
    if not found:
        docs = docs if docs is not None else [d for d in await services(context).documents()
                                              if run.doc_ids and d.doc_id in run.doc_ids]
        text = texts.QUIZ_ALL_ASKED if asked else texts.QUIZ_NONE
        await context.bot.send_message(run.chat_id, text.format(where=where(docs)),
                                       message_thread_id=run.thread_id)
        return
    run.done += 1
    await send_poll(context, run, found[0])


async def send_poll(context: CallbackContext, run: QuizRun, q: QuizQuestion) -> None:  # type: ignore[type-arg]
    """One quiz poll; its answers are recorded (not anonymous), the citation is its explanation."""
    markup = None
    if run.done < run.total:
        markup = kb.quiz_next_keyboard(run, run.done)
    head = texts.QUIZ_HEADER.format(i=run.done, n=run.total) + " · " if run.total > 1 else ""
    question = head + q.question if len(head + q.question) <= 300 else q.question
    sent = await context.bot.send_poll(
        run.chat_id, question, list(q.options), type=PollType.QUIZ, correct_option_id=q.correct_option_id,
        explanation=q.explanation, explanation_parse_mode=None, question_parse_mode=None, is_anonymous=False,
        reply_markup=markup, message_thread_id=run.thread_id,
    )
    if sent.poll is not None:
        book = await study(context)
        await asyncio.to_thread(book.record_poll, sent.poll.id, run.chat_id, sent.message_id, q.passage_id,
                                q.doc_id, q.question, q.correct_option_id)
    if run.done >= run.total and run.total > 1:
        await context.bot.send_message(run.chat_id, texts.QUIZ_DONE.format(n=run.total),
                                       message_thread_id=run.thread_id)


async def next_question(update: Update, context: Context) -> None:
    """'Câu tiếp' under a quiz poll: the run's next question (once, whoever presses first)."""
    query = update.callback_query
    assert query is not None
    _, run, done = kb.parse(query.data)
    if not isinstance(run, QuizRun):
        await query.answer(texts.EXPIRED, show_alert=True)
        return
    await query.answer()
    if done != run.done or run.claimed == done:  # someone pressed it already
        return
    run.claimed = done
    if isinstance(query.message, Message):
        try:
            await query.message.edit_reply_markup(None)
        except BadRequest:
            log.debug("Could not take the button off a quiz poll", exc_info=True)
    await send_question(context, run)


async def poll_answer(update: Update, context: Context) -> None:
    """A member answers a quiz poll: record whether it was right."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    book = await study(context)
    await asyncio.to_thread(book.record_answer, answer.poll_id, answer.user.id, answer.user.first_name,
                            list(answer.option_ids))


def scores_lines(scores: list[Score]) -> list[str]:
    """'1. Minh: 4/5 câu đúng', best first."""
    return [texts.SCORE_LINE.format(rank=i, name=escape_html(s.name), right=s.right, answered=s.answered)
            for i, s in enumerate(scores, 1)]


async def scores_command(update: Update, context: Context) -> None:
    """/ketqua: the quiz scores of this chat's session (since /batdau, else the last 3 hours)."""
    message = update.effective_message
    assert message is not None
    book = await study(context)
    since = await asyncio.to_thread(book.since, message.chat_id)
    scores, polls = await asyncio.to_thread(book.scores, message.chat_id, since)
    if not scores:
        await reply(message, texts.SCORES_NONE)
        return
    head = texts.SCORES_HEAD.format(polls=polls, since=texts.SCORES_SINCE.format(time=clock(since)))
    await reply(message, "\n".join([head, *scores_lines(scores)]))


# -- sessions -----------------------------------------------------------------------------------


async def start_command(update: Update, context: Context) -> None:
    """/batdau [tên buổi]: a group's administrators mark the start of a study session."""
    message = update.effective_message
    assert message is not None
    if not await may_set_scope(update, context):
        await reply(message, texts.SESSION_NOT_ALLOWED)
        return
    title = command_argument(message)[:100]
    user = update.effective_user
    book = await study(context)
    session = await asyncio.to_thread(book.start_session, message.chat_id, title, user.id if user else None)
    shown = f" «{escape_html(title)}»" if title else ""
    await reply(message, texts.SESSION_STARTED.format(title=shown, time=clock(session.started)))


async def end_command(update: Update, context: Context) -> None:
    """/tongket: end the session and post its recap (without /batdau: the last 3 hours)."""
    message = update.effective_message
    assert message is not None
    if not await may_set_scope(update, context):
        await reply(message, texts.SESSION_NOT_ALLOWED)
        return
    book = await study(context)
    session = await asyncio.to_thread(book.end_session, message.chat_id)
    await reply(message, await recap_html(context, book, session))


async def recap_html(context: CallbackContext, book: Study, session: Session) -> str:  # type: ignore[type-arg]
    """The recap of a session: its questions with the document and place that answered them
    (linked to the full passage), the documents quoted most, the quiz scores."""
    svc = services(context)
    asked = await asyncio.to_thread(book.asked, session.chat_id, session.started, session.ended)
    found = {a.passage_id: await svc.passage(a.passage_id) for a in asked if a.passage_id}
    title = f" «{escape_html(session.title)}»" if session.title else ""
    period = texts.RECAP_PERIOD if session.id is not None else texts.RECAP_PERIOD_RECENT
    lines = [texts.RECAP_TITLE.format(title=title),
             period.format(start=clock(session.started), end=clock(session.ended or session.started)), ""]
    lines += question_lines(asked, found, context.bot.username) if asked else [texts.RECAP_NO_QUESTIONS]
    quoted = most_quoted([found[a.passage_id][0].doc_id if found.get(a.passage_id) else None  # type: ignore[index]
                          for a in asked if a.passage_id])
    if quoted:
        docs = {d.doc_id: d for d in await svc.documents()}
        lines += ["", texts.RECAP_DOCUMENTS]
        lines += [texts.RECAP_DOCUMENT.format(heading=escape_html(document_heading(docs[d]) if d in docs else d),
                                              count=n) for d, n in quoted]
    scores, polls = await asyncio.to_thread(book.scores, session.chat_id, session.started, session.ended)
    if polls:
        lines += ["", texts.RECAP_SCORES.format(polls=polls), *scores_lines(scores)]
    return "\n".join(lines)


def question_lines(asked: list, found: dict, username: str) -> list[str]:  # type: ignore[type-arg]
    """One numbered question per line, with the place of its answer linked to the full passage."""
    lines = [texts.RECAP_QUESTIONS.format(count=len(asked))]
    for i, a in enumerate(asked[:RECAP_QUESTIONS], 1):
        question = a.question if len(a.question) <= 120 else a.question[:119] + "…"
        lines.append(texts.RECAP_QUESTION.format(i=i, question=escape_html(question)))
        hit = found.get(a.passage_id) if a.passage_id else None
        if hit is None or a.confidence == "none":
            lines.append(texts.RECAP_UNANSWERED)
            continue
        doc, passage = hit
        url = f"https://t.me/{username}?start=p_{passage.passage_id}"
        place = f'<a href="{escape_html(url)}">{escape_html(passage.location or "toàn văn")}</a>'
        unsure = texts.RECAP_UNSURE if a.confidence == "related" else ""
        lines.append(texts.RECAP_SOURCE.format(heading=escape_html(source_name(doc)), place=place) + unsure)
    if len(asked) > RECAP_QUESTIONS:
        lines.append(texts.RECAP_MORE.format(count=len(asked) - RECAP_QUESTIONS))
    return lines


async def passage_link(update: Update, context: Context) -> None:
    """/start p_<id> (a recap's link): the full passage with its citation."""
    message = update.effective_message
    assert message is not None
    passage_id = (context.args or [""])[0][2:]
    found = await services(context).passage(passage_id) if passage_id else None
    if found is None:
        await reply(message, texts.FULL_PASSAGE_GONE)
        return
    for page in render_passage_html(*found):
        await reply(message, page)


# -- news of new documents ------------------------------------------------------------------------


async def subscribe_command(update: Update, context: Context) -> None:
    """/theodoi: this chat hears of new documents (in a group: its administrators decide)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    if not await may_set_scope(update, context):
        await reply(message, texts.SUBSCRIBE_NOT_ALLOWED)
        return
    book = await study(context)
    added = await asyncio.to_thread(book.subscribe, chat.id, chat.type)
    await reply(message, texts.SUBSCRIBED if added else texts.ALREADY_SUBSCRIBED)


async def unsubscribe_command(update: Update, context: Context) -> None:
    """/huytheodoi: no more news of new documents here."""
    message = update.effective_message
    assert message is not None
    if not await may_set_scope(update, context):
        await reply(message, texts.SUBSCRIBE_NOT_ALLOWED)
        return
    book = await study(context)
    removed = await asyncio.to_thread(book.unsubscribe, message.chat_id)
    await reply(message, texts.UNSUBSCRIBED if removed else texts.NOT_SUBSCRIBED)


def notice_html(docs: list[Document]) -> str:
    """The notice of new documents: title, code, issuer (or publisher), date."""
    from bot.render import format_date

    lines = [texts.NOTICE_HEAD.format(count=len(docs))]
    for d in docs:
        details = [x for x in (d.code, d.issuer or d.publisher, format_date(d.date)) if x]
        more = f" ({escape_html(' · '.join(details))})" if details else ""
        lines.append(texts.NOTICE_DOC.format(title=escape_html(d.title), details=more))
    return "\n".join([*lines, "", texts.NOTICE_FOOT])


def schedule_notices(app: Application, docs: list[Document]) -> None:  # type: ignore[type-arg]
    """After a re-index: tell the subscribed chats, in the background (the re-index never waits)."""
    if app.job_queue is None:
        log.warning("No job queue (install python-telegram-bot[job-queue]); new documents not announced")
        return
    app.job_queue.run_once(send_notices, 0, data=[d.doc_id for d in docs], name="new-documents")


async def send_notices(context: CallbackContext) -> None:  # type: ignore[type-arg]
    """One notice to each subscribed chat; a chat that blocked the bot is unsubscribed."""
    assert context.job is not None
    ids = list(context.job.data or [])  # type: ignore[call-overload]
    docs = [d for d in await services(context).documents() if d.doc_id in ids]
    if not docs:
        return
    text = notice_html(docs)
    markup = kb.cards_keyboard([(d.doc_id, d.code or d.title) for d in docs[:NOTICE_CARDS]])
    book = await study(context)
    for chat_id in await asyncio.to_thread(book.subscribers):
        try:
            await context.bot.send_message(chat_id, text, reply_markup=markup)
        except Forbidden:
            log.info("Chat %s blocked the bot or removed it: unsubscribed", chat_id)
            await asyncio.to_thread(book.unsubscribe, chat_id)
        except ChatMigrated as err:  # the group became a supergroup: the subscription follows it
            await asyncio.to_thread(book.unsubscribe, chat_id)
            await asyncio.to_thread(book.subscribe, err.new_chat_id, ChatType.SUPERGROUP)
            await context.bot.send_message(err.new_chat_id, text, reply_markup=markup)
        except TelegramError:
            log.warning("Could not tell chat %s of the new documents", chat_id, exc_info=True)


async def card_button(update: Update, context: Context) -> None:
    """A card button under a notice: the document's card."""
    query = update.callback_query
    assert query is not None
    _, doc_id, _ = kb.parse(query.data)
    doc = next((d for d in await services(context).documents() if d.doc_id == doc_id), None)
    if doc is None or not isinstance(query.message, Message):
        await query.answer(texts.FULL_PASSAGE_GONE, show_alert=True)
        return
    await query.answer()
    await send_card(query.message, services(context), doc)
