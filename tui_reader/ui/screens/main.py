"""The main screen: layout, bindings and message routing.  The category
tree, the paper list, the search bar and the detail view post messages;
the librarian (an invisible widget) runs the background work and posts
its results; this screen hands each to the action module that knows what
to do with it, on the :class:`~tui_reader.ui.panes.Panes` it builds.  State
lives in the parts (:mod:`tui_reader.core.session`); what the list shows
is :func:`tui_reader.core.listing.listing` of the reading position; what
the keys do is in :mod:`tui_reader.ui.actions`."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from tui_reader.core.model import Paper
from tui_reader.ui.actions import discover, forks, loading, loop, marks, ranking, reading, searching, share, sync
from tui_reader.ui.context import ReaderContext
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
    SearchDone,
    SignalsCounted,
    SimilarDone,
    SuggestedReady,
    SyncDone,
    WorkFailed,
)
from tui_reader.ui.panes import Panes
from tui_reader.ui.render import DetailState
from tui_reader.ui.widgets.category_tree import CategoryTree
from tui_reader.ui.widgets.detail import DetailView
from tui_reader.ui.widgets.key_footer import KeyFooter
from tui_reader.ui.widgets.librarian import Librarian
from tui_reader.ui.widgets.paper_list import PaperList
from tui_reader.ui.widgets.search_bar import SearchBar
from tui_reader.ui.widgets.status_line import StatusLine

WIDE_FROM = 180  # columns from which list and detail sit side by side
NARROW_BELOW = 100  # columns below which the tree folds away (backslash brings it back)

# Each key's action: the function of tui_reader.ui.actions it runs, with the
# screen's Panes and the binding's argument.
ROUTES: dict[str, Callable[..., None]] = {
    "triage": loop.triage, "later": loop.later, "toggle_repeats": loop.toggle_repeats, "open_code": loop.open_code,
    "jump": loop.jump, "step_paper": loop.step_paper, "back": loop.back, "cycle_focus": loop.cycle_focus,
    "search": reading.focus_search, "day": reading.day, "toggle_abstract": reading.toggle_abstract,
    "next_language": reading.next_language, "random": reading.random_paper, "cycle_sort": reading.cycle_sort,
    "open_link": reading.open_link, "copy_link": reading.copy_link, "copy_bibtex": reading.copy_bibtex,
    "problems": reading.problems, "toggle_tree": reading.toggle_tree, "cycle_split": reading.cycle_split,
    "zoom": reading.zoom, "toggle_authors": reading.toggle_authors,
    "toggle_bookmark": marks.toggle_bookmark, "edit_tags": marks.edit_tags, "edit_note": marks.edit_note,
    "toggle_read": marks.toggle_read, "next_unread": marks.next_unread, "mark_all_read": marks.mark_all_read,
    "undo": marks.undo,
    "more_like": discover.more_like, "discovery": discover.open_dialog, "add_interest": discover.add_interest,
    "add_mute": discover.add_mute, "toggle_muted": discover.toggle_muted, "save_search": discover.save_search,
    "saved_search": discover.saved_search, "trends": discover.trends,
    "toggle_select": share.toggle_select, "select_all": share.select_all, "export": share.export,
    "digest": share.digest, "user_command": share.run_user_command_number,
    "toggle_scope": searching.toggle_scope, "use_suggestion": searching.use_suggestion,
    "ranked_triage": ranking.ranked_triage,
}


class MainScreen(Screen[None]):
    BINDINGS = [*loop.BINDINGS, *ranking.BINDINGS, *reading.BINDINGS, *marks.BINDINGS, *discover.BINDINGS,
                *share.BINDINGS, *searching.BINDINGS]

    def __init__(self, context: ReaderContext) -> None:
        super().__init__()
        self.context = context
        self.panes: Panes  # built on mount, from the widgets composed

    def compose(self) -> ComposeResult:
        yield Librarian(self.context)
        with Horizontal(id="panes"):
            yield CategoryTree(id="tree")
            with Container(id="right"):
                with Vertical(id="list-pane"):
                    yield SearchBar(id="search")
                    yield Static("", id="list-header")
                    yield PaperList(id="papers")
                    yield Static("", id="list-note")
                yield DetailView(id="detail")
        yield StatusLine(id="status")
        yield KeyFooter()

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
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        p = self.panes = Panes(self, self.context, tree=self.tree, papers=self.paper_list, detail=self.detail,
                               search_bar=self.search_bar, status=self.status, librarian=self.query_one(Librarian))
        p.after_change += [lambda: loop.check_new_done(p), lambda: discover.state_changed(p)]
        p.after_show.append(lambda: ranking.listed(p))
        p.on_detail.append(lambda paper: ranking.explain(p, paper))
        p.highlights = lambda paper: ranking.highlights(p, paper)
        self.paper_list.empty_text = "Loading the library…"
        self.paper_list.focus()
        p.status.set("load", "loading the library…")
        self._apply_layout(self.size.width, self.size.height)
        reading.restore_view(p)
        p.librarian.load()
        forks.start(p)
        for problem in share.bind_user_commands(p, self.context.config.settings.commands):
            p.notify(problem, severity="warning", timeout=8)

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

    def save_session(self) -> None:
        loading.save_session(self.panes)

    def detail_state(self, paper: Paper) -> DetailState:
        return self.panes.detail_state(paper)

    # --- the widgets' messages ------------------------------------------------------------------

    @on(CategoryTree.Chosen)
    def _tree_chosen(self, message: CategoryTree.Chosen) -> None:
        reading.node_chosen(self.panes, message.key, message.open)

    @on(PaperList.Highlighted)
    def _paper_highlighted(self, message: PaperList.Highlighted) -> None:
        p = self.panes
        p.reading.highlighted(message.paper, message.moved)
        p.show_header()
        # Coalesce fast cursor moves: the list repaints now, the detail a moment later.
        p.later("detail", 0.02, p.show_detail)

    @on(PaperList.RowsChanged)
    def _rows_changed(self, message: PaperList.RowsChanged) -> None:
        self.panes.save_pref("rows", message.lines)

    @on(PaperList.Opened)
    def _paper_opened(self, message: PaperList.Opened) -> None:
        self.panes.show_detail()
        self.detail.focus()

    def on_descendant_focus(self, event) -> None:
        if event.widget is self.detail:
            self.panes.reading.opened(self.paper_list.current)

    @on(SearchBar.Changed)
    def _search_changed(self, message: SearchBar.Changed) -> None:
        searching.changed(self.panes, message.query)

    @on(SearchBar.Submitted)
    def _search_submitted(self, message: SearchBar.Submitted) -> None:
        searching.submitted(self.panes, message.query)

    @on(SearchBar.Cleared)
    def _search_cleared(self, message: SearchBar.Cleared) -> None:
        """Escape in the search box: back to where the reader was."""
        if self.panes.state.search is not None or self.panes.search.active:
            loop.back(self.panes)
        self.paper_list.focus()

    # --- the workers' messages -------------------------------------------------------------------

    def on_search_done(self, message: SearchDone) -> None:
        searching.done(self.panes, message)

    def on_head_loaded(self, message: HeadLoaded) -> None:
        loading.head_loaded(self.panes, message)

    def on_load_progress(self, message: LoadProgress) -> None:
        loading.load_progress(self.panes, message)

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        loading.library_loaded(self.panes, message)

    def on_signals_counted(self, message: SignalsCounted) -> None:
        if message.view is self.panes.lib.view:
            self.panes.rebuild_tree()

    def on_index_progress(self, message: IndexProgress) -> None:
        loading.index_progress(self.panes, message)

    def on_index_ready(self, message: IndexReady) -> None:
        loading.index_ready(self.panes, message)

    def on_fork_fetched(self, message: ForkFetched) -> None:
        forks.fetched(self.panes, message)

    def on_discovery_ready(self, message: DiscoveryReady) -> None:
        discover.discovery_ready(self.panes, message)

    def on_suggested_ready(self, message: SuggestedReady) -> None:
        discover.suggested_ready(self.panes, message)

    def on_similar_done(self, message: SimilarDone) -> None:
        discover.similar_done(self.panes, message)

    def on_ranking_ready(self, message: RankingReady) -> None:
        ranking.ranking_ready(self.panes, message)

    def on_explained(self, message: Explained) -> None:
        ranking.explained(self.panes, message)

    def on_sync_done(self, message: SyncDone) -> None:
        sync.done(self.panes, message)

    def on_picks_read(self, message: PicksRead) -> None:
        self.panes.found.picks = message.picks
        self.panes.rebuild_tree()

    def on_work_failed(self, message: WorkFailed) -> None:
        loading.work_failed(self.panes, message.group, message.error)


def _route(function: Callable[..., None]) -> Callable[..., None]:
    def action(screen: MainScreen, *args) -> None:
        function(screen.panes, *args)

    action.__doc__ = function.__doc__
    return action


for _name, _function in ROUTES.items():
    setattr(MainScreen, f"action_{_name}", _route(_function))
