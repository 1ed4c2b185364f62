"""Following a fork: a shallow clone of its ``data`` branch, kept in the
data dir and brought up to date with the real ``git`` command.

Plain functions, no Textual.  Every git call runs with a timeout, never
asks for a password (``GIT_TERMINAL_PROMPT=0``, ssh in batch mode, stdin
closed) and is stopped when the reader quits (:func:`stop_all`).  Each
failure is a :class:`FollowResult` whose ``message`` says what happened
and what the reader does about it; nothing raises, and the copy already
on disk stays readable.

The forks followed are listed in ``follows.json`` in the data dir (written
atomically); ``library`` entries of ``config.toml`` that name a git URL
are followed too, without being listed there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from tui_reader.core import paths as app_paths
from tui_reader.core.follow_days import PARTIAL_CLONE, GitError, apply_days, stored_days
from tui_reader.core.fsutil import FileLock, write_atomic
from tui_reader.core.text import clean

DEFAULT_BRANCH = "data"
CLONE_TIMEOUT = 600.0  # seconds: a year of a fork's data branch is a few hundred MB
FETCH_TIMEOUT = 180.0
_LOCAL_TIMEOUT = 30.0  # rev-parse, reset: no network

_URL = re.compile(r"(?:https://|ssh://|git://|file://)[^\s]+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+")
_BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,99}")


def is_git_url(text: str) -> bool:
    """A remote git repository (https, ssh, git, file URL or ``user@host:path``)."""
    text = text.strip()
    if text.startswith("http://"):
        return True  # refused later with a message (see check_url), not read as a folder
    return bool(_URL.fullmatch(text))


def check_url(url: str) -> str:
    """An error message for a URL git should not be given, else ""."""
    if not is_git_url(url):
        return f"{url!r} is not a git URL (https://…, ssh://…, git@host:path or file://…)"
    if url.startswith("http://"):
        return f"{url}: plain http is not used; give the https:// URL"
    if url.startswith("-") or any(ord(c) < 32 for c in url):
        return f"{url!r} is not a usable git URL"
    return ""


def check_branch(branch: str) -> str:
    if not _BRANCH.fullmatch(branch) or ".." in branch or branch.endswith((".lock", "/")):
        return f"{branch!r} is not a branch name"
    return ""


@dataclass(frozen=True)
class Follow:
    """One followed fork."""

    url: str
    branch: str = DEFAULT_BRANCH

    @property
    def folder(self) -> Path:
        """Where its clone lives: readable name plus a hash of URL and branch."""
        tail = self.url.rstrip("/").removesuffix(".git")
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(re.split(r"[/:]", tail)[-2:])).strip("-.")[:60] or "fork"
        digest = hashlib.blake2b(f"{self.url}\n{self.branch}".encode(), digest_size=4).hexdigest()
        return forks_dir() / f"{name}-{self.branch.replace('/', '-')}-{digest}"

    @property
    def root(self) -> Path:
        """The folder to read: ``data/`` of the clone when it has one."""
        return digest_root(self.folder)

    def cloned(self) -> bool:
        return (self.folder / ".git").exists()


@dataclass
class FollowResult:
    follow: Follow
    status: str  # "cloned", "updated", "current", "rewritten", "failed", "no-git"
    message: str
    new_files: list[str]

    @property
    def changed(self) -> bool:
        return self.status in ("cloned", "updated", "rewritten")


def forks_dir() -> Path:
    return app_paths.data_dir() / "forks"


def registry_file() -> Path:
    return app_paths.data_dir() / "follows.json"


# --- the list of followed forks ---------------------------------------------------


def listed() -> tuple[list[Follow], str]:
    """The forks in follows.json, and a problem reading it ("" when none)."""
    path = registry_file()
    if not path.is_file():
        return [], ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        follows = [Follow(str(item["url"]), str(item.get("branch") or DEFAULT_BRANCH)) for item in data]
    except (OSError, ValueError, TypeError, KeyError) as error:
        return [], f"{path}: cannot read the followed forks ({error}); none followed until it is fixed"
    return [f for f in follows if not check_url(f.url) and not check_branch(f.branch)], ""


def _write_list(follows: list[Follow]) -> None:
    path = registry_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps([asdict(f) for f in follows], indent=1))


def add(follow: Follow) -> bool:
    """List a fork; False when it was listed already."""
    follows, problem = listed()
    if problem:
        raise OSError(problem)
    if follow in follows:
        return False
    _write_list([*follows, follow])
    return True


def remove(url: str) -> list[Follow]:
    """Stop following every branch of ``url`` and delete their clones;
    returns what was removed."""
    follows, problem = listed()
    if problem:
        raise OSError(problem)
    url = url.strip()
    bare = url.rstrip("/").removesuffix(".git")
    gone = [f for f in follows if f.url == url or f.url.rstrip("/").removesuffix(".git") == bare]
    if gone:
        _write_list([f for f in follows if f not in gone])
        for follow in gone:
            shutil.rmtree(follow.folder, ignore_errors=True)
    return gone


def all_follows(config_urls: list[str]) -> tuple[list[Follow], list[str]]:
    """The listed forks and the config's git URLs (``data`` branch), once
    each, and the problems met."""
    follows, problem = listed()
    problems = [problem] if problem else []
    for url in config_urls:
        error = check_url(url)
        if error:
            problems.append(f"config.toml library: {error}")
            continue
        follow = Follow(url)
        if follow not in follows:
            follows.append(follow)
    return follows, problems


# --- git -------------------------------------------------------------------------------

_running: set[subprocess.Popen] = set()
_running_lock = threading.Lock()
_stopped: set[subprocess.Popen] = set()  # killed by stop_all: their failure says "stopped"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_TERMINAL_PROMPT": "0",  # never ask for a user name or password
        "GCM_INTERACTIVE": "never",
        "GIT_SSH_COMMAND": env.get("GIT_SSH_COMMAND", "ssh") + " -o BatchMode=yes",
        "GIT_ASKPASS": "true" if shutil.which("true") else "",
        "LC_ALL": "C",  # messages we can show as they are
    })
    return env


def git_available() -> bool:
    return shutil.which("git") is not None


# Every git call runs in a process group of its own under this small shell,
# with git's helpers (git-remote-https, ssh, index-pack) in the same group.
# The shell's stdin is a pipe the reader holds (git's is /dev/null): when
# the reader dies, even by kill -9, the pipe ends and the whole group is
# killed at once.  A normal
# stop (quit, timeout) kills the group the same way (os.killpg).
_WATCHED = r"""
exec 3<&0 0</dev/null
git "$@" 3<&- &
child=$!
{ read -r _ <&3; kill -KILL 0; } &
watcher=$!
exec 3<&-
wait "$child"; status=$?
kill "$watcher" 2>/dev/null
exit "$status"
"""
_SAFE = ["-c", "core.symlinks=false", "-c", "core.fsmonitor=false", "-c", "protocol.ext.allow=never"]


def git(args: list[str], cwd: Path | None, timeout: float) -> str:
    """Run git; its stdout, or GitError with what git said went wrong.
    A copy never gets symbolic links (``core.symlinks=false``: a link in
    the fork is checked out as a small file holding its target)."""
    watch_read, watch_write = os.pipe() if os.name == "posix" else (None, None)
    command = ["git", *_SAFE, *args]
    if watch_read is not None:
        command = ["sh", "-c", _WATCHED, "tui-reader-git", *_SAFE, *args]
    try:
        process = subprocess.Popen(
            command, cwd=cwd, stdin=watch_read if watch_read is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment(), text=True, errors="replace",
            start_new_session=True,
        )
    except OSError as error:
        _close_fds(watch_read, watch_write)
        raise GitError(f"cannot run git: {error.strerror or error}") from error
    _close_fds(watch_read)
    with _running_lock:
        _running.add(process)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()
        raise GitError(f"git {args[0]} took longer than {int(timeout)} s and was stopped") from None
    finally:
        with _running_lock:
            _running.discard(process)
            stopped = process in _stopped
            _stopped.discard(process)
        _close_fds(watch_write)
    if process.returncode != 0:
        lines = [line.strip() for line in (err or "").splitlines() if line.strip()]
        if stopped:
            raise GitError("stopped")
        # git's first "fatal:" line says what went wrong; what follows is advice.
        fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
        message = (fatal or lines or [f"git {args[0]} failed ({process.returncode})"])[0]
        raise GitError(" ".join(clean(message).split())[:300])  # remote text: no control sequences
    return out


def _close_fds(*fds: int | None) -> None:
    for fd in fds:
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)


def _kill_group(process: subprocess.Popen) -> None:
    """SIGKILL git's whole process group: git and its helpers, which then
    hold no pipe open."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        with contextlib.suppress(OSError):
            process.kill()


