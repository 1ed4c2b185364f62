"""``tui-reader share [--tag TAG] [--notes] [--name NAME] --to REMOTE``:
publish bookmarks as a branch (``data`` unless ``--branch``) in the
producer's own JSONL and Markdown formats, for a teammate to follow like
a fork (``tui-reader follow URL``): their reader marks those papers
"picked by NAME".  Each share replaces the branch's content with a new
commit (the history keeps the old ones).

Exit codes: 0 shared, 1 nothing to share or the remote failed, 2 usage."""

from __future__ import annotations

import argparse
import getpass

from rich.text import Text

from tui_reader.commands.common import stderr_console, stdout_console, usage_error


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", required=True, metavar="REMOTE",
                        help="a git URL or repository path to push the branch to, or a folder to write it into")
    parser.add_argument("--tag", action="append", metavar="TAG", help="only bookmarks with this tag (repeatable)")
    parser.add_argument("--notes", action="store_true", help="share your notes too")
    parser.add_argument("--name", help="the name teammates see (default: your user name)")
    parser.add_argument("--branch", default="data", help="the branch to write (default: data, what follow reads)")


def _name(given: str | None) -> str:
    from tui_reader.core.text import clean, one_line

    try:
        default = getpass.getuser()
    except (OSError, KeyError):
        default = "a teammate"
    return one_line(clean(given or default)).strip()[:80] or "a teammate"


def run(args: argparse.Namespace) -> int:
    from tui_reader.core import paths as app_paths
    from tui_reader.core.follow import check_branch
    from tui_reader.core.fsutil import FileLock
    from tui_reader.core.picks import write_share
    from tui_reader.core.state import StateStore
    from tui_reader.core.state.base import now_iso
    from tui_reader.core.sync.remote import GitRemote, RemoteError, is_git_remote, open_remote

    problem = check_branch(args.branch)
    if problem:
        return usage_error(f"share: {problem}")
    err = stderr_console()
    with StateStore.open() as store:
        marks = store.bookmarks() if not args.tag else list(
            {m.id: m for tag in args.tag for m in store.bookmarks(tag)}.values())
    if not marks:
        what = f" tagged {', '.join(args.tag)}" if args.tag else ""
        err.print(Text(f"tui-reader share: no bookmarks{what} to share; nothing published", style="yellow"),
                  soft_wrap=True)
        return 1
    marks.sort(key=lambda m: (m.added_at, m.id))
    name = _name(args.name)
    base = app_paths.data_dir()
    try:
        remote = (GitRemote(args.to, base, args.branch, "share") if is_git_remote(args.to)
                  else open_remote(args.to, base))
        base.mkdir(parents=True, exist_ok=True)
        with FileLock(base / "share.lock"):  # two shares at once take turns
            root = remote.start()
            write_share(root, marks, name, args.notes, now_iso())
            if not remote.publish(f"tui-reader share: {len(marks)} picks of {name}"):
                raise RemoteError(f"{args.to} changed while sharing; share again")
    except (RemoteError, OSError) as error:
        text = str(error) if isinstance(error, RemoteError) else f"{error.filename or args.to}: {error.strerror}"
        err.print(Text(f"tui-reader share: {text}", style="red"), soft_wrap=True)
        return 1
    where = f"branch {args.branch} of {args.to}" if is_git_remote(args.to) else args.to
    stdout_console().print(Text(f"shared {len(marks)} bookmarks as {name} to {where}"
                                + (" with notes" if args.notes else "")), soft_wrap=True)
    return 0
