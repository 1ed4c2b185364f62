"""Followed forks (core.follow): fetched in a thread worker on each start,
while the reader shows the copy on disk; new files read the library again
with the reader staying where it is; failures are notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tui_reader.core import follow as forks
from tui_reader.core.views import ALL
from tui_reader.ui.messages import ForkFetched, LibraryLoaded

if TYPE_CHECKING:
    from tui_reader.ui.screens.main import MainScreen


def start(screen: MainScreen) -> None:
    follows = screen.context.follows
    if not follows:
        return
    forks.allow()
    screen._set_status("fork", "fetching the followed fork…" if len(follows) == 1
                       else f"fetching {len(follows)} followed forks…")
    screen.run_worker(lambda: _fetch(screen), thread=True, exclusive=True, group="forks",
                      description="fetching the followed forks", exit_on_error=False)


def _fetch(screen: MainScreen) -> None:
    """In the worker: each fork in turn (git with a timeout, never a prompt)."""
    worker = get_current_worker()
    for follow in list(screen.context.follows):
        if worker.is_cancelled:
            return
        try:
            result = forks.update(follow)
        except Exception as error:  # a bug here must not take the reader down
            result = forks.FollowResult(follow, "failed", f"{follow.url}: {type(error).__name__}: {error}", [])
        screen.post_message(ForkFetched(result))
    screen.post_message(ForkFetched(None))


def fetched(screen: MainScreen, message: ForkFetched) -> None:
    result = message.result
    if result is None:  # every fork tried
        days = screen.fork_days
        if days:
            shown = ", ".join(days[-3:]) + (" …" if len(days) > 3 else "")
            screen._set_status("fork", f"{len(days)} new day{'s' if len(days) != 1 else ''} from the fork: {shown}")
        elif "fetching" in screen._status_parts.get("fork", ""):
            screen._set_status("fork", None)
        return
    if result.status in ("failed", "no-git"):
        screen._set_status("fork", "fork not updated (offline?)" if result.status == "failed" else "fork: no git")
        screen.notify(result.message, severity="warning", markup=False, timeout=10)
        return
    if result.status == "rewritten":
        screen.notify(result.message, severity="warning", markup=False, timeout=10)
    if not result.changed:
        return
    screen.fork_days.extend(d for d in forks.new_days(result) if d not in screen.fork_days)
    root = str(result.follow.root)
    if root not in screen.context.paths:
        screen.context.paths.append(root)  # cloned on this start
    if result.status == "cloned":
        screen.notify(result.message, markup=False, timeout=6)
    screen._set_status("load", "reading the new days…")
    screen.reloading = screen.library is not None
    screen.load(reload=screen.reloading)


def reloaded(screen: MainScreen, message: LibraryLoaded) -> None:
    """The library read again after a fork brought new days: the same node
    and paper stay in view, the new days join the tree."""
    screen.library = message.library
    screen.view = message.view
    screen._set_status("load", None)
    screen._set_status("library", f"{len(message.library.papers)} papers in {len(message.library.files)} files")
    node = screen.state.node
    current = screen.paper_list.current
    screen.rebuild_tree(select=node)
    if not screen.tree.has_key(node):
        node = ALL
        screen.tree.select_key(ALL)
    if screen.search_query:
        screen._pending_search = screen.search_query
    else:
        screen.show_node(node, keep=current.id if current is not None else None)
    screen.build_index(message.library)
