"""Loading a library: every digest under the given files and folders, each
file parsed once (cached by path, size and mtime), entries merged per paper.
"""

from __future__ import annotations

import errno
import hashlib
import marshal
import os
import struct
import sys
import threading
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core import memory
from tui_reader.core.fsutil import write_atomic
from tui_reader.core.model import Entry, Paper, Problem, TextSource
from tui_reader.core.reader import FileResult, kind_of_file, read_file
from tui_reader.core.text import date_from_name

CACHE_VERSION = 8  # bump whenever the parsers' output changes
# Parse in worker processes when at least this much is uncached.
PARALLEL_BYTES = 12 * 1024 * 1024
HEAD_PAPERS = 300  # newest papers kept apart for a first screen
# Read the newest day first (see load_library's ``head``) when the rest of
# the library is at least this big; a small library loads whole at once.
HEAD_BYTES = 12 * 1024 * 1024
BACKGROUND_NICE = 10  # niceness of the parse and index worker processes

Progress = Callable[[int, int], None]  # (files done, files total)


class LoadCancelled(Exception):
    """load_library stopped because ``cancelled()`` became true."""


@dataclass(slots=True)
class SourceFile:
    """One file of the library and what it held."""

    path: str
    size: int
    mtime_ns: int
    kind: str
    date: str
    language: str
    digest: str
    ids: list[str]


@dataclass(repr=False)
class Library:
    roots: list[str]
    papers: dict[str, Paper] = field(default_factory=dict)
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    cached_files: int = 0  # how many files came from the parse cache

    def __repr__(self) -> str:
        # Short on purpose: Textual describes a worker by repr() of its
        # arguments, and a full repr of 40,000 papers took 3 s and 400 MB.
        return f"<Library {len(self.papers)} papers, {len(self.files)} files, roots={self.roots!r}>"

    @property
    def key(self) -> str:
        """A stable name for this library (its resolved roots)."""
        # realpath, not Path.resolve(): that raises on a symlink loop given as PATH.
        joined = "\n".join(sorted(os.path.realpath(r) for r in self.roots))
        return hashlib.blake2b(joined.encode(), digest_size=8).hexdigest()

    def sorted_papers(self) -> list[Paper]:
        """Newest day first; within a day, in digest order."""
        return sorted(self.papers.values(), key=newest_first)

    def dates(self) -> list[str]:
        """Every day in the library, newest first."""
        return sorted({d for p in self.papers.values() for d in p.dates}, reverse=True)

    def has_undated(self) -> bool:
        return any(p.undated for p in self.papers.values())


def newest_first(paper: Paper) -> int:
    """Sort key for an ascending sort: newest day first, undated last;
    within a day, the order of the digest (``order`` numbers papers as
    their latest file listed them).  One int, not a tuple of three: a
    sort of 150,000 papers made 22 MB of key tuples at once."""
    dates = paper.dates
    if not dates:
        return (1 << 62) | paper.order
    latest = dates[-1]  # YYYY-MM-DD: a number that grows with the date
    day = int(latest[:4]) * 10000 + int(latest[5:7]) * 100 + int(latest[8:10])
    return ((99_999_999 - day) << 32) | paper.order


