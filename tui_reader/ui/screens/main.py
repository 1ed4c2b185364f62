"""The main screen: the go-between of the category tree, the paper list, the
search bar and the detail view.  Widgets post messages; this screen decides
what they show and runs the workers (loading, indexing, searching,
discovery).  What the list shows is :func:`tui_reader.core.listing.listing`
of ``self.state``; what the keys do is in :mod:`tui_reader.ui.actions`."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static
from textual.worker import Worker, get_current_worker

from tui_reader.core import paths as app_paths
from tui_reader.core.discovery import INTEREST, MUTE, Discovery, compute
from tui_reader.core.listing import Listing, ListState, SearchShown, Sources, listing, new_papers, node_papers
from tui_reader.core.loader import Library, LoadCancelled, load_library, read_library_head
from tui_reader.core.memory import long_lived
from tui_reader.core.model import Paper
from tui_reader.core.state import StateError, StateStore
from tui_reader.core.views import ALL, INTERESTS, LIKE_PREFIX, NEW, QUEUE, SAVED_PREFIX, SUGGESTED, LibraryView
from tui_reader.ui.actions import discover, forks, loop, marks, reading, share
from tui_reader.ui.actions.discover import RuleEditor
from tui_reader.ui.context import ReaderContext
from tui_reader.ui.messages import (
    DiscoveryReady,
    ForkFetched,
    HeadLoaded,
    IndexProgress,
    IndexReady,
    LibraryLoaded,
    LoadProgress,
    SearchDone,
    SignalsCounted,
    SimilarDone,
    SuggestedReady,
)
from tui_reader.ui.read_marks import ReadMarker
from tui_reader.ui.render import DetailState
from tui_reader.ui.widgets.category_tree import CategoryTree
from tui_reader.ui.widgets.detail import DetailView
from tui_reader.ui.widgets.paper_list import PaperList
from tui_reader.ui.widgets.search_bar import SearchBar
from tui_reader.ui.workers import report_failure

if TYPE_CHECKING:
    from tui_reader.core.index import SearchIndex, SearchResult

SEARCH_LIMIT = 2000  # results shown for one query; the count says "2000+" past it
SIMILAR_LIMIT = 50
SUGGESTED_LIMIT = 100
NEWEST_DAY_WAIT = 10.0  # seconds the load waits for the newest day's index at most
WIDE_FROM = 180  # columns from which list and detail sit side by side
NARROW_BELOW = 100  # columns below which the tree folds away (backslash brings it back)
_clock = time.monotonic  # the index status's seconds (tests move it)


def view_of(library: Library, store: StateStore | None = None) -> LibraryView:
    """The library's view with its day and category nodes counted (unread
    too): built in the load worker, so the event loop does not stall on
    40,000 papers."""
    view = LibraryView(library)
    view.tree()
    view.unread_counts(store.read_ids() if store is not None else frozenset())
    return view


SEARCH_BINDINGS = [
    Binding("ctrl+g", "toggle_scope", "Search here/everywhere", show=False, id="search.scope"),
    Binding("ctrl+y", "use_suggestion", "Did you mean…", show=False, id="search.suggestion"),
]


def node_label(key: str) -> str:
    """A tree node's key as the reader reads it (2026-06-22 / cs.CV)."""
    label = key.replace("day:", "").replace("/cat:", " / ").replace("cat:", "").replace("archive:", "")
    return label.replace("saved:", "saved search ").replace("like:", "like ")


