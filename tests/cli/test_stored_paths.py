"""`tui-reader search` and `tui-reader check` on an unchanged library answer
from what the caches hold (the index, the library cache's papers, the last
report) without loading the library: differential tests against the full
path, which loads the library and updates the index first."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.support import REPO
from tui_reader.cli import main
from tui_reader.commands import check as check_command
from tui_reader.commands import index as index_command
from tui_reader.commands import search as search_command
from tui_reader.core import loader
from tui_reader.core.index import store as index_store

QUERIES = [
    "model", "diffusion attention", '"mixture of experts"', "扩散模型", "强化学习 检索", "author:Wang",
    'author:"Marc Weber"', "title:graph", "cat:cs.LG", "diffus*", "transfromer~", "diffusion NOT image",
    "method:扩散", 'abstract:"we propose"', "tldr:模型", "", "(model OR graph) -networks",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small library in the data branch's shape, and one more day."""
    sys.path.insert(0, str(REPO))
    from benchmarks.generate import generate_library

    base = tmp_path_factory.mktemp("stored")
    generate_library(base / "lib", papers=500, days=9, seed=3, language="mixed", extra_day_dir=base / "next")
    return base / "lib", base / "next"


@pytest.fixture
def library(generated: tuple[Path, Path], tmp_path: Path) -> Path:
    target = tmp_path / "lib"
    shutil.copytree(generated[0], target)
    return target


def _no_full_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the library was loaded")

    monkeypatch.setattr(index_command, "load_library", refuse)
    monkeypatch.setattr(check_command, "load_library", refuse)
    monkeypatch.setattr(index_store.SearchIndex, "_typing_table", refuse)
    monkeypatch.setattr(index_store.SearchIndex, "update", refuse)


def _search(capsys, query: str, path: Path, limit: int = 40) -> list[dict]:
    assert main(["search", query, str(path), "--json", "--limit", str(limit)]) == 0
    return json.loads(capsys.readouterr().out)


def test_search_json_answers_from_the_index_with_the_same_ids_and_order(library, capsys, monkeypatch):
    assert main(["index", str(library)]) == 0
    capsys.readouterr()
    with monkeypatch.context() as patch:
        _no_full_load(patch)
        stored = {query: _search(capsys, query, library) for query in QUERIES}
    with monkeypatch.context() as patch:
        patch.setattr(search_command, "open_stored", lambda paths: None)  # the full path
        loaded = {query: _search(capsys, query, library) for query in QUERIES}
    for query in QUERIES:
        assert stored[query] == loaded[query], query
    assert sum(bool(rows) for rows in stored.values()) >= len(QUERIES) - 2
    assert any(len(rows) == 40 for rows in stored.values())


def test_search_table_output_from_the_index(library, capsys, monkeypatch):
    assert main(["index", str(library)]) == 0
    capsys.readouterr()
    with monkeypatch.context() as patch:
        _no_full_load(patch)
        assert main(["search", "diffusion", str(library)]) == 0
    stored = capsys.readouterr().out
    monkeypatch.setattr(search_command, "open_stored", lambda paths: None)
    assert main(["search", "diffusion", str(library)]) == 0
    loaded = capsys.readouterr().out
    assert stored.splitlines()[:-1] == loaded.splitlines()[:-1]  # the last line has the time
    assert "results in" in stored


def test_a_changed_library_is_loaded_and_indexed_again(library, generated, capsys, monkeypatch):
    assert main(["index", str(library)]) == 0
    capsys.readouterr()
    # A new day: the fast path must not answer from the stale index.
    for path in generated[1].iterdir():
        shutil.copy(path, library / path.name)
    new_day = json.loads((generated[0] / ".benchmark-library.json").read_text())["last_date"]
    seen = []
    monkeypatch.setattr(search_command, "open_stored",
                        lambda paths, real=search_command.open_stored: seen.append(real(paths)) or seen[-1])
    rows = _search(capsys, "", library, limit=5)
    assert seen == [None]
    assert rows and all(row["dates"][-1] > new_day for row in rows)  # the new day's papers first
    seen.clear()
    assert _search(capsys, "", library, limit=5) == rows  # and now from the index again
    assert seen and seen[0] is not None
    seen[0][0].close()
    # A file touched (same bytes, new time) is a change too.
    some = sorted(library.glob("*.jsonl"))[0]
    os.utime(some, ns=(some.stat().st_atime_ns, some.stat().st_mtime_ns + 10**9))
    seen.clear()
    assert _search(capsys, "", library, limit=5) == rows
    assert seen == [None]


def test_paper_store_reads_the_same_papers_as_the_library(library, tmp_path):
    cache = tmp_path / "cache"
    assert loader.PaperStore.open([library], cache) is None  # nothing cached yet
    full = loader.load_library([library], cache, parallel=False)
    store = loader.PaperStore.open([library], cache)
    assert store is not None
    try:
        assert len(store) == len(full.papers) and list(store) == list(full.papers)
        for pid, paper in full.papers.items():
            assert pid in store
            assert store[pid].to_tuple() == paper.to_tuple()
        assert store.get("nope") is None and "nope" not in store
        assert store.newest_ids() == [p.id for p in full.sorted_papers()]
        assert store.library.entries == full.entries
        assert store.library.key == full.key
    finally:
        store.close()
    (library / "extra.jsonl").write_text("{}\n")
    assert loader.PaperStore.open([library], cache) is None


def test_check_reports_the_same_from_its_cache(library, capsys, monkeypatch):
    (library / "broken.jsonl").write_text('{"id": "2501.99999", "title": "x"}\nnot json\n')
    assert main(["check", str(library), "--json"]) == 1
    first = capsys.readouterr().out
    with monkeypatch.context() as patch:
        _no_full_load(patch)
        assert main(["check", str(library), "--json"]) == 1
        assert capsys.readouterr().out == first
        assert main(["check", str(library)]) == 1
        table = capsys.readouterr().out
    assert "problem" in table and "broken.jsonl" in table
    monkeypatch.setattr(check_command, "cached_report", lambda paths, cache: None)
    assert main(["check", str(library)]) == 1
    assert capsys.readouterr().out == table
    assert main(["check", str(library), "--json"]) == 1
    assert capsys.readouterr().out == first


def test_check_reads_a_changed_library_again(library, capsys):
    assert main(["check", str(library), "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    some = sorted(library.glob("*_AI_enhanced_*.jsonl"))[-1]
    lines = some.read_text(encoding="utf-8").splitlines()
    some.write_text("\n".join(lines[:-1]) + "\nnot json\n", encoding="utf-8")
    assert main(["check", str(library), "--json"]) == 1
    after = json.loads(capsys.readouterr().out)
    assert after["problems"] and not before["problems"]
    assert after["entries"] == before["entries"] - 1
