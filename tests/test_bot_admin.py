"""Administration over HTTP: /capnhat, documents sent to the bot, /thongke; refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import ADMIN, USER, ask, buttons, make_pdf, svc
from fake_telegram import FakeTelegram, check_text
from telegram.ext import Application

from bot import texts
from index.indexer import current_generation, reindex_lock

QUESTION = "Người vào Đảng phải đủ bao nhiêu tuổi?"
PDF_TITLE = "Quy chế làm việc của Chi bộ Khu phố Hoà Bình"
PDF_TEXT = [
    PDF_TITLE,
    "Điều 1. Chi bộ Khu phố Hoà Bình sinh hoạt thường kỳ vào ngày mùng năm hằng tháng, "
    "tại nhà văn hoá khu phố.",
    "Điều 2. Đảng viên vắng mặt phải báo cáo bí thư chi bộ trước ít nhất hai ngày; "
    "vắng mặt ba lần liên tiếp không có lý do thì chi bộ xem xét kỷ luật.",
]


async def upload(fake: FakeTelegram, user: int, name: str, data: bytes, **kwargs: object) -> list:
    """Send a file to the bot; returns the texts the bot showed for it, the final one last."""
    mark = len(fake.calls)
    fake.send_document(user, user, name, data, **kwargs)  # type: ignore[arg-type]
    first = await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == user, after=mark)
    if first.params["text"].startswith("⏳"):
        await fake.wait_call("editMessageText", lambda c: not c.params["text"].startswith("⏳")
                             and c.params["message_id"] == first.result["message_id"], after=mark)
    edits = [c.params["text"] for c in fake.calls[mark:]
             if c.method == "editMessageText" and c.ok
             and c.params["message_id"] == first.result["message_id"]]
    return [first.params["text"], *edits]


async def test_non_admin_cannot_reindex(fake: FakeTelegram, bot: Application) -> None:
    data_dir = svc(bot).settings.data_dir
    before = current_generation(data_dir)
    for command in ("/capnhat", "/thongke"):
        assert (await ask(fake, USER, command)).params["text"] == (
            f"{texts.NOT_ADMIN}\n{texts.YOUR_ID.format(id=USER)}")  # the id to put in ADMIN_IDS
    fake.chat(-100555, "supergroup", "Chi bộ")
    assert (await ask(fake, -100555, "/capnhat", USER)).params["text"] == texts.NOT_ADMIN  # not in groups
    await fake.settle(0.2)
    assert not fake.calls_of("editMessageText")
    assert current_generation(data_dir) == before


async def test_reindex_edits_one_message_and_ends_with_the_summary(
    fake: FakeTelegram, bot: Application
) -> None:
    corpus = svc(bot).settings.corpus_dir
    for i in range(3):
        (corpus / f"them-{i}.md").write_text(
            f"# Thông báo số {i} của Chi uỷ\n\nChi bộ tổ chức học tập chuyên đề lần {i} "
            f"vào quý {i + 1}, mọi đảng viên đều tham dự đầy đủ.\n", encoding="utf-8")
    svc(bot).progress_interval = 0.01
    status = await ask(fake, ADMIN, "/capnhat")
    assert status.params["text"] == texts.REINDEX_START
    final = await fake.wait_call("editMessageText", lambda c: "✅" in c.params["text"])
    assert final.params["message_id"] == status.result["message_id"]
    assert "thêm 3, sửa 0, xoá 0, giữ nguyên 8" in final.params["text"]
    assert "• Thông báo số 0 của Chi uỷ" in final.params["text"]
    edits = fake.calls_of("editMessageText")
    assert {c.params["message_id"] for c in edits} == {status.result["message_id"]}
    shown = [c.params["text"] for c in edits]
    assert shown[0].startswith("⏳ Đang cập nhật chỉ mục: ") and "/3 tệp" in shown[0]
    assert shown[-1] == final.params["text"]  # progress never lands after the summary
    assert "chuyên đề lần 2" in (await ask(fake, USER, "Chi bộ học tập chuyên đề lần 2 vào quý mấy?")
                                 ).params["text"]


async def test_everyday_wording_taught_in_synonyms_yaml_answers_after_capnhat(
    fake: FakeTelegram, bot: Application
) -> None:
    """An administrator sees a question go unanswered, writes the cadres' phrase for the
    documents' one in corpus/synonyms.yaml, sends /capnhat: the summary says so, and the
    same question is answered (the bot was not restarted)."""
    question = "Đảng viên góp nguyệt liễm trên cơ sở nào?"
    before = (await ask(fake, USER, question)).params["text"]
    assert before.startswith(texts.RELATED) or before.startswith(texts.NO_ANSWER)  # not an answer
    assert "đóng đảng phí" not in before
    (svc(bot).settings.corpus_dir / "synonyms.yaml").write_text("đóng đảng phí: góp nguyệt liễm\n", encoding="utf-8")
    await ask(fake, ADMIN, "/capnhat")
    final = await fake.wait_call("editMessageText", lambda c: "✅" in c.params["text"])
    assert "cách nói thường ngày (synonyms.yaml): 1 nhóm" in final.params["text"]
    assert "giữ nguyên 8" in final.params["text"]
    after = (await ask(fake, USER, question)).params["text"]
    assert after.startswith("<blockquote>")  # an answer: no warning above it
    plain, _ = check_text(after, "HTML")
    assert "Đảng viên đóng đảng phí trên cơ sở tiền lương" in plain
    assert "<b>đóng đảng phí" in after  # the documents' words, marked


async def test_reindex_busy_is_said_politely(fake: FakeTelegram, bot: Application) -> None:
    with reindex_lock(svc(bot).settings.data_dir):  # e.g. `vankien index` in a terminal
        status = await ask(fake, ADMIN, "/capnhat")
        final = await fake.wait_call("editMessageText")
    assert final.params["message_id"] == status.result["message_id"]
    assert final.params["text"] == texts.REINDEX_BUSY


async def test_uploaded_pdf_becomes_answerable(fake: FakeTelegram, bot: Application) -> None:
    shown = await upload(fake, ADMIN, "Quy chế chi bộ Hoà Bình.pdf",
                         make_pdf(PDF_TEXT, title=PDF_TITLE))
    assert shown[0] == "⏳ Đang đọc tệp «Quy_chế_chi_bộ_Hoà_Bình.pdf»…"
    assert shown[-1].startswith("✅ Đã thêm «")
    assert "Đồng chí có thể hỏi về văn bản này ngay" in shown[-1]
    assert (svc(bot).settings.corpus_dir / "Quy_chế_chi_bộ_Hoà_Bình.pdf").is_file()
    reply = await ask(fake, USER, "Chi bộ Khu phố Hòa Bình sinh hoạt thường kỳ vào ngày nào?")
    text = reply.params["text"]
    assert "<b>ngày</b> mùng năm hằng tháng" in text
    assert f"</blockquote>\n<b>1.</b> <i>{PDF_TITLE}</i> · Điều 1" in text  # cited under it
    again = await upload(fake, ADMIN, "Quy chế chi bộ Hoà Bình.pdf",
                         make_pdf(PDF_TEXT, title=PDF_TITLE))
    assert "đã có trong kho" in again[-1]


async def test_upload_refusals(fake: FakeTelegram, bot: Application) -> None:
    corpus = svc(bot).settings.corpus_dir
    before = sorted(p.name for p in corpus.iterdir())
    assert (await upload(fake, USER, "a.pdf", make_pdf(PDF_TEXT)))[-1].startswith(texts.NOT_ADMIN_UPLOAD)
    assert (await upload(fake, ADMIN, "anh.jpg", b"\xff\xd8\xff", mime_type="image/jpeg"))[-1] \
        == "Không thêm được «anh.jpg»: tôi chỉ nhận tệp PDF, DOCX, TXT, MD hoặc HTML."
    big = await upload(fake, ADMIN, "lon.pdf", b"%PDF-1.4", file_size=25 * 1024 * 1024)
    assert big[-1] == "Không thêm được «lon.pdf»: tệp lớn hơn 20 MB."
    broken = await upload(fake, ADMIN, "hong.pdf", b"%PDF-1.4\n this is not a pdf")
    assert broken[-1].startswith("Không thêm được «hong.pdf»: ")
    empty = await upload(fake, ADMIN, "rong.txt", b"   \n")
    assert empty[-1].startswith("Không thêm được «rong.txt»: ")
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert not [c for c in fake.calls_of("getFile") if c.params["file_id"].endswith("lon.pdf")]


async def test_files_in_groups_are_ignored(fake: FakeTelegram, bot: Application) -> None:
    fake.chat(-100999, "supergroup", "Chi bộ")
    mark = len(fake.calls)
    fake.send_document(-100999, ADMIN, "a.pdf", make_pdf(PDF_TEXT))
    await fake.settle(0.3)
    assert [c.method for c in fake.calls[mark:] if c.method != "getUpdates"] == []


async def test_stats_show_usage(fake: FakeTelegram, bot: Application) -> None:
    """/thongke counts the three tiers, lists the latest questions not surely answered with
    their 👎 beside them, then the answers given a 👎."""
    near = "Giá vé máy bay đi Đà Nẵng tháng sau là bao nhiêu?"  # `related`: near passages, no answer
    reply = await ask(fake, USER, QUESTION)
    await ask(fake, USER, "Thời tiết Hà Nội ngày mai thế nào?")  # `none`
    await ask(fake, USER, "thời tiết  hà nội ngày mai thế nào?")
    unsure = await ask(fake, USER, near)
    mine = await ask(fake, ADMIN, QUESTION)
    for message, label, user in ((reply, "👍", USER), (unsure, "👎", USER), (mine, "👎", ADMIN)):
        mark = len(fake.calls)
        fake.press(message.result, buttons(message)[label], user)
        await fake.wait_call("answerCallbackQuery", after=mark)
    text = (await ask(fake, ADMIN, "/thongke")).params["text"]
    assert text.startswith("📊 <b>Thống kê 7 ngày qua</b>")
    assert "Câu hỏi: 5 · trả lời được 2 (40%) · 2 người hỏi" in text
    assert texts.USAGE_TIERS.format(related=1, nothing=2) in text
    assert "câu hỏi, trả lời được 2, chưa chắc 1, không tìm thấy 2" in text  # one day
    listed = text.split(texts.USAGE_UNSURE)[1]
    first, second = f"1. 🔸 «{near}» — 1 lần · 👎 1", "2. ▫️ «Thời tiết Hà Nội ngày mai thế nào?» — 2 lần"
    assert listed.index(first) < listed.index(second)
    assert "synonyms.yaml" in text  # what an administrator can do about them
    assert f"{texts.USAGE_DISLIKED}\n1. ✅ «{QUESTION}» — 2 lần · 👎 1" in text
    assert "Góp ý: 👍 1 · 👎 2" in text
    assert "trò chuyện riêng 5" in text


def test_pdf_helper_makes_readable_text(tmp_path: Path) -> None:
    from index.ingest import parse_bytes

    parsed = parse_bytes(make_pdf(PDF_TEXT, title=PDF_TITLE), "x.pdf")
    text = " ".join(b.text for b in parsed.blocks)
    assert "ngày mùng năm hằng tháng" in text
    shutil.rmtree(tmp_path)


# -- /xoavanban ---------------------------------------------------------------------------------

QD_FILE = "qd-294-qdtw-2025-thi-hanh-dieu-le-dang.pdf"


async def press_and_wait(fake: FakeTelegram, message: dict, label: str, user: int = ADMIN,
                         final: str = "") -> dict:
    """Press a button under a bot message; returns the answerCallbackQuery params, after the
    message's last edit that starts with `final` when given."""
    data = {b["text"]: b["callback_data"] for row in message["reply_markup"]["inline_keyboard"]
            for b in row}[label]
    mark = len(fake.calls)
    query_id = fake.press(message, data, user)
    answered = await fake.wait_call("answerCallbackQuery",
                                    lambda c: c.params["callback_query_id"] == query_id, after=mark)
    if final:
        await fake.wait_call("editMessageText", lambda c: c.params["text"].startswith(final)
                             and c.params["message_id"] == message["message_id"], after=mark)
    return answered.params


