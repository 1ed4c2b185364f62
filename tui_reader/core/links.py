"""The one place that decides whether a link from a digest may go to the
browser, the clipboard or an export.

Links in a library are untrusted data: a JSONL file can hold ``"abs":
"--gpu-launcher=…"``, ``javascript:…``, ``file:///etc/shadow``, a value
spanning several lines or ``https://arxiv.org@evil.example/``.  Only a
single-line, plain ``https://`` URL of the expected kind passes:

* ``abs``/``pdf``: on arxiv.org, with an ``/abs/`` or ``/pdf/`` path;
  anything else falls back to the paper's own
  ``https://arxiv.org/abs/<id>`` (``/pdf/<id>``);
* ``code``: on a code forge (github.com, gitlab.com, ...) it is labelled
  "code"; on ``*.github.io``/``*.gitlab.io`` or any other plain https host
  it is labelled "project page" with its host, so the user sees where it
  goes.  Anything else is dropped (None).

Every URL returned here starts with ``https://`` (so never with ``-``),
holds no whitespace or control character and has no user-info part.
No Textual here.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
CODE_HOSTS = frozenset({
    "github.com", "www.github.com", "gitlab.com", "www.gitlab.com", "bitbucket.org", "codeberg.org",
    "huggingface.co", "sr.ht", "git.sr.ht",
})
PAGE_SUFFIXES = (".github.io", ".gitlab.io")
MAX_URL = 2048

_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# A URL as it may leave the reader: printable ASCII, no space, no quote or
# angle bracket or backslash (they end or escape links in Markdown, shells, HTML).
_PLAIN = re.compile(r"^https://[!#-&(-;=?-\[\]-_a-z~]+$", re.IGNORECASE)
_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


@dataclass(frozen=True, slots=True)
class Link:
    """A link that may be opened: ``url``, its ``kind`` ("abs", "pdf",
    "code", "project") and a short ``label`` to show beside it."""

    url: str
    kind: str
    label: str


def plain_https(value: object) -> tuple[str, str] | None:
    """``(url, host)`` when ``value`` is one plain ``https://`` URL (outer
    spaces aside), else None: one line, printable ASCII, no user-info, no
    port but 443, a host name (no IP literal)."""
    if not isinstance(value, str):
        return None
    url = value.strip(" \t\r\n")
    if not url or len(url) > MAX_URL or not _PLAIN.match(url):
        return None
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or "@" in parts.netloc or port not in (None, 443):
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if not _HOST.match(host):
        return None
    return url, host


def arxiv_link(value: object, paper_id: str, kind: str = "abs") -> str:
    """The paper's ``abs`` (or ``pdf``) URL: ``value`` when it is a plain
    https URL on arxiv.org with the right path, else the paper's own."""
    checked = plain_https(value)
    if checked is not None:
        url, host = checked
        path = urllib.parse.urlsplit(url).path
        if host in ARXIV_HOSTS and path.startswith(f"/{kind}/") and len(path) > len(kind) + 2:
            return url
    return own_link(paper_id, kind)


def own_link(paper_id: str, kind: str = "abs") -> str:
    """``https://arxiv.org/abs/<id>`` (or ``/pdf/``), the id quoted so that
    whatever it holds stays inside the path."""
    paper_id = paper_id.strip() if isinstance(paper_id, str) else ""
    if not _ARXIV_ID.match(paper_id):
        paper_id = urllib.parse.quote(paper_id, safe="./")
    return f"https://arxiv.org/{'pdf' if kind == 'pdf' else 'abs'}/{paper_id}"


def code_link(value: object) -> Link | None:
    """A code or project-page link, labelled; None when ``value`` is not a
    plain https URL."""
    checked = plain_https(value)
    if checked is None:
        return None
    url, host = checked
    if host in CODE_HOSTS:
        return Link(url, "code", f"code ({host.removeprefix('www.')})")
    if host in ARXIV_HOSTS:
        return None  # not code
    return Link(url, "project", f"project page ({host})")


def is_safe(url: object) -> bool:
    """Whether ``url`` may be handed to a browser or a clipboard as is."""
    return plain_https(url) is not None and plain_https(url)[0] == url  # type: ignore[index]
