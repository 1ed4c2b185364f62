"""The search index's files on disk: their names, the record of what each
was when last committed (a truncated file is found before it drops
results), the manifest's own form, and temporary indexes left by killed
processes."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

from tui_reader.core.fsutil import FileLock

INDEXNAME = "MAIN"
MANIFEST = "manifest.json"
DOCIDS = "docids.bin"  # each segment's paper ids (see _load_docids)
OWNER_LOCK = "owner.lock"


TEMPORARY_PREFIX = "tui-reader-index-"
STALE_UNLOCKED = 3600.0  # seconds: a temporary index without a lock file (older versions) this old is gone


def remove_stale_temporary(root: str | None = None) -> int:
    """Remove temporary indexes (``/tmp/tui-reader-index-*``) whose owner
    process is gone (killed: its lock is free); returns how many."""
    removed = 0
    try:
        candidates = list(Path(root or tempfile.gettempdir()).glob(TEMPORARY_PREFIX + "*"))
    except OSError:
        return 0
    for directory in candidates:
        try:
            if not directory.is_dir() or directory.is_symlink():
                continue
            lock_path = directory / OWNER_LOCK
            if lock_path.exists():
                lock = FileLock(lock_path)
                if not lock.acquire(blocking=False):
                    continue  # its owner is alive
                try:
                    shutil.rmtree(directory, ignore_errors=True)
                finally:
                    lock.release()
            elif time.time() - directory.stat().st_mtime > STALE_UNLOCKED:
                shutil.rmtree(directory, ignore_errors=True)
            else:
                continue
        except OSError:
            continue
        removed += 1
    return removed


def _checksum(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- what the index's own files were when last committed -----------------------

def index_files(directory: Path) -> list[Path]:
    # Whoosh's own files only (MAIN_<segment>.<ext>, _MAIN_<generation>.toc):
    # caches kept beside them (docids.bin) are rewritten by design.
    prefixes = (f"{INDEXNAME}_", f"_{INDEXNAME}_")
    return [p for p in directory.iterdir()
            if p.name.startswith(prefixes) and "LOCK" not in p.name.upper() and p.is_file()]


def disk_record(directory: Path, old: dict) -> dict:
    """name -> [size, mtime_ns, checksum] of every index file; a file
    whose size and mtime are unchanged keeps its recorded checksum
    (Whoosh never rewrites a file, so only new ones are read)."""
    record = {}
    for path in index_files(directory):
        try:
            info = path.stat()
            previous = old.get(path.name)
            if previous and previous[0] == info.st_size and previous[1] == info.st_mtime_ns:
                record[path.name] = previous
            else:
                record[path.name] = [info.st_size, info.st_mtime_ns, _checksum(path)]
        except OSError:
            continue  # deleted meanwhile by the commit's clean-up
    return record


def disk_damage(directory: Path, manifest: dict) -> str:
    """What is wrong with the index files the manifest records ("" when
    nothing): a file missing, of another size, or (when its mtime moved)
    of another checksum.  A truncated postings file otherwise drops
    results silently on every later search."""
    record = manifest.get("disk")
    if not isinstance(record, dict):
        return ""  # an index from before the record: checked as before
    for name, entry in record.items():
        path = directory / name
        try:
            size, mtime_ns, checksum = entry
            info = path.stat()
        except (OSError, ValueError, TypeError):
            return f"{name} is missing"
        if info.st_size != size:
            return f"{name} is {info.st_size} bytes, it was {size}"
        if info.st_mtime_ns != mtime_ns:
            try:
                if _checksum(path) != checksum:
                    return f"{name} changed since it was written"
            except OSError as error:
                return f"{name} cannot be read ({error.strerror or error})"
    return ""


# --- the manifest: what each indexed file held ---------------------------------

def read_manifest(directory: Path) -> dict:
    try:
        data = json.loads((directory / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    files = data.get("files")
    if isinstance(files, dict):
        for rec in files.values():
            if isinstance(rec, list) and len(rec) > 3 and isinstance(rec[3], list):
                rec[3] = joined_ids(rec[3])  # an older manifest's list of ids
    return data


def joined_ids(ids) -> str:
    """A file's paper ids as the manifest keeps them: one string, not a
    list of strings (the lists of a 150k library took 40 MB of the
    reader's memory, read at every start and used only when the file
    changes)."""
    return " ".join(ids)


def split_ids(joined: str) -> list[str]:
    return joined.split()  # read_manifest joins an older manifest's lists


# --- shared by the store's parts -----------------------------------------------------


def leaf_searchers(searcher) -> list[tuple[int, object]]:
    subs = searcher.leaf_searchers()
    return [(offset, sub) for sub, offset in subs]


def describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
