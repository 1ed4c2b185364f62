"""Shared by the index tests: a built index over a library, closed after the module."""

from __future__ import annotations

from collections.abc import Iterator

from tui_reader.core.index import SearchIndex


def built_index(library, tmp_path_factory) -> Iterator[SearchIndex]:
    index = SearchIndex.open(library.key, tmp_path_factory.mktemp("cache"))
    index.update(library)
    yield index
    index.close()
