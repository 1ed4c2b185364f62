"""Issue 7.1: untrusted paper text is shown literally, never styled by the
data, never sent raw to the terminal, and never crashes a widget.

The hostile digest (see ``hostile.py``) is read in both formats; each field
is checked in the library, the detail view, the list, the tree,
notifications, the clipboard/BibTeX, the bookmark exports and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.robustness import hostile as H
from tests.robustness.waiting import select, until
from tests.support import wait_ready
from tui_reader.core.loader import load_library
from tui_reader.ui.factory import make_app

FORMATS = ("markdown", "jsonl")
# The JSONL record's link is hostile too: it reaches notifications and the clipboard.
HOSTILE_ABS = f"https://arxiv.org/abs/{H.HOSTILE_ID}?x=[bold]y[/]{H.CONTROLS}"


def _write(folder: Path, fmt: str) -> Path:
    if fmt == "markdown":
        H.write_markdown(folder)
    else:
        path = H.write_jsonl(folder)
        lines = path.read_text(encoding="utf-8").splitlines()
        record = json.loads(lines[0])
        record["abs"] = HOSTILE_ABS
        lines[0] = json.dumps(record, ensure_ascii=False)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(params=FORMATS)
def hostile_dir(request, tmp_path: Path) -> tuple[str, Path]:
    return request.param, _write(tmp_path / request.param, request.param)


def _svg_text(svg: str) -> str:
    return svg.replace("&#160;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _hostile_fields(paper) -> dict[str, str]:
    fields = {"title": paper.title, "author": paper.authors[0], "abstract": paper.abstract}
    if paper.comment:
        fields["comment"] = paper.comment
    for language, summary in paper.summaries.items():
        for name in H.FIELDS:
            fields[f"{language}.{name}"] = getattr(summary, name)
    return fields


def test_every_field_is_read_as_literal_text(hostile_dir):
    fmt, folder = hostile_dir
    library = load_library([str(folder)])
    paper = library.papers[H.HOSTILE_ID]
    fields = _hostile_fields(paper)
    expected = {"title", "author", "abstract"} | {f"English.{n}" for n in H.FIELDS}
    if fmt == "jsonl":
        expected.add("comment")
    assert expected <= set(fields)
    for name, value in fields.items():
        H.assert_clean(value, name)
        for literal in H.LITERALS + H.VISIBLE:
            assert literal in value, f"{literal!r} lost from {name}: {value!r}"
    for other in (paper.abs_url, paper.pdf_url, *paper.categories, *paper.authors):
        H.assert_clean(other, "links/categories/authors")
    long = library.papers[H.LONG_ID]
    assert long.title.endswith("[end]") and len(long.authors) == len(H.MANY_AUTHORS)


@pytest.mark.slow  # 25 s of the everyday run: every pane of a hostile library, in both formats
async def test_detail_list_tree_and_screen_show_literals(hostile_dir):
    fmt, folder = hostile_dir
    app = make_app([str(folder)])
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await wait_ready(pilot)
        await select(pilot, screen, H.HOSTILE_ID)
        summary = screen.detail.text
        await pilot.press("a")
        assert await until(pilot, lambda: "ABSTRACT" in screen.detail.text, 5)
        abstract = screen.detail.text
        for text, where in ((summary, "summary"), (abstract, "abstract")):
            H.assert_clean(text, f"the detail view ({where})")
            assert "[bold red]x[/]" in text and "[link=https://evil.example]click[/link]" in text
        for name in H.FIELDS:
            assert f"{name.upper()}-" in summary, f"{name} missing from the detail view"
        assert "ABSTRACT [bold red]x[/]" in abstract
        if fmt == "jsonl":
            assert "COMMENT [bold red]x[/]" in summary
        # The tree: every label is plain text without controls.
        labels = [screen.tree.label_of(key) for key in screen.tree._spec_of]
        assert labels
        for label in labels:
            H.assert_clean(label, "the tree")
        svg = _svg_text(app.export_screenshot())
        H.assert_clean(svg, "the screen")
        assert "[bold red]x[/]" in svg
        # The long paper: the list and the detail cope with 10 000-character
        # titles and 1500 authors.
        await select(pilot, screen, H.LONG_ID)
        assert "[end]" in screen.detail.text
        assert "… and 1497 more" in screen.detail.text  # 1500 authors fold to three
        await pilot.press("A")
        assert await until(pilot, lambda: "Author1499 [b]1499[/b]" in screen.detail.text, 5)
        await pilot.press("enter", "G", "g", "tab")
        H.assert_clean(_svg_text(app.export_screenshot()), "the screen (long paper)")


async def test_notifications_clipboard_and_bibtex_hold_no_sequences(hostile_dir, monkeypatch):
    fmt, folder = hostile_dir
    app = make_app([str(folder)])
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", lambda text: copied.append(text))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await select(pilot, screen, H.HOSTILE_ID)
        await pilot.press("o", "O", "y", "Y", "b", "l")
        await until(pilot, lambda: len(app.notices_shown) >= 6 and len(copied) >= 2, 5)
        messages = [message for message in app.notices_shown]
        assert any(m.startswith("Opening ") for m in messages)
        for message in messages:
            H.assert_clean(message, "a notification")
        for text in opened + copied:
            H.assert_clean(text, "the browser or the clipboard")
        if fmt == "jsonl":
            assert any("[bold]y[/]" in m for m in messages), "the link's brackets were eaten as markup"
        bibtex = copied[-1]
        assert "@" in bibtex and "Hostile Title" in bibtex
        H.assert_clean(_svg_text(app.export_screenshot()), "the screen with notifications")


async def test_bookmark_exports_and_cli_output_hold_no_sequences(hostile_dir, capsys):
    fmt, folder = hostile_dir
    app = make_app([str(folder)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        for paper_id in (H.HOSTILE_ID, H.LONG_ID):
            await select(pilot, screen, paper_id)
            await pilot.press("b")
            assert await until(pilot, lambda paper_id=paper_id: screen.panes.store.is_bookmarked(paper_id), 5)
        await pilot.press("q")
    from tui_reader.cli import main
    from tui_reader.core.state import StateStore
    from tui_reader.core.state.export import FORMATS as EXPORTS
    from tui_reader.core.state.export import render

    store = StateStore.open()
    try:
        bookmarks = store.bookmarks(None)
        assert {b.id for b in bookmarks} == {H.HOSTILE_ID, H.LONG_ID}
        for export_format in EXPORTS:
            H.assert_clean(render(bookmarks, export_format), f"the {export_format} export")
    finally:
        store.close()
    capsys.readouterr()
    commands = [
        ["bookmarks", "list"],
        ["bookmarks", "list", "--json"],
        ["check", str(folder)],
        ["search", "Hostile", str(folder)],
        ["search", "Hostile", str(folder), "--json"],
    ] + [["bookmarks", "export", "--format", f] for f in EXPORTS]
    for argv in commands:
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, (argv, err)
        H.assert_clean(out, f"stdout of {argv}")
        H.assert_clean(err, f"stderr of {argv}")
        if argv[0] != "check":
            assert "Hostile" in out or "66601" in out, argv


async def test_problem_listing_of_a_hostile_file_name(tmp_path):
    folder = tmp_path / "lib"
    H.write_jsonl(folder)
    bad = folder / "bad[bold red]x[b]\x1b]0;pwned\x07\u202e.jsonl"
    bad.write_text('{"id": "2603.00001", "title": "ok"}\nnot json [/]\x1b]52;c;pwned\x07\n', encoding="utf-8")
    app = make_app([str(folder)])
    # Wide enough that the long temporary path never wraps inside the name.
    async with app.run_test(size=(250, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.panes.lib.library.problems
        await pilot.press("p")
        assert await until(pilot, lambda: type(app.screen).__name__ == "ProblemsScreen", 10)
        shots: list[str] = []

        def painted() -> bool:
            shots.append(_svg_text(app.export_screenshot()))
            return "bad[bold red]x[b]" in shots[-1]

        await until(pilot, painted, 10, 0.1)
        svg = shots[-1]
        H.assert_clean(svg, "the problem list")
        assert "bad[bold red]x[b]" in svg
        for message in (message for message in app.notices_shown):
            H.assert_clean(message, "a notification")