def shown(fake: FakeTelegram, message: dict) -> dict:
    """The message as the stand-in holds it now (after edits)."""
    return fake.messages[(message["chat"]["id"], message["message_id"])]


async def test_admin_removes_a_document_and_restores_it(fake: FakeTelegram, bot: Application) -> None:
    settings = svc(bot).settings
    assert "294-QĐ/TW" in (await ask(fake, USER, QUESTION)).params["text"]
    card = await ask(fake, ADMIN, "/xoavanban 294")
    assert card.params["text"].startswith("📄 <b>Quy định thi hành Điều lệ Đảng</b>")
    assert card.params["text"].endswith(texts.REMOVE_CONFIRM)
    await press_and_wait(fake, card.result, "🗑 Gỡ văn bản này", final="✅")
    done = dict(shown(fake, card.result))  # a copy: the stand-in edits its message in place
    assert done["text"].startswith("✅ Đã gỡ «294-QĐ/TW – Quy định thi hành Điều lệ Đảng» khỏi kho (")
    # the administrator reads the file's name, never the server's path to it
    assert f"Tệp {QD_FILE} được cất" in done["text"] and str(settings.data_dir) not in done["text"]
    assert not (settings.corpus_dir / QD_FILE).exists()
    kept = list((settings.data_dir / "removed").rglob(QD_FILE))
    assert len(kept) == 1 and kept[0].read_bytes()[:5] == b"%PDF-"
    after = (await ask(fake, USER, QUESTION)).params["text"]
    assert "294-QĐ/TW" not in after.split("</blockquote>", 1)[1].split("\n", 2)[1]  # not cited first
    assert "Quy định thi hành Điều lệ Đảng" not in (await ask(fake, USER, "/vanban")).params["text"]

    await press_and_wait(fake, done, "↩️ Khôi phục", final="✅")
    assert shown(fake, card.result)["text"].startswith(
        "✅ Đã khôi phục «294-QĐ/TW – Quy định thi hành Điều lệ Đảng» (")
    assert (settings.corpus_dir / QD_FILE).is_file()
    assert not list((settings.data_dir / "removed").rglob("*.pdf"))
    assert "Điều 1, điểm 1.1.1" in (await ask(fake, USER, QUESTION)).params["text"]
    again = await press_and_wait(fake, done, "↩️ Khôi phục")  # pressed twice
    assert again["text"] == texts.RESTORE_GONE and again["show_alert"]


