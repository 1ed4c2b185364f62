"""``[[commands]]``: validation with file:line messages, what the program
receives on stdin, its output, failures and timeouts as notices."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from tui_reader.core.config import load_config
from tui_reader.core.model import Paper, Summary
from tui_reader.core.state import Bookmark, Snapshot
from tui_reader.core.user_commands import UserCommand, payload, records, run_command, stop_all

PAPER = Paper(id="2601.18800", title="NavFormer: $\\alpha$ Forecasting", authors=["Ada Lovelace"],
              categories=["cs.LG"], comment="Accepted to CVPR 2026", abs_url="javascript:alert(1)",
              summaries={"English": Summary(tldr="Short.")}, dates=["2026-01-27"])


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_commands_load_and_bad_ones_are_reported_by_line(tmp_path: Path) -> None:
    path = write_config(tmp_path, """language = "English"

[[commands]]
name = "Add to Zotero"
key = "Z"
input = "ris"
argv = ["curl", "-sSf", "--data-binary", "@-", "http://127.0.0.1:23119/connector/import"]
timeout = 20

[[commands]]
name = "Shell string"
key = "W"
argv = "cat | mail me"

[[commands]]
name = "Odd"
key = "O"
argv = ["cat"]
input = "yaml"
timeout = -1
colour = "red"

[[commands]]
name = "Twice"
key = "Z"
argv = ["true"]

[[commands]]
key = "N"
argv = ["true"]
""")
    config = load_config(path)
    commands = config.settings.commands
    assert [(c.name, c.key, c.input, c.timeout) for c in commands] == [
        ("Add to Zotero", "Z", "ris", 20.0), ("Odd", "O", "json", 30.0)]
    assert commands[0].argv[0] == "curl" and commands[0].line == 3
    assert commands[0].binding_id == "commands.add_to_zotero"
    errors = "\n".join(config.errors)
    assert f"{path}:13: [[commands]] 'Shell string': 'argv' must be a list of strings, not one shell string" in errors
    assert f"{path}:19: [[commands]] 'Odd': 'input' must be one of" in errors
    assert f"{path}:20: [[commands]] 'Odd': 'timeout' must be" in errors
    assert f"{path}:21: [[commands]] unknown field 'colour'" in errors
    assert f"{path}:25: [[commands]] 'Twice': key 'Z' is already bound to the command on line 3" in errors
    assert f"{path}:28: [[commands]] needs a name" in errors


def test_commands_must_be_tables(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'commands = "oops"\n')
    config = load_config(path)
    assert config.settings.commands == [] and config.errors == [
        f"{path}:1: 'commands' must be [[commands]] tables; ignored"]


def test_json_payload_carries_papers_and_bookmarks() -> None:
    mark = Bookmark(PAPER.id, "2026-01-28T00:00:00Z", ["nav"], "my note", Snapshot.from_paper(PAPER))
    items = records([PAPER, Paper(id="2601.00002", title="Other")], {PAPER.id: mark})
    document = json.loads(payload(items))
    assert document["format"] == "tui-reader-papers" and document["version"] == 1
    first, second = document["papers"]
    assert first["id"] == "2601.18800" and first["title"] == "NavFormer: $\\alpha$ Forecasting"
    assert first["venue"] == "CVPR 2026" and first["tags"] == ["nav"] and first["note"] == "my note"
    assert first["bookmarked"] is True and second["bookmarked"] is False
    assert first["abs_url"] == "https://arxiv.org/abs/2601.18800"  # never the javascript: link
    assert first["tldr"] == {"English": "Short."} and first["citation_key"] == "lovelace2026navformer"
    assert payload(items, "ris").decode().startswith("TY  - ")


def program(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "prog.py"
    script.write_text(body, encoding="utf-8")
    return [sys.executable, str(script)]


def test_a_program_receives_the_json_and_its_output_is_the_notice(tmp_path: Path) -> None:
    received = tmp_path / "received.json"
    argv = program(tmp_path, f"""import sys, json
data = sys.stdin.read()
open({str(received)!r}, "w").write(data)
print("added", len(json.loads(data)["papers"]), "papers\\x1b[31m")
""")
    data = payload(records([PAPER]))
    outcome = run_command(UserCommand("Save", "Z", tuple(argv)), data, 1)
    assert outcome.ok and outcome.returncode == 0
    assert outcome.summary == "Save (1 paper): added 1 papers"  # escape sequences cleaned
    assert json.loads(received.read_text())["papers"][0]["id"] == "2601.18800"


def test_a_failing_program_gives_its_error(tmp_path: Path) -> None:
    argv = program(tmp_path,
                   "import sys\nsys.stdin.read()\nprint('Zotero is not running', file=sys.stderr)\nsys.exit(7)\n")
    outcome = run_command(UserCommand("Add to Zotero", "Z", tuple(argv)), b"{}", 2)
    assert not outcome.ok and outcome.returncode == 7
    assert outcome.summary == "Add to Zotero failed (exit code 7): Zotero is not running"
    missing = run_command(UserCommand("Gone", "G", ("/no/such/program",)), b"{}", 1)
    assert not missing.ok and "cannot run '/no/such/program'" in missing.summary


def test_a_program_that_hangs_is_stopped_with_what_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    argv = program(tmp_path, f"""import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
open({str(pid_file)!r}, "w").write(str(child.pid))
time.sleep(60)
""")
    outcome = run_command(UserCommand("Hang", "H", tuple(argv), timeout=1.5), b"", 1)
    assert not outcome.ok and "stopped after 1.5 s" in outcome.summary
    child = int(pid_file.read_text())
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the program's own child outlived the timeout")
    stop_all()  # nothing left to stop; must not fail
