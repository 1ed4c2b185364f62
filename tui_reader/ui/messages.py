"""Messages that workers post back to the main screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from tui_reader.core.loader import Library


@dataclass
class LibraryLoaded(Message):
    library: Library
    seconds: float


@dataclass
class LoadProgress(Message):
    done: int
    total: int


@dataclass
class IndexProgress(Message):
    done: int
    total: int


@dataclass
class IndexReady(Message):
    index: Any  # SearchIndex
    report: Any  # UpdateReport or None
    error: str | None = None


@dataclass
class SearchDone(Message):
    query: str
    result: Any  # SearchResult
    seconds: float
