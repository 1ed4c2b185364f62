"""A modal listing what could not be read, as ``file:line: message``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_reader.core.model import Problem
from tui_reader.core.text import clean


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,p", "dismiss", "Close", id="problems.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="problems.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="problems.up"),
    ]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-dialog", classes="dialog"):
            count = len(self.problems)
            yield Static(Text(f"{count} problem{'s' if count != 1 else ''} while reading the library", style="bold"),
                         classes="dialog-title")
            body = Text()
            for problem in self.problems:
                body.append(clean(problem.file), style="bold")
                body.append(f":{problem.line}: ", style="dim")
                body.append(clean(problem.message))
                body.append("\n")
            if not self.problems:
                body.append("Every file was read without a problem.")
            with VerticalScroll(id="problems-body"):
                yield Static(body)
            yield Static(Text("escape: close", style="dim"))

    def action_scroll(self, step: int) -> None:
        self.query_one("#problems-body", VerticalScroll).scroll_relative(y=step, animate=False)
