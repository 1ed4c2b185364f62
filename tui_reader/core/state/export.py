"""Papers and bookmarks out of the reader, in the form the next tool wants:
BibTeX (arXiv's own style, brace-protected, safe LaTeX), RIS and CSL-JSON
(what reference managers import best), CSV (formula-safe; a byte-order
mark in files), Markdown and JSON (the bookmarks export ``bookmarks
import`` reads back).  Every format takes :class:`Bookmark` records: a
bookmark, or any paper through :func:`records`.  Pure functions of their
input, plus :func:`write_atomic` for files."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui_reader.core import links as safe_links
from tui_reader.core.fsutil import write_atomic as _write_atomic
from tui_reader.core.model import Paper
from tui_reader.core.state.snapshot import Bookmark, Snapshot, paper_key
from tui_reader.core.citation import doi_of, issued, split_name, venue_of
from tui_reader.core.latex import _SYMBOLS as _LATEX_SYMBOLS
from tui_reader.core.latex import readable
from tui_reader.core.text import clean, one_line, wrap_text

EXPORT_FORMAT = "tui-reader-bookmarks"
EXPORT_VERSION = 1
FORMATS = ("bibtex", "ris", "csl-json", "csv", "markdown", "json")

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


# LaTeX commands a title may keep: text styles, accents, Greek letters and
# math symbols (what the reader renders).  Any other command, ``\input``,
# ``\write18``, ``\catcode``, ``\def``..., is written as text
# (``\textbackslash{}input``), so a title from a digest cannot run anything
# in a LaTeX document that cites it.
_ALLOWED_COMMANDS = frozenset(
    (
        "textit textbf emph mathrm mathbf mathit mathsf mathtt text textrm texttt textsf textsc textsl "
        "textup textnormal textsuperscript textsubscript operatorname boldsymbol bm mathcal mathscr "
        "mathfrak mathbb underline overline hat tilde bar vec widetilde widehat dot ddot check breve "
        "acute grave frac dfrac tfrac sqrt left right big Big bigg Bigg mid vert lvert rvert lVert rVert "
        "ensuremath LaTeX TeX ldots dots cdots vdots ddots textendash textemdash textquotesingle "
        "textbraceleft textbraceright textbackslash backslash prime circ degree textdegree "
        "c v u H r d b t k i j o O l L ss ae AE oe OE aa AA "
        "cal bf it rm sf tt em sc sl mathring overrightarrow overleftarrow leftrightarrow longrightarrow "
        "lceil rceil lfloor rfloor top perp parallel neg lnot land lor wedge vee setminus "
        "uparrow downarrow Uparrow Downarrow hookrightarrow rightleftharpoons "
        "ast bullet diamond triangle nabla square blacksquare checkmark "
        "sim simeq cong asymp preceq succeq prec succ ll gg lesssim gtrsim "
        "aleph beth imath jmath Re Im wp mho varkappa digamma varnothing "
        "arg deg det dim gcd hom inf ker lg liminf limsup Pr sec sinh sup tan tanh cot coth csc arcsin arccos arctan cosh "
        "mathop mathbin mathrel limits nolimits displaystyle textstyle scriptstyle "
        "quad qquad enspace thinspace"
    ).split()
) | frozenset(name for name in _LATEX_SYMBOLS if name.isalpha())
_SPACING = frozenset(",;:! ")
_ACCENTS = frozenset("'\"`^~=.")
_ESCAPED = frozenset("&%#_${}")


def _tokens(text: str) -> list[tuple[str, str]]:
    """``text`` as (kind, value) tokens: "cmd" (a letter command), "esc"
    (an escaped special), "accent", "space" (a spacing command), "bs2"
    (``\\``), "lone" (a backslash that escapes nothing), "dollar", "char"."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            nxt = text[i + 1] if i + 1 < n else ""
            if nxt.isascii() and nxt.isalpha():
                j = i + 1
                while j < n and text[j].isascii() and text[j].isalpha():
                    j += 1
                out.append(("cmd", text[i + 1:j]))
                i = j
                continue
            if nxt == "\\":
                out.append(("bs2", ""))
            elif nxt in _ESCAPED and nxt:
                out.append(("esc", nxt))
            elif nxt in _ACCENTS and nxt:
                out.append(("accent", nxt))
            elif nxt in _SPACING and nxt:
                out.append(("space", nxt))
            else:
                out.append(("lone", ""))
                i += 1
                continue
            i += 2
            continue
        out.append(("dollar", "") if c == "$" else ("char", c))
        i += 1
    return out


