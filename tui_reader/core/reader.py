"""Reading one digest file: bytes to entries, by content, never raising."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core.model import Entry, Problem
from tui_reader.core.parse_jsonl import language_from_name, looks_like_jsonl, parse_jsonl
from tui_reader.core.parse_markdown import looks_like_markdown_digest, parse_markdown
from tui_reader.core.text import date_from_name


@dataclass(slots=True)
class FileResult:
    """What one file held."""

    path: str
    kind: str  # "markdown", "jsonl" or "" (not a digest)
    date: str  # from the file name, "" when undated
    language: str  # from the file name (JSONL), "" otherwise
    digest: str  # hash of the bytes, for the index's change detection
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """UTF-8 first; otherwise report where it broke and decode leniently."""
    # The BOM is skipped by hand: with "utf-8-sig" the error offsets would
    # count from after it and name the wrong byte and line.
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[skip:].decode("utf-8"), []
    except UnicodeDecodeError as error:
        offset = error.start + skip
        line = _line_of_offset(data, offset)
        problem = Problem(
            path,
            line,
            f"not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset}); "
            "undecodable bytes shown as \ufffd",
        )
        return data[skip:].decode("utf-8", errors="replace"), [problem]


def looks_binary(data: bytes) -> bool:
    """Mostly control bytes or undecodable bytes at the start.  A stray NUL
    is not enough: it would hide a whole digest for one damaged byte."""
    head = data[:8192]
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls * 10 > len(head):
        return True
    if b"\x00" not in head:
        return False
    undecodable = head.decode("utf-8", "replace").count("\ufffd")
    return (controls + undecodable) * 10 > len(head)


def parse_bytes(data: bytes, path: str) -> FileResult:
    name = Path(path).name
    result = FileResult(
        path=path,
        kind="",
        date=date_from_name(name),
        language=language_from_name(name),
        digest=hashlib.blake2b(data, digest_size=16).hexdigest(),
    )
    if not data.strip():
        result.problems.append(Problem(path, 1, "empty file"))
        return result
    if looks_binary(data):
        result.problems.append(Problem(path, 1, "binary file, not a digest; skipped"))
        return result
    text, problems = decode(data, path)
    result.problems.extend(problems)
    nul = data.find(b"\x00")
    if nul >= 0:
        result.problems.append(Problem(path, _line_of_offset(data, nul), "NUL byte in a text file; ignored"))
    try:
        if looks_like_jsonl(text):
            result.kind = "jsonl"
            entries, problems = parse_jsonl(text, path, result.language)
        elif looks_like_markdown_digest(text):
            result.kind = "markdown"
            entries, problems = parse_markdown(text, path)
        else:
            result.problems.append(Problem(path, 1, "not a digest (neither JSONL records nor a Markdown digest); skipped"))
            return result
    except Exception as error:  # a parser bug must not take the library down
        result.problems.append(Problem(path, 1, f"could not be parsed ({type(error).__name__}: {error})"))
        return result
    result.entries = entries
    result.problems.extend(problems)
    return result


def read_file(path: str) -> FileResult:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return FileResult(path, "", date_from_name(Path(path).name), "", "",
                          problems=[Problem(path, 0, f"cannot read: {error.strerror or error}")])
    return parse_bytes(data, path)
