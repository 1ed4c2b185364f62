"""The status line under the panes: named parts in a fixed order
("load · library · node · selection · index · search · fork · problems ·
store"), each set or cleared by whoever owns it, and phases whose seconds
move once a second so the line never stands still during long work.

    status.set("fork", "fetching the followed fork…")
    status.ticking("load", lambda seconds: f"saving the library · {seconds} s")
    status.get("index"), status.text
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

ORDER = ("load", "library", "node", "selection", "index", "search", "fork", "sync", "problems", "rank", "store")
SEPARATOR = "  ·  "


class StatusLine(Static):
    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, *, id: str | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__("", id=id, markup=False)
        self.clock = clock
        self._parts: dict[str, str] = {}
        self._shown = ""
        self._tickers: dict[str, Timer] = {}

    @property
    def text(self) -> str:
        """The line as shown."""
        return self._shown

    def get(self, key: str) -> str | None:
        return self._parts.get(key)

    def set(self, key: str, text: str | None) -> None:
        """Show ``text`` as part ``key`` (None or empty: take it away); a part
        set by hand stops its ticking."""
        self._stop(key)
        self._put(key, text)

    def ticking(self, key: str, render: Callable[[int], str | None]) -> None:
        """Part ``key`` shows ``render(seconds since now)``, again every second
        until it is set, cleared or ticks again."""
        self._stop(key)
        since = self.clock()

        def show() -> None:
            self._put(key, render(int(self.clock() - since)))

        show()
        self._tickers[key] = self.set_interval(1.0, show)

    def refreshing(self, key: str, render: Callable[[], str | None]) -> None:
        """Part ``key`` shows ``render()`` now and every second (its owner
        keeps the phase and its start) until set or cleared; again while it
        refreshes: shown anew now, the same timer going on."""
        if key in self._tickers:
            self._put(key, render())
            return
        self._put(key, render())
        self._tickers[key] = self.set_interval(1.0, lambda: self._put(key, render()))

    def is_ticking(self, key: str) -> bool:
        return key in self._tickers

    def _stop(self, key: str) -> None:
        timer = self._tickers.pop(key, None)
        if timer is not None:
            timer.stop()

    def _put(self, key: str, text: str | None) -> None:
        if text:
            self._parts[key] = text
        else:
            self._parts.pop(key, None)
        line = SEPARATOR.join(self._parts[k] for k in ORDER if k in self._parts)
        if line != self._shown:
            self._shown = line
            # One row whatever it says: no layout pass (a layout pass repaints
            # every pane, which made each keystroke of a search cost 100+ ms).
            self.update(Text(line), layout=False)
