"""A newcomer's first week (issue 29), pressed as a reader would: a mute
rule offered from the title with what it would hide, tree counts that
honour mute rules, rows that give the title the room, and dialogs that
keep what was typed quickly."""

from __future__ import annotations

import re

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
