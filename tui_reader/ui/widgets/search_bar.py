"""The search box: posts the query at each key as the user types, runs
the search worker the screen asks for (one at a time, the newest query
next: :class:`~tui_reader.core.session.SearchSession`), shows the results'
line and query errors."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import Worker

from tui_reader.core.pace import NEVER
from tui_reader.ui.messages import SearchDone, WorkFailed
from tui_reader.ui.workers import report_failure

if TYPE_CHECKING:
    from tui_reader.core.index import SearchIndex
    from tui_reader.core.session import SearchRun, SearchSession
    from tui_reader.core.state import StateStore

SEARCH_LIMIT = 2000  # results shown for one query; the count says "2000+" past it


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

    # --- the search worker ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="searching")
    def run_search(self, index: SearchIndex | None, run: SearchRun, session: SearchSession,
                   state: StateStore | None) -> None:
        """Search ``run`` (from ``session.request``); a SearchDone always
        follows, and a newer request stops this one."""
        from tui_reader.core.index import INTERACTIVE_BUDGET  # the index's modules: in the worker, not at start

        started = time.perf_counter()
        try:
            if index is None:
                raise RuntimeError("the search index is not open")
            # Cut off past half a second with a note: a key (q too) never waits behind a search;
            # background warm-ups wait for it (core.pace).
            with getattr(self.app, "pace", NEVER).waited_on():
                result = index.search(run.query, as_you_type=run.typing, limit=SEARCH_LIMIT, state=state,
                                      within=run.within, cancelled=lambda: session.stale(run.generation),
                                      budget=INTERACTIVE_BUDGET, correct=run.correct)
        except Exception as error:  # noqa: BLE001 - the index promises not to raise; belt and braces
            self.post_message(SearchDone(run.query, error, time.perf_counter() - started))
            return
        self.post_message(SearchDone(run.query, result, time.perf_counter() - started))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event):
            self.post_message(WorkFailed(event.worker.group, event.worker.error))
