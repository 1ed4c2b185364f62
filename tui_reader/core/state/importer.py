"""Bookmarks into the store: reading the JSON export, a BibTeX file with
arXiv eprints, or a plain list of arXiv ids and URLs.  Everything read goes
through :func:`~tui_reader.core.text.clean`; nothing here touches the store
(``StateStore.merge_bookmarks`` does the merging)."""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui_reader.core.model import Paper
from tui_reader.core.state.export import EXPORT_FORMAT
from tui_reader.core.state.snapshot import Bookmark, Snapshot, arxiv_id_in, normalize_tags, paper_key
from tui_reader.core.text import clean, one_line


@dataclass(slots=True)
class Skipped:
    line: int  # 1-based line in the file (0 when unknown)
    text: str  # what was skipped, short
    reason: str


@dataclass
class ParsedImport:
    format: str  # "json", "bibtex" or "ids"
    items: list[Bookmark] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # id -> line it came from
    skipped: list[Skipped] = field(default_factory=list)
    error: str = ""  # the file as a whole could not be read

    def add(self, bookmark: Bookmark, line: int, text: str) -> None:
        if bookmark.id in self.lines:
            self.skipped.append(Skipped(line, text, f"{bookmark.id} already listed on line {self.lines[bookmark.id]}"))
            return
        self.lines[bookmark.id] = line
        self.items.append(bookmark)


def parse_import(text: str) -> ParsedImport:
    """Tell the format and read every bookmark in ``text``."""
    text = text.lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _parse_json(text)
    if re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text, re.MULTILINE):
        return _parse_bibtex(text)
    return _parse_ids(text)


def _short(text: str, width: int = 60) -> str:
    text = one_line(clean(text))
    return text if len(text) <= width else text[: width - 1] + "…"


# --- JSON -------------------------------------------------------------------------------------


def _parse_json(text: str) -> ParsedImport:
    result = ParsedImport("json")
    try:
        data = json.loads(text)
    except ValueError as error:
        result.error = f"not valid JSON: {error}"
        return result
    except RecursionError:
        result.error = "JSON nested too deeply to be a bookmarks export; nothing imported"
        return result
    if isinstance(data, dict):
        if data.get("format") not in (None, EXPORT_FORMAT):
            result.error = f"JSON of another kind ({_short(str(data.get('format')))}), not a tui-reader export"
            return result
        records = data.get("bookmarks")
        if not isinstance(records, list):
            result.error = "JSON without a \"bookmarks\" list"
            return result
    elif isinstance(data, list):
        records = data
    else:
        result.error = "JSON that is neither an export nor a list"
        return result
    for number, record in enumerate(records, start=1):
        where = f"bookmark {number}"
        if isinstance(record, str):
            found = arxiv_id_in(record)
            if found is None:
                result.skipped.append(Skipped(0, f"{where}: {_short(record)}", "no arXiv id"))
                continue
            result.add(Bookmark(found, "", [], "", Snapshot.minimal(found)), number, record)
            continue
        if not isinstance(record, dict):
            result.skipped.append(Skipped(0, where, "neither an id nor a bookmark object"))
            continue
        snapshot_data = record.get("snapshot") if isinstance(record.get("snapshot"), dict) else record
        raw_id = record.get("id") or snapshot_data.get("id")
        found = arxiv_id_in(raw_id) if isinstance(raw_id, str) else None
        if found is None:
            result.skipped.append(Skipped(0, f"{where}: {_short(str(raw_id or ''))}", "no arXiv id"))
            continue
        snapshot = Snapshot.from_dict(snapshot_data, found)
        if snapshot.is_minimal and not snapshot.abs_url:
            snapshot = Snapshot.minimal(found)
        added_at = record.get("added_at")
        note = record.get("note")
        result.add(
            Bookmark(
                found,
                valid_timestamp(added_at),
                normalize_tags(record.get("tags")),
                clean(note) if isinstance(note, str) else "",
                snapshot,
            ),
            number,
            found,
        )
    return result


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$")
FIRST_YEAR = 1991  # arXiv's first year: no bookmark is older


def valid_timestamp(value: object) -> str:
    """``value`` as our ``YYYY-MM-DDTHH:MM:SSZ`` (UTC) when it is a real
    moment between arXiv's start and tomorrow; else ``""`` (the import
    then stamps the bookmark with the time of the import)."""
    if not isinstance(value, str) or not _ISO.match(value.strip()):
        return ""
    text = value.strip().replace(" ", "T")
    try:
        moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    moment = moment.astimezone(_dt.UTC)
    now = _dt.datetime.now(_dt.UTC)
    if moment.year < FIRST_YEAR or moment > now + _dt.timedelta(days=1):
        return ""
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")

