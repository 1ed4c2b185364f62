"""The main screen: the go-between of the category tree, the paper list, the
search bar and the detail view.  Widgets post messages; this screen decides
what they show.  Disk and index work runs in thread workers."""

from __future__ import annotations

import random
import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from tui_reader.core.loader import newest_first
from tui_reader.core.model import Paper
from tui_reader.core.signals import signals_of
from tui_reader.core.views import ALL
from tui_reader.ui.context import ReaderContext
from tui_reader.ui.messages import SearchDone
from tui_reader.ui.render import DetailState
from tui_reader.ui.screens.discovery_actions import BINDINGS as DISCOVERY_BINDINGS
from tui_reader.ui.screens.discovery_actions import DiscoveryActions
from tui_reader.ui.screens.loading import LibraryLoading
from tui_reader.ui.screens.state_actions import StateActions
from tui_reader.ui.widgets.category_tree import CategoryTree
from tui_reader.ui.widgets.detail import DetailView
from tui_reader.ui.widgets.paper_list import PaperList
from tui_reader.ui.widgets.search_bar import SearchBar

def by_code(papers: list[Paper], sort: str) -> list[Paper]:
    """Most starred code first ("stars"), or most recently updated code
    ("code recency"); papers without stars (or a date) follow in their
    order.  (A reverse sort keeps equal papers in their order too.)"""
    if sort == "stars":
        have = [p for p in papers if signals_of(p).stars is not None]
        have.sort(key=lambda p: signals_of(p).stars, reverse=True)
    else:
        have = [p for p in papers if signals_of(p).code_updated]
        have.sort(key=lambda p: signals_of(p).code_updated, reverse=True)
    chosen = {p.id for p in have}
    return have + [p for p in papers if p.id not in chosen]


SEARCH_LIMIT = 2000  # results shown for one query; the count says "2000+" past it
SORTS = ("date", "title", "interests", "relevance", "stars", "code recency")