def stop_all() -> None:
    """Stop every git process this module started (the reader is quitting;
    its fetch worker is cancelled too, so none starts after).  Only those
    report "stopped": a reader that quit earlier in this process leaves
    nothing behind that a later git failure would be read through."""
    with _running_lock:
        running = list(_running)
        _stopped.update(running)
    for process in running:
        _kill_group(process)


def digest_root(folder: Path) -> Path:
    """``data/`` of a copy when it is a real folder, else the copy itself:
    never a symbolic link (a copy made before links were switched off may
    hold ``data -> /``)."""
    data = folder / "data"
    return data if data.is_dir() and not data.is_symlink() else folder


def file_names(folder: Path) -> set[str]:
    root = digest_root(folder)
    try:
        return {p.name for p in root.iterdir() if p.is_file() and not p.name.startswith(".")}
    except OSError:
        return set()


def _with_lock(work, follow: Follow, timeout: float, days: int = 0) -> FollowResult:
    """``work(follow, timeout, days)`` holding the fork's lock: one tui-reader at
    a time runs git in a copy, so any git lock file found there is stale
    (left by a git that was killed)."""
    try:
        forks_dir().mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    lock = FileLock(forks_dir() / f".{follow.folder.name}.lock")
    if not lock.acquire(blocking=False, unlocked_ok=True):
        return FollowResult(follow, "current", f"{follow.url}: another tui-reader is updating it now", [])
    try:
        return work(follow, timeout, days)
    finally:
        lock.release()


