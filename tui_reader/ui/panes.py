"""What action code works on: the reader's parts (search, library,
discovery, position: Textual-free, in :mod:`tui_reader.core.session`) and
the panes that show them (tree, list, detail, search bar, status line).
Actions take a :class:`Panes`, never the screen; this module turns a
part's state into what each pane shows (``show``, ``rebuild_tree``,
``show_detail``).  The screen builds one on mount and routes messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from tui_reader.core.listing import Listing, ListState, Sources, listing, new_papers
from tui_reader.core.session import DiscoverySession, LibrarySession, ReadingPosition, SearchSession
from tui_reader.core.state import StateError
from tui_reader.core.text import phrase_spans
from tui_reader.core.views import NEW, QUEUE
from tui_reader.ui.read_marks import ReadMarker
from tui_reader.ui.render import DetailState
from tui_reader.ui.rules import RuleEditor

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

    from tui_reader.core.model import Paper
    from tui_reader.core.state import StateStore
    from tui_reader.ui.context import ReaderContext
    from tui_reader.ui.widgets.category_tree import CategoryTree
    from tui_reader.ui.widgets.detail import DetailView
    from tui_reader.ui.widgets.librarian import Librarian
    from tui_reader.ui.widgets.paper_list import PaperList
    from tui_reader.ui.widgets.search_bar import SearchBar
    from tui_reader.ui.widgets.status_line import StatusLine

T = TypeVar("T")


class Panes:
    """The parts and the panes of one main screen (see the module doc)."""

    def __init__(self, host: DOMNode, context: ReaderContext, *, tree: CategoryTree, papers: PaperList,
                 detail: DetailView, search_bar: SearchBar, status: StatusLine, librarian: Librarian) -> None:
        self.host = host  # the node whose classes lay the panes out (-wide, -zoom, -tree-hidden)
        self.app: App = host.app
        self.context = context
        self.tree, self.papers, self.detail = tree, papers, detail
        self.search_bar, self.status, self.librarian = search_bar, status, librarian
        self.lib: LibrarySession = librarian.session
        self.search = SearchSession()
        self.found = DiscoverySession()
        store = context.store
        self.place = ReadingPosition(new_since=store.get_pref("new_since", None) if store else None,
                                     language=context.config.settings.language)
        self.after_change: list[Callable[[], None]] = []  # run after each change of reading state
        self.after_show: list[Callable[[], None]] = []  # run after the list shows something new
        self.on_detail: list[Callable[[Paper], None]] = []  # run when the detail shows a paper
        self.highlights: Callable[[Paper], list[str]] | None = None  # words a paper's detail highlights
        self._timers: dict[str, Timer] = {}
        self.rules = RuleEditor(self.app, store, librarian.refresh_discovery)
        self.reading = ReadMarker(self, context.mark_read, context.mark_read_after)

    def later(self, name: str, delay: float, callback: Callable[[], object]) -> None:
        """Run ``callback`` after ``delay`` seconds, unless asked again under
        the same name first (a run of keys costs one refresh)."""
        timer = self._timers.pop(name, None)
        if timer is not None:
            timer.stop()

        def run() -> None:
            self._timers.pop(name, None)
            callback()

        self._timers[name] = self.host.set_timer(delay, run)

    @property
    def pending(self) -> bool:
        """A coalesced refresh (the detail after fast cursor moves, Suggested
        after bookmarks) is still to come: the screen is not idle yet."""
        return bool(self._timers)

    # --- small helpers actions share -------------------------------------------------------

    @property
    def store(self) -> StateStore | None:
        return self.context.store

    @property
    def state(self) -> ListState:
        return self.place.state

    @property
    def current(self) -> Paper | None:
        return self.papers.current

    def open_url(self, url: str) -> None:
        """Open a link (one core.links let through) and say so, unless there
        is no browser to open it in (the app says that instead)."""
        if self.app.open_url(url) is not False:
            self.notify(f"Opening {url}", timeout=3)

    def current_or_say(self) -> Paper | None:
        """The highlighted paper, or a notice that there is none."""
        paper = self.papers.current
        if paper is None:
            self.notify("No paper selected.", timeout=2)
        return paper

    def notify(self, text: str, *, severity: str = "information", timeout: float = 3) -> None:
        """A notice; its text is never read as markup."""
        self.app.notify(text, severity=severity, markup=False, timeout=timeout)  # type: ignore[arg-type]

    def writable_store(self) -> StateStore | None:
        store = self.store
        if store is None:
            self.notify("Bookmarks and read marks are switched off.", severity="warning")
            return None
        if store.read_only:
            self.notify("The state store is read-only: this change cannot be saved.", severity="error", timeout=4)
            return None
        return store

    def attempt(self, change: Callable[..., T], *args) -> tuple[bool, T | None]:
        """Run one store change; a failed write (disk full, store locked by
        another process for too long) becomes a notice.  Returns (ok, result)."""
        try:
            return True, change(*args)
        except StateError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=6)
            return False, None

    def save_pref(self, name: str, value) -> None:
        store = self.store
        if store is not None and not store.read_only:
            try:
                store.set_pref(name, value)
            except StateError:
                pass

    def binding_keys(self, binding_id: str) -> str:
        for _key, binding in self.host._bindings:
            if binding.id == binding_id:
                return self.app.get_key_display(binding)
        return "?"

    # --- what the list shows ------------------------------------------------------------------

    def sources(self) -> Sources:
        view = self.lib.view
        assert view is not None
        found, place, store = self.found, self.place, self.store
        common = dict(new_since=place.new_since, discovery=found.found, discovery_ready=found.ready,
                      suggested=found.suggested, similar=found.similar, scores=found.scores,
                      for_you=found.for_you if found.ranked else None,
                      picked=found.picks.by_name() if found.picks is not None else {})
        if store is None:
            return Sources(view, **common)

        def kept_elsewhere(tag: str | None) -> list[Paper]:
            return [b.snapshot.to_paper() for b in store.bookmarks(tag) if b.id not in view.by_id]

        return Sources(view, read=store.read_ids(), bookmarked=store.bookmarked_ids(), tagged=store.tagged_ids,
                       kept_elsewhere=kept_elsewhere, queue=store.queue_ids(), **common)

    def show(self, state: ListState | None = None, keep: str | None = None, keep_current: bool = True) -> None:
        """Show ``state`` (the current one again when None), keeping the
        cursor on ``keep``, else on the paper it is on (``keep_current``)."""
        if state is not None:
            self.place.state = state
        if self.lib.view is None:
            return
        if keep is None and keep_current:
            current = self.papers.current
            keep = current.id if current is not None else None
        shown = listing(self.place.state, self.sources())
        self.place.shown = shown
        spans = self.spans_function() if self.place.state.search is not None else None
        self.papers.set_papers(shown.papers, keep=keep, title_spans=spans, empty_text=shown.empty_text, day=shown.day)
        self._show_list_note(shown)
        self.show_header()
        if self.place.state.search is None:
            self.status.set("node", f"{shown.label}: {len(shown.papers)}")
        for hook in self.after_show:
            hook()

    def show_node(self, key: str, keep: str | None = None) -> None:
        """A node's papers (leaving any search shown), the cursor on ``keep``
        when it is there, else on the first."""
        self.show(self.place.state.with_(node=key, search=None), keep=keep, keep_current=False)

    def redisplay(self) -> None:
        """The same again (rules, marks or discovery changed), keeping the
        cursor's paper, or the last session's when nothing is shown yet."""
        current = self.papers.current
        self.show(keep=current.id if current else self.place.restore.get("paper"))

    def remember(self) -> None:
        """Before leaving for search results, more like this or the queue."""
        current = self.papers.current
        self.place.remember(current.id if current else None)

    def go_to(self, key: str, focus: bool = True) -> None:
        """Leave any search and show node ``key``, selected in the tree."""
        if key == QUEUE:
            self.remember()
        if self.search.active:
            self.leave_search(redisplay=False)
        self.tree.select_key(key)
        self.show_node(key)
        if focus:
            self.papers.focus()

    def leave_search(self, redisplay: bool = True) -> None:
        had = self.search.leave() or self.place.state.search is not None
        self.status.set("search", None)
        self.search_bar.show_message(None)
        if self.search_bar.value:
            self.search_bar.set_value("")
        state = self.place.state
        self.place.state = state.with_(search=None, sort="date" if state.sort == "relevance" else state.sort)
        if had and redisplay:
            self.show()

    def spans_function(self) -> Callable[[str], list] | None:
        result = self.search.result
        if result is None:
            return None
        from tui_reader.core.index import highlight

        terms = result.terms
        return lambda text: highlight(text, terms)

    def show_header(self) -> None:
        """The line above the list: what it shows and where the cursor is (``37/301``)."""
        shown = self.place.shown
        if shown is None:
            return
        papers = self.papers.papers
        text = Text(shown.label, style="bold")
        if papers:
            text.append(f"  {self.papers.cursor + 1}/{len(papers)}")
        if shown.repeats and not shown.repeat_of:
            what = "hidden" if self.place.state.hide_repeats else "marked “seen”"
            text.append(f"  · {shown.repeats} repeats of earlier days {what} ({self.binding_keys('loop.repeats')})",
                        style="dim")
        self.host.query_one("#list-header", Static).update(text, layout=False)

    def _show_list_note(self, shown: Listing) -> None:
        note = self.host.query_one("#list-note", Static)
        parts = []
        if shown.repeat_of:
            parts.append(f"Nothing new on {shown.day}: every paper was in {shown.repeat_of}'s digest already "
                         "(arXiv announces nothing at weekends and on holidays)")
        count = shown.muted
        if count:
            keys = self.binding_keys("discover.reveal")
            papers = "paper" if count == 1 else "papers"
            if self.place.state.show_muted:
                parts.append(f"{count} muted {papers} shown (⊘) · {keys} hides them")
            else:
                parts.append(f"{count} {papers} hidden by mute rules · {keys} shows them")
        if not parts:
            note.set_class(False, "-shown")
            return
        note.update(Text(" · ".join(parts)), layout=not note.has_class("-shown"))  # one row: no layout once shown
        note.set_class(True, "-shown")

    # --- the tree and the marks ------------------------------------------------------------

    def refresh_marks(self) -> None:
        if self.store is not None:
            self.papers.set_marks(set(self.store.bookmarked_ids()), set(self.store.read_ids()))

    def rebuild_tree(self, select: str | None = None) -> None:
        view = self.lib.view
        if view is None:
            return
        hidden = self.hidden()
        specs = self._tree_specs(hidden)
        read = self.store.read_ids() if self.store is not None else frozenset()
        unread = dict(view.unread_counts(read | hidden if hidden else read))
        unread[NEW] = sum(1 for p in new_papers(view, self.place.new_since) if p.id not in read)
        if self.tree.update_counts(specs):
            self.tree.set_unread(unread)
        else:
            self.tree.unread = unread
            self.tree.load(specs, select=select or self.place.state.node)
        self.refresh_marks()

    def hidden(self) -> frozenset[str]:
        """The papers lists do not show: the muted ones, unless X shows them."""
        muted = self.found.found.muted
        return frozenset() if not muted or self.place.state.show_muted else frozenset(muted)

    def _tree_specs(self, hidden: frozenset[str]):
        view, store, found = self.lib.view, self.store, self.found
        assert view is not None
        if store is None:
            return view.tree(hidden=hidden)
        read = store.read_ids()
        # The store's list, not the last matches': a saved search is in the
        # tree (count unknown) before its first results, so a session can return to it.
        saved = [(s.name, len(found.found.saved[s.name]) if s.name in found.found.saved else None)
                 for s in store.saved_searches()]
        return view.tree(bookmark_tags=store.tags(), bookmark_count=len(store.bookmarked_ids()),
                         unread_count=sum(1 for p in view.papers if p.id not in read),
                         interests_count=len(found.found.matched) if found.ready else None,
                         suggested_count=found.suggested_count(read, view.by_id), saved=saved, discovery=True,
                         new_count=len(new_papers(view, self.place.new_since)), queue_count=len(store.queue_ids()),
                         hidden=hidden, for_you_count=len(found.for_you) if found.for_you is not None else None,
                         picked=found.picks.counts(set(view.by_id)) if found.picks is not None else None)

    def after_state_change(self, redraw_detail: bool = True) -> None:
        """Bookmarks, read marks, tags or the queue changed."""
        for hook in self.after_change:
            hook()
        if self.lib.view is not None:
            self.rebuild_tree()
        if redraw_detail:
            self.show_detail(keep_scroll=True)

    # --- the detail --------------------------------------------------------------------------

    def detail_state(self, paper: Paper) -> DetailState:
        place = self.place
        state = DetailState(mode=place.mode, language=place.language, all_authors=place.authors_open == paper.id)
        if self.search.result is not None and self.search.query:
            state.spans = self.spans_function()
        elif self.highlights is not None:
            words = self.highlights(paper)
            state.spans = (lambda text: phrase_spans(text, words)) if words else None
        store = self.store
        if store is not None:
            state.read = store.is_read(paper.id)
            bookmark = store.bookmark(paper.id)
            state.bookmarked = bookmark is not None
            if bookmark is not None:
                state.tags = list(bookmark.tags)
                state.note = bookmark.note
        state.interests = self.found.interests_of(paper) or ""
        state.muted = self.found.muted_by(paper) or ""
        found = self.found
        state.score = found.score_of(paper.id)
        state.why = list(found.reasons.get(paper.id, ()))
        state.like = list(found.likes.get(paper.id, ()))
        if found.picks is not None:
            state.picked_by = found.picks.pickers(paper.id)
        return state

    def search_state(self):
        """What search asks about reading state: the store, and the
        teammates' picks for ``picked:NAME`` once they are read."""
        if self.found.picks is None or self.store is None:
            return self.store
        from tui_reader.core.picks import PickedFilter

        return PickedFilter(self.store, self.found.picks)

    def show_detail(self, keep_scroll: bool = False) -> None:
        paper = self.papers.current
        self.detail.show(paper, self.detail_state(paper) if paper else DetailState(), keep_scroll=keep_scroll)
        if paper is not None:
            for hook in self.on_detail:
                hook(paper)
