"""Background work that gives way to a reader at the keys.

Python runs one thread at a time: a worker warming something up for
later (every paper's signals: ~3 s of 75,000 papers at a warm start)
holds the interpreter half the time while the reader types a query, and
the search that answers it, and the frame that shows it, wait their turn
(a query typed after a warm start answered in 0.2-0.7 s instead of
0.05 s).  Such work asks :meth:`Pace.give_way` between small pieces: it
waits while the reader is busy (a key within the last ``quiet`` seconds,
or a search running), then goes on.  The pace never stops the work for
good: after ``longest`` seconds of waiting it goes on a piece at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

QUIET = 0.6  # seconds after a key before background work goes on
STEP = 0.05  # how long it waits at a time


class Pace:
    def __init__(self, clock: Callable[[], float] = time.monotonic, quiet: float = QUIET) -> None:
        self._clock = clock
        self._quiet = quiet
        self._last = float("-inf")  # when the reader last pressed a key
        self._running = 0  # searches (or other work the reader waits for) under way
        self._lock = threading.Lock()

    def touched(self) -> None:
        """A key was pressed (called on the event loop)."""
        self._last = self._clock()

    @contextmanager
    def waited_on(self) -> Iterator[None]:
        """``with pace.waited_on():`` around work the reader waits for."""
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
            self.touched()  # its results are shown next: give the frame its time too

    def busy(self) -> bool:
        return self._running > 0 or self._clock() - self._last < self._quiet

    def give_way(self, cancelled: Callable[[], bool] = lambda: False, longest: float = 5.0) -> bool:
        """Wait while the reader is busy (at most ``longest`` seconds, or
        until ``cancelled``), else only let another thread run; True when
        the work is cancelled (and should stop)."""
        if not self.busy():
            time.sleep(0)  # the interpreter to another thread, if one waits
            return cancelled()
        deadline = self._clock() + longest
        while self.busy() and not cancelled() and self._clock() < deadline:
            time.sleep(STEP)
        return cancelled()


NEVER = Pace(quiet=0.0)  # for callers with no reader: never waits