_GIT_LOCKS = ("index.lock", "HEAD.lock", "ORIG_HEAD.lock", "FETCH_HEAD.lock", "shallow.lock",
              "packed-refs.lock", "config.lock")


def clear_stale_locks(folder: Path) -> list[str]:
    """Remove the lock files a killed git left in the copy (``index.lock``,
    ref locks): with one, every later fetch or reset fails.  Only called
    with the fork's lock held.  Returns what was removed."""
    dot_git = folder / ".git"
    found = [dot_git / name for name in _GIT_LOCKS]
    with contextlib.suppress(OSError):
        found.extend(p for p in (dot_git / "refs").rglob("*.lock"))
    removed = []
    for path in found:
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(str(path.relative_to(folder)))
    return removed


def _clone(follow: Follow, timeout: float = CLONE_TIMEOUT, days: int = 0) -> FollowResult:
    """A shallow clone of the branch alone, made beside its place and moved
    in when complete, so a clone cut short never looks like one.  With
    ``days``, a partial clone holding only the files of the newest ``days``
    dates (see ``core.follow_days``)."""
    if not git_available():
        return FollowResult(follow, "no-git", "git is not installed: cannot follow a fork "
                            "(install git, or clone the data branch yourself and open its folder)", [])
    error = check_url(follow.url) or check_branch(follow.branch)
    if error:
        return FollowResult(follow, "failed", error, [])
    target = follow.folder
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=".cloning-"))
    try:
        git(["clone", "--quiet", "--depth", "1", "--single-branch", "--no-tags", "--no-recurse-submodules",
             "--config", "core.symlinks=false", "--branch", follow.branch, *(PARTIAL_CLONE if days else []),
             "--", follow.url, str(partial / "repo")], None, timeout)
        if days:  # the patterns first, then the checkout (it fetches the files they name)
            apply_days(git, partial / "repo", days, timeout)
            git(["reset", "--quiet", "--hard", "HEAD"], partial / "repo", timeout)
        if target.exists():
            shutil.rmtree(target)
        os.replace(partial / "repo", target)
    except (GitError, OSError) as error:
        return FollowResult(follow, "failed", f"could not clone {follow.url} ({follow.branch}): {error}", [])
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    files = sorted(file_names(target))
    span = f"the last {days} days, " if days else ""
    return FollowResult(follow, "cloned", f"cloned {follow.url} ({follow.branch}): {span}{len(files)} files", files)


def _update(follow: Follow, timeout: float = FETCH_TIMEOUT, days: int = 0) -> FollowResult:
    """Bring the copy up to date (see :func:`_fetch_and_reset`).  A copy of
    the last N days (``follow --days N``) then also gets the files of the
    newest N days of the new head, and ``days`` larger than its N grows it
    to that many; a copy of every day stays one."""
    if not follow.cloned():
        return _clone(follow, max(timeout, CLONE_TIMEOUT), days)
    folder = follow.folder
    stored = stored_days(git, folder) if git_available() else 0
    before = file_names(folder)
    result = _fetch_and_reset(follow, timeout, stored)
    if not stored or result.status in ("failed", "no-git", "cloned"):
        if days and not stored and result.status not in ("failed", "no-git", "cloned"):
            result.message += " (the copy holds every day: --days leaves it so)"
        return result
    wanted = max(days, stored)
    try:
        apply_days(git, folder, wanted, max(timeout, CLONE_TIMEOUT))
    except GitError as error:
        return FollowResult(follow, "failed", f"could not check out the last {wanted} days of {follow.url}: "
                            f"{error}; showing the copy on disk", [])
    new = sorted(file_names(folder) - before)
    if result.status == "current" and not new:
        return result
    forward = result.status != "rewritten"
    moved = _moved(follow, forward, new)
    if wanted > stored:
        moved.message += f" (now the last {wanted} days)"
    return moved


def _moved(follow: Follow, forward: bool, new: list[str]) -> FollowResult:
    if forward:
        return FollowResult(follow, "updated", f"{follow.url}: {len(new)} new file(s)", new)
    return FollowResult(follow, "rewritten", f"{follow.url} rewrote its history (force-push): "
                        f"now showing its new history ({len(new)} new file(s))", new)


