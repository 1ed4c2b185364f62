"""Everything the app is started with, resolved once by ``make_app``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core.config import Config

if TYPE_CHECKING:
    from tui_reader.core.state import StateStore


@dataclass
class ReaderContext:
    paths: list[str]
    source: str  # "arguments", "config" or "samples": where the paths came from
    cache_dir: Path | None
    config: Config
    store: StateStore | None = None  # None when state is switched off
    notices: list[str] = field(default_factory=list)  # shown once the screen is up
    mark_read: str = "open"  # when a paper counts as read: "open", "highlight" or "manual" (ui.read_marks)
    mark_read_after: float = 1.5  # "highlight": seconds on a paper before it counts as read
    follows: list = field(default_factory=list)  # core.follow.Follow: forks fetched in the background
    read_only: bool = False  # --read-only: nothing saved or written, no [[commands]] (see make_app)
