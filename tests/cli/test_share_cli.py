"""Issue 30.2: sharing picks with a team.  ``share`` publishes bookmarks as
a producer-style branch; a teammate in another home ``follow``s it like a
fork, reads the papers from it, and sees who picked what."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sync_homes import bare_remote
from tui_reader.cli import main
from tui_reader.core import follow as forks
from tui_reader.core.model import Paper, Summary
from tui_reader.core.picks import collect_picks, read_picks
from tui_reader.core.state import StateStore

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def use_home(monkeypatch, home: Path) -> None:
    for name in ("data", "config", "cache"):
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(home / name))


def paper(pid: str, title: str, day: str, tldr: str = "") -> Paper:
    summaries = {"English": Summary(tldr=tldr)} if tldr else {}
    return Paper(id=pid, title=title, authors=["Ada Lovelace", "Alan Turing"], categories=["cs.LG", "stat.ML"],
                 abstract=f"Abstract of {title}.", abs_url=f"https://arxiv.org/abs/{pid}",
                 pdf_url=f"https://arxiv.org/pdf/{pid}", dates=[day], summaries=summaries)


def test_share_then_follow_between_two_homes(capsys, monkeypatch, tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    use_home(monkeypatch, tmp_path / "ada")
    with StateStore.open() as store:
        store.add_bookmark(paper("2603.00001", "Diffusion Models for Cats", "2026-03-02", "Cats, diffused."))
        store.set_tags("2603.00001", "team, cats")
        store.set_note("2603.00001", "Read §3 \x1b[31mfirst")
        store.add_bookmark(paper("2603.00004", "Graph Networks [at] Scale", "2026-03-03"))
        store.set_tags("2603.00004", "team")
        store.add_bookmark(paper("2603.00009", "Private", "2026-03-03"))
    assert main(["share", "--tag", "team", "--notes", "--name", "Ada", "--to", remote]) == 0
    assert "shared 2 bookmarks as Ada" in capsys.readouterr().out
    listing = subprocess.run(["git", "--git-dir", remote, "ls-tree", "-r", "--name-only", "data"],
                             capture_output=True, text=True, check=True).stdout.split()
    assert sorted(listing) == ["data/2026-03-02_AI_enhanced_English.jsonl", "data/2026-03-03.jsonl",
                               "markdown/2026-03-02.md", "picks.json"]  # no Markdown for a paper without a summary

    use_home(monkeypatch, tmp_path / "bob")  # the teammate
    assert main(["follow", "file://" + remote]) == 0
    capsys.readouterr()
    assert main(["check", "--json"]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    assert sorted(day["date"] for day in report["days"]) == ["2026-03-02", "2026-03-03"]
    assert not report.get("problems"), report.get("problems")
    follows, _ = forks.all_follows([])
    picks = collect_picks(f.folder for f in follows)
    assert picks.names() == ["Ada"] and picks.problems == []
    assert picks.ids_of("Ada") == {"2603.00001", "2603.00004"}
    [cats] = picks.by_paper["2603.00001"]
    assert cats.tags == ("cats", "team") and "\x1b" not in cats.note and cats.note.startswith("Read §3")

    use_home(monkeypatch, tmp_path / "ada")  # Ada shares again, without notes: one more commit, notes gone
    assert main(["share", "--tag", "cats", "--name", "Ada", "--to", remote]) == 0
    use_home(monkeypatch, tmp_path / "bob")
    assert main(["follow"]) == 0
    picks = collect_picks(f.folder for f in forks.all_follows([])[0])
    assert picks.ids_of("Ada") == {"2603.00001"} and picks.by_paper["2603.00001"][0].note == ""


def test_nothing_to_share_and_bad_picks_files(capsys, tmp_path: Path) -> None:
    assert main(["share", "--to", str(tmp_path / "out")]) == 1
    folder = tmp_path / "fork"
    folder.mkdir()
    assert read_picks(folder) == ([], "")  # a plain fork
    (folder / "picks.json").write_text("{broken")
    assert "cannot be read" in read_picks(folder)[1]
    (folder / "picks.json").write_text(json.dumps({"format": "tui-reader-picks", "version": 9, "papers": []}))
    assert "newer tui-reader" in read_picks(folder)[1]
    (folder / "picks.json").write_text(json.dumps({"format": "tui-reader-picks", "version": 1, "name": "Eve\x1b[31m",
                                                   "papers": [{"id": 5}, "x", {"id": "2603.1v2", "tags": [1, "ok"]}]}))
    found, problem = read_picks(folder)
    assert problem == "" and found == [("2603.1", found[0][1])] and found[0][1].name == "Eve"
    assert found[0][1].tags == ("ok",)
