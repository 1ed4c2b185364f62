"""``tui-reader check PATH... [--json]``: read digests without the UI."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from rich.table import Table
from rich.text import Text

from tui_reader.commands.common import library_paths, stdout_console, writable_cache_dir
from tui_reader.core.loader import Library, load_library
from tui_reader.core.text import clean


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: the configured library, else the embedded samples)")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    parser.add_argument("--no-cache", action="store_true", help="parse every file again, ignoring the parse cache")


def summarize(library: Library) -> dict:
    categories: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for paper in library.papers.values():
        categories.update(paper.categories)
        languages.update(list(paper.summaries))
    return {
        "files": len(library.files),
        "entries": library.entries,
        "papers": len(library.papers),
        "categories": dict(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
        "languages": dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        "problems": [p.as_dict() for p in library.problems],
    }


def run(args: argparse.Namespace) -> int:
    paths = library_paths(args.paths)
    cache = None if args.no_cache else writable_cache_dir()
    library = load_library(paths, cache)
    report = summarize(library)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_report(report, library)
    return 1 if library.problems else 0


def print_report(report: dict, library: Library) -> None:
    console = stdout_console()
    head = Text()
    head.append(f"{report['files']}", style="bold")
    head.append(" files, ")
    head.append(f"{report['entries']}", style="bold")
    head.append(" entries, ")
    head.append(f"{report['papers']}", style="bold")
    head.append(" unique papers")
    if library.cached_files:
        head.append(f"  ({library.cached_files} files from cache)", style="dim")
    console.print(head)

    if report["categories"]:
        table = Table(title="Papers per category", title_justify="left", show_edge=False)
        table.add_column("category")
        table.add_column("papers", justify="right")
        for name, count in report["categories"].items():
            table.add_row(Text(name), str(count))
        console.print(table)
    if report["languages"]:
        table = Table(title="Papers per summary language", title_justify="left", show_edge=False)
        table.add_column("language")
        table.add_column("papers", justify="right")
        for name, count in report["languages"].items():
            table.add_row(Text(name), str(count))
        console.print(table)
    if library.problems:
        console.print(Text(f"{len(library.problems)} problems:", style="bold red"))
        for problem in library.problems:
            console.print(Text(clean(str(problem))), soft_wrap=True)
    else:
        console.print(Text("no problems", style="green"))
