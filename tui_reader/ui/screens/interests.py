"""The discovery screen (``i``): interests, mute rules and saved searches,
each with its count; add, remove (``u`` on the main screen undoes), and
open a saved search, and undo (``u``) here too.  It gets the store, the latest matches and a
RuleEditor (which saves changes and tells the main screen); it returns the
saved search to open, if any, through ``dismiss``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_reader.core.discovery import INTEREST, MUTE, Discovery
from tui_reader.core.state import StateStore
from tui_reader.core.text import clean, one_line
from tui_reader.ui.rules import RuleEditor


class DiscoveryScreen(ModalScreen[str | None]):
    """Returns the name of the saved search to open, or None."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="discovery.close"),
        Binding("a", "add('interest')", "Add an interest", id="discovery.add_interest"),
        Binding("x", "add('mute')", "Add a mute rule", id="discovery.add_mute"),
        Binding("d,delete", "remove", "Remove", id="discovery.remove"),
        Binding("u", "undo", "Undo", id="discovery.undo"),
        Binding("j", "cursor(1)", "Down", show=False, id="discovery.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="discovery.up"),
    ]

    def __init__(self, store: StateStore, found: Discovery, rules: RuleEditor) -> None:
        super().__init__()
        self.store = store
        self.found = found
        self.rules = rules
        self.rows: dict[str, tuple[str, object]] = {}  # option id -> (what, rule / saved search)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Interests, mute rules and saved searches", style="bold"), classes="dialog-title")
            yield OptionList(id="discovery-list")
            yield Static(Text("a: add interest · x: add mute rule · d: remove · u: undo · "
                              "enter: open saved search · escape: close", style="dim"))

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def show_matches(self, found: Discovery) -> None:
        """New counts (the main screen's workers computed them)."""
        self.found = found
        self.reload()

    def reload(self) -> None:
        """Rebuild the rows from the store, with the latest counts."""
        store = self.store
        found = self.found
        options: list[Option | None] = []
        self.rows = {}
        interests = store.rules(INTEREST)
        mutes = store.rules(MUTE)
        searches = store.saved_searches()
        known = found.counts

        def count_text(rule) -> str:
            if rule.label in found.errors:
                return "  (" + one_line(found.errors[rule.label]) + ")"
            if rule.key not in known:
                return "  …"
            n = known[rule.key]
            if rule.kind == INTEREST:
                return f"  {n} paper{'s' if n != 1 else ''}"
            return f"  hides {n}"

        sections = (
            ("Interests", interests, "i", "  ◆ ", "green", "  none: press a, or I on a paper"),
            ("Mute rules", mutes, "m", "  ⊘ ", "red", "  none: press x, or x on a paper"),
        )
        for title, rules, prefix, mark, style, empty in sections:
            options.append(Option(Text(f"{title} ({len(rules)})", style="bold"), disabled=True))
            for n, rule in enumerate(rules):
                row = Text(mark, style=style)
                row.append(clean(rule.label))
                row.append(count_text(rule), style="dim")
                self.rows[f"{prefix}{n}"] = ("rule", rule)
                options.append(Option(row, id=f"{prefix}{n}"))
            if not rules:
                options.append(Option(Text(empty, style="dim"), disabled=True))
        options.append(Option(Text(f"Saved searches ({len(searches)})", style="bold"), disabled=True))
        for n, search in enumerate(searches, 1):
            row = Text(f"  {n if n <= 9 else ' '} ", style="bold")
            row.append(clean(search.name))
            row.append("  " + one_line(clean(search.query)), style="italic")
            ids = found.saved.get(search.name)
            row.append(f"  {len(ids)}" if ids is not None else "  …", style="dim")
            self.rows[f"s{n}"] = ("search", search)
            options.append(Option(row, id=f"s{n}"))
        if not searches:
            options.append(Option(Text("  none: search (/) and press S", style="dim"), disabled=True))
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(options)
        if highlighted is not None and highlighted < option_list.option_count:
            option_list.highlighted = highlighted
        if option_list.highlighted is None or option_list.get_option_at_index(option_list.highlighted).disabled:
            option_list.action_first()

    def _selected(self) -> tuple[str, object] | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        option = option_list.get_option_at_index(option_list.highlighted)
        return self.rows.get(option.id or "")

    def action_cursor(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_add(self, kind: str) -> None:
        self.rules.prompt(kind, "", after=self.reload)

    def action_remove(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        what, item = selected
        if what == "rule":
            self.rules.remove(item)
        else:
            self.rules.remove_saved_search(item.name)
        self.reload()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        selected = self._selected()
        if selected is None or selected[0] != "search":
            return
        self.dismiss(selected[1].name)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_undo(self) -> None:
        if self.rules.undo():
            self.reload()
