"""Papers and bookmarks out of the reader, in the form the next tool wants:
BibTeX (arXiv's own style, brace-protected, safe LaTeX), RIS and CSL-JSON
(what reference managers import best), CSV (formula-safe; a byte-order
mark in files), Markdown and JSON (the bookmarks export ``bookmarks
import`` reads back).  Every format takes :class:`Bookmark` records: a
bookmark, or any paper through :func:`records`.  Pure functions of their
input, plus :func:`write_atomic` for files.

The formats live in :mod:`.formats`, BibTeX's keys and escaping in
:mod:`.bibtex_text`, what every format says of a paper in :mod:`.citing`;
this module picks the format (:func:`render`) and keeps every public name
importable from here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tui_reader.core.fsutil import write_output
from tui_reader.core.state.bibtex_text import bibtex_escape, bibtex_key, protect_case, unique_keys
from tui_reader.core.state.citing import Citation, citation, links_of, records
from tui_reader.core.state.formats import (
    CSV_COLUMNS,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MD_WIDTH,
    bibtex,
    bibtex_entry,
    csl_items,
    csl_json,
    json_document,
    markdown,
    ris,
    to_csv,
    to_json,
)
from tui_reader.core.state.snapshot import Bookmark

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "EXTENSIONS",
    "FORMATS",
    "MD_WIDTH",
    "Citation",
    "bibtex",
    "bibtex_entry",
    "bibtex_escape",
    "bibtex_key",
    "citation",
    "csl_items",
    "csl_json",
    "file_encoding",
    "json_document",
    "links_of",
    "markdown",
    "protect_case",
    "records",
    "render",
    "ris",
    "to_csv",
    "to_json",
    "unique_keys",
    "write_atomic",
]

FORMATS = ("bibtex", "ris", "csl-json", "csv", "markdown", "json")

EXTENSIONS = {"bibtex": ".bib", "ris": ".ris", "csl-json": ".json", "csv": ".csv", "markdown": ".md", "json": ".json"}


def file_encoding(fmt: str) -> str:
    """The encoding of a file in ``fmt``: UTF-8, with a byte-order mark for
    CSV (spreadsheet programs guess a legacy code page without one)."""
    return "utf-8-sig" if fmt == "csv" else "utf-8"


def render(bookmarks: Sequence[Bookmark], fmt: str, exported_at: str = "", title: str = "Bookmarks") -> str:
    if fmt == "bibtex":
        return bibtex(bookmarks)
    if fmt == "ris":
        return ris(bookmarks)
    if fmt == "csl-json":
        return csl_json(bookmarks)
    if fmt == "markdown":
        return markdown(bookmarks, title)
    if fmt == "json":
        return to_json(bookmarks, exported_at)
    if fmt == "csv":
        return to_csv(bookmarks)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write an export the user named: see :func:`tui_reader.core.fsutil.write_output`
    (a regular file replaced atomically, a symbolic link written through,
    a FIFO or a terminal written into, anything else refused, nothing in
    read-only mode).  Returns the path actually written."""
    return write_output(path, text, encoding=encoding)
