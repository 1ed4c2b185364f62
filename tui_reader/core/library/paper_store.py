"""PaperStore: a library cache's papers read a block at a time, on demand."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from tui_reader.core.library.cache_file import BLOCK_PAPERS, CacheFile, fingerprint_of, library_cache_path
from tui_reader.core.library.files import discover, stat_all
from tui_reader.core.library.model import Library
from tui_reader.core.model import Paper


class PaperStore:
    """The papers of a library's cache, read one block at a time on demand:
    what ``tui-reader search`` shows and checks, without loading the
    library.

    ``open`` returns None unless the cache holds exactly the files under
    ``paths`` as they are now (same paths, sizes and modification times).
    The file is held open: a load that replaces it meanwhile does not
    change what this store reads.  A read-only Mapping of id -> Paper."""

    def __init__(self, cache: CacheFile, library: Library, stats: dict[str, tuple[str, int, int]]) -> None:
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
        stats = stat_all(files, library.problems)
        if library.problems:
            return None
        cache = CacheFile.open(library_cache_path(cache_dir, library), fingerprint_of(stats))
        if cache is None:
            return None
        library.entries = cache.entries
        try:
            return cls(cache, library, stats)  # reads the ids' table
        except Exception:  # noqa: BLE001 - a damaged table: the full load reads the files
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
