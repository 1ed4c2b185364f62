"""``tui-reader sync [REMOTE]``: sync the reader's state (bookmarks, tags,
notes, read marks, Later, interests, mutes, saved searches, decisions)
with other devices through a git remote or a synced folder.

``sync REMOTE`` remembers the remote (in the state store's preferences, on
this device only) and syncs; ``sync`` alone syncs with the remembered one;
``sync --forget`` stops syncing.  Exit codes: 0 synced, 1 the sync failed
(nothing here is lost; a later sync completes the work), 2 usage."""

from __future__ import annotations

import argparse

from rich.text import Text

from tui_reader.commands.common import stderr_console, stdout_console, usage_error


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("remote", nargs="?", metavar="REMOTE",
                        help="a git URL or repository path (branch tui-reader-sync), or a folder that Syncthing "
                             "or Dropbox keeps; remembered for the next syncs and the reader's background sync")
    parser.add_argument("--forget", action="store_true", help="forget the remembered remote (sync is off)")
    parser.add_argument("--show", action="store_true", help="print the remembered remote and this device's id")


def run(args: argparse.Namespace) -> int:
    from tui_reader.core.state import StateStore
    from tui_reader.core.sync import remember_remote, remembered_remote, sync

    out, err = stdout_console(), stderr_console()
    with StateStore.open() as store:
        for notice in store.notices:
            err.print(Text(notice, style="yellow"), soft_wrap=True)
        if args.forget or args.show:
            return _show_or_forget(store, args.forget, out)
        remote = (args.remote or remembered_remote(store)).strip()
        if not remote:
            return usage_error("sync: no remote yet: tui-reader sync REMOTE (a git URL, a repository or a folder)")
        report = sync(store, remote)
        if report.status == "done" and args.remote and remembered_remote(store) != remote:
            remember_remote(store, remote)
            out.print(Text(f"remembered {remote}: the reader syncs with it at start and after triage"),
                      soft_wrap=True)
    for notice in report.notices:
        err.print(Text(notice, style="yellow"), soft_wrap=True)
    if not report.ok:
        err.print(Text(f"tui-reader sync: {report.message}", style="red"), soft_wrap=True)
        return 1
    out.print(Text(report.message), soft_wrap=True)
    return 0


def _show_or_forget(store, forget: bool, out) -> int:
    from tui_reader.core.state.changelog import device_id
    from tui_reader.core.sync import remember_remote, remembered_remote

    remote = remembered_remote(store)
    if forget:
        if not remote:
            out.print(Text("no remote was remembered"), soft_wrap=True)
            return 1
        remember_remote(store, "")
        out.print(Text(f"forgot {remote}: sync is off"), soft_wrap=True)
        return 0
    with store._lock:
        device = device_id(store._conn)
    out.print(Text(f"remote: {remote or '(none)'}\ndevice: {device or '(no change log)'}"), soft_wrap=True)
    return 0
