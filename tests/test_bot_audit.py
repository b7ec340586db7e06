"""The audit trail, uploads of a taken name, the /thongke chart and administrators managed
in the bot, end to end over HTTP against the stand-in Bot API."""

from __future__ import annotations

import re

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import ADMIN, USER, ask, make_pdf, svc
from fake_telegram import FakeTelegram
from telegram.ext import Application
from test_bot_admin import PDF_TEXT, PDF_TITLE, press_and_wait, shown, upload

from bot import texts
from index.audit import AuditTrail
from index.logbook import Logbook

NEW_ADMIN = 3003
LINE = re.compile(r"^(✅|❌|⏳|▫️|⛔) \d\d/\d\d \d\d:\d\d · ")


async def test_nhatky_shows_an_upload_and_a_refused_attempt(fake: FakeTelegram, bot: Application) -> None:
    shown_texts = await upload(fake, ADMIN, "Quy chế chi bộ.pdf", make_pdf(PDF_TEXT, title=PDF_TITLE))
    assert shown_texts[-1].startswith("✅ Đã thêm «")
    assert (await ask(fake, USER, "/capnhat")).params["text"].startswith(texts.NOT_ADMIN)
    assert (await ask(fake, USER, "/nhatky")).params["text"].startswith(texts.NOT_ADMIN)
    text = (await ask(fake, ADMIN, "/nhatky")).params["text"]
    lines = text.split("\n")
    assert lines[0] == "🗒 <b>Nhật ký quản trị</b> (3 việc gần nhất)"
    assert all(LINE.match(line) for line in lines[1:]), lines
    assert lines[1].startswith("⛔ ") and lines[1].endswith(" · xem nhật ký (bị từ chối)")  # newest first
    assert lines[2].startswith("⛔ ") and lines[2].endswith(" · cập nhật chỉ mục (bị từ chối)")
    assert lines[3].startswith("✅ ") and lines[3].endswith(" · Minh #" + lines[3].split("#")[1][:4]
                                                           + " · thêm tệp «Quy_chế_chi_bộ.pdf»")
    trail = AuditTrail(svc(bot).settings.db_path)
    book = Logbook(svc(bot).settings.db_path)
    try:
        entries = trail.latest()
        assert [(e.action, e.outcome) for e in entries] == [("audit", "refused"), ("reindex", "refused"),
                                                           ("upload", "ok")]
        # who: hashed as the query log hashes, never the id itself
        assert entries[2].who == book.hash_user(ADMIN) and entries[0].who == book.hash_user(USER)
        assert str(ADMIN) not in (entries[2].who or "") and entries[2].name == "Minh"
    finally:
        trail.close()
        book.close()


async def clash(fake: FakeTelegram, bot: Application) -> tuple[dict, bytes, bytes]:
    """Upload a PDF, then another with the same name: returns the question and both files."""
    third = "Điều 3. Chi bộ tổ chức sinh hoạt chuyên đề mỗi quý một lần, do bí thư chi bộ chủ trì."
    first, second = make_pdf(PDF_TEXT, title=PDF_TITLE), make_pdf([*PDF_TEXT, third], title=PDF_TITLE)
    await upload(fake, ADMIN, "quy-che.pdf", first)
    mark = len(fake.calls)
    asked = await upload(fake, ADMIN, "quy-che.pdf", second)
    assert asked[-1] == texts.UPLOAD_CLASH.format(name="quy-che.pdf")
    edit = next(c for c in fake.calls[mark:] if c.method == "editMessageText" and c.params["text"] == asked[-1])
    message = dict(shown(fake, edit.result))  # a copy: the stand-in edits its message in place
    assert [b["text"] for b in message["reply_markup"]["inline_keyboard"][0]] == ["Thay thế", "Giữ cả hai"]
    assert (svc(bot).settings.corpus_dir / "quy-che.pdf").read_bytes() == first  # nothing written yet
    return message, first, second


async def test_upload_of_a_taken_name_asks_then_replaces(fake: FakeTelegram, bot: Application) -> None:
    corpus = svc(bot).settings.corpus_dir
    message, _, second = await clash(fake, bot)
    refused = await press_and_wait(fake, message, "Thay thế", user=USER)
    assert refused["text"] == texts.NOT_ADMIN
    await press_and_wait(fake, message, "Thay thế", final="✅")
    assert shown(fake, message)["text"].startswith(f"✅ Đã cập nhật «{PDF_TITLE}» (")
    assert (corpus / "quy-che.pdf").read_bytes() == second
    assert not (corpus / "quy-che-2.pdf").exists()
    again = await press_and_wait(fake, message, "Giữ cả hai")  # the choice is made once
    assert again["text"] == texts.UPLOAD_CLASH_GONE and not (corpus / "quy-che-2.pdf").exists()
    [doc] = [d for d in await svc(bot).documents() if d.path == "quy-che.pdf"]
    assert doc.n_passages == 3  # Điều 1, 2 and the new Điều 3: the new version is the one indexed
    trail = AuditTrail(svc(bot).settings.db_path)
    try:
        assert [(e.action, e.outcome, e.document) for e in trail.latest(2)] == [
            ("replace", "ok", "quy-che.pdf"), ("upload", "refused", None)]
    finally:
        trail.close()


