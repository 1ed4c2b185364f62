"""Reader for the producer's Markdown digests (see FORMATS.md, section 1).

The file is read line by line: a paper starts at ``### [N] [Title](url)``,
its fields start at known labels and run until the next label,
``</details>`` or the next paper.  The HTML parts (the section anchors
``<div id='cs.LG'></div>``) are read with BeautifulSoup.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tui_reader.core.model import Entry, Problem, Summary, split_arxiv_id
from tui_reader.core.placeholders import scrub
from tui_reader.core.text import clean, detect_language

_HEADER = re.compile(r"^###\s*\[(\d+)\]\s*\[")
_HEADER_ANYWHERE = re.compile(r"^###\s*\[\d+\]\s*\[", re.MULTILINE)
_SECTION_HEADING = re.compile(r"^#\s+(\S+)\s+\[\[Back\]\]")
_TOC_LINE = re.compile(r"^-\s*\[([^\]]+)\]\(#[^)]*\)\s*\[Total:\s*(\d+)\]")
_MAIN_CATEGORY = "Main category:"
_CATEGORY_TOKEN = re.compile(r"[A-Za-z][\w\-]*(?:\.[\w\-]+)?")

# Field labels as they start a line, mapped to the Entry/Summary attribute.
_LABELS: tuple[tuple[str, str], ...] = (
    ("TL;DR:", "tldr"),
    ("Motivation:", "motivation"),
    ("Method:", "method"),
    ("Result:", "result"),
    ("Conclusion:", "conclusion"),
    ("Abstract:", "abstract"),
)
_LABEL_FIRST_CHARS = frozenset(label[0] for label, _ in _LABELS)
_SUMMARY_ATTRS = ("tldr", "motivation", "method", "result", "conclusion")


def looks_like_markdown_digest(text: str) -> bool:
    head = text[:20000]
    if "### [" in head or "<div id=toc>" in head or "# Table of Contents" in head:
        return True
    # A long junk first line must not hide the digest after it.
    return _HEADER_ANYWHERE.search(text, 0, 4 * 1024 * 1024) is not None


@lru_cache(maxsize=256)
def _anchor_id(line: str) -> str:
    """The ``id`` of an HTML anchor line such as ``<div id='cs.LG'></div>``."""
    from bs4 import BeautifulSoup  # imported lazily: only files with anchors pay for it

    try:
        soup = BeautifulSoup(line, "html.parser")
        tag = soup.find(attrs={"id": True})
    except Exception:  # noqa: BLE001 - a third-party HTML parser meeting arbitrary text: never fatal
        return ""
    return str(tag.get("id")) if tag is not None else ""


def _label_field(line: str) -> tuple[str, str] | None:
    for label, name in _LABELS:
        if line.startswith(label):
            return name, line[len(label):].strip()
    return None


class _PaperBuilder:
    __slots__ = ("number", "line", "title", "url", "link_closed", "authors", "main", "section", "fields", "closed")

    def __init__(self, number: str, line: int, title: str, url: str, section: str, link_closed: bool = True) -> None:
        self.number = number
        self.line = line
        self.title = title
        self.url = url
        self.link_closed = link_closed  # False when the header line ends inside the link
        self.authors: list[str] | None = None
        self.main = ""
        self.section = section
        self.fields: dict[str, list[str]] = {}
        self.closed = False


def _join(lines: list[str]) -> str:
    # Drop leading/trailing blank lines, keep paragraph breaks, undo the
    # two-space indentation of continuation lines.
    out: list[str] = []
    blank = False
    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(stripped if raw.startswith(" ") else raw.rstrip())
    return "\n".join(out)


class _Digest:
    """What a parse of one digest collects outside the paper being read:
    the papers made, the problems, the table of contents and the counts
    it is checked against, the current section."""

    __slots__ = ("path", "entries", "problems", "toc", "found", "section")

    def __init__(self, path: str) -> None:
        self.path = path
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self.toc: dict[str, tuple[int, int]] = {}  # category -> (count, line)
        self.found: dict[str, int] = {}
        self.section = ""

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def header(self, match: re.Match[str], lines: list[str], index: int, number: int) -> tuple[_PaperBuilder, int]:
        """The paper a ``### [N] [Title](link)`` line starts, and the index
        of the line after its header (a title broken over lines is joined
        until the link closes)."""
        header = lines[number - 1]
        extra = 0
        while "](" not in header[match.end():] and extra < 3 and index < len(lines):
            header += " " + lines[index].strip()
            index += 1
            extra += 1
        title_part = header[match.end():]
        cut = title_part.rfind("](")
        if cut < 0:
            self.problem(number, f"paper [{match[1]}]: no link after the title")
            return _PaperBuilder(match[1], number, title_part.rstrip("]) "), "", self.section), index
        url = title_part[cut + 2:].strip()
        closed = url.endswith(")")
        if closed:
            url = url[:-1]
        return _PaperBuilder(match[1], number, title_part[:cut], url.strip(), self.section, closed), index

    def between(self, line: str, first: str, number: int) -> None:
        """A line between papers: table of contents, section anchors and headings."""
        if first == "-":
            toc_match = _TOC_LINE.match(line)
            if toc_match:
                self.toc[clean(toc_match[1])] = (int(toc_match[2]), number)
        elif first == "<" and line.startswith("<div") and "toc" not in line:
            anchor = _anchor_id(line.strip())
            if anchor:
                self.section = clean(anchor)
        elif first == "#":
            heading = _SECTION_HEADING.match(line)
            if heading and heading[1] != "Table":
                self.section = clean(heading[1])

    def finish(self, paper: _PaperBuilder, truncated: bool = False) -> None:
        """The paper read, made an entry (or a problem)."""
        where = f"paper [{paper.number}]"
        ident = split_arxiv_id(paper.url) if paper.url else None
        if ident is None:
            self.problem(paper.line, f"{where} has no arXiv id in its link; skipped")
            return
        arxiv_id, version = ident
        if truncated and not paper.link_closed:
            # The file ends inside the link: the id itself may be cut short
            # (2601.1880 for 2601.18800), so nothing of this paper is trusted.
            self.problem(paper.line, f"{where} is cut off inside its header; skipped")
            return
        title = " ".join(clean(paper.title).split())  # cleaned first: controls between spaces left " " (fuzzing)
        if not title:
            self.problem(paper.line, f"{where} ({arxiv_id}) has no title; skipped")
            return
        if truncated:
            self.problem(paper.line, f"{where} ({arxiv_id}) is cut off: the file ends before </details>")
        elif len(paper.fields) < len(_LABELS):
            # Every digest the producer writes has all six labels; fewer means
            # a hand-edited or damaged paper.  It still loads with what it has.
            absent = [label.rstrip(":") for label, name in _LABELS if name not in paper.fields]
            self.problem(paper.line, f"{where} ({arxiv_id}) has no {', '.join(absent)}")
        fields = {name: clean(_join(lines)) for name, lines in paper.fields.items()}
        summary_values, failed = scrub([fields.get(name, "") for name in _SUMMARY_ATTRS])
        summary = Summary(*summary_values) if any(summary_values) else None
        language = ""
        if summary is not None:
            language = detect_language((summary.tldr + "\n" + summary.motivation)[:600])
        main = paper.main or paper.section
        categories = [c for c in (main, paper.section) if c]
        if len(categories) == 2 and categories[0] == categories[1]:
            categories.pop()
        if paper.section:
            self.found[paper.section] = self.found.get(paper.section, 0) + 1
        self.entries.append(
            Entry(
                id=arxiv_id,
                version=version,
                title=title,
                authors=paper.authors or [],
                categories=categories,
                abstract=fields.get("abstract", ""),
                abs_url=clean(paper.url) if "/abs/" in paper.url else f"https://arxiv.org/abs/{arxiv_id}",
                pdf_url=f"https://arxiv.org/pdf/{arxiv_id}{version}",
                language=language,
                summary=summary,
                line=paper.line,
                failed="unknown" if failed else "",
            )
        )

    def check_toc(self) -> None:
        """Each category's count in the table of contents against the papers read."""
        for category, (expected, toc_line) in self.toc.items():
            got = self.found.get(category, 0)
            if got != expected:
                self.problem(toc_line, f"table of contents lists {expected} papers in {category}, the file holds {got}")


