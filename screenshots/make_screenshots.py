"""Refresh the SVG screenshots in this folder from real dated days of the
producer's data branch (``../shared/samples/databranch``), through the same
``make_app`` the CLI uses.

    .venv/bin/python screenshots/make_screenshots.py

Runs with throwaway cache/data/config dirs, so your own bookmarks, read
marks and decisions never show up in the pictures; no other reader may
hold the index meanwhile."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATABRANCH = REPO.parent / "shared" / "samples" / "databranch"  # real days of the producer's data branch
DAY = "2026-06-19"
TRAINING_DAY = "2025-10-09"  # its decisions teach the ranking what this reader keeps
KEEP_WORDS = ("video", "diffusion", "3d", "gaussian", "image generation", "world model")


async def settled(pilot) -> None:
    """The library shown, the index built, every worker done (ranking too)."""
    from tests.support import settle, wait_ready

    await wait_ready(pilot, index=True)
    await settle(pilot)
    await pilot.wait_for_scheduled_animations()


async def shoot(name: str, keys: list[str], size=(150, 42), select: str | None = None, node: str | None = f"day:{DAY}",
                pause: float = 0.4) -> None:
    from tests.support import settle
    from tui_reader.ui.factory import make_app

    app = make_app([str(DATABRANCH)], mark_read_after=3600)
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        screen = app.screen
        if node:
            screen.panes.go_to(node)
            await settled(pilot)
        if select:
            screen.paper_list.select_id(select)
            await pilot.pause(0.2)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.05)
        await settle(pilot)
        await pilot.pause(pause)
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    print(f"wrote screenshots/{name}.svg")


def teach_the_ranking() -> None:
    """A reader's earlier triage: the training day's papers on video, diffusion
    and 3D kept, the others skipped (what `decisions import` would bring)."""
    from tui_reader.core.loader import load_library
    from tui_reader.core.state import StateStore

    library = load_library([str(DATABRANCH)], None)
    rows = []
    for paper in library.papers.values():
        if paper.dates and paper.dates[0] == TRAINING_DAY:
            kept = any(word in paper.title.casefold() for word in KEEP_WORDS)
            rows.append((paper.id, "keep" if kept else "skip", None, None))
    store = StateStore.open()
    store.record_decisions(rows, source="import")
    store.close()


async def main() -> None:
    teach_the_ranking()
    await shoot("main", [], size=(160, 45))  # a real day, ranked for this reader, with counts
    await shoot("triage", ["v", "y", "n", "w", "n", "n"], size=(140, 40))
    await shoot("summary-chinese", ["j", "j", "enter"], size=(120, 36))
    await shoot("abstract", ["j", "a"], size=(120, 36))
    await shoot("search", ["slash", *"gaussian splatting", "enter"], size=(140, 40), pause=1.0)
    await shoot("help", ["question_mark"], size=(120, 45))
    await shoot("narrow-80x24", ["j"], size=(80, 24))
    await shoot("chinese-detail-80x24", [], size=(80, 24), node="day:2026-06-19", select="2606.19617")
    await shoot("wide-list", ["s"], size=(200, 50))  # digest order, titles with 80+ cells
    await shoot("signals", [], size=(160, 36), node="code")  # With code: badges, stars, the signals block
    await shoot("for-you", [], size=(160, 40), node="foryou")


def browser_shot() -> None:
    """screenshots/browser.png: the reader served by ``tui-reader serve``
    in headless Chromium (needs the test extra and Debian's chromium +
    chromium-driver; fonts-noto-cjk for the Chinese summaries)."""
    import time

    from tests import browser

    why = browser.missing()
    if why:
        print(f"skipped screenshots/browser.png: {why}")
        return
    with browser.served([str(DATABRANCH)], dict(os.environ)) as url:
        driver = browser.chrome(1400, 860)
        try:
            browser.open_reader(driver, url)
            time.sleep(3)
            browser.press(driver, "jj")
            time.sleep(1.5)
            browser.save_screenshot(driver, HERE / "browser.png")
        finally:
            driver.quit()
    print("wrote screenshots/browser.png")


def fresh_dirs(tmp: str) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = os.path.join(tmp, name.lower())


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    if not DATABRANCH.is_dir():
        sys.exit(f"screenshots need {DATABRANCH} (the shared samples beside this checkout)")
    with tempfile.TemporaryDirectory() as tmp:
        fresh_dirs(tmp)
        asyncio.run(main())
    # The served reader starts from nothing too: no read marks or Later
    # papers from the shots above, no index another reader still holds.
    with tempfile.TemporaryDirectory() as tmp:
        fresh_dirs(tmp)
        browser_shot()
