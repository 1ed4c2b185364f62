"""Discovery on the main screen: interests, mute rules, more like this,
saved searches and trends (issue 8).  A mixin like StateActions, so the main
screen stays the go-between; the matching itself is core code
(tui_reader.core.discovery, tui_reader.core.index.similar) run in thread
workers that post their results back."""

from __future__ import annotations

import time

from textual import work
from textual.worker import get_current_worker
from textual.binding import Binding

from tui_reader.core.discovery import INTEREST, MUTE, Discovery, Rule, RuleError, compute, parse_rule
from tui_reader.core.model import Paper
from tui_reader.core.text import one_line
from tui_reader.core.views import BOOKMARKS, INTERESTS, LIKE_PREFIX, SAVED_PREFIX, SUGGESTED
from tui_reader.ui.messages import DiscoveryReady, SimilarDone, SuggestedReady
from tui_reader.ui.screens.dialogs import TextPromptScreen

SIMILAR_LIMIT = 50
SUGGESTED_LIMIT = 100
RULE_HINT = "a keyword or phrase, author:NAME or cat:CATEGORY (cat:cs.* for a whole archive) · enter: save · escape: cancel"

BINDINGS = [
    Binding("L", "more_like", "More like this", id="discover.more_like"),
    Binding("i", "discovery", "Interests, mutes, saved searches", show=False, id="discover.interests"),
    Binding("I", "add_interest", "Add an interest", show=False, id="discover.add_interest"),
    Binding("x", "add_mute", "Mute (hide) papers like…", show=False, id="discover.mute"),
    Binding("X", "toggle_muted", "Show/hide muted papers", show=False, id="discover.reveal"),
    Binding("S", "save_search", "Save this search", show=False, id="discover.save_search"),
    Binding("T", "trends", "Trends", show=False, id="discover.trends"),
] + [
    Binding(str(n), f"saved_search({n})", f"Saved search {n}", show=False, id=f"discover.saved_{n}")
    for n in range(1, 10)
]

# Nodes whose papers muting never hides: what the reader kept on purpose.
_KEPT = (BOOKMARKS, "tag:")


