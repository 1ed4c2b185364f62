"""Searching as a reader does, key by key, on the real data-branch slice
(issue 16): the first rows are what the reader meant, Enter ranks as the
command line does, "did you mean" runs with one key, a day's search is
limited to the day until ctrl+g."""

from __future__ import annotations

import re

import pytest

from tests.support import choose_node, wait_ready
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
        result = screen.search_result
        if screen.search_query == query and result is not None and not screen._searching \
                and screen._next_search is None and "results" in message(screen) + " results":
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
                if screen.search_result is not None and not screen._searching:
                    break
            expected = screen.index.search(query, limit=2000).ids  # what `tui-reader search` runs
            shown = [p.id for p in screen.paper_list.papers]
            assert shown == [pid for pid in expected if pid in set(shown)], query
            assert shown[:5] == expected[:5], query


async def test_did_you_mean_runs_with_one_key(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await type_query(pilot, screen, "3D gaussian splating ")
        assert screen.paper_list.papers == []
        assert "did you mean: 3D gaussian splatting? (ctrl+y)" in message(screen)
        await pilot.press("ctrl+y")
        await settle(pilot, screen, "3D gaussian splatting")
        assert screen.search_bar.value == "3D gaussian splatting"
        assert first_titles(screen) and all("gaussian splatting" in t.lower() for t in first_titles(screen))


async def test_a_days_search_is_limited_to_it_until_widened(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await choose_node(pilot, screen, "day:2026-06-22")
        day = {p.id for p in screen.paper_list.papers}
        await type_query(pilot, screen, "diffusion")
        here = [p.id for p in screen.paper_list.papers]
        assert here and set(here) <= day
        assert "only in 2026-06-22 (ctrl+g: everywhere)" in message(screen)
        await pilot.press("ctrl+g")
        for _ in range(200):
            await pilot.pause(0.02)
            if not set(p.id for p in screen.paper_list.papers) <= day:
                break
        everywhere = [p.id for p in screen.paper_list.papers]
        assert len(everywhere) > len(here) and "everywhere (ctrl+g: only in 2026-06-22)" in message(screen)
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert screen.node_key == "day:2026-06-22" and screen.search_query == ""
