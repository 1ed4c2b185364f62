"""``tui-reader check PATH... [--json]``: read digests without the UI."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import marshal
import re
import sys
from collections import Counter
from pathlib import Path

from rich.table import Table
from rich.text import Text

from tui_reader.commands import PATHS_HELP
from tui_reader.commands.common import library_paths, stdout_console, writable_cache_dir
from tui_reader.core.days import repeats_previous
from tui_reader.core.fsutil import write_atomic
from tui_reader.core.loader import Library, cached_fingerprint, load_library
from tui_reader.core.model import Problem
from tui_reader.core.text import FORMAT_CHARACTERS, clean

# Lone surrogates are undecodable bytes of a file name (surrogateescape).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff" + FORMAT_CHARACTERS + "]")


def _json_escape(match: re.Match) -> str:
    """A JSON \\u escape; a character beyond the BMP (a tag character) as
    its surrogate pair, which is what JSON asks for."""
    code = ord(match[0])
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _printable(text: str) -> str:
    """Paper text and file names made safe for a terminal: no control
    sequences, and a file name's undecodable bytes shown as \\xe9."""
    return clean(_ESCAPED_BYTE.sub(lambda m: f"\\x{ord(m[0]) - 0xDC00:02x}", text))


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    parser.add_argument("--no-cache", action="store_true", help="parse every file again, ignoring the parse cache")