# --- BibTeX ---------------------------------------------------------------------------------


@dataclass(slots=True)
class BibEntry:
    kind: str
    key: str
    fields: dict[str, str]
    line: int


def parse_bibtex(text: str) -> tuple[list[BibEntry], list[Skipped]]:
    """A tolerant BibTeX reader: ``@type{key, name = {..} or ".." or word,
    ...}``; ``@string``, ``@comment`` and ``@preamble`` are passed over."""
    entries: list[BibEntry] = []
    problems: list[Skipped] = []
    pos = 0
    n = len(text)
    while True:
        at = text.find("@", pos)
        if at < 0:
            break
        line = text.count("\n", 0, at) + 1
        match = re.compile(r"@\s*([A-Za-z]+)\s*([{(])").match(text, at)
        if not match:
            pos = at + 1
            continue
        kind = match[1].lower()
        close = "}" if match[2] == "{" else ")"
        pos = match.end()
        if kind in ("comment", "preamble", "string"):
            end = _skip_group(text, pos - 1)
            pos = end if end > 0 else n
            continue
        key_match = re.compile(r"\s*([^,\s{}()]*)\s*,").match(text, pos)
        if not key_match:
            problems.append(Skipped(line, f"@{kind}", "entry without a key"))
            continue
        key = key_match[1]
        pos = key_match.end()
        fields: dict[str, str] = {}
        broken = False
        while pos < n:
            m = re.compile(r"\s*(?:,\s*)*").match(text, pos)
            pos = m.end()
            if pos >= n or text[pos] == close:
                pos += 1
                break
            name_match = re.compile(r"([A-Za-z][\w\-:.]*)\s*=\s*").match(text, pos)
            if not name_match:
                broken = True
                break
            name = name_match[1].lower()
            pos = name_match.end()
            value, pos = _read_value(text, pos)
            if value is None:
                broken = True
                break
            fields[name] = value
        if broken:
            problems.append(Skipped(line, f"@{kind}{{{_short(key, 30)}", "unreadable BibTeX entry"))
            pos = max(pos, match.end())
            continue
        entries.append(BibEntry(kind, key, fields, line))
    return entries, problems


def _skip_group(text: str, start: int) -> int:
    """Index just past the group opening at ``start``, or -1."""
    opener = text[start]
    closer = "}" if opener == "{" else ")"
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def _read_value(text: str, pos: int) -> tuple[str | None, int]:
    parts: list[str] = []
    n = len(text)
    while pos < n:
        c = text[pos]
        if c == "{":
            end = _skip_group(text, pos)
            if end < 0:
                return None, n
            parts.append(text[pos + 1:end - 1])
            pos = end
        elif c == '"':
            depth = 0
            i = pos + 1
            while i < n and not (text[i] == '"' and depth == 0):
                depth += text[i] == "{"
                depth -= text[i] == "}"
                i += 1
            if i >= n:
                return None, n
            parts.append(text[pos + 1:i])
            pos = i + 1
        else:
            m = re.compile(r"[\w\-.:/]+").match(text, pos)
            if not m:
                return None, pos
            parts.append(m[0])
            pos = m.end()
        m = re.compile(r"\s*#\s*").match(text, pos)
        if not m:
            break
        pos = m.end()
    return "".join(parts), pos


_UNESCAPES = {
    "\\textbraceleft{}": "{",
    "\\textbraceright{}": "}",
    "\\textbackslash{}": "\\",
    "\\backslash{}": "\\",
    "\\^{}": "^",
    "^{}^": "^^",
    "\\&": "&",
    "\\%": "%",
    "\\#": "#",
    "\\_": "_",
}
_UNESCAPE = re.compile("|".join(re.escape(k) for k in sorted(_UNESCAPES, key=len, reverse=True)))
_COMMAND = re.compile(r"\\(?:[A-Za-z]+\s*|.)")


