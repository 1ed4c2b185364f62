"""What the facet filters (``has:code``, ``stars:>100``, ``venue:CVPR``,
``lang:Chinese``, ``is:accepted`` ...) read of every paper, kept beside the
library cache: ``tui-reader search`` answers a facet from it without
reading every paper of the cache (2 s and 180 MB at 75,000 papers).

A :class:`FacetRow` stands in for a :class:`~tui_reader.core.model.Paper`
for :mod:`tui_reader.core.facet_filters`' predicates: the same attributes
they read (its signals, whether it has a comment, its summary languages,
whether the producer failed), so one predicate answers both ways.
:class:`FacetRows` is the mapping id -> row of a :class:`PaperStore`:
read from ``<key>.facets`` when that file was made from the same files
(the store's fingerprint), else made from the store's papers once and
written for the next time.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from dataclasses import astuple, fields, replace

from tui_reader.core.library.kept import Kept
from tui_reader.core.signals import Signals, signals_of

# 1: first version.  The Signals' fields are part of the key: a new field
# (or new rules in signals.compute, which raise this) makes the file stale.
FACETS_FORMAT = 1
_KEY = (FACETS_FORMAT, tuple(f.name for f in fields(Signals)))


class FacetRow:
    """One paper as the facet predicates see it."""

    __slots__ = ("id", "signals", "comment", "failed", "_languages")

    def __init__(self, pid: str, signals: Signals, comment: bool, failed: bool, languages: tuple[str, ...]):
        self.id = pid
        self.signals = signals  # what signals_of() returns for it
        self.comment = comment  # only whether there is one: has:comment
        self.failed = failed
        self._languages = languages

    @classmethod
    def of(cls, paper) -> FacetRow:
        return cls(paper.id, signals_of(paper), bool(paper.comment), bool(paper.failed), tuple(paper.languages))

    @property
    def languages(self) -> list[str]:
        return list(self._languages)

    @property
    def has_summary(self) -> bool:
        return bool(self._languages)

    @property
    def summary_failed(self) -> bool:
        return self.failed and not self.has_summary


# The signals' fields no facet reads are left at their defaults in the
# table, and of the links only whether there is one is kept (a
# differential test runs every facet both ways): 3,000 distinct rows stand
# for 75,000 papers instead of 16,000.
_UNREAD = {"pages": None, "figures": None, "links": (), "code_from": "", "code_updated": ""}
_THERE = "present"  # code_url, project_url: has:code and has:project only ask whether there is one


def _as_read(signals: Signals) -> tuple:
    return astuple(replace(signals, **_UNREAD, code_url=_THERE if signals.code_url else "",
                           project_url=_THERE if signals.project_url else ""))


def _dump(rows: list[FacetRow]) -> tuple:
    """Rows as marshal-able columns, in the store's order: each distinct
    row once, and each paper's row number (an array's bytes)."""
    kinds: dict[tuple, int] = {}
    numbers = array("I")
    for r in rows:
        signals = _as_read(r.signals)
        numbers.append(kinds.setdefault((signals, r.comment, r.failed, r._languages), len(kinds)))
    return list(kinds), numbers.tobytes()


class _Table:
    """The columns read back: the distinct rows, each paper's row number
    (in the order of ``ids``)."""

    def __init__(self, ids: list[str], data: tuple) -> None:
        kinds, numbers = data
        self.kinds = [FacetRow("", Signals(*signals), comment, failed, tuple(languages))
                      for signals, comment, failed, languages in kinds]
        self.numbers = array("I")
        self.numbers.frombytes(numbers)
        if len(self.numbers) != len(ids) or (self.numbers and max(self.numbers) >= len(self.kinds)):
            raise ValueError("a damaged facet table")
        self.ids = ids
        self._at: dict[str, int] | None = None

    def row(self, pid: str) -> FacetRow:
        if self._at is None:
            self._at = {pid: n for n, pid in enumerate(self.ids)}
        kind = self.kinds[self.numbers[self._at[pid]]]
        return FacetRow(pid, kind.signals, kind.comment, kind.failed, kind._languages)


class FacetRows(Kept, Mapping):
    """id -> FacetRow of every paper of ``store`` (a PaperStore), read or
    made on first use; ``path`` is where it is kept (None: not kept).
    ``ids_where(test)`` runs a predicate once per distinct row."""

    SUFFIX = ".facets"
    KEY = _KEY

    def _make(self, papers: list) -> tuple:
        return _dump([FacetRow.of(paper) for paper in papers])

    def _load(self, data: tuple) -> _Table:
        return _Table(self._store.keys(), data)  # keys(): the order values() reads them in

    def ids_where(self, test) -> frozenset[str]:
        """The ids of the papers whose row passes ``test``."""
        table = self.table()
        good = [bool(test(row)) for row in table.kinds]
        ids = table.ids
        return frozenset(ids[n] for n, kind in enumerate(table.numbers) if good[kind])

    def __getitem__(self, pid: str) -> FacetRow:
        return self.table().row(pid)

    def __iter__(self) -> Iterator[str]:
        return iter(self.table().ids)

    def __len__(self) -> int:
        return len(self._store)
