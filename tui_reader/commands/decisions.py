"""``tui-reader decisions import FILE | export [-o FILE]``: the triage
decisions the ranking learns from, for scripts and evaluations.

* ``import FILE`` (``-`` for stdin): lines ``ARXIV_ID<TAB>keep|skip|later|mute[<TAB>TAG]``
  or CSV with those columns (header optional).  A bad line is reported on
  stderr as ``FILE:LINE: message`` and the others are imported (exit 1 then);
  papers in no library are kept by id.  One transaction.
* ``export [-o FILE]``: the same format, oldest first; FILE written
  atomically (a symbolic link is written through), else stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.text import Text

from tui_reader.commands.common import stderr_console, usage_error
from tui_reader.core.ranking.decision_file import format_decisions, parse_decisions
from tui_reader.core.state import StateError, StateStore
from tui_reader.core.state.export import write_atomic
from tui_reader.core.text import clean


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", help="record decisions from a file: ID<TAB>KIND[<TAB>TAG] or CSV")
    importing.add_argument("file", metavar="FILE", help="the file to read ('-' for standard input)")
    export = actions.add_parser("export", help="write every decision as ID<TAB>KIND[<TAB>TAG] lines")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def run(args: argparse.Namespace) -> int:
    store = StateStore.open()
    try:
        console = stderr_console()
        for notice in store.notices:
            console.print(Text(f"tui-reader: {clean(notice)}", style="yellow"), soft_wrap=True)
        if args.action == "import":
            return _import(store, args.file)
        return _export(store, args.output)
    finally:
        store.close()


def _import(store: StateStore, name: str) -> int:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        return usage_error(f"cannot read {clean(name)}: {error.strerror or error}")
    found, bad = parse_decisions(data.decode("utf-8", errors="replace"))
    shown = "<stdin>" if name == "-" else clean(name)
    for line in bad:
        print(f"{shown}:{line.line}: {line.message}", file=sys.stderr)
    if store.read_only and found:
        print("tui-reader: the state store is read-only; no decision was recorded", file=sys.stderr)
        return 1
    try:
        tokens = store.record_decisions([(d.id, d.kind, d.tag or None, None) for d in found], source="import")
    except StateError as error:
        print(f"tui-reader: not saved: {error}", file=sys.stderr)
        return 1
    kinds: dict[str, int] = {}
    for decision in found:
        kinds[decision.kind] = kinds.get(decision.kind, 0) + 1
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    message = f"{len(tokens)} decisions imported" + (f" ({detail})" if detail else "")
    if bad:
        message += f"; {len(bad)} bad lines skipped"
    print(message, file=sys.stderr)
    return 1 if bad else 0


def _export(store: StateStore, output: str | None) -> int:
    rows = list(store.decisions())
    text = format_decisions(rows)
    if not output or output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(output)
    try:
        written = write_atomic(target, text)
    except OSError as error:
        return usage_error(f"cannot write {clean(output)}: {error.strerror or error}")
    where = f"{target} (-> {written})" if written != target else str(target)
    stderr_console().print(Text(f"{len(rows)} decisions written to {clean(where)}"), soft_wrap=True)
    return 0