# --- discovering files ---------------------------------------------------------


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[Problem]]:
    """Expand files and folders (recursively, skipping hidden entries) into
    a sorted list of absolute file paths; paths that do not exist become
    problems.  Absolute, because the caches and the index know a file by
    its path: ``tui-reader digests`` from one folder and
    ``tui-reader ~/digests`` from another are the same library (its key is
    the resolved root), and must not read and index it all again."""
    found: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    folders: dict[str, str] = {}
    for raw in paths:
        path = os.path.abspath(os.fspath(raw))
        if os.path.lexists(path) and not os.path.exists(path):
            problems.append(Problem(path, 0, _not_a_file(path)))
            continue
        if os.path.isdir(path):
            walked: list[str] = []
            for root, dirs, files in os.walk(path, onerror=lambda e: problems.append(
                    Problem(e.filename or path, 0, f"cannot read folder: {e.strerror}"))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                walked.extend(os.path.join(root, f) for f in files if not f.startswith("."))
            candidates = sorted(walked)
        elif os.path.exists(path):
            candidates = [path]
        else:
            problems.append(Problem(path, 0, "no such file or folder"))
            continue
        for candidate in candidates:
            real = _realpath(candidate, folders)
            if real in seen:
                continue
            if not os.path.isfile(candidate):
                problems.append(Problem(candidate, 0, _not_a_file(candidate)))
                continue
            seen.add(real)
            found.append(candidate)
    return found, problems


def _not_a_file(path: str) -> str:
    """Why ``path`` (found, yet not a regular file) is not read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop; skipped"
        if os.path.islink(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"dangling symbolic link (to {target}); skipped"
        return f"cannot read: {error.strerror or error}"
    return f"{kind_of_file(mode)}, not a digest; skipped"


def _stat_all(files: list[str], problems: list[Problem]) -> dict[str, tuple[str, int, int]]:
    """path -> (real path, size, mtime_ns); files that cannot be read become problems."""
    stats: dict[str, tuple[str, int, int]] = {}
    folders: dict[str, str] = {}
    for path in files:
        try:
            st = os.stat(path)
        except OSError as error:
            problems.append(Problem(path, 0, f"cannot read: {error.strerror}"))
            continue
        stats[path] = (_realpath(path, folders), st.st_size, st.st_mtime_ns)
    return stats


def _realpath(path: str, folders: dict[str, str], depth: int = 0, origin: str | None = None) -> str:
    """``os.path.realpath(path)``, each folder resolved once (``folders``
    keeps them): realpath checks every component of every path, 15,000
    lstat calls for a data branch of 1,000 files, on every command."""
    folder, name = os.path.split(path)
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = os.path.realpath(folder)
    try:
        target = os.readlink(path)
    except OSError:  # not a symbolic link (or gone: realpath keeps the name too)
        return os.path.join(real_folder, name)
    if depth > 40:  # a loop: leave it to realpath
        return os.path.realpath(origin or path)
    return _realpath(os.path.normpath(os.path.join(real_folder, target)), folders, depth + 1, origin or path)


# --- the parse cache -------------------------------------------------------------
#
# One file per digest: a small marshalled header (version, path, size, mtime)
# followed by the marshalled parse result, so that which files need parsing
# is known from the headers alone, before any result is held in memory.


def _cache_path(cache_dir: Path, real: str) -> Path:
    name = hashlib.blake2b(real.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return cache_dir / "parsed" / name[:2] / f"{name}.bin"


def _header(real: str, size: int, mtime_ns: int) -> tuple:
    return (CACHE_VERSION, real, size, mtime_ns)


def _pack(result: FileResult) -> bytes:
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


def _unpack(payload: bytes, path: str) -> FileResult:
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


def _cached(cache_dir: Path, real: str, size: int, mtime_ns: int, payload: bool) -> bytes | bool:
    """Whether the cache holds this version of the file (``payload=False``),
    or its packed result (``payload=True``; b"" when it does not)."""
    try:
        with open(_cache_path(cache_dir, real), "rb") as handle:
            if marshal.load(handle) != _header(real, size, mtime_ns):
                return b"" if payload else False
            return handle.read() if payload else True
    except (OSError, ValueError, EOFError, TypeError):
        return b"" if payload else False


def _write_cache(cache_dir: Path, real: str, header: bytes, payload: bytes) -> None:
    _write_atomic(_cache_path(cache_dir, real), lambda handle: handle.writelines((header, payload)))


def _parse_file(args: tuple[str, str, int, int]) -> bytes:
    """Worker: parse one file and return the packed result."""
    path = args[0]
    return _pack(read_file(path))


# --- loading ----------------------------------------------------------------------


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

    stats = _stat_all(files, library.problems)
    total = len(files)

    # An unchanged library comes back whole from one file: no per-file work.
    fingerprint = _fingerprint(stats)
    if cache_dir is not None and _read_library_cache(cache_dir, library, fingerprint):
        if not _library_cache_path(cache_dir, library).with_suffix(".head").is_file():
            _write_head(cache_dir, library, fingerprint)
        if progress:
            progress(total, total)
        return library

    # Oldest day first (undated last) so a paper's first appearance supplies
    # its text; the newest day's files are read first of all, for ``head``.
    dates = {path: date_from_name(os.path.basename(path)) for path in stats}
    ordered = sorted(stats, key=lambda p: (dates[p] or "9999-99-99", p))
    newest = max((d for d in dates.values() if d), default="")
    wanted = head is not None and sum(size for _, size, _ in stats.values()) >= HEAD_BYTES
    first = [p for p in ordered if newest and dates[p] == newest] if wanted else []
    first_set = set(first)
    rest = [p for p in ordered if p not in first_set]

    cached: set[str] = set()
    if cache_dir is not None:
        cached = {p for p in ordered if _cached(cache_dir, *stats[p], payload=False)}
    todo = [(p, *stats[p]) for p in first + rest if p not in cached]
    parsed = _parse_all(todo, parallel)  # yields in the order of ``todo``
    done = 0
    failures: list[str] = []

    def result_of(path: str) -> FileResult:
        nonlocal done
        if cancelled is not None and cancelled():
            parsed.close()  # stops the pool
            raise LoadCancelled
        real, size, mtime_ns = stats[path]
        result = None
        if path in cached:
            payload = _cached(cache_dir, real, size, mtime_ns, payload=True)
            try:
                result = _unpack(payload, path) if payload else None
            except Exception:  # a damaged entry that still unmarshals: parse again
                result = None
            if result is not None:
                library.cached_files += 1
            else:
                payload = _parse_file((path, real, size, mtime_ns))
        else:
            _path, payload = next(parsed)
        if result is None:
            result = _unpack(payload, path)
            if result.failed:
                failures.append(path)  # a read error is not the file's content: never cached
            elif cache_dir is not None:
                _write_cache(cache_dir, real, marshal.dumps(_header(real, size, mtime_ns)), payload)
        done += 1
        if progress:
            progress(done, total)
        return result

    try:
        head_results = [result_of(path) for path in first]
        if head is not None and head_results and rest:
            partial = Library(roots=library.roots)
            merge = _Merger(partial)
            for result in head_results:
                merge(result, stats[result.path])
            head(partial)
        packed = PackedTexts(cache_dir / "library") if cache_dir is not None else None
        merge = _Merger(library, packed)
        read_first = {result.path: result for result in head_results}
        for path in ordered:
            result = read_first.pop(path, None)
            merge(result if result is not None else result_of(path), stats[path])
        merge.finish()
    finally:
        # Now, not when the generator is collected: its pool's shutdown waits
        # for the workers, and a SIGTERM (KeyboardInterrupt) in a finalizer
        # is printed and ignored instead of stopping the command.
        parsed.close()
    if cache_dir is not None and not failures:
        if phase is not None:
            phase("saving the library for the next start")
        if _write_library_cache(cache_dir, library, fingerprint, len(library.problems) - len(problems), packed):
            _texts_to_disk(cache_dir, library, fingerprint)
    return library


class _Merger:
    """Merges one file's result at a time into ``library``, oldest day
    first.  With ``packed``, the texts of each day's papers are deflated
    into it once the day is merged (a later day's entry for the same paper
    inflates them again): a cold load of 75,000 papers then holds 70 MB of
    texts rather than 220 MB, and the library cache takes the records as
    they are."""

    KEPT_DAYS = 3  # days whose papers keep their texts a while: a weekend's repeats merge into them

    def __init__(self, library: Library, packed: PackedTexts | None = None) -> None:
        self.library = library
        self.packed = packed
        self.counter = 0
        self.day: str | None = None
        self.touched: list[Paper] = []
        self.days: list[list[Paper]] = []  # the last days' papers, not packed yet

    def finish(self) -> None:
        """Deflate what the last days' files brought."""
        if self.packed is not None:
            for touched in self.days:
                self.packed.pack(touched)
            self.packed.pack(self.touched)
        self.days = []
        self.touched = []

    def __call__(self, result: FileResult, stat: tuple[str, int, int]) -> None:
        library = self.library
        papers = library.papers
        if result.date != self.day:
            # A new day: pack the papers of the day that is now KEPT_DAYS old
            # (packing a paper that a later day repeats cost an inflate and
            # a second deflate: 44,000 of 75,000 papers when done daily).
            self.days.append(self.touched)
            if len(self.days) > self.KEPT_DAYS and self.packed is not None:
                self.packed.pack(self.days.pop(0))
            self.touched = []
            self.day = result.date
        touched = self.touched
        _, size, mtime_ns = stat
        library.files.append(
            SourceFile(result.path, size, mtime_ns, result.kind, result.date, result.language,
                       result.digest, [e.id for e in result.entries])
        )
        library.problems.extend(result.problems)
        library.entries += len(result.entries)
        date = sys.intern(result.date)
        for entry in result.entries:
            paper = papers.get(entry.id)
            if paper is None:
                paper = papers[entry.id] = Paper(entry.id)
            paper.add_entry(entry, date, result.path)
            touched.append(paper)
            if result.date >= paper.latest_date or not paper.dates:
                self.counter += 1
                paper.order = self.counter


# --- the library cache: the merged result of an unchanged set of files ------------
#
# A small marshalled header; the papers without their texts in blocks of
# BLOCK_PAPERS (each block a marshalled list of (Paper.meta_tuple, summary
# languages, code in the abstract), deflated); the texts (abstract and AI
# summaries) one deflated record a paper, after a shared preset dictionary
# (a paper's record alone is too short to compress well: 110 MB a 75k
# branch, 71 MB with the dictionary); a table (each paper's number by id,
# the blocks' and the records' offsets, the newest-first order); the files
# and problems; the offsets of the table and of the files.
#
# A full read takes the blocks one after the other and leaves the texts on
# disk (papers read them through a TextStore that holds the file open:
# two thirds of a library's memory); the table lets a command read a few
# papers without the rest (PaperStore: ``tui-reader search`` answers from
# the index and these).

LIBRARY_FORMAT = 7  # 7: ids apart; 6: raw deflate texts; 5: texts apart; 4: deflated blocks; 3: records; 2: files in the header; 1: chunks
BLOCK_PAPERS = 64  # papers a block
TEXT_LEVEL = 3  # deflate level of the text records (1: 77 MB, 2.4 s; 3: 71 MB, 3.1 s; 6: 69 MB, 5.6 s at 75k)
DICTIONARY_BYTES = 32 * 1024  # deflate's window: a longer preset dictionary is not used
DICTIONARY_SAMPLE = 97  # every so many papers' texts make up the dictionary
TEXTS_KEPT = 256  # decoded text records a TextStore keeps (a page of results, a detail read twice)
RAW_KEPT = 2500  # inflated records it keeps for phrase checks (~7 MB: a CJK word's 2,000 results and more)
# Raw deflate, no zlib header nor checksum: inflating a record took 17 us
# with them and takes 9 without (a CJK word's phrase check reads 2,000).
RAW_DEFLATE = -15
_LENGTH = struct.Struct("<Q")
_TRAILER = struct.Struct("<QQQ")


def _fingerprint(stats: dict[str, tuple[str, int, int]]) -> str:
    digest = hashlib.blake2b(str(CACHE_VERSION).encode(), digest_size=16)
    for path in sorted(stats):
        real, size, mtime_ns = stats[path]
        digest.update(f"{path}\0{real}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _library_cache_path(cache_dir: Path, library: Library) -> Path:
    return cache_dir / "library" / f"{library.key}.bin"


_ABSTRACT_LENGTH = struct.Struct("<I")


def encode_texts(record: tuple[str, tuple]) -> bytes:
    """A text record as stored: the abstract's length and UTF-8, then the
    summaries marshalled.  The abstract comes apart so that reading it (a
    phrase check, the detail view) decodes no summary; and every string is
    UTF-8 in it, so a CJK word is looked for in the bytes (Paper.mentions)."""
    abstract = record[0].encode("utf-8", "surrogatepass")
    return _ABSTRACT_LENGTH.pack(len(abstract)) + abstract + marshal.dumps(record[1])


def decode_abstract(raw: bytes) -> str:
    (length,) = _ABSTRACT_LENGTH.unpack_from(raw)
    return raw[4:4 + length].decode("utf-8", "surrogatepass")


def decode_texts(raw: bytes) -> tuple[str, tuple]:
    (length,) = _ABSTRACT_LENGTH.unpack_from(raw)
    summaries = marshal.loads(raw[4 + length:])
    if not isinstance(summaries, tuple):
        raise ValueError("not a text record")
    return raw[4:4 + length].decode("utf-8", "surrogatepass"), summaries


def _dictionary(sample: list[bytes]) -> bytes:
    """A preset dictionary for the text records: the records of papers
    spread over the library (deflate looks for repeats in the last 32 KB
    of it only, so it is cut to that)."""
    return b"".join(sample)[-DICTIONARY_BYTES:]


def _write_library_cache(cache_dir: Path, library: Library, fingerprint: str, file_problems: int,
                         packed: PackedTexts | None = None) -> bool:
    """Write the library cache (and the head); True when it was written.
    The papers whose texts ``packed`` holds give their records as they are."""
    from tui_reader.core.signals import abstract_code

    problems = library.problems[len(library.problems) - file_problems:] if file_problems else []
    papers = list(library.papers.values())
    header = marshal.dumps((CACHE_VERSION, LIBRARY_FORMAT, fingerprint, library.entries, len(papers)))
    # Numbers in newest-first order, without a dict of ids (the ids' table
    # is made only when written, and let go at once: a cold start's peak).
    newest = array("I", sorted(range(len(papers)), key=lambda n: newest_first(papers[n])))
    newest_papers = [papers[n] for n in newest[:HEAD_PAPERS]]
    dumps = marshal.dumps
    if packed is not None and packed.dictionary is not None:
        dictionary = packed.dictionary
    else:
        dictionary = _dictionary([encode_texts(paper.text_record()) for paper in papers[::DICTIONARY_SAMPLE]])
        packed = None

    def write(handle) -> None:
        handle.write(_LENGTH.pack(len(header)))
        handle.write(header)
        position = _LENGTH.size + len(header)
        blocks = array("Q", (position,))
        for start in range(0, len(papers), BLOCK_PAPERS):
            block = [(p.meta_tuple(), tuple(p.languages), abstract_code(p))
                     for p in papers[start:start + BLOCK_PAPERS]]
            blob = zlib.compress(dumps(block), 1)
            handle.write(blob)
            position += len(blob)
            blocks.append(position)
        handle.write(dictionary)
        position += len(dictionary)
        texts = array("Q", (position,))
        primed = zlib.compressobj(TEXT_LEVEL, zlib.DEFLATED, RAW_DEFLATE, zdict=dictionary)
        for paper in papers:
            where = paper.text_source()
            if packed is not None and where is not None and where[0] is packed:
                blob = packed.blob(where[1])
            else:
                packer = primed.copy()  # the dictionary is loaded once, not once a record
                blob = packer.compress(encode_texts(paper.text_record())) + packer.flush()
            handle.write(blob)
            position += len(blob)
            texts.append(position)
        table = dumps((blocks.tobytes(), newest.tobytes(), texts.tobytes(), len(dictionary)))
        handle.write(table)
        numbers = dumps({paper.id: n for n, paper in enumerate(papers)})  # apart: only PaperStore looks ids up
        handle.write(numbers)
        numbers_length = len(numbers)
        del numbers
        handle.write(dumps((
            [(f.path, f.size, f.mtime_ns, f.kind, f.date, f.language, f.digest, f.ids) for f in library.files],
            [(p.file, p.line, p.message) for p in problems],
        )))
        handle.write(_TRAILER.pack(position, position + len(table), position + len(table) + numbers_length))

    written = _write_atomic(_library_cache_path(cache_dir, library), write)
    _write_head(cache_dir, library, fingerprint, newest_papers)
    return written


def _write_head(cache_dir: Path, library: Library, fingerprint: str, newest: list[Paper] | None = None) -> None:
    """The newest papers alone, so the next start can paint before the whole
    library is read (see read_library_head)."""
    newest = newest if newest is not None else library.sorted_papers()
    head = [paper.to_tuple() for paper in newest[:HEAD_PAPERS]]
    blob = marshal.dumps((CACHE_VERSION, fingerprint, head))
    _write_atomic(_library_cache_path(cache_dir, library).with_suffix(".head"), lambda handle: handle.write(blob))


def _write_atomic(target: Path, write: Callable[[object], object]) -> bool:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, write)
    except OSError:
        return False  # an unwritable cache only costs speed (and memory: the texts stay in it)
    return True


def read_library_head(paths: Sequence[str | os.PathLike[str]], cache_dir: Path | None) -> list[Paper] | None:
    """The newest papers of an unchanged library, newest first, from the
    cache: a few hundred, read in milliseconds, for a first screen while
    ``load_library`` reads the rest.  None when the library changed or was
    never cached."""
    if cache_dir is None:
        return None
    library = Library(roots=[os.fspath(p) for p in paths])
    files, _problems = discover(paths)
    stats = _stat_all(files, [])
    try:
        version, stored, head = marshal.loads(_library_cache_path(cache_dir, library).with_suffix(".head").read_bytes())
        if version != CACHE_VERSION or stored != _fingerprint(stats):
            return None
        return [Paper.from_tuple(paper) for paper in head]
    except Exception:  # missing, damaged or from another version
        return None


def _read_cache_header(handle) -> tuple:
    (length,) = _LENGTH.unpack(handle.read(_LENGTH.size))
    data = handle.read(length)
    if len(data) != length:
        raise EOFError("truncated library cache")
    header = marshal.loads(data)
    if header[0] != CACHE_VERSION or header[1] != LIBRARY_FORMAT:
        raise ValueError("library cache of another version")
    return header


class TextStore(TextSource):
    """The text records of one library cache file, read on demand: the
    file stays open while a paper reads from it (a newer cache written
    meanwhile replaces the file, not what this one reads).  Thread-safe:
    the reader's searches run in worker threads."""

    def __init__(self, handle, offsets: array, dictionary: bytes) -> None:
        self._handle = handle
        self._fd = handle.fileno()
        self._offsets = offsets
        self._primed = zlib.decompressobj(RAW_DEFLATE, zdict=dictionary)
        self._kept: OrderedDict[int, tuple[str, tuple]] = OrderedDict()
        self._raw: OrderedDict[int, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def texts(self, n: int) -> tuple[str, tuple]:
        with self._lock:
            found = self._kept.get(n)
            if found is not None:
                self._kept.move_to_end(n)
                return found
        try:
            found = decode_texts(self.raw(n))
        except (OSError, ValueError, EOFError, TypeError, zlib.error, struct.error):
            # The file went bad under us (a disk error): no text rather than a crash.
            return "", ()
        with self._lock:
            self._kept[n] = found
            if len(self._kept) > TEXTS_KEPT:
                self._kept.popitem(last=False)
        return found

    def abstract(self, n: int) -> str:
        """Record ``n``'s abstract alone (no summary decoded)."""
        with self._lock:
            found = self._kept.get(n)
        if found is not None:
            return found[0]
        try:
            return decode_abstract(self.raw(n))
        except (OSError, ValueError, EOFError, TypeError, zlib.error, struct.error):
            return ""  # as texts() does

    def raw(self, n: int) -> bytes:
        """Record ``n`` inflated, not decoded (encode_texts): its strings are there as
        UTF-8, so a CJK word is looked for in it without decoding (see
        Paper.mentions).  Raises OSError or zlib.error on a damaged file."""
        with self._lock:
            found = self._raw.get(n)
            if found is not None:
                self._raw.move_to_end(n)
                return found
            unpacker = self._primed.copy()
        start, end = self._offsets[n], self._offsets[n + 1]
        found = unpacker.decompress(os.pread(self._fd, end - start, start)) + unpacker.flush()
        with self._lock:
            self._raw[n] = found
            if len(self._raw) > RAW_KEPT:
                self._raw.popitem(last=False)
        return found

    def close(self) -> None:
        self._handle.close()


class PackedTexts(TextSource):
    """Text records deflated, with the preset dictionary of the library
    cache's records (taken from the first papers packed), in a temporary
    file (gone when the last paper lets go of it): what a load keeps of the
    texts until the cache holds them.  In memory they took 70 MB of a cold
    start's peak at 75,000 papers."""

    def __init__(self, folder: Path | None = None) -> None:
        self.dictionary: bytes | None = None
        self._spool = None
        self._folder = folder
        self._starts = array("Q")
        self._ends = array("Q")
        self._size = 0
        self._packer = None
        self._unpacker = None

    def _open(self):
        import tempfile

        for folder in (self._folder, None):
            try:
                if folder is not None:
                    folder.mkdir(parents=True, exist_ok=True)
                return tempfile.TemporaryFile(prefix="texts-", dir=folder)  # unnamed: gone with its last reader
            except OSError:
                continue
        return None

    def pack(self, papers: Iterable[Paper]) -> None:
        """Deflate the texts of ``papers`` (those that hold them) into here;
        without a temporary file to be had they stay where they are."""
        from tui_reader.core.signals import abstract_code

        holding = [paper for paper in papers if not paper.texts_on_disk]  # a paper may come twice
        if not holding:
            return
        if self.dictionary is None:
            self._spool = self._open()
            if self._spool is None:
                return
            self.dictionary = _dictionary([encode_texts(paper.text_record()) for paper in holding[:200]])
            self._packer = zlib.compressobj(TEXT_LEVEL, zlib.DEFLATED, RAW_DEFLATE, zdict=self.dictionary)
            self._unpacker = zlib.decompressobj(RAW_DEFLATE, zdict=self.dictionary)
        elif self._spool is None:
            return
        primed = self._packer
        blobs: list[bytes] = []
        packed: list[Paper] = []
        seen: set[str] = set()
        for paper in holding:
            if paper.id in seen:
                continue  # it came twice (the same day's other files)
            seen.add(paper.id)
            packer = primed.copy()
            blobs.append(packer.compress(encode_texts(paper.text_record())) + packer.flush())
            packed.append(paper)
        try:
            self._spool.write(b"".join(blobs))
            self._spool.flush()
        except OSError:
            return  # a full disk: the texts stay in memory
        position = self._size
        for paper, blob in zip(packed, blobs):
            self._starts.append(position)
            position += len(blob)
            self._ends.append(position)
            paper.texts_from(self, len(self._starts) - 1, tuple(paper.languages), abstract_code(paper))
        self._size = position

    def blob(self, n: int) -> bytes:
        start = self._starts[n]
        return os.pread(self._spool.fileno(), self._ends[n] - start, start)  # type: ignore[union-attr]

    def raw(self, n: int) -> bytes:
        unpacker = self._unpacker.copy()  # type: ignore[union-attr]
        return unpacker.decompress(self.blob(n)) + unpacker.flush()

    def texts(self, n: int) -> tuple[str, tuple]:
        return decode_texts(self.raw(n))

    def abstract(self, n: int) -> str:
        return decode_abstract(self.raw(n))


class _CacheFile:
    """An open library cache file: its header and table read, its papers
    read a block at a time, their texts left on disk (a TextStore)."""

    def __init__(self, handle) -> None:
        try:
            _version, _format, self.fingerprint, self.entries, self.count = _read_cache_header(handle)
            end = handle.seek(0, os.SEEK_END)
            handle.seek(end - _TRAILER.size)
            self.table_at, self.numbers_at, self.files_at = _TRAILER.unpack(handle.read(_TRAILER.size))
            handle.seek(self.table_at)
            blocks_raw, newest_raw, texts_raw, dictionary_length = marshal.loads(
                handle.read(self.numbers_at - self.table_at))
            self.blocks = array("Q")
            self.blocks.frombytes(blocks_raw)
            self.newest = array("I")
            self.newest.frombytes(newest_raw)
            texts = array("Q")
            texts.frombytes(texts_raw)
            count = self.count
            if (len(self.blocks) != -(-count // BLOCK_PAPERS) + 1
                    or len(self.newest) != count or len(texts) != count + 1
                    or texts[0] - dictionary_length != self.blocks[-1] or texts[-1] != self.table_at):
                raise ValueError("library cache table does not match its papers")
            dictionary = os.pread(handle.fileno(), dictionary_length, self.blocks[-1])
            if len(dictionary) != dictionary_length:
                raise EOFError("truncated library cache")
        except BaseException:
            handle.close()
            raise
        self.handle = handle
        self.texts = TextStore(handle, texts, dictionary)
        self._numbers: dict[str, int] | None = None
        self._ids: list[str] | None = None

    @property
    def numbers(self) -> dict[str, int]:
        """Paper id -> its number, read when first asked for (a full read
        needs none: 20 MB at 150,000 papers)."""
        if self._numbers is None:
            numbers = marshal.loads(os.pread(self.handle.fileno(), self.files_at - self.numbers_at,
                                             self.numbers_at))
            if not isinstance(numbers, dict) or len(numbers) != self.count:
                raise ValueError("library cache table does not match its papers")
            self._numbers = numbers
        return self._numbers

    @property
    def ids(self) -> list[str]:
        if self._ids is None:
            self._ids = list(self.numbers)  # the library's order: marshal keeps a dict's
        return self._ids

    @classmethod
    def open(cls, path: Path, fingerprint: str) -> _CacheFile | None:
        """The cache file at ``path`` if it holds ``fingerprint``'s files."""
        try:
            found = cls(open(path, "rb"))  # noqa: SIM115 - held by the TextStore
        except Exception:  # missing, damaged, another version
            return None
        if found.fingerprint != fingerprint:
            found.texts.close()
            return None
        found.texts.location = (os.fspath(path), fingerprint)
        return found

    def block(self, number: int, raw: bytes | None = None) -> list[Paper]:
        """The papers of block ``number`` (``raw``: its bytes, read already)."""
        start, end = self.blocks[number], self.blocks[number + 1]
        if raw is None:
            raw = os.pread(self.handle.fileno(), end - start, start)
        first = number * BLOCK_PAPERS
        texts = self.texts
        from_meta = Paper.from_meta
        return [from_meta(meta, texts, first + k, languages, code)
                for k, (meta, languages, code) in enumerate(marshal.loads(zlib.decompress(raw)))]

    def papers(self) -> dict[str, Paper]:
        """Every paper, in the library's order (the blocks read one after
        the other, never all at once: 40 MB of a start's peak at 150,000
        papers; the texts are not read)."""
        papers: dict[str, Paper] = {}
        for number in range(len(self.blocks) - 1):
            for paper in self.block(number):
                papers[paper.id] = paper
        if len(papers) != self.count:
            raise ValueError("library cache holds a paper twice")
        return papers

    def files_and_problems(self, papers: dict[str, Paper]) -> tuple[list[SourceFile], list[Problem]]:
        """The files (their lists of ids share the papers' id strings: 14 MB
        at 75,000 papers) and the problems found in them."""
        self.handle.seek(self.files_at)
        files, problems = marshal.loads(self.handle.read()[:-_TRAILER.size])
        same = {pid: pid for pid in papers}
        return ([SourceFile(*f[:7], [same.get(pid, pid) for pid in f[7]]) for f in files],
                [Problem(*p) for p in problems])


def open_text_store(location: tuple[str, str]) -> TextStore:
    """The text records at ``TextStore.location`` (in an index worker
    process); raises OSError when the file is gone or holds other files'
    papers now (a newer load replaced it: the build is done again here)."""
    cache = _CacheFile.open(Path(location[0]), location[1])
    if cache is None:
        raise OSError(f"the library cache changed: {location[0]}")
    return cache.texts


def _read_library_cache(cache_dir: Path, library: Library, fingerprint: str) -> bool:
    cache = _CacheFile.open(_library_cache_path(cache_dir, library), fingerprint)
    if cache is None:
        return False
    try:
        loaded_papers = cache.papers()
        loaded_files, loaded_problems = cache.files_and_problems(loaded_papers)
    except Exception:  # damaged: read the files
        cache.texts.close()
        return False
    library.files = loaded_files
    library.problems.extend(loaded_problems)
    library.entries = cache.entries
    library.papers = loaded_papers
    library.cached_files = len(loaded_files)
    return True


def _texts_to_disk(cache_dir: Path, library: Library, fingerprint: str) -> None:
    """After the library cache is written: the papers let go of their texts
    and read them from it (as a warm start's papers do).  Only the file's
    table is read: the papers know their languages and code links."""
    from tui_reader.core.signals import abstract_code

    cache = _CacheFile.open(_library_cache_path(cache_dir, library), fingerprint)
    if cache is None:
        return
    first, last = next(iter(library.papers), None), next(reversed(library.papers), None)
    if cache.count != len(library.papers) or (cache.count and (
            cache.block(0)[0].id != first or cache.block(len(cache.blocks) - 2)[-1].id != last)):
        cache.texts.close()  # not what was just written (another process's): keep the texts
        return
    texts = cache.texts
    # Record n is the n-th paper: the cache was written in the library's order.
    for n, paper in enumerate(library.papers.values()):
        paper.texts_from(texts, n, tuple(paper.languages), abstract_code(paper))


def cached_fingerprint(paths: Sequence[str | os.PathLike[str]], cache_dir: Path | None) -> tuple[str, str] | None:
    """(library key, fingerprint) when the library cache holds exactly the
    files under ``paths`` as they are now, else None: what a command may
    key its own results by (``tui-reader check`` keeps its report so)."""
    if cache_dir is None:
        return None
    library = Library(roots=[os.fspath(p) for p in paths])
    files, problems = discover(paths)
    if problems:
        return None
    stats = _stat_all(files, problems)
    if problems:
        return None
    fingerprint = _fingerprint(stats)
    try:
        with open(_library_cache_path(cache_dir, library), "rb") as handle:
            stored = _read_cache_header(handle)[2]
    except Exception:  # missing, damaged, another version
        return None
    return (library.key, fingerprint) if stored == fingerprint else None


class PaperStore:
    """The papers of a library's cache, read one block at a time on demand:
    what ``tui-reader search`` shows and checks, without loading the
    library.

    ``open`` returns None unless the cache holds exactly the files under
    ``paths`` as they are now (same paths, sizes and modification times).
    The file is held open: a load that replaces it meanwhile does not
    change what this store reads.  A read-only Mapping of id -> Paper."""

    def __init__(self, cache: _CacheFile, library: Library, stats: dict[str, tuple[str, int, int]]) -> None:
        self._file = cache
        self.fingerprint = cache.fingerprint  # of the files it holds (what a command may key its results by)
        self.library = library  # its key, roots and entries; no papers, no files
        self.stats = stats  # path -> (real path, size, mtime_ns) of every file now
        self._number = cache.numbers  # paper id -> its record's number
        self._cache: dict[str, Paper] = {}

    @classmethod
    def open(cls, paths: Sequence[str | os.PathLike[str]], cache_dir: Path | None) -> PaperStore | None:
        if cache_dir is None:
            return None
        library = Library(roots=[os.fspath(p) for p in paths])
        files, problems = discover(paths)
        if problems:
            return None  # a path is missing: the full load reports it
        stats = _stat_all(files, library.problems)
        if library.problems:
            return None
        cache = _CacheFile.open(_library_cache_path(cache_dir, library), _fingerprint(stats))
        if cache is None:
            return None
        library.entries = cache.entries
        try:
            return cls(cache, library, stats)  # reads the ids' table
        except Exception:  # a damaged table: the full load reads the files
            cache.texts.close()
            return None

    def close(self) -> None:
        self._file.texts.close()

    def __len__(self) -> int:
        return len(self._number)

    def __iter__(self):
        return iter(self._number)

    def keys(self) -> list[str]:
        return list(self._number)

    def __contains__(self, pid: object) -> bool:
        return pid in self._number

    def _read(self, n: int) -> Paper:
        """Paper number ``n``; the others of its block are kept too (the
        block is read and inflated anyway)."""
        cache = self._cache
        for paper in self._file.block(n // BLOCK_PAPERS):
            cache.setdefault(paper.id, paper)
        return cache[self._file.ids[n]]

    def get(self, pid: str, default=None) -> Paper | None:
        paper = self._cache.get(pid)
        if paper is None:
            n = self._number.get(pid)
            if n is None:
                return default
            paper = self._read(n)
        return paper

    def __getitem__(self, pid: str) -> Paper:
        paper = self.get(pid)
        if paper is None:
            raise KeyError(pid)
        return paper

    def values(self) -> list[Paper]:
        """Every paper (read in one go: slow on a big library; only what
        needs them all, such as a facet filter, asks)."""
        ids = self._file.ids
        if len(self._cache) < len(ids):
            for block in range(len(self._file.blocks) - 1):
                if ids[block * BLOCK_PAPERS] not in self._cache:
                    self._read(block * BLOCK_PAPERS)
        return [self._cache[pid] for pid in ids]

    def items(self) -> list[tuple[str, Paper]]:
        return list(zip(self._file.ids, self.values()))

    def newest_ids(self) -> list[str]:
        """Every paper id, newest day first (Library.sorted_papers' order)."""
        ids = self._file.ids
        return [ids[n] for n in self._file.newest]


def ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    The tracker hands ``sys.stderr.fileno()`` to its child process; inside
    the Textual app ``sys.stderr`` is a capture object whose ``fileno()`` is
    -1, so the first pool or queue dies with "bad value(s) in fds_to_keep"
    and the reader crashed on any library big enough to parse in parallel.
    """
    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        pass
    real = sys.__stderr__
    if real is None:
        return
    from multiprocessing import resource_tracker

    saved = sys.stderr
    sys.stderr = real
    try:
        resource_tracker.ensure_running()
    except (OSError, ValueError):
        pass
    finally:
        sys.stderr = saved


def background_priority() -> None:
    """In a worker process: yield the CPU to the reader's own process, so
    keys, paints and the newest day's indexing stay quick on a busy
    machine while the rest of the library is parsed or indexed; and end
    with the process that started it (:func:`watch_parent`)."""
    try:
        os.nice(BACKGROUND_NICE)
    except (AttributeError, OSError):
        pass  # no nice() here (Windows) or not allowed: run at normal priority
    watch_parent()


def watch_parent() -> None:
    """In a worker process: exit at once when the process that started it
    is gone (``kill -9`` of ``tui-reader index``, a closed terminal), so no
    worker (nor multiprocessing's resource tracker, which lives as long as
    any of them) keeps writing into the index for minutes.  The parent is
    the one multiprocessing knows (its pid and sentinel come from the
    parent itself): a worker still starting up when its parent died would
    otherwise take init for its parent and watch it for ever."""
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:
        return  # not a multiprocessing child
    if os.getppid() != parent.pid:
        os._exit(1)  # already gone

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([parent.sentinel])  # readable once the parent has ended
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _parse_all(todo: list[tuple[str, str, int, int]], parallel: bool) -> Iterable[tuple[str, bytes]]:
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
                for item, payload in zip(todo, pool.map(_parse_file, todo, chunksize=2)):
                    finished += 1
                    yield item[0], payload
                return
            except (OSError, RuntimeError, ValueError):
                todo = todo[finished:]  # the pool broke: finish in this one
            finally:
                # Also when the caller stops early: drop what is still queued.
                pool.shutdown(wait=True, cancel_futures=True)
    for item in todo:
        yield item[0], _parse_file(item)
