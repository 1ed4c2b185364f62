"""The export formats, each a pure function of its records: BibTeX, RIS,
CSL-JSON, JSON (what ``bookmarks import`` reads back), Markdown and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

from tui_reader.core import links as safe_links
from tui_reader.core.citation import split_name
from tui_reader.core.latex import readable
from tui_reader.core.model import Paper
from tui_reader.core.state.bibtex_text import bibtex_escape, latex_safe, protect_case, unique_keys, year_of
from tui_reader.core.state.citing import citation, links_of, snapshot_of
from tui_reader.core.state.snapshot import Bookmark, Snapshot, paper_key
from tui_reader.core.text import clean, one_line, wrap_text

EXPORT_FORMAT = "tui-reader-bookmarks"
EXPORT_VERSION = 1

# --- BibTeX ---------------------------------------------------------------------------

def _bib_author(name: str) -> str:
    escaped = bibtex_escape(name)
    # "Research and Development Team" is one name, not two.
    return "{" + escaped + "}" if re.search(r"(?i)\sand\s", f" {escaped} ") else escaped


def bibtex_entry(item: Paper | Snapshot, key: str | None = None, tags: Sequence[str] = (), note: str = "") -> str:
    """One entry in the style of arXiv's own "Export BibTeX citation"
    (``@misc`` with eprint, archivePrefix, primaryClass, url), with
    brace-protected capitals in the title; ``@inproceedings`` or
    ``@article`` when the comment names the venue, a ``doi`` when the
    comment or abstract gives one, the ``abstract``, ``keywords`` from the
    tags and ``annote`` from the note.  Title and abstract are
    pdflatex-safe: Greek and math symbols become commands (``$α$`` →
    ``$\\alpha$``).  A bookmark known only by its id still has its
    ``eprint``, ``archivePrefix`` and ``url``."""
    arxiv_id = paper_key(item.id)
    cite = citation(item, key)
    entry_type = {"journal": "article", "conference": "inproceedings"}.get(cite.venue_kind, "misc")
    fields = [
        ("title", latex_safe(protect_case(bibtex_escape(item.title))) or bibtex_escape(arxiv_id)),
        ("author", " and ".join(_bib_author(a) for a in item.authors if a.strip())),
        ("journal" if cite.venue_kind == "journal" else "booktitle", bibtex_escape(cite.venue)),
        ("year", year_of(item)),
        ("eprint", bibtex_escape(arxiv_id)),
        ("archivePrefix", "arXiv"),
        ("primaryClass", bibtex_escape(item.categories[0]) if item.categories else ""),
        ("doi", _url_escape(cite.doi)),
        ("url", _url_escape(cite.links["abs"])),
        ("abstract", latex_safe(bibtex_escape(item.abstract))),
        ("keywords", bibtex_escape(", ".join(tags))),
        ("annote", bibtex_escape(note)),
    ]
    lines = [f"@{entry_type}{{{cite.key},"]
    lines += [f"      {name}={{{value}}}," for name, value in fields if value]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _url_escape(url: str) -> str:
    return "".join(c if c not in "{}%# \\\n" else f"%{ord(c):02X}" for c in clean(url))


def bibtex(bookmarks: Sequence[Bookmark]) -> str:
    """Entries in the order given (the bookmarks export passes them oldest
    first, so keys stay stable; a list or a selection keeps its order)."""
    ordered = list(bookmarks)  # in the order given: a list's, a selection's, oldest bookmark first
    snapshots = [snapshot_of(b) for b in ordered]
    return "\n".join(bibtex_entry(s, k, b.tags, b.note)
                     for s, k, b in zip(snapshots, unique_keys(snapshots), ordered))


# --- RIS -------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Paper text for formats without LaTeX: simple LaTeX rendered as the
    reader shows it, on one line."""
    return one_line(readable(clean(text or "")))


def _ris_value(text: str) -> str:
    return one_line(clean(text))


