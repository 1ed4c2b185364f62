"""A day as its digest: the order in which the producer listed a day's
papers, and which of them are repeats of an earlier day.  Plain data, no
Textual, no I/O: computed from what the loader already keeps per file
(``Library.files``: each file's date, kind and ids in file order).

The producer writes a day's Markdown digest from its enhanced JSONL: one
section per category in its configured order, each listing its papers in
the JSONL's order, numbered ``[N]`` across the file.  So a day's order is

* the Markdown file's order, when the day has one (sections as written,
  then the running number);
* else the JSONL's: papers grouped by main category, the categories in the
  order they first appear, each group in line order;
* papers the Markdown does not list (raw-only papers, whose summary
  failed) follow, grouped the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_reader.core.loader import SourceFile
    from tui_reader.core.model import Paper


def digest_order(files: Iterable[SourceFile], papers: Mapping[str, Paper]) -> dict[str, dict[str, int]]:
    """day -> {paper id: position in that day's digest}, for every dated day."""
    by_day: dict[str, list[SourceFile]] = {}
    for source in files:
        if source.date:
            by_day.setdefault(source.date, []).append(source)
    orders: dict[str, dict[str, int]] = {}
    for day, sources in by_day.items():
        markdown = [s for s in sources if s.kind == "markdown"]
        jsonl = sorted((s for s in sources if s.kind != "markdown"),
                       key=lambda s: (0 if "_AI_enhanced_" in s.path else 1, s.path))
        ordered: list[str] = []
        seen: set[str] = set()
        for source in sorted(markdown, key=lambda s: s.path):
            for pid in source.ids:
                if pid not in seen:
                    seen.add(pid)
                    ordered.append(pid)
        # The rest (every paper of a day without Markdown): by main category,
        # categories in the order they first appear, then line order.
        sections: dict[str, list[str]] = {}
        for pid in ordered:
            paper = papers.get(pid)
            sections.setdefault(paper.main_category if paper else "", [])
        for source in jsonl:
            for pid in source.ids:
                if pid in seen:
                    continue
                seen.add(pid)
                paper = papers.get(pid)
                sections.setdefault(paper.main_category if paper else "", []).append(pid)
        for members in sections.values():
            ordered.extend(members)
        orders[day] = {pid: n for n, pid in enumerate(ordered)}
    return orders


def is_repeat(paper: Paper, day: str) -> bool:
    """Whether ``paper`` was already in the digest of a day before ``day``."""
    return bool(paper.dates) and paper.dates[0] < day


def repeats_previous(day_ids: Iterable[str], previous_ids: Iterable[str]) -> bool:
    """A day all of whose papers were in the day before (arXiv announces
    nothing at weekends and holidays, the producer runs anyway)."""
    previous = set(previous_ids)
    ids = list(day_ids)
    return bool(ids) and bool(previous) and all(pid in previous for pid in ids)
