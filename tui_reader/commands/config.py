"""``tui-reader config [--json] [--init [--force]]``: where the config file
is, what is in effect, and what in it the reader would ignore (``[keys]``
checked exactly as the reader checks them); ``--init`` writes a commented
default file."""

from __future__ import annotations

import argparse
import json
import sys

from rich.table import Table
from rich.text import Text

from tui_reader.commands.common import library_paths, stdout_console, usage_error
from tui_reader.core import paths
from tui_reader.core.config import DEFAULT_CONFIG, load_config
from tui_reader.core.fsutil import write_atomic
from tui_reader.core.text import clean


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the effective settings as one JSON object")
    parser.add_argument("--init", action="store_true",
                        help="write a commented default config.toml (every setting commented out)")
    parser.add_argument("--force", action="store_true", help="with --init: replace an existing config.toml")


def init(force: bool) -> int:
    """Write the commented default config (atomically); an existing file
    is kept unless ``force``."""
    path = paths.config_file()
    if path.exists() and not force:
        return usage_error(f"config: {clean(str(path))} exists; kept (--init --force replaces it)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, DEFAULT_CONFIG)
    except OSError as error:
        print(f"tui-reader: config: cannot write {clean(str(path))}: {clean(error.strerror or str(error))}",
              file=sys.stderr)
        return 1
    print(f"wrote {clean(str(path))} (every setting commented out: the defaults apply)")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.force and not args.init:
        return usage_error("config: --force goes with --init")
    if args.init:
        return init(args.force)
    from tui_reader.ui.factory import keymap_problems

    config = load_config()
    config.errors.extend(keymap_problems(config))
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