def ris(bookmarks: Sequence[Bookmark]) -> str:
    """RIS (what EndNote, Zotero, Mendeley and JabRef import): one record
    per paper, ``UNPB`` for a preprint, ``CONF``/``JOUR`` when the comment
    names the venue."""
    ordered = list(bookmarks)  # in the order given: a list's, a selection's, oldest bookmark first
    snapshots = [snapshot_of(b) for b in ordered]
    out: list[str] = []
    for bookmark, snap, key in zip(ordered, snapshots, unique_keys(snapshots)):
        cite = citation(snap, key)
        kind = {"journal": "JOUR", "conference": "CONF"}.get(cite.venue_kind, "UNPB")
        rows: list[tuple[str, str]] = [("TY", kind), ("ID", key), ("TI", _plain(snap.title) or snap.id)]
        rows += [("AU", _ris_author(a)) for a in snap.authors if a.strip()]
        if cite.issued:
            rows.append(("PY", str(cite.issued[0])))
            rows.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(cite.issued))))
        if cite.venue:
            rows.append(("JO" if kind == "JOUR" else "T2", _ris_value(cite.venue)))
        rows.append(("PB", "arXiv"))
        rows.append(("AN", f"arXiv:{snap.id}"))
        rows.append(("DB", "arXiv.org"))
        if cite.doi:
            rows.append(("DO", _ris_value(cite.doi)))
        rows.append(("UR", cite.links["abs"]))
        rows.append(("L1", cite.links["pdf"]))
        if cite.links["code"]:
            rows.append(("UR", cite.links["code"]))  # the first UR is the paper's
        if snap.abstract:
            rows.append(("AB", _plain(snap.abstract)))
        rows += [("KW", _ris_value(c)) for c in snap.categories[:1]]
        rows += [("KW", _ris_value(t)) for t in bookmark.tags]
        if bookmark.note:
            rows.append(("N1", _ris_value(bookmark.note)))
        if snap.comment:
            rows.append(("N1", _ris_value(f"Comment: {snap.comment}")))
        rows.append(("ER", ""))
        out.extend(f"{tag}  - {value}".rstrip() if tag != "ER" else "ER  - " for tag, value in rows)
        out.append("")
    return "\n".join(out)


def _ris_author(name: str) -> str:
    family, given = split_name(name)
    return f"{family}, {given}" if family else _ris_value(given)


# --- CSL-JSON ---------------------------------------------------------------------------------


def csl_items(bookmarks: Sequence[Bookmark]) -> list[dict]:
    """CSL-JSON items (what Zotero, Pandoc/citeproc and Mendeley read)."""
    ordered = list(bookmarks)  # in the order given: a list's, a selection's, oldest bookmark first
    snapshots = [snapshot_of(b) for b in ordered]
    items = []
    for bookmark, snap, key in zip(ordered, snapshots, unique_keys(snapshots)):
        cite = citation(snap, key)
        item: dict = {
            "id": key,
            "type": {"journal": "article-journal", "conference": "paper-conference"}.get(cite.venue_kind, "article"),
            "title": _plain(snap.title) or snap.id,
            "author": [_csl_name(a) for a in snap.authors if a.strip()],
            "publisher": "arXiv",
            "number": snap.id,
            "URL": cite.links["abs"],
            "source": "arXiv.org",
        }
        if cite.issued:
            item["issued"] = {"date-parts": [list(cite.issued)]}
        if cite.venue:
            item["container-title"] = one_line(cite.venue)
        if cite.doi:
            item["DOI"] = cite.doi
        if snap.abstract:
            item["abstract"] = _plain(snap.abstract)
        keywords = list(bookmark.tags)
        if keywords:
            item["keyword"] = ", ".join(keywords)
        if bookmark.note:
            item["note"] = clean(bookmark.note)
        if snap.categories:
            item["genre"] = f"arXiv preprint ({one_line(snap.categories[0])})"
        items.append(item)
    return items


def _csl_name(name: str) -> dict[str, str]:
    family, given = split_name(name)
    return {"family": family, "given": given} if family else {"literal": one_line(given)}


def csl_json(bookmarks: Sequence[Bookmark]) -> str:
    return json.dumps(csl_items(bookmarks), ensure_ascii=False, indent=2) + "\n"


# --- JSON -------------------------------------------------------------------------------


