"""Blocks of a parsed file -> passages of a readable, retrievable size."""

from __future__ import annotations

from dataclasses import dataclass

from underthesea import sent_tokenize

from index.models import Block

MIN_WORDS = 25  # a block shorter than this joins its neighbour (same section)
MAX_WORDS = 220  # a block longer than this is split at sentence boundaries
TARGET_WORDS = 140


@dataclass(frozen=True)
class Chunk:
    """A passage before it has an id: text, location, and the headings above it."""

    text: str
    location: str | None
    context: str  # headings in force (for the title field)


def _words(text: str) -> int:
    return len(text.split())


def split_long(text: str, limit: int = MAX_WORDS, target: int = TARGET_WORDS) -> list[str]:
    """Split a long paragraph into pieces of about `target` words at sentence ends."""
    if _words(text) <= limit:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    for sentence in sent_tokenize(text):
        if current and _words(" ".join(current + [sentence])) > target:
            pieces.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _section(location: str | None) -> str | None:
    """The section a location belongs to, for deciding which blocks may merge."""
    return location.split(",")[0] if location else None


def chunk(blocks: tuple[Block, ...] | list[Block]) -> list[Chunk]:
    """Merge short blocks of one section and split long ones; headings become context."""
    chunks: list[Chunk] = []
    headings: list[str] = []
    pending: list[Block] = []

    def flush() -> None:
        if pending:
            text = " ".join(b.text for b in pending)
            ctx = " · ".join(headings[-3:])
            loc = pending[0].location
            chunks.extend(Chunk(piece, loc, ctx) for piece in split_long(text))
            pending.clear()

    for block in blocks:
        if block.heading:
            flush()
            headings.append(block.text)
            continue
        if pending and (
            _section(block.location) != _section(pending[0].location)
            or _words(" ".join(b.text for b in pending)) >= MIN_WORDS
        ):
            flush()
        pending.append(block)
    flush()
    return chunks


def locate(chunks: list[Chunk]) -> list[str]:
    """Citation locations: the structural label, else 'đoạn n/m'."""
    total = len(chunks)
    return [c.location or f"đoạn {i}/{total}" for i, c in enumerate(chunks, 1)]
