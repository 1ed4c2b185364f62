"""Reading one digest file: bytes to entries, by content, never raising.

Files in a library are untrusted, and some are not what they seem:

* only regular files are read (a FIFO would block the reader for ever, a
  device never ends): anything else is a problem naming what it is;
* a file far beyond any digest (:data:`MAX_FILE_BYTES`) is skipped with
  its size named, before a byte of it is read; the rest is read line by
  line, and a line far beyond any paper (:data:`MAX_LINE_BYTES`) is
  skipped without being held in memory;
* whether a file is binary is decided from its first bytes alone;
* UTF-16 (with or without a byte order mark) and CR-only line ends are
  read as what they are;
* every field is capped at parse time (:func:`cap_entry`), so a 50 MB
  title costs neither memory nor time later.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core.model import Entry, Problem
from tui_reader.core.parse_jsonl import language_from_name, looks_like_jsonl, parse_jsonl
from tui_reader.core.parse_markdown import looks_like_markdown_digest, parse_markdown
from tui_reader.core.text import cut, date_from_name, impossible_date_in_name, more

# A day's digest is a few MB (the largest upstream day: under 10 MB); these
# are far beyond any real file or paper, and far below what hurts.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_LINE_BYTES = 4 * 1024 * 1024
HEAD_BYTES = 64 * 1024  # what is read to decide binary, UTF-16, line ends

# Parse-time caps, in characters (names for the authors list).
TITLE_LIMIT = 20_000
FIELD_LIMIT = 200_000
AUTHORS_LIMIT = 10_000
NAME_LIMIT = 1_000
CATEGORIES_LIMIT = 100


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
    failed: bool = False  # the read itself failed (permissions, I/O, memory): never cache this


def human_size(size: int) -> str:
    """``64.0 GB``, ``3.2 MB``, ``512 bytes``."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB", "PB"):
        value /= 1024
        if value < 1024 or unit == "PB":
            return f"{value:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover


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


def utf16_codec(head: bytes) -> str:
    """``"utf-16"`` (a BOM), ``"utf-16-le"``/``"utf-16-be"`` (mostly ASCII
    text with a NUL beside every character), else ``""``."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE):
        return "utf-16"
    sample = head[:4096]
    if len(sample) < 8:
        return ""
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) * 10 >= len(odd) * 9 and even.count(0) * 10 < len(even):
        return "utf-16-le"
    if even.count(0) * 10 >= len(even) * 9 and odd.count(0) * 10 < len(odd):
        return "utf-16-be"
    return ""


def looks_binary(data: bytes) -> bool:
    """Mostly control bytes or undecodable bytes at the start.  A stray NUL
    is not enough, nor NUL padding after valid records: either would hide
    a whole digest for what is not part of it."""
    # NUL padding (a file extended with zeros by a crash or a full disk) is
    # not what the file holds: judge the bytes around it.
    head = data[:8192].replace(b"\x00", b"")
    if not head:
        return bool(data)
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls * 10 > len(head):
        return True
    if b"\x00" not in head:
        return False
    undecodable = head.decode("utf-8", "replace").count("\ufffd")
    return (controls + undecodable) * 10 > len(head)


class _Reading:
    """The text of one file, read line by line with every check on the way."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.hasher = hashlib.blake2b(digest_size=16)
        self.problems: list[Problem] = []
        self.lines: list[str] = []
        self.bad_utf8 = False
        self.nul_line = 0
        self.offset = 0

    def feed(self, handle: io.BufferedIOBase) -> None:
        number = 0
        while True:
            line = handle.readline(MAX_LINE_BYTES + 1)
            if not line:
                break
            number += 1
            self.hasher.update(line)
            start = self.offset
            self.offset += len(line)
            if len(line) > MAX_LINE_BYTES:
                size = len(line)
                while not line.endswith(b"\n"):
                    line = handle.readline(1024 * 1024)
                    if not line:
                        break
                    self.hasher.update(line)
                    size += len(line)
                self.offset = start + size
                self.problems.append(Problem(
                    self.path, number,
                    f"line of {human_size(size)}, far beyond any paper (limit {human_size(MAX_LINE_BYTES)}); skipped"))
                self.lines.append("")
                continue
            self.lines.append(self._decode(line, number, start))

    def _decode(self, line: bytes, number: int, start: int) -> str:
        skip = 3 if number == 1 and line.startswith(codecs.BOM_UTF8) else 0
        if b"\x00" in line:  # damage or padding, never text: left out, so the line may still parse
            self.nul_line = self.nul_line or number
            line = line.replace(b"\x00", b"")
        try:
            text = line[skip:].decode("utf-8")
        except UnicodeDecodeError as error:
            text = line[skip:].decode("utf-8", errors="replace")
            if not self.bad_utf8:
                self.bad_utf8 = True
                offset = start + skip + error.start
                self.problems.append(Problem(
                    self.path, number,
                    f"not valid UTF-8 (byte 0x{line[skip + error.start]:02x} at offset {offset}); "
                    "undecodable bytes shown as \ufffd"))
        return text.rstrip("\r\n")

    def take(self, data: bytes) -> bool:
        """The whole file at once, when a line-by-line look would find
        nothing to say (no NUL, no CR, valid UTF-8, no line past the limit):
        the same text as :meth:`feed` gives, without a call per line."""
        if len(data) > MAX_LINE_BYTES or b"\x00" in data or b"\r" in data:
            return False
        skip = 3 if data.startswith(codecs.BOM_UTF8) else 0
        try:
            text = data[skip:].decode("utf-8")
        except UnicodeDecodeError:
            return False
        self.hasher.update(data)
        self.lines = [text[:-1] if text.endswith("\n") else text]
        return True

    def text(self) -> str:
        return "\n".join(self.lines)


