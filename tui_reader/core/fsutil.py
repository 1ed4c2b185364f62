"""File-system plumbing written once for the whole project: the atomic
write, the "can I write here" probe and the inter-process file lock.

Every writer of a file a user or a later start depends on (the state
store's neighbours, exports, the parse cache, the index manifest) goes
through :func:`write_atomic`; every "is this dir usable" question through
:func:`dir_writable`; every lock between processes through
:class:`FileLock`.  No Textual here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

try:  # POSIX only; elsewhere locking is a no-op (one process at a time is assumed)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

Writer = Callable[[IO[bytes]], Any]


def write_atomic(path: str | os.PathLike[str], data: bytes | str | Writer, *, encoding: str = "utf-8") -> None:
    """Write ``path`` so that it is either the old or the new file, whatever
    happens (kill -9, full disk, power loss): a temp file beside it, flushed
    and fsynced, then ``os.replace``.  ``data`` is bytes, text (written
    with ``encoding``, newlines untouched) or a function given the binary
    handle.  An existing file keeps its permission bits; a new one gets
    0666 minus the umask (not mkstemp's 0600).  Raises OSError; no temp
    file is left behind either way."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            elif isinstance(data, str):
                handle.write(data.encode(encoding))
            else:
                data(handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_read_only = False


def set_read_only(on: bool = True) -> None:
    """Make this process read-only (``tui-reader --read-only``, what
    ``serve --read-only`` runs per browser tab): :func:`write_output`
    refuses every file a user names and ``[[commands]]`` do not run.  The
    reader's own caches are still kept."""
    global _read_only
    _read_only = on


def read_only() -> bool:
    return _read_only


def write_output(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> Path:
    """Write an export or digest the user named with ``-o``: a regular file
    (or none yet) is replaced atomically (:func:`write_atomic`); a symbolic
    link is written through (the file it points to is replaced, the link
    stays); a FIFO or a character device (``/dev/stdout``, a terminal) is
    opened and written into, never replaced.  A directory, a block device
    or a socket is refused with OSError, and so is everything in read-only
    mode (:func:`set_read_only`).  Returns the path written."""
    if _read_only:
        raise PermissionError(errno.EROFS, "the reader is read-only (--read-only): nothing is written")
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None
    if mode is None or stat.S_ISREG(mode):
        write_atomic(path, text, encoding=encoding)
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        with open(path, "wb", buffering=0) as handle:  # no O_CREAT race: it exists and is not replaced
            handle.write(text.encode(encoding))
    else:
        kind = "a folder" if stat.S_ISDIR(mode) else "a block device" if stat.S_ISBLK(mode) else "not a regular file"
        raise OSError(errno.EINVAL, f"{path} is {kind}; not written")
    return path


def dir_writable(directory: str | os.PathLike[str], create: bool = True) -> bool:
    """Whether ``directory`` takes a new file: created first when ``create``
    (parents too), then proved with a real probe file (``os.access`` lies on
    read-only mounts, ACLs and for root).  A path that exists but is not a
    directory is not writable."""
    directory = Path(directory)
    try:
        if create:
            directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError:
        return False
    return True


class FileLock:
    """An advisory lock between processes on ``path`` (created if needed,
    never deleted: deleting a lock file races with its next user).

    ``with FileLock(p):`` waits for the lock; ``acquire(blocking=False)``
    returns False at once when another process holds it.  When the lock
    file cannot be opened at all (read-only dir), ``with`` proceeds
    unlocked (nothing better is possible) and ``acquire`` returns
    ``unlocked_ok``.  Released on ``release()``, on leaving ``with`` and
    by the OS when the process dies."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self, blocking: bool = True, unlocked_ok: bool = False) -> bool:
        try:
            handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while held
        except OSError:
            return unlocked_ok
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except OSError:
                handle.close()
                return False
        self._handle = handle
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            if fcntl is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            handle.close()

    def __enter__(self) -> FileLock:
        self.acquire(blocking=True, unlocked_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
