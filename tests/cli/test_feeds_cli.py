"""Issue 30.3: feeds any reader can subscribe to.  ``digest --format atom``
and ``feed NAME`` write Atom 1.0 that a real parser (feedparser) reads back
without complaint, with stable ids, and unchanged bytes when nothing new
arrived."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from tests.cli.test_digest_cli import HOSTILE, record
from tui_reader.cli import main
from tui_reader.core.discovery import parse_rule
from tui_reader.core.state import StateStore


def write_day(folder: Path, day: str, records: list[dict]) -> None:
    (folder / f"{day}_AI_enhanced_English.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    write_day(folder, "2026-03-02", [
        record("2603.00001", "Diffusion Models for Cats", comment="Accepted to CVPR 2026",
               code_url="https://github.com/ex/cats"),
        record("2603.00002", "Graph Networks at Scale"),
        record("2603.00003", HOSTILE + " diffusion \x1b[31m\x07", abs="javascript:alert(3)",
               code_url="javascript:alert(4)"),
    ])
    write_day(folder, "2026-03-03", [record("2603.00004", "Diffusion for Dogs"), record("2603.00005", "Quantum Sheep")])
    return folder


def parsed(path: Path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_digest_as_atom_is_valid_and_stable(capsys, library: Path, tmp_path: Path) -> None:
    with StateStore.open() as store:
        store.add_rule(parse_rule("interest", "diffusion"))
    out = tmp_path / "picks.atom"
    assert main(["digest", "--since", "7d", "--library", str(library), "-o", str(out)]) == 0
    feed = parsed(out)
    ids = [e.id for e in feed.entries]
    assert ids == ["https://arxiv.org/abs/2603.00004", "https://arxiv.org/abs/2603.00003",
                   "https://arxiv.org/abs/2603.00001"]  # newest day first, then by id
    cats = feed.entries[2]
    assert cats.title == "Diffusion Models for Cats" and "TL;DR of Diffusion Models for Cats." in cats.summary
    assert any(link.href == "https://github.com/ex/cats" for link in cats.links)
    hostile = feed.entries[1]
    assert "\x1b" not in hostile.title and "<script>" in hostile.title  # text, never markup
    assert all(link.href.startswith("https://") for e in feed.entries for link in e.links)
    before = out.read_bytes()
    assert main(["digest", "--since", "7d", "--library", str(library), "-o", str(out)]) == 0
    assert out.read_bytes() == before and "up to date" in capsys.readouterr().err
    write_day(library, "2026-03-04", [record("2603.00006", "Diffusion for Birds")])
    assert main(["digest", "--since", "7d", "--library", str(library), "-o", str(out), "--format", "atom"]) == 0
    again = parsed(out)
    assert [e.id for e in again.entries][1:] == ids  # only the new entry changed
    old = {e.id: (e.title, e.updated) for e in feed.entries}
    assert all(old[e.id] == (e.title, e.updated) for e in again.entries[1:])


def test_feed_of_a_saved_search_and_of_an_interest(capsys, library: Path, tmp_path: Path) -> None:
    with StateStore.open() as store:
        store.save_search("Nets", "networks")
        store.add_rule(parse_rule("interest", "diffusion"))
    out = tmp_path / "nets.xml"
    assert main(["feed", "Nets", str(library), "-o", str(out)]) == 0
    feed = parsed(out)
    assert [e.id for e in feed.entries] == ["https://arxiv.org/abs/2603.00002"]
    assert feed.feed.id == "tag:tui-reader,2026:search/Nets" and feed.feed.title == "arXiv: Nets"
    assert main(["feed", "diffusion", str(library), "--limit", "2"]) == 0
    text = capsys.readouterr().out
    assert [e.id for e in feedparser.parse(text).entries] == ["https://arxiv.org/abs/2603.00004",
                                                              "https://arxiv.org/abs/2603.00001"]
    assert main(["feed", "nothing-of-that-name", str(library)]) == 2
    with StateStore.open() as store:
        store.save_search("Empty", "zebrafish")
    assert main(["feed", "Empty", str(library), "-o", str(tmp_path / "empty.atom")]) == 1
    assert not (tmp_path / "empty.atom").exists()
