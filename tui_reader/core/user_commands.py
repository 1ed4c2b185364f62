"""Your own commands: ``[[commands]]`` in ``config.toml`` binds a key to
an external program that receives the highlighted or selected papers on
standard input (JSON by default, or any export format).  No Textual here:
the reader runs :func:`run_command` in a thread worker and shows the
:class:`Outcome` as a notice.

Example::

    [[commands]]
    name = "Add to Zotero"
    key = "Z"
    input = "ris"               # json (default), bibtex, ris, csl-json, csv, markdown
    argv = ["curl", "-sSf", "--data-binary", "@-",
            "-H", "Content-Type: application/x-research-info-systems",
            "http://127.0.0.1:23119/connector/import"]
    timeout = 20                # seconds (default 30, at most 600)

``argv`` is a list run as it is, without a shell: paper text only ever
reaches the program on its standard input.  The program runs in a process
group of its own, is ended (with everything it started) when it outlives
its timeout, and dies with the reader (``PR_SET_PDEATHSIG`` on Linux;
:func:`stop_all` on a normal exit)."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from tui_reader.core.fsutil import read_only
from tui_reader.core.state.export import FORMATS, citation, records, render
from tui_reader.core.state.snapshot import Bookmark
from tui_reader.core.text import clean, one_line

PAYLOAD_FORMAT = "tui-reader-papers"
PAYLOAD_VERSION = 1
INPUTS = ("json", *[f for f in FORMATS if f != "json"])
DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 600.0
FIELDS = ("name", "key", "argv", "input", "timeout")
_KEY = re.compile(r"^[A-Za-z0-9_+\-]+(?:,[A-Za-z0-9_+\-]+)*$")
MAX_OUTPUT = 64 * 1024  # bytes kept of a program's output


@dataclass(frozen=True, slots=True)
class UserCommand:
    name: str
    key: str
    argv: tuple[str, ...]
    input: str = "json"
    timeout: float = DEFAULT_TIMEOUT
    line: int = 0  # where its [[commands]] table starts in config.toml

    @property
    def binding_id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "_", self.name.casefold()).strip("_") or "command"
        return f"commands.{slug}"


def parse_commands(value: object, text: str, path: object) -> tuple[list[UserCommand], list[str]]:
    """The ``commands`` array of a parsed config file; problems as
    ``file:line: message`` (a bad command is left out, the rest load)."""
    errors: list[str] = []
    headers = [n for n, line in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[\s*commands\s*\]\]", line)]
    if not isinstance(value, list):
        errors.append(f"{path}:{_first_line(text, 'commands')}: 'commands' must be [[commands]] tables; ignored")
        return [], errors
    commands: list[UserCommand] = []
    seen_keys: dict[str, int] = {}
    for number, table in enumerate(value):
        start = headers[number] if number < len(headers) else _first_line(text, "commands")
        end = headers[number + 1] if number + 1 < len(headers) else len(text.splitlines()) + 1

        def bad(message: str, field: str | None = None, start: int = start, end: int = end) -> None:
            line = _line_in(text, field, start, end) if field else start
            errors.append(f"{path}:{line}: [[commands]] {message}")

        if not isinstance(table, dict):
            bad("must be a table; ignored")
            continue
        for field in table:
            if field not in FIELDS:
                bad(f"unknown field {field!r} ignored (known: {', '.join(FIELDS)})", field)
        name = table.get("name")
        key = table.get("key")
        argv = table.get("argv")
        if not isinstance(name, str) or not one_line(clean(name)):
            bad("needs a name (a string); command ignored", "name" if "name" in table else None)
            continue
        name = one_line(clean(name))[:60]
        if not isinstance(key, str) or not _KEY.match(key.strip()):
            bad(f"{name!r}: 'key' must be a key name such as \"Z\" or \"ctrl+k\"; command ignored",
                "key" if "key" in table else None)
            continue
        key = key.strip()
        if isinstance(argv, str):
            bad(f"{name!r}: 'argv' must be a list of strings, not one shell string "
                f"(e.g. [\"sh\", \"-c\", \"...\"] if you want a shell); command ignored", "argv")
            continue
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) and a for a in argv):
            bad(f"{name!r}: 'argv' must be a non-empty list of strings; command ignored",
                "argv" if "argv" in table else None)
            continue
        if "\x00" in "".join(argv):
            bad(f"{name!r}: 'argv' holds a NUL character; command ignored", "argv")
            continue
        kind = table.get("input", "json")
        if kind not in INPUTS:
            bad(f"{name!r}: 'input' must be one of {', '.join(INPUTS)}; using json", "input")
            kind = "json"
        timeout = table.get("timeout", DEFAULT_TIMEOUT)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
            bad(f"{name!r}: 'timeout' must be a number of seconds, above 0 and at most {MAX_TIMEOUT:.0f}; "
                f"using {DEFAULT_TIMEOUT:.0f}", "timeout")
            timeout = DEFAULT_TIMEOUT
        clash = [k for k in key.split(",") if k in seen_keys]
        if clash:
            bad(f"{name!r}: key {clash[0]!r} is already bound to the command on line {seen_keys[clash[0]]}; "
                "command ignored", "key")
            continue
        for k in key.split(","):
            seen_keys[k] = start
        commands.append(UserCommand(name, key, tuple(argv), kind, float(timeout), start))
    return commands, errors


def _first_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*(\[\[\s*{key}\s*\]\]|{key}\s*=)", line):
            return number
    return 1


def _line_in(text: str, field: str | None, start: int, end: int) -> int:
    lines = text.splitlines()
    for number in range(start, min(end, len(lines) + 1)):
        if field and re.match(rf"\s*\"?{re.escape(field)}\"?\s*=", lines[number - 1]):
            return number
    return start


# --- what the program receives -----------------------------------------------------------------


def paper_records(items: Sequence[Bookmark]) -> list[dict]:
    """One JSON object per paper: the bookmark export's snapshot fields
    plus what the reader knows (bookmarked, tags, note, venue, DOI, safe
    links)."""
    out = []
    for item in items:
        snap = item.snapshot
        assert snap is not None
        cite = citation(snap)
        data = snap.to_dict()
        data.update(
            abs_url=cite.links["abs"], pdf_url=cite.links["pdf"], code_url=cite.links["code"],
            venue=cite.venue, doi=cite.doi, citation_key=cite.key,
            bookmarked=bool(item.added_at), tags=list(item.tags), note=item.note,
        )
        out.append(data)
    return out


def payload(items: Sequence[Bookmark], kind: str = "json") -> bytes:
    if kind == "json":
        document = {"format": PAYLOAD_FORMAT, "version": PAYLOAD_VERSION, "papers": paper_records(items)}
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return render(items, kind).encode("utf-8")


# --- running ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    summary: str  # one line for a notice
    output: str = ""  # what the program printed (cleaned, cut)
    returncode: int | None = None
    seconds: float = 0.0


_running: set[subprocess.Popen] = set()
_lock = threading.Lock()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux (no prctl): the child is still killed on timeout
        pass


def _text(data: bytes) -> str:
    text = clean(data[:MAX_OUTPUT].decode("utf-8", errors="replace")).strip()
    return text + (" …" if len(data) > MAX_OUTPUT else "")


def _first_lines(text: str, limit: int = 300) -> str:
    lines = [one_line(line) for line in text.splitlines() if line.strip()]
    shown = " ⏎ ".join(lines[:3])
    if len(lines) > 3:
        shown += f" (+{len(lines) - 3} lines)"
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def run_command(command: UserCommand, data: bytes, count: int) -> Outcome:
    """Run ``command`` with ``data`` on its stdin; never raises, never
    waits past its timeout (a detached child holding the output pipe
    included) and keeps at most :data:`MAX_OUTPUT` bytes of its output."""
    if read_only():
        return Outcome(False, f"{command.name}: not run: the reader is read-only (--read-only)")
    started = time.monotonic()
    what = f"{count} paper{'s' if count != 1 else ''}"
    try:
        process = subprocess.Popen(
            list(command.argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True, close_fds=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    except OSError as error:
        return Outcome(False, f"{command.name}: cannot run {command.argv[0]!r}: {error.strerror or error}")
    with _lock:
        _running.add(process)
    try:
        out, err, timed_out = _exchange(process, data, started + command.timeout)
        if timed_out:
            _end_group(process)
            return Outcome(False, f"{command.name}: stopped after {command.timeout:g} s (its timeout)",
                           _text(err or out), None, time.monotonic() - started)
    finally:
        with _lock:
            _running.discard(process)
        _end_group(process, grace=0.5, only_if_running=True)
    seconds = time.monotonic() - started
    stdout, stderr = _text(out), _text(err)
    if process.returncode != 0:
        detail = _first_lines(stderr or stdout) or "no message"
        code = process.returncode
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        return Outcome(False, f"{command.name} failed ({how}): {detail}", stderr or stdout, code, seconds)
    shown = _first_lines(stdout)
    return Outcome(True, f"{command.name} ({what}): {shown}" if shown else f"{command.name}: done ({what})",
                   stdout, 0, seconds)


AFTER_EXIT = 0.5  # seconds the output pipes are still read once the program has ended
_TICK = 0.1  # how often the exchange looks whether the program has ended


def _exchange(process: subprocess.Popen, data: bytes, deadline: float) -> tuple[bytes, bytes, bool]:
    """Feed ``data`` to the program and read its output as it arrives:
    the first :data:`MAX_OUTPUT` + 1 bytes of each stream are kept, the
    rest is read and dropped (a flood never fills memory).  Stops at
    ``deadline`` (then True: timed out) or :data:`AFTER_EXIT` seconds
    after the program ended, whoever still holds its pipes.  The pipes
    are closed on return."""
    kept = {process.stdout: bytearray(), process.stderr: bytearray()}
    selector = selectors.DefaultSelector()
    for stream in kept:
        os.set_blocking(stream.fileno(), False)
        selector.register(stream, selectors.EVENT_READ)
    pending = memoryview(data)
    if pending:
        os.set_blocking(process.stdin.fileno(), False)
        selector.register(process.stdin, selectors.EVENT_WRITE)
    else:
        _close(process.stdin)
    ended_at: float | None = None
    try:
        while selector.get_map():
            now = time.monotonic()
            if now >= deadline:
                return bytes(kept[process.stdout]), bytes(kept[process.stderr]), True
            if ended_at is None and process.poll() is not None:
                ended_at = now
            if ended_at is not None and now - ended_at >= AFTER_EXIT:
                break
            for key, _ in selector.select(min(_TICK, deadline - now)):
                if key.fileobj is process.stdin:
                    pending = _feed(selector, process.stdin, pending)
                else:
                    _drain(selector, key.fileobj, kept[key.fileobj])
        if process.poll() is None:  # the pipes closed first: wait for the end itself
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                return bytes(kept[process.stdout]), bytes(kept[process.stderr]), True
        return bytes(kept[process.stdout]), bytes(kept[process.stderr]), False
    finally:
        selector.close()
        for stream in (process.stdin, process.stdout, process.stderr):
            _close(stream)


def _feed(selector: selectors.BaseSelector, stream, pending: memoryview) -> memoryview:
    try:
        written = os.write(stream.fileno(), pending[:65536])
    except BlockingIOError:
        return pending
    except OSError:  # the program stopped reading (EPIPE): what it has is enough
        written = len(pending)
    pending = pending[written:]
    if not pending:
        selector.unregister(stream)
        _close(stream)
    return pending


def _drain(selector: selectors.BaseSelector, stream, kept: bytearray) -> None:
    try:
        chunk = os.read(stream.fileno(), 65536)
    except BlockingIOError:
        return
    except OSError:
        chunk = b""
    if not chunk:
        selector.unregister(stream)
        return
    room = MAX_OUTPUT + 1 - len(kept)
    if room > 0:
        kept += chunk[:room]


def _close(stream) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()


def _end_group(process: subprocess.Popen, grace: float = 2.0, only_if_running: bool = False) -> None:
    """TERM, then KILL, the program's whole process group (everything it
    started that did not leave the group).  With ``only_if_running``, a
    program that has ended is left alone (its group id may be reused)."""
    if only_if_running and process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def stop_all() -> None:
    """End every command still running (the reader is quitting)."""
    with _lock:
        running = list(_running)
    for process in running:
        _end_group(process, grace=0.5)


__all__ = ["INPUTS", "Outcome", "UserCommand", "parse_commands", "payload", "records", "run_command", "stop_all"]
