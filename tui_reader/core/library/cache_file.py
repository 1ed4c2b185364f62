"""The library cache: the merged result of an unchanged set of files,
written after a load and read back whole (a warm start) or a block at a
time (PaperStore); and its head, the newest papers alone."""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import zlib
from array import array
from collections.abc import Sequence
from pathlib import Path

from tui_reader.core.library.files import discover, stat_all
from tui_reader.core.library.model import Library, SourceFile, newest_first
from tui_reader.core.library.parse_cache import CACHE_VERSION, write_cache_file
from tui_reader.core.library.texts import (
    DICTIONARY_SAMPLE,
    RAW_DEFLATE,
    TEXT_LEVEL,
    PackedTexts,
    TextStore,
    dictionary_of,
    encode_texts,
)
from tui_reader.core.model import Paper, Problem

HEAD_PAPERS = 300  # newest papers kept apart for a first screen

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

# 7: ids apart; 6: raw deflate texts; 5: texts apart; 4: deflated blocks; 3: records;
# 2: files in the header; 1: chunks
LIBRARY_FORMAT = 7
BLOCK_PAPERS = 64  # papers a block
_LENGTH = struct.Struct("<Q")
_TRAILER = struct.Struct("<QQQ")


def fingerprint_of(stats: dict[str, tuple[str, int, int]]) -> str:
    digest = hashlib.blake2b(str(CACHE_VERSION).encode(), digest_size=16)
    for path in sorted(stats):
        real, size, mtime_ns = stats[path]
        digest.update(f"{path}\0{real}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def library_cache_path(cache_dir: Path, library: Library) -> Path:
    return cache_dir / "library" / f"{library.key}.bin"


def write_library_cache(cache_dir: Path, library: Library, fingerprint: str, file_problems: int,
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
        dictionary = dictionary_of([encode_texts(paper.text_record()) for paper in papers[::DICTIONARY_SAMPLE]])
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

    written = write_cache_file(library_cache_path(cache_dir, library), write)
    write_head(cache_dir, library, fingerprint, newest_papers)
    return written


def write_head(cache_dir: Path, library: Library, fingerprint: str, newest: list[Paper] | None = None) -> None:
    """The newest papers alone, so the next start can paint before the whole
    library is read (see read_library_head)."""
    newest = newest if newest is not None else library.sorted_papers()
    head = [paper.to_tuple() for paper in newest[:HEAD_PAPERS]]
    blob = marshal.dumps((CACHE_VERSION, fingerprint, head))
    write_cache_file(library_cache_path(cache_dir, library).with_suffix(".head"), lambda handle: handle.write(blob))


def read_library_head(paths: Sequence[str | os.PathLike[str]], cache_dir: Path | None) -> list[Paper] | None:
    """The newest papers of an unchanged library, newest first, from the
    cache: a few hundred, read in milliseconds, for a first screen while
    ``load_library`` reads the rest.  None when the library changed or was
    never cached."""
    if cache_dir is None:
        return None
    library = Library(roots=[os.fspath(p) for p in paths])
    files, _problems = discover(paths)
    stats = stat_all(files, [])
    try:
        version, stored, head = marshal.loads(library_cache_path(cache_dir, library).with_suffix(".head").read_bytes())
        if version != CACHE_VERSION or stored != fingerprint_of(stats):
            return None
        return [Paper.from_tuple(paper) for paper in head]
    except Exception:  # noqa: BLE001 - missing, damaged or from another version
        return None


def read_cache_header(handle) -> tuple:
    (length,) = _LENGTH.unpack(handle.read(_LENGTH.size))
    data = handle.read(length)
    if len(data) != length:
        raise EOFError("truncated library cache")
    header = marshal.loads(data)
    if header[0] != CACHE_VERSION or header[1] != LIBRARY_FORMAT:
        raise ValueError("library cache of another version")
    return header


class CacheFile:
    """An open library cache file: its header and table read, its papers
    read a block at a time, their texts left on disk (a TextStore)."""

    def __init__(self, handle) -> None:
        try:
            _version, _format, self.fingerprint, self.entries, self.count = read_cache_header(handle)
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
    def open(cls, path: Path, fingerprint: str) -> CacheFile | None:
        """The cache file at ``path`` if it holds ``fingerprint``'s files."""
        try:
            found = cls(open(path, "rb"))  # noqa: SIM115 - held by the TextStore
        except Exception:  # noqa: BLE001 - missing, damaged, another version
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
    cache = CacheFile.open(Path(location[0]), location[1])
    if cache is None:
        raise OSError(f"the library cache changed: {location[0]}")
    return cache.texts


def read_library_cache(cache_dir: Path, library: Library, fingerprint: str) -> bool:
    cache = CacheFile.open(library_cache_path(cache_dir, library), fingerprint)
    if cache is None:
        return False
    try:
        loaded_papers = cache.papers()
        loaded_files, loaded_problems = cache.files_and_problems(loaded_papers)
    except Exception:  # noqa: BLE001 - damaged: read the files
        cache.texts.close()
        return False
    library.files = loaded_files
    library.problems.extend(loaded_problems)
    library.entries = cache.entries
    library.papers = loaded_papers
    library.cached_files = len(loaded_files)
    return True


def texts_to_disk(cache_dir: Path, library: Library, fingerprint: str) -> None:
    """After the library cache is written: the papers let go of their texts
    and read them from it (as a warm start's papers do).  Only the file's
    table is read: the papers know their languages and code links."""
    from tui_reader.core.signals import abstract_code

    cache = CacheFile.open(library_cache_path(cache_dir, library), fingerprint)
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
    stats = stat_all(files, problems)
    if problems:
        return None
    fingerprint = fingerprint_of(stats)
    try:
        with open(library_cache_path(cache_dir, library), "rb") as handle:
            stored = read_cache_header(handle)[2]
    except Exception:  # noqa: BLE001 - missing, damaged, another version
        return None
    return (library.key, fingerprint) if stored == fingerprint else None