async def test_removal_is_for_admins_and_can_be_cancelled(fake: FakeTelegram, bot: Application) -> None:
    corpus = svc(bot).settings.corpus_dir
    before = sorted(p.name for p in corpus.iterdir())
    assert (await ask(fake, USER, "/xoavanban 294")).params["text"].startswith(texts.NOT_ADMIN)
    assert (await ask(fake, ADMIN, "/xoavanban")).params["text"] == texts.REMOVE_USAGE
    assert (await ask(fake, ADMIN, "/xoavanban Nghị quyết 99-NQ/TW")).params["text"].startswith(
        "Không tìm thấy văn bản nào khớp")
    card = await ask(fake, ADMIN, "/xoavanban 294")
    refused = await press_and_wait(fake, card.result, "🗑 Gỡ văn bản này", user=USER)
    assert refused["text"] == texts.NOT_ADMIN and refused["show_alert"]
    await press_and_wait(fake, card.result, "Giữ lại", final=texts.REMOVE_KEPT)
    assert shown(fake, card.result)["text"] == texts.REMOVE_KEPT
    assert "reply_markup" not in shown(fake, card.result)
    assert sorted(p.name for p in corpus.iterdir()) == before


async def test_removal_with_several_matches_asks_which(fake: FakeTelegram, bot: Application) -> None:
    docs = await svc(bot).find_documents("Đảng bộ Khối")
    assert len(docs) > 1
    choice = await ask(fake, ADMIN, "/xoavanban Đảng bộ Khối")
    assert choice.params["text"].startswith(f"Có {len(docs)} văn bản khớp với «Đảng bộ Khối».")
    labels = [b["text"] for row in choice.params["reply_markup"]["inline_keyboard"] for b in row]
    assert len(labels) == len(docs) and all(label.startswith("🗑 ") for label in labels)
    await press_and_wait(fake, choice.result, labels[1], final="📄")
    card = shown(fake, choice.result)
    assert card["text"].startswith(f"📄 {docs[1].title}") and card["text"].endswith(texts.REMOVE_CONFIRM)
    await press_and_wait(fake, card, "🗑 Gỡ văn bản này", final="✅")
    assert not (svc(bot).settings.corpus_dir / docs[1].path).exists()
    assert docs[1].doc_id not in {d.doc_id for d in await svc(bot).documents()}


