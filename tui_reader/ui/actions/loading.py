"""The library and its index arriving: what the librarian's messages
change on screen.  The newest day first for a big changed library
(``head_loaded``), the whole library (``library_loaded``: the last
session's place, New since last time, start-up notices), the index's
progress and readiness (announced), and failures of that work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_reader.core.views import ALL, NEW
from tui_reader.ui.actions import loop, searching, sync

ANNOUNCE_AFTER = 5.0  # seconds: a build that took this long ends with a notice (the reader saw it building)

if TYPE_CHECKING:
    from tui_reader.ui.messages import HeadLoaded, IndexProgress, IndexReady, LibraryLoaded, LoadProgress
    from tui_reader.ui.panes import Panes


def head_loaded(p: Panes, message: HeadLoaded) -> None:
    lib = p.lib
    if lib.loaded:
        return  # the whole library is already here
    if message.library is None or message.view is None:
        # A first screen of the newest papers; the whole library replaces it.
        if lib.library is None:
            p.papers.set_papers(message.papers, empty_text="Loading the library…")
        return
    # The newest day, read first: browse and search it while the rest loads.
    lib.take(message.library, message.view, partial=True)
    p.status.set("library", lib.summary())
    p.rebuild_tree(select=ALL)
    current = p.papers.current
    p.show_node(ALL, keep=current.id if current is not None and p.papers.cursor > 0 else None)
    p.librarian.build_index(message.library, partial=True)


def load_progress(p: Panes, message: LoadProgress) -> None:
    if message.phase is not None:
        # After the last file: the seconds move, so the status never stands still.
        phase = message.phase
        p.status.ticking("load", lambda seconds: f"{phase} · {seconds} s")
    elif message.total:
        p.status.set("load", f"reading {message.done}/{message.total} files…")


def library_loaded(p: Panes, message: LibraryLoaded) -> None:
    lib = p.lib
    p.status.set("load", None)
    if lib.reloading and lib.library is not None:
        lib.reloading = False
        from tui_reader.ui.actions import forks

        forks.reloaded(p, message)
        return
    lib.reloading = False
    browsed = lib.partial and (p.state.node != ALL or p.papers.cursor > 0)
    lib.take(message.library, message.view)
    # Start-up notices (config errors, locale, read-only store) come with the
    # first screen of papers, so a slow load cannot hide them.
    for notice in p.context.notices:
        p.notify(notice, severity="warning", timeout=10)
    p.status.set("library", lib.summary())
    problems = len(message.library.problems)
    if problems:
        plural = "s" if problems != 1 else ""
        p.status.set("problems", f"{problems} problem{plural} (p)")
        p.notify(f"{problems} problem{plural} while reading the library; press p to list them.",
                 severity="warning", timeout=6)
    restore_session(p)
    if browsed or p.search.active:
        p.place.restore = {}  # the reader already moved while the newest day was shown: stay there
    node = _start_node(p, p.state.node if browsed else (p.place.restore.get("node") or ALL), browsed)
    p.rebuild_tree(select=node)
    if not p.tree.has_key(node):
        # A day or category gone from the folder, a deleted saved search, a
        # more-like-this list (not kept): back to every paper.
        node = ALL
        p.tree.select_key(ALL)
    if p.search.active:
        # A search typed meanwhile runs again over the whole library (with
        # what the index holds so far; again when it is built).
        if lib.index is not None:
            searching.start(p, p.search.query)
        else:
            p.search.pending = p.search.query
    else:
        keep = p.place.restore.get("paper")
        if p.papers.papers and p.papers.cursor > 0 and p.papers.current is not None:
            keep = p.papers.current.id  # the reader already moved in the first screen
        p.show_node(node, keep=keep)
        query = p.place.restore.get("search") or ""
        if query:
            p.search_bar.set_value(query)
            p.search.query = query
            p.search.pending = query
    p.librarian.build_index(message.library)
    p.librarian.library_shown.set()
    p.librarian.read_picks()
    sync.start(p)  # with a remembered remote: in the background, never waited on


def _start_node(p: Panes, node: str, browsed: bool) -> str:
    """Where a start opens: New since last time when it holds unread papers."""
    loop.first_use(p)
    if browsed or p.search.active:
        return node
    if loop.open_new_at_start(p):
        if node != NEW:
            p.place.restore = {k: v for k, v in p.place.restore.items() if k not in ("paper", "search")}
        return NEW
    return ALL if node == NEW else node  # gone through: nothing new to open at


def restore_session(p: Panes) -> None:
    store, library = p.store, p.lib.library
    if store is None or library is None:
        return
    try:
        saved = store.load_session() or {}
    except Exception:  # noqa: BLE001 - a damaged session is no session
        saved = {}
    p.place.restore_from(saved, library.key, bool(p.context.config.settings.language))


def save_session(p: Panes) -> None:
    store, library = p.store, p.lib.library
    if store is None or library is None or store.read_only:
        return
    current = p.papers.current
    try:
        store.save_session(p.place.session(library.key, current.id if current else None, p.search.query))
    except Exception:  # noqa: BLE001 - quitting never fails on the session
        pass


# --- the index ---------------------------------------------------------------------------------


def index_progress(p: Panes, message: IndexProgress) -> None:
    clock = p.status.clock
    p.lib.index_progress(message.done, message.total, message.phase, clock())
    p.status.refreshing("index", lambda: p.lib.index_text(clock()))


def _index_status(p: Panes, text: str | None) -> None:
    p.lib.phase = None
    p.status.set("index", text)


def index_ready(p: Panes, message: IndexReady) -> None:
    lib = p.lib
    if message.error or message.index is None:
        p.librarian.index_built.set()  # as built as it gets: waiting on it ends
        _index_status(p, "search unavailable")
        p.notify(f"Search index failed: {message.error}", severity="error", timeout=10)
        return
    if lib.index_opened(message.index):
        for notice in message.index.notices:
            p.notify(notice, severity="warning", timeout=8)
    report = message.report
    if report is not None and report.cancelled:
        _index_status(p, None)
        return  # stopped on the way out; the next start indexes the rest
    if report is not None and report.error:  # a full disk: what was committed stays searchable
        p.notify(report.error, severity="warning", timeout=10)
    if report is None or message.partial:
        if message.partial:
            _index_status(p, None)  # the rest waits for the library (its own status moves)
        if not lib.index_ready and lib.phase is None:
            p.status.set("index", "indexing…")
    else:
        first = not lib.index_ready
        lib.index_ready = True
        p.librarian.index_built.set()
        _index_status(p, "read-only index" if message.index.read_only else None)
        if first:
            p.librarian.rank()  # for you: trains only when the decisions changed, in the background
        if first and report.seconds >= ANNOUNCE_AFTER:
            count = len(lib.library.papers) if lib.library is not None else 0
            p.notify(f"The search index is ready: all {count:,} papers are searchable "
                     f"(built in {report.seconds:.0f} s).", timeout=5)
    p.librarian.refresh_discovery()
    p.librarian.refresh_suggested()
    query = p.search.pending if p.search.pending is not None else (p.search.query if report else None)
    if query:
        p.search.pending = None
        searching.start(p, query)


def work_failed(p: Panes, group: str, error: BaseException | None) -> None:
    """A worker failed (already a notice): its part put right."""
    if group == "search":
        searching.failed(p, error)
    elif group == "load":
        p.status.set("load", "the library could not be read")
    elif group == "index":
        _index_status(p, "search unavailable")
    elif group == "suggested" and p.found.suggested is None:
        p.found.suggested = []
