"""Loading the library and building its search index: the main screen's
start-up, in thread workers.

A big library that changed (or was never read) comes in two steps: its
newest day's files first, as a partial library to browse and search, then
the whole.  Both go through one SearchIndex; its updates run one after the
other.  A mixin so the main screen stays a readable go-between."""

from __future__ import annotations

import threading
import time

from textual import work
from textual.worker import get_current_worker

from tui_reader.core import paths as app_paths
from tui_reader.core.loader import Library, LoadCancelled, load_library, read_library_head
from tui_reader.core.memory import long_lived
from tui_reader.core.state import StateError
from tui_reader.core.views import ALL, LibraryView
from tui_reader.ui.messages import (
    ForkFetched,
    HeadLoaded,
    IndexProgress,
    IndexReady,
    LibraryLoaded,
    LoadProgress,
    SignalsCounted,
)

NEWEST_DAY_WAIT = 10.0  # seconds the load waits for the newest day's index at most


def view_of(library: Library) -> LibraryView:
    """The library's view with its day and category nodes counted: built in
    the load worker, so the event loop does not stall on 40,000 papers."""
    view = LibraryView(library)
    view.tree()
    return view


class LibraryLoading:
    """Expects the main screen's panes, ``context``, ``store``, ``_set_status``,
    ``rebuild_tree``, ``show_node``, ``start_search`` and ``discovery_index_changed``."""

    def init_loading(self) -> None:
        self.library: Library | None = None
        self.view: LibraryView | None = None
        self.partial = False  # showing the newest day's files while the rest loads
        self.index = None
        self.building_index = None  # the index whose update() is running, if any
        self.index_ready = False
        self._index_opening = threading.Lock()
        self._newest_indexed = threading.Event()  # see _show_newest_day
        self._pending_search: str | None = None
        self._reloading = False  # a followed fork brought new files: read the library again, stay put
        self._fork_days: list[str] = []  # new days the forks brought since the start

    @work(thread=True, exclusive=True, group="load")
    def load(self, reload: bool = False) -> None:
        started = time.perf_counter()
        if not reload:
            head = read_library_head(self.context.paths, self.context.cache_dir)
            if head:
                self.post_message(HeadLoaded(head))
        worker = get_current_worker()
        # No garbage collection pauses while the library is built (see core.memory).
        with long_lived():
            try:
                library = load_library(
                    self.context.paths,
                    self.context.cache_dir,
                    progress=lambda done, total: self.post_message(LoadProgress(done, total)),
                    head=None if reload else self._show_newest_day,
                    cancelled=lambda: worker.is_cancelled,
                )
            except LoadCancelled:
                return  # the reader is quitting
            view = view_of(library)
        self._refresh_snapshots(library)
        self.post_message(LibraryLoaded(library, time.perf_counter() - started, view))
        # After the library is shown: every comment read once (signals), for
        # the With code and Accepted counts, badges and facets.
        if not worker.is_cancelled:
            view.count_signals()
            self.post_message(SignalsCounted(view))

    def on_signals_counted(self, message: SignalsCounted) -> None:
        if message.view is self.view:
            self.rebuild_tree()

    def _refresh_snapshots(self, library: Library) -> None:
        """In the load worker: bookmarks pick up new dates and summaries of
        their papers (a durable SQLite commit: 5-150 ms that the event loop
        does not wait for).  A store another process holds too long is a
        notice, shown with the library."""
        store = self.store
        if store is None or getattr(store, "read_only", False):
            return
        try:
            store.refresh_snapshots(library.papers.values())
        except StateError as error:
            self.context.notices.append(f"Bookmarks were not refreshed from the library: {error}")

    def _show_newest_day(self, partial: Library) -> None:
        """In the load worker: hand the newest day over, and let it be
        indexed before merging the rest, which shares this process (at 40k
        papers the newest day became searchable in 9 s instead of 2)."""
        self.post_message(HeadLoaded([], partial, view_of(partial)))
        worker = get_current_worker()
        deadline = time.monotonic() + NEWEST_DAY_WAIT
        while not self._newest_indexed.wait(0.05):
            if worker.is_cancelled or time.monotonic() > deadline:
                break

    def on_head_loaded(self, message: HeadLoaded) -> None:
        if self.library is not None and not self.partial:
            return  # the whole library is already here
        if message.library is None:
            # A first screen of the newest papers; the whole library replaces it.
            if self.library is None:
                self.paper_list.set_papers(message.papers, empty_text="Loading the library…")
            return
        # The newest day, read first: browse and search it while the rest loads.
        self.partial = True
        self.library = message.library
        self.view = message.view
        days = self.view.days
        self._set_status("library", f"{len(message.library.papers)} papers of {days[0] if days else 'the newest day'}")
        self.rebuild_tree(select=ALL)
        current = self.paper_list.current
        self.show_node(ALL, keep=current.id if current is not None and self.paper_list.cursor > 0 else None)
        self.build_index(message.library, partial=True)

    def on_load_progress(self, message: LoadProgress) -> None:
        if message.total:
            self._set_status("load", f"reading {message.done}/{message.total} files…")

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        library = message.library
        reloaded = self._reloading and self.library is not None
        self._reloading = False
        if reloaded:
            self._library_reloaded(message)
            return
        browsed = self.partial and (self.node_key != ALL or self.paper_list.cursor > 0)
        self.partial = False
        self.library = library
        self.view = message.view
        self._set_status("load", None)
        # Start-up notices (config errors, locale, read-only store) come with
        # the first screen of papers, so a slow load cannot hide them.
        for notice in self.context.notices:
            self.notify(notice, severity="warning", markup=False, timeout=10)
        self._set_status("library", f"{len(library.papers)} papers in {len(library.files)} files")
        if library.problems:
            count = len(library.problems)
            self._set_status("problems", f"{count} problem{'s' if count != 1 else ''} (p)")
            self.notify(
                f"{count} problem{'s' if count != 1 else ''} while reading the library; press p to list them.",
                severity="warning",
                markup=False,
                timeout=6,
            )
        self._restore = self._load_session()
        if browsed or self.search_query:
            # The reader already moved while the newest day was shown: stay there.
            self._restore = {}
        node = self.node_key if browsed else (self._restore.get("node") or ALL)
        self.rebuild_tree(select=node)
        if not self.tree.has_key(node):
            # A day or category gone from the folder, a deleted saved search,
            # a more-like-this list (not kept): back to every paper.
            node = ALL
            self.tree.select_key(ALL)
        if self.search_query:
            # A search typed meanwhile runs again over the whole library
            # (with what the index holds so far; again when it is built).
            if self.index is not None:
                self.start_search(self.search_query)
            else:
                self._pending_search = self.search_query
        else:
            keep = self._restore.get("paper")
            if self.paper_list.papers and self.paper_list.cursor > 0:
                keep = self.paper_list.current.id  # the reader already moved in the first screen
            self.show_node(node, keep=keep)
            query = self._restore.get("search") or ""
            if query:
                self.search_bar.set_value(query)
                self.search_query = query
                self._pending_search = query
        self.build_index(library)

    def _library_reloaded(self, message: LibraryLoaded) -> None:
        """The library read again after a fork brought new days: the same
        node and paper stay in view, the new days join the tree."""
        self.library = message.library
        self.view = message.view
        self._set_status("load", None)
        self._set_status("library", f"{len(message.library.papers)} papers in {len(message.library.files)} files")
        node = self.node_key
        current = self.paper_list.current
        self.rebuild_tree(select=node)
        if not self.tree.has_key(node):
            node = ALL
            self.tree.select_key(ALL)
        if self.search_query:
            self._pending_search = self.search_query
        else:
            self.show_node(node, keep=current.id if current is not None else None)
        self.build_index(message.library)

    # --- followed forks: fetched in the background, never waited for ------------------

    def start_fork_fetch(self) -> None:
        if self.context.follows:
            from tui_reader.core.follow import allow

            allow()
            self._set_status("fork", "fetching the followed fork…" if len(self.context.follows) == 1
                             else f"fetching {len(self.context.follows)} followed forks…")
            self.fetch_forks()

    @work(thread=True, exclusive=True, group="forks", description="fetch the followed forks")
    def fetch_forks(self) -> None:
        from tui_reader.core import follow as forks

        worker = get_current_worker()
        for follow in list(self.context.follows):
            if worker.is_cancelled:
                return
            try:
                result = forks.update(follow)
            except Exception as error:  # a bug here must not take the reader down
                result = forks.FollowResult(follow, "failed", f"{follow.url}: {type(error).__name__}: {error}", [])
            self.post_message(ForkFetched(result))
        self.post_message(ForkFetched(None))

    def on_fork_fetched(self, message: ForkFetched) -> None:
        from tui_reader.core import follow as forks

        result = message.result
        if result is None:
            if self._fork_days:
                days = self._fork_days
                shown = ", ".join(days[-3:]) + (" …" if len(days) > 3 else "")
                self._set_status("fork", f"{len(days)} new day{'s' if len(days) != 1 else ''} from the fork: {shown}")
            elif "fork" in self._status_parts and "fetching" in self._status_parts["fork"]:
                self._set_status("fork", None)
            return
        if result.status in ("failed", "no-git"):
            self._set_status("fork", "fork not updated (offline?)" if result.status == "failed" else "fork: no git")
            self.notify(result.message, severity="warning", markup=False, timeout=10)
            return
        if result.status == "rewritten":
            self.notify(result.message, severity="warning", markup=False, timeout=10)
        if not result.changed:
            return
        self._fork_days.extend(d for d in forks.new_days(result) if d not in self._fork_days)
        root = str(result.follow.root)
        if root not in self.context.paths:
            self.context.paths.append(root)  # cloned on this start
        if result.status == "cloned":
            self.notify(result.message, markup=False, timeout=6)
        self._set_status("load", "reading the new days…")
        self._reloading = self.library is not None
        self.load(reload=self._reloading)

    # --- the search index --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", description="build the search index")
    def build_index(self, library: Library, partial: bool = False) -> None:
        # An unwritable cache dir: the index falls back to a temporary one and says so.
        cache_dir = self.context.cache_dir or app_paths.cache_dir()
        try:
            from tui_reader.core.index import SearchIndex

            with self._index_opening:  # the newest day's build and the whole one share the index
                index = self.building_index
                if index is None:
                    index = SearchIndex.open(library.key, cache_dir)
                    self.building_index = index  # so quitting can cancel before IndexReady arrives
                    # Searchable at once with what the index already holds.
                    self.post_message(IndexReady(index, None))
            # A second update (the whole library after its newest day) waits for the first.
            report = index.update(library, progress=lambda done, total: self.post_message(IndexProgress(done, total)))
        except Exception as error:  # never take the reader down with the index
            self.post_message(IndexReady(None, None, f"{type(error).__name__}: {error}"))
            return
        finally:
            if partial:
                self._newest_indexed.set()
        self.post_message(IndexReady(index, report, partial=partial))

    def on_index_progress(self, message: IndexProgress) -> None:
        if message.total:
            percent = int(100 * message.done / message.total)
            self._set_status("index", f"indexing {percent}%")

    def on_index_ready(self, message: IndexReady) -> None:
        if message.error:
            self._set_status("index", "search unavailable")
            self.notify(f"Search index failed: {message.error}", severity="error", markup=False)
            return
        first = self.index is None
        self.index = message.index
        if first:
            for notice in getattr(self.index, "notices", []):
                self.notify(notice, severity="warning", markup=False, timeout=8)
        if message.report is not None and getattr(message.report, "cancelled", False):
            return  # stopped on the way out; the next start indexes the rest
        if message.report is None or message.partial:
            if not self.index_ready:
                self._set_status("index", "indexing…")
        else:
            self.index_ready = True
            self._set_status("index", "read-only index" if getattr(self.index, "read_only", False) else None)
        self.discovery_index_changed()
        query = self._pending_search if self._pending_search is not None else (self.search_query if message.report else None)
        if query:
            self._pending_search = None
            self.start_search(query)
