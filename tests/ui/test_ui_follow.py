"""Pilot tests: a followed fork fetched in the background while the reader
is open; new days appear with a status line, failures are notices and the
reader keeps what it has.  Local bare repositories only, no network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import FIXTURES, Remote, wait_ready
from tui_reader.core import follow as forks
from tui_reader.ui.factory import make_app

MULTIDAY = FIXTURES / "multiday"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


async def _wait_for(pilot, condition, what: str) -> None:
    for _ in range(2000):  # a bound, not a timing: the fetch runs beside the load
        await pilot.pause(0.02)
        if condition():
            return
    raise AssertionError(f"never: {what}")


def _notices(app) -> str:
    return " ".join(message for message in app.notices_shown)


@pytest.fixture
def followed(tmp_path: Path) -> Remote:
    fork = Remote(tmp_path)
    fork.publish(MULTIDAY / "2026-01-21.md", message="first day")
    follow = forks.Follow(fork.url)
    assert forks.clone(follow).status == "cloned"
    forks.add(follow)
    return fork


async def test_new_days_appear_while_the_reader_is_open(followed: Remote) -> None:
    followed.publish(MULTIDAY / "2026-01-22_AI_enhanced_English.jsonl", message="second day")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        # The copy on disk shows at once; the fetch runs meanwhile.
        await _wait_for(pilot, lambda: "day:2026-01-22" in screen.panes.lib.view.by_day.keys() or
                        screen.tree.has_key("day:2026-01-22"), "the new day in the tree")
        await _wait_for(pilot, lambda: "1 new day from the fork: 2026-01-22" in screen.panes.status.text,
                        "the status line")
        assert screen.tree.has_key("day:2026-01-21")
        await pilot.press("j")  # the reader is not stuck
        assert screen.paper_list.cursor == 1


async def test_a_force_push_is_a_notice_and_the_new_history_shows(followed: Remote) -> None:
    followed.publish(MULTIDAY / "2026-01-23.md", message="another day")
    assert forks.update(forks.Follow(followed.url)).status == "updated"
    followed.rewrite()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _wait_for(pilot, lambda: "rewrote its history (force-push)" in _notices(app), "the notice")


async def test_an_unreachable_fork_is_a_notice_and_the_copy_stays(followed: Remote) -> None:
    shutil.rmtree(followed.bare)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await _wait_for(pilot, lambda: "could not fetch" in _notices(app), "the notice")
        assert "showing the copy on disk" in _notices(app)
        assert "fork not updated" in screen.panes.status.text
        assert screen.tree.has_key("day:2026-01-21")
        assert screen.paper_list.papers
