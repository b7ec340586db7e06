"""Blocks of a parsed file -> passages of a readable, retrievable size."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index.models import Block
from index.text import sentence_spans

MIN_WORDS = 25  # a block shorter than this joins its neighbour (same place)
MAX_WORDS = 100  # passages of at most ~100 words, as in DPR; longer blocks are split evenly


@dataclass(frozen=True)
class Chunk:
    """A passage before it has an id: text, location, and the headings above it."""

    text: str
    location: str | None
    context: str  # headings in force (for the title field)


def _words(text: str) -> int:
    return len(text.split())


def split_long(text: str, limit: int = MAX_WORDS) -> list[str]:
    """Split a long paragraph at sentence ends into even pieces of at most ~`limit` words;
    a point's bare label ("3.4.1.") stays with the sentence after it.

    >>> [p[:12] for p in split_long("3.4.1. Cấp ủy giao cho chi bộ. Khi đủ điều kiện thì làm thủ tục.", 8)]
    ['3.4.1. Cấp ủ', 'Khi đủ điều ']
    """
    total = _words(text)
    if total <= limit:
        return [text]
    target = math.ceil(total / math.ceil(total / limit))
    pieces: list[str] = []
    current: list[str] = []
    for sentence in (text[start:end] for start, end in sentence_spans(text)):
        if current and _words(" ".join(current + [sentence])) > target:
            pieces.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        pieces.append(" ".join(current))
    return pieces


_NUMBERING = re.compile(r"^\s*(?:(\d+(?:\.\d+)*)\.?|([a-zđ])\)|(Chương|Phần|Mục)\b|(Điều)\b)", re.I)


def heading_depth(text: str) -> int:
    """How deep a heading sits: `Phần`/`Chương` 0, `Điều`/`1.` 1, `1.2.` 2, `a)` 9.

    >>> heading_depth("1.2. Về trình độ học vấn."), heading_depth("Chương II")
    (2, 0)
    """
    m = _NUMBERING.match(text)
    if not m:
        return 5
    if m.group(1):
        return m.group(1).count(".") + 1
    if m.group(2):
        return 9
    return 0 if m.group(3) else 1


def _joinable(pending: list[Block], block: Block) -> bool:
    """Whether `block` continues the passage being built: same place, and the passage
    is still short (structured points each stay a passage of their own)."""
    same_place = block.location == pending[0].location
    short = _words(" ".join(b.text for b in pending)) < MIN_WORDS
    return same_place and (short or block.location is None and _words(block.text) < 8)


def chunk(blocks: tuple[Block, ...] | list[Block]) -> list[Chunk]:
    """Merge short blocks of one place and split long ones; headings become context."""
    chunks: list[Chunk] = []
    headings: list[tuple[int, str]] = []
    pending: list[Block] = []

    def flush() -> None:
        if pending:
            text = " ".join(b.text for b in pending)
            ctx = " · ".join(h for _, h in headings)
            loc = pending[0].location
            chunks.extend(Chunk(piece, loc, ctx) for piece in split_long(text))
            pending.clear()

    for block in blocks:
        if block.heading:
            flush()
            depth = heading_depth(block.text)
            while headings and headings[-1][0] >= depth:
                headings.pop()
            headings.append((depth, block.text))
            continue
        if pending and not _joinable(pending, block):
            flush()
        pending.append(block)
    flush()
    return chunks


def locate(chunks: list[Chunk]) -> list[str]:
    """Citation locations: the structural label, else 'đoạn n/m'."""
    total = len(chunks)
    return [c.location or f"đoạn {i}/{total}" for i, c in enumerate(chunks, 1)]
