"""``tui-reader follow URL [--branch data] [--days N]``: follow a fork's data branch.

``follow URL`` clones the branch shallowly into the data dir (or brings an
existing copy up to date); URL is a git URL, a local repository's folder or
``OWNER/NAME`` of GitHub (``tui-reader follow dw-dengwei/daily-arXiv-ai-enhanced``,
the producer); ``--days N`` fetches only the last N days' files (a partial
clone with a sparse checkout, see ``core.follow_days``) and a later larger
``--days`` grows the copy; ``follow`` alone updates every followed fork;
``follow --list`` shows them; ``follow --remove URL`` stops following and
deletes the copy.  The reader opens the followed forks when no PATH is
given, and fetches their new commits in the background on each start.
"""

from __future__ import annotations

import argparse
import shutil

from rich.table import Table
from rich.text import Text

from tui_reader.commands.common import stderr_console, stdout_console
from tui_reader.core import follow as forks
from tui_reader.core.config import load_config
from tui_reader.core.follow_days import check_days, source_url, stored_days


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", nargs="?", metavar="URL",
                        help="the fork: a git URL, a local repository's folder, or OWNER/NAME of GitHub "
                             "(dw-dengwei/daily-arXiv-ai-enhanced, the producer); "
                             "without it: update every followed fork")
    parser.add_argument("--days", type=int, metavar="N",
                        help="only the last N days' files (a partial clone; a later larger N fetches more)")
    parser.add_argument("--branch", default=forks.DEFAULT_BRANCH,
                        help=f"the branch that holds the digests (default: {forks.DEFAULT_BRANCH})")
    parser.add_argument("--list", action="store_true", help="list the followed forks and their copies")
    parser.add_argument("--remove", metavar="URL", help="stop following URL and delete its copy")


def _say(result: forks.FollowResult) -> None:
    style = {"failed": "red", "no-git": "red", "rewritten": "yellow"}.get(result.status, "green")
    line = Text(result.message, style=style)
    days = forks.new_days(result)
    if days and result.status != "cloned":
        line.append(f"  new days: {', '.join(days)}", style="dim")
    (stderr_console() if result.status in ("failed", "no-git") else stdout_console()).print(line, soft_wrap=True)


def run(args: argparse.Namespace) -> int:
    config = load_config()
    if args.list:
        return _list(config)
    if args.remove:
        try:
            gone = forks.remove(source_url(args.remove))
        except OSError as error:
            stderr_console().print(Text(f"tui-reader follow: {error}", style="red"), soft_wrap=True)
            return 1
        if not gone:
            in_config = source_url(args.remove) in config.settings.follow
            hint = " (it is a library entry of config.toml: remove it there)" if in_config else ""
            stderr_console().print(Text(f"tui-reader follow: {args.remove} is not followed{hint}", style="red"),
                                   soft_wrap=True)
            return 1
        for follow in gone:
            stdout_console().print(Text(f"no longer following {follow.url} ({follow.branch}); its copy is deleted"),
                                   soft_wrap=True)
        return 0
    if args.days is not None and not args.url:
        return _usage("--days needs the fork's URL (tui-reader follow URL --days N)")
    if args.url:
        url = source_url(args.url)
        error = forks.check_url(url) or forks.check_branch(args.branch) or check_days(args.days)
        if error:
            return _usage(error)
        follow = forks.Follow(url, args.branch)
        known = follow in forks.listed()[0]
        result = forks.update(follow, days=args.days or 0)
        if not known and follow.cloned() and not forks.has_digests(follow.folder):
            shutil.rmtree(follow.folder, ignore_errors=True)
            stderr_console().print(Text(
                f"tui-reader follow: {follow.url} ({follow.branch}) holds no digests (no YYYY-MM-DD.jsonl or .md "
                f"file in data/ or at its top); not followed. The producer keeps its digests on the branch "
                f"'{forks.DEFAULT_BRANCH}': is --branch right?", style="red"), soft_wrap=True)
            return 1
        _say(result)
        if result.status in ("failed", "no-git") and not follow.cloned():
            return 1
        try:
            added = forks.add(follow)
        except OSError as error:
            stderr_console().print(Text(f"tui-reader follow: cannot record the fork: {error}", style="red"),
                                   soft_wrap=True)
            return 1
        if added:
            stdout_console().print(Text(f"following {follow.url} ({follow.branch}); the reader opens it when "
                                        f"no PATH is given, and fetches its new days on each start"), soft_wrap=True)
        return 0 if result.status not in ("failed", "no-git") else 1
    follows, problems = _follows(config)
    if not follows:
        return 1 if problems else 0
    failed = False
    for follow in follows:
        result = forks.update(follow)
        failed = failed or result.status in ("failed", "no-git")
        _say(result)
    return 1 if failed or problems else 0


def _usage(message: str) -> int:
    stderr_console().print(Text(f"tui-reader follow: {message}", style="red"), soft_wrap=True)
    return 2


def _follows(config):
    """The followed forks, their problems printed; says so when there is none."""
    follows, problems = forks.all_follows(config.settings.follow)
    for problem in problems:
        stderr_console().print(Text(problem, style="red"), soft_wrap=True)
    if not follows:
        stdout_console().print(Text("no fork followed; tui-reader follow URL follows one"))
    return follows, problems


def _list(config) -> int:
    follows, problems = _follows(config)
    if not follows:
        return 1 if problems else 0
    listed, _ = forks.listed()
    table = Table(show_edge=False)
    table.add_column("url")
    table.add_column("branch", no_wrap=True)
    table.add_column("from", no_wrap=True)
    table.add_column("files", justify="right")
    table.add_column("copy")
    for follow in follows:
        files = len(forks.file_names(follow.folder)) if follow.cloned() else 0
        days = stored_days(forks.git, follow.folder) if follow.cloned() and forks.git_available() else 0
        table.add_row(Text(follow.url), Text(follow.branch), "follow" if follow in listed else "config.toml",
                      (f"{files}" + (f" (last {days} days)" if days else "")) if follow.cloned() else "-",
                      Text(str(follow.root) if follow.cloned() else "not cloned yet"))
    stdout_console().print(table)
    return 0
