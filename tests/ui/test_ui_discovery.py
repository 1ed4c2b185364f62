"""Pilot tests for discovery (issue 8): interests (I, i), mute rules (x, X),
more like this (L), the Suggested node, saved searches (S, 1-9) and the
trends screen (T)."""

from __future__ import annotations

from tests.support import FIXTURE, until, wait_ready
from tui_reader.core.discovery.phrases import key_phrase
from tui_reader.ui.factory import make_app
from tui_reader.ui.screens.interests import DiscoveryScreen
from tui_reader.ui.screens.trends import TrendsScreen


def ids(screen) -> list[str]:
    return [p.id for p in screen.paper_list.papers]


def label(screen, key: str) -> str:
    return screen.tree.label_of(key)


async def type_rule(pilot, key: str, text: str) -> str:
    """Press ``key``, replace the prefilled rule with ``text``; returns what was prefilled."""
    await pilot.press(key)
    await pilot.pause(0.05)
    prompt = pilot.app.screen.query_one("Input")
    prefilled = prompt.value
    prompt.value = ""
    await pilot.press(*text, "enter")
    return prefilled


async def test_interest_marks_papers_with_the_reason_fills_the_node_and_sorts_first():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        assert label(screen, "interests") == "Interests 0"
        screen.paper_list.select_id("2603.10001")
        await pilot.pause(0.05)
        assert await type_rule(pilot, "I", "network") == "author:Ada Lovelace"
        await until(pilot, lambda: "2603.10001" in screen.paper_list.matched, "the interest matched")
        assert label(screen, "interests") == "Interests 1"
        assert "◆ interests: network: title, abstract" in screen.detail.text
        assert screen.paper_list.reason(screen.paper_list.current) == "network: title, abstract"
        # s: date -> title -> interests puts the match first.
        await pilot.press("s", "s")
        assert screen.panes.state.sort == "interests" and ids(screen)[0] == "2603.10001"
        screen.tree.focus()
        screen.tree.select_key("interests")
        await pilot.pause(0.05)
        await pilot.press("enter")
        await pilot.pause(0.05)
        assert ids(screen) == ["2603.10001"]
        # An author interest, added from the highlighted paper as prefilled.
        screen.paper_list.select_id("2603.10001")
        await pilot.press("I", "enter")
        await until(pilot, lambda: len(screen.panes.found.found.interests) == 2, "the author interest")
        assert app.context.store.rules("interest")[1].label == "author:Ada Lovelace"


async def test_mute_hides_papers_X_reveals_them_and_rules_are_listed_and_reversible():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        assert len(ids(screen)) == 4
        screen.paper_list.select_id("2603.10002")
        await pilot.pause(0.05)
        # x offers a phrase of the title, never the whole category
        title = screen.paper_list.current.title
        assert await type_rule(pilot, "x", "cat:hep-th") == key_phrase(title)
        await until(pilot, lambda: "2603.10002" not in ids(screen), "the muted paper hidden")
        note = screen.query_one("#list-note")
        assert str(note.render()) == "1 paper hidden by mute rules · X shows them"
        await pilot.press("X")
        assert "2603.10002" in ids(screen) and "2603.10002" in screen.paper_list.muted
        assert str(note.render()) == "1 muted paper shown (⊘) · X hides them"
        await pilot.press("X")
        assert "2603.10002" not in ids(screen)
        # i lists the rule with its count; d removes it, u brings it back.
        await pilot.press("i")
        await pilot.pause(0.05)
        assert isinstance(app.screen, DiscoveryScreen)
        rows = [str(app.screen.query_one("OptionList").get_option_at_index(i).prompt)
                for i in range(app.screen.query_one("OptionList").option_count)]
        assert "  ⊘ cat:hep-th  hides 1" in rows
        app.screen.query_one("OptionList").highlighted = rows.index("  ⊘ cat:hep-th  hides 1")
        await pilot.press("d", "escape")
        await until(pilot, lambda: "2603.10002" in ids(screen), "the paper back after removing the rule")
        assert not screen.query_one("#list-note").has_class("-shown")
        await pilot.press("u")
        await pilot.pause(0.05)
        screen.panes.librarian.refresh_discovery()
        await until(pilot, lambda: "2603.10002" not in ids(screen), "the rule restored by undo")


async def test_L_lists_the_papers_most_like_the_highlighted_one():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        screen.paper_list.select_id("2603.10003")
        await pilot.pause(0.05)
        await pilot.press("L")
        await until(pilot, lambda: screen.panes.state.node == "like:2603.10003", "the similar list")
        assert ids(screen) and "2603.10003" not in ids(screen)
        assert ids(screen)[0] == "2603.09001"  # the other paper about models
        assert screen.paper_list.has_focus


