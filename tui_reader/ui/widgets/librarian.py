"""The librarian: an invisible widget that owns the library session and
runs the background work on it in thread workers — reading the library,
building the index, matching interests, ranking Suggested, more like
this, fetching followed forks.  Each posts a typed message
(:mod:`tui_reader.ui.messages`) that bubbles up to the screen; a failure
is a notice (:mod:`tui_reader.ui.workers`) and a :class:`WorkFailed`.
No key waits on any of it."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from textual import work
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from tui_reader.core import paths as app_paths
from tui_reader.core.discovery import INTEREST, MUTE, compute
from tui_reader.core.loader import Library, LoadCancelled, load_library, read_library_head
from tui_reader.core.memory import long_lived
from tui_reader.core.pace import NEVER
from tui_reader.core.session import LibrarySession
from tui_reader.core.state import StateError
from tui_reader.core.views import LibraryView
from tui_reader.ui.messages import (
    DiscoveryReady,
    Explained,
    ForkFetched,
    HeadLoaded,
    IndexProgress,
    IndexReady,
    LibraryLoaded,
    LoadProgress,
    PicksRead,
    RankingReady,
    SignalsCounted,
    SimilarDone,
    SuggestedReady,
    SyncDone,
    WorkFailed,
)
from tui_reader.ui.workers import report_failure

if TYPE_CHECKING:
    from tui_reader.core.model import Paper
    from tui_reader.core.state import StateStore
    from tui_reader.ui.context import ReaderContext

FOR_YOU_DAYS = 3  # the For you node: the best papers of this many newest days
FOR_YOU_LIMIT = 60
REASONS_FOR = 300  # papers, best first, whose reasons are worked out with their scores
SIMILAR_LIMIT = 50
SUGGESTED_LIMIT = 100
NEWEST_DAY_WAIT = 10.0  # seconds the load waits for the newest day's index at most
PROGRESS_EVERY = 0.1  # seconds between two load progress messages at the most


def view_of(library: Library, store: StateStore | None = None) -> LibraryView:
    """The library's view with its day and category nodes counted (unread
    too): built in the load worker, so the event loop does not stall on
    40,000 papers."""
    view = LibraryView(library)
    view.tree()
    view.unread_counts(store.read_ids() if store is not None else frozenset())
    return view


class Librarian(Widget):
    DEFAULT_CSS = "Librarian { display: none; }"

    def __init__(self, context: ReaderContext, *, clock=time.monotonic) -> None:
        super().__init__(id="librarian")
        self.context = context
        self.session = LibrarySession()
        self.clock = clock
        # Public "idle" events (tests and scripts await them instead of polling):
        # the whole library is on screen; the index is built and searchable.
        self.library_shown = asyncio.Event()
        self.index_built = asyncio.Event()

    @property
    def store(self) -> StateStore | None:
        return self.context.store

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event):
            self.post_message(WorkFailed(event.worker.group, event.worker.error))

    # --- the library ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="reading the library")
    def load(self, reload: bool = False) -> None:
        started = time.perf_counter()
        if not reload:
            head = read_library_head(self.context.paths, self.context.cache_dir)
            if head:
                self.post_message(HeadLoaded(head))
        worker = get_current_worker()
        with long_lived():  # no garbage collection pauses while the library is built (see core.memory)
            try:
                library = load_library(self.context.paths, self.context.cache_dir, progress=self._load_progress(),
                                       head=None if reload else self._show_newest_day,
                                       cancelled=lambda: worker.is_cancelled,
                                       phase=lambda name: self.post_message(LoadProgress(0, 0, name)))
            except LoadCancelled:
                return  # the reader is quitting
            view = view_of(library, self.store)
        self._refresh_snapshots(library)
        self.post_message(LibraryLoaded(library, time.perf_counter() - started, view))
        # After the library is shown: every comment read once (core.signals,
        # ~20 us a paper), for the With code / Accepted counts, badges, facets.
        if not worker.is_cancelled:
            pace = getattr(self.app, "pace", NEVER)
            if view.count_signals(give_way=lambda: pace.give_way(cancelled=lambda: worker.is_cancelled)):
                self.post_message(SignalsCounted(view))

    def _load_progress(self):
        """A message at most every 0.1 s (one a file, 70 a second, each a
        status repaint, kept keys waiting while a big library was read)."""
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = self.clock()
            if done >= total or now - last >= PROGRESS_EVERY:
                last = now
                self.post_message(LoadProgress(done, total))

        return progress

    def _refresh_snapshots(self, library: Library) -> None:
        """Bookmarks pick up new dates and summaries of their papers (a
        durable SQLite commit the event loop does not wait for)."""
        store = self.store
        if store is None or store.read_only:
            return
        try:
            store.refresh_snapshots(library.papers.values())
        except StateError as error:
            self.context.notices.append(f"Bookmarks were not refreshed from the library: {error}")

    def _show_newest_day(self, partial: Library) -> None:
        """Hand the newest day over, and let it be indexed before merging the
        rest, which shares this process (at 40k papers the newest day became
        searchable in 9 s instead of 2)."""
        self.post_message(HeadLoaded([], partial, view_of(partial, self.store)))
        worker = get_current_worker()
        deadline = time.monotonic() + NEWEST_DAY_WAIT
        while not self.session.newest_indexed.wait(0.05):
            if worker.is_cancelled or time.monotonic() > deadline:
                break

    # --- the index --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, description="building the search index")
    def build_index(self, library: Library, partial: bool = False) -> None:
        session = self.session
        # An unwritable cache dir: the index falls back to a temporary one and says so.
        cache_dir = self.context.cache_dir or app_paths.cache_dir()
        try:
            from tui_reader.core.index import SearchIndex

            with session.index_opening:  # the newest day's build and the whole one share the index
                index = session.building_index
                if index is None:
                    index = SearchIndex.open(library.key, cache_dir)
                    session.building_index = index  # so quitting can cancel before IndexReady arrives
                    self.post_message(IndexReady(index, None))  # searchable at once with what it holds
            # A second update (the whole library after its newest day) waits for the first.
            report = index.update(library, progress=lambda done, total: self.post_message(IndexProgress(done, total)),
                                  phase=lambda name: self.post_message(IndexProgress(-1, -1, name)))
        except Exception as error:  # noqa: BLE001 - never take the reader down with the index
            self.post_message(IndexReady(None, None, f"{type(error).__name__}: {error}"))
            return
        finally:
            if partial:
                session.newest_indexed.set()
        self.post_message(IndexReady(index, report, partial=partial))

    # --- discovery ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="discovery", exit_on_error=False, description="matching interests")
    def refresh_discovery(self) -> None:
        """One index query per interest, mute rule and saved search."""
        store, index = self.store, self.session.index
        if store is None or index is None:
            return
        found = compute(index, store.rules(INTEREST), store.rules(MUTE), store.saved_searches(), state=store)
        self.post_message(DiscoveryReady(found))

    @work(thread=True, exclusive=True, group="suggested", exit_on_error=False, description="ranking Suggested")
    def refresh_suggested(self) -> None:
        """Unread papers ranked by their likeness to the bookmarks."""
        from tui_reader.core.index.similar import suggest

        store, index, view = self.store, self.session.index, self.session.view
        if store is None or index is None or view is None:
            return
        started = time.perf_counter()
        liked = [view.by_id.get(b.id) or b.snapshot.to_paper() for b in store.bookmarks()]
        if not liked:
            self.post_message(SuggestedReady([], time.perf_counter() - started))
            return
        read = store.read_ids()
        wanted = {p.id for p in view.papers if p.id not in read}
        worker = get_current_worker()
        ranked = suggest(index, liked, wanted, limit=SUGGESTED_LIMIT, cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.post_message(SuggestedReady([pid for pid, _ in ranked], time.perf_counter() - started))

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False, description="more like this")
    def find_similar(self, paper: Paper) -> None:
        from tui_reader.core.index.similar import more_like

        started = time.perf_counter()
        ranked = more_like(self.session.index, paper, limit=SIMILAR_LIMIT)
        self.post_message(SimilarDone(paper.id, [pid for pid, _ in ranked], time.perf_counter() - started))

    # --- followed forks ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="forks", exit_on_error=False, description="fetching the followed forks")
    def fetch_forks(self) -> None:
        """Each fork in turn (git with a timeout, never a prompt)."""
        from tui_reader.core import follow as forks

        worker = get_current_worker()
        for follow in list(self.context.follows):
            if worker.is_cancelled:
                return
            try:
                result = forks.update(follow)
            except Exception as error:  # noqa: BLE001 - a bug here must not take the reader down
                result = forks.FollowResult(follow, "failed", f"{follow.url}: {type(error).__name__}: {error}", [])
            self.post_message(ForkFetched(result))
        self.post_message(ForkFetched(None))

    # --- sync with the other devices ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False, description="syncing")
    def sync(self) -> None:
        """Sync the state store with the remembered remote (core.sync; git
        with timeouts, never a prompt; a sync already running is left alone)."""
        store = self.store
        if store is None:
            return
        from tui_reader.core.sync import sync_in_background

        self.post_message(SyncDone(sync_in_background(store)))

    @work(thread=True, exclusive=True, group="picks", exit_on_error=False, description="reading teammates' picks")
    def read_picks(self) -> None:
        """The picks of the followed shares (a teammate's `tui-reader share`)."""
        from tui_reader.core.picks import collect_picks

        folders = [follow.folder for follow in self.context.follows]
        if folders:
            self.post_message(PicksRead(collect_picks(folders)))

    # --- the learned ranking -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="rank", exit_on_error=False, description="ranking for you")
    def rank(self, extra: list[Paper] | None = None, model: object | None = None) -> None:
        """Train when the decisions changed (or load the saved model), then
        score the newest days and ``extra`` (a list shown sorted for you).
        With ``model``, score with it and train nothing."""
        from tui_reader.core import ranking

        store, lib = self.store, self.session
        if store is None or lib.library is None or lib.view is None:
            return
        started = time.perf_counter()
        status, trained = "", False
        if model is None:
            model, status, trained = ranking.ensure_model(store, lib.library, self.context.cache_dir)
        view = lib.view
        newest = [p for day in view.days[:FOR_YOU_DAYS] for p in view.by_day[day]]
        wanted = list({p.id: p for p in newest + list(extra or [])}.values())
        if model is None:
            cold = ranking.cold_start(store, wanted, lib.library)
            scores, reasons = dict(cold.scores), dict(cold.reasons)
        else:
            scores = model.score_map(wanted)
            best = sorted(wanted, key=lambda p: -scores.get(p.id, 0.0))[:REASONS_FOR]
            reasons = {p.id: model.why(p, n=3) for p in best}
        read = store.read_ids()
        ranked = sorted({p.id for p in newest}, key=lambda pid: -scores.get(pid, 0.0))
        for_you = [pid for pid in ranked if scores.get(pid, 0.0) > 0 and pid not in read][:FOR_YOU_LIMIT]
        self.post_message(RankingReady(model, status, trained, scores, reasons, for_you,
                                       time.perf_counter() - started))

    @work(thread=True, exclusive=True, group="explain", exit_on_error=False, description="why this paper")
    def explain(self, model: object, paper: Paper) -> None:
        """The reasons of one paper and the kept papers most like it."""
        why = model.why(paper, n=5)
        like = [title for _pid, title, _cosine in model.like_titles(paper, n=2)]
        self.post_message(Explained(paper.id, why, like))
