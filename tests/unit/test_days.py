"""A day is its digest: the producer's order, repeats of earlier days."""

from __future__ import annotations

from tui_reader.core.days import digest_order, is_repeat, repeats_previous
from tui_reader.core.loader import SourceFile, load_library
from tui_reader.core.model import Paper
from tui_reader.core.views import LibraryView


def source(path: str, kind: str, date: str, ids: list[str]) -> SourceFile:
    return SourceFile(path, 0, 0, kind, date, "", "", ids)


def test_markdown_order_wins_then_raw_only_papers_by_section() -> None:
    papers = {pid: Paper(pid, categories=[cat]) for pid, cat in
              [("a", "cs.CV"), ("b", "cs.CL"), ("c", "cs.CV"), ("d", "cs.CL"), ("e", "cs.AI")]}
    files = [
        source("2026-01-02.jsonl", "jsonl", "2026-01-02", ["e", "d", "a", "b", "c"]),
        source("2026-01-02.md", "markdown", "2026-01-02", ["c", "a", "b"]),
    ]
    order = digest_order(files, papers)["2026-01-02"]
    assert sorted(order, key=order.get) == ["c", "a", "b", "d", "e"]


def test_jsonl_only_day_groups_by_main_category_in_first_appearance() -> None:
    papers = {pid: Paper(pid, categories=[cat]) for pid, cat in
              [("a", "cs.GT"), ("b", "cs.CV"), ("c", "cs.GT"), ("d", "cs.CV")]}
    files = [source("x/2026-01-03_AI_enhanced_English.jsonl", "jsonl", "2026-01-03", ["a", "b", "c", "d"])]
    order = digest_order(files, papers)["2026-01-03"]
    assert sorted(order, key=order.get) == ["a", "c", "b", "d"]


def test_repeats() -> None:
    paper = Paper("a", dates=["2026-01-01", "2026-01-02"])
    assert is_repeat(paper, "2026-01-02") and not is_repeat(paper, "2026-01-01")
    assert repeats_previous(["a", "b"], ["b", "a", "c"])
    assert not repeats_previous(["a", "z"], ["a"])
    assert not repeats_previous([], ["a"])


def test_databranch_day_in_markdown_order(databranch) -> None:
    library = load_library([databranch], None, parallel=False)
    view = LibraryView(library)
    day = view.by_day["2026-06-20"]
    # The Markdown of 2026-06-20 starts with its cs.CV section, [1] 2606.19617,
    # although each paper's latest day is 2026-06-22 (the whole weekend repeats).
    assert day[0].id == "2606.19617"
    assert [p.main_category for p in day[:101]] == ["cs.CV"] * 101
    markdown = (databranch / "2026-06-20.md").read_text(encoding="utf-8")
    first_ids = [line.split("abs/")[1].split(")")[0].split("v")[0]
                 for line in markdown.splitlines() if line.startswith("### [")][:20]
    assert [p.id for p in day[:20]] == first_ids
    assert all(is_repeat(p, "2026-06-20") for p in day)
    assert not any(is_repeat(p, "2026-06-19") for p in view.by_day["2026-06-19"])
