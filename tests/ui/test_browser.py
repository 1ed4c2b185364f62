"""The same reader in a real headless browser (``tui-reader serve`` +
Debian's Chromium through Selenium): the page loads and draws, a key
press moves the list, search works.  What the reader did is read back from
its state store: with ``mark_read = "highlight"`` a paper the cursor is
moved to counts as read after a moment, and Enter marks the one opened,
so the read marks say which paper the cursor reached."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests import browser
from tui_reader.core.state import StateStore

pytestmark = pytest.mark.slow

PAPERS = [("2603.00011", "Alpha Paper"), ("2603.00012", "Beta Paper"), ("2603.00013", "Gamma Paper"),
          ("2603.00014", "Quantum Sheep Herding")]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    lines = [json.dumps({"id": pid, "title": title, "authors": ["Ada Lovelace"], "categories": ["cs.LG"],
                         "summary": f"About {title}.", "AI": {"tldr": f"{title} in short."}})
             for pid, title in PAPERS]
    (folder / "2026-03-02_AI_enhanced_English.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def read_ids() -> set[str]:
    with StateStore.open() as store:
        return set(store.read_ids())


def until_read(paper_id: str, timeout: float = 45) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if paper_id in read_ids():
            return True
        time.sleep(0.25)
    return False


def until_indexed(cache: Path, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(cache.glob("tui-reader/index/**/manifest.json")):
            return True
        time.sleep(0.25)
    return False


def test_reader_in_a_headless_browser(library: Path, tmp_path: Path, isolated_dirs) -> None:
    why = browser.missing()
    if why:
        pytest.skip(why)
    config = isolated_dirs["config"] / "tui-reader" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('mark_read = "highlight"\nmark_read_delay = 0.3\n', encoding="utf-8")
    with browser.served([str(library)], dict(os.environ)) as url:
        driver = browser.chrome()
        try:
            browser.open_reader(driver, url)
            assert "tui-reader" in driver.page_source
            time.sleep(2)  # the library shown
            before = driver.get_screenshot_as_png()
            browser.press(driver, "j")
            assert until_read("2603.00012"), "j did not move the list"
            assert "2603.00011" not in read_ids()
            assert driver.get_screenshot_as_png() != before
            # The index builds in the background: search once it is on disk
            # (a fixed pause was too short on a loaded machine).
            assert until_indexed(isolated_dirs["cache"]), "the search index was never written"
            time.sleep(1)
            browser.press(driver, "/")
            time.sleep(1)  # the search box focused before the word is typed
            browser.press(driver, "Quantum")
            time.sleep(3)
            browser.press(driver, "\n")  # to the results
            time.sleep(1)
            browser.press(driver, "\n")  # open the first result
            assert until_read("2603.00014"), "search did not bring up the matching paper"
            assert "2603.00013" not in read_ids()  # the cursor jumped there, not down the list
            browser.save_screenshot(driver, tmp_path / "browser.png")
            assert (tmp_path / "browser.png").stat().st_size > 5000
        finally:
            driver.quit()
