"""Import Whoosh without ``urllib.request``.

``whoosh.compat`` does ``from urllib.request import urlretrieve`` for a
download helper this project never calls; that one line pulls in
``http.client``, ``ssl`` and ``email`` — a third of the time a
``tui-reader search`` process spent importing (35 of ~100 ms CPU).
While ``whoosh.compat`` is imported, ``urllib.request`` is a stand-in
whose ``urlretrieve`` imports the real module when called; afterwards the
stand-in is gone from ``sys.modules``, so any later
``import urllib.request`` gets the real module.
"""

from __future__ import annotations

import sys
import types


def _urlretrieve(*args, **kwargs):
    import urllib.request

    return urllib.request.urlretrieve(*args, **kwargs)


def _import_whoosh_compat() -> None:
    if "whoosh.compat" in sys.modules or "urllib.request" in sys.modules:
        return
    stand_in = types.ModuleType("urllib.request")
    stand_in.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    sys.modules["urllib.request"] = stand_in
    try:
        import whoosh.compat  # noqa: F401
    finally:
        if sys.modules.get("urllib.request") is stand_in:
            del sys.modules["urllib.request"]
        import urllib

        if getattr(urllib, "request", None) is stand_in:
            del urllib.request


_import_whoosh_compat()
