"""Where the change logs meet: a git remote (any URL git takes, or the path
of a repository) or a plain folder that Syncthing, Dropbox or a network
share keeps in step.

Both give a working folder holding every device's segments; a git remote
works in a clone in the data dir (branch ``tui-reader-sync``) that is
reset to the remote's tip at each sync, so nothing half-done survives in
it: what this device has not pushed is still in its change log and is
written again.  Git runs as ``core/follow.py`` runs it: timeouts, no
prompts, nothing read from a terminal."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from pathlib import Path

from tui_reader.core import paths as app_paths
from tui_reader.core.follow import GitError, check_url, git, git_available, is_git_url

BRANCH = "tui-reader-sync"
NETWORK_TIMEOUT = 120.0
LOCAL_TIMEOUT = 30.0
_IDENTITY = ["-c", "user.name=tui-reader", "-c", "user.email=tui-reader@localhost", "-c", "commit.gpgsign=false"]


STOP_AT = "TUI_READER_SYNC_STOP_AT"  # tests: stop (wait to be killed) at this point of a sync


def checkpoint(name: str) -> None:
    """A point where a test kills the sync (``TUI_READER_SYNC_STOP_AT``); nothing otherwise."""
    if os.environ.get(STOP_AT) == name:
        import signal
        import sys

        sys.stdout.write(f"checkpoint {name}\n")
        sys.stdout.flush()
        signal.pause()


class RemoteError(Exception):
    """The remote cannot be used now; ``str()`` says why, for a notice."""


def is_git_remote(text: str) -> bool:
    if is_git_url(text):
        return True
    path = Path(text).expanduser()
    return (path / "HEAD").is_file() and (path / "objects").is_dir() or (path / ".git").exists()


def describe(text: str) -> str:
    return "git remote" if is_git_remote(text) else "folder"


def open_remote(text: str, base: Path | None = None) -> FolderRemote | GitRemote:
    """The remote ``text`` names; a git remote's clone lives under ``base``
    (the store's folder; default: the data dir)."""
    text = text.strip()
    if not text or any(ord(c) < 32 for c in text) or text.startswith("-"):
        raise RemoteError(f"{text!r} is not a remote (a git URL, a repository's path or a folder)")
    if is_git_remote(text):
        return GitRemote(text, base or app_paths.data_dir())
    return FolderRemote(Path(text).expanduser())


class FolderRemote:
    """A folder kept in step by something else: segments are written into it
    directly, atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.label = str(folder)

    def start(self) -> Path:
        try:
            self.folder.mkdir(exist_ok=True)  # its parent must be there: an unmounted drive is not made anew
        except OSError as error:
            raise RemoteError(f"cannot use the folder {self.folder}: {error.strerror or error}") from error
        return self.folder

    def publish(self, message: str) -> bool:
        return True


class GitRemote:
    def __init__(self, url: str, base: Path, branch: str = BRANCH, purpose: str = "sync") -> None:
        self.branch = branch
        path = Path(url).expanduser()
        self.url = str(path.resolve()) if not is_git_url(url) else url
        self.label = url
        error = check_url(self.url) if is_git_url(self.url) else ""
        if error:
            raise RemoteError(error)
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", self.url.rstrip("/").rsplit("/", 1)[-1])[:40].strip("-.") or "remote"
        digest = hashlib.blake2b(f"{self.url}\n{branch}".encode(), digest_size=4).hexdigest()
        self.clone = base / purpose / f"{name}-{digest}"

    def _git(self, *args: str, timeout: float = LOCAL_TIMEOUT) -> str:
        return git([*_IDENTITY, *args], self.clone, timeout)

    def start(self) -> Path:
        """The clone, at the remote's tip (or empty when the branch is new)."""
        if not git_available():
            raise RemoteError("git is not installed: cannot sync with a git remote")
        try:
            self._ready()
            self._git("fetch", "--quiet", "--no-tags", "origin",
                      f"+refs/heads/{self.branch}:refs/remotes/origin/{self.branch}", timeout=NETWORK_TIMEOUT)
        except GitError as error:
            if "couldn't find remote ref" not in str(error).lower():
                raise RemoteError(f"could not fetch from {self.label}: {error}") from error
            self._empty()
            return self.clone
        try:
            self._git("checkout", "--quiet", "-B", self.branch, f"refs/remotes/origin/{self.branch}")
            self._git("reset", "--quiet", "--hard", f"refs/remotes/origin/{self.branch}")
            self._git("clean", "--quiet", "-fdx")
        except GitError as error:
            shutil.rmtree(self.clone, ignore_errors=True)  # a damaged clone: the next sync makes a new one
            raise RemoteError(f"the copy of {self.label} was damaged ({error}); it is made again next time") from error
        return self.clone

    def _ready(self) -> None:
        if not (self.clone / ".git").is_dir():
            shutil.rmtree(self.clone, ignore_errors=True)
            self.clone.mkdir(parents=True, exist_ok=True)
            self._git("init", "--quiet")
            self._git("remote", "add", "origin", self.url)
        # Only one sync runs at a time (the caller holds the sync lock), so a
        # git lock file here was left by a sync that was killed.
        for lock in (".git/index.lock", ".git/HEAD.lock", f".git/refs/heads/{self.branch}.lock",
                     f".git/refs/remotes/origin/{self.branch}.lock", ".git/shallow.lock", ".git/config.lock"):
            with contextlib.suppress(OSError):
                os.unlink(self.clone / lock)

    def _empty(self) -> None:
        """A new branch: no commit yet, nothing in the folder but .git."""
        self._git("symbolic-ref", "HEAD", f"refs/heads/{self.branch}")
        with contextlib.suppress(GitError):
            self._git("update-ref", "-d", f"refs/heads/{self.branch}")
        with contextlib.suppress(GitError):
            self._git("rm", "-r", "-q", "--cached", "--ignore-unmatch", ".")
        for item in self.clone.iterdir():
            if item.name != ".git":
                shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink()

    def publish(self, message: str) -> bool:
        """Commit what changed and push; False when the remote moved on
        meanwhile (the caller starts over)."""
        if not any(p.name != ".git" for p in self.clone.iterdir()):
            return True  # nothing was ever written here
        try:
            self._git("add", "-A", ".")
            if not self._git("status", "--porcelain").strip():
                return True
            self._git("commit", "--quiet", "--no-verify", "-m", message)
            checkpoint("committed")
            self._git("push", "--quiet", "origin", f"HEAD:refs/heads/{self.branch}", timeout=NETWORK_TIMEOUT)
        except GitError as error:
            text = str(error).lower()
            if "rejected" in text or "non-fast-forward" in text or "fetch first" in text:
                return False
            raise RemoteError(f"could not push to {self.label}: {error}") from error
        return True
