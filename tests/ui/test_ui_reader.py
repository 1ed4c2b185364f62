"""Pilot tests: press the keys a reader presses, check what the screen shows."""

from __future__ import annotations

import time

import pytest

from tests.support import FIXTURE, SEED_FILES, choose_node, settle, titles, until, wait_ready
from tui_reader.ui.factory import make_app


async def test_opens_on_the_embedded_samples_on_a_real_new_day():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        # A newcomer's first screen is a real day: the samples' newest day that
        # brought anything new (2026-06-19; 06-20 repeats it) is New since last time.
        assert screen.panes.state.node == "new"
        new = screen.paper_list.papers
        assert new and {p.dates[0] for p in new} == {"2026-06-19"}
        assert screen.tree.label_of("new").endswith(f" {len(new)}/{len(new)}")
        # The two seed digests (157 papers) and the dated slice of the producer's branch (70 more).
        assert screen.tree.label_of("all").endswith(" 227/227")
        assert screen.paper_list.has_focus
        assert "2026-06-19, 2026-06-20" in screen.detail.text  # the newest day first, with its repeat
        assert "TL;DR" in screen.detail.text
        # The first-run line: how to get a library of one's own.
        assert any("These are samples: tui-reader follow dw-dengwei/daily-arXiv-ai-enhanced --days 30" in m
                   for m in app.notices_shown)


async def test_a_library_of_ones_own_gets_no_samples_line():
    app = make_app(SEED_FILES)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert not any("These are samples" in m for m in app.notices_shown)


async def test_cursor_keys_move_through_the_list():
    app = make_app(SEED_FILES)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        papers = screen.paper_list
        await pilot.press("j", "j", "down")
        assert papers.cursor == 3
        await pilot.press("k")
        assert papers.cursor == 2
        await pilot.press("G")
        assert papers.cursor == 156
        await pilot.press("g")
        assert papers.cursor == 0
        await pilot.press("ctrl+d")
        half = papers.cursor
        assert half > 1
        await pilot.press("ctrl+u")
        assert papers.cursor == 0
        await pilot.pause(0.1)
        assert screen.detail.paper.id == papers.papers[0].id


async def test_enter_opens_the_detail_and_tab_moves_between_panes():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await pilot.press("j", "enter")
        assert screen.detail.has_focus
        assert screen.detail.paper.id == screen.paper_list.papers[1].id
        await pilot.press("shift+tab")
        assert screen.paper_list.has_focus
        await pilot.press("shift+tab")
        assert screen.search_bar.input.has_focus or screen.tree.has_focus


async def test_a_toggles_abstract_and_summary():
    app = make_app(SEED_FILES)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert "Summary [中文]" in screen.detail.text
        await pilot.press("a")
        text = screen.detail.text
        assert "Abstract" in text and "Triad magnetometer components" in text
        assert "TL;DR" not in text
        await pilot.press("a")
        assert "TL;DR" in screen.detail.text


async def test_l_switches_summary_language_and_says_when_there_is_one():
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.paper_list.select_id("2603.10001")
        await until(pilot, lambda: getattr(screen.detail.paper, "id", None) == "2603.10001", "the paper shown")
        first = screen.detail.text
        shown_first = "中文" if "[中文]" in first else "EN"
        assert "[EN]" in first or "[中文]" in first
        assert "中文" in first and "EN" in first
        await pilot.press("l")
        await until(pilot, lambda: screen.detail.text != first, "the other language shown")
        second = screen.detail.text
        if shown_first == "中文":
            assert "[EN]" in second and "[中文]" not in second
            assert "基于Transformer的检测" in first
        else:
            assert "[中文]" in second and "[EN]" not in second
            assert "基于Transformer的检测" in second
        # The choice is remembered for the next paper and the next start.
        assert app.context.store.get_pref("language") == screen.panes.place.language
        # A paper with one language: l says so and changes nothing.
        screen.paper_list.select_id("2603.10002")
        await until(pilot, lambda: getattr(screen.detail.paper, "id", None) == "2603.10002", "the next paper shown")
        await settle(pilot)
        before = screen.detail.text
        await pilot.press("l")
        await pilot.pause(0.1)
        assert screen.detail.text == before
        assert any("only one summary language" in message for message in app.notices_shown)


