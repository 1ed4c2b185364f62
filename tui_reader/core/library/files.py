"""Finding a library's files: every file under the given files and
folders, each once (symbolic links resolved), and their sizes and times."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable

from tui_reader.core.model import Problem
from tui_reader.core.reader import kind_of_file


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[Problem]]:
    """Expand files and folders (recursively, skipping hidden entries) into
    a sorted list of absolute file paths; paths that do not exist become
    problems.  Absolute, because the caches and the index know a file by
    its path: ``tui-reader digests`` from one folder and
    ``tui-reader ~/digests`` from another are the same library (its key is
    the resolved root), and must not read and index it all again."""
    found: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    folders: dict[str, str] = {}
    for raw in paths:
        path = os.path.abspath(os.fspath(raw))
        if os.path.lexists(path) and not os.path.exists(path):
            problems.append(Problem(path, 0, _not_a_file(path)))
            continue
        if os.path.isdir(path):
            candidates = sorted(walk(path, problems))
        elif os.path.exists(path):
            candidates = [path]
        else:
            problems.append(Problem(path, 0, "no such file or folder"))
            continue
        for candidate in candidates:
            real = _realpath(candidate, folders)
            if real in seen:
                continue
            if not os.path.isfile(candidate):
                problems.append(Problem(candidate, 0, _not_a_file(candidate)))
                continue
            seen.add(real)
            found.append(candidate)
    return found, problems


# A folder's own notes, never a digest: LICENSE, LICENSE-producer, README.txt,
# COPYING, NOTICE, AUTHORS (the embedded samples ship the producer's license
# beside its digests).  Left out of a folder's walk without a problem; a file
# named on the command line is still read.
_NOTES = re.compile(r"(?:LICEN[CS]E|COPYING|NOTICE|README|AUTHORS)(?:[-_.][^/]*)?", re.IGNORECASE)


def is_notes_file(name: str) -> bool:
    return bool(_NOTES.fullmatch(name))


MAX_DEPTH = 12  # folders below a library folder; a data branch has one or two
MAX_ENTRIES = 200_000  # files and folders looked at under one library folder (a data branch: ~1,000)


def walk(top: str, problems: list[Problem]) -> list[str]:
    """The files under ``top`` (hidden ones left out), never following a
    symbolic link out of it: a link (to a file or a folder) whose target
    lies outside ``top`` is skipped and reported, a link to a folder is
    never walked (its target is, if inside), and the walk stops, saying
    so, past :data:`MAX_DEPTH` levels or :data:`MAX_ENTRIES` entries (a
    fork whose ``data`` pointed at ``/`` walked the whole host)."""
    inside = os.path.realpath(top)
    found: list[str] = []
    seen = 0
    base_depth = top.rstrip(os.sep).count(os.sep)

    def failed(error: OSError) -> None:
        problems.append(Problem(error.filename or top, 0, f"cannot read folder: {error.strerror}"))

    for root, dirs, files in os.walk(top, onerror=failed):
        seen += len(dirs) + len(files)
        if seen > MAX_ENTRIES:
            problems.append(Problem(root, 0, f"more than {MAX_ENTRIES:,} files and folders under {top}: "
                                             "the rest is skipped (is this the digests' folder?)"))
            dirs[:] = []
            break
        if root.count(os.sep) - base_depth >= MAX_DEPTH and dirs:
            problems.append(Problem(root, 0, f"folders more than {MAX_DEPTH} levels deep; skipped"))
            dirs[:] = []
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and _stays_inside(root, d, inside, problems))
        found.extend(full for f in files if not f.startswith(".") and not is_notes_file(f)
                     and _stays_inside(root, f, inside, problems) and (full := os.path.join(root, f)))
    return found


def _stays_inside(root: str, name: str, inside: str, problems: list[Problem]) -> bool:
    """False (and a problem) for a symbolic link that leads out of the
    library folder ``inside``; a link to a folder is never walked."""
    path = os.path.join(root, name)
    if not os.path.islink(path):
        return True
    target = os.path.realpath(path)
    if target != inside and not target.startswith(inside.rstrip(os.sep) + os.sep):
        problems.append(Problem(path, 0, "symbolic link to a place outside the library folder; skipped"))
        return False
    return not os.path.isdir(path)  # a folder inside is walked where it is


def _not_a_file(path: str) -> str:
    """Why ``path`` (found, yet not a regular file) is not read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop; skipped"
        if os.path.islink(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"dangling symbolic link (to {target}); skipped"
        return f"cannot read: {error.strerror or error}"
    return f"{kind_of_file(mode)}, not a digest; skipped"


def stat_all(files: list[str], problems: list[Problem]) -> dict[str, tuple[str, int, int]]:
    """path -> (real path, size, mtime_ns); files that cannot be read become problems."""
    stats: dict[str, tuple[str, int, int]] = {}
    folders: dict[str, str] = {}
    for path in files:
        try:
            st = os.stat(path)
        except OSError as error:
            problems.append(Problem(path, 0, f"cannot read: {error.strerror}"))
            continue
        stats[path] = (_realpath(path, folders), st.st_size, st.st_mtime_ns)
    return stats


def _realpath(path: str, folders: dict[str, str], depth: int = 0, origin: str | None = None) -> str:
    """``os.path.realpath(path)``, each folder resolved once (``folders``
    keeps them): realpath checks every component of every path, 15,000
    lstat calls for a data branch of 1,000 files, on every command."""
    folder, name = os.path.split(path)
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = os.path.realpath(folder)
    try:
        target = os.readlink(path)
    except OSError:  # not a symbolic link (or gone: realpath keeps the name too)
        return os.path.join(real_folder, name)
    if depth > 40:  # a loop: leave it to realpath
        return os.path.realpath(origin or path)
    return _realpath(os.path.normpath(os.path.join(real_folder, target)), folders, depth + 1, origin or path)
