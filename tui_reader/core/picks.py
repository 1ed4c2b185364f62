"""Picks shared with a team: ``tui-reader share`` writes chosen bookmarks as
a producer-style data branch, which a teammate follows like a fork
(``tui-reader follow URL``); their reader then marks those papers
"picked by NAME".

A share holds, at the branch's root:

* ``data/YYYY-MM-DD_AI_enhanced_<Language>.jsonl`` per day and summary
  language (the producer's fields: ``id``, ``title``, ``authors``,
  ``categories``, ``summary``, ``abs``, ``pdf``, ``comment``, ``code_url``,
  ``AI.tldr``), ``data/YYYY-MM-DD.jsonl`` for papers without a summary,
  which the reader, or any tool reading the producer's formats, opens as
  is (``follow`` reads ``data/``);
* ``markdown/YYYY-MM-DD.md``: the papers with a TL;DR in the producer's
  Markdown layout, to browse on the forge.  Kept out of ``data/``: a share
  knows only the TL;DR, and the producer's Markdown has every AI field
  (the reader would report the missing ones as problems);
* ``picks.json``: ``{"format": "tui-reader-picks", "version": 1, "name":
  NAME, "papers": [{"id", "tags", "note", "picked_at"}]}`` (notes only
  when asked).  Outside ``data/``, so the digests' readers never see it.

The day of a paper is its last day in the snapshot (else the day it was
bookmarked).  Everything read back from a followed share is untrusted:
:func:`read_picks` cleans names, tags and notes and skips what is malformed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core.fsutil import write_atomic
from tui_reader.core.state.citing import links_of
from tui_reader.core.state.snapshot import Bookmark, normalize_tags, paper_key
from tui_reader.core.text import clean, one_line

PICKS_FILE = "picks.json"
FORMAT = "tui-reader-picks"
VERSION = 1
MAX_PICKS_FILE = 32 * 1024 * 1024
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,20}")


@dataclass(frozen=True, slots=True)
class Pick:
    name: str  # who picked it
    tags: tuple[str, ...] = ()
    note: str = ""
    picked_at: str = ""


@dataclass
class Picks:
    """Who picked what, over every followed share."""

    by_paper: dict[str, list[Pick]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return sorted({p.name for picks in self.by_paper.values() for p in picks}, key=str.lower)

    def ids_of(self, name: str) -> frozenset[str]:
        return frozenset(pid for pid, picks in self.by_paper.items() if any(p.name == name for p in picks))

    def by_name(self) -> dict[str, frozenset[str]]:
        """Teammate -> the ids they picked (``listing.Sources.picked``)."""
        return {name: self.ids_of(name) for name in self.names()}

    def counts(self, library_ids) -> list[tuple[str, int]]:
        """(teammate, how many of their picks the library holds), by name (``views.tree(picked=...)``)."""
        return [(name, len(ids & library_ids)) for name, ids in self.by_name().items()]

    def pickers(self, paper_id: str) -> list[str]:
        return [p.name for p in self.by_paper.get(paper_key(paper_id), [])]


# --- writing a share ------------------------------------------------------------------------


def day_of(mark: Bookmark) -> str:
    days = [d for d in mark.snapshot.dates if _DAY.fullmatch(d)] if mark.snapshot else []
    return days[-1] if days else (mark.added_at[:10] if _DAY.fullmatch(mark.added_at[:10]) else "1970-01-01")


def _record(mark: Bookmark, tldr: str) -> dict:
    snap = mark.snapshot
    links = links_of(snap)
    record = {"id": snap.id + (snap.version or ""), "title": snap.title or snap.id, "authors": list(snap.authors),
              "categories": list(snap.categories), "summary": snap.abstract, "abs": links["abs"],
              "pdf": links["pdf"], "comment": snap.comment or None}
    if links["code"]:
        record["code_url"] = links["code"]
    if tldr:
        record["AI"] = {"tldr": tldr}
    return record


def _markdown(day_marks: list[Bookmark], language: str) -> str:
    """One day in the producer's Markdown layout (categories, running numbers)."""
    by_category: dict[str, list[Bookmark]] = {}
    for mark in day_marks:
        by_category.setdefault((mark.snapshot.categories or ["misc"])[0], []).append(mark)
    lines = ["<div id=toc></div>", "", "# Table of Contents", ""]
    lines += [f"- [{c}](#{c}) [Total: {len(m)}]" for c, m in by_category.items()]
    number = 0
    for category, marks in by_category.items():
        lines += ["", f"<div id='{category}'></div>", "", f"# {category} [[Back]](#toc)", ""]
        for mark in marks:
            number += 1
            snap = mark.snapshot
            title = one_line(snap.title or snap.id)
            lines += [f"### [{number}] [{title}]({links_of(snap)['abs']})", f"*{','.join(snap.authors)}*", "",
                      f"Main category: {category}", ""]
            tldr = snap.tldr.get(language) or next(iter(snap.tldr.values()), "")
            if tldr:
                lines += [f"TL;DR: {one_line(tldr)}", ""]
            lines += ["<details>", "  <summary>Details</summary>", f"Abstract: {snap.abstract}", "", "</details>", ""]
    return "\n".join(lines) + "\n"


