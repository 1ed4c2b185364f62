"""``tui-reader index [PATH...]``: build or update the search index."""

from __future__ import annotations

import argparse
import time

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from tui_reader.commands import PATHS_HELP
from tui_reader.commands.common import (
    library_paths,
    sigterm_as_interrupt,
    stderr_console,
    stdout_console,
    writable_cache_dir,
)
from tui_reader.core import paths as app_paths
from tui_reader.core.loader import load_library


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    parser.add_argument("--rebuild", action="store_true", help="drop the index and build it again from scratch")


def open_index(paths: list[str], progress_label: str = "indexing", quiet: bool = False, rebuild: bool = False):
    """Load the library and bring its index up to date; returns
    (library, index, report).  Shared with the search command."""
    from tui_reader.core.index import SearchIndex

    cache = writable_cache_dir()
    library = load_library(paths, cache)
    index = SearchIndex.open(library.key, cache or app_paths.cache_dir())
    if rebuild and not index.read_only:
        index._create()
    err = stderr_console()
    for notice in index.notices:
        err.print(Text(notice, style="yellow"))
    told = len(index.notices)
    if quiet or not err.is_terminal:
        report = index.update(library)
    else:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as bar:
            task = bar.add_task(progress_label, total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or None)

            report = index.update(library, progress)
    for notice in index.notices[told:]:  # what the update met (a full disk...)
        err.print(Text(notice, style="yellow"), soft_wrap=True)
    return library, index, report


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        with sigterm_as_interrupt():
            library, index, report = open_index(library_paths(args.paths), rebuild=args.rebuild)
    except KeyboardInterrupt:
        stderr_console().print(Text("tui-reader index: stopped before the index was complete; "
                                    "run it again (or open the reader) to finish it", style="yellow"))
        return 130
    try:
        line = Text()
        if report.error:
            line.append(report.error, style="yellow")
        elif report.skipped:
            line.append(f"index is {report.skipped}: not updated", style="yellow")
        else:
            line.append(f"{report.added}", style="bold")
            line.append(" papers indexed, ")
            line.append(f"{report.removed}", style="bold")
            line.append(" removed")
            line.append(f" in {report.seconds:.2f} s", style="bold")
            if report.processes:
                line.append(f" ({report.processes} processes", style="dim")
                if report.searchable_after is not None:
                    line.append(f"; newest day searchable after {report.searchable_after:.2f} s", style="dim")
                line.append(")", style="dim")
        line.append(f"; {index.doc_count} papers in the index")
        line.append(f"  (total {time.perf_counter() - started:.2f} s with loading)", style="dim")
        stdout_console().print(line)
    finally:
        index.close()
    return 1 if report.error else 0
