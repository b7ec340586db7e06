"""Helpers for the end-to-end bot tests: settings, asking, reading buttons, making PDFs."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

from fake_telegram import TOKEN, Call, FakeTelegram
from telegram.ext import Application

from bot.config import Settings
from bot.services import Services

ADMIN = 1001
USER = 2002


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_settings(fake: FakeTelegram, data_dir: Path, corpus_dir: Path, **changes: Any
                  ) -> Settings:
    """Settings pointing the bot at the stand-in."""
    settings = Settings(
        data_dir=data_dir, corpus_dir=corpus_dir, engine="tantivy", token=TOKEN,
        base_url=fake.base_url, admin_ids=frozenset({ADMIN}), webhook_url=None,
        webhook_secret=None, port=8443,
    )
    return replace(settings, **changes)


def svc(app: Application) -> Services:
    """The services of a running application."""
    return app.bot_data["services"]  # type: ignore[no-any-return]


async def ask(fake: FakeTelegram, chat_id: int, text: str, user_id: int | None = None,
              **kwargs: Any) -> Call:
    """A user writes `text`; returns the bot's reply (the first sendMessage to that chat)."""
    mark = len(fake.calls)
    fake.send_text(chat_id, user_id or chat_id, text, **kwargs)
    return await fake.wait_call("sendMessage", lambda c: c.params["chat_id"] == chat_id,
                                after=mark)


def buttons(call: Call) -> dict[str, str]:
    """The inline buttons of a sent message: text -> callback_data."""
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


def make_pdf(paragraphs: list[str], title: str = "") -> bytes:
    """A one-page PDF whose text layer is exact Unicode (Type0 font + ToUnicode CMap)."""

    def hexstr(text: str) -> str:
        return "<" + "".join(f"{ord(c):04X}" for c in text) + ">"

    lines, y = [], 800
    for para in paragraphs:
        line = ""
        for word in para.split():
            if len(line) + len(word) > 80:
                lines.append((y, line))
                y, line = y - 16, ""
            line = f"{line} {word}".strip()
        lines.append((y, line))
        y -= 28
    content = "BT /F1 11 Tf\n" + "".join(
        f"1 0 0 1 40 {yy} Tm {hexstr(t)} Tj\n" for yy, t in lines
    ) + "ET"
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
        "1 begincodespacerange <0000> <FFFF> endcodespacerange "
        "1 beginbfrange <0000> <FFFF> <0000> endbfrange "
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(content.encode())} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo "
        "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R "
        "/DW 600 >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
        "<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [0 -200 1000 900] "
        "/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
        f"<< /Title {hexstr(chr(0xFEFF) + title)} >>" if title else "<< >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 9 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)
