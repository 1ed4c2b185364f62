"""What every export format says about a paper, worked out once (its
venue, DOI, date and safe links), and papers as export records."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tui_reader.core import links as safe_links
from tui_reader.core.citation import doi_of, issued, venue_of
from tui_reader.core.model import Paper
from tui_reader.core.state.bibtex_text import bibtex_key
from tui_reader.core.state.snapshot import Bookmark, Snapshot, paper_key


def _safe_link(url: str, paper_id: str, kind: str = "abs") -> str:
    """A link fit for an export (see :mod:`tui_reader.core.links`): a
    single-line ``https://`` URL on arXiv for the paper's pages (else the
    paper's own arXiv URL), a plain ``https://`` code or project page link
    (else ``""``)."""
    if kind == "code":
        link = safe_links.code_link(url)
        return link.url if link is not None else ""
    return safe_links.arxiv_link(url, paper_key(paper_id) if isinstance(paper_id, str) else "", kind)


def links_of(item: Paper | Snapshot) -> dict[str, str]:
    """The links an export writes: ``abs``, ``pdf`` and ``code`` (``""``
    when there is no usable code link)."""
    return {
        "abs": _safe_link(item.abs_url, item.id, "abs"),
        "pdf": _safe_link(item.pdf_url, item.id, "pdf"),
        "code": _safe_link(item.code_url, item.id, "code"),
    }


@dataclass(frozen=True, slots=True)
class Citation:
    """What every format says about a paper, worked out once."""

    key: str
    venue: str
    venue_kind: str  # "journal", "conference" or "" (a preprint)
    doi: str
    issued: tuple[int, ...]
    links: dict[str, str]


_JOURNAL_WORDS = re.compile(r"(?i)\b(?:journal|transactions|letters|review|reviews|magazine|TMLR|JMLR|TPAMI|TACL|"
                            r"nature|science|physical|phys\.|annals)\b")


def citation(item: Paper | Snapshot, key: str | None = None) -> Citation:
    venue = venue_of(item.comment)
    kind = ("journal" if _JOURNAL_WORDS.search(venue) else "conference") if venue else ""
    return Citation(
        key=key or bibtex_key(item),
        venue=venue,
        venue_kind=kind,
        doi=doi_of(item.comment, item.abstract),
        issued=issued(paper_key(item.id), list(item.dates)),
        links=links_of(item),
    )


def oldest_first(bookmarks: Iterable[Bookmark]) -> list[Bookmark]:
    return sorted(bookmarks, key=lambda b: (b.added_at, b.id))


def snapshot_of(bookmark: Bookmark) -> Snapshot:
    return bookmark.snapshot or Snapshot.minimal(bookmark.id)


# --- records: papers with what the reader knows of them ----------------------------------


def records(papers: Iterable[Paper | Snapshot], bookmarks: Mapping[str, Bookmark] | None = None) -> list[Bookmark]:
    """Papers (a selection, a list) as export records, in the given order:
    a bookmarked paper carries its tags, note and date of bookmarking; the
    snapshot is taken from the paper itself (the freshest copy)."""
    out = []
    for paper in papers:
        snapshot = paper if isinstance(paper, Snapshot) else Snapshot.from_paper(paper)
        mark = bookmarks.get(snapshot.id) if bookmarks else None
        if mark is not None:
            out.append(Bookmark(mark.id, mark.added_at, list(mark.tags), mark.note, snapshot))
        else:
            out.append(Bookmark(snapshot.id, "", [], "", snapshot))
    return out