def bibtex_escape(text: str) -> str:
    """Make untrusted text safe inside a BibTeX ``{...}`` value while
    keeping the LaTeX a reader expects (math, text styles, accents):
    ``& % #`` are escaped, and outside ``$...$`` ``_`` and ``^`` too; an
    unpaired ``$`` is escaped; commands outside a known set, ``\\`` and a
    lone backslash are written as text; ``^^`` (TeX's way of writing any
    character, a backslash included) is broken up; a brace without a
    partner becomes ``\textbraceleft{}`` / ``\textbraceright{}``, so braces
    always balance whether a parser counts escaped braces (as BibTeX does)
    or not.  :func:`~tui_reader.core.state.importer.bibtex_unescape`
    undoes it."""
    tokens = _tokens(one_line(clean(text)))
    dollars = [i for i, (kind, _) in enumerate(tokens) if kind == "dollar"]
    literal = {dollars[-1]} if len(dollars) % 2 else set()
    out: list[str] = []
    math = False
    for index, (kind, value) in enumerate(tokens):
        backslash = "\\backslash{}" if math else "\\textbackslash{}"
        if kind == "cmd":
            out.append(f"\\{value}" if value in _ALLOWED_COMMANDS else f"{backslash}{value}")
        elif kind in ("esc", "accent", "space"):
            out.append("\\" + value)
        elif kind == "bs2":
            out.append(backslash * 2)
        elif kind == "lone":
            out.append(backslash)
        elif kind == "dollar":
            if index in literal:
                out.append("\\$")
            else:
                math = not math
                out.append("$")
        elif value in "&%#":
            out.append("\\" + value)
        elif value == "_" and not math:
            out.append("\\_")
        elif value == "^":
            if not math:
                out.append("\\^{}")
            elif index + 1 < len(tokens) and tokens[index + 1] == ("char", "^"):
                out.append("^{}")
            else:
                out.append("^")
        else:
            out.append(value)
    return _balance_braces("".join(out))


_CASE_WORD = re.compile(r"(?<![\\\w])([0-9A-Za-z][\w\-']*)")


def protect_case(escaped: str) -> str:
    """Brace the words of an escaped title that a reference manager must
    not lower-case: acronyms and words with a capital after their first
    letter (``{LLM}``, ``{NavFormer}``, ``{GPT-4o}``, ``{3D}``).  Text in
    braces or math is left as it is."""
    out: list[str] = []
    run: list[str] = []
    depth = 0
    math = False
    i = 0

    def flush() -> None:
        if run:
            out.append(_CASE_WORD.sub(_brace_word, "".join(run)))
            run.clear()

    while i < len(escaped):
        c = escaped[i]
        if c == "\\":
            flush()
            j = i + 1
            if j < len(escaped) and escaped[j].isalpha():
                while j < len(escaped) and escaped[j].isalpha():
                    j += 1
            else:
                j += 1
            out.append(escaped[i:j])
            i = j
            continue
        if c == "$" or c in "{}":
            flush()
            if c == "$":
                math = not math
            depth += c == "{"
            depth -= c == "}"
            out.append(c)
        elif depth == 0 and not math:
            run.append(c)
        else:
            out.append(c)
        i += 1
    flush()
    return "".join(out)


def _brace_word(match: re.Match[str]) -> str:
    word = match[1]
    return "{" + word + "}" if any(c.isupper() for c in word[1:]) else word


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


