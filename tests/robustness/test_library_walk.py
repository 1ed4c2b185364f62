"""Issue 28.2: a library's walk never follows a symbolic link out of the
library folder (a fork's ``data`` linked to ``/`` walked the whole host,
a link to ``/etc/passwd`` was read), and is bounded, saying what it
skipped.  Failed on the code before the fix."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui_reader.core.library import files as files_module
from tui_reader.core.loader import load_library

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")

RECORD = {"id": "2601.00001", "title": "Inside The Library", "authors": ["A"], "categories": ["cs.LG"],
          "summary": "s", "AI": {"tldr": "t"}}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "2026-01-02_AI_enhanced_English.jsonl").write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2026-01-03.jsonl").write_text(json.dumps({**RECORD, "id": "2601.09999"}) + "\n", encoding="utf-8")
    (folder / "host").symlink_to("/")  # the whole host
    (folder / "passwd.md").symlink_to("/etc/passwd")
    (folder / "sideways").symlink_to(outside)
    (folder / "2026-01-04.jsonl").symlink_to(outside / "2026-01-03.jsonl")
    (folder / "same.jsonl").symlink_to(folder / "2026-01-02_AI_enhanced_English.jsonl")  # inside: fine
    return folder


def test_links_out_of_the_library_are_skipped_and_named(library: Path) -> None:
    loaded = load_library([str(library)])
    assert set(loaded.papers) == {"2601.00001"}
    skipped = sorted(os.path.basename(p.file) for p in loaded.problems if "outside the library" in p.message)
    assert skipped == ["2026-01-04.jsonl", "host", "passwd.md", "sideways"]
    assert all(not f.path.startswith("/etc") for f in loaded.files)


def test_the_walk_is_bounded_and_says_what_it_skipped(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "deep"
    deep = folder
    for level in range(6):
        deep = deep / f"level{level}"
    deep.mkdir(parents=True)
    (deep / "2026-01-02.jsonl").write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    for n in range(30):
        (folder / f"note{n}.txt").write_text("x")
    monkeypatch.setattr(files_module, "MAX_DEPTH", 3)
    problems: list = []
    assert not any(f.endswith("2026-01-02.jsonl") for f in files_module.walk(str(folder), problems))  # below the bound
    assert any("levels deep; skipped" in p.message for p in problems)
    monkeypatch.setattr(files_module, "MAX_ENTRIES", 10)
    problems = []
    files_module.walk(str(folder), problems)
    assert any("more than 10 files and folders" in p.message for p in problems)
