"""``make_app``: the one way to build the app, for the CLI, the tests and
the screenshot script alike.  Nothing is written on import."""

from __future__ import annotations

from pathlib import Path

from tui_reader.core import paths as app_paths
from tui_reader.core.config import Config, load_config
from tui_reader.core.fsutil import dir_writable
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.context import ReaderContext

# The first-run line: what the embedded samples are and how to get a library of one's own.
SAMPLES_NOTICE = ("These are samples: tui-reader follow dw-dengwei/daily-arXiv-ai-enhanced --days 30 "
                  "gets you a month of the producer's papers (or tui-reader DIR opens your own digests).")


def _usable_dir(directory: Path) -> Path | None:
    return directory if dir_writable(directory) else None


def keymap_problems(config: Config) -> list[str]:
    """Why each ``[keys]`` override of ``config`` would be ignored
    (``config.toml:LINE: ...``), checked exactly as the reader checks them
    at start (``ReaderApp.checked_keymap``); for ``tui-reader config``.
    The app is built, never run: nothing is drawn, read or written."""
    if not config.settings.keys:
        return []
    app = ReaderApp(ReaderContext(paths=[], source="config", cache_dir=None, config=config))
    return app.checked_keymap(config.settings.keys)[1]


def make_app(
    paths: list[str] | None = None,
    *,
    config_path: Path | None = None,
    cache_dir: Path | None = None,
    state_path: Path | None = None,
    use_state: bool = True,
    mark_read_after: float | None = None,
    mark_read: str | None = None,
    read_only: bool = False,
) -> ReaderApp:
    """Build the reader for ``paths``; with none, the configured library
    and the followed forks (brought up to date in the background), else
    the embedded samples.  ``read_only``: the state store is read, never
    written, no ``[[commands]]`` are bound and no fork is fetched (the
    CLI also makes the process refuse every file write, see
    ``core.fsutil.set_read_only``)."""
    config = load_config(config_path)
    notices = list(config.errors)
    if read_only:
        config.settings.commands = []
        notices.append("Read-only: bookmarks, notes and read marks are not saved, nothing is written to files "
                       "and your [[commands]] do not run.")
    follows = []
    if paths:
        chosen, source = list(paths), "arguments"
    else:
        from tui_reader.core.follow import resolve_library

        chosen, follows, problems = resolve_library(config.settings)
        notices.extend(problems)
        if read_only:
            follows = []  # the copies on disk are read; none is fetched or cloned
        source = "config"
        if not chosen and not follows:
            chosen, source = [str(app_paths.samples_dir())], "samples"
            notices.append(SAMPLES_NOTICE)
    cache = _usable_dir(cache_dir or app_paths.cache_dir())
    if cache is None:
        notices.append("The cache folder is not writable: every start reads the digests again.")
    store = None
    if use_state:
        from tui_reader.core.state import StateStore

        store = StateStore.open(state_path, read_only=read_only)
        notices.extend(store.notices)
    context = ReaderContext(
        paths=chosen,
        source=source,
        cache_dir=cache,
        config=config,
        store=store,
        notices=notices,
        mark_read=mark_read or config.settings.mark_read,
        mark_read_after=config.settings.mark_read_delay if mark_read_after is None else mark_read_after,
        follows=follows,
        read_only=read_only,
    )
    return ReaderApp(context)
