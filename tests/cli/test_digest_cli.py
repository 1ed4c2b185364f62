"""``tui-reader digest``: a day's or a week's picks as Markdown or HTML,
grouped by tag and interest, with exit codes a cron job can act on."""

from __future__ import annotations

import html.parser
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.core.discovery import parse_rule
from tui_reader.core.state import Bookmark, StateStore

HOSTILE = '<script>alert(1)</script> & "Quotes" <img src=x onerror=alert(2)>'


def record(paper_id: str, title: str, **extra) -> dict:
    data = {
        "id": paper_id, "title": title, "authors": ["Ada Lovelace", "Alan Turing"], "categories": ["cs.LG"],
        "summary": f"Abstract of {title}.", "abs": f"https://arxiv.org/abs/{paper_id}",
        "pdf": f"https://arxiv.org/pdf/{paper_id}", "comment": "",
        "AI": {"tldr": f"TL;DR of {title}.", "motivation": "m", "method": "m", "result": "r", "conclusion": "c"},
    }
    data.update(extra)
    return data


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    days = {
        "2026-03-02": [record("2603.00001", "Diffusion Models for Cats", comment="Accepted to CVPR 2026",
                              code_url="https://github.com/ex/cats"),
                       record("2603.00002", "Graph Networks at Scale"),
                       record("2603.00003", HOSTILE, abs="javascript:alert(3)", code_url="javascript:alert(4)")],
        "2026-03-03": [record("2603.00004", "Diffusion for Dogs"), record("2603.00005", "Quantum Sheep")],
    }
    for day, records in days.items():
        (folder / f"{day}_AI_enhanced_English.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["digest", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_all_papers_of_the_newest_day(capsys, library: Path) -> None:
    code, out, err = run(capsys, "--all", "--library", str(library))
    assert code == 0, err
    assert "# arXiv picks, 2026-03-03" in out
    assert "### Diffusion for Dogs" in out and "### Quantum Sheep" in out and "Cats" not in out
    assert "**TL;DR:** TL;DR of Diffusion for Dogs." in out


def test_a_day_with_abstracts_venue_and_code(capsys, library: Path) -> None:
    code, out, _ = run(capsys, "2026-03-02", "--all", "--abstract", "--library", str(library))
    assert code == 0
    assert "**CVPR 2026**" in out and "[code](<https://github.com/ex/cats>)" in out
    assert "> Abstract of Diffusion Models for Cats." in out
    assert "javascript:" not in out  # the hostile paper's links fall back to arXiv's
    assert "\\<script\\>" in out


def test_interests_and_bookmarks_are_grouped(capsys, library: Path) -> None:
    with StateStore.open() as store:
        store.add_rule(parse_rule("interest", "diffusion"))
        store.merge_bookmarks([Bookmark("2603.00002", "2026-03-02T08:00:00Z", ["graphs"], "Read it", None)])
    code, out, err = run(capsys, "--since", "2026-03-01", "--library", str(library))
    assert code == 0, err
    sections = [line for line in out.splitlines() if line.startswith("## ")]
    assert sections == ["## Tag: graphs (1)", "## Interest: diffusion (2)"]
    assert "Note: Read it" in out and "matches diffusion" in out
    assert "Quantum Sheep" not in out  # neither picked nor bookmarked
    code, out, _ = run(capsys, "--since", "1d", "--bookmarks", "--library", str(library))
    assert code == 0 and "Graph Networks" in out and "Diffusion" not in out


def test_mute_rules_keep_papers_out(capsys, library: Path) -> None:
    with StateStore.open() as store:
        store.add_rule(parse_rule("mute", "sheep"))
    code, out, _ = run(capsys, "--all", "--library", str(library))
    assert code == 0 and "Quantum Sheep" not in out and "Diffusion for Dogs" in out


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_escaped_and_links_are_https(capsys, library: Path, tmp_path: Path) -> None:
    target = tmp_path / "picks.html"
    code, out, err = run(capsys, "2026-03-02", "--all", "-o", str(target), "--library", str(library))
    assert code == 0 and out == "" and "written to" in err
    page = _Tags()
    page.feed(target.read_text(encoding="utf-8"))
    names = {tag for tag, _ in page.tags}
    assert names <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "section", "article",
                     "a", "span", "strong", "blockquote"}, names
    assert all(attrs["href"].startswith("https://") for tag, attrs in page.tags if tag == "a")
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert HOSTILE in "".join(page.text)  # shown as text, whole


def test_nothing_picked_writes_nothing_and_says_so(capsys, library: Path, tmp_path: Path) -> None:
    target = tmp_path / "empty.md"
    code, out, err = run(capsys, "--interests", "-o", str(target), "--library", str(library))
    assert code == 1 and out == "" and "nothing picked" in err and "no interests set" in err
    assert not target.exists()
    code, _, err = run(capsys, "2026-02-30", "--library", str(library))
    assert code == 2 and "not a day" in err
    code, _, err = run(capsys, "2026-03-09", "--all", "--library", str(library))
    assert code == 1 and "nothing picked on 2026-03-09" in err
    code, _, err = run(capsys, "2026-03-02", "--since", "1d", "--library", str(library))
    assert code == 2


def test_runs_from_cron_without_a_terminal(library: Path, tmp_path: Path, isolated_dirs) -> None:
    target = tmp_path / "weekly.html"
    env = {k: v for k, v in os.environ.items() if k not in ("TERM", "COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-m", "tui_reader", "digest", "--since", "7d", "--all", "-o", str(target),
         "--library", str(library)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120, start_new_session=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Quantum Sheep" in target.read_text(encoding="utf-8") and "<!DOCTYPE html>" in target.read_text()