async def test_upload_of_a_taken_name_can_keep_both(fake: FakeTelegram, bot: Application) -> None:
    corpus = svc(bot).settings.corpus_dir
    message, first, second = await clash(fake, bot)
    await press_and_wait(fake, message, "Giữ cả hai", final="✅")
    assert shown(fake, message)["text"].startswith(f"✅ Đã thêm «{PDF_TITLE}» (")
    assert (corpus / "quy-che.pdf").read_bytes() == first
    assert (corpus / "quy-che-2.pdf").read_bytes() == second
    assert {d.path for d in await svc(bot).documents()} >= {"quy-che.pdf", "quy-che-2.pdf"}
    assert "thêm tệp (giữ cả hai) «quy-che-2.pdf»" in (await ask(fake, ADMIN, "/nhatky")).params["text"]


async def test_thongke_sends_the_chart_then_the_text(fake: FakeTelegram, bot: Application) -> None:
    await ask(fake, USER, "Người vào Đảng phải đủ bao nhiêu tuổi?")
    mark = len(fake.calls)
    fake.send_text(ADMIN, ADMIN, "/thongke")
    text = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == ADMIN, after=mark)
    sent = [c for c in fake.calls[mark:] if c.method in ("sendPhoto", "sendMessage")]
    assert [c.method for c in sent] == ["sendPhoto", "sendMessage"] and sent[1] is text
    photo = sent[0]
    assert photo.ok and photo.params["chat_id"] == ADMIN and photo.params["caption"] == texts.CHART_CAPTION
    png = photo.params["photo"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and 900 <= photo.result["photo"][0]["width"] <= 1200
    assert text.params["text"].startswith("📊 <b>Thống kê 7 ngày qua</b>")
    assert (await ask(fake, USER, "/thongke")).params["text"].startswith(texts.NOT_ADMIN)
    assert len(fake.calls_of("sendPhoto")) == 1  # none for the refused one


async def test_an_added_administrator_may_act_until_removed(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(NEW_ADMIN)
    assert (await ask(fake, NEW_ADMIN, "/capnhat")).params["text"].startswith(texts.NOT_ADMIN)
    assert (await ask(fake, ADMIN, "/quantri them abc")).params["text"] == texts.ADMIN_BAD_ID.format(id="abc")
    added = await ask(fake, ADMIN, f"/quantri thêm {NEW_ADMIN}")
    assert added.params["text"] == texts.ADMIN_ADDED.format(id=NEW_ADMIN)
    scope = f'{{"chat_id": {NEW_ADMIN}, "type": "chat"}}'
    assert [c["command"] for c in fake.commands[scope]][-2:] == ["nhatky", "quantri"]  # the admin menu
    assert (await ask(fake, NEW_ADMIN, "/capnhat")).params["text"] == texts.REINDEX_START  # no restart
    assert "/nhatky" in (await ask(fake, NEW_ADMIN, "/trogiup")).params["text"]  # the admin help
    await fake.wait_call("editMessageText", lambda c: c.params["chat_id"] == NEW_ADMIN and "✅" in c.params["text"])
    listing = (await ask(fake, NEW_ADMIN, "/quantri")).params["text"]
    assert f"• <code>{ADMIN}</code> (cố định, ADMIN_IDS)" in listing
    assert f"• <code>{NEW_ADMIN}</code> (do Minh thêm ngày " in listing
    assert (await ask(fake, ADMIN, f"/quantri bo {NEW_ADMIN}")).params["text"] == texts.ADMIN_REMOVED.format(
        id=NEW_ADMIN)
    assert "capnhat" not in [c["command"] for c in fake.commands[scope]]
    assert (await ask(fake, NEW_ADMIN, "/capnhat")).params["text"].startswith(texts.NOT_ADMIN)
    log = (await ask(fake, ADMIN, "/nhatky")).params["text"]
    assert f"bỏ quản trị viên «{NEW_ADMIN}»" in log and f"thêm quản trị viên «{NEW_ADMIN}»" in log


async def test_admin_ids_administrators_cannot_be_removed(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(NEW_ADMIN)
    await ask(fake, ADMIN, f"/quantri them {NEW_ADMIN}")
    refused = await ask(fake, NEW_ADMIN, f"/quantri bo {ADMIN}")
    assert refused.params["text"] == texts.ADMIN_FIXED.format(id=ADMIN)
    assert (await ask(fake, ADMIN, "/thongke")).params["text"].startswith("📊")  # still an administrator
    assert (await ask(fake, ADMIN, f"/quantri bo {USER}")).params["text"] == texts.ADMIN_NOT_ONE.format(id=USER)
    assert (await ask(fake, USER, f"/quantri them {USER}")).params["text"].startswith(texts.NOT_ADMIN)
    assert not svc(bot).is_admin(USER)
    assert "⛔" in (await ask(fake, ADMIN, "/nhatky")).params["text"].split("\n")[2]  # USER's attempt


async def test_scope_changes_and_refusals_are_recorded(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(-100777, "supergroup", "Chi bộ 3")
    assert (await ask(fake, -100777, "/phamvi 294", USER)).params["text"] == texts.SCOPE_NOT_ALLOWED
    assert (await ask(fake, USER, "/phamvi 294")).params["text"].startswith(texts.SCOPE_SET)
    lines = (await ask(fake, ADMIN, "/nhatky")).params["text"].split("\n")
    assert lines[1].startswith("✅ ") and lines[1].endswith(
        " · đổi phạm vi «294-QĐ/TW – Quy định thi hành Điều lệ Đảng»")
    assert lines[2].startswith("⛔ ") and lines[2].endswith(" · đổi phạm vi «294» (bị từ chối)")
