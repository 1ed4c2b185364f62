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

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


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