def _fetch_and_reset(follow: Follow, timeout: float, days: int = 0) -> FollowResult:
    """Fetch the branch's new commits and move the copy to them.  A
    history the fork rewrote (force-push) replaces the copy with the new
    one, and says so; a broken copy is cloned again (of the last ``days``
    days when it was one); lock files a killed git left are removed first."""
    if not git_available():
        return FollowResult(follow, "no-git", "git is not installed: showing the copy on disk, "
                            "without its new days", [])
    folder = follow.folder
    clear_stale_locks(folder)
    try:
        head = git(["rev-parse", "--verify", "HEAD^{commit}"], folder, _LOCAL_TIMEOUT).strip()
    except GitError as error:
        result = _clone(follow, max(timeout, CLONE_TIMEOUT), days)
        if result.status == "cloned":
            result.message = f"the copy of {follow.url} was broken ({error}); cloned it again"
        else:
            result.message = (f"the copy of {follow.url} is broken ({error}) and could not be cloned again: "
                              f"{result.message}")
        return result
    before = file_names(folder)
    try:
        refspec = f"+refs/heads/{follow.branch}:refs/remotes/origin/{follow.branch}"
        git(["fetch", "--quiet", "--no-tags", "origin", refspec], folder, timeout)
    except GitError as error:
        return FollowResult(follow, "failed", f"could not fetch {follow.url}: {error}; "
                            "showing the copy on disk", [])
    remote = f"refs/remotes/origin/{follow.branch}"
    try:
        tip = git(["rev-parse", "--verify", remote + "^{commit}"], folder, _LOCAL_TIMEOUT).strip()
        if tip == head:
            return FollowResult(follow, "current", f"{follow.url} is up to date", [])
        try:
            git(["merge-base", "--is-ancestor", head, tip], folder, _LOCAL_TIMEOUT)
            forward = True
        except GitError:
            forward = False
        git(["reset", "--quiet", "--hard", tip], folder, _LOCAL_TIMEOUT)
    except GitError as error:
        return FollowResult(follow, "failed", f"could not update the copy of {follow.url}: {error}; "
                            "showing the copy on disk", [])
    return _moved(follow, forward, sorted(file_names(folder) - before))


def clone(follow: Follow, timeout: float = CLONE_TIMEOUT, days: int = 0) -> FollowResult:
    """A shallow clone of the branch alone (see :func:`_clone`), under the fork's lock."""
    return _with_lock(_clone, follow, timeout, days)


def update(follow: Follow, timeout: float = FETCH_TIMEOUT, days: int = 0) -> FollowResult:
    """Bring the copy up to date (see :func:`_update`), under the fork's lock;
    ``days``: only (or more of) the last days' files (``follow --days``)."""
    return _with_lock(_update, follow, timeout, days)


def has_digests(folder: Path) -> bool:
    """Whether the copy holds a digest: a file of its ``data/`` (or top)
    whose name has a day and is ``.jsonl`` or ``.md``, or whose start reads
    as the producer's JSONL or Markdown.  A branch without one is not
    followed (every start would report each of its files)."""
    root = digest_root(folder)
    try:
        entries = [p for p in root.iterdir() if not p.name.startswith(".") and p.is_file() and not p.is_symlink()]
    except OSError:
        return False
    for path in entries:
        if _DIGEST_NAME.search(path.name):
            return True
    for path in entries[:200]:
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096)
        except OSError:
            continue
        if head.lstrip().startswith(b'{"') and b'"id"' in head or b"arxiv.org/abs/" in head:
            return True
    return False


_DIGEST_NAME = re.compile(r"\d{4}-\d{2}-\d{2}.*\.(jsonl|md)$")


def new_days(result: FollowResult) -> list[str]:
    """The dates of the new files of an update, oldest first."""
    from tui_reader.core.text import date_from_name

    return sorted({d for d in (date_from_name(name) for name in result.new_files) if d})


def resolve_library(settings) -> tuple[list[str], list[Follow], list[str]]:
    """With no PATH given: the configured folders plus the followed forks'
    copies (those already cloned; the others are cloned in the background),
    the forks followed, and problems to show.  ``paths`` is empty only when
    nothing is configured or followed (the caller shows the samples then)
    or when every followed fork is still to be cloned."""
    follows, problems = all_follows(list(getattr(settings, "follow", [])))
    paths = list(settings.library)
    for follow in follows:
        if not follow.cloned():
            continue
        if has_digests(follow.folder):
            paths.append(str(follow.root))
        else:  # one message, not one problem per file at every start
            problems.append(f"{follow.url} ({follow.branch}) holds no digests: not read "
                            f"(the producer keeps them on the branch '{DEFAULT_BRANCH}')")
    return paths, follows, problems
