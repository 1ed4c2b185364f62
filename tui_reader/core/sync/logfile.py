"""The change log on the remote: one folder per device under ``devices/``,
holding immutable segments ``FIRST-LAST.jsonl`` (this device's entries
``FIRST`` … ``LAST``), one JSON object a line::

    {"v": 1, "device": "3f9c…", "seq": 12, "at": 1796606800086,
     "key": ["tag", "2601.18800", "ml"], "value": {}}

``value`` is null for a delete.  A device only ever writes its own folder,
and a segment is written once (atomically) and never changed, so git
merges and folder syncers (Syncthing, Dropbox) never see a conflict.

Reading is defensive: a line that is too long, not JSON, of a future
format or not a valid entry is skipped with a ``file:line: why`` notice;
only whole, valid entries are ever applied."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tui_reader.core.fsutil import write_atomic
from tui_reader.core.state.changelog import BY_KIND, LOG_VERSION, SEP, carried, gone_kind

DEVICES = "devices"
MAX_LINE = 4 * 1024 * 1024  # a bookmark's snapshot is a few kB; a 4 MB line is not ours
MAX_SEGMENT = 256 * 1024 * 1024
MAX_PART = 2000
_SEGMENT = re.compile(r"(\d{1,15})-(\d{1,15})\.jsonl")
_DEVICE = re.compile(r"[0-9a-f]{4,64}")
_KINDS = {**{k: s for k, s in BY_KIND.items()}, **{gone_kind(k): s for k, s in BY_KIND.items()}}


@dataclass(frozen=True, slots=True)
class Entry:
    device: str
    seq: int
    at: int
    kind: str
    parts: tuple[str, ...]
    value: dict | None

    @property
    def key(self) -> str:
        return SEP.join((self.kind, *self.parts))

    @property
    def stamp(self) -> tuple[int, str, int]:
        return (self.at, self.device, self.seq)

    def to_line(self) -> str:
        return json.dumps({"v": LOG_VERSION, "device": self.device, "seq": self.seq, "at": self.at,
                           "key": [self.kind, *self.parts], "value": self.value},
                          ensure_ascii=False, separators=(",", ":")) + "\n"


@dataclass(frozen=True, slots=True)
class Segment:
    device: str
    first: int
    last: int
    path: Path

    @property
    def name(self) -> str:
        return f"{self.device}/{self.first}-{self.last}"


def segment_path(root: Path, device: str, first: int, last: int) -> Path:
    return root / DEVICES / device / f"{first:012d}-{last:012d}.jsonl"


def write_segment(root: Path, entries: list[Entry]) -> Path:
    """This device's entries as a new segment (atomically)."""
    path = segment_path(root, entries[0].device, entries[0].seq, entries[-1].seq)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, "".join(e.to_line() for e in entries))
    return path


def segments(root: Path) -> tuple[list[Segment], list[str]]:
    """Every segment under ``root/devices`` and what was passed over (a
    symbolic link, a name that is not ours)."""
    found: list[Segment] = []
    notes: list[str] = []
    base = root / DEVICES
    try:
        devices = sorted(os.scandir(base), key=lambda d: d.name)
    except OSError:
        return [], []
    for device in devices:
        if not _DEVICE.fullmatch(device.name) or not device.is_dir(follow_symlinks=False):
            notes.append(f"{base / device.name!s}: not a device's folder, skipped")
            continue
        try:
            files = sorted(os.scandir(device.path), key=lambda f: f.name)
        except OSError as error:
            notes.append(f"{device.path}: cannot be read ({error.strerror}), skipped")
            continue
        for item in files:
            match = _SEGMENT.fullmatch(item.name)
            if item.name.startswith("."):
                continue
            if match is None or not item.is_file(follow_symlinks=False):
                notes.append(f"{item.path}: not a segment of the change log, skipped")
                continue
            first, last = int(match[1]), int(match[2])
            if first < 1 or last < first:
                notes.append(f"{item.path}: not a segment of the change log, skipped")
                continue
            found.append(Segment(device.name, first, last, Path(item.path)))
    return found, notes


def read_segment(segment: Segment) -> tuple[list[Entry], list[str], bool]:
    """The valid entries of a segment, a notice per skipped line, and
    whether a line came from a newer format (then the segment is read
    again after an upgrade)."""
    entries: list[Entry] = []
    notes: list[str] = []
    newer = False
    try:
        if segment.path.stat().st_size > MAX_SEGMENT:
            return [], [f"{segment.path}: larger than {MAX_SEGMENT >> 20} MB, skipped"], False
        handle = open(segment.path, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        return [], [f"{segment.path}: cannot be read ({error.strerror})"], False
    with handle:
        for number, raw in _lines(handle):
            if raw is None:
                notes.append(f"{segment.path}:{number}: a line over {MAX_LINE >> 20} MB, skipped")
                continue
            if not raw.strip():
                continue
            entry, problem = parse_line(raw, segment.device)
            if entry is None:
                newer = newer or problem.startswith("format")
                notes.append(f"{segment.path}:{number}: {problem}, skipped")
            else:
                entries.append(entry)
    return entries, notes, newer


def _lines(handle) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a file, None for a line over MAX_LINE (its
    rest read in pieces, never held whole)."""
    number = 0
    for raw in iter(lambda: handle.readline(MAX_LINE + 1), b""):
        number += 1
        if len(raw) <= MAX_LINE or raw.endswith(b"\n"):
            yield number, raw
            continue
        while raw and not raw.endswith(b"\n"):
            raw = handle.readline(MAX_LINE)
        yield number, None


def parse_line(raw: bytes, device: str) -> tuple[Entry | None, str]:
    """One line as an Entry, or None and why not."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, "not a JSON line"
    if not isinstance(data, dict):
        return None, "not a JSON object"
    version = data.get("v")
    if not isinstance(version, int) or isinstance(version, bool):
        return None, "no format version"
    if version > LOG_VERSION:
        return None, f"format {version} of a newer tui-reader (this one reads {LOG_VERSION}): update to apply it"
    seq, at, key, value = data.get("seq"), data.get("at"), data.get("key"), data.get("value", "missing")
    if data.get("device") != device:
        return None, "an entry of another device"
    if not _whole(seq, 1) or not _whole(at, 0, 1 << 53):
        return None, "no valid seq or time"
    if not isinstance(key, list) or not key or not all(isinstance(p, str) for p in key):
        return None, "no valid key"
    kind, parts = key[0], tuple(key[1:])
    spec = _KINDS.get(kind)
    if spec is None:
        return None, f"unknown kind {kind[:40]!r}"
    if len(parts) != len(spec.key) or not all(_clean_part(p) for p in parts):
        return None, "a key of the wrong shape"
    problem = _check_value(value, spec, kind)
    if problem:
        return None, problem
    return Entry(device, seq, at, kind, parts, value), ""


def _whole(value: object, low: int, high: int = 1 << 62) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value < high


def _clean_part(text: str) -> bool:
    return len(text) <= MAX_PART and not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text)


def _check_value(value: object, spec, kind: str) -> str:
    if value is None:
        return "" if kind in BY_KIND else "a delete of a delete"
    if not isinstance(value, dict):
        return "a value that is not an object"
    if kind not in BY_KIND:
        return "" if not value else "a value of the wrong shape"
    allowed = set(carried(spec))
    if not set(value) <= allowed or not all(isinstance(v, str) for v in value.values()):
        return "a value of the wrong shape"
    return ""
