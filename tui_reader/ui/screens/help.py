"""The help screen, built from the live bindings (after the user's key
overrides), so it never drifts from the keys that really work."""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_reader.ui.query_help import QUERY_HELP

Section = tuple[str, list[tuple[str, str]]]
_NUMBERED = re.compile(r"^(.*\S) (\d+)$")


def bindings_of(node: DOMNode, keymap: dict[str, str], key_display, prefix: str | None = None) -> list[tuple[str, str]]:
    """(keys, description) of a node's bindings with the keymap applied;
    only ids starting with ``prefix`` when given.  Numbered bindings
    ("Saved search 1" … "Saved search 9") fold into one row."""
    bindings = node._bindings.copy()
    if keymap:
        bindings.apply_keymap(keymap)
    grouped: dict[tuple[str, str], list[str]] = {}
    for _key, binding in bindings:
        if not binding.description:
            continue
        if prefix is not None and not (binding.id or "").startswith(prefix):
            continue
        grouped.setdefault((binding.action, binding.description), []).append(key_display(binding))
    rows: list[tuple[str, str]] = []
    numbered: dict[str, list[tuple[str, str]]] = {}
    for (_action, description), keys in grouped.items():
        unique = " ".join(dict.fromkeys(keys))
        match = _NUMBERED.match(description)
        if match:
            if match[1] not in numbered:
                numbered[match[1]] = []
                rows.append(("", match[1]))  # placeholder, filled below
            numbered[match[1]].append((unique, match[2]))
        else:
            rows.append((unique, description))
    for index, (keys, description) in enumerate(rows):
        if not keys and description in numbered:
            members = numbered[description]
            if len(members) == 1:
                rows[index] = (members[0][0], f"{description} {members[0][1]}")
            else:
                rows[index] = (f"{members[0][0]}…{members[-1][0]}", f"{description} {members[0][1]}–{members[-1][1]}")
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("g,home", "top", "Top", show=False, id="help.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="help.bottom"),
        Binding("ctrl+d,pagedown", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("ctrl+u,pageup", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("slash", "search_syntax", "Search syntax", show=False, id="help.search"),
    ]

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(Text("Keys and search", style="bold"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                for title, rows in self.sections:
                    table = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                                  box=None, padding=(0, 2, 0, 0), expand=False)
                    table.add_column("key", style="bold", no_wrap=True)
                    table.add_column("action")
                    for keys, description in rows:
                        table.add_row(Text(keys), Text(description))
                    yield Static(table, classes="help-section")
                yield Static(Text(QUERY_HELP), classes="help-section", id="help-search")
            yield Static(Text("/: search syntax · g/G: top/bottom · escape: close · "
                              "keys can be remapped in config.toml by binding id", style="dim"))

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#help-body", VerticalScroll)

    def on_mount(self) -> None:
        self.body.focus()
        self.call_after_refresh(self.body.scroll_home, animate=False)

    def action_scroll(self, step: int) -> None:
        self.body.scroll_relative(y=step, animate=False)

    def action_top(self) -> None:
        self.body.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.body.scroll_end(animate=False)

    def action_page(self, direction: int) -> None:
        self.body.scroll_relative(y=direction * max(1, self.body.size.height - 1), animate=False)

    def action_search_syntax(self) -> None:
        """The query language, one key away."""
        self.body.scroll_to_widget(self.query_one("#help-search"), animate=False, top=True)
