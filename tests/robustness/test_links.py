"""Issue 19.1: links are data, not commands.  ``abs``, ``pdf`` and
``code_url`` come from files in the library: only single-line plain
``https://`` URLs of the expected kind reach the browser, the clipboard or
an export; anything else falls back to the paper's own arXiv page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.robustness.waiting import select
from tui_reader.core import links
from tui_reader.core.model import Paper
from tui_reader.core.state import Bookmark, Snapshot
from tui_reader.core.state.export import markdown, to_csv
from tui_reader.ui.factory import make_app

HOSTILE_LINKS = [
    "--gpu-launcher=xcalc",
    "-remote=openURL(file:///etc/passwd)",
    "javascript:alert(1)",
    "file:///etc/shadow",
    "http://arxiv.org/abs/2601.00001",
    "https://arxiv.org/abs/2601.00001\nhttps://evil.example/",
    "https://arxiv.org@evil.example/abs/2601.00001",
    "https://evil.example/abs/2601.00001",
    "https://arxiv.org:8443/abs/2601.00001",
    "https://arxiv.org/abs/2601.00001 --flag",
    "https://arxiv.org/abs/2601.00001\x1b]52;c;cHduZWQ=\x07",
    "https://arxiv.org/abs/<script>",
    "https://127.0.0.1/abs/2601.00001",
    "https://xn--rxiv-0ra.org/abs/1",
    " https://arxiv.org/abs/2601.00001\r",  # outer spaces only: this one is fine, stripped
    "",
    None,
    42,
    ["https://arxiv.org/abs/2601.00001"],
]


@pytest.mark.parametrize("value", HOSTILE_LINKS, ids=repr)
def test_abs_and_pdf_are_arxiv_https_or_the_papers_own(value) -> None:
    for kind in ("abs", "pdf"):
        url = links.arxiv_link(value, "2601.00001", kind)
        assert url.startswith("https://arxiv.org/" + kind + "/"), url
        assert url in (f"https://arxiv.org/{kind}/2601.00001",), url
        assert links.is_safe(url)


@pytest.mark.parametrize("value", HOSTILE_LINKS, ids=repr)
def test_code_links_are_plain_https_or_nothing(value) -> None:
    link = links.code_link(value)
    if link is not None:
        assert links.is_safe(link.url) and not link.url.startswith("-")
        assert "\n" not in link.url and "@" not in link.url


def test_code_links_are_labelled_by_kind() -> None:
    expected = links.Link("https://github.com/a/b", "code", "code (github.com)")
    assert links.code_link("https://github.com/a/b") == expected
    assert links.code_link("https://gitlab.com/a/b").kind == "code"
    page = links.code_link("https://someone.github.io/project/")
    assert page.kind == "project" and page.label == "project page (someone.github.io)"
    assert links.code_link("https://arxiv.org/abs/1").__class__ is type(None)


def test_a_hostile_id_stays_inside_the_fallback_path() -> None:
    url = links.own_link("--x y\nz")
    assert url.startswith("https://arxiv.org/abs/") and links.is_safe(url)


def _hostile_library(folder: Path) -> Path:
    folder.mkdir()
    record = {
        "id": "2601.00001", "title": "Hostile links", "authors": ["A B"], "categories": ["cs.LG"],
        "summary": "Text.", "abs": "--gpu-launcher=xcalc", "pdf": "javascript:alert(1)//",
        "code_url": "file:///etc/shadow",
        "AI": {"tldr": "t", "motivation": "m", "method": "m", "result": "r", "conclusion": "c"},
    }
    second = dict(record, id="2601.00002", title="Multi-line link",
                  abs="https://arxiv.org/abs/2601.00002\nhttps://evil.example/",
                  code_url="https://github.com/good/repo")
    (folder / "2026-01-05_AI_enhanced_English.jsonl").write_text(
        json.dumps(record) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    return folder


async def test_open_and_copy_only_pass_safe_links(tmp_path: Path, monkeypatch, settled) -> None:
    app = make_app([str(_hostile_library(tmp_path / "lib"))])
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", lambda text: copied.append(text))
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)  # loaded and indexed: no polling
        screen = pilot.app.screen
        assert screen.panes.lib.library is not None and screen.panes.lib.index_ready
        await select(pilot, screen, "2601.00001")
        await pilot.press("o", "O", "y")
        await settled(pilot)
        assert opened == ["https://arxiv.org/abs/2601.00001", "https://arxiv.org/pdf/2601.00001"]
        assert copied == ["https://arxiv.org/abs/2601.00001"]
        assert "etc/shadow" not in screen.detail.text
        await select(pilot, screen, "2601.00002")
        await pilot.press("y")
        await settled(pilot)
        assert copied[-1] == "https://arxiv.org/abs/2601.00002"


def test_markdown_and_csv_exports_write_only_safe_links() -> None:
    paper = Paper(id="2601.00001", title="T", abs_url="javascript:alert(1)", pdf_url="-remote=x",
                  code_url="javascript:alert(document.cookie)")
    bookmark = Bookmark("2601.00001", "2026-01-05T00:00:00Z", [], "", Snapshot.from_paper(paper))
    text = markdown([bookmark])
    assert "javascript" not in text and "-remote" not in text
    assert "(<https://arxiv.org/abs/2601.00001>)" in text and "(<https://arxiv.org/pdf/2601.00001>)" in text
    assert "javascript" not in to_csv([bookmark]) and "-remote" not in to_csv([bookmark])
    good = Paper(id="2601.00002", title="T", code_url="https://github.com/a/b")
    text = markdown([Bookmark("2601.00002", "2026-01-05T00:00:00Z", [], "", Snapshot.from_paper(good))])
    assert "[code (github.com)](<https://github.com/a/b>)" in text
