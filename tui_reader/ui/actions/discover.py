"""Discovery keys: interests, mute rules, more like this, saved searches
and trends (issue 8).  The matching is core code (tui_reader.core.discovery,
tui_reader.core.index.similar) that the main screen runs in workers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.notifications import SeverityLevel

from tui_reader.core.discovery import INTEREST, MUTE, Rule, RuleError, parse_rule
from tui_reader.core.state import StateError, StateStore
from tui_reader.core.text import one_line
from tui_reader.core.views import ALL, SAVED_PREFIX
from tui_reader.ui.actions.marks import attempt, writable_store
from tui_reader.ui.screens.dialogs import TextPromptScreen

if TYPE_CHECKING:
    from textual.app import App

    from tui_reader.ui.screens.main import MainScreen

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

Notify = Callable[..., None]


class RuleEditor:
    """Adds and removes rules and saved searches in the store, with a
    notice for each; shared by the main screen and the discovery dialog
    (which gets one of these, not the screen).  ``changed`` runs after
    every change that was saved (the screen recomputes the matches)."""

    def __init__(self, app: App, store: StateStore | None, changed: Callable[[], None]) -> None:
        self.app = app
        self.store = store
        self.changed = changed

    def notify(self, text: str, severity: SeverityLevel = "information", timeout: float = 3) -> None:
        self.app.notify(text, severity=severity, markup=False, timeout=timeout)

    def _writable(self) -> StateStore | None:
        if self.store is None:
            self.notify("Interests and mute rules need the state store, which is switched off.")
            return None
        if self.store.read_only:
            self.notify("The state store is read-only: this change cannot be saved.", "error", 4)
            return None
        return self.store

    def _attempt(self, change, *args):
        try:
            return True, change(*args)
        except StateError as error:
            self.notify(f"Not saved: {error}", "error", 6)
            return False, None

    def prompt(self, kind: str, value: str = "", after: Callable[[], None] | None = None) -> None:
        if self._writable() is None:
            return
        title = "Add an interest (matching papers are marked ◆ and sorted first)" if kind == INTEREST \
            else "Mute: hide papers matching (X shows them, i lists the rules)"

        def done(text: str | None) -> None:
            if text is not None and text.strip():
                self.add(kind, text)
            if after is not None:
                after()

        self.app.push_screen(TextPromptScreen(title, value, RULE_HINT), done)

    def add(self, kind: str, text: str) -> Rule | None:
        store = self._writable()
        if store is None:
            return None
        try:
            rule = parse_rule(kind, text)
        except RuleError as error:
            self.notify(str(error), "error", 4)
            return None
        ok, added = self._attempt(store.add_rule, rule)
        if not ok:
            return None
        what = "Interest" if kind == INTEREST else "Mute rule"
        self.notify(f"{what} {rule.label} {'added' if added else 'was already there'}.")
        self.changed()
        return rule

    def remove(self, rule: Rule) -> None:
        store = self._writable()
        if store is None:
            return
        ok, removed = self._attempt(store.remove_rule, rule)
        if ok and removed:
            what = "Interest" if rule.kind == INTEREST else "Mute rule"
            self.notify(f"{what} {rule.label} removed (u undoes).")
            self.changed()

    def remove_saved_search(self, name: str) -> bool:
        store = self._writable()
        if store is None:
            return False
        ok, removed = self._attempt(store.remove_saved_search, name)
        if ok and removed:
            self.notify(f"Saved search {name} removed (u undoes).")
            self.changed()
            return True
        return False


def selected_words(screen: MainScreen) -> str:
    try:
        text = screen.get_selected_text() or ""
    except Exception:  # noqa: BLE001 - no selection support in this terminal
        return ""
    return one_line(text).strip()[:80]


def more_like(screen: MainScreen) -> None:
    paper = screen.paper_list.current
    if paper is None:
        screen.notify("No paper selected.", timeout=2)
        return
    if screen.index is None:
        screen.notify("The search index is still opening; try again in a moment.", timeout=3)
        return
    screen.find_similar(paper)


def toggle_muted(screen: MainScreen) -> None:
    screen.show(screen.state.with_(show_muted=not screen.state.show_muted))
    if not screen.discovery.mutes:
        screen.notify("No mute rules yet: press x to hide papers by keyword, author or category.", timeout=3)


def saved_search(screen: MainScreen, number: int) -> None:
    searches = screen.discovery.saved_searches
    if screen.store is not None and not searches:
        searches = screen.store.saved_searches()
    if number > len(searches):
        screen.notify(f"No saved search {number}: search (/) and press S to save one.", timeout=3)
        return
    screen.go_to(SAVED_PREFIX + searches[number - 1].name)


def save_search(screen: MainScreen) -> None:
    store = writable_store(screen)
    if store is None:
        return
    query = screen.search_query
    if not query:
        screen.notify("Search first (/), then press S to save the query.", timeout=3)
        return

    def done(name: str | None) -> None:
        if name is None or not name.strip():
            return
        ok, new = attempt(screen, store.save_search, name, query)
        if ok:
            screen.notify(("Saved the search " if new else "Updated the saved search ") + one_line(name.strip()),
                          markup=False, timeout=3)
            screen.refresh_discovery()

    screen.app.push_screen(TextPromptScreen("Save this search as", one_line(query)[:40],
                                            "a name for the tree and the keys 1-9 · enter: save · escape: cancel"),
                           done)


def add_interest(screen: MainScreen) -> None:
    paper = screen.paper_list.current
    value = selected_words(screen)
    if not value and paper is not None and paper.authors:
        value = "author:" + one_line(paper.authors[0])
    screen.rules.prompt(INTEREST, value)


def add_mute(screen: MainScreen) -> None:
    paper = screen.paper_list.current
    value = selected_words(screen) or (f"cat:{paper.main_category}" if paper is not None and paper.main_category else "")
    screen.rules.prompt(MUTE, value)


def open_dialog(screen: MainScreen) -> None:
    from tui_reader.ui.screens.interests import DiscoveryScreen

    if screen.store is None:
        screen.notify("Interests and mute rules need the state store, which is switched off.", timeout=3)
        return

    def done(open_search: str | None) -> None:
        if open_search:
            screen.go_to(SAVED_PREFIX + open_search)
        elif screen.state.node.startswith(SAVED_PREFIX) and screen.store is not None and \
                screen.state.node[len(SAVED_PREFIX):] not in {s.name for s in screen.store.saved_searches()}:
            screen.go_to(ALL)  # the saved search shown was removed

    screen.app.push_screen(DiscoveryScreen(screen.store, screen.discovery, screen.rules), done)


def trends(screen: MainScreen) -> None:
    from tui_reader.ui.screens.trends import TrendsScreen

    if screen.view is None:
        return
    key = screen.state.node
    if "cat:" in key:
        category = key.rsplit("cat:", 1)[1]
    elif key.startswith("archive:"):
        category = key[len("archive:"):]
    else:
        category = ""
    screen.app.push_screen(TrendsScreen(screen.view.papers, categories=category))
