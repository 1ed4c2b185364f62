"""Atom 1.0 feeds of papers (RFC 4287), for newsboat or any feed reader:
``tui-reader digest --format atom`` and ``tui-reader feed NAME``.

Cron-friendly by construction: an entry's id is the paper's arXiv page
(stable), its ``updated`` is the first day the paper was seen (so a
paper listed again on a later day does not change), the feed's
``updated`` is its newest entry's, and entries come newest first in a
fixed order.  The same papers give the same bytes; only new entries
change the file.  Paper text is untrusted: it is built with ElementTree
(escaped), characters XML cannot hold are dropped, and only plain
``https://`` links are written."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from urllib.parse import quote

from tui_reader.core.digest import Digest, DigestItem, _authors, _text, _tldr
from tui_reader.core.state.export import links_of
from tui_reader.core.text import clean

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _x(text: str) -> str:
    return _NOT_XML.sub("", clean(text or ""))


def feed_id(kind: str, name: str) -> str:
    """A stable id of the feed itself: ``tag:tui-reader,2026:search/Nets``."""
    return f"tag:tui-reader,2026:{kind}/{quote(name, safe='')}"


def _first_day(item: DigestItem) -> str:
    days = sorted(d for d in item.paper.dates if _DAY.fullmatch(d))
    if days:
        return f"{days[0]}T00:00:00Z"
    if item.bookmark is not None and item.bookmark.added_at:
        return item.bookmark.added_at
    return EPOCH


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _x(v) for k, v in attrs.items()})
    if text:
        element.text = _x(text)
    return element


def _entry(feed: ET.Element, item: DigestItem, updated: str, language: str, abstract: bool) -> None:
    paper = item.paper
    links = links_of(paper)
    entry = _sub(feed, "entry")
    _sub(entry, "id", links["abs"])
    _sub(entry, "title", _text(paper.title) or paper.id, type="text")
    _sub(entry, "updated", updated)
    _sub(entry, "published", updated)
    names = _authors(paper)
    _sub(_sub(entry, "author"), "name", names or "unknown")
    _sub(entry, "link", rel="alternate", type="text/html", href=links["abs"])
    _sub(entry, "link", rel="related", type="application/pdf", href=links["pdf"], title="PDF")
    if links["code"]:
        _sub(entry, "link", rel="related", href=links["code"], title="code")
    for category in paper.categories:
        if category.strip():
            _sub(entry, "category", term=category)
    for tag in item.bookmark.tags if item.bookmark is not None else ():
        _sub(entry, "category", term=tag, label=f"tag: {tag}")
    _, tldr = _tldr(paper, language)
    lines = [tldr] if tldr else []
    if item.reasons:
        lines.append("Matches: " + ", ".join(item.reasons))
    if item.bookmark is not None and item.bookmark.note:
        lines.append("Note: " + item.bookmark.note)
    if abstract or not tldr:
        lines.append(clean(paper.abstract or ""))
    if any(lines):
        _sub(entry, "summary", "\n\n".join(line for line in lines if line), type="text")


def atom_feed(items: Sequence[DigestItem], title: str, ident: str, subtitle: str = "", language: str = "",
              abstract: bool = False, limit: int | None = None) -> str:
    """The Atom document of ``items``: newest first (by first day, then id),
    at most ``limit``."""
    dated = sorted(((_first_day(item), item) for item in items), key=lambda pair: (pair[0], pair[1].paper.id),
                   reverse=True)
    seen: set[str] = set()
    unique = [(day, item) for day, item in dated if not (item.paper.id in seen or seen.add(item.paper.id))]
    if limit is not None:
        unique = unique[:limit]
    feed = ET.Element("feed", {"xmlns": ATOM})
    _sub(feed, "id", ident)
    _sub(feed, "title", title, type="text")
    if subtitle:
        _sub(feed, "subtitle", subtitle, type="text")
    _sub(feed, "updated", unique[0][0] if unique else EPOCH)
    _sub(_sub(feed, "author"), "name", "tui-reader")
    _sub(feed, "generator", "tui-reader")
    for day, item in unique:
        _entry(feed, item, day, language, abstract)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def digest_feed(digest: Digest) -> str:
    """A digest as a feed: every group's papers, reasons and notes kept."""
    items = [item for _, group in digest.groups for item in group]
    return atom_feed(items, digest.title, feed_id("digest", "picks"), digest.subtitle, digest.language,
                     digest.abstract)
