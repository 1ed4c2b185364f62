"""Command line entry point: ``tui-reader [PATH...]`` opens the reader;
subcommands work without the UI.  Each subcommand lives in its own module
under ``tui_reader.commands`` and registers itself here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tui_reader import __version__
from tui_reader.commands import PATHS_HELP

# name -> module under tui_reader.commands; each has add_arguments(parser) and run(args) -> int
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "check": ("tui_reader.commands.check", "read digests without the UI and report what they hold"),
    "index": ("tui_reader.commands.index", "build or update the search index of a library"),
    "search": ("tui_reader.commands.search", "search a library from the command line"),
    "config": ("tui_reader.commands.config", "show the config file's path and the settings in effect"),
    "bookmarks": ("tui_reader.commands.bookmarks",
                  "list, tag, annotate, remove, export (BibTeX, RIS, CSL-JSON, CSV, Markdown, JSON) "
                  "and import bookmarks"),
    "follow": ("tui_reader.commands.follow", "follow a fork's data branch: a shallow clone kept up to date"),
    "stats": ("tui_reader.commands.stats", "papers per day and category, frequent title terms, a term over time"),
    "serve": ("tui_reader.commands.serve", "the reader in a browser (needs the 'web' extra: textual-serve)"),
    "digest": ("tui_reader.commands.digest", "a handout (Markdown, HTML or an Atom feed) of a day's or a week's picks"),
    "sync": ("tui_reader.commands.sync", "sync bookmarks, tags, notes, read marks, Later and rules with your "
                                         "other devices (a git remote or a synced folder)"),
    "share": ("tui_reader.commands.share", "publish bookmarks as a branch a teammate can follow"),
    "feed": ("tui_reader.commands.feed", "write a saved search or an interest as an Atom feed of its newest papers"),
    "decisions": ("tui_reader.commands.decisions", "import or export the triage decisions the ranking learns from"),
    "rank": ("tui_reader.commands.rank", "a day's papers best first, by a model learned from your decisions"),
}


# Commands that refuse a PATH that is not there themselves (search --json still
# prints its empty list; digest's PATHs follow its DAY); the others are refused here.
_OWN_PATH_CHECK = frozenset({"search", "stats", "digest"})


def _base_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tui-reader",
        description="A keyboard-driven terminal reader for AI-enhanced daily arXiv digests.",
        epilog="Subcommands: " + ", ".join(SUBCOMMANDS) + " (tui-reader COMMAND --help for each).",
    )
    parser.add_argument("--version", action="version", version=f"tui-reader {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in SUBCOMMANDS:
        import importlib

        name = args_list[0]
        module_name, help_text = SUBCOMMANDS[name]
        module = importlib.import_module(module_name)
        parser = argparse.ArgumentParser(prog=f"tui-reader {name}", description=help_text)
        module.add_arguments(parser)
        args = parser.parse_args(args_list[1:])
        given = getattr(args, "paths", None)
        if isinstance(given, list) and given and name not in _OWN_PATH_CHECK:
            from tui_reader.commands.common import missing_paths

            absent = missing_paths(name, given)
            if absent is not None:
                return absent
        try:
            return int(module.run(args) or 0)
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            return 0

    parser = _base_parser()
    parser.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    parser.add_argument("--read-only", action="store_true",
                        help="save nothing (bookmarks, notes, read marks), write no file, run no [[commands]]")
    args = parser.parse_args(args_list)
    refused = _not_there(args.paths, args_list)
    if refused is not None:
        return refused
    from tui_reader.commands.open import run

    return run(args)


def _not_there(paths: list[str], args_list: list[str]) -> int | None:
    """Exit code 2 and a message when a PATH does not exist, naming the
    nearest command when the first one looks like a mistyped command
    (``tui-reader serach foo``); None when every PATH is there.  Never an
    empty reader for a typo, with or without a terminal."""
    import difflib
    import os

    missing = [path for path in paths if not os.path.lexists(path)]
    if not missing:
        return None
    from tui_reader.commands.common import missing_paths, shown_path

    first = paths[0]
    # After "--" every word is a PATH (a file named like a command).
    near = [] if "--" in args_list or first not in missing or os.sep in first else \
        difflib.get_close_matches(first, SUBCOMMANDS, n=1, cutoff=0.6)
    if near:
        print(f"tui-reader: {shown_path(first)!r} is not a command, nor a file or folder; did you mean "
              f"'tui-reader {near[0]}'? (commands: {', '.join(SUBCOMMANDS)})", file=sys.stderr)
        return 2
    return missing_paths("", missing)


if __name__ == "__main__":
    raise SystemExit(main())
