"""Background work never takes the reader down (issue 14, point 7): the
Suggested ranking with a bookmark whose words the library lacks, and any
worker that fails becomes a notice while the reader keeps running."""

from __future__ import annotations

import asyncio

from tests.support import EMBEDDED, until, wait_ready
from tui_reader.core.loader import load_library
from tui_reader.core.state import StateStore
from tui_reader.core.state.importer import parse_import
from tui_reader.ui.factory import make_app


def bookmark_one_and_import_a_stranger() -> None:
    """As a reader would: bookmark one paper of the samples, then
    ``bookmarks import`` an id the library does not hold."""
    library = load_library([EMBEDDED], None, parallel=False)
    with StateStore.open() as store:
        store.add_bookmark(library.sorted_papers()[0])
        parsed = parse_import("2612.99999\n")
        store.merge_bookmarks(parsed.items)


async def test_suggested_with_a_bookmark_from_elsewhere_does_not_crash():
    bookmark_one_and_import_a_stranger()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await until(pilot, lambda: screen.panes.found.suggested is not None, "Suggested ranked")
        await pilot.pause(0.1)
        assert app.is_running and app.return_code is None
        assert screen.panes.found.suggested  # ranked by the bookmark it knows
        assert screen.tree.label_of("suggested").split()[-1].isdigit()


async def test_a_failing_worker_is_a_notice_and_the_reader_keeps_running(monkeypatch):
    import tui_reader.core.index.similar as similar

    def broken(*args, **kwargs):
        raise RuntimeError("the ranking broke")

    monkeypatch.setattr(similar, "suggest", broken)
    monkeypatch.setattr(similar, "more_like", broken)
    bookmark_one_and_import_a_stranger()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        # Not wait_ready(index=True): its settle re-raises a worker's failure,
        # and these workers fail on purpose (whether one is still running
        # when the index is built depends on how fast the index opens).
        screen = await wait_ready(pilot)
        await asyncio.wait_for(screen.panes.librarian.index_built.wait(), 60)
        await until(pilot, lambda: any("the ranking broke" in message for message in app.notices_shown),
                    "a notice of the failure")
        # L fails the same way: a second notice, and the keys still work.
        await pilot.press("L")
        await until(pilot, lambda: sum("the ranking broke" in message for message in app.notices_shown) >= 2,
                    "a notice for L")
        before = screen.paper_list.cursor
        await pilot.press("j")
        await pilot.pause(0.05)
        assert screen.paper_list.cursor == before + 1
        assert app.is_running and app.return_code is None
        assert any("more like this failed" in message for message in app.notices_shown)



async def test_the_signals_count_waits_while_the_reader_presses_keys(databranch, monkeypatch):
    """The With code / Accepted count (every paper's signals, seconds at
    75,000 papers) waits between its pieces while keys come, then ends."""
    import threading
    import time

    from tui_reader.core.pace import Pace
    from tui_reader.core.views import LibraryView

    keys_started = threading.Event()
    waits: list[tuple[bool, float]] = []
    original = LibraryView.count_signals

    def counting(view, give_way=lambda: False):
        keys_started.wait(10)

        def timed() -> bool:
            busy, started = app.pace.busy(), time.monotonic()
            stop = give_way()
            waits.append((busy, time.monotonic() - started))
            return stop

        return original(view, give_way=timed)

    monkeypatch.setattr(LibraryView, "count_signals", counting)
    app = make_app([str(databranch)])
    app.pace = Pace(quiet=2.0)  # longer than a key takes to go through on a loaded machine
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        for n in range(10):  # a reader going down the list, a key every 0.1 s
            await pilot.press("j")
            if n == 3:  # the app is past its start: the keys come quickly
                keys_started.set()
            await pilot.pause(0.1)
        # the count is set in the worker; the tree shows it once the app has
        # handled the message, so wait for what the reader sees
        await until(
            pilot, lambda: screen.tree.label_of("code").split()[-1].isdigit(), "the signals shown", timeout=20
        )
        assert screen.panes.lib.view.with_code is not None
        assert waits and waits[0][0] and waits[0][1] >= 0.15  # it waited for the keys to stop
