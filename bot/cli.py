"""The `vankien` command line: index, add, remove, restore, ask, quiz, chat, stats, audit, bot, run, eval."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot import texts
from bot.config import ConfigError, Settings, load_settings
from bot.render import (
    answer_json,
    document_heading,
    render_answer_text,
    small_talk_text,
    summary_changes,
    summary_line,
)
from bot.services import small_talk
from bot.texts import FALLBACK_EXAMPLE

if TYPE_CHECKING:
    from index.indexer import IndexSummary
    from index.models import Document
    from index.search import Searcher

BOLD = ("\033[1m", "\033[0m")


def _searcher(settings: Settings) -> Searcher:
    """The Searcher over the data directory (imported here: the models load on use)."""
    from index.search import IndexNotFound, Searcher

    try:
        return Searcher.open(settings.data_dir, settings.engine)
    except IndexNotFound as exc:
        raise SystemExit(f"{exc}") from exc


def reindexed(corpus: Path, data_dir: Path, quiet: bool, workers: int | None = None) -> IndexSummary | None:
    """Re-index with a progress bar, then print the skipped files and the summary; None
    (said on stderr) when another re-index holds the lock."""
    from tqdm import tqdm

    from index.indexer import IndexBusy, reindex

    bar = None

    def progress(done: int, total: int, name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit=texts.PROGRESS_UNIT, disable=quiet, leave=False)
        bar.set_postfix_str(name[-40:], refresh=False)
        bar.update(1)

    try:
        summary = reindex(corpus, data_dir, progress=progress, workers=workers)
    except IndexBusy:
        print(texts.INDEX_BUSY, file=sys.stderr)
        return None
    finally:
        if bar is not None:
            bar.close()
    for name, reason in summary.skipped:
        print(texts.INDEX_SKIPPED_FILE.format(name=name, reason=reason), file=sys.stderr)
    print(summary_line(summary))
    return summary


def record(settings: Settings, action: str, outcome: str, document: str | None = None) -> None:
    """Add an entry to the audit trail, by the operating-system user (best effort)."""
    import getpass

    from index.audit import AuditTrail

    try:
        trail = AuditTrail(settings.db_path)
        try:
            trail.record(action, outcome, name=getpass.getuser(), document=document, via="cli")
        finally:
            trail.close()
    except Exception as exc:  # noqa: BLE001 - the action is done; the trail must not undo it
        print(f"Could not write the audit trail: {exc}", file=sys.stderr)


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    """Re-index the corpus directory, with a progress bar and a one-line summary."""
    corpus = Path(args.corpus) if args.corpus else settings.corpus_dir
    if not corpus.is_dir():
        print(f"Corpus directory not found: {corpus}. Set VANKIEN_CORPUS_DIR.", file=sys.stderr)
        return 2
    summary = reindexed(corpus, settings.data_dir, args.quiet, args.workers)
    record(settings, "reindex", "ok" if summary else "busy", summary_changes(summary) if summary else None)
    return 0 if summary else 3


def cmd_add(settings: Settings, args: argparse.Namespace) -> int:
    """Copy files into the corpus (safe names; unreadable files refused), then re-index."""
    from index.corpus import add_file
    from index.ingest import IngestError

    added, refused = [], 0
    for source in map(Path, args.files):
        try:
            added.append(add_file(settings.corpus_dir, source))
        except IngestError as exc:
            print(texts.UPLOAD_REFUSED.format(name=source.name, reason=exc), file=sys.stderr)
            record(settings, "upload", "failed", source.name)
            refused += 1
    for same in (a for a in added if a.status == "same"):
        print(texts.UPLOAD_SAME.format(title=same.title))
        record(settings, "upload", "same", same.name)
    changed = [a for a in added if a.status != "same"]
    if not changed:
        return 1 if refused else 0
    summary = reindexed(settings.corpus_dir, settings.data_dir, quiet=not sys.stderr.isatty())
    skipped = dict(summary.skipped) if summary else {}
    for a in changed:
        outcome = "busy" if summary is None else "failed" if a.name in skipped else "ok"
        record(settings, "upload" if a.status == "new" else "replace", outcome, a.name)
    if summary is None:
        print(texts.CLI_SAVED_NOT_INDEXED, file=sys.stderr)
        return 3
    for a in changed:
        if a.name in skipped and a.status == "new":
            (settings.corpus_dir / a.name).unlink(missing_ok=True)  # never indexed: not kept
        if a.name not in skipped:
            print((texts.CLI_ADDED if a.status == "new" else texts.CLI_REPLACED).format(title=a.title, name=a.name))
    return 1 if refused or any(a.name in skipped for a in changed) else 0


def cmd_remove(settings: Settings, args: argparse.Namespace) -> int:
    """Find one document like /xoavanban, move its file out of the corpus, re-index."""
    from index.corpus import move_out_of_corpus, put_back

    found = _searcher(settings).find_documents(args.document[:200])
    if len(found) != 1:
        print(texts.CLI_DOC_NOT_FOUND.format(query=args.document) if not found else
              "\n".join([texts.CLI_REMOVE_CHOOSE.format(count=len(found), query=args.document),
                         *(f"• {document_line(d)}" for d in found)]), file=sys.stderr)
        return 1
    doc = found[0]
    print(document_line(doc))
    if not args.yes and sys.stdin.isatty() and not confirmed(texts.REMOVE_CONFIRM):
        print(texts.REMOVE_KEPT)
        return 0
    kept = move_out_of_corpus(settings.corpus_dir, settings.data_dir, doc)
    try:
        summary = reindexed(settings.corpus_dir, settings.data_dir, quiet=not sys.stderr.isatty())
    except Exception as exc:
        summary, failure = None, f"{texts.REMOVE_FAILED} ({exc.__class__.__name__}: {exc})"
    else:
        failure = texts.REMOVE_BUSY
    title = document_heading(doc)
    if summary is None:
        if kept:
            put_back(settings.corpus_dir, settings.data_dir, doc.doc_id)
        print(failure, file=sys.stderr)
        record(settings, "remove", "busy" if failure == texts.REMOVE_BUSY else "failed", title)
        return 3 if failure == texts.REMOVE_BUSY else 1
    record(settings, "remove", "ok", title)
    print(texts.CLI_REMOVED.format(title=title, passages=doc.n_passages, kept=kept, doc_id=doc.doc_id)
          if kept else texts.REMOVED_NO_FILE.format(title=title))
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    """List the removed files, or put one back into the corpus and re-index."""
    from index.corpus import put_back, removed_files

    kept = removed_files(settings.data_dir)
    if args.id is None:
        print("\n".join([texts.REMOVED_KEPT, *(f"  {doc_id}  {rel}" for doc_id, rel in kept), texts.CLI_RESTORE_HOW])
              if kept else texts.CLI_NOTHING_REMOVED)
        return 0
    ids = [doc_id for doc_id, _ in kept if doc_id.startswith(args.id)]  # a unique prefix will do
    if len(ids) != 1:
        print(texts.CLI_RESTORE_UNKNOWN.format(id=args.id), file=sys.stderr)
        return 1
    rel, problem = put_back(settings.corpus_dir, settings.data_dir, ids[0])
    if problem:
        print(texts.RESTORE_GONE if problem == "gone" else texts.RESTORE_TAKEN.format(name=rel), file=sys.stderr)
        record(settings, "restore", "gone" if problem == "gone" else "failed", rel)
        return 1
    summary = reindexed(settings.corpus_dir, settings.data_dir, quiet=not sys.stderr.isatty())
    record(settings, "restore", "ok" if summary else "busy", rel)
    if summary is None:
        print(texts.CLI_SAVED_NOT_INDEXED, file=sys.stderr)
        return 3
    print(texts.CLI_RESTORED.format(name=rel))
    return 0


def document_line(doc: Document) -> str:
    """A document in one terminal line: heading, file, passages."""
    return texts.CLI_DOCUMENT.format(heading=document_heading(doc), path=doc.path, passages=doc.n_passages)


def confirmed(question: str) -> bool:
    """Ask a yes/no question on the terminal; only «c» / «có» (or y / yes) is yes."""
    try:
        said = input(f"{question} {texts.YES_OR_NO} ").strip().lower()
    except (EOFError, KeyboardInterrupt):
        print()
        return False
    return said in ("c", "có", "co", "y", "yes")


def readable(text: str) -> str:
    r"""Text as valid Unicode: bytes that were not UTF-8 (kept as surrogates) become U+FFFD.

    >>> readable("tu\udcffi đảng viên")
    'tu\ufffdi đảng viên'
    """
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer one question (or one per line of stdin with `-`); a database another process
    holds locked is one Vietnamese line, not a traceback."""
    import sqlite3

    try:
        return _ask(settings, args)
    except sqlite3.OperationalError:
        print(texts.DATABASE_BUSY, file=sys.stderr)
        return 1


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    searcher = _searcher(settings)
    if args.question == "-" and isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")  # invalid UTF-8 is replaced, never fatal
    questions = sys.stdin if args.question == "-" else [args.question]
    for line in questions:
        question = readable(line.rstrip("\n"))
        if args.question == "-" and not question.strip():
            continue
        answer = searcher.ask(question, k=args.k)
        if args.json:
            print(json.dumps(answer_json(answer), ensure_ascii=False), flush=True)
        else:
            bold = BOLD if sys.stdout.isatty() else ("", "")
            print(render_answer_text(answer, bold), flush=True)
    return 0


