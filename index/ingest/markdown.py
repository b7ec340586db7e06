"""Markdown (.md): optional YAML front matter, '#' headings, list items, tables and quotes."""

from __future__ import annotations

import re
from dataclasses import replace

from index.ingest.errors import IngestError
from index.ingest.metadata import apply_metadata, front_matter, generic, official
from index.ingest.structure import Para, classify, clean
from index.ingest.text import decode_text
from index.models import ParsedFile


def _md_inline(text: str) -> str:
    """Inline Markdown (images, links, emphasis, code) reduced to its text."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](\S[^*_]*?)[*_](?![\w*])", r"\1", text)
    return clean(text)


def markdown_paras(text: str) -> list[Para]:
    """Paragraphs of Markdown text: '#' lines are headings, list items stand alone."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    paras: list[Para] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            joined = _md_inline(" ".join(buf))
            if joined:
                paras.append(classify(joined))
            buf.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or re.fullmatch(r"[-*_=]{3,}|\|?[\s:|-]+\|?", line):
            flush()
        elif line.startswith("#"):
            flush()
            heading = _md_inline(line.lstrip("#").strip().rstrip("#"))
            if heading:
                paras.append(classify(heading, hint=True))
        elif re.match(r"^([-*+]|\d+[.)])\s+", line) or line.startswith(("|", ">")):
            flush()
            buf.append(line.strip("|>").replace("|", " ; ") if line[0] in "|>" else line)
            flush()
        else:
            buf.append(line)
    flush()
    return [_unstar(p) for p in paras]


def _unstar(p: Para) -> Para:
    """Markdown '* item' / '+ item' bullets read as '- item'."""
    if p.kind == "bullet" and p.text[:1] in "*+":
        return replace(p, text="- " + p.text[1:].strip())
    return p


def parse(data: bytes) -> ParsedFile:
    """A .md file: front matter, then Markdown paragraphs and headings."""
    meta, body = front_matter(decode_text(data).replace("\r\n", "\n"))
    paras = markdown_paras(body)
    if not paras:
        raise IngestError("tệp rỗng (không có nội dung sau phần thông tin đầu tệp)")
    parsed = official([p.text for p in paras], joined=False) or generic(paras)
    return apply_metadata(parsed, meta)

