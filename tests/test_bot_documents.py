"""/vanban: the list of documents (paged) and document cards."""

from __future__ import annotations

from bot_fixtures import *  # noqa: F403 - the fixtures bot, bot_settings, fake
from bot_helpers import USER, ask, buttons
from fake_telegram import FakeTelegram, check_text
from telegram.ext import Application

from bot.handlers import documents_page
from index.models import Document


async def test_list_of_documents(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "/vanban")).params["text"]
    assert text.startswith("📚 <b>Các văn bản hiện có</b> (8) · trang 1/1")
    assert "294-QĐ/TW – Quy định thi hành Điều lệ Đảng (26/05/2025)" in text
    assert "06-HD/TW – Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng" in text
    assert text.count("\n") >= 9


async def test_document_card_by_code_in_any_spelling(fake: FakeTelegram, bot: Application) -> None:
    for query in ("294-QĐ/TW", "294/QĐ-TW", "quy dinh 294"):
        text = (await ask(fake, USER, f"/vanban {query}")).params["text"]
        assert text.startswith("📄 <b>Quy định thi hành Điều lệ Đảng</b>"), query
        assert "Số hiệu: 294-QĐ/TW" in text
        assert "Cơ quan ban hành: Ban Chấp hành Trung ương" in text
        assert "Ngày: 26/05/2025" in text
        assert "Số đoạn: " in text


async def test_document_cards_by_title_words(fake: FakeTelegram, bot: Application) -> None:
    mark = len(fake.calls)
    await ask(fake, USER, "/vanban thi hành điều lệ")
    await fake.settle(0.3)
    cards = [c for c in fake.calls[mark:] if c.method == "sendMessage" and c.params["text"].startswith("📄 <b>")]
    assert len(cards) == 2 and all(buttons(c) for c in cards)  # one card a message, with its buttons


async def test_document_card_with_publisher_and_link(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "/vanban chương trình hành động")).params["text"]
    assert "Nguồn đăng: Báo Thanh Hóa" in text
    assert '<a href="http://baothanhhoa.vn/' in text


async def test_unknown_document(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "/vanban 99-NQ/TW")).params["text"]
    assert text == "Không tìm thấy văn bản nào khớp với «99-NQ/TW». Gõ /vanban để xem danh sách."
    # a code no document bears is not matched by its kind word alone (a title says "nghị quyết")
    text = (await ask(fake, USER, "/vanban Nghị quyết 99-NQ/TW")).params["text"]
    assert text.startswith("Không tìm thấy văn bản nào khớp"), text


async def test_documents_about_a_code_they_do_not_bear(fake: FakeTelegram, bot: Application) -> None:
    text = (await ask(fake, USER, "/vanban Chỉ thị 05")).params["text"]
    assert "Chỉ thị 05-CT/TW" in text and "294-QĐ/TW" not in text


async def test_pages_move_by_editing_the_list(fake: FakeTelegram, bot: Application) -> None:
    reply = await ask(fake, USER, "/vanban")
    mark = len(fake.calls)
    query_id = fake.press(reply.result, "v:0", USER)  # the page it already shows
    await fake.wait_call("answerCallbackQuery", after=mark)
    await fake.settle(0.2)
    assert fake.callback_queries[query_id] is True
    assert [c.error for c in fake.calls[mark:] if not c.ok] in ([], [
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"])


def test_documents_page_paging() -> None:
    docs = [Document(f"d{i}", f"s{i}", f"f{i}.txt", f"Văn bản số {i} <mới>") for i in range(23)]
    first, nav = documents_page(docs, 0)
    assert "(23) · trang 1/3" in first and "10. Văn bản số 9 &lt;mới&gt;" in first
    assert [str(b.callback_data) for b in nav.inline_keyboard[0]] == ["v:1"]  # type: ignore[union-attr]
    middle, nav = documents_page(docs, 1)
    assert [b.text for b in nav.inline_keyboard[0]] == ["◂ Trước", "Sau ▸"]  # type: ignore
    last, nav = documents_page(docs, 99)
    assert "trang 3/3" in last and "23. Văn bản số 22" in last
    for text in (first, middle, last):
        check_text(text, "HTML")
