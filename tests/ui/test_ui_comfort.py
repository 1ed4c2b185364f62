"""Reading comfort, as a reader presses the keys: titles with room in the
list, compact/two-line rows, a wider list or detail, the zoomed detail,
folded authors, themes that repaint everything, each command once, help."""

from __future__ import annotations

from rich.cells import cell_len

from tests.robustness.waiting import until
from tests.support import choose_node, wait_ready
from tui_reader.ui.factory import make_app

BIG_COLLABORATION = "2606.19348"  # DeepSeek-V4: 319 authors
DISPUTED = {"\ufe0f", "\ufe0e", "\u3164", "\u00ad", "\u115f", "\u1160", "\uffa0", "\U0001f3fd"}


def row_text(screen, y: int) -> str:
    return screen.paper_list.render_line(y).text


def title_cells(screen, row: int = 0) -> int:
    """How many cells of the paper's title the row shows."""
    paper = screen.paper_list.papers[int(screen.paper_list.scroll_y) + row]
    text = row_text(screen, row)
    title = paper.title[:20]
    start = text.index(title)
    shown = text[start:].split("  ")[0].rstrip("…")
    return cell_len(shown)


async def test_a_day_view_has_no_date_column_and_titles_get_the_room(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await wait_ready(pilot)
        await choose_node(pilot, screen, "day:2026-06-22")
        await pilot.pause(0.1)
        text = row_text(screen, 0)
        assert "2026-06-22" not in text and "06-22" not in text
        assert screen.paper_list.current.main_category in text
        long_titles = [i for i, p in enumerate(screen.paper_list.papers[:15]) if len(p.title) > 90]
        assert long_titles
        assert all(title_cells(screen, i) >= 80 for i in long_titles)
        # The authors come last.
        paper = screen.paper_list.papers[0]
        assert text.rstrip().endswith(paper.first_author_et_al()[:10]) or paper.authors[0][:8] in text[-20:]


async def test_at_100_columns_a_title_keeps_50_cells(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_ready(pilot)
        long_titles = [i for i, p in enumerate(screen.paper_list.papers[:10]) if len(p.title) > 70]
        assert long_titles
        assert all(title_cells(screen, i) >= 50 for i in long_titles)
        # All papers spans days: the date shows.
        assert "06-2" in row_text(screen, 0)


async def test_d_switches_to_two_line_rows_and_back(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_ready(pilot)
        papers = screen.paper_list
        paper = next(p for p in papers.papers[:10] if len(p.title) > 80)
        papers.select_id(paper.id)
        await pilot.pause(0.05)
        await pilot.press("d")
        await pilot.pause(0.05)
        assert papers.row_height == 2
        index = papers.cursor
        y = index * 2 - int(papers.scroll_y)
        first, second = row_text(screen, y), row_text(screen, y + 1)
        # The title runs on from the first line into the second, whole words.
        words = paper.title.split()
        assert words[0] in first and words[-1].rstrip(".") in second or "…" in second
        await pilot.press("j")
        assert papers.cursor == index + 1
        await pilot.press("d")
        assert papers.row_height == 1
        # The choice is kept for the next start.
        await pilot.press("d")
        assert app.context.store.get_pref("rows") == 2


async def test_equals_cycles_a_wider_list_and_a_wider_detail(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_ready(pilot)
        pane = screen.query_one("#list-pane")
        normal = pane.size.height
        await pilot.press("equals_sign")
        assert screen.has_class("-list-wide")
        assert await until(pilot, lambda: pane.size.height > normal, 10)
        await pilot.press("equals_sign")
        assert screen.has_class("-detail-wide")
        assert await until(pilot, lambda: pane.size.height < normal, 10)
        await pilot.press("equals_sign")
        assert await until(pilot, lambda: pane.size.height == normal, 10)
        assert app.context.store.get_pref("split") == ""


async def test_z_gives_the_detail_the_whole_screen(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_ready(pilot)
        await pilot.press("z")
        assert await until(pilot, lambda: screen.detail.size.width >= 115, 10)
        assert screen.detail.has_focus
        assert not screen.query_one("#list-pane").display
        await pilot.press("z")
        await pilot.pause(0.05)
        assert screen.paper_list.has_focus and screen.query_one("#list-pane").display


async def test_many_authors_fold_and_A_unfolds_them(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.paper_list.select_id(BIG_COLLABORATION)
        paper = screen.paper_list.current
        folded = ", ".join(paper.authors[:3]) + f" … and {len(paper.authors) - 3} more"
        assert await until(pilot, lambda: folded in screen.detail.text, 10)
        await pilot.pause(0.1)
        text = screen.detail.text
        assert paper.authors[10] not in text
        # The TL;DR is on the first screen, right under the paper's header.
        lines = [screen.detail.query_one("#detail-body").render_line(y).text for y in range(screen.detail.size.height)]
        assert any(line.startswith("TL;DR") for line in lines)
        await pilot.press("A")
        assert await until(pilot, lambda: paper.authors[10] in screen.detail.text, 10)
        assert folded not in screen.detail.text
        await pilot.press("A")
        assert await until(pilot, lambda: folded in screen.detail.text, 10)


async def test_a_new_theme_repaints_the_list_at_once(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_ready(pilot)
        papers = screen.paper_list

        def colours():
            return {(s.style.color, s.style.bgcolor) for s in papers.render_line(1) if s.style}

        before = colours()
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        assert await until(pilot, lambda: colours() != before, 10)
        after = colours()
        assert after and after != before
        assert not (after & before)


async def test_palette_lists_each_command_once_and_footer_shows_the_palette_once(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(160, 36)) as pilot:
        screen = await wait_ready(pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert len(titles) == len(set(titles))
        assert "Compact/two-line rows" in titles and "Zoom the detail" in titles
        footer = app.export_screenshot()
        assert footer.count("Commands") <= 1


async def test_help_opens_at_the_top_and_g_G_slash_move_in_it(databranch):
    app = make_app([str(databranch)], mark_read_after=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.1)
        body = app.screen.query_one("#help-body")
        assert body.scroll_y == 0
        await pilot.press("G")
        await pilot.pause(0.05)
        assert body.scroll_y == body.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause(0.05)
        assert body.scroll_y == 0
        await pilot.press("slash")
        await pilot.pause(0.05)
        syntax = app.screen.query_one("#help-search")
        assert body.scroll_y > 0
        # The search syntax starts at the top of the view.
        assert body.region.y <= syntax.region.y <= body.region.y + 1


async def test_rows_with_emoji_fillers_and_soft_hyphens_are_as_wide_as_the_terminal_draws_them(tmp_path):
    """Each row is exactly the list's width by wcwidth (the terminal's table),
    whatever its characters: a border never moves."""
    import json

    wcwidth = __import__("pytest").importorskip("wcwidth")
    titles = ["I \u2764\ufe0f transformers \U0001f44d\U0001f3fd fast", "Hangul\u3164filler \u3164 here",
              "co\u00adoperative multi\u00adagent learning", "基于Transformer的检测（方法）。e\u0301",
              "中文标题 with 😀 emoji and ｶﾀｶﾅ"]
    records = [{"id": f"2606.0000{i}", "categories": ["cs.LG"], "authors": ["A. Author", "B. Author"],
                "title": title, "summary": "An abstract.", "AI": {"tldr": "提出一种方法。"}}
               for i, title in enumerate(titles)]
    (tmp_path / "2026-06-01_AI_enhanced_Chinese.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    app = make_app([str(tmp_path)], mark_read_after=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_ready(pilot)
        papers = screen.paper_list
        width = papers.scrollable_content_region.width
        for lines in (1, 2):
            papers.set_row_height(lines)
            await pilot.pause(0.05)
            for y in range(len(titles) * lines):
                text = papers.render_line(y).text
                assert wcwidth.wcswidth(text) == width, repr(text)
                # …and no character whose width terminals disagree on (tmux 3.3
                # draws ❤️ in 1 cell, U+3164 in 2, where Rich and wcwidth say 2 and 0).
                assert not set(text) & DISPUTED, repr(text)
