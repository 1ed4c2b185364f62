"""Discovery without the UI: typed rules, the store's interests, mute rules
and saved searches (schema 2), matching through the index, more like this,
trends and ``tui-reader stats``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support import FIXTURES, SEED_FILES
from tui_reader.cli import main as cli_main
from tui_reader.core.discovery import (
    AUTHOR,
    CATEGORY,
    INTEREST,
    KEYWORD,
    MUTE,
    Rule,
    RuleError,
    SavedSearch,
    compute,
    parse_rule,
    where,
)
from tui_reader.core.index import SearchIndex
from tui_reader.core.index.similar import more_like, suggest
from tui_reader.core.loader import load_library
from tui_reader.core.state import SCHEMA_VERSION, StateStore
from tui_reader.core.state import migrations as migrations_module
from tui_reader.core.trends import Selection, sparkline
from tui_reader.core.trends import compute as trends

FIXTURE = FIXTURES / "ui"


def _indexed(folder: Path | list[str], tmp_path_factory):
    library = load_library(folder if isinstance(folder, list) else [str(folder)], None)
    index = SearchIndex.open(library.key, tmp_path_factory.mktemp("ix"))
    index.update(library)
    yield library, index
    index.close()


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory):
    yield from _indexed(FIXTURE, tmp_path_factory)


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory):
    yield from _indexed(SEED_FILES, tmp_path_factory)


# --- typed rules ------------------------------------------------------------------------------


def test_typed_rules_become_one_index_query_each():
    assert parse_rule(INTEREST, "diffusion") == Rule(INTEREST, KEYWORD, "diffusion")
    assert parse_rule(INTEREST, "Author: Ada Lovelace ") == Rule(INTEREST, AUTHOR, "Ada Lovelace")
    assert parse_rule(MUTE, "cat:hep-th").field == CATEGORY
    assert parse_rule(MUTE, "cat:cs.*").query() == "cat:cs.*"
    assert parse_rule(INTEREST, "large language models").query() == '"large language models"'
    assert parse_rule(INTEREST, "author:Ada Lovelace").query() == 'author:"Ada Lovelace"'
    # Query syntax a user types stays literal words; controls are cleaned away.
    assert parse_rule(INTEREST, 'a OR (b" NOT\x1b[31m c').query() == '"a OR (b NOT c"'
    assert parse_rule(INTEREST, "author:Ada").label == "author:Ada"
    for bad in ("", "   ", "cat:not a category", "author:", "!!!"):
        with pytest.raises(RuleError):
            parse_rule(INTEREST, bad)


# --- the store ---------------------------------------------------------------------------------


def test_a_version_1_store_upgrades_to_2_and_keeps_everything(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "state.sqlite3"
    monkeypatch.setattr(migrations_module, "SCHEMA_VERSION", 1)
    with StateStore.open(path) as store:
        store.mark_read(["2603.10001"])
        store.set_pref("theme", "nord")
    monkeypatch.undo()
    with StateStore.open(path) as store:
        assert not store.read_only
        assert store.is_read("2603.10001") and store.get_pref("theme") == "nord"
        assert store.rules(INTEREST) == [] and store.saved_searches() == []
        assert store.add_rule(parse_rule(INTEREST, "diffusion"))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_rules_are_kept_once_case_aside_and_undone_like_bookmarks(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "s.sqlite3") as store:
        assert store.add_rule(parse_rule(INTEREST, "Diffusion"))
        assert not store.add_rule(parse_rule(INTEREST, "diffusion"))
        assert store.add_rule(parse_rule(MUTE, "cat:hep-th"))
        assert [r.label for r in store.rules(INTEREST)] == ["Diffusion"]
        assert [r.label for r in store.rules(MUTE)] == ["cat:hep-th"]
        assert store.remove_rule(store.rules(MUTE)[0])
        assert store.rules(MUTE) == []
        assert store.undo() == "mute cat:hep-th restored"
        assert [r.label for r in store.rules(MUTE)] == ["cat:hep-th"]
        assert store.undo() == "mute cat:hep-th removed"
        assert store.rules(MUTE) == []


def test_saved_searches_keep_their_order_and_names(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "s.sqlite3") as store:
        assert store.save_search("robots", "robot grasp")
        assert store.save_search("zoo", "cat:cs.CV")
        assert store.save_search("alpha", "diffusion")
        assert not store.save_search("ROBOTS", "robot OR manipulation")  # same name: new query, same place
        assert store.saved_searches() == [
            SavedSearch("robots", "robot OR manipulation", 1), SavedSearch("zoo", "cat:cs.CV", 2),
            SavedSearch("alpha", "diffusion", 3)]
        assert store.remove_saved_search("zoo") and not store.remove_saved_search("zoo")
        store.undo()
        assert [s.name for s in store.saved_searches()] == ["robots", "zoo", "alpha"]


# --- matching through the index ------------------------------------------------------------------


def test_interests_and_mutes_match_every_field_and_language(fixture_index) -> None:
    library, index = fixture_index
    interests = [parse_rule(INTEREST, "检测"), parse_rule(INTEREST, "author:Claude Shannon"),
                 parse_rule(INTEREST, "network")]
    mutes = [parse_rule(MUTE, "cat:hep-th")]
    found = compute(index, interests, mutes, [SavedSearch("d", "diffusion"), SavedSearch("bad", "date:soon")])
    # 检测 is only in the Chinese TL;DR; network matches "Networks" by its stem.
    assert set(found.matched) == {"2603.10001", "2603.10003"}
    assert [r.label for r in found.matched["2603.10001"]] == ["检测", "network"]
    assert found.count(interests[0]) == 1 and found.count(interests[1]) == 1
    assert set(found.muted) == {"2603.10002"}
    assert found.saved["d"] == ["2603.10003"] and found.saved["bad"] == [] and "bad" in found.errors
    reason = found.reason(library.papers["2603.10001"])
    assert reason == "检测: TL;DR · network: title, abstract"
    assert found.reason(library.papers["2603.10003"]) == "author:Claude Shannon"
    assert where(library.papers["2603.10003"], found.terms[interests[2].key]) == []
    ranked = found.interest_rank(library.sorted_papers())
    assert {p.id for p in ranked[:2]} == {"2603.10001", "2603.10003"}


def test_more_like_this_and_suggestions_use_key_terms_offline(sample_index) -> None:
    library, index = sample_index
    paper = next(p for p in library.sorted_papers() if "Diffusion" in p.title)
    similar = more_like(index, paper, limit=10)
    assert len(similar) == 10 and paper.id not in {pid for pid, _ in similar}
    assert [s for _, s in similar] == sorted((s for _, s in similar), reverse=True)
    assert any("iffusion" in library.papers[pid].title for pid, _ in similar[:5])
    wanted = {p.id for p in library.sorted_papers()[:80]}
    suggested = suggest(index, [paper], wanted, limit=5)
    assert suggested and all(pid in wanted and pid != paper.id for pid, _ in suggested)


# --- trends ----------------------------------------------------------------------------------------


def test_trends_count_days_categories_and_title_terms() -> None:
    papers = list(load_library([str(FIXTURE)], None).papers.values())
    result = trends(papers)
    assert result.papers == 4
    assert result.days == {"2026-03-03": 2, "2026-03-04": 3}
    assert result.categories[0] == ("cs.CL", 2)
    assert ("models", 2) in result.terms  # "Models" twice; "for", "the" are stop words
    assert result.term == "models" and result.series == [("2026-03-03", 1), ("2026-03-04", 1)]
    only = trends(papers, Selection(start="2026-03-04", categories=("cs",)), term="Network")
    assert only.papers == 2 and only.days == {"2026-03-04": 2}
    assert only.term == "networks" and only.series == [("2026-03-04", 1)]
    assert sparkline([0, 1, 4, 8]) == "▁▁▄█"


def test_stats_command_prints_json(capsys) -> None:
    assert cli_main(["stats", str(FIXTURE), "--json", "--term", "graph", "--top", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["papers"] == 4 and data["days"] == {"2026-03-03": 2, "2026-03-04": 3}
    assert len(data["terms"]) == 3 and data["term"] == {"term": "graph", "days": {"2026-03-03": 1, "2026-03-04": 1}}
    assert cli_main(["stats", str(FIXTURE), "--from", "2026-03-04", "--category", "hep-th"]) == 0
    out = capsys.readouterr().out
    assert "1 papers, 1 days" in out and "hep-th" in out
    assert cli_main(["stats", str(FIXTURE), "--from", "soon"]) == 2
