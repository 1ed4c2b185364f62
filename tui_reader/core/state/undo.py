"""Undo for the state store: each change records how to take it back, kept
only when its transaction commits (100 levels, this process only)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

UNDO_LEVELS = 100


@dataclass(slots=True)
class Step:
    """How to undo one change: a function run in a write transaction and
    the message saying what undoing did."""

    undo: Callable[[sqlite3.Connection], None]
    message: str


@dataclass(slots=True)
class UndoLog:
    steps: list[Step] = field(default_factory=list)
    pending: list[Step] = field(default_factory=list)  # steps of the open transaction

    def push(self, step: Step) -> None:
        """Record how to undo a change of the open transaction."""
        self.pending.append(step)

    def begin(self) -> None:
        self.pending = []

    def commit(self) -> None:
        self.steps.extend(self.pending)
        del self.steps[:-UNDO_LEVELS]
        self.pending = []

    def abort(self) -> None:
        self.pending = []

    def last(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    def pop(self) -> None:
        self.steps.pop()

    def __bool__(self) -> bool:
        return bool(self.steps)
