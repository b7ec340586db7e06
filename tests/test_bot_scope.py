"""/phamvi: a chat limited to some documents (a study session on one regulation), over HTTP."""

from __future__ import annotations

import asyncio
import re

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import ADMIN, USER, ask, buttons, svc
from fake_telegram import BOT_USER, FakeTelegram
from telegram.ext import Application

from bot import texts
from index.logbook import Logbook

GROUP = -100444
QUESTION = "Trình độ học vấn tối thiểu của người vào Đảng là gì?"
QD = "294-QĐ/TW"
HD = "06-HD/TW"
QD_FILE = "qd-294-qdtw-2025-thi-hanh-dieu-le-dang.pdf"


def cited(text: str) -> list[str]:
    """The code or title each quote of an answer is cited from, in order."""
    return re.findall(r"</blockquote>\n(?:<b>\d+\.</b> )?<i>([^<]*)</i>", text)


async def test_a_private_chat_limited_to_one_document(fake: FakeTelegram, bot: Application) -> None:
    before = (await ask(fake, USER, QUESTION)).params["text"]
    assert any(c.startswith(HD) for c in cited(before))  # the guidance answers too, unscoped
    shown = (await ask(fake, USER, "/phamvi")).params["text"]
    assert shown.startswith(texts.SCOPE_ALL)
    chosen = (await ask(fake, USER, "/phamvi 294")).params["text"]
    assert chosen.startswith(texts.SCOPE_SET) and f"• {QD} – Quy định thi hành Điều lệ Đảng" in chosen
    after = (await ask(fake, USER, QUESTION)).params["text"]
    assert cited(after) and all(c.startswith(QD) for c in cited(after)), cited(after)
    assert after.endswith(texts.SCOPE_FOOTER.format(names=QD))
    assert (await ask(fake, USER, "/phamvi")).params["text"].startswith(
        f"{texts.SCOPE_NOW}\n• {QD} – Quy định thi hành Điều lệ Đảng")
    assert f"{texts.SCOPE_NOW}\n• {QD}" in (await ask(fake, USER, "/start")).params["text"]
    # other chats are not limited
    assert any(c.startswith(HD) for c in cited((await ask(fake, ADMIN, QUESTION)).params["text"]))
    # 'Xem thêm' stays within the scope
    reply = await ask(fake, USER, "Đảng viên")
    mark = len(fake.calls)
    fake.press(reply.result, buttons(reply)["Xem thêm ▸"], USER)
    more = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == USER, after=mark)
    assert cited(more.params["text"]) and all(c.startswith(QD) for c in cited(more.params["text"]))
    # kept in SQLite, so it outlives a restart
    assert Logbook(svc(bot).settings.db_path).chat_scope(USER) == (QD_FILE,)
    assert (await ask(fake, USER, "/phamvi Tất cả")).params["text"] == texts.SCOPE_CLEARED
    assert any(c.startswith(HD) for c in cited((await ask(fake, USER, QUESTION)).params["text"]))
    assert Logbook(svc(bot).settings.db_path).chat_scope(USER) == ()


async def test_nothing_in_scope_says_so(fake: FakeTelegram, bot: Application) -> None:
    await ask(fake, USER, "/phamvi hướng dẫn thi hành điều lệ")
    question = "Đảng bộ Khối các cơ quan tỉnh Quảng Bình có bao nhiêu đảng viên?"  # the reports' subject
    text = (await ask(fake, USER, question)).params["text"]
    if "<blockquote>" in text:  # `related`: the guidance's nearest passages, never said to answer
        assert text.startswith(texts.RELATED) and all(c.startswith(HD) for c in cited(text)), cited(text)
        assert text.endswith(texts.SCOPE_FOOTER.format(names=HD))
    else:
        assert text.endswith(texts.SCOPE_NO_ANSWER.format(names=HD))
    nothing = (await ask(fake, USER, "Thời tiết Hà Nội ngày mai thế nào?")).params["text"]
    assert "<blockquote>" not in nothing and nothing.endswith(texts.SCOPE_NO_ANSWER.format(names=HD))
    assert (await ask(fake, USER, "/phamvi 99-NQ/TW")).params["text"].startswith("Không tìm thấy văn bản")
    assert svc(bot).logbook.chat_scope(USER)  # type: ignore[union-attr]  # an unknown code keeps the scope


async def test_in_groups_only_group_admins_set_the_scope(fake: FakeTelegram, bot: Application) -> None:
    group = fake.chat(GROUP, "supergroup", "Chi bộ học tập")
    refused = await ask(fake, GROUP, "/phamvi 294", USER)
    assert refused.params["text"] == texts.SCOPE_NOT_ALLOWED
    assert fake.calls_of("getChatMember")[-1].params["user_id"] == USER
    assert (await ask(fake, GROUP, "/phamvi", USER)).params["text"].startswith(texts.SCOPE_ALL)
    group.admins.add(USER)
    assert (await ask(fake, GROUP, "/phamvi 294", USER)).params["text"].startswith(texts.SCOPE_SET)
    answer = (await ask(fake, GROUP, f"/hoi {QUESTION}", 3003)).params["text"]
    assert cited(answer) and all(c.startswith(QD) for c in cited(answer))
    # a bot administrator may too, without being a group admin
    assert (await ask(fake, GROUP, "/phamvi tat ca", ADMIN)).params["text"] == texts.SCOPE_CLEARED


async def test_scope_follows_a_group_upgraded_to_supergroup(fake: FakeTelegram, bot: Application) -> None:
    old, new = -4444, -1004444
    fake.chat(old, "group", "Chi bộ cũ").admins.add(USER)
    fake.chat(new, "supergroup", "Chi bộ cũ")
    await ask(fake, old, "/phamvi 294", USER)
    fake.push({"message": {"message_id": 98, "date": 0, "chat": fake.chat(old).json(),
                           "from": BOT_USER, "migrate_to_chat_id": new}})
    for _ in range(100):  # updates are handled concurrently: let the migration land first
        if svc(bot).logbook.chat_scope(new):  # type: ignore[union-attr]
            break
        await asyncio.sleep(0.05)
    assert svc(bot).logbook.chat_scope(new) == (QD_FILE,)  # type: ignore[union-attr]
    answer = (await ask(fake, new, f"/hoi {QUESTION}", USER)).params["text"]
    assert answer.endswith(texts.SCOPE_FOOTER.format(names=QD))
