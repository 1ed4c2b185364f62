"""``tui-reader config``: where the config file is and what is in effect."""

from __future__ import annotations

import argparse
import json

from rich.table import Table
from rich.text import Text

from tui_reader.commands.common import library_paths, stdout_console
from tui_reader.core import paths
from tui_reader.core.config import load_config
from tui_reader.core.text import clean


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the effective settings as one JSON object")


def run(args: argparse.Namespace) -> int:
    config = load_config()
    settings = config.settings
    effective = {
        "config_file": str(config.path),
        "config_exists": config.exists,
        "library": library_paths([]),
        "library_source": "config" if settings.library else "embedded samples",
        "language": settings.language or "(first available; the last one chosen in the app is remembered)",
        "theme": settings.theme or "(Textual default; the last one chosen in the app is remembered)",
        "keys": settings.keys,
        "commands": [{"name": c.name, "key": c.key, "argv": list(c.argv), "input": c.input, "timeout": c.timeout}
                     for c in settings.commands],
        "cache_dir": str(paths.cache_dir()),
        "data_dir": str(paths.data_dir()),
        "errors": config.errors,
    }
    if args.json:
        print(json.dumps(effective, ensure_ascii=False))
        return 1 if config.errors else 0
    console = stdout_console()
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold")
    table.add_column()
    # Every value is cleaned before it is printed: paths and names come from
    # the environment and the file, and may hold escape sequences.
    where = clean(f"{config.path}") + ("" if config.exists else "  (not created; defaults in use)")
    table.add_row("config file", Text(where))
    table.add_row("library", Text(clean("\n".join(effective["library"])) + f"  ({effective['library_source']})"))
    table.add_row("language", Text(clean(effective["language"])))
    table.add_row("theme", Text(clean(effective["theme"])))
    table.add_row("keys", Text(clean(", ".join(f"{k} = {v}" for k, v in settings.keys.items()))
                               or "(defaults; see ? in the app)"))
    table.add_row("commands", Text(clean("\n".join(f"{c.key}: {c.name}  ({' '.join(c.argv)}; {c.input} on stdin)"
                                                    for c in settings.commands)) or "(none)"))
    table.add_row("cache dir", Text(clean(effective["cache_dir"])))
    table.add_row("data dir", Text(clean(effective["data_dir"])))
    console.print(table)
    for error in config.errors:
        console.print(Text(clean(error), style="red"), soft_wrap=True)  # file:line stays on one line
    return 1 if config.errors else 0
