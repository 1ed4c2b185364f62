"""Pilot tests for bookmarks, tags, notes and read marks: the keys b, t, e,
m, n, M and u, the list marks and the tree's Bookmarks and Unread nodes."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support import FIXTURE, choose_node, wait_ready
from tui_reader.ui.factory import make_app


def tree_label(screen, key: str) -> str:
    return screen.tree.label_of(key)


async def test_b_bookmarks_and_the_tree_counts_follow():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        store = app.context.store
        assert tree_label(screen, "bookmarks") == "Bookmarks 0"
        first = screen.paper_list.current.id
        await pilot.press("b")
        assert store.is_bookmarked(first)
        assert first in screen.paper_list.bookmarked
        assert tree_label(screen, "bookmarks") == "Bookmarks 1"
        assert "★ bookmarked" in screen.detail.text
        await pilot.press("b")
        assert not store.is_bookmarked(first)
        assert tree_label(screen, "bookmarks") == "Bookmarks 0"


async def test_t_tags_e_notes_and_tag_nodes():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        store = app.context.store
        paper = screen.paper_list.current.id
        await pilot.press("t")
        await pilot.press(*"graphs, to-read", "enter")
        await pilot.pause(0.05)
        assert store.is_bookmarked(paper)
        assert store.bookmark(paper).tags == ["graphs", "to-read"]
        assert tree_label(screen, "tag:graphs") == "#graphs 1"
        await pilot.press("e")
        await pilot.press(*"check the ablation", "ctrl+s")
        await pilot.pause(0.05)
        assert store.bookmark(paper).note == "check the ablation"
        assert "note: check the ablation" in screen.detail.text
        # escape cancels an edit and keeps the note
        await pilot.press("e")
        await pilot.press(*" NOT SAVED", "escape")
        assert store.bookmark(paper).note == "check the ablation"
        await choose_node(pilot, screen, "tag:to-read")
        assert [p.id for p in screen.paper_list.papers] == [paper]


async def test_read_marks_m_n_M_and_undo():
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        store = app.context.store
        first = screen.paper_list.current.id
        await pilot.pause(0.3)
        assert not store.is_read(first)  # put in front of the reader: not read
        await pilot.press("enter", "shift+tab")  # opened, back to the list
        assert store.is_read(first) and screen.paper_list.has_focus
        assert tree_label(screen, "unread") == "Unread 3"
        await pilot.press("m")
        assert not store.is_read(first)
        await pilot.press("m")
        assert store.is_read(first)
        # n skips read papers
        await pilot.press("n")
        assert screen.paper_list.cursor == 1
        # M asks first; n declines
        await pilot.press("M")
        await pilot.pause(0.05)
        await pilot.press("n")
        await pilot.pause(0.05)
        assert len(store.read_ids()) < 4
        await pilot.press("M")
        await pilot.pause(0.05)
        await pilot.press("y")
        await pilot.pause(0.05)
        assert len(store.read_ids()) == 4
        assert tree_label(screen, "unread") == "Unread 0"
        # u undoes the bulk mark as one step
        await pilot.press("u")
        await pilot.pause(0.05)
        assert len(store.read_ids()) < 4
        assert tree_label(screen, "unread") != "Unread 0"


async def test_highlight_mode_marks_a_paper_the_reader_stays_on():
    app = make_app([str(FIXTURE)], mark_read_after=0.05, mark_read="highlight")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        store = app.context.store
        first = screen.paper_list.current.id
        await pilot.pause(0.3)
        assert not store.is_read(first)  # put in front of the reader, not moved onto
        await pilot.press("j")
        second = screen.paper_list.current.id
        for _ in range(100):
            if store.is_read(second):
                break
            await pilot.pause(0.02)
        assert store.is_read(second) and not store.is_read(first)


async def test_bookmarks_survive_the_digest_folder_being_deleted(tmp_path: Path):
    library = tmp_path / "digests"
    shutil.copytree(FIXTURE, library)
    app = make_app([str(library)], mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        screen.paper_list.select_id("2603.10003")
        await pilot.press("b")
    shutil.rmtree(library)
    again = make_app([str(library)], mark_read_after=60)
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.paper_list.papers == []
        await choose_node(pilot, screen, "bookmarks")
        papers = screen.paper_list.papers
        assert [p.id for p in papers] == ["2603.10003"]
        assert papers[0].title == "Diffusion Models for Image Synthesis"
        await pilot.pause(0.1)
        assert "Diffusion Models for Image Synthesis" in screen.detail.text


async def test_a_bookmark_picks_up_a_later_day_of_its_paper(tmp_path):
    """A bookmark keeps a copy of its paper; when the paper comes again in a
    later digest, the next start brings the copy up to date (in the load
    worker, so the event loop never waits on that write)."""
    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(FIXTURE / "2026-03-03.md", folder)
    app = make_app([str(folder)], mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await choose_node(pilot, screen, "day:2026-03-03")
        while screen.paper_list.current.id != "2603.10001":
            await pilot.press("j")
        await pilot.press("b")
        assert app.context.store.bookmark("2603.10001").snapshot.dates == ["2026-03-03"]
        await pilot.press("q")
    for name in ("2026-03-04_AI_enhanced_Chinese.jsonl", "2026-03-04_AI_enhanced_English.jsonl"):
        shutil.copy(FIXTURE / name, folder)
    app = make_app([str(folder)], mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        snapshot = app.context.store.bookmark("2603.10001").snapshot
        assert snapshot.dates == ["2026-03-03", "2026-03-04"]
        assert {"Chinese", "English"} <= set(snapshot.tldr)
        await pilot.press("q")
