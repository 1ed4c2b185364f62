"""The paper model: plain data, no Textual, no I/O.

An :class:`Entry` is one paper record as read from one file (one line of a
JSONL file, one ``### [N]`` block of a Markdown digest).  A :class:`Paper` is
the merge of every entry with the same arXiv id across days and formats.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

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


_LANGUAGE_SETS: dict[tuple[str, ...], tuple[str, ...]] = {}
_NO_FAILURES: list[str] = ()  # type: ignore[assignment] - shared, never changed in place


class TextSource:
    """Where a paper's texts live when they are not in memory: ``texts(n)``
    gives record ``n``'s ``(abstract, ((language, summary fields), ...))``
    (see library.texts.TextStore, which reads them from the library cache)."""

    location: tuple[str, str] | None = None  # (path, fingerprint) where another process can read them

    def texts(self, n: int) -> tuple[str, tuple]:  # pragma: no cover - an interface
        raise NotImplementedError

    def release(self, n: int) -> None:
        """Record ``n``'s paper holds its texts again (and may change them)."""

    def abstract(self, n: int) -> str:
        """Record ``n``'s abstract (its summaries need not be decoded)."""
        return self.texts(n)[0]

    def raw(self, n: int) -> bytes | None:
        """Record ``n`` as stored, every string in it UTF-8 (after a 4-byte
        length), or None when the source cannot give it."""
        return None


