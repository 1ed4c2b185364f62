"""The search box: posts the query at each key as the user types (the
screen runs one search at a time and skips to the newest query); shows
query errors."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static


class SearchBar(Vertical):
    """``/`` focuses it; typing searches; enter goes to the results; escape
    clears it and returns to the previous node."""

    BINDINGS = [
        Binding("escape", "clear", "Clear search", show=False, id="search.clear"),
        Binding("down", "submit", "To results", show=False, id="search.to_results"),
    ]

    @dataclass
    class Changed(Message):
        search_bar: SearchBar
        query: str

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    @dataclass
    class Submitted(Message):
        search_bar: SearchBar
        query: str

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    @dataclass
    class Cleared(Message):
        search_bar: SearchBar

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._message_length = 0  # of the message shown (see show_message)

    def compose(self) -> ComposeResult:
        # No select-all on focus: / on a query puts the cursor at its end, to refine it.
        yield Input(placeholder="/ search: words, \"phrase\", author:, cat:cs.*, date:2026-03 …", id="search-input",
                    select_on_focus=False)
        yield Static("", id="search-message")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, value: str) -> None:
        with self.input.prevent(Input.Changed):
            self.input.value = value

    def show_message(self, message: str | None, error: bool = False) -> None:
        label = self.query_one("#search-message", Static)
        text = message or ""
        # A layout pass repaints every pane: only when the message may take
        # another number of rows (it shows, hides, or is wider than a row).
        width = max(1, label.size.width - 2)
        layout = label.display != bool(text) or max(len(text), self._message_length) > width
        self._message_length = len(text)
        label.update(Text(text, style="bold red" if error else "dim"), layout=layout)
        label.display = bool(text)

    def on_mount(self) -> None:
        self.show_message(None)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.value))

    def action_clear(self) -> None:
        self.set_value("")
        self.show_message(None)
        self.post_message(self.Cleared(self))
