"""SVG snapshot tests of the main views (pytest-textual-snapshot).

Refresh after an intended change of looks with
``.venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update``
and look at the new SVGs before committing them.  The main views are of the
embedded samples' two seed digests (SEED_FILES), the same since they were
made; the dated slice beside them has views of its own (databranch)."""

from __future__ import annotations

import pytest

from tests.support import FIXTURE, SEED_FILES, settle, wait_ready
from tui_reader.ui.factory import make_app


def seeds():
    return make_app(SEED_FILES, mark_read_after=3600)


@pytest.fixture(autouse=True)
def no_index_notice(monkeypatch):
    """A build that took 5 s or more ends with a notice; on a loaded machine
    the small libraries here can take that long: keep it out of the pictures."""
    from tui_reader.ui.actions import loading

    monkeypatch.setattr(loading, "ANNOUNCE_AFTER", float("inf"))


async def ready(pilot) -> None:
    await wait_ready(pilot, index=True)
    await settle(pilot)  # the tree's For you, Interests and Suggested counts come from workers
    await pilot.wait_for_scheduled_animations()  # the tree's and the list's scrolling
    await pilot.pause(0.2)


def test_main_view(snap_compare):
    assert snap_compare(seeds(), terminal_size=(120, 36), run_before=ready)


def test_abstract_view(snap_compare):
    assert snap_compare(seeds(), press=["j", "a"], terminal_size=(120, 36), run_before=ready)


def test_wide_layout(snap_compare):
    assert snap_compare(seeds(), press=["j", "j"], terminal_size=(160, 45), run_before=ready)


def test_small_terminal(snap_compare):
    assert snap_compare(seeds(), press=["j"], terminal_size=(80, 24), run_before=ready)


def test_help_screen(snap_compare):
    assert snap_compare(seeds(), press=["question_mark"], terminal_size=(120, 45),
                        run_before=ready)


def test_language_toggle_on_a_two_language_paper(snap_compare):
    async def select_then_ready(pilot) -> None:
        await ready(pilot)
        pilot.app.screen.paper_list.select_id("2603.10001")
        await pilot.pause(0.2)

    assert snap_compare(make_app([str(FIXTURE)], mark_read_after=3600), press=["l"], terminal_size=(120, 36),
                        run_before=select_then_ready)


# --- real days from the producer's data branch (reading comfort) --------------------

def _on_day(day: str, paper: str | None = None, keys: tuple[str, ...] = ()):
    async def run_before(pilot) -> None:
        from tests.support import choose_node

        await ready(pilot)
        screen = pilot.app.screen
        await choose_node(pilot, screen, f"day:{day}")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        if paper is not None:
            assert screen.paper_list.select_id(paper)
        await settle(pilot)  # the detail follows the cursor a moment later
        if keys:
            await pilot.press(*keys)
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)

    return run_before


def test_day_at_80x24_title_meta_and_tldr_on_the_first_screen(snap_compare, databranch):
    """No date column in a day view; the detail's first screen reaches the TL;DR."""
    assert snap_compare(make_app([str(databranch)], mark_read_after=3600), terminal_size=(80, 24),
                        run_before=_on_day("2026-06-19", "2606.19617"))


def test_many_authors_fold_at_80x24(snap_compare, databranch):
    assert snap_compare(make_app([str(databranch)], mark_read_after=3600), terminal_size=(80, 24),
                        run_before=_on_day("2026-06-19", "2606.19348"))


def test_chinese_detail_zoomed_at_120x36(snap_compare, databranch):
    """Chinese wraps between characters, never a line starting with ，or 。."""
    assert snap_compare(make_app([str(databranch)], mark_read_after=3600), terminal_size=(120, 36),
                        run_before=_on_day("2026-06-19", keys=("z",)))


def test_two_line_rows_at_120x36(snap_compare, databranch):
    assert snap_compare(make_app([str(databranch)], mark_read_after=3600), terminal_size=(120, 36),
                        run_before=_on_day("2026-06-20", keys=("d",)))


def test_wide_list_at_200x50(snap_compare, databranch):
    """Side by side: the list's titles keep 80+ cells, authors last."""
    assert snap_compare(make_app([str(databranch)], mark_read_after=3600), terminal_size=(200, 50),
                        run_before=_on_day("2026-06-19"))
