"""What a loaded library is: its papers, its files and their problems."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from tui_reader.core.model import Paper, Problem

Progress = Callable[[int, int], None]  # (files done, files total)


class LoadCancelled(Exception):
    """load_library stopped because ``cancelled()`` became true."""


@dataclass(slots=True)
class SourceFile:
    """One file of the library and what it held."""

    path: str
    size: int
    mtime_ns: int
    kind: str
    date: str
    language: str
    digest: str
    ids: list[str]


@dataclass(repr=False)
class Library:
    roots: list[str]
    papers: dict[str, Paper] = field(default_factory=dict)
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    cached_files: int = 0  # how many files came from the parse cache

    def __repr__(self) -> str:
        # Short on purpose: Textual describes a worker by repr() of its
        # arguments, and a full repr of 40,000 papers took 3 s and 400 MB.
        return f"<Library {len(self.papers)} papers, {len(self.files)} files, roots={self.roots!r}>"

    @property
    def key(self) -> str:
        """A stable name for this library (its resolved roots)."""
        # realpath, not Path.resolve(): that raises on a symlink loop given as PATH.
        joined = "\n".join(sorted(os.path.realpath(r) for r in self.roots))
        return hashlib.blake2b(joined.encode(), digest_size=8).hexdigest()

    def sorted_papers(self) -> list[Paper]:
        """Newest day first; within a day, in digest order."""
        return sorted(self.papers.values(), key=newest_first)

    def dates(self) -> list[str]:
        """Every day in the library, newest first."""
        return sorted({d for p in self.papers.values() for d in p.dates}, reverse=True)

    def has_undated(self) -> bool:
        return any(p.undated for p in self.papers.values())


def newest_first(paper: Paper) -> int:
    """Sort key for an ascending sort: newest day first, undated last;
    within a day, the order of the digest (``order`` numbers papers as
    their latest file listed them).  One int, not a tuple of three: a
    sort of 150,000 papers made 22 MB of key tuples at once."""
    dates = paper.dates
    if not dates:
        return (1 << 62) | paper.order
    latest = dates[-1]  # YYYY-MM-DD: a number that grows with the date
    day = int(latest[:4]) * 10000 + int(latest[5:7]) * 100 + int(latest[8:10])
    return ((99_999_999 - day) << 32) | paper.order
