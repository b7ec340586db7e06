"""HTML (.html, .htm): the page's main text and metadata by trafilatura, plain text as a fallback."""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from typing import Any

from index.ingest.errors import IngestError
from index.ingest.metadata import DOMAIN_PUBLISHERS, apply_metadata, generic, official, publisher_from, url_host
from index.ingest.structure import Para, classify, clean
from index.ingest.text import decode_text, text_lines
from index.models import ParsedFile


def parse(data: bytes) -> ParsedFile:
    """An .html/.htm page: main text by trafilatura (plain text when it fails), its metadata."""
    html = _decode_html(data)
    if not html.strip():
        raise IngestError("tệp rỗng (chỉ có khoảng trắng)")
    paras, meta = _trafilatura(html)
    if not paras:
        paras = _html_fallback(html)
    if not paras:
        raise IngestError("trang HTML không có nội dung văn bản đọc được")
    parsed = official([p.text for p in paras], joined=False) or generic(paras, meta.get("title"))
    if parsed.kind is None:
        parsed = replace(parsed, kind="Bài viết")
    return apply_metadata(parsed, meta)


def _decode_html(data: bytes) -> str:
    """The page as text, in the charset its <meta> declares when that decodes it."""
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    if m and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return data.decode(m.group(1).decode("ascii"))
    return decode_text(data)


def _trafilatura(html: str) -> tuple[list[Para], dict[str, Any]]:
    """Main text (as paragraphs) and metadata extracted by trafilatura."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(html, output_format="xml", with_metadata=True,
                              favor_recall=True, include_comments=False, include_tables=True)
    if not xml:
        return [], {}
    root = etree.fromstring(xml.encode("utf-8"))
    meta = {k: root.get(k) for k in ("title", "date", "url")}
    meta["publisher"] = publisher_from("", meta["url"]) if url_host(meta["url"]) in DOMAIN_PUBLISHERS \
        else root.get("sitename")
    paras = []
    for el in root.iter("head", "p", "item", "cell", "quote"):
        if el.tag in ("p", "quote") and el.getparent() is not None \
                and el.getparent().tag in ("item", "cell"):
            continue
        text = clean("".join(el.itertext()))
        if text:
            paras.append(classify(text, hint=el.tag == "head"))
    return paras, {k: v for k, v in meta.items() if v}


def _html_fallback(html: str) -> list[Para]:
    """Plain text of an HTML page that trafilatura could not read (broken or tiny pages)."""
    from lxml import html as lhtml

    try:
        root = lhtml.fromstring(html)
    except Exception:  # lxml gives up only on hopeless input
        return []
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    text = root.text_content() if root is not None else ""
    return [classify(line) for line in text_lines(text)]

