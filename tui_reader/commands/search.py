"""``tui-reader search QUERY [PATH...] [--limit N] [--json]``."""

from __future__ import annotations

import argparse
import json
import sys

from rich.table import Table
from rich.text import Text

from tui_reader.commands.common import library_paths, stderr_console, stdout_console
from tui_reader.commands.index import open_index
from tui_reader.core.signals import facet_fields
from tui_reader.core.text import clean, one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", metavar="QUERY", help='the query, e.g. \'diffusion cat:cs.CV date:2026-03\' (see the README, "Search")')
    parser.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: the configured library, else the embedded samples)")
    parser.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON array on stdout")


def run(args: argparse.Namespace) -> int:
    library, index, _ = open_index(library_paths(args.paths), quiet=args.json)
    try:
        result = index.search(args.query, limit=args.limit if args.limit > 0 else None)
    finally:
        index.close()
    if result.error:
        if args.json:
            sys.stdout.write("[]\n")
        stderr_console().print(Text(f"tui-reader search: {result.error}", style="red"))
        return 2
    if result.ids is None:
        ids = [p.id for p in library.sorted_papers()]
        if args.limit > 0:
            ids = ids[: args.limit]
    else:
        ids = result.ids
    papers = [library.papers[pid] for pid in ids if pid in library.papers]
    if args.json:
        rows = [
            {
                "id": p.id,
                "title": one_line(clean(p.title)),
                "authors": [clean(a) for a in p.authors],
                "categories": list(p.categories),
                "dates": list(p.dates),
                "score": round(result.scores.get(p.id, 0.0), 4),
                **facet_fields(p),
            }
            for p in papers
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    from tui_reader.core.index import highlight

    table = Table(show_edge=False, title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("category", no_wrap=True)
    table.add_column("title")
    table.add_column("score", justify="right")
    for p in papers:
        title = Text(one_line(clean(p.title)))
        for start, end in highlight(title.plain, result.terms):
            title.stylize("bold yellow", start, end)
        table.add_row(Text(p.id), Text(p.latest_date), Text(p.main_category), title,
                      Text(f"{result.scores.get(p.id, 0.0):.2f}"))
    console = stdout_console()
    console.print(table)
    console.print(Text(f"{len(papers)} results in {result.seconds * 1000:.0f} ms", style="dim"))
    return 0