def json_document(bookmarks: Sequence[Bookmark], exported_at: str = "") -> dict:
    """The JSON export (also what ``bookmarks list --json`` prints and what
    ``bookmarks import`` reads back)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "bookmarks": [_safe_dict(b) for b in bookmarks],
    }


def _safe_dict(bookmark: Bookmark) -> dict:
    data = bookmark.to_dict()
    snap = data["snapshot"]
    links = links_of(snapshot_of(bookmark))
    if snap.get("abs_url"):
        snap["abs_url"] = links["abs"]
    if snap.get("pdf_url"):
        snap["pdf_url"] = links["pdf"]
    snap["code_url"] = links["code"]
    return data


def to_json(bookmarks: Sequence[Bookmark], exported_at: str = "") -> str:
    return json.dumps(json_document(bookmarks, exported_at), ensure_ascii=False, indent=2) + "\n"


# --- Markdown -----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", one_line(clean(text)))


def markdown(bookmarks: Sequence[Bookmark], title: str = "Bookmarks") -> str:
    lines = [f"# {_md(title)}", ""]
    for bookmark in bookmarks:
        snap = snapshot_of(bookmark)
        cite = citation(snap)
        links = cite.links
        lines.append(f"## {_md(_plain(snap.title) or snap.id)}")
        lines.append("")
        if snap.authors:
            lines.append(f"*{_md(', '.join(snap.authors))}*")
            lines.append("")
        meta = [f"arXiv: [{_md(snap.id)}](<{_md_url(links['abs'])}>)", f"[PDF](<{_md_url(links['pdf'])}>)"]
        code = safe_links.code_link(links["code"])
        if code is not None:
            meta.append(f"[{_md(code.label)}](<{_md_url(code.url)}>)")
        if cite.venue:
            meta.append(_md(cite.venue))
        if cite.doi:
            meta.append(f"DOI [{_md(cite.doi)}](<https://doi.org/{_md_url(cite.doi)}>)")
        if snap.categories:
            meta.append(_md(", ".join(snap.categories)))
        if snap.dates:
            meta.append(_md(", ".join(snap.dates)))
        lines.append(" · ".join(meta))
        lines.append("")
        kept = []
        if bookmark.added_at:
            kept.append(f"Bookmarked {_md(bookmark.added_at)}")
        if bookmark.tags:
            kept.append(f"tags: {_md(', '.join(bookmark.tags))}")
        if kept:
            lines.append(" · ".join(kept))
            lines.append("")
        for language, tldr in snap.tldr.items():
            lines.extend(_md_wrapped(f"**TL;DR ({_md(language)}):** {_md(tldr)}"))
            lines.append("")
        if bookmark.note:
            lines.extend("> " + _MD_SPECIAL.sub(r"\\\1", line) if line.strip() else ">"
                         for line in clean(bookmark.note).splitlines())
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


MD_WIDTH = 80  # Markdown paragraphs are wrapped as the reader wraps them
_MD_LINE_START = re.compile(r"^(?:[-+=]|\d+[.)])")


def _md_wrapped(text: str) -> list[str]:
    """A paragraph in lines of MD_WIDTH cells, broken as its language
    allows (Chinese between characters, never before ，。); a line that
    would read as a list item or heading underline has its mark escaped."""
    lines = wrap_text(text, MD_WIDTH)
    return [lines[0]] + [_MD_LINE_START.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], line) for line in lines[1:]]


def _md_url(url: str) -> str:
    return "".join(c if c not in "<> \n()" else f"%{ord(c):02X}" for c in clean(url))


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "title", "authors", "categories", "added_at", "tags", "note", "abs_url", "pdf_url",
               "code_url", "dates", "tldr", "venue", "doi")


def _cell(text: str) -> str:
    # A cell starting with = + - @ would be a formula in a spreadsheet.
    text = clean(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(bookmarks: Sequence[Bookmark]) -> str:
    """CSV text; files get a UTF-8 byte-order mark on top (see
    :func:`file_encoding`) so spreadsheet programs read Chinese as such."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for bookmark in bookmarks:
        snap = snapshot_of(bookmark)
        cite = citation(snap)
        tldr = next(iter(snap.tldr.values()), "")
        writer.writerow([_cell(v) for v in (
            bookmark.id, _plain(snap.title), "; ".join(snap.authors), " ".join(snap.categories), bookmark.added_at,
            " ".join(bookmark.tags), bookmark.note, cite.links["abs"], cite.links["pdf"], cite.links["code"],
            " ".join(snap.dates), tldr, cite.venue, cite.doi)])
    return buffer.getvalue()