def write_share(root: Path, marks: Sequence[Bookmark], name: str, notes: bool, shared_at: str) -> list[str]:
    """Replace what ``root`` holds of a share with these bookmarks; returns
    the files written (relative to ``root``)."""
    data, pages = root / "data", root / "markdown"
    data.mkdir(parents=True, exist_ok=True)
    for folder in (data, pages):
        for old in folder.iterdir() if folder.is_dir() else ():
            if old.is_file() and not old.is_symlink():
                old.unlink()
    days: dict[str, list[Bookmark]] = {}
    for mark in marks:
        days.setdefault(day_of(mark), []).append(mark)
    written = []
    for day, day_marks in sorted(days.items()):
        files: dict[str, list[str]] = {}
        for mark in day_marks:
            languages = {lang: text for lang, text in mark.snapshot.tldr.items() if _LANGUAGE.fullmatch(lang)}
            for lang, text in (languages.items() if languages else [("", "")]):
                file = f"{day}_AI_enhanced_{lang}.jsonl" if lang else f"{day}.jsonl"
                files.setdefault(file, []).append(json.dumps(_record(mark, text), ensure_ascii=False) + "\n")
        for file, lines in files.items():
            write_atomic(data / file, "".join(lines))
            written.append(f"data/{file}")
        summarised = [m for m in day_marks if m.snapshot.tldr]  # the producer's Markdown has no paper without one
        if summarised:
            pages.mkdir(exist_ok=True)
            write_atomic(pages / f"{day}.md", _markdown(summarised, next(iter(summarised[0].snapshot.tldr))))
            written.append(f"markdown/{day}.md")
    papers = [{"id": m.id, "tags": list(m.tags), **({"note": m.note} if notes and m.note else {}),
               "picked_at": m.added_at} for m in marks]
    document = {"format": FORMAT, "version": VERSION, "name": name, "shared_at": shared_at, "papers": papers}
    write_atomic(root / PICKS_FILE, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    written.append(PICKS_FILE)
    return written


# --- reading followed shares -------------------------------------------------------------------


def read_picks(folder: Path) -> tuple[list[tuple[str, Pick]], str]:
    """(paper id, Pick) of the share cloned at ``folder``, and a problem
    ("" when none; a folder without ``picks.json`` is a plain fork, no problem)."""
    path = folder / PICKS_FILE
    try:
        if path.is_symlink() or not path.is_file():
            return [], ""
        if path.stat().st_size > MAX_PICKS_FILE:
            return [], f"{path}: larger than {MAX_PICKS_FILE >> 20} MB, skipped"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        return [], f"{path}: cannot be read ({error}); its picks are not shown"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return [], f"{path}: not a tui-reader picks file"
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        return [], f"{path}: picks of a newer tui-reader (version {data.get('version')!r}); update to read them"
    name = one_line(clean(str(data.get("name") or ""))).strip()[:80] or folder.name
    found = []
    for item in data.get("papers") if isinstance(data.get("papers"), list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"].strip():
            continue
        tags = item.get("tags") if isinstance(item.get("tags"), list) else []
        note = item.get("note") if isinstance(item.get("note"), str) else ""
        at = item.get("picked_at") if isinstance(item.get("picked_at"), str) else ""
        found.append((paper_key(clean(item["id"]).strip()),
                      Pick(name, tuple(normalize_tags([t for t in tags if isinstance(t, str)])), clean(note)[:20000],
                           one_line(clean(at))[:40])))
    return found, ""


def collect_picks(folders: Iterable[Path]) -> Picks:
    """Who picked what in every followed share (``Follow.folder`` of each)."""
    picks = Picks()
    for folder in folders:
        found, problem = read_picks(Path(folder))
        if problem:
            picks.problems.append(problem)
        for paper_id, pick in found:
            picks.by_paper.setdefault(paper_id, []).append(pick)
    return picks


class PickedFilter:
    """The state store as the search's StateFilter, plus ``picked:NAME``
    (a teammate's picks, name case-blind): pass it as the search's
    ``state`` where followed shares are known."""

    def __init__(self, store, picks: Picks) -> None:
        self._store = store
        self._picks = picks

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def picked_ids(self, name: str) -> set[str]:
        wanted = name.strip().lower()
        return {pid for pid, picks in self._picks.by_paper.items() if any(p.name.lower() == wanted for p in picks)}
