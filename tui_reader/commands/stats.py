"""``tui-reader stats [PATH...] [--from DAY] [--to DAY] [--category CAT] [--term WORD] [--json]``:
papers per day and per category, the most frequent title terms, and one
term's count per day, without the UI (the numbers of the Trends screen)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys

from rich.table import Table
from rich.text import Text

from tui_reader.commands import PATHS_HELP
from tui_reader.commands.common import library_paths, missing_paths, stdout_console, usage_error, writable_cache_dir
from tui_reader.core.loader import load_library
from tui_reader.core.text import clean
from tui_reader.core.trends import Selection, compute, parse_categories, sparkline

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")


def _is_day(text: str) -> bool:
    """A real calendar day written YYYY-MM-DD (not 2026-13-01, not 2026-02-30)."""
    try:
        return bool(_DAY.match(text)) and dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    parser.add_argument("--from", dest="start", default="", metavar="DAY", help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", default="", metavar="DAY", help="last day (YYYY-MM-DD)")
    parser.add_argument("--category", action="append", default=[], metavar="CAT",
                        help="only papers in CAT (cs.CV; cs or cs.* for an archive; a glob: 'hep-*'); "
                             "repeat or comma-separate")
    parser.add_argument("--term", default="",
                        help="count this title term or phrase ('black hole') per day (default: the most frequent)")
    parser.add_argument("--top", type=int, default=20, help="how many title terms and categories (default 20)")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")


def run(args: argparse.Namespace) -> int:
    for flag, day in (("--from", args.start), ("--to", args.end)):
        if day and not _is_day(day):
            return usage_error(f"stats: {flag} {day!r} is not a day (YYYY-MM-DD)")
    if args.start and args.end and args.start > args.end:
        return usage_error(f"stats: --from {args.start} is after --to {args.end}")
    absent = missing_paths("stats", args.paths)
    if absent is not None:
        return absent
    categories = tuple(c for text in args.category for c in parse_categories(text))
    library = load_library(library_paths(args.paths), writable_cache_dir())
    selection = Selection(args.start, args.end, categories)
    trends = compute(library.papers.values(), selection, term=clean(args.term), top=max(1, args.top))
    if args.json:
        data = trends.as_dict()
        data["categories"] = dict(trends.categories[: max(1, args.top)])
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    console = stdout_console()
    console.print(Text(f"{trends.papers} papers, {len(trends.days)} days", style="bold"))
    width = 40
    if trends.days:
        most = max(trends.days.values())
        table = Table(title="Papers per day", title_justify="left", show_header=False, box=None)
        for day, count in trends.days.items():
            table.add_row(Text(day), Text("█" * max(1, round(count / most * width)), style="cyan"), Text(str(count)))
        console.print(table)
    for title, rows in (("Categories", trends.categories[: args.top]), ("Title terms", trends.terms)):
        if not rows:
            continue
        most = rows[0][1]
        table = Table(title=title, title_justify="left", show_header=False, box=None)
        for name, count in rows:
            bar = Text("█" * max(1, round(count / most * width)), style="green")
            table.add_row(Text(clean(name)), bar, Text(str(count)))
        console.print(table)
    if trends.term:
        line = Text(f"{clean(trends.term)} per day: ", style="bold")
        line.append(sparkline([n for _, n in trends.series]), style="yellow")
        line.append("  " + " ".join(str(n) for _, n in trends.series), style="dim")
        console.print(line)
    return 0
