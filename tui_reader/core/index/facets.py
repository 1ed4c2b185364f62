"""Facet filters: query fields answered by testing the paper itself, not
the index (kind ``filter`` in :data:`query.FIELDS`).

``FILTERS[name](value)`` reads the value of ``name:value`` once and returns
a predicate ``paper -> bool``; it raises :class:`query.QueryError` with a
message for the reader when it cannot read the value.  The engine runs the
predicate over the library's papers (cached per value while the library
stays the same), so it must be cheap and must not touch the disk.

To add one (e.g. ``stars:>100``)::

    def _stars(value: str) -> Callable[[Paper], bool]:
        low, high = ...            # read ">100", "10..", "5..50" or raise QueryError
        return lambda paper: ...

    FILTERS["stars"] = _stars

and one row in ``query.FIELDS``: ``"stars": Field(FILTER, "stars")``.
``FILTERS["is"]`` answers the ``is:`` values that are not the reader's own
marks (``is:accepted``).
"""

from __future__ import annotations

from collections.abc import Callable

FILTERS: dict[str, Callable[[str], Callable[[object], bool]]] = {}
