"""The parse cache: each digest file's parse result on disk, keyed by its
real path, size and mtime; and parsing the uncached ones, in worker
processes when there is much to parse."""

from __future__ import annotations

import hashlib
import marshal
import os
import zlib
from collections.abc import Callable, Generator
from pathlib import Path

from tui_reader.core.fsutil import write_atomic
from tui_reader.core.library.processes import background_priority, ensure_resource_tracker
from tui_reader.core.model import Entry, Problem
from tui_reader.core.reader import FileResult, read_file

CACHE_VERSION = 9  # bump whenever the parsers' output changes (9: format characters stripped, NUL padding kept out)
# Parse in worker processes when at least this much is uncached.
PARALLEL_BYTES = 12 * 1024 * 1024

# One file per digest: a small marshalled header (version, path, size, mtime)
# followed by the marshalled parse result, so that which files need parsing
# is known from the headers alone, before any result is held in memory.


def entry_path(cache_dir: Path, real: str) -> Path:
    name = hashlib.blake2b(real.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return cache_dir / "parsed" / name[:2] / f"{name}.bin"


def entry_header(real: str, size: int, mtime_ns: int) -> tuple:
    return (CACHE_VERSION, real, size, mtime_ns)


def pack_result(result: FileResult) -> bytes:
    """The parse result as the cache keeps it: marshalled, then deflated
    (level 1: a third of the size, for a few percent of a parse's time;
    the parse cache was the biggest part of the cache folder)."""
    return zlib.compress(marshal.dumps(
        (
            result.kind,
            result.date,
            result.language,
            result.digest,
            [e.to_tuple() for e in result.entries],
            [(p.line, p.message) for p in result.problems],
            result.failed,
        )
    ), 1)


def unpack_result(payload: bytes, path: str) -> FileResult:
    if payload[:1] == b"\x78":  # a zlib stream; a marshalled tuple starts otherwise
        payload = zlib.decompress(payload)
    kind, date, language, digest, entries, problems, failed = marshal.loads(payload)
    return FileResult(
        path=path,
        kind=kind,
        date=date,
        language=language,
        digest=digest,
        entries=[Entry.from_tuple(t) for t in entries],
        problems=[Problem(path, line, message) for line, message in problems],
        failed=failed,
    )


def cached_entry(cache_dir: Path, real: str, size: int, mtime_ns: int, payload: bool) -> bytes | bool:
    """Whether the cache holds this version of the file (``payload=False``),
    or its packed result (``payload=True``; b"" when it does not)."""
    try:
        with open(entry_path(cache_dir, real), "rb") as handle:
            if marshal.load(handle) != entry_header(real, size, mtime_ns):
                return b"" if payload else False
            return handle.read() if payload else True
    except (OSError, ValueError, EOFError, TypeError):
        return b"" if payload else False


def write_entry(cache_dir: Path, real: str, header: bytes, payload: bytes) -> None:
    write_cache_file(entry_path(cache_dir, real), lambda handle: handle.writelines((header, payload)))


def parse_file(args: tuple[str, str, int, int]) -> bytes:
    """Worker: parse one file and return the packed result."""
    path = args[0]
    return pack_result(read_file(path))


def write_cache_file(target: Path, write: Callable[[object], object]) -> bool:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, write)
    except OSError:
        return False  # an unwritable cache only costs speed (and memory: the texts stay in it)
    return True



def parse_all(todo: list[tuple[str, str, int, int]], parallel: bool) -> Generator[tuple[str, bytes], None, None]:
    """Parse each file of ``todo`` (path, real path, size, mtime_ns), in
    worker processes when there is much to parse; yields (path, packed
    result) in the order of ``todo``."""
    pending_bytes = sum(item[2] for item in todo)
    workers = min(os.cpu_count() or 1, 4)
    if parallel and workers > 1 and len(todo) > 2 and pending_bytes >= PARALLEL_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the app that calls this has threads running.
        context = multiprocessing.get_context("spawn")
        finished = 0
        try:
            ensure_resource_tracker()
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=background_priority)
        except (OSError, RuntimeError, ImportError, ValueError):
            pool = None  # no processes to be had: parse in this one
        if pool is not None:
            try:
                # In order: the caller merges each file as it comes.
                for item, payload in zip(todo, pool.map(parse_file, todo, chunksize=2)):
                    finished += 1
                    yield item[0], payload
                return
            except (OSError, RuntimeError, ValueError):
                todo = todo[finished:]  # the pool broke: finish in this one
            finally:
                # Also when the caller stops early: drop what is still queued.
                pool.shutdown(wait=True, cancel_futures=True)
    for item in todo:
        yield item[0], parse_file(item)
