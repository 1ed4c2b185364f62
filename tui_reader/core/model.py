"""The paper model: plain data, no Textual, no I/O.

An :class:`Entry` is one paper record as read from one file (one line of a
JSONL file, one ``### [N]`` block of a Markdown digest).  A :class:`Paper` is
the merge of every entry with the same arXiv id across days and formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui_reader.core import links

SUMMARY_FIELDS: tuple[str, ...] = ("tldr", "motivation", "method", "result", "conclusion")
SUMMARY_LABELS: dict[str, str] = {
    "tldr": "TL;DR",
    "motivation": "Motivation",
    "method": "Method",
    "result": "Result",
    "conclusion": "Conclusion",
}

# Short markers shown in the UI for a summary language.
LANGUAGE_MARKERS: dict[str, str] = {
    "Chinese": "中文",
    "English": "EN",
    "Japanese": "日本語",
    "Korean": "한국어",
    "French": "FR",
    "German": "DE",
    "Spanish": "ES",
    "Russian": "RU",
    "Portuguese": "PT",
    "Italian": "IT",
}


def language_marker(language: str) -> str:
    return LANGUAGE_MARKERS.get(language, language[:2].upper() or "?")


_NEW_ID = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?")
_OLD_ID = re.compile(r"([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?")


def split_arxiv_id(text: str) -> tuple[str, str] | None:
    """Find an arXiv id in ``text`` (a bare id or a URL).

    Returns ``(id_without_version, version)`` where version is ``"v2"`` or
    ``""``; ``None`` when there is no id.
    """
    text = text.strip()
    for pattern in (_NEW_ID, _OLD_ID):
        match = pattern.search(text)
        if match:
            return match.group(1), match.group(2) or ""
    return None


@dataclass(slots=True)
class Summary:
    """The LLM's structured summary of a paper in one language."""

    tldr: str = ""
    motivation: str = ""
    method: str = ""
    result: str = ""
    conclusion: str = ""

    def as_tuple(self) -> tuple[str, str, str, str, str]:
        return (self.tldr, self.motivation, self.method, self.result, self.conclusion)

    def is_empty(self) -> bool:
        return not any(self.as_tuple())

    def merge(self, other: Summary) -> None:
        """Fill fields that are empty here from ``other``."""
        for name in SUMMARY_FIELDS:
            if not getattr(self, name) and getattr(other, name):
                setattr(self, name, getattr(other, name))


