"""Search as you type: the search bar's messages and keys (``ctrl+g``
narrows to the node shown or widens to everything, ``ctrl+y`` takes the
suggestion) and the results shown.  The session's state is
:class:`~tui_reader.core.session.SearchSession`; the worker is the search
bar's.  A search covers the whole library unless the reader narrowed it,
and that choice sticks until changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.listing import SearchShown, node_label, node_papers
from tui_reader.core.views import ALL
from tui_reader.ui.widgets.search_bar import SEARCH_LIMIT

if TYPE_CHECKING:
    from tui_reader.ui.messages import SearchDone
    from tui_reader.ui.panes import Panes

BINDINGS = [
    Binding("ctrl+g", "toggle_scope", "Search here/everywhere", show=False, id="search.scope"),
    Binding("ctrl+y", "use_suggestion", "Did you mean…", show=False, id="search.suggestion"),
]


def _scope(p: Panes) -> None:
    """The node a narrowed search covers: the one shown (not All papers)."""
    key = p.state.node
    _narrow(p, None if key == ALL or p.lib.view is None else key)


def _narrow(p: Panes, node: str | None) -> None:
    """Search ``node`` when narrowed (its papers, worked out only then), else everything."""
    ids = frozenset(x.id for x in node_papers(node, p.sources())) if node and p.search.narrowed else None
    p.search.narrow_to(node, ids)


def changed(p: Panes, text: str) -> None:
    """A key in the search box: search the text as typed (a space after
    the last word makes it a word)."""
    query = text.strip()
    if not query:
        p.leave_search()
        return
    if not p.search.active:
        p.remember()
        _scope(p)
    p.search.query = query
    if p.lib.index is None:
        p.search.pending = query
        p.search_bar.show_message("the search index is opening; results follow in a moment")
        return
    start(p, text)


def start(p: Panes, query: str, typing: bool = True, correct: bool = True) -> None:
    """Search now, or as soon as the search under way is done: one at a
    time, the newest waiting query next (the one under way is told to
    stop).  ``typing``: the last word may still grow; after Enter it is a
    word, ranked as the command line ranks it.  ``correct`` False: as
    typed, even when it finds nothing and a correction would."""
    run = p.search.request(query, typing, correct)
    if run is not None:
        p.search_bar.run_search(p.lib.index, run, p.search, p.search_state())


def submitted(p: Panes, text: str) -> None:
    query = text.strip()
    if query and p.lib.index is not None and query == p.search.query:
        start(p, query, typing=False)
    p.papers.focus()


def toggle_scope(p: Panes) -> None:
    """ctrl+g: the search covers the node shown, or everything again."""
    if not p.search.toggle_scope():
        p.app.bell()
        return
    _narrow(p, p.search.scope)
    start(p, p.search_bar.value or p.search.query, typing=False)


def use_suggestion(p: Panes) -> None:
    """ctrl+y: search for the "did you mean" suggestion; after results
    shown for a correction, search the query as typed instead."""
    corrected = p.search.corrected
    if corrected:
        typed = p.search.result.typed or p.search.query
        p.search.query = typed
        start(p, typed, typing=False, correct=False)
        return
    suggestion = p.search.suggestion
    if not suggestion:
        p.app.bell()
        return
    p.search_bar.set_value(suggestion)
    p.search.query = suggestion
    start(p, suggestion, typing=False)


def done(p: Panes, message: SearchDone) -> None:
    again = p.search.finished()
    if again is not None:
        p.search_bar.run_search(p.lib.index, again, p.search, p.search_state())
    query = message.query.strip()
    if query != p.search.query or p.lib.view is None:
        return  # a newer query is on its way
    result = message.result
    if isinstance(result, Exception):
        p.search_bar.show_message(f"search failed: {result}", error=True)
        return
    if result.cancelled:
        return  # stopped for a newer search
    if result.error:
        p.search_bar.show_message(result.error, error=True)
        return
    if result.ids is None:
        p.leave_search()
        return
    p.search.result = result
    state = p.state
    sort = "relevance" if state.sort == "date" else state.sort
    # New results start at the best match; only a search restored from the
    # last session goes back to the paper the reader was on.
    restore = p.place.restore
    keep = restore.pop("paper", None) if restore.get("search") == query else None
    p.show(state.with_(search=SearchShown(query, tuple(result.ids)), sort=sort), keep=keep, keep_current=False)
    shown = len(p.papers.papers)
    scope = node_label(p.search.scope) if p.search.scope is not None else None
    p.search_bar.show_message(p.search.summary(shown, SEARCH_LIMIT, message.seconds, p.lib.index_ready, scope))
    p.status.set("search", p.search.status(shown, SEARCH_LIMIT))


def failed(p: Panes, error: BaseException | None) -> None:
    p.search.failed()
    p.search_bar.show_message(f"search failed: {type(error).__name__}: {error}", error=True)
