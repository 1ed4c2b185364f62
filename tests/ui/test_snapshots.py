"""SVG snapshot tests of the main views (pytest-textual-snapshot).

Refresh after an intended change of looks with
``.venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update``
and look at the new SVGs before committing them."""

from __future__ import annotations

from tests.support import FIXTURE, wait_ready
from tui_reader.ui.factory import make_app


async def ready(pilot) -> None:
    screen = await wait_ready(pilot, index=True)
    for _ in range(200):  # the tree's Interests and Suggested counts come from workers
        if screen.discovery_ready and screen.suggested_ids is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.2)


def test_main_view(snap_compare):
    assert snap_compare(make_app(mark_read_after=3600), terminal_size=(120, 36), run_before=ready)


def test_abstract_view(snap_compare):
    assert snap_compare(make_app(mark_read_after=3600), press=["j", "a"], terminal_size=(120, 36), run_before=ready)


def test_wide_layout(snap_compare):
    assert snap_compare(make_app(mark_read_after=3600), press=["j", "j"], terminal_size=(160, 45), run_before=ready)


def test_small_terminal(snap_compare):
    assert snap_compare(make_app(mark_read_after=3600), press=["j"], terminal_size=(80, 24), run_before=ready)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(mark_read_after=3600), press=["question_mark"], terminal_size=(120, 45),
                        run_before=ready)


def test_language_toggle_on_a_two_language_paper(snap_compare):
    async def select_then_ready(pilot) -> None:
        await ready(pilot)
        pilot.app.screen.paper_list.select_id("2603.10001")
        await pilot.pause(0.2)

    assert snap_compare(make_app([str(FIXTURE)], mark_read_after=3600), press=["l"], terminal_size=(120, 36),
                        run_before=select_then_ready)
