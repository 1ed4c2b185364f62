"""Bookmarks out of the store: BibTeX (arXiv's own style), Markdown, JSON
and CSV, and the BibTeX entry of a single paper (the UI's copy-citation key
uses :func:`bibtex_entry` too).  Pure functions of their input, plus
:func:`write_atomic` for files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from tui_reader.core.fsutil import write_atomic as _write_atomic
from tui_reader.core.model import Paper
from tui_reader.core.state.snapshot import Bookmark, Snapshot, paper_key
from tui_reader.core.text import clean, one_line

EXPORT_FORMAT = "tui-reader-bookmarks"
EXPORT_VERSION = 1
FORMATS = ("bibtex", "markdown", "json", "csv")

# --- BibTeX ---------------------------------------------------------------------------

_KEY_STOPWORDS = frozenset(
    "a an the on of in for to and with from by at as is are via towards toward into over under "
    "do does can what when why how".split()
)
_NEW_STYLE = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_STYLE = re.compile(r"/(\d{2})(\d{2})\d{3}$")


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def _last_name(author: str) -> str:
    author = one_line(author)
    if "," in author:
        return author.split(",", 1)[0]
    parts = author.split()
    return parts[-1] if parts else ""


def _year(item: Paper | Snapshot) -> str:
    key = paper_key(item.id)
    match = _NEW_STYLE.match(key)
    if match:
        return f"20{match[1]}"
    match = _OLD_STYLE.search(key)
    if match:
        yy = int(match[1])
        return f"{1900 + yy if yy >= 91 else 2000 + yy}"
    return item.dates[0][:4] if item.dates else ""


def bibtex_key(item: Paper | Snapshot) -> str:
    """arXiv-style citation key: first author's last name, year, first
    significant title word, in lower-case ASCII (``hwang2026navformer``)."""
    name = _ascii_word(_last_name(item.authors[0])) if item.authors else ""
    word = ""
    for raw in re.split(r"[\s\-:/]+", _strip_latex(item.title)):
        candidate = _ascii_word(raw)
        if candidate and candidate not in _KEY_STOPWORDS:
            word = candidate
            break
    key = f"{name or 'arxiv'}{_year(item)}{word}"
    return key if key != "arxiv" else "arxiv" + _ascii_word(paper_key(item.id))


def _strip_latex(text: str) -> str:
    return re.sub(r"\\[a-zA-Z]+|[{}$\\]", " ", text)


def unique_keys(items: Sequence[Paper | Snapshot]) -> list[str]:
    """A key per item, in order; a repeated key gets ``a``, ``b``... (the
    first one keeps the plain key), so keys stay stable as items are added
    at the end."""
    seen: set[str] = set()
    keys = []
    for item in items:
        base = bibtex_key(item)
        key = base
        n = 0
        while key in seen:
            key = base + _letters(n)
            n += 1
        seen.add(key)
        keys.append(key)
    return keys


def _letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


_SPECIALS = re.compile(r"(?<!\\)([&%#])")
_UNDERSCORE = re.compile(r"(?<!\\)_")


def bibtex_escape(text: str) -> str:
    """Make untrusted text safe inside a BibTeX ``{...}`` value while
    keeping the LaTeX in it: ``& % #`` and (outside ``$...$``) ``_`` are
    escaped, an unpaired ``$`` too, and a brace without a partner becomes
    ``\\textbraceleft{}`` / ``\\textbraceright{}`` so braces always balance,
    whether a parser counts escaped braces (as BibTeX does) or not."""
    text = one_line(clean(text))
    text = _SPECIALS.sub(r"\\\1", text)
    # Math: pairs of unescaped $; an odd one out is escaped.
    dollars = [m.start() for m in re.finditer(r"(?<!\\)\$", text)]
    if len(dollars) % 2:
        last = dollars.pop()
        text = text[:last] + "\\" + text[last:]
    pieces = []
    position = 0
    for start, end in zip(dollars[::2], dollars[1::2]):
        pieces.append(_UNDERSCORE.sub(r"\\_", text[position:start]))
        pieces.append(text[start:end + 1])
        position = end + 1
    pieces.append(_UNDERSCORE.sub(r"\\_", text[position:]))
    text = "".join(pieces)
    trailing = len(text) - len(text.rstrip("\\"))
    if trailing % 2:  # a lone backslash would escape the closing brace
        text = text[:-1] + "\\textbackslash{}"
    return _balance_braces(text)


def _balance_braces(text: str) -> str:
    # Plain braces pair with plain ones, \{ with \}; any left over is replaced.
    bad: set[int] = set()
    stacks: dict[bool, list[int]] = {False: [], True: []}
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in "{}\\":
            if text[i + 1] == "{":
                stacks[True].append(i)
            elif text[i + 1] == "}":
                if stacks[True]:
                    stacks[True].pop()
                else:
                    bad.add(i)
            i += 2
            continue
        if c == "{":
            stacks[False].append(i)
        elif c == "}":
            if stacks[False]:
                stacks[False].pop()
            else:
                bad.add(i)
        i += 1
    bad.update(stacks[False])
    bad.update(stacks[True])
    if not bad:
        return text
    out = []
    i = 0
    while i < len(text):
        if i in bad:
            escaped = text[i] == "\\"
            brace = text[i + 1] if escaped else text[i]
            out.append("\\textbraceleft{}" if brace == "{" else "\\textbraceright{}")
            i += 2 if escaped else 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def bibtex_entry(item: Paper | Snapshot, key: str | None = None) -> str:
    """One ``@misc`` entry in the style of arXiv's own "Export BibTeX
    citation" (eprint, archivePrefix, primaryClass, url)."""
    arxiv_id = paper_key(item.id)
    fields = [
        ("title", bibtex_escape(item.title) or bibtex_escape(arxiv_id)),
        ("author", " and ".join(bibtex_escape(a) for a in item.authors if a.strip())),
        ("year", _year(item)),
        ("eprint", bibtex_escape(arxiv_id)),
        ("archivePrefix", "arXiv"),
        ("primaryClass", bibtex_escape(item.categories[0]) if item.categories else ""),
        ("url", _url_escape(f"https://arxiv.org/abs/{arxiv_id}")),
    ]
    lines = [f"@misc{{{key or bibtex_key(item)},"]
    lines += [f"      {name}={{{value}}}," for name, value in fields if value]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _url_escape(url: str) -> str:
    return "".join(c if c not in "{}%# \\" else f"%{ord(c):02X}" for c in clean(url))