class MainScreen(LibraryLoading, DiscoveryActions, StateActions, Screen[None]):
    BINDINGS = [
        Binding("slash", "search", "Search", id="reader.search"),
        Binding("a", "toggle_abstract", "Abstract/summary", id="reader.abstract"),
        Binding("l", "next_language", "Language", id="reader.language"),
        Binding("left_square_bracket", "day(-1)", "Prev day", show=False, id="reader.prev_day"),
        Binding("right_square_bracket", "day(1)", "Next day", show=False, id="reader.next_day"),
        Binding("o", "open_link('abs')", "Open abs page", show=False, id="reader.open_abs"),
        Binding("O", "open_link('pdf')", "Open PDF", show=False, id="reader.open_pdf"),
        Binding("c", "open_link('code')", "Open code", show=False, id="reader.open_code"),
        Binding("w", "open_link('project')", "Open project page", show=False, id="reader.open_project"),
        Binding("y", "copy_link", "Copy link", show=False, id="reader.copy_link"),
        Binding("Y", "copy_bibtex", "Copy BibTeX", show=False, id="reader.copy_bibtex"),
        Binding("r", "random", "Random paper", show=False, id="reader.random"),
        Binding("s", "cycle_sort", "Sort", show=False, id="reader.sort"),
        Binding("p", "problems", "Problems", show=False, id="reader.problems"),
        Binding("backslash", "toggle_tree", "Show/hide tree", show=False, id="reader.toggle_tree"),
        Binding("b", "toggle_bookmark", "Bookmark", id="state.bookmark"),
        Binding("t", "edit_tags", "Tags", show=False, id="state.tags"),
        Binding("e", "edit_note", "Note", show=False, id="state.note"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="state.read"),
        Binding("n", "next_unread", "Next unread", show=False, id="state.next_unread"),
        Binding("M", "mark_all_read", "Mark all read", show=False, id="state.mark_all_read"),
        Binding("u", "undo", "Undo", show=False, id="state.undo"),
        *DISCOVERY_BINDINGS,
    ]

    def __init__(self, context: ReaderContext) -> None:
        super().__init__()
        self.context = context
        self.node_key = ALL
        self.search_query = ""
        self.search_result = None
        # One search at a time (see start_search): set from starting it until
        # its SearchDone is handled (which run_search always posts; its worker
        # ends a moment after, so the worker's state cannot tell), and the
        # query typed meanwhile.
        self._searching = False
        self._next_search: str | None = None
        self.sort = "date"
        self.mode = "summary"
        self.language = context.config.settings.language
        self._detail_timer: Timer | None = None
        self._read_timer: Timer | None = None
        self._manual_read: str | None = None  # paper whose read mark the reader set by hand
        self._status_parts: dict[str, str] = {}
        self._status_line = ""
        self._restore: dict = {}
        self.init_loading()
        self.init_discovery()

    # --- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield CategoryTree(id="tree")
            with Container(id="right"):
                with Vertical(id="list-pane"):
                    yield SearchBar(id="search")
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

    def on_mount(self) -> None:
        self.paper_list.empty_text = "Loading the library…"
        self.paper_list.focus()
        self._set_status("load", "loading the library…")
        self._apply_layout(self.size.width, self.size.height)
        self.load()
        self.start_fork_fetch()

    def on_resize(self, event) -> None:
        self._apply_layout(event.size.width, event.size.height)

    def _apply_layout(self, width: int, height: int) -> None:
        narrow = width < 80
        self.set_class(width >= 140, "-wide")
        if narrow != self.has_class("-narrow"):
            # The tree folds away on narrow terminals; backslash brings it back.
            self.set_class(narrow, "-narrow")
            self.set_class(narrow, "-tree-hidden")
            if narrow and self.tree.has_focus:
                self.paper_list.focus()

    # --- status line --------------------------------------------------------------

    def _set_status(self, key: str, text: str | None) -> None:
        if text:
            self._status_parts[key] = text
        else:
            self._status_parts.pop(key, None)
        order = ("load", "library", "node", "index", "search", "fork", "problems", "store")
        line = "  ·  ".join(self._status_parts[k] for k in order if k in self._status_parts)
        if line != self._status_line:
            self._status_line = line
            # One row whatever it says: no layout pass (a layout pass repaints
            # every pane, which made each keystroke of a search cost 100+ ms).
            self.query_one("#status", Static).update(Text(line), layout=False)

    # --- state (bookmarks, read marks) ----------------------------------------------------

    @property
    def store(self):
        return self.context.store

    def _state_sources(self):
        store = self.store
        if store is None:
            return (lambda: (), set, lambda tag: ())
        return (store.bookmarked_ids, store.read_ids, store.tagged_ids)

    def _load_session(self) -> dict:
        if self.store is None:
            return {}
        try:
            session = self.store.load_session() or {}
        except Exception:
            return {}
        if session.get("library") != self.library.key:
            return {"language": session.get("language")} if session.get("language") else {}
        if session.get("language") and not self.context.config.settings.language:
            self.language = session["language"]
        return session

    def save_session(self) -> None:
        if self.store is None or self.library is None or getattr(self.store, "read_only", False):
            return
        current = self.paper_list.current
        try:
            self.store.save_session(
                {
                    "library": self.library.key,
                    "node": self.node_key,
                    "paper": current.id if current else None,
                    "search": self.search_query,
                    "language": self.language,
                }
            )
        except Exception:
            pass

    def refresh_marks(self) -> None:
        if self.store is None:
            return
        self.paper_list.set_marks(set(self.store.bookmarked_ids()), set(self.store.read_ids()))

    def rebuild_tree(self, select: str | None = None) -> None:
        if self.view is None:
            return
        specs = self._tree_specs()
        if not self.tree.update_counts(specs):
            self.tree.load(specs, select=select or self.node_key)
        self.refresh_marks()

    def _tree_specs(self):
        if self.store is None:
            return self.view.tree()
        read = self.store.read_ids()
        unread = sum(1 for p in self.view.papers if p.id not in read)
        bookmarked = self.store.bookmarked_ids()
        found = self.discovery
        # The store's list, not the last matches': a saved search is in the
        # tree (count unknown) before its first results, so a session can return to it.
        saved = [(s.name, len(found.saved[s.name]) if s.name in found.saved else None)
                 for s in self.store.saved_searches()]
        suggested = None
        if self.suggested_ids is not None:
            suggested = sum(1 for pid in self.suggested_ids if pid not in read and pid in self.view.by_id)
        return self.view.tree(bookmark_tags=self.store.tags(), bookmark_count=len(bookmarked), unread_count=unread,
                              interests_count=len(found.matched) if self.discovery_ready else None,
                              suggested_count=suggested, saved=saved, discovery=True)

    # --- showing papers ----------------------------------------------------------------------

    def papers_of_node(self, key: str) -> list[Paper]:
        if self.view is None:
            return []
        found = self.discovery_papers(key)
        if found is not None:
            return found
        papers = self.view.papers_for(key, *self._state_sources())
        if self.store is not None and (key == "bookmarks" or key.startswith("tag:")):
            # Bookmarks outlive the digest folder: show the saved snapshot of
            # any bookmarked paper the library no longer holds.
            missing = [
                b.snapshot.to_paper()
                for b in self.store.bookmarks(key[4:] if key.startswith("tag:") else None)
                if b.id not in self.view.by_id
            ]
            papers = papers + missing
        return papers

    def show_node(self, key: str, keep: str | None = None) -> None:
        self.node_key = key
        papers = self.unmuted(self._sorted(self.papers_of_node(key)), key)
        self.paper_list.set_papers(papers, keep=keep, empty_text=self._empty_text(key))
        label = key.replace("day:", "").replace("/cat:", " / ").replace("cat:", "").replace("archive:", "")
        label = label.replace("saved:", "saved search ").replace("like:", "like ")
        self._set_status("node", f"{label}: {len(papers)}")

    def redisplay(self) -> None:
        """Show the current node or search results again (rules, mute
        reveal or discovery results changed), keeping the cursor's paper."""
        current = self.paper_list.current
        # Nothing shown yet (a restored Interests or saved-search node whose
        # matches just arrived): go back to the paper of the last session.
        keep = current.id if current else self._restore.get("paper")
        if self.search_result is not None and self.view is not None:
            ranked = self.view.papers_in(self.search_result.ids)
            papers = self.unmuted(self._sorted(ranked, relevance=ranked), self.node_key)
            self.paper_list.set_papers(papers, keep=keep, title_spans=self._spans_function(),
                                       empty_text="No paper matches this search.")
        else:
            self.show_node(self.node_key, keep=keep)

    def _empty_text(self, key: str) -> str:
        text = self.discovery_empty_text(key)
        if text is not None:
            return text
        if key == "bookmarks":
            return "No bookmarks yet: press b on a paper to keep it here."
        if key == "unread":
            return "Everything here is read."
        return "No papers here."

    def _sorted(self, papers: list[Paper], relevance: list[Paper] | None = None) -> list[Paper]:
        if self.sort == "title":
            return sorted(papers, key=lambda p: p.title.casefold())
        if self.sort == "interests":
            return self.discovery.interest_rank(papers)
        if self.sort == "relevance" and relevance is not None:
            return relevance
        if self.sort == "date" and relevance is not None:
            return sorted(papers, key=newest_first)
        if self.sort in ("stars", "code recency"):
            return by_code(papers, self.sort)
        return papers

    @on(CategoryTree.Chosen)
    def on_tree_chosen(self, message: CategoryTree.Chosen) -> None:
        if self.search_query:
            self._leave_search()
        if message.key != self.node_key:
            self.show_node(message.key)
        if message.open:
            self.paper_list.focus()

    @on(PaperList.Highlighted)
    def on_paper_highlighted(self, message: PaperList.Highlighted) -> None:
        self._manual_read = None
        if self._detail_timer is not None:
            self._detail_timer.stop()
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        # Coalesce fast cursor moves: the list repaints now, the detail a moment later.
        self._detail_timer = self.set_timer(0.02, self.show_detail)

    @on(PaperList.Opened)
    def on_paper_opened(self, message: PaperList.Opened) -> None:
        self.show_detail()
        self.detail.focus()

    def detail_state(self, paper: Paper) -> DetailState:
        state = DetailState(mode=self.mode, language=self.language)
        if self.search_result is not None and self.search_query:
            state.spans = self._spans_function()
        store = self.store
        if store is not None:
            state.bookmarked = store.is_bookmarked(paper.id)
            state.read = store.is_read(paper.id)
            bookmark = store.bookmark(paper.id) if state.bookmarked and hasattr(store, "bookmark") else None
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
        if paper is not None and paper.id != self._manual_read and self.store is not None \
                and not self.store.is_read(paper.id):
            if self._read_timer is not None:
                self._read_timer.stop()
            paper_id = paper.id
            self._read_timer = self.set_timer(self.context.mark_read_after, lambda: self._auto_mark_read(paper_id))

    def _auto_mark_read(self, paper_id: str) -> None:
        current = self.paper_list.current
        if current is None or current.id != paper_id or self.store is None:
            return
        if getattr(self.store, "read_only", False):
            return
        ok, _ = self._attempt(self.store.mark_read, [paper_id], True, False)
        if ok:
            self.after_state_change(redraw_detail=True)

    def after_state_change(self, redraw_detail: bool = True) -> None:
        self.refresh_marks()
        if self.view is not None:
            specs = self._tree_specs()
            if not self.tree.update_counts(specs):
                self.tree.load(specs, select=self.node_key)
        if redraw_detail:
            self.show_detail(keep_scroll=True)
        self.discovery_state_changed()

    # --- search -------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_bar.input.focus()

    @on(SearchBar.Changed)
    def on_search_changed(self, message: SearchBar.Changed) -> None:
        query = message.query.strip()
        if not query:
            self._leave_search()
            return
        self.search_query = query
        if self.index is None:
            self._pending_search = query
            self.search_bar.show_message("the search index is opening; results follow in a moment")
            return
        self.start_search(query)

    def start_search(self, query: str) -> None:
        """Search for ``query`` now, or as soon as the search under way is
        done: one search at a time, and only the newest waiting query runs
        next (keys faster than searches skip the words in between).  Each
        key searches, with no pause to wait for the next: the last key's
        results come one search after it."""
        if self._searching:
            self._next_search = query
            return
        self._searching = True
        self.run_search(query)

    @on(SearchBar.Submitted)
    def on_search_submitted(self, message: SearchBar.Submitted) -> None:
        self.paper_list.focus()

    @on(SearchBar.Cleared)
    def on_search_cleared(self, message: SearchBar.Cleared) -> None:
        self._leave_search()
        self.paper_list.focus()

    def _leave_search(self) -> None:
        had = bool(self.search_query)
        self.search_query = ""
        self.search_result = None
        self._pending_search = None
        self._next_search = None
        self._set_status("search", None)
        self.search_bar.show_message(None)
        if self.search_bar.value:
            self.search_bar.set_value("")
        if self.sort == "relevance":
            self.sort = "date"
        if had:
            current = self.paper_list.current
            self.show_node(self.node_key, keep=current.id if current else None)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        """Only through start_search; a SearchDone always follows."""
        index = self.index
        started = time.perf_counter()
        try:
            if index is None:
                raise RuntimeError("the search index is not open")
            result = index.search(query, as_you_type=True, limit=SEARCH_LIMIT, state=self.store)
        except Exception as error:  # the index promises not to raise; belt and braces
            self.post_message(SearchDone(query, error, time.perf_counter() - started))
            return
        self.post_message(SearchDone(query, result, time.perf_counter() - started))

    def on_search_done(self, message: SearchDone) -> None:
        self._searching = False
        waiting, self._next_search = self._next_search, None
        if waiting is not None and waiting == self.search_query:
            self.start_search(waiting)
        if message.query != self.search_query or self.view is None:
            return  # a newer query is on its way
        result = message.result
        if isinstance(result, Exception):
            self.search_bar.show_message(f"search failed: {result}", error=True)
            return
        if result.error:
            self.search_bar.show_message(result.error, error=True)
            return
        if result.ids is None:
            self._leave_search()
            return
        self.search_result = result
        by_id = self.view.by_id
        ranked = [by_id[i] for i in result.ids if i in by_id]
        if self.sort == "date":
            self.sort = "relevance"
        papers = self.unmuted(self._sorted(ranked, relevance=ranked), self.node_key)
        # New results start at the best match; only a search restored from
        # the last session goes back to the paper the reader was on.
        keep = self._restore.pop("paper", None) if self._restore.get("search") == message.query else None
        self.paper_list.set_papers(
            papers,
            keep=keep,
            title_spans=self._spans_function(),
            empty_text="No paper matches this search.",
        )
        count = f"{len(papers)}+" if len(result.ids) >= SEARCH_LIMIT else str(len(papers))
        note = "" if self.index_ready else " (index still building)"
        noun = "result" if count == "1" else "results"
        self.search_bar.show_message(f"{count} {noun} in {message.seconds * 1000:.0f} ms{note}")
        self._set_status("search", f"search: {count}")

    def _spans_function(self):
        result = self.search_result
        if result is None:
            return None
        from tui_reader.core.index import highlight

        terms = result.terms
        return lambda text: highlight(text, terms)

    # --- reading --------------------------------------------------------------------------------

    def action_toggle_abstract(self) -> None:
        self.mode = "abstract" if self.mode == "summary" else "summary"
        self.show_detail()

    def action_next_language(self) -> None:
        paper = self.paper_list.current
        if paper is None:
            return
        languages = paper.languages
        if len(languages) < 2:
            only = languages[0] if languages else "no"
            self.notify(f"This paper has only one summary language ({only}).", markup=False, timeout=3)
            return
        chosen = paper.summary(self.language)
        shown = chosen[0] if chosen else languages[0]
        self.language = languages[(languages.index(shown) + 1) % len(languages)]
        self.mode = "summary"
        if self.store is not None and not getattr(self.store, "read_only", False):
            self.store.set_pref("language", self.language)
        self.show_detail(keep_scroll=True)

    def action_day(self, step: int) -> None:
        """``[`` / ``]``: the previous / next day.  From a node that is not a
        day, go to the day of the highlighted paper first."""
        if self.view is None or not self.view.days:
            return
        if self.view.day_of(self.node_key):
            target = self.view.neighbour_day(self.node_key, step)
        else:
            paper = self.paper_list.current
            day = paper.latest_date if paper is not None and paper.latest_date else self.view.days[0]
            target = f"day:{day}"
        if target is None:
            self.notify("No more days that way.", timeout=2)
            return
        if self.search_query:
            self._leave_search()
        self.tree.select_key(target)
        self.show_node(target)

    def action_random(self) -> None:
        papers = self.paper_list.papers
        if papers:
            self.paper_list.move_to(random.randrange(len(papers)))

    def action_cycle_sort(self) -> None:
        choices = [c for c in SORTS if (c != "relevance" or self.search_result is not None)
                   and (c != "interests" or self.discovery.interests)]
        self.sort = choices[(choices.index(self.sort) + 1) % len(choices)] if self.sort in choices else choices[0]
        current = self.paper_list.current
        if self.search_result is not None and self.view is not None:
            self.redisplay()
        else:
            self.show_node(self.node_key, keep=current.id if current else None)
        self.notify(f"Sorted by {self.sort}.", timeout=2)

    def action_open_link(self, which: str) -> None:
        paper = self.paper_list.current
        if paper is None:
            return
        if which in ("code", "project"):
            found = signals_of(paper)
            url = found.code_url if which == "code" else found.project_url
            if not url:
                self.notify(f"This paper has no {'code link' if which == 'code' else 'project page'}.",
                            markup=False, timeout=3)
                return
        else:
            url = paper.pdf_link if which == "pdf" else paper.abs_link
        self.app.open_url(url)
        self.notify(f"Opening {url}", markup=False, timeout=3)

    def action_copy_link(self) -> None:
        paper = self.paper_list.current
        if paper is None:
            return
        self.app.copy_to_clipboard(paper.abs_link)
        self.notify(f"Copied {paper.abs_link}", markup=False, timeout=3)

    def action_copy_bibtex(self) -> None:
        paper = self.paper_list.current
        if paper is None:
            return
        from tui_reader.core.state.export import bibtex_entry

        entry = bibtex_entry(paper)
        self.app.copy_to_clipboard(entry)
        self.notify("Copied a BibTeX entry for " + paper.id, markup=False, timeout=3)

    def action_problems(self) -> None:
        from tui_reader.ui.screens.problems import ProblemsScreen

        problems = self.library.problems if self.library else []
        self.app.push_screen(ProblemsScreen(problems))

    def action_toggle_tree(self) -> None:
        self.toggle_class("-tree-hidden")
        if self.has_class("-tree-hidden") and self.tree.has_focus:
            self.paper_list.focus()

