"""``tui-reader feed NAME [PATH...] [-o FILE] [--limit N]``: a saved search
or an interest as an Atom feed of its newest papers, for newsboat or any
feed reader (``newsboat`` reads ``file://`` URLs: put the file's path in
its urls file).

Made for cron like ``digest``: stable entry ids, the same papers give
the same bytes, and an unchanged feed is not rewritten.  Exit codes: 0 the
feed was written (or is up to date), 1 nothing matched (no file written),
2 a usage problem (an unknown NAME, an unwritable file)."""

from __future__ import annotations

import argparse

from rich.text import Text

from tui_reader.commands import PATHS_HELP
from tui_reader.commands.common import library_paths, stderr_console, usage_error


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="a saved search's name or an interest (as the reader lists it)")
    parser.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument("--limit", type=int, default=50, help="the newest N papers (default 50)")
    parser.add_argument("--language", metavar="LANG", help="TL;DR language (default: the configured one)")
    parser.add_argument("--abstract", action="store_true", help="include each paper's abstract")


def find_query(store, name: str) -> tuple[str, str, str] | None:
    """(kind, label, query) of the saved search or interest called ``name``."""
    from tui_reader.core.discovery import INTEREST

    wanted = name.strip().lower()
    for search in store.saved_searches():
        if search.name.lower() == wanted:
            return "search", search.name, search.query
    for rule in store.rules(INTEREST):
        if wanted in (rule.label.lower(), rule.value.lower()):
            return "interest", rule.label, rule.query()
    return None


def run(args: argparse.Namespace) -> int:
    from tui_reader.commands.digest import write_result
    from tui_reader.commands.index import open_index
    from tui_reader.core.config import load_config
    from tui_reader.core.digest import DigestItem
    from tui_reader.core.feeds import atom_feed, feed_id
    from tui_reader.core.loader import newest_first
    from tui_reader.core.state import StateStore

    err = stderr_console()
    with StateStore.open() as store:
        found = find_query(store, args.name)
        names = [s.name for s in store.saved_searches()]
        bookmarks = {b.id: b for b in store.bookmarks()}
    if found is None:
        known = ", ".join(names) or "none"
        return usage_error(f"feed: no saved search or interest called {args.name!r} (saved searches: {known})")
    kind, label, query = found
    library, index, _ = open_index(library_paths(args.paths), quiet=True)
    try:
        result = index.search(query, limit=None)
    finally:
        index.close()
    if result.error:
        return usage_error(f"feed: the query of {label} does not work: {result.error}")
    papers = sorted((p for pid in (result.ids or []) if (p := library.papers.get(pid)) is not None), key=newest_first)
    papers = papers[:max(args.limit, 1)]
    if not papers:
        err.print(Text(f"tui-reader feed: nothing matches {label}; nothing written", style="yellow"), soft_wrap=True)
        return 1
    items = [DigestItem(p, bookmarks.get(p.id), [label]) for p in papers]
    language = args.language or load_config().settings.language
    title = f"arXiv: {label}" if kind == "search" else f"arXiv interest: {label}"
    text = atom_feed(items, title, feed_id(kind, label), f"the newest papers of {kind} {label}", language,
                     args.abstract, limit=args.limit)
    return write_result(text, args.output, f"feed of {len(items)} papers", "atom", err)