async def test_suggested_ranks_unread_papers_like_the_bookmarks():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await until(pilot, lambda: screen.panes.found.suggested is not None, "suggestions computed")
        assert label(screen, "suggested") == "Suggested 0"
        screen.paper_list.select_id("2603.10003")
        await pilot.press("b")
        await until(pilot, lambda: label(screen, "suggested") != "Suggested 0", "suggestions for the bookmark")
        screen.tree.focus()
        screen.tree.select_key("suggested")
        await pilot.pause(0.05)
        await pilot.press("enter")
        await pilot.pause(0.05)
        assert ids(screen) and "2603.10003" not in ids(screen)


async def test_S_saves_the_search_the_tree_counts_it_and_digits_jump_to_it():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await pilot.press("2")
        assert screen.panes.state.node == "all"  # nothing saved yet: a message, no move
        await pilot.press("slash", *"diffusion")
        await until(pilot, lambda: screen.panes.search.result is not None, "search results")
        await pilot.press("enter", "S")
        await pilot.pause(0.05)
        assert app.screen.query_one("Input").value == "diffusion"
        await pilot.press("enter")
        await until(pilot, lambda: screen.tree.has_key("saved:diffusion"), "the saved search in the tree")
        assert label(screen, "saved:diffusion") == "1: diffusion 1"
        assert app.context.store.saved_searches()[0].query == "diffusion"
        await pilot.press("escape")  # leave the search box if focused; the list keeps focus
        screen.paper_list.focus()
        screen.tree.select_key("all")
        screen.panes.show_node("all")
        await pilot.press("1")
        assert screen.panes.state.node == "saved:diffusion" and ids(screen) == ["2603.10003"]
        assert not screen.panes.search.query
        await pilot.press("q")
    await next_start_opens("saved:diffusion", ["2603.10003"])


async def next_start_opens(node: str, papers: list[str]) -> None:
    """A new start on the fixture goes back to ``node`` and, once the node's
    matches arrive, to its paper (the first of ``papers``)."""
    again = make_app([str(FIXTURE)], mark_read_after=60)
    async with again.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.panes.state.node == node
        await until(pilot, lambda: ids(screen) == papers, f"the papers of {node}")
        assert screen.paper_list.current.id == papers[0]
        await until(pilot, lambda: screen.tree.current_key == node, f"the tree on {node}")


async def test_the_interests_node_is_where_the_next_start_opens():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        screen.paper_list.select_id("2603.10001")
        await pilot.pause(0.05)
        await type_rule(pilot, "I", "network")
        await until(pilot, lambda: label(screen, "interests") == "Interests 1", "the interest matched")
        screen.tree.focus()
        screen.tree.select_key("interests")
        await pilot.pause(0.05)
        await pilot.press("enter")
        await until(pilot, lambda: ids(screen) == ["2603.10001"], "the interests node")
        await pilot.press("q")
    await next_start_opens("interests", ["2603.10001"])


async def test_T_shows_trends_filtered_by_typing():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.trends is not None, "trends")
        trends = app.screen
        assert trends.trends.papers == 4 and trends.trends.days == {"2026-03-03": 2, "2026-03-04": 3}
        assert trends.query_one("#trends-days").content.title == "Papers per day"
        trends.query_one("#trends-term").focus()
        await pilot.press(*"graph")
        await until(pilot, lambda: trends.trends.term == "graph", "the term's series")
        assert trends.trends.series == [("2026-03-03", 1), ("2026-03-04", 1)]
        assert trends.query_one("#trends-spark").data == [1, 1]
        trends.query_one("#trends-categories").focus()
        await pilot.press(*"hep-th")
        await until(pilot, lambda: trends.trends.papers == 1, "the category filter")
        await pilot.press("escape")
        assert not isinstance(app.screen, TrendsScreen)


async def test_discovery_keys_are_in_help_and_the_palette_and_can_be_remapped():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot)
        ids_ = {b.id for _, b in screen._bindings}
        assert {"discover.more_like", "discover.interests", "discover.add_interest", "discover.mute",
                "discover.reveal", "discover.save_search", "discover.trends"} <= ids_
        assert {f"discover.saved_{n}" for n in range(1, 10)} <= ids_
        rows = dict((d, k) for _, section in app.help_sections() for k, d in section)
        assert rows["More like this"] == "L" and rows["Saved search 1–9"] == "1…9"
        assert any(title == "Discovery" for title, _ in app.help_sections())
        commands = [c.title for c in app.get_system_commands(screen)]
        assert "Trends" in commands and "Save this search" in commands
        app.set_keymap({"discover.trends": "f9"})
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen), "trends on the remapped key")
