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

from tui_reader.core import facet_filters
from tui_reader.core.index.errors import QueryError

FILTERS: dict[str, Callable[[str], Callable[[object], bool]]] = {}


def _reader(build: Callable[[str], Callable[[object], bool]]) -> Callable[[str], Callable[[object], bool]]:
    """A facet of core.facet_filters, its FacetError turned into QueryError."""

    def read(value: str) -> Callable[[object], bool]:
        try:
            return build(value)
        except facet_filters.FacetError as error:
            raise QueryError(str(error)) from None

    return read


# has:code  no:summary  stars:>100  venue:CVPR  lang:Chinese  is:accepted (core.facet_filters)
FILTERS.update({name: _reader(build) for name, build in facet_filters.FACETS.items()})
FILTERS["is"] = _reader(facet_filters.is_)
