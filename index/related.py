"""Related words: for a word, the words news text uses like it (word2vec neighbours over the VNTC
corpus, built by `scripts/build_related_words.py`), to propose the documents' own word for a
question's word they lack. Neighbours are related, not synonyms ("chết" also sits near
"bị_thương"): whoever uses them decides which to accept.

>>> related = RelatedWords.load()
>>> "trực_tuyến" in [w for w, _ in related.neighbours("online", 3)]
True
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).parent / "data" / "related.tsv.gz"
Neighbours = tuple[tuple[str, float], ...]


@dataclass(frozen=True, eq=False)
class RelatedWords:
    """Word -> its nearest words with their cosine, best first; read from a shipped file."""

    rows: dict[str, str] = field(repr=False)  # word -> its line's neighbour fields, parsed on demand
    header: tuple[str, ...] = ()

    @staticmethod
    def load(path: Path = DEFAULT_PATH) -> RelatedWords:
        """The related words of `path` (read once, then cached)."""
        return _load(Path(path))

    def neighbours(self, word: str, n: int = 10) -> Neighbours:
        """Up to `n` neighbours of a lowercase word with `_` between syllables, best first.

        >>> "cha_mẹ" in [w for w, _ in RelatedWords.load().neighbours("bố_mẹ", 3)]
        True
        >>> RelatedWords.load().neighbours("không_có_từ_này")
        ()
        """
        return _parse(self.rows.get(word, ""))[:n]

    def __contains__(self, word: object) -> bool:
        return word in self.rows

    def __len__(self) -> int:
        return len(self.rows)


@lru_cache(maxsize=4)
def _load(path: Path) -> RelatedWords:
    if not path.exists():
        raise FileNotFoundError(
            f"Related words not found at {path}. Run: .venv/bin/python scripts/build_related_words.py"
        )
    rows: dict[str, str] = {}
    header: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                header.append(line[1:].strip())
                continue
            word, _, rest = line.rstrip("\n").partition("\t")
            rows[word] = rest
    return RelatedWords(rows, tuple(header))


@lru_cache(maxsize=4096)
def _parse(rest: str) -> Neighbours:
    """'từ_trần 0.81\\tmất 0.72' -> (('từ_trần', 0.81), ('mất', 0.72))."""
    out = []
    for item in rest.split("\t") if rest else ():
        word, _, score = item.partition(" ")
        out.append((word, float(score)))
    return tuple(out)