async def test_removal_while_another_reindex_runs_keeps_the_file(
    fake: FakeTelegram, bot: Application
) -> None:
    settings = svc(bot).settings
    card = await ask(fake, ADMIN, "/xoavanban 294")
    generation = current_generation(settings.data_dir)
    with reindex_lock(settings.data_dir):  # e.g. `vankien index` in a terminal
        await press_and_wait(fake, card.result, "🗑 Gỡ văn bản này", final=texts.REMOVE_BUSY[:20])
    assert shown(fake, card.result)["text"] == texts.REMOVE_BUSY
    assert (settings.corpus_dir / QD_FILE).is_file()
    assert not list((settings.data_dir / "removed").rglob("*.pdf"))
    assert current_generation(settings.data_dir) == generation


async def test_removed_documents_are_listed_for_restoring(fake: FakeTelegram, bot: Application) -> None:
    assert (await ask(fake, ADMIN, "/xoavanban")).params["text"] == texts.REMOVE_USAGE  # nothing removed yet
    card = await ask(fake, ADMIN, "/xoavanban 294")
    await press_and_wait(fake, card.result, "🗑 Gỡ văn bản này", final="✅")
    listing = await ask(fake, ADMIN, "/xoavanban")  # the removal message may be long gone
    assert f"{texts.REMOVED_KEPT}\n• {QD_FILE}" in listing.params["text"]
    await press_and_wait(fake, listing.result, f"↩️ {QD_FILE}", final="✅")
    assert shown(fake, listing.result)["text"].startswith("✅ Đã khôi phục «294-QĐ/TW")
    assert (svc(bot).settings.corpus_dir / QD_FILE).is_file()
    assert (await ask(fake, ADMIN, "/xoavanban")).params["text"] == texts.REMOVE_USAGE
