"""Issue 7.3 (in process): the app at small, usual and huge sizes, and
resized while it loads, searches and shows a modal.  Each case ends with a
screen that still shows the paper and holds no control sequence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness import hostile as H
from tests.robustness.waiting import select
from tests.support import wait_ready
from tui_reader.ui.factory import make_app


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    H.write_markdown(folder)
    H.write_jsonl(folder / "jsonl")
    return folder


def _plain(svg: str) -> str:
    return svg.replace("&#160;", " ")


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (250, 80)])
async def test_usable_at_every_size(library, size):
    app = make_app([str(library)])
    async with app.run_test(size=size) as pilot:
        screen = await wait_ready(pilot)
        await select(pilot, screen, H.HOSTILE_ID)
        assert "Hostile Title" in screen.detail.text
        # Every pane and modal opens and closes at this size.
        for keys in (("enter",), ("tab",), ("backslash",), ("backslash",), ("question_mark",), ("escape",),
                     ("p",), ("escape",), ("slash", "h", "o", "s", "t"), ("enter",), ("G",), ("a",)):
            await pilot.press(*keys)
            await pilot.pause(0.02)
        svg = _plain(app.export_screenshot())
        H.assert_clean(svg, f"the screen at {size}")
        if size[0] < 80:
            assert screen.has_class("-narrow")
        assert app.is_running


@pytest.mark.slow  # 11 s: resizes through a whole load, a search and a modal
async def test_resizing_while_loading_searching_and_in_a_modal(library):
    app = make_app([str(library)])
    sizes = [(40, 12), (250, 80), (20, 6), (80, 24), (139, 30), (140, 30), (79, 24), (1, 1), (120, 40)]
    async with app.run_test(size=(80, 24)) as pilot:
        # Before the library has loaded.
        for width, height in sizes:
            await pilot.resize_terminal(width, height)
        screen = await wait_ready(pilot)
        await pilot.press("slash", "l", "o", "n", "g")
        for width, height in sizes:
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.01)
        await pilot.press("enter", "question_mark")
        for width, height in reversed(sizes):
            await pilot.resize_terminal(width, height)
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.is_running and screen.panes.lib.library is not None
        assert screen.paper_list.current is not None
        H.assert_clean(_plain(app.export_screenshot()), "the screen after resizing")