class DiscoveryActions:
    """Expects the main screen's ``store``, ``index``, ``view``,
    ``paper_list``, ``tree``, ``node_key``, ``search_query``, ``show_node``,
    ``redisplay``, ``rebuild_tree``, ``_leave_search``, ``_attempt`` and
    ``_writable_store``."""

    def init_discovery(self) -> None:
        self.discovery = Discovery()
        self.discovery_ready = False  # computed at least once
        self.suggested_ids: list[str] | None = None
        self.similar: tuple[str, list[str]] | None = None
        self.show_muted = False
        self.hidden_count = 0
        self._saved_timer = None
        self._suggest_timer = None
        self._bookmark_count = -1

    # --- workers ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="discovery")
    def refresh_discovery(self) -> None:
        """One index query per interest, mute rule and saved search."""
        store = self.store
        index = self.index
        if store is None or index is None:
            return
        found = compute(index, store.rules(INTEREST), store.rules(MUTE), store.saved_searches(), state=store)
        self.post_message(DiscoveryReady(found))

    @work(thread=True, exclusive=True, group="suggested")
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

    @work(thread=True, exclusive=True, group="similar")
    def find_similar(self, paper: Paper) -> None:
        from tui_reader.core.index.similar import more_like

        started = time.perf_counter()
        try:
            ranked = more_like(self.index, paper, limit=SIMILAR_LIMIT)
        except Exception as error:  # a similarity query must never take the reader down
            self.post_message(SimilarDone(paper.id, [], time.perf_counter() - started, f"{type(error).__name__}: {error}"))
            return
        self.post_message(SimilarDone(paper.id, [pid for pid, _ in ranked], time.perf_counter() - started))

    def discovery_index_changed(self) -> None:
        """The index opened or was updated: every match may have changed."""
        self.refresh_discovery()
        self.refresh_suggested()

    def discovery_state_changed(self) -> None:
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

    # --- results ------------------------------------------------------------------

    def on_discovery_ready(self, message: DiscoveryReady) -> None:
        old = self.discovery
        found = message.discovery
        self.discovery = found
        self.discovery_ready = True
        self.paper_list.set_discovery(found.matched, found.muted, found.reason)
        for label, error in found.errors.items():
            if old.errors.get(label) == error:
                continue  # said once is enough
            self.notify(f"{label}: {error}", severity="warning", markup=False, timeout=5)
        self.rebuild_tree()
        changed = old.muted.keys() != found.muted.keys() or old.matched.keys() != found.matched.keys()
        if changed or self.node_key.startswith(SAVED_PREFIX) or self.node_key == INTERESTS:
            self.redisplay()
        screen = self.app.screen
        if hasattr(screen, "reload") and getattr(screen, "is_discovery_screen", False):
            screen.reload()

    def on_suggested_ready(self, message: SuggestedReady) -> None:
        self.suggested_ids = message.ids
        self.rebuild_tree()
        if self.node_key == SUGGESTED:
            self.redisplay()

    def on_similar_done(self, message: SimilarDone) -> None:
        if message.error:
            self.notify(f"More like this failed: {message.error}", severity="error", markup=False)
            return
        self.similar = (message.paper_id, message.ids)
        if self.search_query:
            self._leave_search()
        self.show_node(LIKE_PREFIX + message.paper_id)
        self.paper_list.focus()
        self.notify(f"{len(message.ids)} papers like {message.paper_id} ({message.seconds * 1000:.0f} ms)",
                    markup=False, timeout=3)

    # --- papers of the discovery nodes ------------------------------------------------

    def discovery_papers(self, key: str) -> list[Paper] | None:
        """The papers of a discovery node, or None for any other node."""
        view = self.view
        if key == INTERESTS:
            matched = self.discovery.matched
            return self.discovery.interest_rank(p for p in view.papers if p.id in matched)
        if key == SUGGESTED:
            read = self.store.read_ids() if self.store is not None else frozenset()
            return [p for p in view.papers_in(self.suggested_ids or []) if p.id not in read]
        if key.startswith(SAVED_PREFIX):
            return view.papers_in(self.discovery.saved.get(key[len(SAVED_PREFIX):], []))
        if key.startswith(LIKE_PREFIX):
            if self.similar is None or self.similar[0] != key[len(LIKE_PREFIX):]:
                return []
            return view.papers_in(self.similar[1])
        return None

    def discovery_empty_text(self, key: str) -> str | None:
        if key == INTERESTS:
            if not self.discovery.interests:
                return "No interests yet: press I on a paper (or i) to add keywords and authors."
            return "No paper matches your interests." if self.discovery_ready else "Matching your interests…"
        if key == SUGGESTED:
            if self.suggested_ids is None:
                return "Finding papers like your bookmarks…"
            return "Bookmark papers (b): unread papers like them show up here."
        if key.startswith(SAVED_PREFIX):
            return "No paper matches this saved search." if self.discovery_ready else "Searching…"
        if key.startswith(LIKE_PREFIX):
            return "No similar paper found."
        return None

    def unmuted(self, papers: list[Paper], key: str) -> list[Paper]:
        """``papers`` without those a mute rule hides (unless revealed, or in
        the bookmarks); sets ``hidden_count`` and the note above the list."""
        muted = self.discovery.muted
        hidden = 0
        if muted and not key.startswith(_KEPT):
            kept = [p for p in papers if p.id not in muted]
            hidden = len(papers) - len(kept)
            if not self.show_muted:
                papers = kept
        self.hidden_count = hidden
        self._show_list_note()
        return papers

    def _show_list_note(self) -> None:
        from rich.text import Text
        from textual.widgets import Static

        note = self.query_one("#list-note", Static)
        keys = self.app.get_key_display(self._binding("discover.reveal"))
        if not self.hidden_count:
            note.set_class(False, "-shown")
            return
        papers = "paper" if self.hidden_count == 1 else "papers"
        if self.show_muted:
            text = f"{self.hidden_count} muted {papers} shown (⊘) · {keys} hides them"
        else:
            text = f"{self.hidden_count} {papers} hidden by mute rules · {keys} shows them"
        note.update(Text(text), layout=not note.has_class("-shown"))  # one row: no layout pass once shown
        note.set_class(True, "-shown")

    def _binding(self, binding_id: str):
        for _key, binding in self._bindings:
            if binding.id == binding_id:
                return binding
        return None

    # --- keys -------------------------------------------------------------------------

    def action_more_like(self) -> None:
        paper = self.paper_list.current
        if paper is None:
            self.notify("No paper selected.", timeout=2)
            return
        if self.index is None:
            self.notify("The search index is still opening; try again in a moment.", timeout=3)
            return
        self.find_similar(paper)

    def action_toggle_muted(self) -> None:
        self.show_muted = not self.show_muted
        self.redisplay()
        if not self.discovery.mutes:
            self.notify("No mute rules yet: press x to hide papers by keyword, author or category.", timeout=3)

    def action_saved_search(self, number: int) -> None:
        searches = self.discovery.saved_searches
        if self.store is not None and not searches:
            searches = self.store.saved_searches()
        if number > len(searches):
            self.notify(f"No saved search {number}: search (/) and press S to save one.", timeout=3)
            return
        self.open_saved_search(searches[number - 1].name)

    def open_saved_search(self, name: str) -> None:
        key = SAVED_PREFIX + name
        if self.search_query:
            self._leave_search()
        self.tree.select_key(key)
        self.show_node(key)
        self.paper_list.focus()

    def action_save_search(self) -> None:
        store = self._writable_store()
        if store is None:
            return
        query = self.search_query
        if not query:
            self.notify("Search first (/), then press S to save the query.", timeout=3)
            return

        def done(name: str | None) -> None:
            if name is None or not name.strip():
                return
            ok, new = self._attempt(store.save_search, name, query)
            if not ok:
                return
            self.notify(("Saved the search " if new else "Updated the saved search ") + one_line(name.strip()),
                        markup=False, timeout=3)
            self.refresh_discovery()

        self.app.push_screen(TextPromptScreen("Save this search as", one_line(query)[:40],
                                              "a name for the tree and the keys 1-9 · enter: save · escape: cancel"),
                             done)

    def _selected_words(self) -> str:
        try:
            text = self.get_selected_text() or ""
        except Exception:
            return ""
        return one_line(text).strip()[:80]

    def action_add_interest(self) -> None:
        paper = self.paper_list.current
        selected = self._selected_words()
        if selected:
            value = selected
        elif paper is not None and paper.authors:
            value = "author:" + one_line(paper.authors[0])
        else:
            value = ""
        self.prompt_rule(INTEREST, value)

    def action_add_mute(self) -> None:
        paper = self.paper_list.current
        selected = self._selected_words()
        value = selected or (f"cat:{paper.main_category}" if paper is not None and paper.main_category else "")
        self.prompt_rule(MUTE, value)

    def prompt_rule(self, kind: str, value: str = "", after=None) -> None:
        store = self._writable_store()
        if store is None:
            return
        title = "Add an interest (matching papers are marked ◆ and sorted first)" if kind == INTEREST \
            else "Mute: hide papers matching (X shows them, i lists the rules)"

        def done(text: str | None) -> None:
            if text is not None and text.strip():
                self.add_rule(kind, text)
            if after is not None:
                after()

        self.app.push_screen(TextPromptScreen(title, value, RULE_HINT), done)

    def add_rule(self, kind: str, text: str) -> bool:
        store = self._writable_store()
        if store is None:
            return False
        try:
            rule = parse_rule(kind, text)
        except RuleError as error:
            self.notify(str(error), severity="error", markup=False, timeout=4)
            return False
        ok, added = self._attempt(store.add_rule, rule)
        if not ok:
            return False
        what = "Interest" if kind == INTEREST else "Mute rule"
        self.notify(f"{what} {rule.label} {'added' if added else 'was already there'}.", markup=False, timeout=3)
        self.refresh_discovery()
        return True

    def remove_rule(self, rule: Rule) -> None:
        store = self._writable_store()
        if store is None:
            return
        ok, removed = self._attempt(store.remove_rule, rule)
        if ok and removed:
            what = "Interest" if rule.kind == INTEREST else "Mute rule"
            self.notify(f"{what} {rule.label} removed (u undoes).", markup=False, timeout=3)
            self.refresh_discovery()

    def remove_saved_search(self, name: str) -> None:
        store = self._writable_store()
        if store is None:
            return
        ok, removed = self._attempt(store.remove_saved_search, name)
        if ok and removed:
            self.notify(f"Saved search {name} removed (u undoes).", markup=False, timeout=3)
            if self.node_key == SAVED_PREFIX + name:
                from tui_reader.core.views import ALL

                self.show_node(ALL)
                self.tree.select_key(ALL)
            self.refresh_discovery()

    def action_discovery(self) -> None:
        from tui_reader.ui.screens.interests import DiscoveryScreen

        if self.store is None:
            self.notify("Interests and mute rules need the state store, which is switched off.", timeout=3)
            return
        self.app.push_screen(DiscoveryScreen(self))

    def action_trends(self) -> None:
        from tui_reader.ui.screens.trends import TrendsScreen

        if self.view is None:
            return
        self.app.push_screen(TrendsScreen(self.view.papers, categories=_category_of_node(self.node_key)))


def _category_of_node(key: str) -> str:
    if "cat:" in key:
        return key.rsplit("cat:", 1)[1]
    if key.startswith("archive:"):
        return key[len("archive:"):]
    return ""
