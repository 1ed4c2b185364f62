"""Searching as a reader does, key by key, on the real data-branch slice
(issue 16): the first rows are what the reader meant, Enter ranks as the
command line does, a query that finds nothing shows its correction (ctrl+y: as typed), a search covers everything
until ctrl+g narrows it to the day."""

from __future__ import annotations

import re

import pytest

from tests.support import choose_node, wait_ready
from tests.support import settle as settle_workers
from tui_reader.ui.factory import make_app


def message(screen) -> str:
    return str(screen.search_bar.query_one("#search-message").render())


async def type_query(pilot, screen, text: str) -> None:
    """Type ``text`` one key at a time into the search box and wait until
    the results for all of it are shown."""
    await pilot.press("slash", "ctrl+u")
    for key in text:
        await pilot.press("space" if key == " " else key)
    await settle(pilot, screen, text.strip())


async def settle(pilot, screen, query: str) -> None:
    for _ in range(400):
        await pilot.pause(0.02)
        result = screen.panes.search.result
        if screen.panes.search.query == query and result is not None and not screen.panes.search.searching \
                and screen.panes.search.waiting is None and "results" in message(screen) + " results":
            break
    await pilot.pause(0.05)


def first_titles(screen, n: int = 3) -> list[str]:
    return [p.title for p in screen.paper_list.papers[:n]]


@pytest.fixture
def app(databranch):
    return make_app([str(databranch)], mark_read_after=3600)


async def test_typed_key_by_key_the_first_rows_are_what_was_meant(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await type_query(pilot, screen, "gaussian splatting")
        assert all("gaussian splatting" in t.lower() for t in first_titles(screen)), first_titles(screen)
        await type_query(pilot, screen, "vision-language-action")
        assert all("vision-language-action" in t.lower() for t in first_titles(screen, 2)), first_titles(screen)
        await type_query(pilot, screen, "text-to-image")
        assert all(re.search("text-to-image", t, re.I) for t in first_titles(screen)), first_titles(screen)
        await type_query(pilot, screen, "世界模型")
        assert all("world model" in t.lower() for t in first_titles(screen, 2)), first_titles(screen)


async def test_after_enter_the_box_ranks_as_the_command_line(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        for query in ("world model", "large language model agents", 'author:"Y. Jo"', "Yohan Jo"):
            await type_query(pilot, screen, query)
            await pilot.press("enter")
            await settle(pilot, screen, query)
            for _ in range(100):  # the search after Enter replaces the typed one
                await pilot.pause(0.02)
                if screen.panes.search.result is not None and not screen.panes.search.searching:
                    break
            expected = screen.panes.lib.index.search(query, limit=2000).ids  # what `tui-reader search` runs
            shown = [p.id for p in screen.paper_list.papers]
            assert shown == [pid for pid in expected if pid in set(shown)], query
            assert shown[:5] == expected[:5], query


async def test_a_query_that_finds_nothing_shows_its_correction_and_ctrl_y_searches_as_typed(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await type_query(pilot, screen, "3D gaussian splating ")
        assert first_titles(screen) and all("gaussian splatting" in t.lower() for t in first_titles(screen))
        assert message(screen).startswith("showing results for 3D gaussian splatting · ")
        assert message(screen).endswith("search for 3D gaussian splating instead: ctrl+y")
        await pilot.press("ctrl+y")  # as typed: nothing, the correction offered
        await settle(pilot, screen, "3D gaussian splating")
        assert screen.paper_list.papers == []
        assert screen.panes.search.result.corrected is None
        assert "did you mean: 3D gaussian splatting? (ctrl+y)" in message(screen)
        await pilot.press("ctrl+y")
        await settle(pilot, screen, "3D gaussian splatting")
        assert screen.search_bar.value == "3D gaussian splatting"
        assert first_titles(screen) and all("gaussian splatting" in t.lower() for t in first_titles(screen))


async def test_a_search_covers_everything_until_narrowed_and_the_choice_sticks(app):
    """A search typed from a day covers the whole library (the morning's
    first search found 2 papers instead of 235 when it was limited to the
    restored day); ctrl+g narrows it to the day, says so, and the next
    search stays narrowed until ctrl+g again."""
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await choose_node(pilot, screen, "day:2026-06-22")
        day = {p.id for p in screen.paper_list.papers}
        await type_query(pilot, screen, "diffusion")
        everywhere = [p.id for p in screen.paper_list.papers]
        assert everywhere and not set(everywhere) <= day
        assert "everywhere (ctrl+g: only in 2026-06-22)" in message(screen)
        await pilot.press("ctrl+g")
        await settle_workers(pilot)
        here = [p.id for p in screen.paper_list.papers]
        assert here and set(here) <= day and len(here) < len(everywhere)
        assert "only in 2026-06-22 (ctrl+g: everywhere)" in message(screen)
        # Leave the search and search again from the day: still narrowed.
        await pilot.press("escape")
        await pilot.pause(0.05)
        await choose_node(pilot, screen, "day:2026-06-22")
        await type_query(pilot, screen, "diffusion")
        assert set(p.id for p in screen.paper_list.papers) <= day
        assert "only in 2026-06-22 (ctrl+g: everywhere)" in message(screen)
        await pilot.press("ctrl+g")
        await settle_workers(pilot)
        assert len(screen.paper_list.papers) == len(everywhere)
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert screen.panes.state.node == "day:2026-06-22" and screen.panes.search.query == ""
