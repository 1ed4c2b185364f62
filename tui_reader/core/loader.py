"""Loading a library: every digest under the given files and folders, each
file parsed once (cached by path, size and mtime), entries merged per paper.

The jobs live in :mod:`tui_reader.core.library` (discovery, the parse
cache, merging, the texts, the library cache, PaperStore); this module ties
them together in :func:`load_library` and keeps their public names
importable from here.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core import memory
from tui_reader.core.library.cache_file import (
    BLOCK_PAPERS,
    HEAD_PAPERS,
    LIBRARY_FORMAT,
    cached_fingerprint,
    fingerprint_of,
    library_cache_path,
    open_text_store,
    read_library_cache,
    read_library_head,
    texts_to_disk,
    write_head,
    write_library_cache,
)
from tui_reader.core.library.files import discover, stat_all
from tui_reader.core.library.merge import Merger
from tui_reader.core.library.model import Library, LoadCancelled, Progress, SourceFile, newest_first
from tui_reader.core.library.paper_store import PaperStore
from tui_reader.core.library.parse_cache import (
    CACHE_VERSION,
    cached_entry,
    entry_header,
    parse_all,
    parse_file,
    unpack_result,
    write_entry,
)
from tui_reader.core.library.processes import (
    BACKGROUND_NICE,
    background_priority,
    ensure_resource_tracker,
    watch_parent,
)
from tui_reader.core.library.texts import PackedTexts, TextStore, decode_abstract, decode_texts, encode_texts
from tui_reader.core.reader import FileResult
from tui_reader.core.text import date_from_name

__all__ = [
    "BACKGROUND_NICE",
    "BLOCK_PAPERS",
    "CACHE_VERSION",
    "HEAD_BYTES",
    "HEAD_PAPERS",
    "LIBRARY_FORMAT",
    "Library",
    "LoadCancelled",
    "PackedTexts",
    "PaperStore",
    "Progress",
    "SourceFile",
    "TextStore",
    "background_priority",
    "cached_fingerprint",
    "decode_abstract",
    "decode_texts",
    "discover",
    "encode_texts",
    "ensure_resource_tracker",
    "load_library",
    "newest_first",
    "open_text_store",
    "read_library_head",
    "watch_parent",
]

# Read the newest day first (see load_library's ``head``) when the rest of
# the library is at least this big; a small library loads whole at once.
HEAD_BYTES = 12 * 1024 * 1024


def load_library(
    paths: Sequence[str | os.PathLike[str]],
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    parallel: bool = True,
    head: Callable[[Library], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    phase: Callable[[str], None] | None = None,
) -> Library:
    """Read every digest under ``paths``; never raises on bad input.

    Files are merged oldest day first, each as soon as it is read and then
    let go, so only the merged papers stay in memory.  ``head``, when
    given, is called once with a library of the newest day's files alone,
    read before all others, so a caller can show (and index) the newest
    papers while the rest loads; it is not called for a library under
    HEAD_BYTES, nor when the whole library comes from the cache in one
    piece.  ``cancelled`` is asked between files; once it is true the load
    stops (its worker processes too) and raises :class:`LoadCancelled`.
    ``phase`` is told what comes after the last file, where ``progress``
    cannot count ("saving the library for the next start")."""
    with memory.paused():  # the papers live on and hold no cycles: see core.memory
        return _load_library(paths, cache_dir, progress, parallel, head, cancelled, phase)


def _load_library(
    paths: Sequence[str | os.PathLike[str]],
    cache_dir: Path | None,
    progress: Progress | None,
    parallel: bool,
    head: Callable[[Library], None] | None,
    cancelled: Callable[[], bool] | None,
    phase: Callable[[str], None] | None,
) -> Library:
    library = Library(roots=[os.fspath(p) for p in paths])
    files, problems = discover(paths)
    library.problems.extend(problems)

    stats = stat_all(files, library.problems)
    total = len(files)

    # An unchanged library comes back whole from one file: no per-file work.
    fingerprint = fingerprint_of(stats)
    if cache_dir is not None and read_library_cache(cache_dir, library, fingerprint):
        if not library_cache_path(cache_dir, library).with_suffix(".head").is_file():
            write_head(cache_dir, library, fingerprint)
        if progress:
            progress(total, total)
        if phase is not None:  # nothing was read: the status says so, not "reading N/N files"
            phase(f"{total} files unchanged: opening the library")
        return library

    ordered, first, rest = _reading_order(stats, head is not None)
    cached: set[str] = set()
    if cache_dir is not None:
        cached = {p for p in ordered if cached_entry(cache_dir, *stats[p], payload=False)}
    todo = [(p, *stats[p]) for p in first + rest if p not in cached]
    parsed = parse_all(todo, parallel)  # yields in the order of ``todo``
    read = _FileReader(library, cache_dir, stats, cached, parsed, progress, cancelled)
    try:
        packed = _merge_all(library, ordered, first, rest, read, head, cache_dir)
    finally:
        # Now, not when the generator is collected: its pool's shutdown waits
        # for the workers, and a SIGTERM (KeyboardInterrupt) in a finalizer
        # is printed and ignored instead of stopping the command.
        parsed.close()
    if cache_dir is not None and not read.failures:
        if phase is not None:
            phase("saving the library for the next start")
        if write_library_cache(cache_dir, library, fingerprint, len(library.problems) - len(problems), packed):
            texts_to_disk(cache_dir, library, fingerprint)
    return library


def _reading_order(stats: dict[str, tuple[str, int, int]],
                   head: bool) -> tuple[list[str], list[str], list[str]]:
    """(every file in merge order, the newest day's files read first for a
    ``head``, the rest).  Oldest day first (undated last) so a paper's
    first appearance supplies its text."""
    dates = {path: date_from_name(os.path.basename(path)) for path in stats}
    ordered = sorted(stats, key=lambda p: (dates[p] or "9999-99-99", p))
    newest = max((d for d in dates.values() if d), default="")
    wanted = head and sum(size for _, size, _ in stats.values()) >= HEAD_BYTES
    first = [p for p in ordered if newest and dates[p] == newest] if wanted else []
    first_set = set(first)
    return ordered, first, [p for p in ordered if p not in first_set]


@dataclass
class _FileReader:
    """One file's parse result at a time: from the parse cache, or from
    ``parsed`` (which yields the uncached files in the order they are
    asked for); counts progress and stops the load once ``cancelled``."""

    library: Library
    cache_dir: Path | None
    stats: dict[str, tuple[str, int, int]]
    cached: set[str]
    parsed: Generator[tuple[str, bytes], None, None]
    progress: Progress | None
    cancelled: Callable[[], bool] | None
    done: int = 0
    failures: list[str] = field(default_factory=list)  # files that could not be read (never cached)

    def __call__(self, path: str) -> FileResult:
        if self.cancelled is not None and self.cancelled():
            self.parsed.close()  # stops the pool
            raise LoadCancelled
        cache_dir = self.cache_dir
        real, size, mtime_ns = self.stats[path]
        result = None
        if path in self.cached:
            payload = cached_entry(cache_dir, real, size, mtime_ns, payload=True)
            try:
                result = unpack_result(payload, path) if payload else None
            except Exception:  # noqa: BLE001 - a damaged entry that still unmarshals: parse again
                result = None
            if result is not None:
                self.library.cached_files += 1
            else:
                payload = parse_file((path, real, size, mtime_ns))
        else:
            _path, payload = next(self.parsed)
        if result is None:
            result = unpack_result(payload, path)
            if result.failed:
                self.failures.append(path)  # a read error is not the file's content: never cached
            elif cache_dir is not None:
                write_entry(cache_dir, real, marshal.dumps(entry_header(real, size, mtime_ns)), payload)
        self.done += 1
        if self.progress:
            self.progress(self.done, len(self.stats))
        return result


def _merge_all(library: Library, ordered: list[str], first: list[str], rest: list[str], read: _FileReader,
               head: Callable[[Library], None] | None, cache_dir: Path | None) -> PackedTexts | None:
    """Read and merge every file into ``library``; the newest day's files
    (``first``) are read before the others and, merged alone, given to
    ``head``.  Returns where the texts were packed meanwhile."""
    stats = read.stats
    head_results = [read(path) for path in first]
    if head is not None and head_results and rest:
        partial = Library(roots=library.roots)
        merge = Merger(partial)
        for result in head_results:
            merge(result, stats[result.path])
        head(partial)
    packed = PackedTexts(cache_dir / "library") if cache_dir is not None else None
    merge = Merger(library, packed)
    read_first = {result.path: result for result in head_results}
    for path in ordered:
        result = read_first.pop(path, None)
        merge(result if result is not None else read(path), stats[path])
    merge.finish()
    return packed