def _bib_author(name: str) -> str:
    escaped = bibtex_escape(name)
    # "Research and Development Team" is one name, not two.
    return "{" + escaped + "}" if re.search(r"(?i)\sand\s", f" {escaped} ") else escaped


def bibtex_entry(item: Paper | Snapshot, key: str | None = None, tags: Sequence[str] = (), note: str = "") -> str:
    """One entry in the style of arXiv's own "Export BibTeX citation"
    (``@misc`` with eprint, archivePrefix, primaryClass, url), with
    brace-protected capitals in the title; ``@inproceedings`` or
    ``@article`` when the comment names the venue, a ``doi`` when the
    comment or abstract gives one, ``keywords`` from the tags and
    ``annote`` from the note."""
    arxiv_id = paper_key(item.id)
    cite = citation(item, key)
    entry_type = {"journal": "article", "conference": "inproceedings"}.get(cite.venue_kind, "misc")
    fields = [
        ("title", protect_case(bibtex_escape(item.title)) or bibtex_escape(arxiv_id)),
        ("author", " and ".join(_bib_author(a) for a in item.authors if a.strip())),
        ("journal" if cite.venue_kind == "journal" else "booktitle", bibtex_escape(cite.venue)),
        ("year", _year(item)),
        ("eprint", bibtex_escape(arxiv_id)),
        ("archivePrefix", "arXiv"),
        ("primaryClass", bibtex_escape(item.categories[0]) if item.categories else ""),
        ("doi", _url_escape(cite.doi)),
        ("url", _url_escape(cite.links["abs"])),
        ("keywords", bibtex_escape(", ".join(tags))),
        ("annote", bibtex_escape(note)),
    ]
    lines = [f"@{entry_type}{{{cite.key},"]
    lines += [f"      {name}={{{value}}}," for name, value in fields if value]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _url_escape(url: str) -> str:
    return "".join(c if c not in "{}%# \\\n" else f"%{ord(c):02X}" for c in clean(url))


def _oldest_first(bookmarks: Iterable[Bookmark]) -> list[Bookmark]:
    return sorted(bookmarks, key=lambda b: (b.added_at, b.id))


def _snapshot(bookmark: Bookmark) -> Snapshot:
    return bookmark.snapshot or Snapshot.minimal(bookmark.id)


def bibtex(bookmarks: Sequence[Bookmark]) -> str:
    """Entries for bookmarks, oldest bookmark first (keys stay stable)."""
    ordered = _oldest_first(bookmarks)
    snapshots = [_snapshot(b) for b in ordered]
    return "\n".join(bibtex_entry(s, k, b.tags, b.note)
                     for s, k, b in zip(snapshots, unique_keys(snapshots), ordered))


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
    ordered = _oldest_first(bookmarks)
    snapshots = [_snapshot(b) for b in ordered]
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
    ordered = _oldest_first(bookmarks)
    snapshots = [_snapshot(b) for b in ordered]
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
    links = links_of(_snapshot(bookmark))
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
        snap = _snapshot(bookmark)
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
        snap = _snapshot(bookmark)
        cite = citation(snap)
        tldr = next(iter(snap.tldr.values()), "")
        writer.writerow([_cell(v) for v in (
            bookmark.id, _plain(snap.title), "; ".join(snap.authors), " ".join(snap.categories), bookmark.added_at,
            " ".join(bookmark.tags), bookmark.note, cite.links["abs"], cite.links["pdf"], cite.links["code"],
            " ".join(snap.dates), tldr, cite.venue, cite.doi)])
    return buffer.getvalue()


# --- all formats, files ------------------------------------------------------------------------

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
    """Write a file so that it is either the old or the new one, whatever
    happens: a temp file beside it, fsync, then os.replace.  A symbolic
    link is written through: the file it points to is replaced and the
    link stays.  Returns the path actually written."""
    path = Path(path)
    if path.is_symlink():
        target = path.resolve()
        if target.exists() and not target.is_file():
            raise IsADirectoryError(f"{path} points to {target}, which is not a regular file")
        path = target
    _write_atomic(path, text, encoding=encoding)
    return path