def kind_of_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _result(path: str, digest: str = "") -> FileResult:
    name = Path(path).name
    result = FileResult(path=path, kind="", date=date_from_name(name), language=language_from_name(name), digest=digest)
    bad = impossible_date_in_name(name)
    if bad and not result.date:
        result.problems.append(Problem(path, 0, f"the date {bad} in the file name is not a real date; "
                                                "its papers are undated"))
    return result


def read_file(path: str) -> FileResult:
    """Read and parse one file; never raises, never blocks on a special
    file, never holds more than the file's text (lines past the limit
    skipped)."""
    try:
        # O_NONBLOCK: a FIFO swapped in after any check must not block the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        return _failed(path, f"cannot read: {_reason(error)}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            result = _result(path)
            result.problems.insert(0, Problem(path, 0, f"{kind_of_file(info.st_mode)}, not a digest; skipped"))
            return result
        if info.st_size > MAX_FILE_BYTES:
            result = _result(path)
            result.problems.insert(0, Problem(
                path, 0, f"file of {human_size(info.st_size)}, far beyond any digest "
                         f"(limit {human_size(MAX_FILE_BYTES)}); skipped"))
            return result
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return _read_open(handle, path)
    except OSError as error:
        return _failed(path, f"cannot read: {_reason(error)}")
    except MemoryError:
        return _failed(path, "too big to read in the memory available; skipped")
    finally:
        if fd >= 0:
            os.close(fd)


