"""``tui-reader digest [DAY] [PATH...] [--since DAY] [--interests] [--bookmarks] [--all]
[--format md|html|atom] [-o FILE]``: a handout of a day's or a week's picks.

Made for cron: no terminal needed, nothing asked, and the exit code says
what happened: 0 a digest was written, 1 nothing was picked (no file is
written, so an empty handout is never sent), 2 a usage problem (a bad
day, an unwritable file)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

from rich.text import Text

from tui_reader.commands import PATHS_HELP
from tui_reader.commands.common import library_paths, missing_paths, stderr_console, usage_error, writable_cache_dir
from tui_reader.core.digest import DIGEST_FORMATS, Digest, group_picks, render_digest
from tui_reader.core.fsutil import write_output
from tui_reader.core.loader import newest_first


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("items", nargs="*", metavar="PATH|DAY",
                        help="the library: " + PATHS_HELP + "; and the day, in any place (YYYY-MM-DD, or "
                             "'latest', the default: the newest day in the library)")
    parser.add_argument("--since", metavar="DAY",
                        help="every day from DAY (YYYY-MM-DD, or Nd: N days before the newest) to the newest")
    parser.add_argument("--interests", action="store_true", help="papers matching your interests (mute rules apply)")
    parser.add_argument("--bookmarks", action="store_true",
                        help="papers of those days you bookmarked, and bookmarks you added on those days")
    parser.add_argument("--all", action="store_true", help="every paper of those days (muted ones left out)")
    parser.add_argument("--format", "-f", choices=(*DIGEST_FORMATS, "atom"),
                        help="md (default), html (default for -o *.html) or atom (an Atom feed; default for -o *.atom, "
                             "*.xml)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument("--abstract", action="store_true", help="include each paper's abstract")
    parser.add_argument("--language", metavar="LANG", help="TL;DR language (default: the configured one)")
    parser.add_argument("--title", help="the handout's title")
    parser.add_argument("--library", action="append", default=[], metavar="PATH",
                        help="a library file or folder (the same as a PATH)")


def split_items(args: argparse.Namespace) -> None:
    """``args.day`` and ``args.paths`` from the positional items: one that
    reads as a day (YYYY-MM-DD or 'latest') and is no file or folder is the
    day, the others are the library (``args.days``: every such item)."""
    args.days = [i for i in args.items if (i == "latest" or re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", i))
                 and not os.path.exists(i)]
    args.day = args.days[0] if args.days else None
    args.paths = [*(i for i in args.items if i not in args.days), *args.library]


def format_for(output: str | None) -> str:
    """The format a file name asks for: html, atom, else md."""
    name = (output or "").lower()
    if name.endswith((".html", ".htm")):
        return "html"
    return "atom" if name.endswith((".atom", ".xml")) else "md"


_RELATIVE = re.compile(r"^(\d{1,4})d$")


def _day(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _bad_arguments(args: argparse.Namespace) -> str:
    """What is wrong with the days asked for ("" when nothing)."""
    if len(args.days) > 1:
        return f"one DAY, not {len(args.days)} ({', '.join(args.days)})"
    if args.day and args.since:
        return "give DAY or --since, not both"
    if args.day and args.day != "latest" and _day(args.day) is None:
        return f"{args.day!r} is not a day (YYYY-MM-DD or 'latest')"
    if args.since and _day(args.since) is None and not _RELATIVE.match(args.since):
        return f"--since {args.since!r} is not a day (YYYY-MM-DD or Nd)"
    return ""


def run(args: argparse.Namespace) -> int:
    split_items(args)
    problem = _bad_arguments(args)
    if problem:
        return usage_error(problem)
    absent = missing_paths("digest", args.paths)
    if absent is not None:
        return absent
    fmt = args.format or format_for(args.output)
    err = stderr_console()

    from tui_reader.core.config import load_config
    from tui_reader.core.discovery import INTEREST, MUTE
    from tui_reader.core.loader import load_library
    from tui_reader.core.state import StateStore

    config = load_config()
    language = args.language or config.settings.language
    want_interests, want_bookmarks = args.interests, args.bookmarks
    if not (want_interests or want_bookmarks or args.all):
        want_interests = want_bookmarks = True
    paths = library_paths(args.paths)

    store = StateStore.open()
    try:
        bookmarks = {b.id: b for b in store.bookmarks()}
        interests = store.rules(INTEREST)
        mutes = store.rules(MUTE)
    finally:
        store.close()

    needs_index = (want_interests and interests) or ((want_interests or args.all) and mutes)
    index = None
    if needs_index:
        from tui_reader.commands.index import open_index

        library, index, _ = open_index(paths, quiet=True)
    else:
        library = load_library(paths, writable_cache_dir())
    days = library.dates()
    if not days:
        err.print(Text(f"tui-reader digest: no dated papers in {', '.join(paths)}", style="yellow"), soft_wrap=True)
        if index is not None:
            index.close()
        return 1

    start, end = _span(args, days[0])
    chosen = {d for d in days if start <= d <= end}
    matched, muted = _discovered(index, interests if want_interests else [], mutes, err)
    picked = _pick(library, chosen, (start, end), bookmarks if want_bookmarks else {}, matched, muted,
                   want_interests, args.all)
    if not picked:
        what = " and ".join(w for w, on in (("interests", want_interests), ("bookmarks", want_bookmarks),
                                             ("papers", args.all)) if on)
        span = start if start == end else f"{start} … {end}"
        hint = "" if interests or not want_interests else " (no interests set: add some with I in the reader)"
        err.print(Text(f"tui-reader digest: nothing picked on {span} from {what}{hint}; nothing written",
                       style="yellow"), soft_wrap=True)
        return 1

    papers = sorted(picked.values(), key=newest_first)
    groups = group_picks(papers, {pid: bookmarks[pid] for pid in picked if pid in bookmarks},
                         {pid: matched[pid] for pid in picked if pid in matched}, rest_by_category=args.all)
    span = start if start == end else f"{start} to {end}"
    digest = Digest(
        title=args.title or f"arXiv picks, {span}",
        subtitle=f"{len(papers)} papers from {len(chosen)} day{'s' if len(chosen) != 1 else ''} of digests",
        groups=groups,
        language=language,
        abstract=args.abstract,
    )
    if fmt == "atom":
        from tui_reader.core.feeds import digest_feed

        text = digest_feed(digest)
    else:
        text = render_digest(digest, fmt)
    return write_result(text, args.output, f"digest of {len(papers)} papers", fmt, err)


def _span(args: argparse.Namespace, newest: str) -> tuple[str, str]:
    """The first and last day of the handout."""
    if args.since:
        match = _RELATIVE.match(args.since)
        start = ((dt.date.fromisoformat(newest) - dt.timedelta(days=int(match[1]))).isoformat()
                 if match else _day(args.since))
        return start, newest
    day = newest if not args.day or args.day == "latest" else _day(args.day)
    return day, day


def _discovered(index, interests: list, mutes: list, err) -> tuple[dict[str, list[str]], set[str]]:
    """(paper id -> labels of the interests it matches, muted ids); the
    index is closed here.  No index: nothing matched, nothing muted."""
    if index is None:
        return {}, set()
    from tui_reader.core.discovery import compute

    try:
        found = compute(index, interests, mutes, [])
    finally:
        index.close()
    for label, problem in found.errors.items():
        err.print(Text(f"tui-reader digest: rule {label}: {problem}", style="yellow"), soft_wrap=True)
    return {pid: [r.label for r in rules] for pid, rules in found.matched.items()}, set(found.muted)


def _pick(library, chosen: set[str], span: tuple[str, str], bookmarks: dict, matched: dict, muted: set[str],
          by_interest: bool, everything: bool) -> dict[str, object]:
    """The papers of the handout, by id: ``bookmarks`` of those days (a
    paper of those days, or bookmarked on one), then the papers of those
    days that are not muted and match an interest (``by_interest``) or
    all of them (``everything``)."""
    start, end = span
    picked: dict[str, object] = {}
    for mark in bookmarks.values():
        paper = library.papers.get(mark.id)
        if (paper is not None and chosen.intersection(paper.dates)) or start <= mark.added_at[:10] <= end:
            picked[mark.id] = paper if paper is not None else mark.snapshot.to_paper()
    for paper in library.papers.values():
        if not chosen.intersection(paper.dates) or paper.id in picked or paper.id in muted:
            continue
        if everything or (by_interest and paper.id in matched):
            picked[paper.id] = paper
    return picked


def unchanged(path: Path, text: str) -> bool:
    try:
        return path.is_file() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def write_result(text: str, output: str | None, what: str, fmt: str, err) -> int:
    """The handout to stdout, or atomically to ``output``."""
    if not output or output == "-":
        sys.stdout.write(text)
        return 0
    try:
        if unchanged(Path(output), text):  # cron: a feed reader sees no change when there is none
            err.print(Text(f"{output} is up to date ({what})"), soft_wrap=True)
            return 0
        write_output(Path(output), text)
    except OSError as error:
        return usage_error(f"cannot write {output}: {error.strerror or error}")
    err.print(Text(f"{what} written to {output} ({fmt})"), soft_wrap=True)
    return 0
