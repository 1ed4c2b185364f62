"""The export dialog (``E``): what (the selection, this list, the
bookmarks), which format, and where (a file, or the clipboard).  Returns
an :class:`ExportRequest` through ``dismiss`` (None when cancelled)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from tui_reader.core.state.export import EXTENSIONS, FORMATS

FORMAT_LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csl-json": "CSL-JSON", "csv": "CSV", "markdown": "Markdown",
                 "json": "JSON"}
SCOPES = ("selection", "list", "bookmarks")
SCOPE_LABELS = {"selection": "the selection", "list": "this list", "bookmarks": "the bookmarks"}
STEMS = {"selection": "papers", "list": "list", "bookmarks": "bookmarks"}


@dataclass(frozen=True, slots=True)
class ExportRequest:
    scope: str  # "selection", "list" or "bookmarks"
    format: str  # one of FORMATS
    path: str | None  # None: the clipboard


class ExportScreen(ModalScreen[ExportRequest | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+y", "clipboard", "Copy to the clipboard", id="export.clipboard"),
        Binding("ctrl+s", "write", "Write the file", id="export.write"),
        # Enter writes from any field (a radio button too: space chooses one).
        Binding("enter", "write", "Write the file", priority=True, show=False, id="export.enter"),
    ]

    def __init__(self, counts: dict[str, int], scope: str, fmt: str, folder: Path) -> None:
        super().__init__()
        self.counts = counts
        self.scope = scope
        self.format = fmt
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog export-dialog"):
            yield Static(Text("Export", style="bold"), classes="dialog-title")
            with Horizontal(classes="export-choices"):
                with RadioSet(id="export-scope"):
                    for scope in SCOPES:
                        yield RadioButton(f"{SCOPE_LABELS[scope]} ({self.counts.get(scope, 0)})",
                                          value=scope == self.scope, disabled=not self.counts.get(scope, 0),
                                          name=scope)
                with RadioSet(id="export-format"):
                    for fmt in FORMATS:
                        yield RadioButton(FORMAT_LABELS[fmt], value=fmt == self.format, name=fmt)
            yield Static(Text("File:"))
            yield Input(value=str(self.folder / self._file_name()), id="export-path")
            yield Static(Text("enter / ctrl+s: write the file    ctrl+y: copy to the clipboard instead\n"
                              "tab: what / format / file    space: choose    escape: cancel", style="dim"))

    def _file_name(self) -> str:
        return f"{STEMS[self.scope]}-{dt.date.today()}{EXTENSIONS[self.format]}"

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(RadioSet.Changed)
    def on_choice(self, event: RadioSet.Changed) -> None:
        event.stop()
        old = self._file_name()
        if event.radio_set.id == "export-scope":
            self.scope = event.pressed.name or self.scope
        else:
            self.format = event.pressed.name or self.format
        # The file name follows the choice while the reader has not typed one.
        path = self.query_one("#export-path", Input)
        if Path(path.value).name == old:
            path.value = str(Path(path.value).with_name(self._file_name()))

    @on(Input.Submitted)
    def on_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()

    def action_write(self) -> None:
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self.notify("Type a file name, or ctrl+y to copy to the clipboard.", severity="warning", timeout=3)
            return
        self.dismiss(ExportRequest(self.scope, self.format, value))

    def action_clipboard(self) -> None:
        self.dismiss(ExportRequest(self.scope, self.format, None))

    def action_cancel(self) -> None:
        self.dismiss(None)
