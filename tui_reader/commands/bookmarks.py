"""``tui-reader bookmarks list|export|import|remove|tag|note``: bookmarks
without the UI.

* ``list [--tag TAG] [--json]``: a table (titles rendered as in the
  reader), or one JSON document (the export).
* ``export --format bibtex|ris|csl-json|csv|markdown|json [-o FILE] [--tag TAG]``:
  stdout, or FILE written atomically (temp file + os.replace; a symbolic
  link is written through; CSV files get a UTF-8 byte-order mark).
* ``remove ID...``, ``tag ID TAG... [--remove|--set]``, ``note ID TEXT``
  (``-`` reads the note from stdin, ``""`` clears it).
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
from tui_reader.core.fsutil import write_output
from tui_reader.core.latex import readable
from tui_reader.core.state import StateError, StateStore
from tui_reader.core.state.citing import oldest_first
from tui_reader.core.state.export import FORMATS, file_encoding, json_document, render
from tui_reader.core.state.importer import fill_from_library, parse_import
from tui_reader.core.state.snapshot import arxiv_id_in, normalize_tags
from tui_reader.core.state.store import now_iso
from tui_reader.core.text import clean, one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="show the bookmarks, newest first")
    listing.add_argument("--tag", help="only bookmarks with this tag")
    listing.add_argument("--json", action="store_true", help="print exactly one JSON document on stdout")

    export = actions.add_parser("export", help="write the bookmarks as BibTeX, RIS, CSL-JSON, CSV, Markdown or JSON")
    export.add_argument("--format", "-f", choices=FORMATS, default="bibtex")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    export.add_argument("--tag", help="only bookmarks with this tag")

    importing = actions.add_parser(
        "import", help="add bookmarks from a JSON export, a BibTeX file or a list of arXiv ids/URLs")
    importing.add_argument("file", metavar="FILE", help="the file to read ('-' for standard input)")
    importing.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    importing.add_argument("--json", action="store_true", help="print the report as one JSON object")

    remove = actions.add_parser("remove", help="remove bookmarks (u in the reader does not undo this)")
    remove.add_argument("ids", nargs="+", metavar="ID", help="arXiv ids or URLs")

    tag = actions.add_parser("tag", help="add tags to a bookmark (bookmarking the paper if it is not)")
    tag.add_argument("id", metavar="ID", help="an arXiv id or URL")
    tag.add_argument("tags", nargs="*", metavar="TAG")
    how = tag.add_mutually_exclusive_group()
    how.add_argument("--remove", action="store_true", help="remove these tags instead")
    how.add_argument("--set", action="store_true", help="replace all tags with these (none: clear them)")

    note = actions.add_parser("note", help="set the note of a bookmark (bookmarking the paper if it is not)")
    note.add_argument("id", metavar="ID", help="an arXiv id or URL")
    note.add_argument("text", metavar="TEXT", help="the note; '-' reads it from standard input, '' clears it")


def run(args: argparse.Namespace) -> int:
    store = StateStore.open()
    try:
        _show_notices(store)
        if args.action == "list":
            return _list(store, args)
        if args.action == "export":
            return _export(store, args)
        if args.action in ("remove", "tag", "note"):
            return _change(store, args)
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
        title = Text(one_line(readable(bookmark.title)))
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
    bookmarks = oldest_first(store.bookmarks(args.tag))  # keys stay stable from one export to the next
    text = render(bookmarks, args.format, now_iso())
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    try:
        written = write_output(target, text, encoding=file_encoding(args.format))
    except OSError as error:
        return usage_error(f"cannot write {args.output}: {error.strerror or error}")
    where = f"{target} (-> {written})" if written != target else str(target)
    stderr_console().print(Text(f"{len(bookmarks)} bookmarks written to {where} ({args.format})"), soft_wrap=True)
    return 0


# --- remove, tag, note ----------------------------------------------------------------------


def _paper_id(raw: str) -> str | None:
    found = arxiv_id_in(raw)
    if found is None:
        usage_error(f"{clean(raw)!r} is not an arXiv id or URL")
    return found


def _change(store: StateStore, args: argparse.Namespace) -> int:
    if store.read_only:
        stderr_console().print(Text("tui-reader: the state store is read-only; nothing changed", style="red"))
        return 1
    out = stdout_console()
    try:
        if args.action == "remove":
            ids = [_paper_id(raw) for raw in args.ids]
            if None in ids:
                return 2
            missing = []
            for paper_id in ids:
                if store.remove_bookmark(paper_id):
                    out.print(Text(f"removed {paper_id}"))
                else:
                    missing.append(paper_id)
            for paper_id in missing:
                stderr_console().print(Text(f"tui-reader: {paper_id} was not bookmarked"), soft_wrap=True)
            return 1 if missing else 0
        paper_id = _paper_id(args.id)
        if paper_id is None:
            return 2
        existing = store.bookmark(paper_id)
        target = _paper_to_bookmark(paper_id) if existing is None else paper_id
        if args.action == "tag":
            given = normalize_tags(list(args.tags))
            if not given and not args.set:
                return usage_error("name at least one tag (or --set with none to clear them)")
            old = list(existing.tags) if existing else []
            if args.set:
                tags = given
            elif args.remove:
                tags = [t for t in old if t not in given]
            else:
                tags = sorted(set(old) | set(given))
            result = store.set_tags(target, tags)
            out.print(Text(f"tags of {paper_id}: " + (", ".join(result) or "none")))
        else:
            text = sys.stdin.read() if args.text == "-" else args.text
            store.set_note(target, text)
            out.print(Text(f"note of {paper_id} " + ("saved" if text.strip() else "cleared")))
        if existing is None:
            out.print(Text(f"(bookmarked {paper_id})", style="dim"))
    except StateError as error:
        stderr_console().print(Text(f"tui-reader: not saved: {error}", style="red"), soft_wrap=True)
        return 1
    return 0


def _paper_to_bookmark(paper_id: str):
    """The paper from the configured library (so the bookmark keeps its
    title and authors), else just its id."""
    from tui_reader.core.loader import load_library

    try:
        library = load_library(library_paths([]), writable_cache_dir())
    except Exception:  # noqa: BLE001 - no library to be had: the bookmark keeps its id alone
        return paper_id
    return library.papers.get(paper_id, paper_id)


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
