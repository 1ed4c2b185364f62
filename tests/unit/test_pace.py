"""core.pace: background warm-ups give way to a reader at the keys."""

from __future__ import annotations

import threading
import time

from tui_reader.core.loader import load_library
from tui_reader.core.pace import Pace
from tui_reader.core.signals import signals_of
from tui_reader.core.views import PIECE, LibraryView


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_busy_after_a_key_and_while_a_search_runs_then_quiet():
    clock = Clock()
    pace = Pace(clock=clock, quiet=0.5)
    assert not pace.busy()
    pace.touched()
    assert pace.busy()
    clock.now += 0.6
    assert not pace.busy()
    with pace.waited_on():
        clock.now += 10
        assert pace.busy()  # however long the search takes
    assert pace.busy()  # and a moment after it, for the frame that shows it
    clock.now += 0.6
    assert not pace.busy()


def test_give_way_waits_until_the_keys_stop_and_stops_when_cancelled():
    pace = Pace(quiet=0.3)
    pace.touched()
    started = time.monotonic()
    assert pace.give_way() is False
    assert time.monotonic() - started >= 0.25  # waited for the quiet
    stop = threading.Event()
    pace.touched()
    threading.Timer(0.05, stop.set).start()
    started = time.monotonic()
    assert pace.give_way(cancelled=stop.is_set) is True
    assert time.monotonic() - started < 0.25  # did not wait out the quiet once cancelled


def test_give_way_never_waits_past_its_longest():
    clock = Clock()
    pace = Pace(clock=clock, quiet=1e9)
    pace.touched()
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        clock.now += 1.0  # each look: a second later
        return False

    assert pace.give_way(cancelled=cancelled, longest=3.0) is False
    assert len(calls) <= 6


def test_counting_signals_asks_between_pieces_and_stops_when_told(databranch):
    library = load_library([databranch], None, parallel=False)
    view = LibraryView(library)
    assert len(view.papers) > PIECE + 1
    asked = []
    assert view.count_signals(give_way=lambda: asked.append(1) or False)
    assert len(asked) == (len(view.papers) - 1) // PIECE >= 1
    assert view.with_code == [p for p in view.papers if signals_of(p).code_url]
    assert view.accepted == [p for p in view.papers if signals_of(p).accepted]
    again = LibraryView(library)
    assert not again.count_signals(give_way=lambda: True)
    assert again.with_code is None and again.accepted is None  # counted again when asked
