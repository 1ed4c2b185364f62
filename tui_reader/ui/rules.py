"""Adding and removing interests, mute rules and saved searches, with a
notice for each: one :class:`RuleEditor` shared by the main screen's keys,
the discovery dialog and triage (each is handed this, not the screen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from tui_reader.core.discovery import INTEREST, Rule, RuleError, parse_rule
from tui_reader.core.state import StateError, StateStore
from tui_reader.ui.screens.dialogs import TextPromptScreen

if TYPE_CHECKING:
    from textual.app import App

    from tui_reader.core.index import SearchIndex

RULE_HINT = ("a keyword or phrase, author:NAME or cat:CATEGORY (cat:cs.* for a whole archive) · "
             "enter: save · escape: cancel")


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

    def counter(self, kind: str, index: SearchIndex | None) -> Callable[[str], str] | None:
        """What a rule typed would match now, for the prompt's count line
        (run in its worker: one index query)."""
        if index is None:
            return None
        verb = "shows ◆ on" if kind == INTEREST else "hides"

        def count(text: str) -> str:
            if not text.strip():
                return ""
            try:
                rule = parse_rule(kind, text)
            except RuleError as error:
                return str(error)
            result = index.search(rule.query(), limit=None)
            if result.error:
                return result.error
            found = len(result.ids or ())
            return f"{verb} {found} paper{'s' if found != 1 else ''} now"

        return count

    def prompt(self, kind: str, value: str = "", after: Callable[[], None] | None = None,
               index: SearchIndex | None = None) -> None:
        """Ask for a rule of ``kind`` (``value`` offered), with how many
        papers it matches as it is typed when the ``index`` is open."""
        if self._writable() is None:
            return
        title = "Add an interest (matching papers are marked ◆ and sorted first)" if kind == INTEREST \
            else "Mute: hide papers matching (X shows them, i lists the rules)"

        def done(text: str | None) -> None:
            if text is not None and text.strip():
                self.add(kind, text)
            if after is not None:
                after()

        self.app.push_screen(TextPromptScreen(title, value, RULE_HINT, self.counter(kind, index)), done)

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

    def undo(self) -> bool:
        """Undo the store's last change (a rule removed in the dialog comes
        back); True when something was undone."""
        store = self._writable()
        if store is None:
            return False
        ok, description = self._attempt(store.undo)
        if not ok:
            return False
        if description is None:
            self.notify("Nothing to undo.", timeout=2)
            return False
        self.notify(f"Undone: {description}")
        self.changed()
        return True

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