def drop_case_braces(value: str) -> str:
    """The braces BibTeX writers put around words to keep their case
    (``{BERT}``, ``{{LLM}s}``, ``{Bidirectional}``) left out; a command's
    argument (``\\emph{x}``, ``\\"{o}``), an escaped brace and math
    (``$\\mathcal{L}$``) keep theirs."""
    out: list[str] = []
    kept: list[bool] = []  # per open brace: whether it is written
    math, i = False, 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            command = _COMMAND.match(value, i)
            end = command.end() if command else i + 1
            out.append(value[i:end])
            i = end
            continue
        if c == "$":
            math = not math
        elif c == "{":
            keep = math or (bool(out) and out[-1].startswith("\\") and out[-1] not in ("\\{", "\\}"))
            kept.append(keep)
            if not keep:
                i += 1
                continue
        elif c == "}" and kept:
            if not kept.pop():
                i += 1
                continue
        out.append(c)
        i += 1
    return "".join(out)


def bibtex_unescape(value: str) -> str:
    """Undo what :func:`~tui_reader.core.state.export.bibtex_escape` and
    :func:`~tui_reader.core.state.export.protect_case` do (and a protective
    outer pair of braces); other LaTeX stays."""
    value = one_line(clean(value))
    if value.startswith("{") and value.endswith("}") and _skip_group(value, 0) == len(value):
        value = value[1:-1]
    value = drop_case_braces(value)
    value = _UNESCAPE.sub(lambda m: _UNESCAPES[m[0]], value)
    dollars = [m.start() for m in re.finditer(r"(?<!\\)\$", value)]
    if not dollars:
        value = value.replace("\\$", "$")
    return value


def _split_authors(value: str) -> list[str]:
    """Names joined by ``and`` at brace depth 0 (``{Research and
    Development Team}`` is one name)."""
    names, depth, start, i = [], 0, 0, 0
    text = one_line(value)
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c == " " and text[i:i + 5].lower() == " and ":
            names.append(text[start:i])
            i += 5
            start = i
            continue
        i += 1
    names.append(text[start:])
    return [n for n in (bibtex_unescape(n.strip()) for n in names) if n.strip()]


def _parse_bibtex(text: str) -> ParsedImport:
    result = ParsedImport("bibtex")
    entries, problems = parse_bibtex(text)
    result.skipped.extend(problems)
    for entry in entries:
        f = entry.fields
        found = None
        for name in ("eprint", "arxivid", "arxiv", "url", "doi", "journal", "note", "howpublished"):
            if name in f:
                candidate = f[name]
                if name == "doi":
                    candidate = re.sub(r"(?i)^.*arxiv\.", "", candidate) if "arxiv" in candidate.lower() else ""
                elif name in ("url", "journal", "note", "howpublished") and "arxiv" not in candidate.lower():
                    continue
                found = arxiv_id_in(candidate)
                if found:
                    break
        label = f"@{entry.kind}{{{_short(entry.key, 40)}"
        if found is None:
            result.skipped.append(Skipped(entry.line, label, "no arXiv eprint, URL or DOI"))
            continue
        authors = _split_authors(f.get("author", ""))
        snapshot = Snapshot.minimal(found)
        title = bibtex_unescape(f.get("title", ""))
        snapshot.title = "" if paper_key(title) == found else title  # export's stand-in for no title
        snapshot.authors = authors
        primary = one_line(clean(f.get("primaryclass", "")))
        snapshot.categories = [primary] if primary else []
        result.add(Bookmark(found, "", [], "", snapshot), entry.line, label)
    return result


# --- plain ids -------------------------------------------------------------------------------


def _parse_ids(text: str) -> ParsedImport:
    result = ParsedImport("ids")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", "//")):
            continue
        found_any = False
        for token in re.split(r"[\s,;]+", line):
            found = arxiv_id_in(token) if token else None
            if found:
                found_any = True
                result.add(Bookmark(found, "", [], "", Snapshot.minimal(found)), number, token)
        if not found_any:
            result.skipped.append(Skipped(number, _short(line), "no arXiv id"))
    return result


# --- snapshots from the library ----------------------------------------------------------------


def fill_from_library(items: list[Bookmark], papers: Mapping[str, Paper]) -> list[str]:
    """Give each item the snapshot of its paper in the loaded library (the
    richest one), keeping any TL;DR and dates the file had.  Returns the ids
    left with only an id and links (neither in the library nor described by
    the file)."""
    minimal = []
    for item in items:
        paper = papers.get(paper_key(item.id))
        old = item.snapshot or Snapshot.minimal(item.id)
        if paper is not None:
            new = Snapshot.from_paper(paper)
            new.dates = sorted(set(old.dates) | set(new.dates))
            new.tldr = {**old.tldr, **new.tldr}
            item.snapshot = new
        elif old.is_minimal:
            minimal.append(item.id)
    return minimal