@dataclass(slots=True)
class Problem:
    """Something in an input file that could not be read as expected."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass(slots=True)
class Entry:
    """One paper record read from one file."""

    id: str
    version: str
    title: str
    authors: list[str]
    categories: list[str]
    abstract: str = ""
    abs_url: str = ""
    pdf_url: str = ""
    comment: str = ""
    code_url: str = ""
    code_stars: int | None = None
    language: str = ""  # summary language, "" when the record has no summary
    summary: Summary | None = None
    line: int = 0  # 1-based line where the record starts
    code_updated: str = ""  # code_last_update: the code's last commit, YYYY-MM-DD
    failed: str = ""  # language of a summary the producer failed to write (placeholders only)

    # Compact form for the parse cache (marshal only takes builtins).
    def to_tuple(self) -> tuple:
        return (
            self.id,
            self.version,
            self.title,
            tuple(self.authors),
            tuple(self.categories),
            self.abstract,
            self.abs_url,
            self.pdf_url,
            self.comment,
            self.code_url,
            self.code_stars,
            self.language,
            self.summary.as_tuple() if self.summary is not None else None,
            self.line,
            self.code_updated,
            self.failed,
        )

    @classmethod
    def from_tuple(cls, data: tuple) -> Entry:
        summary = Summary(*data[12]) if data[12] is not None else None
        return cls(
            data[0],
            data[1],
            data[2],
            list(data[3]),
            list(data[4]),
            data[5],
            data[6],
            data[7],
            data[8],
            data[9],
            data[10],
            data[11],
            summary,
            data[13],
            data[14],
            data[15],
        )


@dataclass(slots=True)
class Paper:
    """A paper merged from every entry that names its arXiv id."""

    id: str
    version: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # main category first
    abstract: str = ""
    abs_url: str = ""
    pdf_url: str = ""
    comment: str = ""
    code_url: str = ""
    code_stars: int | None = None
    dates: list[str] = field(default_factory=list)  # ISO dates, ascending
    undated: bool = False  # appeared in at least one file with no date in its name
    summaries: dict[str, Summary] = field(default_factory=dict)  # language -> summary
    sources: list[str] = field(default_factory=list)  # files it was read from
    order: int = 0  # position in the library's newest-first order (set by the loader)
    code_updated: str = ""  # last commit of the code (code_last_update), YYYY-MM-DD
    failed: list[str] = field(default_factory=list)  # languages whose summary the producer failed to write
    signals: object = field(default=None, repr=False, compare=False)  # core.signals.Signals, computed on demand

    @property
    def summary_failed(self) -> bool:
        """The producer tried and failed (placeholder text), and no other
        language has a real summary."""
        return bool(self.failed) and not self.summaries

    @property
    def summary_missing(self) -> bool:
        """No summary and no failed attempt: the producer dropped the paper
        from its enhanced file (or never enhanced it)."""
        return not self.summaries and not self.failed

    @property
    def main_category(self) -> str:
        return self.categories[0] if self.categories else ""

    @property
    def languages(self) -> list[str]:
        return list(self.summaries)

    @property
    def latest_date(self) -> str:
        return self.dates[-1] if self.dates else ""

    @property
    def first_date(self) -> str:
        return self.dates[0] if self.dates else ""

    @property
    def abs_link(self) -> str:
        """The abstract page, safe to open or copy (see core.links)."""
        return links.arxiv_link(self.abs_url, self.id, "abs")

    @property
    def pdf_link(self) -> str:
        """The PDF, safe to open or copy (see core.links)."""
        return links.arxiv_link(self.pdf_url, self.id, "pdf")

    @property
    def code_link(self) -> links.Link | None:
        """The code or project page, labelled; None when there is none or
        it is not a plain https URL (see core.links)."""
        return links.code_link(self.code_url)

    def first_author_et_al(self) -> str:
        if not self.authors:
            return ""
        if len(self.authors) == 1:
            return self.authors[0]
        return f"{self.authors[0]} et al."

    def summary(self, language: str | None = None) -> tuple[str, Summary] | None:
        """The summary in ``language`` if the paper has it, else its first one."""
        if not self.summaries:
            return None
        if language and language in self.summaries:
            return language, self.summaries[language]
        first = next(iter(self.summaries))
        return first, self.summaries[first]

    def to_tuple(self) -> tuple:
        """Compact form for the library cache (marshal takes builtins only)."""
        return (
            self.id, self.version, self.title, tuple(self.authors), tuple(self.categories),
            self.abstract, self.abs_url, self.pdf_url, self.comment, self.code_url, self.code_stars,
            tuple(self.dates), self.undated,
            tuple((language, summary.as_tuple()) for language, summary in self.summaries.items()),
            tuple(self.sources), self.order, self.code_updated, tuple(self.failed),
        )

    @classmethod
    def from_tuple(cls, data: tuple) -> Paper:
        return cls(
            data[0], data[1], data[2], list(data[3]), list(data[4]), data[5], data[6], data[7],
            data[8], data[9], data[10], list(data[11]), data[12],
            {language: Summary(*fields) for language, fields in data[13]},
            list(data[14]), data[15], data[16], list(data[17]),
        )

    def add_entry(self, entry: Entry, date: str, source: str) -> None:
        """Merge one entry into this paper; earlier non-empty values win,
        except that a newer version number replaces an older one."""
        if not self.title:
            self.title = entry.title
        if not self.authors:
            self.authors = list(entry.authors)
        for category in entry.categories:
            if category and category not in self.categories:
                self.categories.append(category)
        if not self.abstract:
            self.abstract = entry.abstract
        if entry.version and _version_number(entry.version) > _version_number(self.version):
            self.version = entry.version
        if not self.abs_url:
            self.abs_url = entry.abs_url
        if not self.pdf_url:
            self.pdf_url = entry.pdf_url
        if not self.comment:
            self.comment = entry.comment
        if not self.code_url:
            self.code_url = entry.code_url
        if entry.code_stars is not None:
            self.code_stars = max(self.code_stars or 0, entry.code_stars)
        if entry.code_updated > self.code_updated:
            self.code_updated = entry.code_updated
        if entry.failed and entry.failed not in self.failed:
            self.failed.append(entry.failed)
        if entry.summary is not None and not entry.summary.is_empty():
            language = entry.language or "Other"
            existing = self.summaries.get(language)
            if existing is None:
                self.summaries[language] = Summary(*entry.summary.as_tuple())
            else:
                existing.merge(entry.summary)
        if date:
            if date not in self.dates:
                self.dates.append(date)
                self.dates.sort()
        else:
            self.undated = True
        if source not in self.sources:
            self.sources.append(source)


def _version_number(version: str) -> int:
    try:
        return int(version[1:]) if version else 0
    except ValueError:
        return 0
