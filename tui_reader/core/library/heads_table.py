"""Every paper's title and authors, kept beside the library cache: a
query of several words raises the papers whose title holds them as
written, and reading those titles from the library cache's blocks read
most of the library (1.1 s of "diffusion model" at 75,000 papers)."""

from __future__ import annotations

from tui_reader.core.library.kept import Kept


class Heads(Kept):
    """Titles and authors of the papers of ``store``, made or read on
    first use; ``texts(pid, "title" | "authors")``."""

    SUFFIX = ".heads"
    KEY = ("heads", 1)

    def _make(self, papers: list) -> tuple:
        return [p.title for p in papers], [tuple(p.authors) for p in papers]

    def _load(self, data: tuple) -> tuple[list[str], list[tuple[str, ...]], dict[str, int]]:
        titles, authors = data
        ids = self._store.keys()  # the order values() reads them in
        if not len(titles) == len(authors) == len(ids):
            raise ValueError("a damaged table of titles")
        return titles, authors, {pid: n for n, pid in enumerate(ids)}

    def texts(self, pid: str, name: str) -> list[str] | None:
        """The title (as a one-item list) or the authors of ``pid``; None
        for another field or a paper it does not hold."""
        titles, authors, at = self.table()
        n = at.get(pid)
        if n is None:
            return None
        if name == "title":
            return [titles[n]]
        return list(authors[n]) if name == "authors" else None
