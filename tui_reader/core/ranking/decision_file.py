"""The decisions file of ``tui-reader decisions import|export``: one
decision a line, ``ARXIV_ID<TAB>KIND[<TAB>TAG]``, or the same columns as
CSV (a header line ``id,kind,tag`` optional).  KIND is keep, skip, later or
mute (read and tag too, as an export writes them).  Blank lines and lines
starting with ``#`` are skipped; a bad line is reported with its number and
the others are read.  No I/O here."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from tui_reader.core.state.decisions import DECISION_KINDS, TAG
from tui_reader.core.state.snapshot import arxiv_id_in, normalize_tag
from tui_reader.core.text import clean, one_line

_HEADER_IDS = {"id", "arxiv_id", "arxiv id", "paper", "paper_id"}


@dataclass(frozen=True, slots=True)
class ParsedDecision:
    line: int
    id: str
    kind: str
    tag: str  # "" when none


@dataclass(frozen=True, slots=True)
class BadLine:
    line: int
    message: str


def parse_decisions(text: str) -> tuple[list[ParsedDecision], list[BadLine]]:
    """The decisions of a file's text, and the lines that are not one."""
    found: list[ParsedDecision] = []
    bad: list[BadLine] = []
    seen_content = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        fields = _fields(line)
        first = not seen_content
        seen_content = True
        if first and fields and fields[0].strip().casefold() in _HEADER_IDS:
            continue
        parsed = _decision(number, fields)
        if isinstance(parsed, BadLine):
            bad.append(parsed)
        else:
            found.append(parsed)
    return found, bad


def _fields(line: str) -> list[str]:
    if "\t" in line:
        return [f.strip() for f in line.split("\t")]
    try:
        return [f.strip() for f in next(csv.reader([line]))]
    except (csv.Error, StopIteration):
        return [line]


def _decision(number: int, fields: list[str]) -> ParsedDecision | BadLine:
    shown = one_line(clean(fields[0]))[:80] if fields else ""
    if len(fields) < 2:
        return BadLine(number, f"expected ID<TAB>KIND[<TAB>TAG], got {shown!r}")
    if len(fields) > 3 and any(fields[3:]):
        return BadLine(number, f"too many columns ({len(fields)}): expected ID, KIND and an optional TAG")
    paper_id = arxiv_id_in(fields[0])
    if paper_id is None:
        return BadLine(number, f"{shown!r} is not an arXiv id")
    kind = fields[1].strip().casefold()
    if kind not in DECISION_KINDS:
        return BadLine(number, f"{one_line(clean(fields[1]))[:40]!r} is not a decision "
                               "(keep, skip, later or mute)")
    tag = normalize_tag(fields[2]) if len(fields) > 2 and fields[2] else ""
    if len(fields) > 2 and fields[2] and not tag:
        return BadLine(number, f"{one_line(clean(fields[2]))[:40]!r} is not a tag")
    if kind == TAG and not tag:
        return BadLine(number, "a tag decision needs a TAG column")
    return ParsedDecision(number, paper_id, kind, tag)


def format_decisions(rows: Iterable) -> str:
    """The export: one ``ID<TAB>KIND[<TAB>TAG]`` line per decision (rows
    with ``id``, ``kind``, ``tag``), oldest first."""
    lines = []
    for row in rows:
        lines.append(f"{row.id}\t{row.kind}\t{row.tag}" if row.tag else f"{row.id}\t{row.kind}")
    return "".join(line + "\n" for line in lines)
