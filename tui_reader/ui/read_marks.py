"""When a paper counts as read (``mark_read`` in config.toml):

* ``"open"`` (the default): when the reader opens it (Enter in the list,
  or the detail pane focused on it);
* ``"highlight"``: also when it stays highlighted for ``mark_read_delay``
  seconds after the reader moved the cursor onto it;
* ``"manual"``: only by hand (``m``).

Never by starting the app, choosing a node, typing a search or passing
over papers: a list put in front of the reader marks nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.dom import DOMNode
from textual.timer import Timer
from textual.widget import Widget

from tui_reader.core.model import Paper
from tui_reader.core.state import StateStore


class Reader(Protocol):
    """What the marker needs of the panes (tui_reader.ui.panes.Panes)."""

    host: DOMNode
    detail: Widget

    @property
    def store(self) -> StateStore | None: ...

    @property
    def current(self) -> Paper | None: ...

    def attempt(self, change: Callable[..., Any], *args) -> tuple[bool, Any]: ...

    def after_state_change(self, redraw_detail: bool = True) -> None: ...

MODES = ("open", "highlight", "manual")


class ReadMarker:
    def __init__(self, p: Reader, mode: str, delay: float) -> None:
        self.panes = p
        self.mode = mode if mode in MODES else "open"
        self.delay = delay
        self._timer: Timer | None = None
        self._by_hand: str | None = None  # set or cleared with m: left alone while it stays shown

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def set_by_hand(self, paper_id: str) -> None:
        self._by_hand = paper_id
        self.cancel()

    def highlighted(self, paper: Paper | None, moved: bool) -> None:
        """The cursor is on ``paper``; ``moved``: the reader moved it there."""
        self.cancel()
        if paper is None or paper.id != self._by_hand:
            self._by_hand = None
        if paper is None or not moved:
            return
        if self.mode == "open" and self.panes.detail.has_focus:
            self.mark(paper)  # next/previous paper while reading in the detail pane
        elif self.mode == "highlight":
            paper_id = paper.id
            self._timer = self.panes.host.set_timer(self.delay, lambda: self._after_delay(paper_id))

    def opened(self, paper: Paper | None) -> None:
        """Enter on ``paper``, or the detail pane focused on it."""
        if paper is not None and self.mode != "manual":
            self.mark(paper)

    def _after_delay(self, paper_id: str) -> None:
        self._timer = None
        current = self.panes.current
        if current is not None and current.id == paper_id:
            self.mark(current)

    def mark(self, paper: Paper) -> None:
        store = self.panes.store
        if store is None or store.read_only or paper.id == self._by_hand or store.is_read(paper.id):
            return
        ok, _ = self.panes.attempt(store.mark_read, [paper.id], True, False)
        if ok:
            self.panes.after_state_change(redraw_detail=True)
