"""Study sessions over HTTP: /ontap quiz polls in a scoped group, answers and /ketqua,
/batdau … /tongket, /theodoi and the notice after an upload, a blocked chat unsubscribed."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import ADMIN, USER, ask, buttons, make_pdf, svc
from fake_telegram import Call, FakeTelegram
from telegram.ext import Application

from bot import texts
from index.logbook import Logbook
from index.study import Study
from index.text import normalize

GROUP = -100777
MEMBER = 5005
QD = "294-QĐ/TW"


def group(fake: FakeTelegram) -> None:
    fake.chat(GROUP, "supergroup", "Chi bộ học tập").admins.add(USER)


async def eventually(check: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait until `check()` is true (what the bot does in the background)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def stored(bot: Application, poll_id: str) -> bool:
    db = Logbook(svc(bot).settings.db_path).db
    return db.execute("SELECT 1 FROM quiz_polls WHERE poll_id = ?", [poll_id]).fetchone() is not None


async def quiz(fake: FakeTelegram, text: str, user: int = USER, bot: Application | None = None) -> Call:
    mark = len(fake.calls)
    fake.send_text(GROUP, user, text)
    sent = await fake.wait_call("sendPoll", lambda c: c.params["chat_id"] == GROUP, after=mark)
    if bot is not None:  # members answer once the poll is shown, so after the bot stored it
        await eventually(lambda: stored(bot, sent.result["poll"]["id"]))
    return sent


def answer_of(call: Call) -> str:
    poll = call.result["poll"]
    return str(poll["options"][poll["correct_option_id"]]["text"])


async def test_ontap_in_a_scoped_group_sends_quiz_polls_with_a_citation(fake: FakeTelegram, bot: Application) -> None:
    group(fake)
    await ask(fake, GROUP, "/phamvi 294", USER)
    first = await quiz(fake, "/ontap 3")
    poll = first.result["poll"]
    assert poll["type"] == "quiz" and poll["is_anonymous"] is False and len(poll["options"]) >= 3
    assert first.params["explanation"].startswith(f"Nguồn: {QD}")  # the citation, from the scope only
    head = "📝 Câu 1/3 · "
    assert "____" in poll["question"] and len(poll["question"]) <= 300
    assert poll["question"].startswith(head) or len(head + poll["question"]) > 300  # numbered when it fits
    seen = {poll["question"]}
    mark = len(fake.calls)
    fake.press(first.result, buttons(first)["Câu tiếp ▸"], MEMBER)
    second = await fake.wait_call("sendPoll", lambda c: c.params["chat_id"] == GROUP, after=mark)
    second_question = second.result["poll"]["question"]
    assert second_question.startswith("📝 Câu 2/3") or len("📝 Câu 2/3 · " + second_question) > 300
    assert not fake.messages[(GROUP, first.result["message_id"])].get("reply_markup")  # the button is used
    fake.press(first.result, buttons(first)["Câu tiếp ▸"], USER)  # pressed again: nothing more
    mark = len(fake.calls)
    fake.press(second.result, buttons(second)["Câu tiếp ▸"], USER)
    third = await fake.wait_call("sendPoll", lambda c: c.params["chat_id"] == GROUP, after=mark)
    done = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == GROUP, after=mark)
    assert done.params["text"] == texts.QUIZ_DONE.format(n=3) and not buttons(third)
    seen |= {second.result["poll"]["question"], third.result["poll"]["question"]}
    assert len(seen) == 3 and len(fake.calls_of("sendPoll")) == 3
    rows = Logbook(svc(bot).settings.db_path).db.execute("SELECT doc_id FROM quiz_polls").fetchall()
    assert len(rows) == 3 and len({r[0] for r in rows}) == 1


async def test_no_question_is_repeated_in_a_session(fake: FakeTelegram, bot: Application) -> None:
    group(fake)
    asked: list[str] = []
    for _ in range(4):
        asked.append((await quiz(fake, "/ontap Điều lệ Đảng")).result["poll"]["question"])
    assert len(set(asked)) == 4


async def test_a_poll_answer_is_recorded_and_ketqua_shows_scores(fake: FakeTelegram, bot: Application) -> None:
    group(fake)
    first = await quiz(fake, "/ontap 294", bot=bot)
    poll = first.result["poll"]
    wrong = next(i for i in range(len(poll["options"])) if i != poll["correct_option_id"])
    fake.answer_poll(poll["id"], MEMBER, [poll["correct_option_id"]])
    fake.answer_poll(poll["id"], USER, [wrong])
    second = await quiz(fake, "/ontap 294", bot=bot)
    fake.answer_poll(second.result["poll"]["id"], MEMBER, [second.result["poll"]["correct_option_id"]])
    db = Logbook(svc(bot).settings.db_path).db
    await eventually(lambda: db.execute("SELECT count(*) FROM poll_answers").fetchone()[0] == 3)
    text = (await ask(fake, GROUP, "/ketqua", USER)).params["text"]
    assert text.startswith("🏆 <b>Kết quả ôn tập</b> (2 câu hỏi")
    assert text.splitlines()[1:] == ["1. Minh: 2/2 câu đúng", "2. Minh: 0/1 câu đúng"]
    stored = Logbook(svc(bot).settings.db_path).db.execute("SELECT user_hash FROM poll_answers").fetchall()
    assert len(stored) == 3 and all(str(MEMBER) not in r[0] and len(r[0]) == 24 for r in stored)


async def test_a_private_quiz_and_an_unknown_document(fake: FakeTelegram, bot: Application) -> None:
    mark = len(fake.calls)
    fake.send_text(USER, USER, "/ontap")
    sent = await fake.wait_call("sendPoll", lambda c: c.params["chat_id"] == USER, after=mark)
    assert answer_of(sent).lower() in normalize(sent.result["poll"]["question"] + " " + answer_of(sent)).lower()
    missing = (await ask(fake, USER, "/ontap Nghị quyết 99")).params["text"]
    assert "Nghị quyết 99" in missing


async def test_batdau_questions_tongket_recap(fake: FakeTelegram, bot: Application) -> None:
    group(fake)
    refused = (await ask(fake, GROUP, "/batdau Học Điều lệ", MEMBER)).params["text"]
    assert refused == texts.SESSION_NOT_ALLOWED
    started = (await ask(fake, GROUP, "/batdau Học Điều lệ", USER)).params["text"]
    assert started.startswith("▶️ Đã bắt đầu buổi sinh hoạt «Học Điều lệ» lúc ")
    await ask(fake, GROUP, "/hoi Người vào Đảng phải đủ bao nhiêu tuổi?", MEMBER)
    await ask(fake, GROUP, "/hoi Đảng viên dự bị phải trải qua thời kỳ dự bị bao lâu?", MEMBER)
    await ask(fake, USER, "Đảng phí đóng thế nào?")  # another chat: not in the group's recap
    poll = (await quiz(fake, "/ontap 294", bot=bot)).result["poll"]
    fake.answer_poll(poll["id"], MEMBER, [poll["correct_option_id"]])
    db = Logbook(svc(bot).settings.db_path).db
    await eventually(lambda: db.execute("SELECT count(*) FROM poll_answers").fetchone()[0] == 1)
    recap = (await ask(fake, GROUP, "/tongket", USER)).params["text"]
    lines = recap.splitlines()
    assert lines[0] == "📋 <b>Tóm tắt buổi sinh hoạt «Học Điều lệ»</b>"
    assert "<b>Câu hỏi đã hỏi (2):</b>" in lines
    assert "1. Người vào Đảng phải đủ bao nhiêu tuổi?" in lines and "Đảng phí" not in recap
    links = re.findall(r'<a href="https://t.me/vankien_test_bot\?start=p_([\w-]+)">([^<]+)</a>', recap)
    assert len(links) == 2 and links[0][1].startswith("Điều")
    assert "<b>Văn bản được trích nhiều nhất:</b>" in lines
    assert "<b>Kết quả ôn tập</b> (1 câu hỏi):" in lines and "1. Minh: 1/1 câu đúng" in lines
    # the link opens the full passage in a private chat
    full = (await ask(fake, MEMBER, f"/start p_{links[0][0]}")).params["text"]
    assert full.startswith("<blockquote>") and "18 tuổi" in full
    # ended: the next /tongket covers the last three hours
    again = (await ask(fake, GROUP, "/tongket", USER)).params["text"]
    assert "Trong 3 giờ qua" in again


async def test_theodoi_then_an_upload_notifies_and_a_blocked_chat_is_unsubscribed(
        fake: FakeTelegram, bot: Application) -> None:
    group(fake)
    assert (await ask(fake, GROUP, "/theodoi", MEMBER)).params["text"] == texts.SUBSCRIBE_NOT_ALLOWED
    assert (await ask(fake, GROUP, "/theodoi", USER)).params["text"] == texts.SUBSCRIBED
    assert (await ask(fake, GROUP, "/theodoi", USER)).params["text"] == texts.ALREADY_SUBSCRIBED
    assert (await ask(fake, MEMBER, "/theodoi")).params["text"] == texts.SUBSCRIBED
    fake.blocked.add(MEMBER)  # the member blocked the bot
    title = "Quy chế làm việc của Chi bộ Khu phố Hoà Bình"
    mark = len(fake.calls)
    text = [title, "Điều 1. Chi bộ Khu phố Hoà Bình sinh hoạt thường kỳ vào ngày mùng năm hằng tháng, "
            "tại nhà văn hoá khu phố.", "Điều 2. Đảng viên vắng mặt phải báo cáo bí thư chi bộ trước ít nhất hai ngày."]
    fake.send_document(ADMIN, ADMIN, "quy-che.pdf", make_pdf(text, title=title))
    notice = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == GROUP, after=mark)
    assert notice.params["text"].startswith("🆕 <b>Kho có 1 văn bản mới:</b>\n• <b>Quy chế làm việc")
    book = Study(Logbook(svc(bot).settings.db_path))
    await eventually(lambda: book.subscribers() == [GROUP])  # the blocked chat is gone
    assert [c for c in fake.calls_of("sendMessage", ok=False) if c.params["chat_id"] == MEMBER]
    mark = len(fake.calls)
    fake.press(notice.result, next(iter(buttons(notice).values())), USER)
    card = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == GROUP, after=mark)
    assert card.params["text"].startswith("📄 <b>Quy chế làm việc")
    assert (await ask(fake, GROUP, "/huytheodoi", USER)).params["text"] == texts.UNSUBSCRIBED
    assert book.subscribers() == []


async def test_help_and_commands_list_the_study_commands(fake: FakeTelegram, bot: Application) -> None:
    assert "/ontap" in (await ask(fake, USER, "/trogiup")).params["text"]
    groups = fake.commands['{"type": "all_group_chats"}']
    assert {"ontap", "ketqua", "batdau", "tongket", "theodoi", "huytheodoi"} <= {c["command"] for c in groups}


async def test_a_subscribed_group_that_became_a_supergroup_keeps_its_news(
        fake: FakeTelegram, bot: Application) -> None:
    old, new = -4001, -1004001
    fake.chat(old, "group", "Chi bộ cũ").admins.add(USER)
    fake.chat(new, "supergroup", "Chi bộ cũ")
    assert (await ask(fake, old, "/theodoi", USER)).params["text"] == texts.SUBSCRIBED
    fake.migrated[old] = new
    title = "Quy chế làm việc của Chi bộ Khu phố Hoà Bình"
    text = [title, "Điều 1. Chi bộ Khu phố Hoà Bình sinh hoạt thường kỳ vào ngày mùng năm hằng tháng, "
            "tại nhà văn hoá khu phố.", "Điều 2. Đảng viên vắng mặt phải báo cáo bí thư chi bộ trước ít nhất hai ngày."]
    mark = len(fake.calls)
    fake.send_document(ADMIN, ADMIN, "quy-che.pdf", make_pdf(text, title=title))
    notice = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == new, after=mark)
    assert notice.params["text"].startswith("🆕")
    book = Study(Logbook(svc(bot).settings.db_path))
    await eventually(lambda: book.subscribers() == [new])
