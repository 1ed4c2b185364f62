"""What the state store keeps about a paper and a bookmark: plain data.

A :class:`Snapshot` is a copy of a bookmarked paper's metadata taken when it
was bookmarked (and refreshed when the paper is seen again), so the bookmark
can still be shown, exported and cited when the digest folder is gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tui_reader.core.model import Paper, PaperLinks, Summary, split_arxiv_id
from tui_reader.core.text import clean

_VERSION_SUFFIX = re.compile(r"(?<=\d)v\d+$")


def paper_key(paper_id: str) -> str:
    """The key state is stored under: the arXiv id without its version
    (``"2601.12345v2"`` -> ``"2601.12345"``); other ids are only stripped."""
    return _VERSION_SUFFIX.sub("", paper_id.strip())


def arxiv_id_in(text: str) -> str | None:
    """The arXiv id (without version) in a bare id or an arXiv URL, else None."""
    found = split_arxiv_id(text)
    return found[0] if found else None


def _text(value: Any) -> str:
    return clean(value) if isinstance(value, str) else ""


def _texts(value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)):
        return []
    return [clean(v) for v in value if isinstance(v, str) and v.strip()]


@dataclass(slots=True)
class Snapshot(PaperLinks):
    """A bookmarked paper's metadata, enough to show, export and cite it."""

    id: str
    version: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # main category first
    abstract: str = ""
    abs_url: str = ""
    pdf_url: str = ""
    code_url: str = ""
    dates: list[str] = field(default_factory=list)  # ISO dates, ascending
    tldr: dict[str, str] = field(default_factory=dict)  # summary language -> TL;DR
    comment: str = ""  # the authors' arXiv comment (venue, pages); "" in stores before it was kept

    @classmethod
    def from_paper(cls, paper: Paper) -> Snapshot:
        return cls(
            id=paper_key(paper.id),
            version=paper.version,
            title=paper.title,
            authors=list(paper.authors),
            categories=list(paper.categories),
            abstract=paper.abstract,
            abs_url=paper.abs_url,
            pdf_url=paper.pdf_url,
            code_url=paper.code_url,
            dates=list(paper.dates),
            tldr={lang: s.tldr for lang, s in paper.summaries.items() if s.tldr},
            comment=paper.comment,
        )

    @classmethod
    def minimal(cls, paper_id: str) -> Snapshot:
        """Only the id and its arXiv links (a paper known by id alone)."""
        key = paper_key(paper_id)
        return cls(id=key, abs_url=f"https://arxiv.org/abs/{key}", pdf_url=f"https://arxiv.org/pdf/{key}")

    @property
    def is_minimal(self) -> bool:
        return not self.title and not self.authors

    def to_paper(self) -> Paper:
        """A :class:`Paper` built from the snapshot, for showing a bookmark
        whose paper is not in the loaded library (the TL;DR is its summary)."""
        return Paper(
            id=self.id,
            version=self.version,
            title=self.title or self.id,
            authors=list(self.authors),
            categories=list(self.categories),
            abstract=self.abstract,
            abs_url=self.abs_url,
            pdf_url=self.pdf_url,
            code_url=self.code_url,
            comment=self.comment,
            dates=list(self.dates),
            summaries={lang: Summary(tldr=text) for lang, text in self.tldr.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "authors": list(self.authors),
            "categories": list(self.categories),
            "abstract": self.abstract,
            "abs_url": self.abs_url,
            "pdf_url": self.pdf_url,
            "code_url": self.code_url,
            "dates": list(self.dates),
            "tldr": dict(self.tldr),
            "comment": self.comment,
        }

    @classmethod
    def from_dict(cls, data: Any, paper_id: str | None = None) -> Snapshot:
        """Read a snapshot from untrusted JSON: wrong types are dropped and
        every string goes through :func:`clean`."""
        if not isinstance(data, dict):
            data = {}
        key = paper_key(_text(paper_id if paper_id is not None else data.get("id")))
        tldr = data.get("tldr")
        return cls(
            id=key,
            version=_text(data.get("version")),
            title=_text(data.get("title")),
            authors=_texts(data.get("authors")),
            categories=_texts(data.get("categories")),
            abstract=_text(data.get("abstract")),
            abs_url=_text(data.get("abs_url")),
            pdf_url=_text(data.get("pdf_url")),
            code_url=_text(data.get("code_url")),
            dates=sorted(set(_texts(data.get("dates")))),
            tldr={clean(k): clean(v) for k, v in tldr.items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(tldr, dict) else {},
            comment=_text(data.get("comment")),
        )


@dataclass(slots=True)
class Bookmark:
    """One bookmark: when it was added, its tags and note, and the paper."""

    id: str
    added_at: str  # ISO 8601, UTC, seconds
    tags: list[str] = field(default_factory=list)  # normalized, sorted
    note: str = ""
    snapshot: Snapshot | None = None

    def __post_init__(self) -> None:
        if self.snapshot is None:
            self.snapshot = Snapshot.minimal(self.id)

    @property
    def title(self) -> str:
        assert self.snapshot is not None
        return self.snapshot.title or self.id

    def to_dict(self) -> dict[str, Any]:
        assert self.snapshot is not None
        return {
            "id": self.id,
            "added_at": self.added_at,
            "tags": list(self.tags),
            "note": self.note,
            "snapshot": self.snapshot.to_dict(),
        }


_TAG_SPLIT = re.compile(r"[,\s]+")
_TAG_BAD = re.compile(r"[^\w\-.+/:]")


def normalize_tag(tag: str) -> str:
    """Tags are lower case words: ``" Reading List "`` -> ``"reading-list"``.
    Characters other than letters, digits and ``-_.+/:`` are dropped."""
    words = clean(tag).casefold().split()
    return _TAG_BAD.sub("", "-".join(words))[:64]


def parse_tags(text: str) -> list[str]:
    """Tags typed by a user, normalized, without duplicates, sorted.  With a
    comma, commas separate tags (``"ml, reading list"`` -> ``["ml",
    "reading-list"]``); without one, spaces do (``"ml To-Read"`` -> ``["ml",
    "to-read"]``)."""
    parts = text.split(",") if "," in text else _TAG_SPLIT.split(text)
    return sorted({t for t in (normalize_tag(p) for p in parts) if t})


def normalize_tags(tags: object) -> list[str]:
    if isinstance(tags, str):
        return parse_tags(tags)
    if not isinstance(tags, (list, tuple, set, frozenset)):
        return []
    return sorted({t for t in (normalize_tag(x) for x in tags if isinstance(x, str)) if t})
