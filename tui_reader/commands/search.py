"""``tui-reader search QUERY [PATH...] [--limit N] [--json]``."""

from __future__ import annotations

import argparse
import gc
import json
import sys

from tui_reader.commands import PATHS_HELP
from tui_reader.commands.common import library_paths, missing_paths, note, stdout_console, writable_cache_dir
from tui_reader.core.library.kept import Kept
from tui_reader.core.signals import facet_fields
from tui_reader.core.text import clean, one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", metavar="QUERY",
                        help='the query, e.g. \'diffusion cat:cs.CV date:2026-03\' (see the README, "Search")')
    parser.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    parser.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON array on stdout")
    parser.add_argument("--as-typed", action="store_true",
                        help="no correction: a query that finds nothing stays empty (see 'did you mean')")


def open_stored(paths: list[str]):
    """(papers, index) answering from the index and the library cache
    alone, when both hold the library's files as they are now: no library
    load, no index update, no typing tables (a warm search at 75,000 papers
    took 4.5 s with them).  None when either is missing or out of date."""
    from tui_reader.core.index import SearchIndex
    from tui_reader.core.loader import PaperStore

    cache = writable_cache_dir()
    store = PaperStore.open(paths, cache)
    if store is None:
        return None
    index = SearchIndex.open(store.library.key, cache)
    if not index.covers(store.stats):
        index.close()
        store.close()
        return None
    for notice in index.notices:
        note(notice, "yellow")
    from tui_reader.core.library.facet_table import FacetRows
    from tui_reader.core.library.heads_table import Heads

    # has:code ..., and the titles the ranking checks, without reading every
    # paper; the library's surface words (prefixes, fuzzy words, "did you
    # mean") only when the query asks for them.
    index.attach(store, SurfaceWords.beside(store, cache).table, FacetRows.beside(store, cache),
                 Heads.beside(store, cache))
    return store, index


class SurfaceWords(Kept):
    """The library's surface words (prefixes, fuzzy words, "did you mean")
    and their counts, kept beside the library cache: 2 MB and 60 ms to
    read at 75,000 papers, which a plain query never needs, so the index
    is given ``table`` to call when a query asks (made from every title
    and author the first time)."""

    SUFFIX = ".words"
    KEY = ("words", 1)

    def _make(self, papers: list) -> dict[str, int]:
        from tui_reader.core.index.vocabulary import Vocabulary

        return Vocabulary.of_papers(papers).counts

    def _load(self, data: object) -> dict[str, int]:
        if not isinstance(data, dict):
            raise ValueError("a damaged table of words")
        return data


def run(args: argparse.Namespace) -> int:
    absent = missing_paths("search", args.paths)
    if absent is not None:
        if args.json:
            sys.stdout.write("[]\n")
        return absent
    # One short process that reads large tables (the titles, the words):
    # the cyclic garbage collector only walked them again and again
    # (0.1-0.2 s of a two-word query); nothing it would free lives long.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _search(args)
    finally:
        if collecting:
            gc.enable()


def _search(args: argparse.Namespace) -> int:
    paths = library_paths(args.paths)
    stored = open_stored(paths)
    incomplete = ""
    if stored is not None:
        store, index = stored
        papers_by_id, newest_ids = store, store.newest_ids
    else:
        from tui_reader.commands.index import open_index

        store = None
        library, index, report = open_index(paths, quiet=args.json)
        incomplete = report.error
        papers_by_id = library.papers

        def newest_ids() -> list[str]:
            return [p.id for p in library.sorted_papers()]
    try:
        result = index.search(args.query, limit=args.limit if args.limit > 0 else None,
                              correct=not args.as_typed)
        code = _show(args, result, papers_by_id, newest_ids)
        if incomplete:  # said already (open_index); a partial answer is not a success
            note("tui-reader search: the index is incomplete; results may be missing", "red")
            return max(code, 1)
        return code
    finally:
        index.close()
        if store is not None:
            store.close()


def _show(args: argparse.Namespace, result, papers_by_id, newest_ids) -> int:
    if result.error:
        if args.json:
            sys.stdout.write("[]\n")
        note(f"tui-reader search: {result.error}", "red")
        return 2
    if result.ids is None:
        ids = newest_ids()
        if args.limit > 0:
            ids = ids[: args.limit]
    else:
        ids = result.ids
    papers = [paper for pid in ids if (paper := papers_by_id.get(pid)) is not None]
    corrected = {"corrected": result.corrected} if result.corrected else {}
    if args.json:
        if result.suggestion:
            note(f"did you mean: {result.suggestion}", "yellow")
        if result.corrected:
            note(_corrected_note(result), "yellow")
        rows = [
            {
                "id": p.id,
                "title": one_line(clean(p.title)),
                "authors": [clean(a) for a in p.authors],
                "categories": list(p.categories),
                "dates": list(p.dates),
                "score": round(result.scores.get(p.id, 0.0), 4),
                **facet_fields(p),
                **corrected,
            }
            for p in papers
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    from rich.table import Table
    from rich.text import Text

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
    for line in result.notes:
        console.print(Text(line, style="dim"))
    if result.suggestion:
        console.print(Text(f"did you mean: {result.suggestion}", style="yellow"))
    if result.corrected:
        console.print(Text(_corrected_note(result), style="yellow"))
    return 0


def _corrected_note(result) -> str:
    return (f"showing results for {one_line(clean(result.corrected))}: "
            f"{one_line(clean(result.typed))} found nothing (--as-typed searches it as typed)")
