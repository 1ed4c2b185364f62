"""A newcomer's first week (issue 29), pressed as a reader would: a mute
rule offered from the title with what it would hide, tree counts that
honour mute rules, rows that give the title the room, and dialogs that
keep what was typed quickly."""

from __future__ import annotations

import re

import pytest

from tests.support import SEED_FILES, settle, wait_ready
from tui_reader.core.discovery.phrases import key_phrase
from tui_reader.ui.factory import make_app
from tui_reader.ui.screens.dialogs import TextPromptScreen


def count_of(label: str) -> tuple[int, int]:
    """``"All papers 150/150"`` → (150, 150)."""
    unread, _, total = label.split()[-1].partition("/")
    return int(unread), int(total or unread)


async def test_x_offers_a_key_phrase_and_tree_counts_honour_the_mute():
    app = make_app(SEED_FILES, mark_read_after=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await settle(pilot)
        assert count_of(screen.tree.label_of("all")) == (157, 157)
        paper = screen.paper_list.current
        await pilot.press("x")
        prompt = app.screen
        assert isinstance(prompt, TextPromptScreen)
        assert prompt.query_one("Input").value == key_phrase(paper.title)
        assert not prompt.query_one("Input").value.startswith("cat:")
        # A rule of one's own, with its count before Enter.
        await pilot.press("ctrl+u", *"graph")
        await settle(pilot)
        hidden = int(re.search(r"hides (\d+) papers", prompt.count_text).group(1))
        assert 0 < hidden < 157
        await pilot.press("enter")
        await settle(pilot)
        shown = len(screen.paper_list.papers)
        assert shown == 157 - hidden
        assert count_of(screen.tree.label_of("all")) == (shown, shown)
        category = screen.tree.label_of("cat:cs.LG")
        assert count_of(category)[1] < 157
        # X shows the muted papers again, and the counts follow.
        await pilot.press("X")
        await settle(pilot)
        assert len(screen.paper_list.papers) == 157
        assert count_of(screen.tree.label_of("all")) == (157, 157)


async def test_text_typed_quickly_into_a_dialog_is_kept(embedded_samples):
    app = make_app(mark_read_after=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        # t and the tag at once, no pause between: every key reaches the box.
        await pilot.press("t", *"reading-group", "enter")
        await settle(pilot)
        store = app.context.store
        bookmark = store.bookmark(screen.paper_list.current.id)
        assert bookmark is not None and list(bookmark.tags) == ["reading-group"]


async def test_export_enter_from_any_field_list_order_and_the_documents_folder(tmp_path, monkeypatch):
    from tests.support import FIXTURE
    from tui_reader.ui.screens.export import ExportScreen

    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))
    monkeypatch.chdir("/")  # never the folder the reader was started in
    app = make_app([str(FIXTURE)], mark_read_after=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        ids = [p.id for p in screen.paper_list.papers]
        # Select the second paper, then the first: the export follows the list.
        await pilot.press("j", "space", "k", "k", "space")
        assert list(screen.panes.place.selected) == [ids[1], ids[0]]
        await pilot.press("E")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.query_one("#export-path").value.startswith(str(tmp_path))
        # Enter on a radio button (the format list) writes, as it does from the file name.
        await pilot.press("shift+tab", "down", "space", "enter")
        await settle(pilot)
        written = next(tmp_path.glob("papers-*.ris"))
        text = written.read_text(encoding="utf-8")
        assert text.index(ids[0]) < text.index(ids[1]), (ids, text)


async def test_o_without_a_browser_says_so(embedded_samples, monkeypatch):
    import tui_reader.ui.app as app_module

    monkeypatch.setattr(app_module, "_browser_here", lambda: False)
    app = make_app(mark_read_after=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("o")
        await settle(pilot)
        said = " ".join(app.notices_shown)
        assert "No web browser here to open https://arxiv.org/abs/" in said and "Opening" not in said


async def test_undo_inside_the_interests_screen(embedded_samples):
    from tui_reader.core.discovery import parse_rule
    from tui_reader.ui.screens.interests import DiscoveryScreen

    app = make_app(mark_read_after=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.context.store
        store.add_rule(parse_rule("interest", "graph"))
        await pilot.press("i")
        assert isinstance(app.screen, DiscoveryScreen)
        await pilot.press("d")
        assert store.rules("interest") == []
        await pilot.press("u")
        assert [r.label for r in store.rules("interest")] == ["graph"]
        assert isinstance(app.screen, DiscoveryScreen)  # still in the dialog


async def test_more_like_this_names_its_order_and_the_palette_lists_saved_searches_by_name(embedded_samples):
    app = make_app(mark_read_after=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        store = app.context.store
        store.save_search("graphs", "graph")
        screen.panes.librarian.refresh_discovery()
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Saved search 1: graphs" in titles and not any(t == "Saved search 2" for t in titles)
        assert len(titles) == len({t.casefold() for t in titles})  # each action once
        await pilot.press("L")
        await settle(pilot)
        assert screen.panes.state.node.startswith("like:")
        for _ in range(8):
            await pilot.press("s")
            if screen.panes.state.sort == "date":
                break
        assert "Sorted by likeness to the paper." in app.notices_shown


async def test_a_repeat_only_day_says_why_it_is_empty(databranch):
    from tests.support import choose_node

    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot)
        await choose_node(pilot, screen, "day:2026-06-20")
        assert "every paper was in 2026-06-19's digest already" in str(screen.query_one("#list-note").render())
        await pilot.press("H")
        assert screen.paper_list.papers == []
        assert "repeats are hidden (H shows them)" in screen.paper_list.empty_text
        assert "2026-06-19's digest" in screen.paper_list.empty_text


@pytest.mark.cold_cache  # the cache the second start finds is the one the first start wrote
async def test_a_warm_start_does_not_say_it_reads_files(embedded_samples):
    first = make_app(mark_read_after=3600)
    async with first.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, index=True)
    app = make_app(mark_read_after=3600)
    seen = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.01)
            status = app.screen.query_one("#status").render() if app.screen.query("#status") else ""
            seen.append(str(status))
            if app.screen.query("#status") and app.main_screen.panes.lib.loaded:
                break
    assert not any("reading 2/2 files" in line for line in seen)
