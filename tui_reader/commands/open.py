"""``tui-reader [PATH...]``: open the reader."""

from __future__ import annotations

import argparse
import codecs
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


def run(args: argparse.Namespace) -> int:
    from tui_reader.ui.factory import make_app

    app = make_app(paths=list(args.paths))
    notice = _utf8_terminal()
    if notice:
        app.context.notices.append(notice)
    app.run()
    return app.return_code or 0
