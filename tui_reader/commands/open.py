"""``tui-reader [PATH...]``: open the reader."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from tui_reader.ui.factory import make_app

    app = make_app(paths=list(args.paths))
    app.run()
    return app.return_code or 0