def cmd_quiz(settings: Settings, args: argparse.Namespace) -> int:
    """Quiz questions from the documents (of one document with --doc), as the bot sends them."""
    from index.quiz import corpus_bank, question_json

    searcher = _searcher(settings)
    within = None
    if args.doc:
        found = searcher.find_documents(args.doc[:200])
        if not found:
            print(texts.CLI_DOC_NOT_FOUND.format(query=args.doc), file=sys.stderr)
            return 1
        within = [d.doc_id for d in found]
    questions = corpus_bank(searcher).pick(args.n, within, seed=args.seed)
    if not questions:
        print(texts.QUIZ_NONE_PLAIN, file=sys.stderr)
        return 1
    for i, q in enumerate(questions, 1):
        if args.json:
            print(json.dumps(question_json(q), ensure_ascii=False), flush=True)
            continue
        marks = ["✓" if j == q.correct_option_id else " " for j in range(len(q.options))]
        options = [f"   {m} {chr(65 + j)}. {o}" for j, (m, o) in enumerate(zip(marks, q.options, strict=True))]
        print("\n".join([f"{i}. {q.question}", *options, f"   {q.explanation}", ""]), flush=True)
    return 0


CHAT_EXIT = frozenset({"thoat", "exit", "quit", "q", "/thoat", "/exit", "/quit"})  # folded
CHAT_HELP_WORDS = frozenset({"/help", "/trogiup", "tro giup", "help", "?"})


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    """Console chat: what the bot would answer, in the terminal."""
    import readline  # noqa: F401 - input() gets line editing (arrow keys) and the session's history

    from index.text import unaccented

    searcher = _searcher(settings)
    bold = BOLD if sys.stdout.isatty() else ("", "")
    stats = searcher.stats()
    print(texts.CHAT_INTRO.format(documents=stats["documents"], passages=stats["passages"]))
    examples = searcher.answered(texts.EXAMPLE_QUESTIONS, 3)
    if examples:
        print(texts.CHAT_EXAMPLES.format(examples=" | ".join(examples)))
    last, offset = "", 0
    while True:
        try:
            line = input("\n❓ ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        said = " ".join(unaccented(line).lower().split())
        if not said:
            continue
        if said in CHAT_EXIT:
            return 0
        if said in CHAT_HELP_WORDS:
            print(texts.CHAT_HELP)
            continue
        if talk := small_talk(line):
            print(small_talk_text(talk, examples[0] if examples else FALLBACK_EXAMPLE))
            continue
        if line.lower() in ("thêm", "them", "xem thêm", "xem them") and last:
            offset += args.k
        else:
            last, offset = line, 0
        answer = searcher.ask(last, k=args.k, offset=offset)
        if offset and not answer.hits:
            print(texts.NO_MORE)
            continue
        print(render_answer_text(replace(answer, read_as=None) if offset else answer, bold))  # read once


def cmd_stats(settings: Settings, args: argparse.Namespace) -> int:
    """Print what the index holds."""
    searcher = _searcher(settings)
    stats = searcher.stats()
    print(texts.STATS_INDEX.format(**stats))
    for doc in searcher.documents():
        print(texts.STATS_DOCUMENT.format(code=doc.code or "-", date=doc.date or "-", passages=doc.n_passages,
                                          title=doc.title[:70]))
    links = searcher.all_relations()
    if links:
        print(texts.STATS_RELATIONS.format(count=len(links)))
    for source, kind, target, points in links:
        where = texts.STATS_RELATION_POINTS.format(points=points) if points else ""
        print(texts.STATS_RELATION.format(source=source[:40], verb=texts.RELATION_VERBS.get(kind, kind),
                                          target=target[:50], where=where))
    if line := questions_line(settings.db_path):
        print(line)
    if args.chart:
        try:
            write_chart(settings.db_path, Path(args.chart))
        except OSError as exc:
            print(f"Could not write the chart to {args.chart}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(texts.CHART_SAVED.format(path=args.chart))
    return 0


def write_chart(db_path: Path, target: Path) -> None:
    """Write the /thongke chart (30 days) from the bot's query log to `target` (PNG)."""
    from bot.chart import chart_png
    from index.logbook import Logbook

    book = Logbook(db_path)
    try:
        png = chart_png(book)
    finally:
        book.close()
    target.write_bytes(png)


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    """Print the audit trail, newest first."""
    from bot.render import render_audit_text
    from index.audit import AuditTrail

    trail = AuditTrail(settings.db_path)
    try:
        print(render_audit_text(trail.latest(args.limit)))
    finally:
        trail.close()
    return 0


def questions_line(db_path: Path) -> str | None:
    """The last 7 days' questions in each tier, from the bot's query log; None before the
    bot has logged any."""
    import sqlite3
    from contextlib import closing

    from index.logbook import Logbook

    with closing(sqlite3.connect(db_path)) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'queries'").fetchone():
            return None
    book = Logbook(db_path)
    try:
        usage = book.usage(7)
    finally:
        book.close()
    return texts.STATS_QUESTIONS.format(asked=usage.asked, answered=usage.answered, related=usage.related,
                                        nothing=usage.nothing)


def cmd_bot(settings: Settings, args: argparse.Namespace) -> int:
    """Run the Telegram bot (long polling, or webhook when WEBHOOK_URL is set)."""
    from bot.app import run_bot

    settings.require_token()
    run_bot(settings)
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """The main job: the bot when a token is set, else the console chat."""
    if settings.token:
        return cmd_bot(settings, args)
    print(texts.CHAT_NO_TOKEN, file=sys.stderr)
    return cmd_chat(settings, args)


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    """Evaluate retrieval on a benchmark (see docs/quality.md)."""
    from bot.evaluate import run_eval_command

    return run_eval_command(args)


def at_least_one(raw: str) -> int:
    """An argparse type: a whole number of results, at least 1 (`--k 0` is a usage error)."""
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {raw!r}")
    return int(raw)


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their options."""
    parser = argparse.ArgumentParser(prog="vankien", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index", help="re-index corpus/ (incremental, atomic)")
    p.add_argument("--corpus", help="corpus directory (default VANKIEN_CORPUS_DIR or corpus/)")
    p.add_argument("--workers", type=int, default=None, help="analysis processes (default: cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = sub.add_parser("add", help="copy files into the corpus, then re-index")
    p.add_argument("files", nargs="+", metavar="FILE")
    p = sub.add_parser("remove", help="remove a document (kept for restoring), then re-index")
    p.add_argument("document", metavar="CODE|TITLE", help="its code (294-QĐ/TW) or words of its title")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p = sub.add_parser("restore", help="list removed documents, or put one back and re-index")
    p.add_argument("id", nargs="?", help="the id `vankien restore` lists (a unique prefix will do)")
    p = sub.add_parser("ask", help="answer a question ('-' reads one per line from stdin)")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.add_argument("--k", type=at_least_one, default=3, help="number of results (default 3)")
    for name, help_ in (("chat", "console chat"), ("run", "bot if TELEGRAM_BOT_TOKEN, else chat")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--k", type=at_least_one, default=3)
    p = sub.add_parser("quiz", help="quiz questions from the documents, as /ontap sends them")
    p.add_argument("--doc", help="only from this document (its code or words of its title)")
    p.add_argument("--n", type=at_least_one, default=5, help="number of questions (default 5)")
    p.add_argument("--seed", type=int, default=None, help="the same questions for the same seed")
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p = sub.add_parser("stats", help="what the index holds")
    p.add_argument("--chart", metavar="FILE.png", help="also write the usage chart of 30 days (PNG)")
    p = sub.add_parser("audit", help="who did what to the corpus, newest first")
    p.add_argument("--limit", type=at_least_one, default=20, help="entries to print (default 20)")
    sub.add_parser("bot", help="run the Telegram bot")
    p = sub.add_parser("eval", help="retrieval quality on a benchmark")
    p.add_argument("--corpus", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--qrels", required=True)
    p.add_argument("--split", default=None)
    p.add_argument("--engine", default="tantivy", choices=["tantivy", "rank-bm25"])
    p.add_argument("--k", type=at_least_one, default=10)
    p.add_argument("--unaccented", nargs="?", const="all", choices=["all", "half"],
                   help="strip the diacritics from the queries first: from every word, or from about half")
    p.add_argument("--json", action="store_true")
    return parser


COMMANDS = {
    "index": cmd_index, "add": cmd_add, "remove": cmd_remove, "restore": cmd_restore,
    "ask": cmd_ask, "quiz": cmd_quiz, "chat": cmd_chat, "stats": cmd_stats, "audit": cmd_audit,
    "bot": cmd_bot, "run": cmd_run, "eval": cmd_eval,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `vankien` command."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        return COMMANDS[args.command](settings, args)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
