"""Tables made once from every paper of a library cache (a PaperStore)
and kept beside it for exactly the files it was made from: what
``tui-reader search`` needs of all papers without reading them all (the
facets, the titles and authors).  A subclass says how a table is made
from the papers, and how it is read back from what was kept."""

from __future__ import annotations

import contextlib
import marshal
from pathlib import Path

from tui_reader.core.fsutil import write_atomic


class Kept:
    SUFFIX = ".table"  # the file beside the library cache: <key><SUFFIX>
    KEY: tuple = ()  # the table's format; a change makes kept tables stale

    def __init__(self, store, path: Path | None) -> None:
        self._store = store
        self._path = path  # where it is kept (None: not kept)
        self._table = None
        self.made = False  # made from the papers (not read from the file)

    @classmethod
    def beside(cls, store, cache_dir: Path):
        return cls(store, cache_dir / "library" / f"{store.library.key}{cls.SUFFIX}")

    def _make(self, papers: list) -> object:
        """Marshal-able data from the store's papers, in its order."""
        raise NotImplementedError

    def _load(self, data: object):
        """The table from what ``_make`` gave (raises on damaged data)."""
        raise NotImplementedError

    def table(self):
        if self._table is None:
            self._table = self._read()
            if self._table is None:
                data = self._make(self._store.values())
                self._table = self._load(data)
                self.made = True
                self._write(data)
        return self._table

    def _read(self):
        if self._path is None:
            return None
        try:
            key, fingerprint, data = marshal.loads(self._path.read_bytes())
            if key != self.KEY or fingerprint != self._store.fingerprint:
                return None
            return self._load(data)
        except Exception:  # noqa: BLE001 - missing, damaged, an older format: made again
            return None

    def _write(self, data: object) -> None:
        if self._path is None:
            return
        blob = marshal.dumps((self.KEY, self._store.fingerprint, data))
        with contextlib.suppress(OSError, ValueError):
            write_atomic(self._path, blob)
