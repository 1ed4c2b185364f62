"""One sync: publish this device's new log entries, then merge every other
device's segments not merged yet.  See the package docstring."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core import paths as app_paths
from tui_reader.core.fsutil import FileLock
from tui_reader.core.state.base import StateError
from tui_reader.core.state.changelog import SEP, SYNC_REMOTE_PREF, device_id
from tui_reader.core.sync.logfile import Entry, read_segment, segments, write_segment
from tui_reader.core.sync.merge import apply_entries
from tui_reader.core.sync.remote import RemoteError, checkpoint, open_remote

REMOTE_PREF = SYNC_REMOTE_PREF
ATTEMPTS = 4  # pushes tried when other devices push at the same time
MAX_NOTICES = 20


@dataclass
class SyncReport:
    """What a sync did: ``status`` is ``done``, ``off`` (no remote), ``busy``
    (another sync is running), ``read-only`` or ``failed``; ``message`` is
    one line for the status line or a notice."""

    status: str
    message: str
    remote: str = ""
    pushed: int = 0  # this device's entries published
    applied: int = 0  # other devices' entries that changed something here
    devices: int = 0  # other devices seen
    notices: list[str] = field(default_factory=list)  # skipped lines and files, each once

    @property
    def ok(self) -> bool:
        return self.status in ("done", "off")


def remembered_remote(store) -> str:
    value = store.get_pref(REMOTE_PREF, "")
    return value if isinstance(value, str) else ""


def remember_remote(store, remote: str) -> bool:
    return store.set_pref(REMOTE_PREF, remote.strip())


def lock_path(store) -> Path:
    base = Path(store.path).parent if getattr(store, "path", None) else app_paths.data_dir()
    return base / "sync.lock"


def sync(store, remote: str | None = None, wait: bool = True) -> SyncReport:
    """Sync ``store`` with ``remote`` (default: the remembered one).  Never
    raises for a remote or file problem: the report says what happened,
    and the store keeps what it has."""
    remote = (remote if remote is not None else remembered_remote(store)).strip()
    if not remote:
        return SyncReport("off", "sync is off: no remote (tui-reader sync REMOTE sets one)")
    if store.read_only:
        return SyncReport("read-only", "sync skipped: the state store is read-only", remote)
    lock = FileLock(lock_path(store))
    if not lock.acquire(blocking=wait, unlocked_ok=True):
        return SyncReport("busy", "another sync is running; this one was skipped", remote)
    try:
        return _sync(store, remote)
    except (RemoteError, StateError, OSError) as error:
        text = str(error) if not isinstance(error, OSError) else f"{error.filename or ''}: {error.strerror or error}"
        return SyncReport("failed", f"sync with {remote} failed: {text}; keeping the state here", remote)
    except sqlite3.Error as error:
        return SyncReport("failed", f"sync with {remote} failed: {error}; keeping the state here", remote)
    finally:
        lock.release()


def sync_in_background(store, config: object = None) -> SyncReport:
    """For a thread worker: sync with the remembered remote without waiting
    for another sync, never raising."""
    try:
        return sync(store, None, wait=False)
    except Exception as error:  # noqa: BLE001 - a background sync must never take the reader down
        return SyncReport("failed", f"sync failed: {error}; keeping the state here")


def _sync(store, remote_text: str) -> SyncReport:
    remote = open_remote(remote_text, lock_path(store).parent)
    with store._lock:
        device = device_id(store._conn)
    if not device:
        raise RemoteError("this store has no change log (it could not be set up when it was opened)")
    report = SyncReport("done", "", remote_text)
    # The log holds exactly what the remote may not have yet: its entries
    # leave it only once pushed.  Killed in between, they are sent again
    # (a segment overlapping the last: merging it twice changes nothing).
    # Never trust the remote to say what was sent: a segment there in this
    # device's name proves nothing.
    for _attempt in range(ATTEMPTS):
        root = remote.start()
        checkpoint("started")
        entries = _pending(store, device, 0)
        if entries:
            write_segment(root, entries)
            checkpoint("written")
        if remote.publish(f"tui-reader sync: device {device}, {len(entries)} changes"):
            report.pushed = len(entries)
            break
    else:
        raise RemoteError("other devices kept pushing at the same time; try again")
    if entries:
        with store._write() as conn:
            conn.execute("DELETE FROM sync_log WHERE seq <= ?", (entries[-1].seq,))
    checkpoint("pushed")
    _merge_all(store, root, device, report)
    report.message = _summary(report)
    return report


def _pending(store, device: str, written: int) -> list[Entry]:
    with store._lock:
        rows = store._conn.execute("SELECT seq, at, key, value FROM sync_log WHERE seq > ? ORDER BY seq",
                                   (written,)).fetchall()
    entries = []
    for seq, at, key, value in rows:
        kind, *parts = key.split(SEP)
        entries.append(Entry(device, seq, at, kind, tuple(parts), None if value is None else json.loads(value)))
    return entries


def _merge_all(store, root: Path, device: str, report: SyncReport) -> None:
    found, notes = segments(root)
    with store._lock:
        done = {r[0] for r in store._conn.execute("SELECT segment FROM sync_applied")}
    report.devices = len({s.device for s in found if s.device != device})
    for segment in found:
        if segment.device == device or segment.name in done:
            continue
        entries, skipped, newer = read_segment(segment)
        notes.extend(skipped)
        # Lines of a newer format: the segment is read again after an upgrade.
        won, _ = apply_entries(store, entries, segment.name, done=not newer)
        report.applied += won
    report.notices = notes[:MAX_NOTICES] + ([f"… and {len(notes) - MAX_NOTICES} more"]
                                            if len(notes) > MAX_NOTICES else [])


def _summary(report: SyncReport) -> str:
    parts = [f"synced with {report.remote}: {report.pushed} change{'s' if report.pushed != 1 else ''} sent",
             f"{report.applied} taken in from {report.devices} other device{'s' if report.devices != 1 else ''}"]
    if report.notices:
        parts.append(f"{len(report.notices)} problem{'s' if len(report.notices) != 1 else ''} skipped")
    return ", ".join(parts)
