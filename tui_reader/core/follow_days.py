"""Following only the last N days of a fork (``tui-reader follow --days N``).

A producer's data branch is hundreds of MB; a newcomer wants a month.  The
copy is then a partial clone (``--filter=blob:none``: the branch's trees,
no file contents) with a sparse checkout (cone mode off) whose patterns
name the date-named files of the last N days of the branch head, listed
with ``git ls-tree``: git fetches the contents of those files alone.

The days only grow: each update adds the files of the newest N days of the
new head (a new day comes in, the days already there stay), and a later
``--days M`` with a larger M adds the older days too.  N is kept in the
copy's own git config (``tuireader.days``).

Plain functions, no Textual; git runs through the caller's ``run`` (see
``core.follow.git``), which raises on failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from tui_reader.core.text import date_from_name

Run = Callable[[list[str], Path | None, float], str]


class GitError(Exception):
    """What a ``Run`` raises when git fails (``core.follow`` re-exports it)."""


DAYS_KEY = "tuireader.days"
MAX_DAYS = 36_500  # a hundred years of days: any larger --days is a typo
PARTIAL_CLONE = ["--filter=blob:none", "--no-checkout"]
_TIMEOUT = 60.0  # ls-tree, config, sparse-checkout list: local work
_OWNER_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")


def source_url(text: str) -> str:
    """The git URL ``follow`` is given as ``text``: a URL stays itself, an
    existing folder becomes its ``file://`` URL (so that a partial clone
    works: git ignores ``--filter`` for a plain local path), and
    ``OWNER/NAME`` is that GitHub repository."""
    text = text.strip()
    if not text or "://" in text or re.match(r"[^/]+@[^/]+:", text):
        return text
    if os.path.isdir(text):
        return Path(text).resolve().as_uri()
    if github_repository(text):
        return f"https://github.com/{text.removesuffix('.git')}.git"
    return text


def github_repository(text: str) -> bool:
    """Whether ``text`` names a GitHub repository (``OWNER/NAME``) and no
    file or folder here."""
    text = text.strip()
    return bool(_OWNER_NAME.fullmatch(text)) and not text.endswith(".") and not os.path.lexists(text)


def check_days(days: int | None) -> str:
    """An error message for a ``--days`` value, else ""."""
    if days is None:
        return ""
    if days < 1 or days > MAX_DAYS:
        return f"--days {days}: give a number of days from 1 to {MAX_DAYS}"
    return ""


def digest_files(names: list[str]) -> list[str]:
    """The date-named files of a branch's digest folder: ``data/`` when the
    tree has files there, else its top.  ``names`` are paths in the tree."""
    in_data = [n for n in names if n.startswith("data/") and "/" not in n[5:]]
    chosen = in_data if any(date_from_name(n[5:]) for n in in_data) else [n for n in names if "/" not in n]
    return [n for n in chosen if date_from_name(n.rsplit("/", 1)[-1]) and "\n" not in n]


def last_days(names: list[str], days: int) -> list[str]:
    """The files of the newest ``days`` dates among ``names``, in tree order."""
    by_date: dict[str, list[str]] = {}
    for name in digest_files(names):
        by_date.setdefault(date_from_name(name.rsplit("/", 1)[-1]) or "", []).append(name)
    newest = sorted(by_date, reverse=True)[:days]
    return sorted(name for day in newest for name in by_date[day])


def pattern(path: str) -> str:
    """A sparse-checkout pattern (gitignore syntax) matching exactly ``path``."""
    escaped = re.sub(r"([\\*?\[\]!# ])", r"\\\1", path)
    return "/" + escaped


def tree_names(run: Run, folder: Path, rev: str = "HEAD") -> list[str]:
    out = run(["ls-tree", "-r", "-z", "--name-only", rev], folder, _TIMEOUT)
    return [name for name in out.split("\0") if name]


def _config(run: Run, folder: Path, key: str, where: str = "--local") -> str:
    """A value of the copy's own git config, "" when it is not set (git
    fails then).  Sparse-checkout keeps its settings in ``config.worktree``
    (``where="--worktree"``, the same file as ``--local`` when there is none)."""
    try:
        return run(["config", where, "--get", key], folder, _TIMEOUT).strip()
    except GitError:
        return ""


def stored_days(run: Run, folder: Path) -> int:
    """The N of a copy made with ``--days N`` (0: a copy of every day)."""
    if _config(run, folder, "core.sparseCheckout", "--worktree") != "true":
        return 0
    value = _config(run, folder, DAYS_KEY)
    return int(value) if value.isdigit() else 0


def apply_days(run: Run, folder: Path, days: int, timeout: float) -> int:
    """Check out the files of the newest ``days`` dates of HEAD too (those
    already there stay); git fetches their contents.  Returns the number of
    files the sparse checkout names."""
    wanted = [pattern(name) for name in last_days(tree_names(run, folder), days)]
    current = []
    if _config(run, folder, "core.sparseCheckout", "--worktree") == "true":
        current = [p for p in run(["sparse-checkout", "list"], folder, _TIMEOUT).splitlines() if p.strip()]
    patterns = list(dict.fromkeys([*current, *wanted]))
    run(["config", "--local", DAYS_KEY, str(max(days, stored_days(run, folder)))], folder, _TIMEOUT)
    # No pattern at all would check out every file: name one that matches none.
    run(["sparse-checkout", "set", "--no-cone", *(patterns or ["/.tui-reader-no-day"])], folder, timeout)
    return len(patterns)