def parse_markdown(text: str, path: str) -> tuple[list[Entry], list[Problem]]:
    """Parse one Markdown digest; never raises on bad content."""
    digest = _Digest(path)
    current: _PaperBuilder | None = None
    field: list[str] | None = None  # the lines of the field being read
    lines = text.split("\n")
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        number = index + 1
        index += 1
        first = line[:1]

        if first == "#" and line.startswith("###"):
            match = _HEADER.match(line)
            if match:
                if current is not None:
                    digest.finish(current)
                current, index = digest.header(match, lines, index, number)
                field = None
                continue
        if current is None or current.closed:
            digest.between(line, first, number)
            continue

        stripped = line.strip()
        if first == "<" or stripped[:1] == "<":
            if stripped == "</details>":
                current.closed = True
                field = None
                continue
            if stripped in ("<details>", "<summary>Details</summary>") or stripped.startswith("<summary"):
                field = None
                continue
            if stripped.startswith("<div"):
                # A section anchor right after an unclosed paper.
                anchor = _anchor_id(stripped)
                if anchor:
                    digest.finish(current)
                    current = None
                    digest.section = clean(anchor)
                    field = None
                    continue
        if first == "M" and line.startswith(_MAIN_CATEGORY):
            token = _CATEGORY_TOKEN.search(line, len(_MAIN_CATEGORY))
            current.main = clean(token[0]) if token else ""
            field = None
            continue
        if first in _LABEL_FIRST_CHARS:
            label_field = _label_field(line)
            if label_field is not None:
                name, value = label_field
                field = current.fields.setdefault(name, [])
                if field:  # the same label twice: keep both, as paragraphs
                    field.append("")
                field.append(value)
                continue
        if current.authors is None and field is None and stripped.startswith("*") and stripped.endswith("*"):
            names = stripped.strip("*")
            current.authors = [n for n in (" ".join(clean(name).split()) for name in names.split(",")) if n]
            continue
        if first == "#" and _SECTION_HEADING.match(line):
            heading = _SECTION_HEADING.match(line)
            digest.finish(current)
            current = None
            field = None
            digest.section = clean(heading[1])
            continue
        if field is not None:
            field.append(line)

    if current is not None:
        digest.finish(current, truncated=not current.closed)
    digest.check_toc()
    if not digest.entries and not digest.problems:
        digest.problem(1, "no papers found in this Markdown digest")
    return digest.entries, digest.problems