async def test_paper_text_is_shown_literally_never_as_markup():
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.paper_list.select_id("2603.10002")
        await pilot.pause(0.1)
        text = screen.detail.text
        assert "[bold red]Not markup[/]" in text
        assert "Dialog[ue]s" in text
        assert "α-decay" in text
        assert "\x1b" not in text and "pwned" not in text.replace("]0;pwned", "")
        await pilot.press("a")
        assert "[link=https://evil.example]click[/link]" in screen.detail.text
        # What reaches the terminal holds no escape sequence from the data.
        svg = app.export_screenshot()
        assert "pwned" not in svg
        assert "[bold red]Not markup[/]" in svg.replace("&#160;", " ")


async def test_tree_nodes_fill_the_list_and_brackets_move_between_days():
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert len(screen.paper_list.papers) == 4
        await pilot.press("right_square_bracket")  # from "All": the newest day
        assert screen.panes.state.node == "day:2026-03-04"
        assert {p.id for p in screen.paper_list.papers} == {"2603.10001", "2603.10002", "2603.10003"}
        await pilot.press("left_square_bracket")
        assert screen.panes.state.node == "day:2026-03-03"
        assert {p.id for p in screen.paper_list.papers} == {"2603.09001", "2603.10001"}
        await pilot.press("right_square_bracket")
        assert screen.panes.state.node == "day:2026-03-04"
        await choose_node(pilot, screen, "cat:hep-th")
        assert screen.panes.state.node == "cat:hep-th"
        assert [p.id for p in screen.paper_list.papers] == ["2603.10002"]
        assert screen.paper_list.has_focus


async def test_open_copy_and_bibtex_keys(monkeypatch):
    app = make_app([str(FIXTURE)])
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", lambda text: copied.append(text))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        screen.paper_list.select_id("2603.10003")
        await pilot.press("o", "O", "y", "Y")
        assert opened == ["https://arxiv.org/abs/2603.10003", "https://arxiv.org/pdf/2603.10003"]
        assert copied[0] == "https://arxiv.org/abs/2603.10003"
        assert copied[1].startswith("@misc{")
        assert "eprint" in copied[1] and "2603.10003" in copied[1]


async def test_r_jumps_to_a_random_paper(monkeypatch):
    import tui_reader.ui.actions.reading as reading_module

    monkeypatch.setattr(reading_module._random, "randrange", lambda n: n - 1)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await pilot.press("r")
        assert screen.paper_list.cursor == len(screen.paper_list.papers) - 1


async def test_s_sorts_by_title_then_date():
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await pilot.press("s")
        assert titles(screen) == sorted(titles(screen), key=str.casefold)
        await pilot.press("s")
        dates = [p.latest_date for p in screen.paper_list.papers]
        assert dates == sorted(dates, reverse=True)


async def test_help_lists_live_bindings_including_remapped_keys(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"reader.abstract" = "Z"\n', encoding="utf-8")  # x is discover.mute's, z zoom's
    app = make_app(config_path=config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.1)
        sections = dict(app.help_sections())
        reading = dict((desc, keys) for keys, desc in sections["Reading"])
        assert reading["Abstract/summary"] == "Z"
        search = dict((desc, keys) for keys, desc in sections["Search box"])
        assert search["Search here/everywhere"] == "^g" and search["Did you mean…"] == "^y"
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        assert app.screen is screen
        # The remapped key works; the old one no longer does.
        await pilot.press("Z")
        assert screen.panes.place.mode == "abstract"
        await pilot.press("a")
        assert screen.panes.place.mode == "abstract"


async def test_command_palette_offers_every_reader_action():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        titles_ = {command.title for command in app.get_system_commands(screen)}
        for description in ("Abstract/summary", "Language", "Random paper", "Bookmark", "Open PDF", "Copy BibTeX"):
            assert description in titles_
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "CommandPalette"


async def test_problems_are_one_notification_and_p_lists_them(tmp_path):
    (tmp_path / "2026-01-01.jsonl").write_text('{"id": "2601.00001", "title": "Fine"}\nnot json\n', encoding="utf-8")
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert len(screen.paper_list.papers) == 1
        assert sum("problem" in message for message in app.notices_shown) == 1
        await pilot.press("p")
        await pilot.pause(0.1)
        assert type(app.screen).__name__ == "ProblemsScreen"
        assert app.screen.problems[0].line == 2
        await pilot.press("escape")
        assert app.screen is screen


async def test_q_quits_and_saves_the_session():
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        screen.paper_list.select_id("2603.10003")
        await pilot.press("q")
        await pilot.pause(0.1)
    assert app.return_code == 0 or app.return_code is None
    session = app.context.store.load_session()
    assert session["paper"] == "2603.10003"
    # Reopening the same library puts the cursor back on that paper.
    again = make_app([str(FIXTURE)])
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.paper_list.current.id == "2603.10003"


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (250, 80)])
async def test_layout_holds_at_small_and_large_sizes(size):
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=size) as pilot:
        screen = await wait_ready(pilot)
        await pilot.press("j", "a", "j")
        assert screen.paper_list.cursor == 2
        # Below 100 columns the tree folds away (the list's titles need the room).
        assert screen.has_class("-tree-hidden") == (size[0] < 100)
        await pilot.press("backslash")
        await pilot.pause(0.05)
        assert screen.has_class("-tree-hidden") == (size[0] >= 100)


