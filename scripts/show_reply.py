"""The Telegram HTML the bot would send in a private chat for a question, with its tier and
the labels of the buttons under it.

    .venv/bin/python scripts/show_reply.py [--data DIR] QUESTION [QUESTION ...]

Without --data, an index of corpus/ is built in a temporary directory first.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import keyboards as kb  # noqa: E402
from bot.handlers import K  # noqa: E402
from bot.render import render_answer_html, screenful  # noqa: E402
from index.indexer import reindex  # noqa: E402
from index.models import Answer, Reason  # noqa: E402
from index.search import Searcher  # noqa: E402


def button_labels(answer: Answer) -> list[str]:
    """The buttons under the reply, as the bot builds them (the state id is made up)."""
    if not answer.hits:
        found_nothing = answer.reason in (Reason.NO_MATCH, Reason.UNKNOWN_CODE, Reason.UNKNOWN_PLACE)
        return [b.text for row in kb.no_answer_keyboard().inline_keyboard for b in row] if found_nothing else []
    offset = answer.hits[0].rank - 1
    markup = kb.answer_keyboard("-", [h.rank for h in answer.hits], answer.total > offset + len(answer.hits))
    return [b.text for row in markup.inline_keyboard for b in row]


def show(searcher: Searcher, question: str) -> str:
    """One question's tier, reply and buttons."""
    answer = screenful(searcher.ask(question, K))
    pages = render_answer_html(answer)
    return "\n".join([f"question: {question}", f"confidence: {answer.confidence.value}",
                      *(f"--- message {i} ---\n{page}" for i, page in enumerate(pages, 1)),
                      f"--- buttons: {' | '.join(button_labels(answer)) or '(none)'}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="+", metavar="QUESTION")
    parser.add_argument("--data", type=Path, help="an index of corpus/ already built (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vankien-reply-") as tmp:
        data = args.data or Path(tmp)
        if args.data is None:
            reindex(ROOT / "corpus", data)
        searcher = Searcher.open(data)
        print("\n\n".join(show(searcher, q) for q in args.questions))


if __name__ == "__main__":
    main()
