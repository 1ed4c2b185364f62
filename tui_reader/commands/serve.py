"""``tui-reader serve [PATH...] [--host 127.0.0.1] [--port 8000]``: the same
reader in a browser, through ``textual-serve`` (the optional ``web``
extra: ``pip install 'tui-reader[web]'``).

Each browser tab runs its own reader process (``python -m tui_reader
PATH...``, argv quoted, never built from anything but the paths given
here) with the same library, config and state store as the terminal.

The reader belongs to whoever started ``serve`` (see ``serve_guard``): a
random token in the URL it prints (or ``--token``, or ``serve_token`` in
config.toml) is needed for the page and the WebSocket, a browser's
``Origin`` must be the served address, and the page loads nothing from
elsewhere.  Bound to 127.0.0.1 by default; any other address gets a
warning.  ``--read-only``: the readers save nothing, write no file and
run no ``[[commands]]``.  SIGTERM and Ctrl+C stop the server and every
reader it started."""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import shlex
import sys
from urllib.parse import quote

from rich.text import Text

from tui_reader.commands import PATHS_HELP
from tui_reader.commands.common import library_paths, stderr_console

EXTRA_MISSING = (
    "tui-reader serve: the browser mode needs the optional 'web' extra (textual-serve); "
    "install it with:  pip install 'tui-reader[web]'"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=PATHS_HELP)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--public-url", metavar="URL",
                        help="the URL browsers use to reach the server, when it is not http://HOST:PORT")
    parser.add_argument("--token", metavar="TOKEN",
                        help="the token the page and its WebSocket need (default: serve_token in config.toml, "
                             "else a new random one, printed in the URL)")
    parser.add_argument("--read-only", action="store_true",
                        help="the served readers save nothing, write no file and run no [[commands]]")


def is_local(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def reader_command(paths: list[str], read_only: bool = False) -> str:
    """The shell command textual-serve runs per browser tab: ``exec`` so
    the reader is the process textual-serve talks to and signals."""
    flags = ["--read-only"] if read_only else []
    return "exec " + shlex.join([sys.executable, "-m", "tui_reader", *flags, "--", *paths])


MIN_TOKEN = 16


def choose_token(given: str | None) -> tuple[str, str]:
    """(token, problem): ``--token``, else ``serve_token`` of config.toml,
    else a new random one; a problem when the one given is too weak."""
    if given is None:
        from tui_reader.core.config import load_config

        given = load_config().settings.serve_token or None
    if given is None:
        return secrets.token_urlsafe(24), ""
    if len(given) < MIN_TOKEN or not given.isprintable() or any(c.isspace() for c in given):
        return "", f"the token must be at least {MIN_TOKEN} printable characters without spaces"
    return given, ""


def run(args: argparse.Namespace) -> int:
    try:
        import textual_serve.server  # noqa: F401 - only whether the web extra is there
    except ImportError:
        print(EXTRA_MISSING, file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"tui-reader serve: port {args.port} is not a port number", file=sys.stderr)
        return 2
    token, problem = choose_token(args.token)
    if problem:
        print(f"tui-reader serve: {problem}", file=sys.stderr)
        return 2
    err = stderr_console()
    host_in_url = f"[{args.host}]" if ":" in args.host else args.host
    url = (args.public_url or f"http://{host_in_url}:{args.port}").rstrip("/")
    if not is_local(args.host):
        err.print(Text(
            f"tui-reader serve: WARNING: listening on {args.host}, not only on this machine: anyone who can reach "
            "this address and learns the token can read and change your bookmarks, notes and read marks "
            "(the traffic is not encrypted). Prefer the default (127.0.0.1) with an SSH tunnel.",
            style="bold yellow"), soft_wrap=True)
        if args.host in ("0.0.0.0", "::") and not args.public_url:
            err.print(Text(f"tui-reader serve: browsers on other machines need --public-url "
                           f"http://THIS-MACHINE:{args.port}", style="yellow"), soft_wrap=True)
    return _serve(args, token, url)


def _serve(args: argparse.Namespace, token: str, url: str) -> int:
    from tui_reader.commands.serve_guard import GuardedServer

    address = f"{url}/?token={quote(token, safe='')}"
    mode = " read-only," if args.read_only else ""

    class ReaderServer(GuardedServer):
        async def on_startup(self, app) -> None:
            # Our own line instead of textual-serve's logo banner.
            self.console.print(Text(f"tui-reader: serving the reader{mode} on {address}  (Ctrl+C or SIGTERM stops)"),
                               soft_wrap=True)

    server = ReaderServer(reader_command(library_paths(args.paths), args.read_only), token=token,
                          local=is_local(args.host), url=url, host=args.host, port=args.port, title="tui-reader")
    try:
        server.serve()
    except OSError as error:
        print(f"tui-reader serve: cannot listen on {args.host}:{args.port}: {error.strerror or error}",
              file=sys.stderr)
        return 2
    return 0