def _failed(path: str, message: str) -> FileResult:
    result = _result(path)
    result.problems.insert(0, Problem(path, 0, message))
    result.failed = True
    return result


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _read_open(handle: io.BufferedIOBase, path: str) -> FileResult:
    head = handle.read(HEAD_BYTES)
    codec = utf16_codec(head)
    if codec:
        data = head + handle.read(MAX_FILE_BYTES + 1 - len(head))
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = data.decode(codec, errors="replace")
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        result = _result(path, digest)
        result.problems.append(Problem(path, 1, f"{codec.upper()} text, not UTF-8; read all the same"))
        return _parse_text(result, text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    if looks_binary(head):
        rest = hashlib.blake2b(head, digest_size=16)
        result = _result(path, rest.hexdigest())
        result.problems.append(Problem(path, 1, "binary file, not a digest; skipped"))
        return result
    reading = _Reading(path)
    if b"\r" in head and b"\n" not in head:
        # Old Mac line ends: only CR.  Read as lines all the same.
        data = head + handle.read(MAX_FILE_BYTES + 1 - len(head))
        reading.feed(io.BytesIO(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")))
        reading.hasher = hashlib.blake2b(data, digest_size=16)
    else:
        whole = head + handle.read(MAX_LINE_BYTES + 1 - len(head)) if len(head) == HEAD_BYTES else head
        taken = reading.take(whole)
        whole = head = b""  # not held while a file too big to take is read line by line
        if not taken:
            handle.seek(0)
            reading.feed(handle)
    result = _result(path, reading.hasher.hexdigest())
    result.problems.extend(reading.problems)
    if reading.nul_line:
        result.problems.append(Problem(path, reading.nul_line, "NUL byte in a text file; ignored"))
    text = reading.text()
    if not text.strip():
        if not reading.problems:
            result.problems.append(Problem(path, 1, "empty file"))
        return result
    return _parse_text(result, text)


def parse_bytes(data: bytes, path: str) -> FileResult:
    """Parse a file's bytes (the same checks as :func:`read_file`, bar the
    file-system ones)."""
    if len(data) > MAX_FILE_BYTES:
        result = _result(path)
        result.problems.append(Problem(path, 0, f"file of {human_size(len(data))}, far beyond any digest "
                                                f"(limit {human_size(MAX_FILE_BYTES)}); skipped"))
        return result
    return _read_open(io.BufferedReader(io.BytesIO(data)), path)  # type: ignore[arg-type]


def _parse_text(result: FileResult, text: str) -> FileResult:
    path = result.path
    try:
        if looks_like_jsonl(text):
            result.kind = "jsonl"
            entries, problems = parse_jsonl(text, path, result.language)
        elif looks_like_markdown_digest(text):
            result.kind = "markdown"
            entries, problems = parse_markdown(text, path)
        else:
            result.problems.append(
                Problem(path, 1, "not a digest (neither JSONL records nor a Markdown digest); skipped"))
            return result
    except Exception as error:  # noqa: BLE001 - a parser bug must not take the library down
        result.problems.append(Problem(path, 1, f"could not be parsed ({type(error).__name__}: {error})"))
        return result
    result.problems.extend(problems)
    for entry in entries:
        cap_entry(entry, result.problems, path)
    result.entries = entries
    return result


def cap_entry(entry: Entry, problems: list[Problem], path: str) -> None:
    """Cut every field of ``entry`` at its parse-time cap (a marker says how
    much was cut) and say so once per entry."""
    cut_fields = []
    if len(entry.title) > TITLE_LIMIT:
        entry.title = cut(entry.title, TITLE_LIMIT)
        cut_fields.append("title")
    for name in ("abstract", "comment"):
        value = getattr(entry, name)
        if len(value) > FIELD_LIMIT:
            setattr(entry, name, cut(value, FIELD_LIMIT))
            cut_fields.append(name)
    for name in ("abs_url", "pdf_url", "code_url"):
        if len(getattr(entry, name)) > 4096:
            setattr(entry, name, "")  # not a link anyone can use
            cut_fields.append(name)
    if len(entry.authors) > AUTHORS_LIMIT:
        extra = len(entry.authors) - AUTHORS_LIMIT
        entry.authors = entry.authors[:AUTHORS_LIMIT] + [more(extra, "authors")]
        cut_fields.append("authors")
    if any(len(name) > NAME_LIMIT for name in entry.authors):
        entry.authors = [cut(name, NAME_LIMIT) for name in entry.authors]
        cut_fields.append("author names")
    if len(entry.categories) > CATEGORIES_LIMIT:
        entry.categories = entry.categories[:CATEGORIES_LIMIT]
        cut_fields.append("categories")
    summary = entry.summary
    if summary is not None:
        for name in ("tldr", "motivation", "method", "result", "conclusion"):
            value = getattr(summary, name)
            if len(value) > FIELD_LIMIT:
                setattr(summary, name, cut(value, FIELD_LIMIT))
                cut_fields.append(name)
    if cut_fields:
        problems.append(Problem(path, entry.line, f"{entry.id}: {', '.join(cut_fields)} cut to a readable size"))

