"""Run the real ``tui-reader`` in a detached tmux session: type keys, read
the screen and what the shell printed after the app ended."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

BIN = Path(sys.executable).with_name("tui-reader")


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], width: int = 80, height: int = 24,
                 unset: tuple[str, ...] = ()) -> None:
        self.socket = f"tui-robust-{uuid.uuid4().hex[:8]}"
        self.session = "t"
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        unsets = " ".join(f"-u {k}" for k in unset)
        command = (f"env {unsets} {assignments} {shlex.quote(str(BIN))} "
                   + " ".join(shlex.quote(a) for a in args)
                   + '; echo "EXIT=$?"; sleep 60')
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", self.session,
                        "-x", str(width), "-y", str(height), "sh", "-c", command], check=True,
                       env={**os.environ, "TMUX": ""})

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              errors="replace").stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", self.session)

    def send(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.session, *keys)

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if needle in text:
                return text
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} never appeared; the screen was:\n{text}")

    def close(self) -> None:
        self._tmux("kill-server")


def available() -> bool:
    return shutil.which("tmux") is not None and BIN.exists()