def bibtex(bookmarks: Sequence[Bookmark]) -> str:
    """Entries for bookmarks, oldest bookmark first (keys stay stable)."""
    ordered = _oldest_first(bookmarks)
    snapshots = [_snapshot(b) for b in ordered]
    return "\n".join(bibtex_entry(s, k) for s, k in zip(snapshots, unique_keys(snapshots)))


def _oldest_first(bookmarks: Iterable[Bookmark]) -> list[Bookmark]:
    return sorted(bookmarks, key=lambda b: (b.added_at, b.id))


def _snapshot(bookmark: Bookmark) -> Snapshot:
    return bookmark.snapshot or Snapshot.minimal(bookmark.id)


# --- JSON -------------------------------------------------------------------------------


def json_document(bookmarks: Sequence[Bookmark], exported_at: str = "") -> dict:
    """The JSON export (also what ``bookmarks list --json`` prints and what
    ``bookmarks import`` reads back)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "bookmarks": [b.to_dict() for b in bookmarks],
    }


def to_json(bookmarks: Sequence[Bookmark], exported_at: str = "") -> str:
    return json.dumps(json_document(bookmarks, exported_at), ensure_ascii=False, indent=2) + "\n"


# --- Markdown -----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", one_line(clean(text)))


def markdown(bookmarks: Sequence[Bookmark], title: str = "Bookmarks") -> str:
    lines = [f"# {title}", ""]
    for bookmark in bookmarks:
        snap = _snapshot(bookmark)
        lines.append(f"## {_md(snap.title or snap.id)}")
        lines.append("")
        if snap.authors:
            lines.append(f"*{_md(', '.join(snap.authors))}*")
            lines.append("")
        meta = [f"arXiv: [{_md(snap.id)}](<{_md_url(snap.abs_link)}>)", f"[PDF](<{_md_url(snap.pdf_link)}>)"]
        code = snap.code_link
        if code is not None:
            meta.append(f"[{_md(code.label)}](<{_md_url(code.url)}>)")
        if snap.categories:
            meta.append(_md(", ".join(snap.categories)))
        if snap.dates:
            meta.append(_md(", ".join(snap.dates)))
        lines.append(" · ".join(meta))
        lines.append("")
        lines.append(f"Bookmarked {_md(bookmark.added_at)}"
                     + (f" · tags: {_md(', '.join(bookmark.tags))}" if bookmark.tags else ""))
        lines.append("")
        for language, tldr in snap.tldr.items():
            lines.append(f"**TL;DR ({_md(language)}):** {_md(tldr)}")
            lines.append("")
        if bookmark.note:
            lines.extend("> " + _MD_SPECIAL.sub(r"\\\1", line) if line.strip() else ">"
                         for line in clean(bookmark.note).splitlines())
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_url(url: str) -> str:
    return "".join(c if c not in "<> \n" else f"%{ord(c):02X}" for c in clean(url))


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "title", "authors", "categories", "added_at", "tags", "note", "abs_url", "pdf_url",
               "code_url", "dates", "tldr")


def _cell(text: str) -> str:
    # A cell starting with = + - @ would be a formula in a spreadsheet.
    text = clean(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(bookmarks: Sequence[Bookmark]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for bookmark in bookmarks:
        snap = _snapshot(bookmark)
        tldr = next(iter(snap.tldr.values()), "")
        writer.writerow([_cell(v) for v in (
            bookmark.id, snap.title, "; ".join(snap.authors), " ".join(snap.categories), bookmark.added_at,
            " ".join(bookmark.tags), bookmark.note, snap.abs_link, snap.pdf_link, snap.code_link.url if snap.code_link else "",
            " ".join(snap.dates), tldr)])
    return buffer.getvalue()


# --- all formats, files ------------------------------------------------------------------------


def render(bookmarks: Sequence[Bookmark], fmt: str, exported_at: str = "") -> str:
    if fmt == "bibtex":
        return bibtex(bookmarks)
    if fmt == "markdown":
        return markdown(bookmarks)
    if fmt == "json":
        return to_json(bookmarks, exported_at)
    if fmt == "csv":
        return to_csv(bookmarks)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that it is either the old or the new one, whatever
    happens: a temp file beside it, fsync, then os.replace (see
    :func:`tui_reader.core.fsutil.write_atomic`)."""
    _write_atomic(Path(path), text)

