"""Refresh the SVG screenshots in this folder from the embedded samples (and
the two-language test fixture), through the same ``make_app`` the CLI uses.

    .venv/bin/python screenshots/make_screenshots.py

Runs with throwaway cache/data/config dirs, so your own bookmarks and read
marks never show up in the pictures."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURE = REPO / "tests" / "fixtures" / "ui"
DATABRANCH = REPO.parent / "shared" / "samples" / "databranch"  # real days of the producer's data branch


async def wait_ready(pilot, index: bool = True) -> None:
    from tui_reader.ui.screens.main import MainScreen

    for _ in range(1500):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, MainScreen) and screen.library is not None and (screen.index_ready or not index):
            break
    await pilot.pause(0.3)


async def shoot(name: str, keys: list[str], paths: list[str] | None = None, size=(140, 40),
                select: str | None = None, pause: float = 0.4, node: str | None = None) -> None:
    from tui_reader.ui.factory import make_app

    app = make_app(paths, mark_read_after=3600)
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        if node:  # a tree node, e.g. "day:2026-06-22"
            app.screen.tree.select_key(node)
            app.screen.show_node(node)
            await pilot.pause(0.2)
        if select:
            app.screen.paper_list.select_id(select)
            await pilot.pause(0.2)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.05)
        await pilot.pause(pause)
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    print(f"wrote screenshots/{name}.svg")


async def main() -> None:
    await shoot("main", [], size=(160, 45))
    await shoot("summary-chinese", ["j", "j", "enter"], size=(120, 36))
    await shoot("abstract", ["j", "a"], size=(120, 36))
    await shoot("search", ["slash", *"robust detection", "enter"], size=(140, 40), pause=1.0)
    await shoot("help", ["question_mark"], size=(120, 45))
    await shoot("language-toggle", ["l"], paths=[str(FIXTURE)], size=(120, 36), select="2603.10001")
    await shoot("narrow-80x24", ["j"], size=(80, 24))
    if DATABRANCH.is_dir():
        # A Chinese summary at 80x24: wrapped between characters, TL;DR on the first screen.
        await shoot("chinese-detail-80x24", [], paths=[str(DATABRANCH)], size=(80, 24),
                    node="day:2026-06-19", select="2606.19617")
        # A wide list: titles with 80+ cells, authors last.
        await shoot("wide-list", [], paths=[str(DATABRANCH)], size=(200, 50), node="day:2026-06-19")
    # The producer's signals: badges, the signals block, With code / Accepted.
    await shoot("signals", [], paths=[str(REPO / "tests" / "fixtures" / "signals")], size=(160, 36),
                select="2603.05001")
    # Triage with its progress line: on a real day of the data branch when it
    # is beside this checkout, else on the embedded samples.
    databranch = REPO.parent / "shared" / "samples" / "databranch"
    paths = [str(databranch)] if databranch.is_dir() else None
    await shoot("triage", ["f", *"06-19", "enter", "v", "y", "n", "w", "n", "n"], paths=paths, size=(140, 40))


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
    with browser.served([str(REPO / "tui_reader" / "samples")], dict(os.environ)) as url:
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
    with tempfile.TemporaryDirectory() as tmp:
        fresh_dirs(tmp)
        asyncio.run(main())
    # The served reader starts from nothing too: no read marks or Later
    # papers from the shots above, no index another reader still holds.
    with tempfile.TemporaryDirectory() as tmp:
        fresh_dirs(tmp)
        browser_shot()
