"""Relations between documents where a reader needs them: document cards (what a document
replaces, applies, carries out, and what does so to it) with their buttons, `/vanban` of a
code the corpus lacks, and "📎 Hướng dẫn thi hành" under a quote of the Charter."""

from __future__ import annotations

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import USER, ask, buttons
from fake_telegram import FakeTelegram
from telegram.ext import Application

from bot import texts


async def press(fake: FakeTelegram, reply: dict, label: str, method: str = "sendMessage") -> dict:
    """Press the button labelled `label` under a bot message; the bot's next `method` call."""
    mark = len(fake.calls)
    data = {b["text"]: b["callback_data"] for row in reply["reply_markup"]["inline_keyboard"] for b in row}[label]
    fake.press(reply, data, USER)
    return (await fake.wait_call(method, after=mark)).params


async def test_card_of_a_guidance_names_what_it_replaces_and_guides(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, "/vanban 06-HD/TW")
    text = reply.params["text"]
    assert "🔗 Thay thế: Hướng dẫn số 01-HD/TW" in text  # the corpus does not hold 01-HD/TW
    assert "🔗 Hướng dẫn thi hành: 294-QĐ/TW" in text
    assert set(buttons(reply)) == {texts.BUTTON_ASK_IN, texts.BUTTON_READ, texts.BUTTON_FILE}


async def test_card_of_a_regulation_names_what_guides_it_and_what_it_applies(
        fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "/vanban 294/QĐ-TW")).params["text"]
    assert "🔗 Thi hành: Điều lệ Đảng" in text and "🔗 Được hướng dẫn bởi: 06-HD/TW" in text
    charter = (await ask(fake, USER, "/vanban Điều lệ Đảng Cộng sản")).params["text"]
    applied_by = next(line for line in charter.splitlines() if line.startswith("🔗 Được thi hành bởi: "))
    assert "294-QĐ/TW" in applied_by


async def test_a_code_the_corpus_lacks_lists_who_carries_it_out(fake: FakeTelegram, bot: Application) -> None:
    for query in ("05-CT/TW", "Chỉ thị 05/CT-TW"):
        text = (await ask(fake, USER, f"/vanban {query}")).params["text"]
        assert text.startswith(f"«{query}» chưa có trong kho văn bản, nhưng được nhắc đến trong"), text
        lines = [line for line in text.splitlines() if line.startswith("• ")]
        assert len(lines) >= 3 and all("thực hiện" in line or "nhắc đến" in line for line in lines)
        assert any("Báo Quảng Bình · 22/05/2019" in line for line in lines)
        assert "294-QĐ/TW" not in text


async def test_read_from_the_start_pages_through_the_document(fake: FakeTelegram, bot: Application) -> None:
    card = (await ask(fake, USER, "/vanban 06-HD/TW")).result
    first = await press(fake, card, texts.BUTTON_READ)
    assert first["text"].startswith("📖 <b>06-HD/TW</b> · đoạn 1–3/")
    page = await fake.wait_call("sendMessage", lambda c: c.params["text"] == first["text"])
    second = await press(fake, page.result, texts.BUTTON_READ_ON)
    assert second["text"].startswith("📖 <b>06-HD/TW</b> · đoạn 4–6/")


async def test_original_file_is_sent(fake: FakeTelegram, bot: Application) -> None:
    card = (await ask(fake, USER, "/vanban 06-HD/TW")).result
    sent = await press(fake, card, texts.BUTTON_FILE, "sendDocument")
    assert sent["document"].startswith(b"%PDF")
    assert fake.calls[-1].result["document"]["file_name"] == "hd-06-hdtw-2025-thi-hanh-dieu-le-dang.pdf"


async def test_ask_in_this_document_limits_the_next_questions(fake: FakeTelegram, bot: Application) -> None:
    card = (await ask(fake, USER, "/vanban Điều lệ Đảng Cộng sản")).result
    done = await press(fake, card, texts.BUTTON_ASK_IN)
    assert done["text"].startswith("✅ Từ giờ tôi chỉ tìm trong «Điều lệ Đảng Cộng sản Việt Nam»")
    text = (await ask(fake, USER, "Thời hạn tổ chức lễ kết nạp đảng viên là bao lâu?")).params["text"]
    cited = [line for line in text.splitlines() if line.startswith("<b>")]
    assert cited and all("Điều lệ Đảng" in line and "294-QĐ/TW" not in line for line in cited)


async def test_guidance_points_under_a_quote_of_the_charter(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, "Đảng viên có những quyền gì?")
    assert "📎 Hướng dẫn thi hành: 294-QĐ/TW điểm 2, 2.1, 2.2, 2.3" in reply.params["text"]
    label = texts.BUTTON_APPLIED.format(article="Điều 3")
    assert label in buttons(reply)
    shown = await press(fake, reply.result, label)
    assert shown["text"].startswith("📎 <b>Hướng dẫn thi hành Điều 3 Điều lệ Đảng</b>:")
    assert shown["text"].count("<blockquote>") >= 4
    cite = "294-QĐ/TW – Quy định thi hành Điều lệ Đảng</i> · Ban Chấp hành Trung ương · ngày 26/05/2025 · "
    cite += "Điều 3, điểm 2.1"
    assert cite in shown["text"]


async def test_a_point_of_294_names_the_charter_article_it_applies(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "Thời hạn tổ chức lễ kết nạp đảng viên là bao lâu?")).params["text"]
    assert "📎 Thi hành Điều lệ Đảng · Điều 5, khoản 1" in text


async def test_facet_buttons_narrow_an_answer_that_spans_levels(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, "Chi bộ sinh hoạt định kỳ mấy lần?")
    labels = set(buttons(reply))
    cited = [line for line in reply.params["text"].splitlines() if line.startswith("<b>")]
    assert any("Báo " in line for line in cited) and any("/TW" in line for line in cited)  # the hits span levels
    assert {"Trung ương", "Báo chí"} <= labels
    narrowed = await press(fake, reply.result, "Trung ương")
    assert narrowed["text"].startswith("🔎 Chỉ trong các văn bản cấp Trung ương:")
    lines = [line for line in narrowed["text"].splitlines() if line.startswith("<b>")]
    assert lines and all("/TW" in line or "Điều lệ Đảng" in line for line in lines)
    assert not any(b in buttons(fake.calls[-1]) for b in ("Trung ương", "Báo chí"))  # no facets on a facet


async def test_scope_by_level_and_by_year(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "/phamvi trungương")).params["text"]
    assert text.startswith("✅ Từ giờ, trong cuộc trò chuyện này tôi chỉ trích dẫn các văn bản cấp Trung ương:")
    assert text.count("• ") == 3 and "Điều lệ Đảng Cộng sản Việt Nam" in text
    text = (await ask(fake, USER, "/phamvi 2025")).params["text"]
    assert text.count("• ") == 2 and "294-QĐ/TW" in text and "06-HD/TW" in text
    text = (await ask(fake, USER, "/phamvi bao chi")).params["text"]
    assert text.count("• ") == 5
    answer = (await ask(fake, USER, "Chi bộ sinh hoạt định kỳ mấy lần?")).params["text"]
    cited = [line for line in answer.splitlines() if line.startswith("<b>")]
    assert cited and all("Báo " in line or "dangcongsan.vn" in line or "/TW" not in line for line in cited)
    assert not any("Ban Bí thư" in line or "Ban Chấp hành Trung ương" in line for line in cited)