class _ArxivAddress:
    """A paper's ``abs_url`` or ``pdf_url``: None is kept (in the slot
    ``_abs_url``/``_pdf_url``) for the usual arXiv address of the paper,
    which is made when asked for."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.slot = f"_{kind}_url"

    def usual(self, paper: Paper) -> str:
        return f"https://arxiv.org/{self.kind}/{paper.id}"

    def __get__(self, paper: Paper | None, owner: type | None = None):
        if paper is None:
            return self
        found = getattr(paper, self.slot)
        return self.usual(paper) if found is None else found

    def __set__(self, paper: Paper, value: str) -> None:
        setattr(paper, self.slot, None if value and value == self.usual(paper) else value)


class PaperLinks:
    """What a paper and a bookmark's snapshot both derive from their
    ``id``, ``categories``, ``abs_url``, ``pdf_url`` and ``code_url``: the
    main category and the links safe to open or copy (see core.links)."""

    __slots__ = ()
    id: str
    categories: list[str]
    abs_url: str
    pdf_url: str
    code_url: str

    @property
    def main_category(self) -> str:
        return self.categories[0] if self.categories else ""

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


class Paper(PaperLinks):
    """A paper merged from every entry that names its arXiv id.

    Its long texts (the abstract and the AI summaries: two thirds of a
    library's memory) are either held here, while the paper is built from
    the files, or read from the library cache when asked for
    (:meth:`texts_from`): 75,000 papers then keep ~120 MB instead of
    ~350 MB.  Either way ``abstract`` and ``summaries`` read the same; a
    paper whose texts are on disk is not changed through them (the loader
    merges entries into papers that hold their texts)."""

    __slots__ = (
        "id", "version", "title", "authors", "categories", "_abstract", "_abs_url", "_pdf_url", "comment",
        "code_url", "code_stars", "dates", "undated", "_summaries", "sources", "order", "code_updated",
        "failed", "signals", "_source", "_at", "_languages", "abstract_code",
    )

    def __init__(
        self,
        id: str,  # the paper's arXiv id
        version: str = "",
        title: str = "",
        authors: list[str] | None = None,
        categories: list[str] | None = None,  # main category first
        abstract: str = "",
        abs_url: str = "",
        pdf_url: str = "",
        comment: str = "",
        code_url: str = "",
        code_stars: int | None = None,
        dates: list[str] | None = None,  # ISO dates, ascending
        undated: bool = False,  # appeared in at least one file with no date in its name
        summaries: dict[str, Summary] | None = None,  # language -> summary
        sources: list[str] | None = None,  # files it was read from
        order: int = 0,  # position in the library's newest-first order (set by the loader)
        code_updated: str = "",  # last commit of the code (code_last_update), YYYY-MM-DD
        failed: list[str] | None = None,  # languages whose summary the producer failed to write
        signals: object = None,  # core.signals.Signals, computed on demand
    ) -> None:
        self.id = id
        self.version = version
        self.title = title
        self.authors = authors if authors is not None else []
        self.categories = categories if categories is not None else []
        self._abstract: str | None = abstract
        self.abs_url = abs_url
        self.pdf_url = pdf_url
        self.comment = comment
        self.code_url = code_url
        self.code_stars = code_stars
        self.dates = dates if dates is not None else []
        self.undated = undated
        self._summaries: dict[str, Summary] | None = summaries if summaries is not None else {}
        self.sources = sources if sources is not None else []
        self.order = order
        self.code_updated = code_updated
        self.failed = failed if failed is not None else []
        self.signals = signals
        self._source: TextSource | None = None
        self._at = 0
        self._languages: tuple[str, ...] = ()
        # The code repository named in the abstract ("" none), kept while
        # the abstract is on disk; None: look in the abstract (core.signals).
        self.abstract_code: str | None = None

    # --- the texts, in memory or on disk ------------------------------------------------

    @property
    def texts_on_disk(self) -> bool:
        return self._abstract is None

    def texts_from(self, source: TextSource, n: int, languages: tuple[str, ...], abstract_code: str) -> None:
        """Let go of the texts: from now on they are read from record ``n``
        of ``source`` when asked for."""
        self._source = source
        self._at = n
        self._languages = languages
        self.abstract_code = abstract_code
        self._abstract = None
        self._summaries = None

    def _load(self) -> None:
        """Bring the texts back into memory (before they are changed)."""
        if self._abstract is None:
            abstract, summaries = self._source.texts(self._at)  # type: ignore[union-attr]
            self._summaries = {language: Summary(*fields) for language, fields in summaries}
            self._abstract = abstract
            self._source.release(self._at)  # type: ignore[union-attr]
            self._source = None
            self.abstract_code = None

    @property
    def abstract(self) -> str:
        found = self._abstract
        if found is None:
            return self._source.abstract(self._at)  # type: ignore[union-attr]
        return found

    @abstract.setter
    def abstract(self, value: str) -> None:
        self._load()
        self._abstract = value

    @property
    def summaries(self) -> dict[str, Summary]:
        """language -> summary (a fresh dict when the texts are on disk:
        change the paper through it only while it holds its texts)."""
        found = self._summaries
        if found is None:
            records = self._source.texts(self._at)[1]  # type: ignore[union-attr]
            return {language: Summary(*fields) for language, fields in records}
        return found

    @summaries.setter
    def summaries(self, value: dict[str, Summary]) -> None:
        self._load()
        self._summaries = value

    def text_source(self) -> tuple[TextSource, int] | None:
        """Where the texts are read from (source and record), None while
        the paper holds them."""
        return (self._source, self._at) if self._abstract is None else None  # type: ignore[return-value]

    def mentions(self, word: str) -> bool:
        """Whether a run of CJK characters ``word`` stands in any of the
        paper's texts (title, authors, abstract, summaries).  A paper whose
        texts are on disk looks for the word's UTF-8 in its record as it is
        stored, not decoded (marshal keeps each string as UTF-8, and a CJK
        character's bytes can never be a string's length or type byte):
        this is what a CJK word's search asks of 2,000 papers."""
        if word in self.title or any(word in author for author in self.authors):
            return True
        if self._abstract is None:
            try:
                raw = self._source.raw(self._at)  # type: ignore[union-attr]
            except Exception:  # noqa: BLE001 - a damaged record: read as the texts() path does
                raw = None
            if raw is not None:
                if raw.find(word.encode("utf-8"), 4) == -1:  # past the abstract's length
                    return False
                if not any(word in language for language in self._languages):
                    return True
        abstract, summaries = self.text_record()
        return word in abstract or any(word in text for _language, fields in summaries for text in fields)

    def text_record(self) -> tuple[str, tuple]:
        """``(abstract, ((language, summary fields), ...))``: what a text
        store keeps of the paper."""
        if self._abstract is None:
            return self._source.texts(self._at)  # type: ignore[union-attr]
        return self._abstract, tuple((language, s.as_tuple()) for language, s in self._summaries.items())

    # --- links: the usual arXiv addresses are not kept (12 MB at 75,000 papers) ------------

    abs_url = _ArxivAddress("abs")
    pdf_url = _ArxivAddress("pdf")

    # --- what the list and the facets ask of every paper: in memory ------------------------

    @property
    def languages(self) -> list[str]:
        """The languages of its summaries (failed ones are none)."""
        return list(self._summaries) if self._summaries is not None else list(self._languages)

    @property
    def has_summary(self) -> bool:
        return bool(self._summaries) if self._summaries is not None else bool(self._languages)

    @property
    def summary_failed(self) -> bool:
        """The producer tried and failed (placeholder text), and no other
        language has a real summary."""
        return bool(self.failed) and not self.has_summary

    @property
    def summary_missing(self) -> bool:
        """No summary and no failed attempt: the producer dropped the paper
        from its enhanced file (or never enhanced it)."""
        return not self.has_summary and not self.failed

    @property
    def latest_date(self) -> str:
        return self.dates[-1] if self.dates else ""

    @property
    def first_date(self) -> str:
        return self.dates[0] if self.dates else ""

    def first_author_et_al(self) -> str:
        if not self.authors:
            return ""
        if len(self.authors) == 1:
            return self.authors[0]
        return f"{self.authors[0]} et al."

    def summary(self, language: str | None = None) -> tuple[str, Summary] | None:
        """The summary in ``language`` if the paper has it, else its first one."""
        summaries = self.summaries
        if not summaries:
            return None
        if language and language in summaries:
            return language, summaries[language]
        first = next(iter(summaries))
        return first, summaries[first]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Paper):
            return NotImplemented
        return self.to_tuple() == other.to_tuple() and self.signals == other.signals

    __hash__ = None  # type: ignore[assignment] - mutable, as the dataclass was

    def __repr__(self) -> str:
        where = "texts on disk" if self._abstract is None else "texts in memory"
        return f"Paper({self.id!r}, {self.title[:40]!r}, {where})"

    def meta_tuple(self) -> tuple:
        """Everything but the texts, for the library cache (marshal takes
        builtins only); the texts go to its text records."""
        return (
            self.id, self.version, self.title, tuple(self.authors), tuple(self.categories),
            self._abs_url, self._pdf_url, self.comment, self.code_url, self.code_stars,
            tuple(self.dates), self.undated, tuple(self.sources), self.order, self.code_updated,
            tuple(self.failed),
        )

    @classmethod
    def from_meta(cls, data: tuple, source: TextSource, n: int, languages: tuple[str, ...],
                  abstract_code: str, intern=sys.intern) -> Paper:
        """A paper of ``meta_tuple``'s whose texts are record ``n`` of ``source``.
        The strings many papers share (categories, days, files, languages)
        are interned: one copy each, not one a paper."""
        paper = cls.__new__(cls)
        paper.id = data[0]
        paper.version = data[1]
        paper.title = data[2]
        paper.authors = [intern(a) for a in data[3]]  # an author of several papers: one copy
        paper.categories = [intern(c) for c in data[4]]
        paper._abs_url = data[5]
        paper._pdf_url = data[6]
        paper.comment = data[7]
        paper.code_url = data[8]
        paper.code_stars = data[9]
        paper.dates = [intern(d) for d in data[10]]
        paper.undated = data[11]
        paper.sources = [intern(s) for s in data[12]]
        paper.order = data[13]
        paper.code_updated = data[14]
        paper.failed = [intern(f) for f in data[15]] if data[15] else _NO_FAILURES  # one empty (), not 75,000 []
        paper.signals = None
        paper._source = source
        paper._at = n
        paper._languages = _LANGUAGE_SETS.setdefault(languages, languages)  # a handful of them in a library
        paper.abstract_code = abstract_code
        paper._abstract = None
        paper._summaries = None
        return paper

    def to_tuple(self) -> tuple:
        """Compact form with the texts (marshal takes builtins only)."""
        abstract, summaries = self.text_record()
        return (
            self.id, self.version, self.title, tuple(self.authors), tuple(self.categories),
            abstract, self.abs_url, self.pdf_url, self.comment, self.code_url, self.code_stars,
            tuple(self.dates), self.undated, summaries,
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
        self._load()
        if not self.title:
            self.title = entry.title
        if not self.authors:
            self.authors = [sys.intern(author) for author in entry.authors]
        for category in entry.categories:
            if category and category not in self.categories:
                self.categories.append(sys.intern(category))
        if not self._abstract:
            self._abstract = entry.abstract
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
            self.failed = [*self.failed, entry.failed]  # a paper read from the cache may share ()
        if entry.summary is not None and not entry.summary.is_empty():
            language = entry.language or "Other"
            summaries = self._summaries
            existing = summaries.get(language)  # type: ignore[union-attr]
            if existing is None:
                summaries[language] = Summary(*entry.summary.as_tuple())  # type: ignore[index]
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
