"""A program started by a ``[[commands]]`` key ends with the reader, even
when the reader is killed outright (SIGKILL gives it no chance to clean
up): the program is told by the kernel (PR_SET_PDEATHSIG)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.robustness.waiting import alive

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")]


def test_a_running_command_dies_with_a_killed_reader(tmp_path: Path) -> None:
    pid_file = tmp_path / "program.pid"
    program = tmp_path / "program.py"
    program.write_text(f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)\n")
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import threading
        from tui_reader.core.user_commands import UserCommand, run_command
        command = UserCommand("Sleep", "Z", ({sys.executable!r}, {str(program)!r}), timeout=120)
        thread = threading.Thread(target=run_command, args=(command, b"{{}}", 1))  # as the reader's worker does
        thread.start()
        thread.join()
    """)], start_new_session=True)
    try:
        for _ in range(200):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.05)
        program_pid = int(pid_file.read_text())
        assert alive(program_pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        for _ in range(200):
            if not alive(program_pid):
                break
            time.sleep(0.05)
        assert not alive(program_pid), "the command outlived the reader"
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
        try:
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
        except (OSError, ValueError):
            pass


# --- hooks that detach, flood and never end (issue 28, point 4) ---------------------------------------


def _program(tmp_path: Path, body: str) -> tuple[str, ...]:
    script = tmp_path / "hook.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return (sys.executable, str(script))


def _detached_child(pid_file: Path) -> str:
    """Source for a program that starts a child in a session of its own
    (out of reach of a process-group kill) which keeps stdout and stderr."""
    return f"""
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import os, time; os.setsid(); time.sleep(300)"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        print("sent", flush=True)
    """


def _run_in_thread(command, data: bytes = b"{}"):
    import threading

    from tui_reader.core.user_commands import run_command

    result = []
    thread = threading.Thread(target=lambda: result.append(run_command(command, data, 1)), daemon=True)
    thread.start()
    thread.join(60)  # a hang guard, not a timing: the fixed code answers in about a second
    assert not thread.is_alive(), "run_command still waits on a pipe a detached child holds"
    return result[0]


def _kill(pid_file: Path) -> None:
    try:
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
    except (OSError, ValueError):
        pass


def test_a_detached_child_holding_the_output_does_not_hold_the_reader(tmp_path: Path) -> None:
    from tui_reader.core.user_commands import UserCommand

    pid_file = tmp_path / "child.pid"
    try:
        outcome = _run_in_thread(UserCommand("Detach", "Z", _program(tmp_path, _detached_child(pid_file)),
                                             timeout=600))
        assert outcome.ok and outcome.summary == "Detach (1 paper): sent"
    finally:
        _kill(pid_file)


def test_a_program_that_never_ends_reports_its_timeout_despite_a_detached_child(tmp_path: Path) -> None:
    from tui_reader.core.user_commands import UserCommand

    pid_file = tmp_path / "child.pid"
    body = _detached_child(pid_file) + "    import time\n        time.sleep(300)\n"
    try:
        outcome = _run_in_thread(UserCommand("Forever", "Z", _program(tmp_path, body), timeout=1))
        assert not outcome.ok and "stopped after 1 s (its timeout)" in outcome.summary
        assert outcome.output == "sent"
    finally:
        _kill(pid_file)


def test_a_flood_of_output_is_read_with_a_cap(tmp_path: Path) -> None:
    flood = _program(tmp_path, """
        import sys
        block = b"x" * (1 << 20)
        for _ in range(400):
            sys.stdout.buffer.write(block)
    """)
    probe = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import resource
        from tui_reader.core.user_commands import MAX_OUTPUT, UserCommand, run_command
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        outcome = run_command(UserCommand("Flood", "Z", {flood!r}, timeout=120), b"{{}}", 1)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        assert outcome.ok, outcome.summary
        assert len(outcome.output) <= MAX_OUTPUT + 2 and outcome.output.endswith(" …")
        print(grown // 1024)
    """)], capture_output=True, text=True, timeout=300)
    assert probe.returncode == 0, probe.stderr
    grown_mb = int(probe.stdout.split()[-1])
    assert grown_mb < 100, f"reading 400 MB of output grew the reader by {grown_mb} MB"
