"""``tui-reader serve``: starts, answers on localhost, stops on SIGTERM;
a clear message without the ``web`` extra; a warning off localhost."""

from __future__ import annotations

import os
import re
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


def test_warns_when_bound_beyond_this_machine(capsys, monkeypatch, tmp_path) -> None:
    started = {}
    monkeypatch.chdir(tmp_path)
    (tmp_path / "some dir; rm -rf ~").mkdir()  # a PATH that is not there is refused before serving

    class FakeServer:
        def __init__(self, command, *, token, local, url, host, port, title):
            started.update(command=command, host=host, port=port, url=url, token=token, local=local)

        def serve(self):
            started["served"] = True

    from tui_reader.commands import serve_guard

    monkeypatch.setattr(serve_guard, "GuardedServer", FakeServer)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "some dir; rm -rf ~"]) == 0
    err = capsys.readouterr().err
    assert "WARNING" in err and "token" in err and "--public-url" in err
    assert started["served"] and started["host"] == "0.0.0.0" and started["port"] == 8123
    assert not started["local"] and len(started["token"]) >= serve.MIN_TOKEN
    # The path is one quoted argument, never shell text, and never read as an option.
    assert started["command"].endswith("-m tui_reader -- 'some dir; rm -rf ~'")
    assert main(["serve"]) == 0 and "WARNING" not in capsys.readouterr().err
    assert started["host"] == "127.0.0.1" and started["url"] == "http://127.0.0.1:8000" and started["local"]
    assert main(["serve", "--read-only", "--token", "t" * 20]) == 0
    assert "-m tui_reader --read-only --" in started["command"] and started["token"] == "t" * 20
    assert main(["serve", "--token", "short"]) == 2 and "at least 16" in capsys.readouterr().err


@pytest.mark.parametrize(("host", "local"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                             ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)])
def test_what_counts_as_local(host: str, local: bool) -> None:
    assert serve.is_local(host) is local


@pytest.mark.slow
def test_serve_answers_on_localhost_and_stops_on_sigterm(tmp_path, isolated_dirs) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_reader", "serve", "--port", str(port), "--token", "t" * 16],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env=dict(os.environ),
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={'t' * 16}", timeout=5) as response:
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


# --- the served reader belongs to its owner (issue 28, point 1) ------------------------------------

TOKEN = "owner-token-0123456789abcdef"


@pytest.fixture
def served(isolated_dirs):
    """A real ``serve`` on a free local port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_reader", "serve", "--port", str(port), "--token", TOKEN],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env=dict(os.environ),
    )
    try:
        line = process.stdout.readline()  # printed once the app is set up (it listens right after)
        assert f"?token={TOKEN}" in line, (line, process.stderr.read() if process.poll() is not None else "")
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):  # the listening socket comes a moment after the line
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _handshake(base: str, *, origin: str | None, token: str | None, cookie: bool = False) -> int:
    import aiohttp

    url = base.replace("http:", "ws:") + "/ws?width=80&height=24" + (f"&token={token}" if token and not cookie else "")
    headers = {"Origin": origin} if origin else {}
    if cookie and token:
        headers["Cookie"] = f"tui_reader_token_{base.rsplit(':', 1)[1]}={token}"
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers, autoping=False) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


async def _page(base: str, query: str = "") -> tuple[int, str, dict]:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(base + "/" + query) as response:
        return response.status, await response.text(), dict(response.headers)


@pytest.mark.slow
def test_the_served_reader_answers_only_its_owner(served) -> None:
    import asyncio

    own = served
    status, _, _ = asyncio.run(_page(served))
    assert status == 403  # no token: no page
    status, page, headers = asyncio.run(_page(served, f"?token={TOKEN}"))
    assert status == 200 and "tui-reader" in page
    assert "Set-Cookie" in headers and "SameSite=Strict" in headers["Set-Cookie"]
    # The page asks nothing of another address: every link and script is the served one.
    assert "googleapis" not in page
    for url in re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']+)|url\(\s*["']?([^"')]+)""", page):
        url = url[0] or url[1]
        assert url.startswith((own, "/", "#")) or "{{" in url, url
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    # A page of another site cannot drive the reader, with or without the token.
    assert asyncio.run(_handshake(served, origin="https://evil.example", token=None)) == 403
    assert asyncio.run(_handshake(served, origin="https://evil.example", token=TOKEN)) == 403
    assert asyncio.run(_handshake(served, origin="http://evil.example:80", token=TOKEN, cookie=True)) == 403
    assert asyncio.run(_handshake(served, origin=own, token=None)) == 403
    assert asyncio.run(_handshake(served, origin=own, token="x" * len(TOKEN))) == 403
    # Its own page (the cookie it set, or the token) gets through.
    assert asyncio.run(_handshake(served, origin=own, token=TOKEN, cookie=True)) == 101
    assert asyncio.run(_handshake(served, origin=own.replace("127.0.0.1", "localhost"), token=TOKEN)) == 101