def summarize(library: Library) -> dict:
    categories: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    no_summary = failed = 0
    for paper in library.papers.values():
        categories.update(paper.categories)
        languages.update(paper.languages)  # failure placeholders are no summary (core.placeholders)
        no_summary += paper.summary_missing
        failed += paper.summary_failed
    days = per_day(library)
    return {
        "files": len(library.files),
        "entries": library.entries,
        "papers": len(library.papers),
        "categories": dict(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
        "languages": dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        "problems": [p.as_dict() for p in library.problems],
        "no_summary": no_summary,
        "summary_failed": failed,
        "days": days,
        "repeated_days": [{"date": d["date"], "repeats": d["repeats"]} for d in days if d["repeats"]],
    }


def per_day(library: Library) -> list[dict]:
    """Oldest day first: how many papers the day lists, how many of them
    have no AI summary (the producer dropped them from its enhanced file)
    and how many have a failed one, and the earlier day whose digest it
    repeats (every paper of the day was in the day before: a weekend or
    holiday, when arXiv announces nothing and the producer runs anyway)."""
    ids_by_day: dict[str, dict[str, None]] = {}
    for source in library.files:
        if source.date:
            ids_by_day.setdefault(source.date, {}).update(dict.fromkeys(source.ids))
    days: list[dict] = []
    previous: dict[str, None] = {}
    previous_day = ""
    original = ""  # the first day of a run of repeats
    for day in sorted(ids_by_day):
        ids = ids_by_day[day]
        papers = [library.papers[i] for i in ids if i in library.papers]
        repeats = previous_day and repeats_previous(ids, previous)
        if repeats:
            original = original or previous_day
        else:
            original = ""
        days.append({
            "date": day,
            "papers": len(papers),
            "no_summary": sum(p.summary_missing for p in papers),
            "summary_failed": sum(p.summary_failed for p in papers),
            "repeats": original if repeats else None,
        })
        previous, previous_day = ids, day
    return days


def _report_key(fingerprint: str) -> str:
    """The library's fingerprint and this module's source: a changed
    report format never reads an old report."""
    source = Path(__file__).read_bytes() if Path(__file__).is_file() else b""
    return fingerprint + ":" + hashlib.blake2b(source, digest_size=8).hexdigest()


def _report_path(cache: Path, library_key: str) -> Path:
    return cache / "library" / f"{library_key}.check"


def cached_report(paths: list[str], cache: Path | None) -> dict | None:
    """The report of the last check of this library, when its files are
    unchanged since (sizes and modification times, as the caches know
    them): a warm check at 75,000 papers took seconds loading the library
    only to count what it counted last time."""
    found = cached_fingerprint(paths, cache)
    if found is None:
        return None
    library_key, fingerprint = found
    try:
        key, report = marshal.loads(_report_path(cache, library_key).read_bytes())
    except Exception:  # noqa: BLE001 - missing, damaged, another Python
        return None
    return report if key == _report_key(fingerprint) and isinstance(report, dict) else None


def _keep_report(paths: list[str], cache: Path, report: dict) -> None:
    found = cached_fingerprint(paths, cache)
    if found is None:
        return
    library_key, fingerprint = found
    with contextlib.suppress(OSError, ValueError):  # an unwritable cache only costs speed
        write_atomic(_report_path(cache, library_key), marshal.dumps((_report_key(fingerprint), report)))


def run(args: argparse.Namespace) -> int:
    paths = library_paths(args.paths)
    cache = None if args.no_cache else writable_cache_dir()
    report = cached_report(paths, cache)
    cached_files = report["files"] if report is not None else 0
    if report is None:
        library = load_library(paths, cache)
        report = summarize(library)
        cached_files = library.cached_files
        if cache is not None:
            _keep_report(paths, cache, report)
    if args.json:
        # json escapes C0 controls itself; C1 controls (8-bit CSI/OSC) and
        # invisible bidi/zero-width characters, possible in file names, are
        # escaped here too so the output is safe to print to a terminal, and
        # a name's undecodable bytes become \udcxx escapes, not invalid UTF-8.
        text = _UNSAFE_IN_JSON.sub(_json_escape, json.dumps(report, ensure_ascii=False))
        sys.stdout.write(text + "\n")
    else:
        print_report(report, cached_files)
    return 1 if report["problems"] else 0


def print_report(report: dict, cached_files: int) -> None:
    console = stdout_console()
    head = Text()
    head.append(f"{report['files']}", style="bold")
    head.append(" files, ")
    head.append(f"{report['entries']}", style="bold")
    head.append(" entries, ")
    head.append(f"{report['papers']}", style="bold")
    head.append(" unique papers")
    if cached_files:
        head.append(f"  ({cached_files} files from cache)", style="dim")
    console.print(head)

    if report["categories"]:
        table = Table(title="Papers per category", title_justify="left", show_edge=False)
        table.add_column("category")
        table.add_column("papers", justify="right")
        for name, count in report["categories"].items():
            table.add_row(Text(name), str(count))
        console.print(table)
    if report["languages"]:
        table = Table(title="Papers per summary language", title_justify="left", show_edge=False)
        table.add_column("language")
        table.add_column("papers", justify="right")
        for name, count in report["languages"].items():
            table.add_row(Text(name), str(count))
        console.print(table)
    print_days(console, report)
    if report["problems"]:
        count = len(report["problems"])
        console.print(Text(f"{count} problem{'s' if count != 1 else ''}:", style="bold red"))
        for problem in report["problems"]:
            console.print(Text(_printable(str(Problem(**problem)))), soft_wrap=True)
    else:
        console.print(Text("no problems", style="green"))


def print_days(console, report: dict) -> None:
    """Per day: papers, no summary, failed, and repeats of an earlier day."""
    if not report["days"]:
        return
    table = Table(title="Papers per day", title_justify="left", show_edge=False)
    table.add_column("day", no_wrap=True)
    table.add_column("papers", justify="right")
    table.add_column("no AI summary", justify="right")
    table.add_column("summary failed", justify="right")
    table.add_column("note")
    for day in report["days"]:
        note = Text(f"repeats {day['repeats']}", style="yellow") if day["repeats"] else Text("")
        table.add_row(Text(day["date"]), str(day["papers"]), str(day["no_summary"] or ""),
                      str(day["summary_failed"] or ""), note)
    console.print(table)
    line = Text()
    line.append(f"{report['no_summary']}", style="bold")
    line.append(" papers without an AI summary (dropped by the producer), ")
    line.append(f"{report['summary_failed']}", style="bold")
    line.append(" whose summary failed")
    if report["repeated_days"]:
        line.append(f"; {len(report['repeated_days'])} day(s) repeat an earlier digest: ")
        line.append(", ".join(d["date"] for d in report["repeated_days"]))
    console.print(line)
