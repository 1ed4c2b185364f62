"""Followed forks (core.follow): fetched in a thread worker on each start,
while the reader shows the copy on disk; new files read the library again
with the reader staying where it is; failures are notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_reader.core import follow as forks
from tui_reader.core.views import ALL

if TYPE_CHECKING:
    from tui_reader.ui.messages import ForkFetched, LibraryLoaded
    from tui_reader.ui.panes import Panes


def start(p: Panes) -> None:
    follows = p.context.follows
    if not follows:
        return
    p.status.set("fork", "fetching the followed fork…" if len(follows) == 1
                 else f"fetching {len(follows)} followed forks…")
    p.librarian.fetch_forks()


def fetched(p: Panes, message: ForkFetched) -> None:
    result = message.result
    if result is None:  # every fork tried
        days = p.lib.fork_days
        if days:
            shown = ", ".join(days[-3:]) + (" …" if len(days) > 3 else "")
            p.status.set("fork", f"{len(days)} new day{'s' if len(days) != 1 else ''} from the fork: {shown}")
        elif "fetching" in (p.status.get("fork") or ""):
            p.status.set("fork", None)
        return
    if result.status in ("failed", "no-git"):
        p.status.set("fork", "fork not updated (offline?)" if result.status == "failed" else "fork: no git")
        p.notify(result.message, severity="warning", timeout=10)
        return
    if result.status == "rewritten":
        p.notify(result.message, severity="warning", timeout=10)
    if not result.changed:
        return
    p.lib.fork_days.extend(d for d in forks.new_days(result) if d not in p.lib.fork_days)
    root = str(result.follow.root)
    if root not in p.context.paths:
        p.context.paths.append(root)  # cloned on this start
    if result.status == "cloned":
        p.notify(result.message, timeout=6)
    p.status.set("load", "reading the new days…")
    p.lib.reloading = p.lib.library is not None
    p.librarian.load(reload=p.lib.reloading)


def reloaded(p: Panes, message: LibraryLoaded) -> None:
    """The library read again after a fork brought new days: the same node
    and paper stay in view, the new days join the tree."""
    p.lib.take(message.library, message.view)
    p.status.set("load", None)
    p.status.set("library", p.lib.summary())
    node = p.state.node
    current = p.papers.current
    p.rebuild_tree(select=node)
    if not p.tree.has_key(node):
        node = ALL
        p.tree.select_key(ALL)
    if p.search.query:
        p.search.pending = p.search.query
    else:
        p.show_node(node, keep=current.id if current is not None else None)
    p.librarian.build_index(message.library)
