"""``tui-reader [PATH...]``: open the reader."""

from __future__ import annotations

import argparse
import codecs
import signal
import sys


def _utf8_terminal() -> str | None:
    """Textual draws through ``sys.__stderr__`` in the locale's encoding; under
    a non-UTF-8 locale (``LANG=C`` in a container or over ssh) every box and
    bullet character comes out as a ``\\u2502`` escape and the layout falls
    apart.  Draw in UTF-8 anyway (nearly every terminal speaks it) and say
    so; returns the notice, or None when nothing had to change."""
    stream = sys.__stderr__
    encoding = getattr(stream, "encoding", None) or ""
    try:
        if codecs.lookup(encoding).name == "utf-8":
            return None
    except LookupError:
        pass
    try:
        stream.reconfigure(encoding="utf-8", errors="replace")
    except (AttributeError, ValueError, OSError):
        return None
    return (f"The locale's encoding is {encoding or 'unknown'}, not UTF-8: drawing in UTF-8 anyway. "
            "If the screen looks wrong, set LANG=C.UTF-8 (or another UTF-8 locale).")


def _quit_on_sigterm(app, received: list[int]):
    """SIGTERM (``kill``, a closing session manager) and SIGHUP (the
    terminal closed) quit like ``q``: the session is saved, the index
    build stops, and the terminal leaves the alternate screen, mouse mode
    and raw mode.  Python's default would die on the spot (leaving the
    index workers running and the session unsaved).  Returns the previous
    handlers ({signal: handler})."""

    def handler(signum, frame) -> None:
        received.append(signum)
        loop = getattr(app, "_loop", None)
        if loop is None or loop.is_closed():
            raise SystemExit(128 + signum)
        loop.call_soon_threadsafe(lambda: loop.create_task(app.action_quit()))

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous[signum] = signal.signal(signum, handler)
        except (ValueError, OSError):  # not the main thread
            pass
    return previous


def run(args: argparse.Namespace) -> int:
    from tui_reader.ui.factory import make_app

    read_only = bool(getattr(args, "read_only", False))
    if read_only:
        from tui_reader.core.fsutil import set_read_only

        set_read_only()
    app = make_app(paths=list(args.paths), read_only=read_only)
    notice = _utf8_terminal()
    if notice:
        app.context.notices.append(notice)
    received: list[int] = []
    previous = _quit_on_sigterm(app, received)
    try:
        app.run()
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
    if received:
        name = signal.Signals(received[0]).name
        try:
            print(f"tui-reader: stopped by {name}; the session was saved.", file=sys.stderr)
        except OSError:
            pass  # the terminal is gone (SIGHUP)
        return 128 + received[0]
    return app.return_code or 0
