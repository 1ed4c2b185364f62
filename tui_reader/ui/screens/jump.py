"""Jump to a node (``f``): type part of a day or category name, enter goes
there.  Returns the node key through ``dismiss`` (None when cancelled)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_reader.core.text import clean

LIMIT = 200  # rows shown at most; typing narrows them


class JumpScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="jump.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="jump.down"),
        Binding("up", "move(-1)", "Up", show=False, id="jump.up"),
    ]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = choices  # (node key, name)
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Jump to a day or category", style="bold"), classes="dialog-title")
            yield Input(placeholder="part of a name: 06-19, cs.CL, hep…", id="jump-input")
            yield OptionList(id="jump-list")
            yield Static(Text("enter: go · ↑↓: choose · escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def fill(self, typed: str) -> None:
        words = typed.casefold().split()
        matches = [(key, name) for key, name in self.choices if all(w in name.casefold() for w in words)]
        options = self.query_one(OptionList)
        options.clear_options()
        self.shown = [key for key, _ in matches[:LIMIT]]
        options.add_options([Option(Text(clean(name)), id=key) for key, name in matches[:LIMIT]])
        if self.shown:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        index = options.highlighted
        self.dismiss(self.shown[index] if index is not None and index < len(self.shown) else None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