class MainScreen(Screen[None]):
    BINDINGS = [*loop.BINDINGS, *reading.BINDINGS, *marks.BINDINGS, *discover.BINDINGS, *share.BINDINGS,
                *SEARCH_BINDINGS]

    def __init__(self, context: ReaderContext) -> None:
        super().__init__()
        self.context = context
        self.state = ListState()
        self.shown: Listing | None = None  # what listing() gave for self.state
        # Where Escape returns from search results, more like this and the
        # queue: the state and the paper the reader was on.
        self.back: list[tuple[ListState, str | None]] = []
        # "New since last time": papers first seen after this day.
        self.new_since: str | None = context.store.get_pref(loop.NEW_SINCE, None) if context.store else None
        # The library, loaded in two steps for a big changed one (see load).
        self.library: Library | None = None
        self.view: LibraryView | None = None
        self.partial = False  # showing the newest day's files while the rest loads
        self.index: SearchIndex | None = None
        self.building_index: SearchIndex | None = None  # the index whose update() is running
        self.index_ready = False
        self._index_opening = threading.Lock()
        self._newest_indexed = threading.Event()  # see _show_newest_day
        # What the index status shows: (phase, done, total, when the phase began).
        self._index_progress: tuple[str, int, int, float] | None = None
        self._index_ticker: Timer | None = None  # a 1 s timer: the status moves through every phase
        self._load_ticker: Timer | None = None  # the same for the load's phase after its last file
        # Search: the query typed, and its results once they come.  One
        # search at a time (see start_search): ``_searching`` from starting
        # one until its SearchDone is handled; the query typed meanwhile.
        self.search_query = ""
        self.search_result: SearchResult | None = None
        self._pending_search: str | None = None  # typed before the index opened
        self._searching = False
        self._next_search: tuple[str, bool] | None = None  # (text, as you type)
        self._search_generation = 0  # a newer search stops the one under way
        # A search started from a day, category or view is limited to it
        # (search_scope: its node key) until ctrl+g widens it to everything.
        self.search_scope: str | None = None
        self._scope_ids: frozenset[str] | None = None
        self._scope_widened = False
        # Discovery, computed in workers.
        self.discovery = Discovery()
        self.discovery_ready = False
        self.suggested_ids: list[str] | None = None
        self.similar: tuple[str, list[str]] | None = None
        self._saved_timer: Timer | None = None
        self._suggest_timer: Timer | None = None
        self._bookmark_count = -1
        # Reading.
        self.mode = "summary"
        self.language = context.config.settings.language
        self.reading = ReadMarker(self, context.mark_read, context.mark_read_after)
        self._detail_timer: Timer | None = None
        self._status_parts: dict[str, str] = {}
        self._status_line = ""
        self._restore: dict = {}
        self.split = ""  # one of reading.SPLITS (=)
        self.authors_open: str | None = None  # the paper whose authors are unfolded (A)
        # Followed forks (ui.actions.forks): reading the library again, new days seen.
        self.reloading = False
        self.fork_days: list[str] = []
        self.selected: dict[str, None] = {}  # paper ids selected (space, V), in the order chosen

    # --- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield CategoryTree(id="tree")
            with Container(id="right"):
                with Vertical(id="list-pane"):
                    yield SearchBar(id="search")
                    yield Static("", id="list-header")
                    yield PaperList(id="papers")
                    yield Static("", id="list-note")
                yield DetailView(id="detail")
        yield Static("", id="status")
        yield Footer()

    @property
    def tree(self) -> CategoryTree:
        return self.query_one(CategoryTree)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> DetailView:
        return self.query_one(DetailView)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def store(self) -> StateStore | None:
        return self.context.store

    @property
    def node_key(self) -> str:
        return self.state.node

    @property
    def sort(self) -> str:
        return self.state.sort

    def on_mount(self) -> None:
        self.rules = RuleEditor(self.app, self.store, self._rules_changed)
        self.paper_list.empty_text = "Loading the library…"
        self.paper_list.focus()
        self._set_status("load", "loading the library…")
        self._apply_layout(self.size.width, self.size.height)
        reading.restore_view(self)
        self.load()
        forks.start(self)
        for problem in share.bind_user_commands(self, self.context.config.settings.commands):
            self.notify(problem, severity="warning", markup=False, timeout=8)

    def on_resize(self, event) -> None:
        self._apply_layout(event.size.width, event.size.height)

    def _apply_layout(self, width: int, height: int) -> None:
        narrow = width < NARROW_BELOW
        self.set_class(width >= WIDE_FROM, "-wide")
        if narrow != self.has_class("-narrow"):
            # The tree folds away on narrow terminals; backslash brings it back.
            self.set_class(narrow, "-narrow")
            self.set_class(narrow, "-tree-hidden")
            if narrow and self.tree.has_focus:
                self.paper_list.focus()

    # --- keys: each in its module ------------------------------------------------

    def action_search(self) -> None:
        search = self.search_bar.input
        search.focus()
        search.cursor_position = len(search.value)  # on a query: refine it

    def action_triage(self) -> None:
        loop.triage(self)

    def action_later(self) -> None:
        loop.later(self)

    def action_toggle_repeats(self) -> None:
        loop.toggle_repeats(self)

    def action_open_code(self) -> None:
        loop.open_code(self)

    def action_jump(self) -> None:
        loop.jump(self)

    def action_step_paper(self, step: int) -> None:
        loop.step_paper(self, step)

    def action_back(self) -> None:
        loop.back(self)

    def action_cycle_focus(self, step: int) -> None:
        loop.cycle_focus(self, step)

    def action_toggle_abstract(self) -> None:
        reading.toggle_abstract(self)

    def action_next_language(self) -> None:
        reading.next_language(self)

    def action_random(self) -> None:
        reading.random_paper(self)

    def action_cycle_sort(self) -> None:
        reading.cycle_sort(self)

    def action_open_link(self, which: str) -> None:
        reading.open_link(self, which)

    def action_copy_link(self) -> None:
        reading.copy_link(self)

    def action_copy_bibtex(self) -> None:
        reading.copy_bibtex(self)

    def action_problems(self) -> None:
        reading.problems(self)

    def action_toggle_tree(self) -> None:
        reading.toggle_tree(self)

    def action_cycle_split(self) -> None:
        reading.cycle_split(self)

    def action_zoom(self) -> None:
        reading.zoom(self)

    def action_toggle_authors(self) -> None:
        reading.toggle_authors(self)

    def action_toggle_bookmark(self) -> None:
        marks.toggle_bookmark(self)

    def action_edit_tags(self) -> None:
        marks.edit_tags(self)

    def action_edit_note(self) -> None:
        marks.edit_note(self)

    def action_toggle_read(self) -> None:
        marks.toggle_read(self)

    def action_next_unread(self) -> None:
        marks.next_unread(self)

    def action_mark_all_read(self) -> None:
        marks.mark_all_read(self)

    def action_undo(self) -> None:
        marks.undo(self)

    def action_more_like(self) -> None:
        discover.more_like(self)

    def action_discovery(self) -> None:
        discover.open_dialog(self)

    def action_add_interest(self) -> None:
        discover.add_interest(self)

    def action_add_mute(self) -> None:
        discover.add_mute(self)

    def action_toggle_muted(self) -> None:
        discover.toggle_muted(self)

    def action_save_search(self) -> None:
        discover.save_search(self)

    def action_saved_search(self, number: int) -> None:
        discover.saved_search(self, number)

    def action_trends(self) -> None:
        discover.trends(self)

    def action_toggle_select(self) -> None:
        share.toggle_select(self)

    def action_select_all(self) -> None:
        share.select_all(self)

    def action_export(self) -> None:
        share.export(self)

    def action_digest(self) -> None:
        share.digest(self)

    def action_user_command(self, index: int) -> None:
        share.run_user_command(self, self.context.config.settings.commands[index])

    def action_day(self, step: int) -> None:
        """``[`` / ``]``: the previous / next day (the same category of it on
        a category of a day).  From a node that is not a day, go to the day
        of the highlighted paper first."""
        view = self.view
        if view is None or not view.days:
            return
        key = self.state.node
        if view.day_of(key) and self.state.search is None:
            target = view.neighbour_day(key, step)
            _, _, rest = key.partition("/")
            if target is not None and rest:
                # The same category on that day, when the day has it.
                candidate = f"{target}/{rest}"
                target = candidate if view.by_day_category.get((target[4:], rest[4:])) else target
        else:
            paper = self.paper_list.current
            day = paper.latest_date if paper is not None and paper.latest_date else view.days[0]
            target = f"day:{day}"
            if key.startswith("cat:") and self.state.search is None and view.by_day_category.get((day, key[4:])):
                target = f"day:{day}/{key}"  # a category stays a category: on the paper's day
        if target is None:
            self.notify("No more days that way.", timeout=2)
            return
        self.go_to(target, focus=False)

    # --- status line --------------------------------------------------------------

    def _set_status(self, key: str, text: str | None) -> None:
        if text:
            self._status_parts[key] = text
        else:
            self._status_parts.pop(key, None)
        order = ("load", "library", "node", "selection", "index", "search", "fork", "problems", "store")
        line = "  ·  ".join(self._status_parts[k] for k in order if k in self._status_parts)
        if line != self._status_line:
            self._status_line = line
            # One row whatever it says: no layout pass (a layout pass repaints
            # every pane, which made each keystroke of a search cost 100+ ms).
            self.query_one("#status", Static).update(Text(line), layout=False)

    # --- what the list shows ---------------------------------------------------------

    def sources(self) -> Sources:
        view = self.view
        assert view is not None
        store = self.store
        if store is None:
            return Sources(view, new_since=self.new_since, discovery=self.discovery,
                           discovery_ready=self.discovery_ready, suggested=self.suggested_ids, similar=self.similar)

        def kept_elsewhere(tag: str | None) -> list[Paper]:
            return [b.snapshot.to_paper() for b in store.bookmarks(tag) if b.id not in view.by_id]

        return Sources(
            view,
            read=store.read_ids(),
            bookmarked=store.bookmarked_ids(),
            tagged=store.tagged_ids,
            kept_elsewhere=kept_elsewhere,
            queue=store.queue_ids(),
            new_since=self.new_since,
            discovery=self.discovery,
            discovery_ready=self.discovery_ready,
            suggested=self.suggested_ids,
            similar=self.similar,
        )

    def show(self, state: ListState | None = None, keep: str | None = None, keep_current: bool = True) -> None:
        """Show ``state`` (the current one again when None), keeping the
        cursor on ``keep``, else on the paper it is on (``keep_current``)."""
        if state is not None:
            self.state = state
        if self.view is None:
            return
        if keep is None and keep_current:
            current = self.paper_list.current
            keep = current.id if current is not None else None
        shown = listing(self.state, self.sources())
        self.shown = shown
        spans = self._spans_function() if self.state.search is not None else None
        self.paper_list.set_papers(shown.papers, keep=keep, title_spans=spans, empty_text=shown.empty_text,
                                   day=shown.day)
        self._show_list_note(shown)
        self._show_header()
        if self.state.search is None:
            self._set_status("node", f"{shown.label}: {len(shown.papers)}")

    def show_node(self, key: str, keep: str | None = None) -> None:
        """Show a node's papers (leaving any search shown), the cursor on
        ``keep`` when it is there, else on the first."""
        self.show(self.state.with_(node=key, search=None), keep=keep, keep_current=False)

    def redisplay(self) -> None:
        """Show the same again (rules, marks or discovery changed), keeping
        the cursor's paper, or the last session's when nothing is shown yet."""
        current = self.paper_list.current
        self.show(keep=current.id if current else self._restore.get("paper"))

    def go_to(self, key: str, focus: bool = True) -> None:
        """Leave any search and show node ``key``, selected in the tree."""
        if key == QUEUE:
            loop.remember(self)
        if self.search_query:
            self._leave_search(redisplay=False)
        self.tree.select_key(key)
        self.show_node(key)
        if focus:
            self.paper_list.focus()

    def _binding_keys(self, binding_id: str) -> str:
        for _key, binding in self._bindings:
            if binding.id == binding_id:
                return self.app.get_key_display(binding)
        return "?"

    def _show_header(self) -> None:
        """The line above the list: what it shows and where the cursor is (``37/301``)."""
        shown = self.shown
        if shown is None:
            return
        papers = self.paper_list.papers
        text = Text(shown.label, style="bold")
        if papers:
            text.append(f"  {self.paper_list.cursor + 1}/{len(papers)}")
        if shown.repeats and not shown.repeat_of:
            keys = self._binding_keys("loop.repeats")
            what = "hidden" if self.state.hide_repeats else "marked “seen”"
            text.append(f"  · {shown.repeats} repeats of earlier days {what} ({keys})", style="dim")
        self.query_one("#list-header", Static).update(text, layout=False)

    def _show_list_note(self, shown: Listing) -> None:
        note = self.query_one("#list-note", Static)
        parts = []
        if shown.repeat_of:
            parts.append(f"Nothing new on {shown.day}: every paper was in {shown.repeat_of}'s digest already "
                         "(arXiv announces nothing at weekends and on holidays)")
        count = shown.muted
        if count:
            keys = self._binding_keys("discover.reveal")
            papers = "paper" if count == 1 else "papers"
            if self.state.show_muted:
                parts.append(f"{count} muted {papers} shown (⊘) · {keys} hides them")
            else:
                parts.append(f"{count} {papers} hidden by mute rules · {keys} shows them")
        if not parts:
            note.set_class(False, "-shown")
            return
        text = " · ".join(parts)
        note.update(Text(text), layout=not note.has_class("-shown"))  # one row: no layout pass once shown
        note.set_class(True, "-shown")

    # --- the tree and the marks ------------------------------------------------------

    def refresh_marks(self) -> None:
        if self.store is None:
            return
        self.paper_list.set_marks(set(self.store.bookmarked_ids()), set(self.store.read_ids()))

    def rebuild_tree(self, select: str | None = None) -> None:
        view = self.view
        if view is None:
            return
        specs = self._tree_specs()
        read = self.store.read_ids() if self.store is not None else frozenset()
        unread = dict(view.unread_counts(read))
        unread[NEW] = sum(1 for p in new_papers(view, self.new_since) if p.id not in read)
        if self.tree.update_counts(specs):
            self.tree.set_unread(unread)
        else:
            self.tree.unread = unread
            self.tree.load(specs, select=select or self.state.node)
        self.refresh_marks()

    def _tree_specs(self):
        view = self.view
        assert view is not None
        store = self.store
        if store is None:
            return view.tree()
        read = store.read_ids()
        unread = sum(1 for p in view.papers if p.id not in read)
        found = self.discovery
        # The store's list, not the last matches': a saved search is in the
        # tree (count unknown) before its first results, so a session can return to it.
        saved = [(s.name, len(found.saved[s.name]) if s.name in found.saved else None)
                 for s in store.saved_searches()]
        suggested = None
        if self.suggested_ids is not None:
            suggested = sum(1 for pid in self.suggested_ids if pid not in read and pid in view.by_id)
        return view.tree(bookmark_tags=store.tags(), bookmark_count=len(store.bookmarked_ids()), unread_count=unread,
                         interests_count=len(found.matched) if self.discovery_ready else None,
                         suggested_count=suggested, saved=saved, discovery=True,
                         new_count=len(new_papers(view, self.new_since)), queue_count=len(store.queue_ids()))

    def after_state_change(self, redraw_detail: bool = True) -> None:
        loop.check_new_done(self)
        if self.view is not None:
            self.rebuild_tree()
        if redraw_detail:
            self.show_detail(keep_scroll=True)
        self._discovery_state_changed()

    # --- the session ---------------------------------------------------------------------

    def _load_session(self) -> dict:
        store = self.store
        if store is None or self.library is None:
            return {}
        try:
            session = store.load_session() or {}
        except StateError:
            return {}
        if session.get("library") != self.library.key:
            return {"language": session.get("language")} if session.get("language") else {}
        if session.get("language") and not self.context.config.settings.language:
            self.language = session["language"]
        return session

    def save_session(self) -> None:
        store = self.store
        if store is None or self.library is None or store.read_only:
            return
        current = self.paper_list.current
        try:
            store.save_session({
                "library": self.library.key,
                "node": self.state.node,
                "paper": current.id if current else None,
                "search": self.search_query,
                "language": self.language,
            })
        except StateError:
            pass

    # --- widgets' messages ----------------------------------------------------------------

    @on(CategoryTree.Chosen)
    def on_tree_chosen(self, message: CategoryTree.Chosen) -> None:
        if message.key == QUEUE:
            loop.remember(self)
        if self.search_query:
            self._leave_search(redisplay=False)
        if message.key != self.state.node or self.state.search is not None:
            self.show_node(message.key)
        if message.open:
            self.paper_list.focus()

    @on(PaperList.Highlighted)
    def on_paper_highlighted(self, message: PaperList.Highlighted) -> None:
        self.reading.highlighted(message.paper, message.moved)
        self._show_header()
        if self._detail_timer is not None:
            self._detail_timer.stop()
        # Coalesce fast cursor moves: the list repaints now, the detail a moment later.
        self._detail_timer = self.set_timer(0.02, self.show_detail)

    @on(PaperList.RowsChanged)
    def on_rows_changed(self, message: PaperList.RowsChanged) -> None:
        reading.save_pref(self, "rows", message.lines)

    @on(PaperList.Opened)
    def on_paper_opened(self, message: PaperList.Opened) -> None:
        self.show_detail()
        self.detail.focus()

    def on_descendant_focus(self, event) -> None:
        if event.widget is self.detail:
            self.reading.opened(self.paper_list.current)

    def detail_state(self, paper: Paper) -> DetailState:
        state = DetailState(mode=self.mode, language=self.language, all_authors=self.authors_open == paper.id)
        if self.search_result is not None and self.search_query:
            state.spans = self._spans_function()
        store = self.store
        if store is not None:
            state.read = store.is_read(paper.id)
            bookmark = store.bookmark(paper.id)
            state.bookmarked = bookmark is not None
            if bookmark is not None:
                state.tags = list(bookmark.tags)
                state.note = bookmark.note
        if paper.id in self.discovery.matched:
            state.interests = self.discovery.reason(paper)
        if paper.id in self.discovery.muted:
            state.muted = ", ".join(rule.label for rule in self.discovery.muted[paper.id])
        return state

    def show_detail(self, keep_scroll: bool = False) -> None:
        paper = self.paper_list.current
        self.detail.show(paper, self.detail_state(paper) if paper else DetailState(), keep_scroll=keep_scroll)

    # --- search ---------------------------------------------------------------------------

    @on(SearchBar.Changed)
    def on_search_changed(self, message: SearchBar.Changed) -> None:
        query = message.query.strip()
        if not query:
            self._leave_search()
            return
        if not self.search_query:
            loop.remember(self)
            self._set_scope()
        self.search_query = query
        if self.index is None:
            self._pending_search = query
            self.search_bar.show_message("the search index is opening; results follow in a moment")
            return
        # The text as typed: a space after the last word makes it a word.
        self.start_search(message.query)

    def start_search(self, query: str, typing: bool = True) -> None:
        """Search for ``query`` now, or as soon as the search under way is
        done: one search at a time, and only the newest waiting query runs
        next (keys faster than searches skip the words in between; the
        search under way is told to stop).  Each key searches, with no pause
        to wait for the next: the last key's results come one search after
        it.  ``typing``: the last word may still grow (as you type); after
        Enter it is a word, ranked as the command line ranks it."""
        self._search_generation += 1
        if self._searching:
            self._next_search = (query, typing)
            return
        self._searching = True
        self.run_search(query, typing, self._search_generation, self._scope_ids)

    @on(SearchBar.Submitted)
    def on_search_submitted(self, message: SearchBar.Submitted) -> None:
        query = message.query.strip()
        if query and self.index is not None and query == self.search_query:
            self.start_search(query, typing=False)
        self.paper_list.focus()

    def _set_scope(self) -> None:
        """Limit the search to the node shown (anything but All papers),
        unless the reader widened it."""
        key = self.state.node
        if key == ALL or self.view is None or self._scope_widened:
            self.search_scope = None if key == ALL or self.view is None else key
            self._scope_ids = None
            return
        self.search_scope = key
        self._scope_ids = frozenset(p.id for p in node_papers(key, self.sources()))

    def action_toggle_scope(self) -> None:
        """ctrl+g: a search limited to a day, category or view searches
        everything, and back."""
        if not self.search_query or self.search_scope is None:
            self.app.bell()
            return
        self._scope_widened = not self._scope_widened
        self._set_scope()
        self.start_search(self.search_bar.value or self.search_query, typing=False)

    def action_use_suggestion(self) -> None:
        """ctrl+y: search for the "did you mean" suggestion."""
        suggestion = getattr(self.search_result, "suggestion", None)
        if not suggestion:
            self.app.bell()
            return
        self.search_bar.set_value(suggestion)
        self.search_query = suggestion
        self.start_search(suggestion, typing=False)

    @on(SearchBar.Cleared)
    def on_search_cleared(self, message: SearchBar.Cleared) -> None:
        """Escape in the search box: back to where the reader was."""
        if self.state.search is not None or self.search_query:
            loop.back(self)
        self.paper_list.focus()

    def _leave_search(self, redisplay: bool = True) -> None:
        had = self.state.search is not None or bool(self.search_query)
        self.search_query = ""
        self.search_result = None
        self._pending_search = None
        self._next_search = None
        self._search_generation += 1
        self.search_scope = None
        self._scope_ids = None
        self._scope_widened = False
        self._set_status("search", None)
        self.search_bar.show_message(None)
        if self.search_bar.value:
            self.search_bar.set_value("")
        sort = "date" if self.state.sort == "relevance" else self.state.sort
        self.state = self.state.with_(search=None, sort=sort)
        if had and redisplay:
            self.show()

    def on_search_done(self, message: SearchDone) -> None:
        self._searching = False
        waiting, self._next_search = self._next_search, None
        if waiting is not None and waiting[0].strip() == self.search_query:
            self.start_search(*waiting)
        if message.query.strip() != self.search_query or self.view is None:
            return  # a newer query is on its way
        result = message.result
        if isinstance(result, Exception):
            self.search_bar.show_message(f"search failed: {result}", error=True)
            return
        if getattr(result, "cancelled", False):
            return  # stopped for a newer search
        if result.error:
            self.search_bar.show_message(result.error, error=True)
            return
        if result.ids is None:
            self._leave_search()
            return
        self.search_result = result
        sort = "relevance" if self.state.sort == "date" else self.state.sort
        # New results start at the best match; only a search restored from
        # the last session goes back to the paper the reader was on.
        keep = self._restore.pop("paper", None) if self._restore.get("search") == message.query.strip() else None
        self.show(self.state.with_(search=SearchShown(message.query.strip(), tuple(result.ids)), sort=sort),
                  keep=keep, keep_current=False)
        shown = len(self.paper_list.papers)
        count = f"{shown}+" if len(result.ids) >= SEARCH_LIMIT else str(shown)
        note = "" if self.index_ready else " (index still building)"
        noun = "result" if count == "1" else "results"
        parts = [f"{count} {noun} in {message.seconds * 1000:.0f} ms{note}"]
        if self.search_scope is not None:
            label = node_label(self.search_scope)
            if self._scope_ids is not None:
                parts.append(f"only in {label} (ctrl+g: everywhere)")
            else:
                parts.append(f"everywhere (ctrl+g: only in {label})")
        if result.suggestion:
            parts.append(f"did you mean: {result.suggestion}? (ctrl+y)")
        parts.extend(result.notes)
        self.search_bar.show_message(" · ".join(parts))
        scope = " here" if self._scope_ids is not None else ""
        self._set_status("search", f"search{scope}: {count}")

    def _spans_function(self):
        result = self.search_result
        if result is None:
            return None
        from tui_reader.core.index import highlight

        terms = result.terms
        return lambda text: highlight(text, terms)

    # --- workers ------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this screen failed: a notice (ui.workers), and its
        part of the screen put right; the reader keeps running."""
        if not report_failure(self, event):
            return
        worker = event.worker
        error = worker.error
        if worker.group == "search":
            self._searching = False
            self.search_bar.show_message(f"search failed: {type(error).__name__}: {error}", error=True)
        elif worker.group == "load":
            self._stop_load_phase()
            self._set_status("load", "the library could not be read")
        elif worker.group == "index":
            self._set_status("index", "search unavailable")
        elif worker.group == "suggested" and self.suggested_ids is None:
            self.suggested_ids = []

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="reading the library")
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
                    progress=self._load_progress(),
                    head=None if reload else self._show_newest_day,
                    cancelled=lambda: worker.is_cancelled,
                    phase=lambda name: self.post_message(LoadProgress(0, 0, name)),
                )
            except LoadCancelled:
                return  # the reader is quitting
            view = view_of(library, self.store)
        self._refresh_snapshots(library)
        self.post_message(LibraryLoaded(library, time.perf_counter() - started, view))
        # After the library is shown: every comment read once (core.signals,
        # ~20 us a paper), for the With code / Accepted counts, badges, facets.
        if not worker.is_cancelled:
            view.count_signals()
            self.post_message(SignalsCounted(view))

    def on_signals_counted(self, message: SignalsCounted) -> None:
        if message.view is self.view:
            self.rebuild_tree()

    def on_fork_fetched(self, message: ForkFetched) -> None:
        forks.fetched(self, message)

    def _refresh_snapshots(self, library: Library) -> None:
        """In the load worker: bookmarks pick up new dates and summaries of
        their papers (a durable SQLite commit: 5-150 ms that the event loop
        does not wait for).  A store another process holds too long is a
        notice, shown with the library."""
        store = self.store
        if store is None or store.read_only:
            return
        try:
            store.refresh_snapshots(library.papers.values())
        except StateError as error:
            self.context.notices.append(f"Bookmarks were not refreshed from the library: {error}")

    def _show_newest_day(self, partial: Library) -> None:
        """In the load worker: hand the newest day over, and let it be
        indexed before merging the rest, which shares this process (at 40k
        papers the newest day became searchable in 9 s instead of 2)."""
        self.post_message(HeadLoaded([], partial, view_of(partial, self.store)))
        worker = get_current_worker()
        deadline = time.monotonic() + NEWEST_DAY_WAIT
        while not self._newest_indexed.wait(0.05):
            if worker.is_cancelled or time.monotonic() > deadline:
                break

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, description="building the search index")
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
            report = index.update(library, progress=lambda done, total: self.post_message(IndexProgress(done, total)),
                                  phase=lambda name: self.post_message(IndexProgress(-1, -1, name)))
        except Exception as error:  # noqa: BLE001 - never take the reader down with the index
            self.post_message(IndexReady(None, None, f"{type(error).__name__}: {error}"))
            return
        finally:
            if partial:
                self._newest_indexed.set()
        self.post_message(IndexReady(index, report, partial=partial))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="searching")
    def run_search(self, query: str, typing: bool = True, generation: int = 0,
                   within: frozenset[str] | None = None) -> None:
        """Only through start_search; a SearchDone always follows."""
        index = self.index
        started = time.perf_counter()
        try:
            if index is None:
                raise RuntimeError("the search index is not open")
            result = index.search(query, as_you_type=typing, limit=SEARCH_LIMIT, state=self.store, within=within,
                                  cancelled=lambda: self._search_generation != generation)
        except Exception as error:  # noqa: BLE001 - the index promises not to raise; belt and braces
            self.post_message(SearchDone(query, error, time.perf_counter() - started))
            return
        self.post_message(SearchDone(query, result, time.perf_counter() - started))

    @work(thread=True, exclusive=True, group="discovery", exit_on_error=False, description="matching interests")
    def refresh_discovery(self) -> None:
        """One index query per interest, mute rule and saved search."""
        store, index = self.store, self.index
        if store is None or index is None:
            return
        found = compute(index, store.rules(INTEREST), store.rules(MUTE), store.saved_searches(), state=store)
        self.post_message(DiscoveryReady(found))

    @work(thread=True, exclusive=True, group="suggested", exit_on_error=False, description="ranking Suggested")
    def refresh_suggested(self) -> None:
        """Unread papers ranked by their likeness to the bookmarks."""
        from tui_reader.core.index.similar import suggest

        store, index, view = self.store, self.index, self.view
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
        if worker.is_cancelled:
            return
        self.post_message(SuggestedReady([pid for pid, _ in ranked], time.perf_counter() - started))

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False, description="more like this")
    def find_similar(self, paper: Paper) -> None:
        from tui_reader.core.index.similar import more_like

        started = time.perf_counter()
        ranked = more_like(self.index, paper, limit=SIMILAR_LIMIT)
        self.post_message(SimilarDone(paper.id, [pid for pid, _ in ranked], time.perf_counter() - started))

    # --- loading: results ---------------------------------------------------------------------

    def on_head_loaded(self, message: HeadLoaded) -> None:
        if self.library is not None and not self.partial:
            return  # the whole library is already here
        if message.library is None or message.view is None:
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

    def _load_progress(self):
        """The load's progress callback: a message at most every 0.1 s (a
        message per file, 70 a second, each a status repaint, kept keys
        waiting while a big library was read)."""
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = _clock()
            if done >= total or now - last >= 0.1:
                last = now
                self.post_message(LoadProgress(done, total))

        return progress

    def on_load_progress(self, message: LoadProgress) -> None:
        if message.phase is not None:
            # After the last file: the seconds move, so the status never stands still.
            self._stop_load_phase()
            since = _clock()

            def show() -> None:
                self._set_status("load", f"{message.phase} · {int(_clock() - since)} s")

            show()
            self._load_ticker = self.set_interval(1.0, show)
        elif message.total:
            self._set_status("load", f"reading {message.done}/{message.total} files…")

    def _stop_load_phase(self) -> None:
        if self._load_ticker is not None:
            self._load_ticker.stop()
            self._load_ticker = None

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self._stop_load_phase()
        if self.reloading and self.library is not None:
            self.reloading = False
            forks.reloaded(self, message)
            return
        self.reloading = False
        library = message.library
        browsed = self.partial and (self.state.node != ALL or self.paper_list.cursor > 0)
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
        node = self.state.node if browsed else (self._restore.get("node") or ALL)
        loop.first_use(self)
        if not browsed and not self.search_query:
            if loop.open_new_at_start(self):
                # What arrived since the reader was last used comes first.
                if node != NEW:
                    self._restore = {k: v for k, v in self._restore.items() if k not in ("paper", "search")}
                node = NEW
            elif node == NEW:
                node = ALL  # gone through: nothing new to open at
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
            if self.paper_list.papers and self.paper_list.cursor > 0 and self.paper_list.current is not None:
                keep = self.paper_list.current.id  # the reader already moved in the first screen
            self.show_node(node, keep=keep)
            query = self._restore.get("search") or ""
            if query:
                self.search_bar.set_value(query)
                self.search_query = query
                self._pending_search = query
        self.build_index(library)

    def on_index_progress(self, message: IndexProgress) -> None:
        now = _clock()
        phase, done, total, since = self._index_progress or ("indexing", 0, 0, now)
        if message.phase is not None:
            phase, since = message.phase, now
        else:
            if message.done == 0:  # an update begins (the whole library after its newest day)
                phase, since = "indexing", now
            done, total = message.done, message.total
        self._index_progress = (phase, done, total, since)
        if self._index_ticker is None:
            self._index_ticker = self.set_interval(1.0, self._show_index_progress)
        self._show_index_progress()

    def _show_index_progress(self) -> None:
        """The index status: the phase, its counts where it has some, and
        the seconds it has taken so far, so that no phase (a long final
        flush of the index files) shows a figure that stands still."""
        if self._index_progress is None:
            return
        phase, done, total, since = self._index_progress
        seconds = f"{int(_clock() - since)} s"
        if phase == "indexing" and total:
            text = f"indexing {done:,}/{total:,} papers · {seconds}"
        elif phase == "newest day":
            text = f"indexing the newest day · {seconds}"
        else:
            text = f"indexing: {phase} · {seconds}"
        self._set_status("index", text)

    def _stop_index_progress(self) -> None:
        if self._index_ticker is not None:
            self._index_ticker.stop()
            self._index_ticker = None
        self._index_progress = None

    def on_index_ready(self, message: IndexReady) -> None:
        if message.error or message.index is None:
            self._stop_index_progress()
            self._set_status("index", "search unavailable")
            self.notify(f"Search index failed: {message.error}", severity="error", markup=False)
            return
        first = self.index is None
        self.index = message.index
        if first:
            for notice in self.index.notices:
                self.notify(notice, severity="warning", markup=False, timeout=8)
        report = message.report
        if report is not None and report.cancelled:
            self._stop_index_progress()
            return  # stopped on the way out; the next start indexes the rest
        if report is not None and report.error:  # a full disk: what was committed stays searchable
            self.notify(report.error, severity="warning", markup=False, timeout=10)
        if report is None or message.partial:
            if message.partial:
                self._stop_index_progress()  # the rest waits for the library (its own status moves)
            if not self.index_ready and self._index_progress is None:
                self._set_status("index", "indexing…")
        else:
            self.index_ready = True
            self._stop_index_progress()
            self._set_status("index", "read-only index" if self.index.read_only else None)
        self.refresh_discovery()
        self.refresh_suggested()
        query = self._pending_search if self._pending_search is not None else (self.search_query if report else None)
        if query:
            self._pending_search = None
            self.start_search(query)

    # --- discovery: results ---------------------------------------------------------------------

    def _rules_changed(self) -> None:
        self.refresh_discovery()

    def _discovery_state_changed(self) -> None:
        """Bookmarks or read marks changed: refresh Suggested when bookmarks
        did, and saved searches that filter on reading state, a moment later
        (a run of keys costs one refresh)."""
        if self.store is None or self.index is None:
            return
        count = len(self.store.bookmarked_ids())
        if count != self._bookmark_count:
            self._bookmark_count = count
            if self._suggest_timer is not None:
                self._suggest_timer.stop()
            self._suggest_timer = self.set_timer(0.6, self.refresh_suggested)
        if any(word in s.query for s in self.discovery.saved_searches for word in ("is:", "tag:")):
            if self._saved_timer is not None:
                self._saved_timer.stop()
            self._saved_timer = self.set_timer(1.0, self.refresh_discovery)

    def on_discovery_ready(self, message: DiscoveryReady) -> None:
        from tui_reader.ui.screens.interests import DiscoveryScreen

        old = self.discovery
        found = message.discovery
        self.discovery = found
        self.discovery_ready = True
        self.paper_list.set_discovery(found.matched, found.muted, found.reason)
        for label, error in found.errors.items():
            if old.errors.get(label) != error:  # said once is enough
                self.notify(f"{label}: {error}", severity="warning", markup=False, timeout=5)
        self.rebuild_tree()
        changed = old.muted.keys() != found.muted.keys() or old.matched.keys() != found.matched.keys()
        if self.view is not None and (changed or self.state.node.startswith(SAVED_PREFIX)
                                      or self.state.node == INTERESTS):
            self.redisplay()
        screen = self.app.screen
        if isinstance(screen, DiscoveryScreen):
            screen.show_matches(found)

    def on_suggested_ready(self, message: SuggestedReady) -> None:
        self.suggested_ids = message.ids
        self.rebuild_tree()
        if self.state.node == SUGGESTED:
            self.redisplay()

    def on_similar_done(self, message: SimilarDone) -> None:
        self.similar = (message.paper_id, message.ids)
        loop.remember(self)
        if self.search_query:
            self._leave_search(redisplay=False)
        self.show_node(LIKE_PREFIX + message.paper_id)
        self.paper_list.focus()
        self.notify(f"{len(message.ids)} papers like {message.paper_id} ({message.seconds * 1000:.0f} ms)",
                    markup=False, timeout=3)
