"""Helpers shared by the subcommands: which library to open, console output."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core import paths as app_paths
from tui_reader.core.fsutil import dir_writable

if TYPE_CHECKING:
    from rich.console import Console

# Rich is imported when a console is asked for: `tui-reader search --json`
# prints none on its usual path, and Rich was ~50 ms of its start.


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def note(message: str, style: str = "") -> None:
    """``message`` as one line on stderr: through Rich (its colours, its
    wrapping) on a terminal, as plain text otherwise (a log, a pipe, a
    script reading it), where Rich would print the same characters
    uncoloured but wrapped at 80 columns, and cost its import."""
    if sys.stderr.isatty() or os.environ.get("FORCE_COLOR"):
        from rich.text import Text

        stderr_console().print(Text(message, style=style))
    else:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def library_paths(given: list[str]) -> list[str]:
    """PATHs on the command line, else the configured library and the
    followed forks' copies (see ``tui-reader follow``), else the embedded
    samples: the same choice the app makes."""
    if given:
        return given
    from tui_reader.core.config import load_config
    from tui_reader.core.follow import resolve_library

    config = load_config()
    paths, follows, _problems = resolve_library(config.settings)
    if paths or follows:
        return paths
    return [str(app_paths.samples_dir())]


def missing_paths(command: str, given: list[str]) -> int | None:
    """Exit code 2, with a message per PATH on the command line that does
    not exist, or None when every one does (a search or count of a
    library that is not there would answer "0" and look like success)."""
    missing = [path for path in given if not os.path.lexists(path)]
    who = f"tui-reader {command}" if command else "tui-reader"
    for path in missing:
        print(f"{who}: {shown_path(path)}: no such file or folder", file=sys.stderr)
    return 2 if missing else None


def shown_path(path: str) -> str:
    """A path from the command line as it may be printed: undecodable bytes
    as escapes, no control characters."""
    from tui_reader.core.text import clean

    return clean(path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))


def usage_error(message: str) -> int:
    print(f"tui-reader: {message}", file=sys.stderr)
    return 2


def writable_cache_dir() -> Path | None:
    """The parse cache dir, or None when it cannot be created."""
    directory = app_paths.cache_dir()
    return directory if dir_writable(directory) else None


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Inside, SIGTERM and SIGHUP (the terminal closed) raise
    KeyboardInterrupt in the main thread, so
    ``finally`` blocks run: the index build stops its worker processes and
    releases its lock instead of dying and leaving orphans that keep
    writing into the index (and hold the caller's pipes open)."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    previous = {}
    for signum in _STOP_SIGNALS:
        try:
            previous[signum] = signal.signal(signum, handler)
        except (ValueError, OSError):  # not the main thread
            pass
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


# What ends a command the way Ctrl+C does: kill, and the terminal closing.
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
