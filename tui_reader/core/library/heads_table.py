"""Every paper's title and authors, kept beside the library cache: a
query of several words raises the papers whose title holds them as
written, and reading those titles from the library cache's blocks read
most of the library (1.1 s of "diffusion model" at 75,000 papers).

The table is kept as UTF-8 bytes and the offsets where each text ends, so
that reading it back makes no string: a table of 74,728 titles and their
authors as lists of strings took 190 ms to unmarshal, while a query
checks a few thousand titles at most, each decoded when asked for."""

from __future__ import annotations

from array import array

from tui_reader.core.library.kept import Kept


def _packed(texts) -> tuple[bytes, bytes]:
    """The texts' UTF-8 bytes one after another, and where each ends."""
    blob = bytearray()
    ends = array("Q")
    for text in texts:
        blob += text.encode("utf-8", "surrogatepass")
        ends.append(len(blob))
    return bytes(blob), ends.tobytes()


def _ends(data: bytes, total: int) -> array:
    """Offsets that end at ``total`` (raises on damage; not walked: a
    slice between damaged offsets is only a wrong text)."""
    ends = array("Q")
    ends.frombytes(data)
    if (ends[-1] if ends else 0) != total:
        raise ValueError("a damaged table of titles")
    return ends


class _Texts:
    """The n-th text of a packed column (``_packed``)."""

    __slots__ = ("_blob", "_ends")

    def __init__(self, blob: bytes, ends: bytes) -> None:
        self._blob = blob
        self._ends = _ends(ends, len(blob))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, n: int) -> str:
        piece = self._blob[self._ends[n - 1] if n else 0:self._ends[n]]
        try:
            return piece.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:  # a damaged table
            return piece.decode("utf-8", "replace")


class Heads(Kept):
    """Titles and authors of the papers of ``store``, made or read on
    first use; ``texts(pid, "title" | "authors")``."""

    SUFFIX = ".heads"
    KEY = ("heads", 2)  # 2: packed bytes (1: lists of strings)

    def _make(self, papers: list) -> tuple:
        titles = _packed(p.title for p in papers)
        authors = _packed(a for p in papers for a in p.authors)
        counts = array("Q")
        total = 0
        for p in papers:
            total += len(p.authors)
            counts.append(total)
        return (*titles, *authors, counts.tobytes())

    def _load(self, data: tuple) -> tuple[_Texts, _Texts, array, dict[str, int]]:
        title_blob, title_ends, author_blob, author_ends, author_counts = data
        titles, names = _Texts(title_blob, title_ends), _Texts(author_blob, author_ends)
        last = _ends(author_counts, len(names))  # where each paper's authors end
        ids = self._store.keys()  # the order values() reads them in
        if not len(titles) == len(last) == len(ids):
            raise ValueError("a damaged table of titles")
        return titles, names, last, {pid: n for n, pid in enumerate(ids)}

    def texts(self, pid: str, name: str) -> list[str] | None:
        """The title (as a one-item list) or the authors of ``pid``; None
        for another field or a paper it does not hold."""
        titles, names, last, at = self.table()
        n = at.get(pid)
        if n is None:
            return None
        if name == "title":
            return [titles[n]]
        if name != "authors":
            return None
        return [names[k] for k in range(last[n - 1] if n else 0, last[n])]