async def test_search_as_you_type_enter_escape_and_bad_queries():
    app = make_app([str(FIXTURE)], mark_read_after=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        screen.tree.focus()
        screen.tree.select_key("day:2026-03-03")
        await pilot.pause(0.1)
        await pilot.press("enter")
        assert screen.panes.state.node == "day:2026-03-03"
        await pilot.press("slash")
        assert screen.search_bar.input.has_focus
        await pilot.press(*"diffusion")
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.panes.search.query == "diffusion" and screen.panes.search.result is not None:
                break
        # a search from a day covers everything, and says so
        await settle(pilot)
        # results replace the list, best match first, detail follows
        assert [p.id for p in screen.paper_list.papers] == ["2603.10003"]
        message = str(screen.search_bar.query_one("#search-message").render())
        assert "everywhere (ctrl+g: only in 2026-03-03)" in message
        await pilot.pause(0.1)
        assert "Diffusion Models for Image Synthesis" in screen.detail.text
        await pilot.press("enter")
        assert screen.paper_list.has_focus
        # a Chinese word inside a sentence, from the other summary language
        await pilot.press("slash", "ctrl+u", *"鲁棒")
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.panes.search.query == "鲁棒" and screen.panes.search.result is not None and \
                    [p.id for p in screen.paper_list.papers] == ["2603.10001"]:
                break
        assert [p.id for p in screen.paper_list.papers] == ["2603.10001"]
        # a query the parser cannot read: a message under the box, no crash
        await pilot.press("ctrl+u", *'title:"unclosed')
        await pilot.pause(0.4)
        message = str(screen.search_bar.query_one("#search-message").render())
        assert "quote" in message
        # escape clears and returns to the node the reader was in
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert screen.panes.search.query == ""
        assert screen.panes.state.node == "day:2026-03-03"
        assert {p.id for p in screen.paper_list.papers} == {"2603.09001", "2603.10001"}


async def test_a_broken_config_is_reported_with_its_line_and_the_app_starts(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('language = "English"\ntheme = \n[keys]\n', encoding="utf-8")
    app = make_app(config_path=config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.tree.label_of("all").endswith(" 227/227")  # defaults: the embedded samples
        for _ in range(50):
            messages = [message for message in app.notices_shown]
            if any("config.toml:2:" in m for m in messages):
                break
            await pilot.pause(0.02)
        assert any("config.toml:2:" in m and "invalid TOML" in m for m in messages), messages


def test_config_command_names_the_file_and_the_bad_line(tmp_path, monkeypatch, capsys):
    from tui_reader.cli import main

    config_dir = tmp_path / "cfg" / "tui-reader"
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text('library = 3\ncolour = "red"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert main(["config"]) == 1
    out = capsys.readouterr().out
    assert "config.toml:1:" in out and "'library' must be a path" in out
    assert "config.toml:2:" in out and "unknown setting 'colour'" in out


async def test_the_theme_chosen_in_the_app_is_remembered():
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        # ctrl+p → the palette's theme switcher sets App.theme; set it as it does
        app.theme = "gruvbox"
        await pilot.pause(0.05)
    assert app.context.store.get_pref("theme") == "gruvbox"
    again = make_app([str(FIXTURE)])
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert again.theme == "gruvbox"


async def test_each_key_searches_but_one_search_at_a_time():
    """No pause waits for the next key: a key searches at once, or right
    after the search under way, and keys typed meanwhile are skipped to the
    newest query, whose results are the ones shown."""
    app = make_app([str(FIXTURE)], mark_read_after=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        index = screen.panes.lib.index
        real_search = index.search
        asked: list[str] = []
        running = most = 0

        def slow_search(query, **options):
            nonlocal running, most
            running += 1
            most = max(most, running)
            asked.append(query)
            try:
                time.sleep(0.4)  # the keys below arrive while it runs
                return real_search(query, **options)
            finally:
                running -= 1

        index.search = slow_search
        await pilot.press("slash", *"diffusion")
        for _ in range(200):
            await pilot.pause(0.02)
            if asked[-1:] == ["diffusion"] and running == 0 and screen.panes.search.result is not None:
                break
        assert most == 1
        assert asked[0] == "d" and asked[-1] == "diffusion" and len(asked) < len("diffusion"), asked
        assert screen.panes.search.query == "diffusion"
        assert [p.id for p in screen.paper_list.papers] == ["2603.10003"]
        message = str(screen.search_bar.query_one("#search-message").render())
        assert message.startswith("1 result in ")


@pytest.mark.cold_cache  # the first read of a library: a warm cache returns it whole, with no head
async def test_newest_day_is_browsable_and_searchable_while_the_rest_loads(monkeypatch):
    """A big library read for the first time: the newest day's files come
    first; the reader browses and searches them, then the whole library
    arrives without losing the search the reader typed."""
    import threading

    from tui_reader.core import loader
    from tui_reader.ui.widgets import librarian as loading_module

    monkeypatch.setattr(loader, "HEAD_BYTES", 0)  # the fixture is small: treat it as big
    release = threading.Event()
    real = loading_module.load_library

    def held_after_head(*args, head=None, **kwargs):
        def first(partial):
            head(partial)
            release.wait(60)  # the rest of the library is still "loading"

        return real(*args, head=first, **kwargs)

    monkeypatch.setattr(loading_module, "load_library", held_after_head)
    app = make_app([str(FIXTURE)], mark_read_after=3600)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.main_screen
            for _ in range(300):
                await pilot.pause(0.02)
                if screen.panes.lib.partial and screen.paper_list.papers and screen.panes.lib.index is not None:
                    break
            # only the newest day so far, in the list and in the tree
            assert screen.panes.lib.partial
            assert {p.id for p in screen.paper_list.papers} == {"2603.10001", "2603.10002", "2603.10003"}
            assert screen.tree.has_key("day:2026-03-04") and not screen.tree.has_key("day:2026-03-03")
            assert "reading" in (screen.panes.status.get("load") or "")
            await pilot.press("j")
            await pilot.pause(0.1)
            assert screen.detail.paper is not None and screen.detail.paper.id == screen.paper_list.current.id
            # search the newest day: "models" is in a paper of each day
            await pilot.press("slash", *"models")
            for _ in range(300):
                await pilot.pause(0.02)
                if screen.panes.search.result is not None and screen.paper_list.papers:
                    break
            found = {p.id for p in screen.paper_list.papers}
            assert "2603.10003" in found and "2603.09001" not in found
            assert found <= {"2603.10001", "2603.10002", "2603.10003"}
            assert not screen.panes.lib.index_ready and screen.panes.status.get("index") == "indexing…"
            # the rest of the library arrives: the search runs again over all of it
            release.set()
            for _ in range(400):
                await pilot.pause(0.02)
                if not screen.panes.lib.partial and screen.panes.lib.index_ready and \
                        "2603.09001" in {p.id for p in screen.paper_list.papers}:
                    break
            assert not screen.panes.lib.partial and screen.panes.lib.index_ready
            assert screen.panes.search.query == "models" and screen.search_bar.value == "models"
            assert {"2603.09001", "2603.10003"} <= {p.id for p in screen.paper_list.papers}
            assert screen.tree.has_key("day:2026-03-03")
            assert len(screen.panes.lib.library.papers) == 4
    finally:
        release.set()
