"""Pilot tests for getting papers out of the reader: space selects, V
selects the list, the count shows; E exports the selection, the list or
the bookmarks to a file or the clipboard in any format; D writes a digest
of the selection; a [[commands]] key runs your program with the papers on
stdin and shows what it said."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import bibtexparser
import rispy

from tests.support import FIXTURE, wait_ready
from tui_reader.ui.factory import make_app


async def until(pilot, condition, tries: int = 250) -> bool:
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.02)
    return condition()


def notices(app) -> list[str]:
    return [message for message in app.notices_shown]


async def test_space_selects_v_selects_the_list_and_the_count_shows():
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        papers = [p.id for p in screen.paper_list.papers]
        await pilot.press("space", "space")
        assert list(screen.panes.place.selected) == papers[:2]
        assert screen.paper_list.current.id == papers[2]  # space moves on, to select a run
        assert screen.paper_list.selected == set(papers[:2])
        assert "2 selected" in str(screen.query_one("#status").render())
        await pilot.press("k", "space")
        assert list(screen.panes.place.selected) == papers[:1]
        await pilot.press("V")
        assert set(screen.panes.place.selected) == set(papers)
        assert f"{len(papers)} selected" in str(screen.query_one("#status").render())
        await pilot.press("V")
        assert not screen.panes.place.selected
        assert "selected" not in str(screen.query_one("#status").render())


async def test_e_exports_the_selection_to_a_file_in_each_format(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))  # exports go to the documents folder
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        first, second = [p.id for p in screen.paper_list.papers[:2]]
        await pilot.press("space", "space")
        await pilot.press("E")
        path = screen.app.screen.query_one("#export-path")
        assert Path(path.value).parent == tmp_path and path.value.endswith(".bib")
        await pilot.press("enter")
        bib = next(tmp_path.glob("papers-*.bib"))
        assert await until(pilot, lambda: any("Wrote 2 papers as BibTeX" in n for n in notices(app)))
        entries = bibtexparser.parse_string(bib.read_text(encoding="utf-8")).entries
        assert sorted(e.fields_dict["eprint"].value for e in entries) == sorted([first, second])
        # RIS: tab to the format list, down to RIS, back to the file name.
        await pilot.press("E")
        await pilot.press("shift+tab", "down", "space")
        await pilot.press("tab", "enter")
        assert await until(pilot, lambda: any(tmp_path.glob("papers-*.ris")))
        ris = next(tmp_path.glob("papers-*.ris"))
        assert await until(pilot, lambda: ris.stat().st_size > 0)
        assert sorted(r["accession_number"] for r in rispy.loads(ris.read_text(encoding="utf-8"))) == \
            sorted([f"arXiv:{first}", f"arXiv:{second}"])
        # The format is remembered for the next export.
        await pilot.press("E")
        assert screen.app.screen.query_one("#export-path").value.endswith(".ris")
        await pilot.press("escape")


async def test_e_exports_the_list_and_the_bookmarks_to_the_clipboard(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))  # exports go to the documents folder
    app = make_app([str(FIXTURE)], mark_read_after=60)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        count = len(screen.paper_list.papers)
        await pilot.press("b")  # one bookmark
        await pilot.press("E")
        await pilot.press("ctrl+y")  # nothing selected: this list, as BibTeX
        assert await until(pilot, lambda: bool(copied))
        assert len(bibtexparser.parse_string(copied[-1]).entries) == count
        assert any(f"Copied {count} papers as BibTeX" in n for n in notices(app))
        # The bookmarks, as CSL-JSON: shift+tab twice to "what", down to the bookmarks.
        await pilot.press("E")
        await pilot.press("shift+tab", "shift+tab", "down", "space")
        await pilot.press("tab", "down", "down", "space", "ctrl+y")
        assert await until(pilot, lambda: len(copied) == 2)
        items = json.loads(copied[-1])
        assert [i["number"] for i in items] == [screen.paper_list.papers[0].id]
        assert list(tmp_path.iterdir()) == []  # the clipboard only


async def test_d_writes_a_digest_of_the_selection(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))  # exports go to the documents folder
    app = make_app([str(FIXTURE)], mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        chosen = screen.paper_list.papers[1]
        await pilot.press("j", "space", "D")
        prompt = screen.app.screen.query_one("#prompt-input")
        prompt.value = str(tmp_path / "picks.html")
        await pilot.press("enter")
        target = tmp_path / "picks.html"
        assert await until(pilot, target.exists)
        page = target.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and f"arXiv:{chosen.id}" in page
        assert page.count("<article") == 1
        assert await until(pilot, lambda: any("Wrote a digest of 1 papers" in n for n in notices(app)))


def write_config(tmp_path: Path, program: str, key: str = "Z") -> Path:
    script = tmp_path / "program.py"
    script.write_text(program, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f"""
[[commands]]
name = "Send"
key = "{key}"
argv = [{json.dumps(sys.executable)}, {json.dumps(str(script))}]
timeout = 20
""", encoding="utf-8")
    return config


async def test_a_command_key_sends_the_selection_as_json(tmp_path: Path):
    received = tmp_path / "received.json"
    config = write_config(tmp_path, f"""import json, sys
data = json.load(sys.stdin)
open({str(received)!r}, "w").write(json.dumps(data))
print("got", len(data["papers"]), "papers")
""")
    app = make_app([str(FIXTURE)], config_path=config, mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        first = screen.paper_list.current
        await pilot.press("Z")  # nothing selected: the highlighted paper
        assert await until(pilot, lambda: any("Send (1 paper): got 1 papers" in n for n in notices(app)))
        data = json.loads(received.read_text())
        assert data["format"] == "tui-reader-papers"
        assert [p["id"] for p in data["papers"]] == [first.id] and data["papers"][0]["title"] == first.title
        await pilot.press("space", "space", "Z")
        assert await until(pilot, lambda: any("Send (2 papers): got 2 papers" in n for n in notices(app)))
        assert len(json.loads(received.read_text())["papers"]) == 2
        help_rows = [row for _, rows in app.help_sections() for row in rows]
        assert any("Send" in description for _, description in help_rows)


async def test_a_failing_command_gives_a_notice(tmp_path: Path):
    config = write_config(tmp_path, "import sys\nsys.stdin.read()\nprint('Zotero is not running', file=sys.stderr)\n"
                                    "sys.exit(3)\n")
    app = make_app([str(FIXTURE)], config_path=config, mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("Z")
        assert await until(pilot, lambda: any("Send failed (exit code 3): Zotero is not running" in n
                                              for n in notices(app)))


async def test_a_command_on_a_reader_key_is_refused_with_a_notice(tmp_path: Path):
    config = write_config(tmp_path, "print('never')\n", key="b")
    app = make_app([str(FIXTURE)], config_path=config, mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert await until(pilot, lambda: any("key 'b' is already a reader key" in n for n in notices(app)))
        paper = screen.paper_list.current.id
        await pilot.press("b")
        assert app.context.store.is_bookmarked(paper)  # b still bookmarks
