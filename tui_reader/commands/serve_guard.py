"""The served reader belongs to its owner: textual-serve's aiohttp app with
a token, an ``Origin`` check and nothing fetched from elsewhere.

Imported only once textual-serve is known to be installed (it brings
aiohttp).  What is checked, on every request but the static assets
(textual-serve's own scripts, styles and fonts, the same for everyone):

- the token: ``?token=`` in the URL (what ``serve`` prints) or the cookie
  the page sets from it (``HttpOnly``, ``SameSite=Strict``: a page of
  another site never sends it, and the browser's WebSocket carries it);
- the ``Origin``, when a browser sends one (it always does for a
  WebSocket): it must be the served address itself, so a page of another
  site cannot drive the reader even with the token;
- the peer, when bound to this machine: loopback addresses only.

The page asks nothing of any other address: the web font it would fetch
from a font service is served from textual-serve's own files, and a
``Content-Security-Policy`` lets the browser load nothing from elsewhere.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from urllib.parse import urlsplit

from aiohttp import web
from rich.text import Text
from textual_serve.server import Server

COOKIE = "tui_reader_token"
_EXTERNAL_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.IGNORECASE | re.DOTALL)
_LOCAL_FONT = (
    '<style>@font-face { font-family: "Roboto Mono"; '
    'src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }</style>'
)
REFUSED = ("tui-reader: refused. Open the address `tui-reader serve` printed, with its ?token=… "
           "(the served reader answers only its owner).\n")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower case, default ports left out."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def allowed_origins(public_url: str, port: int, local: bool) -> frozenset[str]:
    """The origins a page of the served reader itself has."""
    origins = {origin_of(public_url)}
    if local:
        origins.update(origin_of(f"http://{name}:{port}") for name in ("127.0.0.1", "localhost", "[::1]"))
    return frozenset(origins)


def _loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


class GuardedServer(Server):
    """textual-serve's server, answering only whoever holds the token."""

    def __init__(self, command: str, *, token: str, local: bool, url: str, **kwargs) -> None:
        super().__init__(command, public_url=url, **kwargs)
        self.token = token
        self.local = local
        self.origins = allowed_origins(self.public_url, self.port, local)
        self.cookie = f"{COOKIE}_{self.port}"  # cookies do not tell ports apart; two servers, two names

    def _owner(self, request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(self.cookie) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    def refusal(self, request: web.Request) -> str | None:
        """Why ``request`` is refused, or None when it may go on."""
        if self.local and not _loopback(request.remote):
            return f"peer {request.remote} is not this machine"
        if request.path.startswith("/static/"):
            return None
        origin = request.headers.get("Origin")
        if origin is not None and origin_of(origin) not in self.origins:
            return f"foreign Origin {origin!r}"
        if not self._owner(request):
            return "no valid token"
        return None

    @web.middleware
    async def guard(self, request: web.Request, handler):
        reason = self.refusal(request)
        if reason is not None:
            self.console.print(Text(f"tui-reader serve: refused {request.method} {request.path}: {reason}",
                                    style="yellow"), soft_wrap=True, markup=False)
            return web.Response(status=403, text=REFUSED)
        response = await handler(request)
        if request.path.startswith("/static/"):
            return response
        response.headers["Content-Security-Policy"] = self.content_policy()
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def content_policy(self) -> str:
        socket = "wss:" + self.public_url.split(":", 1)[1] if self.public_url.startswith("https") \
            else "ws:" + self.public_url.split(":", 1)[1]
        return ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                f"img-src 'self' data:; font-src 'self'; connect-src 'self' {socket.rstrip('/')}; "
                "frame-ancestors 'none'; form-action 'none'; base-uri 'none'")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        response = await super().handle_index(request)
        static = request.app.router["static"].url_for(filename="/")
        page = _EXTERNAL_FONT.sub(_LOCAL_FONT.replace("{static}", f"{self.public_url}{str(static).rstrip('/')}/"),
                                  response.text)
        answer = web.Response(text=page, content_type="text/html", charset="utf-8")
        answer.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/",
                          secure=self.public_url.startswith("https"))
        answer.headers["Cache-Control"] = "no-store"
        return answer
