"""Pilot tests: the producer's signals in the reader: badges in the list,
the signals block in the detail, the With code and Accepted nodes, the
sorts by stars and code recency, c/w opening code and project links,
failed and missing summaries, and a Japanese summary toggled with l."""

from __future__ import annotations

from tests.support import FIXTURES, choose_node, wait_ready
from tui_reader.ui.factory import make_app

SIGNALS = FIXTURES / "signals"


def _row_text(screen, index: int) -> str:
    strip = screen.paper_list.render_line(index - int(screen.paper_list.scroll_y))
    return "".join(segment.text for segment in strip)


async def _counted(pilot, screen) -> None:
    for _ in range(1000):
        if screen.panes.lib.view is not None and screen.panes.lib.view.with_code is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.05)


async def _select(pilot, screen, paper_id: str) -> None:
    assert screen.paper_list.select_id(paper_id)
    await pilot.pause(0.3)
    assert screen.detail.paper.id == paper_id


async def test_badges_in_the_list():
    app = make_app([str(SIGNALS)])
    async with app.run_test(size=(150, 30)) as pilot:
        screen = await wait_ready(pilot)
        rows = {p.id: i for i, p in enumerate(screen.paper_list.papers)}
        assert "CVPR'26 ★250" in _row_text(screen, rows["2603.05001"])
        assert "</>" in _row_text(screen, rows["2603.05002"])  # code from the comment: no stars
        assert "ICLR'26 ★12" in _row_text(screen, rows["2603.05003"])
        assert "★" not in _row_text(screen, rows["2603.05004"]) and "</>" not in _row_text(screen, rows["2603.05004"])


async def test_detail_shows_every_signal_and_c_w_open_the_links(monkeypatch):
    app = make_app([str(SIGNALS)])
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await wait_ready(pilot)
        await _select(pilot, screen, "2603.05001")
        text = screen.detail.text
        assert "✓ accepted  CVPR 2026 Highlight" in text
        assert "code https://github.com/anaruiz/sdt  ★ 250  · updated 2026-02-20" in text
        assert "project https://sdt-video.github.io/" in text
        assert "12 pages  ·  8 figures" in text
        await pilot.press("c", "W")
        assert opened == ["https://github.com/anaruiz/sdt", "https://sdt-video.github.io/"]
        await _select(pilot, screen, "2603.05004")
        await pilot.press("c")
        assert len(opened) == 2  # nothing to open: a notice says so


async def test_failed_and_missing_summaries_show_the_abstract():
    app = make_app([str(SIGNALS)])
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await wait_ready(pilot)
        await _select(pilot, screen, "2603.05005")
        text = screen.detail.text
        assert "summary failed" in text and "Summary generation failed" not in text
        assert "要約の生成に失敗しました" not in text
        assert "The LLM call failed for this paper; this is its abstract." in text
        await _select(pilot, screen, "2603.05004")
        text = screen.detail.text
        assert "no AI summary (dropped by the producer)" in text
        assert "This paper exists only in the raw file." in text


async def test_japanese_summary_toggles_with_l():
    app = make_app([str(SIGNALS)])
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await wait_ready(pilot)
        await _select(pilot, screen, "2603.05003")
        first = screen.detail.text
        await pilot.press("l")
        await pilot.pause(0.2)
        second = screen.detail.text
        both = first + second
        assert "[日本語]" in both and "[EN]" in both
        assert "エクスパンダー上の量子ウォークは速く混合する。" in both
        assert "Quantum walks mix fast on expanders." in both


async def test_with_code_and_accepted_nodes_and_code_sorts():
    app = make_app([str(SIGNALS)])
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await wait_ready(pilot)
        await _counted(pilot, screen)
        labels = {key: screen.tree._spec_of[key].count for key in ("code", "accepted")}
        assert labels == {"code": 3, "accepted": 2}
        await choose_node(pilot, screen, "code")
        assert {p.id for p in screen.paper_list.papers} == {"2603.05001", "2603.05002", "2603.05003"}
        await choose_node(pilot, screen, "accepted")
        assert {p.id for p in screen.paper_list.papers} == {"2603.05001", "2603.05003"}
        await choose_node(pilot, screen, "all")
        # s cycles the sorts: date, title, then stars, then code recency.
        for _ in range(6):
            await pilot.press("s")
            await pilot.pause(0.05)
            if screen.panes.state.sort == "stars":
                break
        assert [p.id for p in screen.paper_list.papers][:2] == ["2603.05001", "2603.05003"]
        await pilot.press("s")
        assert screen.panes.state.sort == "code recency"
        assert [p.id for p in screen.paper_list.papers][:2] == ["2603.05003", "2603.05001"]


async def _search(pilot, screen, query: str) -> list[str]:
    await pilot.press("slash", "ctrl+u", *query)
    for _ in range(300):
        await pilot.pause(0.02)
        search = screen.panes.search
        if search.query == query and search.result is not None and not search.searching:
            break
    await pilot.pause(0.1)
    return sorted(p.id for p in screen.paper_list.papers)


async def test_facets_in_the_search_box():
    app = make_app([str(SIGNALS)], mark_read_after=3600)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await _counted(pilot, screen)
        a, b, c, d, e = (f"2603.0500{n}" for n in range(1, 6))
        assert await _search(pilot, screen, "has:code") == [a, b, c]
        assert await _search(pilot, screen, "stars:>100") == [a]
        assert await _search(pilot, screen, "stars:10..") == [a, c]
        assert await _search(pilot, screen, "venue:CVPR") == [a]
        assert await _search(pilot, screen, "venue:2026") == [a, c]
        assert await _search(pilot, screen, "is:accepted") == [a, c]
        assert await _search(pilot, screen, "no:summary") == [d, e]
        assert await _search(pilot, screen, "has:summary lang:Japanese") == [a, c]
        assert await _search(pilot, screen, "video has:code") == [a]
        await _search(pilot, screen, "stars:lots")
        message = str(screen.search_bar.query_one("#search-message").render())
        assert "give a number" in message
