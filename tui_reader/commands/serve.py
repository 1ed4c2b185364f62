"""``tui-reader serve [PATH...] [--host 127.0.0.1] [--port 8000]``: the same
reader in a browser, through ``textual-serve`` (the optional ``web``
extra: ``pip install 'tui-reader[web]'``).

Each browser tab runs its own reader process (``python -m tui_reader
PATH...``, argv quoted, never built from anything but the paths given
here) with the same library, config and state store as the terminal.
Bound to localhost by default: textual-serve has no login, so whoever
reaches the address gets the reader, with your bookmarks and notes; any
other address gets a warning that says so.  SIGTERM and Ctrl+C stop the
server and every reader it started."""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

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


def is_local(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def reader_command(paths: list[str]) -> str:
    """The shell command textual-serve runs per browser tab: ``exec`` so
    the reader is the process textual-serve talks to and signals."""
    return "exec " + shlex.join([sys.executable, "-m", "tui_reader", *paths])


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print(EXTRA_MISSING, file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"tui-reader serve: port {args.port} is not a port number", file=sys.stderr)
        return 2
    err = stderr_console()
    host_in_url = f"[{args.host}]" if ":" in args.host else args.host
    url = args.public_url or f"http://{host_in_url}:{args.port}"
    if not is_local(args.host):
        err.print(Text(
            f"tui-reader serve: WARNING: listening on {args.host}, not only on this machine. There is no login: "
            "anyone who can reach this address can read and change your bookmarks, notes and read marks. "
            "Prefer the default (127.0.0.1) with an SSH tunnel.", style="bold yellow"), soft_wrap=True)
        if args.host in ("0.0.0.0", "::") and not args.public_url:
            err.print(Text(f"tui-reader serve: browsers on other machines need --public-url "
                           f"http://THIS-MACHINE:{args.port}", style="yellow"), soft_wrap=True)

    class ReaderServer(Server):
        async def on_startup(self, app) -> None:
            # Our own line instead of textual-serve's logo banner.
            self.console.print(Text(f"tui-reader: serving the reader on {url}  (Ctrl+C or SIGTERM stops)"),
                               soft_wrap=True)

    server = ReaderServer(reader_command(library_paths(args.paths)), host=args.host, port=args.port,
                          title="tui-reader", public_url=url)
    try:
        server.serve()
    except OSError as error:
        print(f"tui-reader serve: cannot listen on {args.host}:{args.port}: {error.strerror or error}",
              file=sys.stderr)
        return 2
    return 0
