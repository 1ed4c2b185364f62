"""``tui-reader serve``: starts, answers on localhost, stops on SIGTERM;
a clear message without the ``web`` extra; a warning off localhost."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tui_reader.cli import main
from tui_reader.commands import serve


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_missing_extra_is_a_clear_message(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve"]) == 2
    assert "pip install 'tui-reader[web]'" in capsys.readouterr().err


def test_warns_when_bound_beyond_this_machine(capsys, monkeypatch) -> None:
    started = {}

    class FakeServer:
        def __init__(self, command, host, port, title, public_url):
            started.update(command=command, host=host, port=port, url=public_url)

        def serve(self):
            started["served"] = True

    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "some dir; rm -rf ~"]) == 0
    err = capsys.readouterr().err
    assert "WARNING" in err and "no login" in err and "--public-url" in err
    assert started["served"] and started["host"] == "0.0.0.0" and started["port"] == 8123
    # The path is one quoted argument, never shell text.
    assert started["command"].endswith("-m tui_reader 'some dir; rm -rf ~'")
    assert main(["serve"]) == 0 and "WARNING" not in capsys.readouterr().err
    assert started["host"] == "127.0.0.1" and started["url"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize(("host", "local"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                             ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)])
def test_what_counts_as_local(host: str, local: bool) -> None:
    assert serve.is_local(host) is local


@pytest.mark.slow
def test_serve_answers_on_localhost_and_stops_on_sigterm(tmp_path, isolated_dirs) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_reader", "serve", "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env=dict(os.environ),
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.2)
        assert "<title>tui-reader</title>" in page or "tui-reader" in page, page[:500]
        assert f"ws://127.0.0.1:{port}/ws" in page
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert f"serving the reader on http://127.0.0.1:{port}" in out
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
