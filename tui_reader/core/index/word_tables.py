"""The word tables of a library kept beside its index: what a word being
typed needs (the 1-2 letter typing table of ``Searching._typing_table``)
and the surface words of its titles and authors (``Vocabulary``), built
from every paper in seconds (4-5 s at 75,000 papers, on a first query
after a warm start) and read back in a fraction of that.

Kept for exactly the files the index's manifest holds: any other set of
files (a new day, a changed file) makes them again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
from array import array
from pathlib import Path

from tui_reader.core.fsutil import write_atomic

TABLES = "words.bin"
FORMAT = 1


def key_of(files: dict, papers: int) -> str:
    """The manifest's files (path -> record) and the number of papers."""
    text = json.dumps(files, sort_keys=True, default=str) + f"\n{papers}\n{FORMAT}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def load(directory: Path, key: str) -> tuple[list[str], dict[str, array], dict[str, int]] | None:
    """(paper ids, prefix -> numbers into them, word -> count), or None
    when there are none for ``key`` (or they cannot be read)."""
    try:
        stored_key, pids, packed, counts = marshal.loads((directory / TABLES).read_bytes())
        if stored_key != key or not isinstance(counts, dict):
            return None
        lists: dict[str, array] = {}
        for prefix, raw in packed.items():
            numbers = lists[prefix] = array("I")
            numbers.frombytes(raw)
        if any(max(numbers, default=0) >= len(pids) for numbers in lists.values()):
            return None
        return list(pids), lists, counts
    except Exception:  # noqa: BLE001 - missing, damaged, an older format: made again
        return None


def save(directory: Path, key: str, pids: list[str], lists: dict[str, array], counts: dict[str, int]) -> None:
    """Keep the tables for ``key``; an index that cannot be written keeps none."""
    blob = marshal.dumps((key, pids, {prefix: numbers.tobytes() for prefix, numbers in lists.items()}, counts))
    with contextlib.suppress(OSError, ValueError):
        write_atomic(directory / TABLES, blob)
