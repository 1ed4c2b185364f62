"""``tui-reader bookmarks list|export|import``: bookmarks without the UI.

* ``list [--tag TAG] [--json]``: a table, or one JSON document (the export).
* ``export --format bibtex|markdown|json|csv [-o FILE] [--tag TAG]``:
  stdout, or FILE written atomically (temp file + os.replace).
* ``import FILE [--dry-run] [--json]``: the JSON export, a BibTeX file with
  arXiv eprints, or a list of arXiv ids/URLs (``-`` for stdin); merged
  without duplicates, with a report of what was skipped and why.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.table import Table
from rich.text import Text

from tui_reader.commands.common import library_paths, stderr_console, stdout_console, usage_error, writable_cache_dir
from tui_reader.core.state import StateError, StateStore
from tui_reader.core.state.export import FORMATS, json_document, render, write_atomic
from tui_reader.core.state.importer import fill_from_library, parse_import
from tui_reader.core.state.store import now_iso
from tui_reader.core.text import clean, one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="show the bookmarks, newest first")
    listing.add_argument("--tag", help="only bookmarks with this tag")
    listing.add_argument("--json", action="store_true", help="print exactly one JSON document on stdout")

    export = actions.add_parser("export", help="write the bookmarks as BibTeX, Markdown, JSON or CSV")
    export.add_argument("--format", "-f", choices=FORMATS, default="bibtex")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    export.add_argument("--tag", help="only bookmarks with this tag")

    importing = actions.add_parser(
        "import", help="add bookmarks from a JSON export, a BibTeX file or a list of arXiv ids/URLs")
    importing.add_argument("file", metavar="FILE", help="the file to read ('-' for standard input)")
    importing.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    importing.add_argument("--json", action="store_true", help="print the report as one JSON object")


def run(args: argparse.Namespace) -> int:
    store = StateStore.open()
    try:
        _show_notices(store)
        if args.action == "list":
            return _list(store, args)
        if args.action == "export":
            return _export(store, args)
        return _import(store, args)
    finally:
        store.close()


def _show_notices(store: StateStore) -> None:
    console = stderr_console()
    for notice in store.notices:
        console.print(Text(f"tui-reader: {clean(notice)}", style="yellow"), soft_wrap=True)


# --- list -------------------------------------------------------------------------------


def _list(store: StateStore, args: argparse.Namespace) -> int:
    bookmarks = store.bookmarks(args.tag)
    if args.json:
        json.dump(json_document(bookmarks, now_iso()), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    console = stdout_console()
    if not bookmarks:
        console.print(Text("no bookmarks" + (f" tagged {args.tag}" if args.tag else "")))
        return 0
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("added", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("tags")
    table.add_column("note", ratio=1)
    for bookmark in bookmarks:
        snap = bookmark.snapshot
        title = Text(one_line(bookmark.title))
        if snap is not None and snap.is_minimal:
            title = Text("(no details: not in a loaded library)", style="dim")
        table.add_row(
            Text(bookmark.id, style="bold"),
            Text(bookmark.added_at[:10]),
            title,
            Text(", ".join(bookmark.tags), style="cyan"),
            Text(one_line(bookmark.note)),
        )
    console.print(table)
    summary = Text(f"{len(bookmarks)} bookmarks", style="dim")
    console.print(summary)
    return 0


# --- export ------------------------------------------------------------------------------


def _export(store: StateStore, args: argparse.Namespace) -> int:
    bookmarks = store.bookmarks(args.tag)
    text = render(bookmarks, args.format, now_iso())
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    try:
        write_atomic(target, text)
    except OSError as error:
        return usage_error(f"cannot write {args.output}: {error.strerror or error}")
    stderr_console().print(Text(f"{len(bookmarks)} bookmarks written to {target} ({args.format})"), soft_wrap=True)
    return 0


# --- import -------------------------------------------------------------------------------


def _import(store: StateStore, args: argparse.Namespace) -> int:
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            data = Path(args.file).read_bytes()
    except OSError as error:
        return usage_error(f"cannot read {args.file}: {error.strerror or error}")
    text = data.decode("utf-8", errors="replace")
    parsed = parse_import(text)
    if parsed.error:
        stderr_console().print(Text(f"tui-reader: {args.file}: {clean(parsed.error)}", style="red"), soft_wrap=True)
        return 1

    minimal: list[str] = []
    if parsed.items:
        from tui_reader.core.loader import load_library

        library = load_library(library_paths([]), writable_cache_dir())
        minimal = fill_from_library(parsed.items, library.papers)

    outcomes: list[tuple[str, str]] = []
    if args.dry_run:
        marked = store.bookmarked_ids()
        outcomes = [(b.id, "already bookmarked" if b.id in marked else "added") for b in parsed.items]
    elif parsed.items:
        try:
            outcomes = [(b.id, outcome) for b, outcome in store.merge_bookmarks(parsed.items)]
        except StateError as error:
            stderr_console().print(Text(f"tui-reader: {error}", style="red"), soft_wrap=True)
            return 1

    report = {
        "file": args.file,
        "format": parsed.format,
        "dry_run": bool(args.dry_run),
        "added": [i for i, o in outcomes if o == "added"],
        "merged": [i for i, o in outcomes if o == "merged"],
        "already_bookmarked": [i for i, o in outcomes if o == "already bookmarked"],
        "minimal": [i for i in minimal if (i, "added") in outcomes],
        "skipped": [{"line": s.line, "text": s.text, "reason": s.reason} for s in parsed.skipped],
    }
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_report(report)
    return 0


def _print_report(report: dict) -> None:
    console = stdout_console()
    head = Text()
    verb = "would add" if report["dry_run"] else "added"
    head.append(f"{len(report['added'])}", style="bold")
    head.append(f" {verb}, ")
    head.append(f"{len(report['merged'])}", style="bold")
    head.append(" merged (tags or note added), ")
    head.append(f"{len(report['already_bookmarked'])}", style="bold")
    head.append(" already bookmarked, ")
    head.append(f"{len(report['skipped'])}", style="bold")
    head.append(f" skipped  ({report['format']})", style="")
    console.print(head)
    if report["minimal"]:
        console.print(Text(f"{len(report['minimal'])} not in the loaded library, kept with id and links only "
                           "(details fill in when a library holding them is opened):", style="yellow"))
        for paper_id in report["minimal"]:
            console.print(Text(f"  {paper_id}"))
    if report["skipped"]:
        console.print(Text("skipped:", style="yellow"))
        for skipped in report["skipped"]:
            line = Text("  ")
            if skipped["line"]:
                line.append(f"line {skipped['line']}: ", style="dim")
            line.append(clean(skipped["text"]))
            line.append(f"  ({clean(skipped['reason'])})", style="dim")
            console.print(line, soft_wrap=True)
