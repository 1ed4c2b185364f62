"""The reader's state beyond one machine: ``tui-reader sync [REMOTE]``.

Every change to the state store is also an entry of this device's change
log (``core/state/changelog.py``, written by SQLite triggers in the same
transaction).  A sync publishes the entries not yet published as one
immutable segment under ``devices/<device id>/`` of the remote (a git
branch ``tui-reader-sync``, or a plain folder that Syncthing or Dropbox
keeps), then merges every other device's segments not merged yet
(``merge.py``: the greatest ``(time, device, seq)`` wins, field by field;
tags element by element; deletes are tombstones).

API (no Textual; safe to call from a thread worker)::

    from tui_reader.core.sync import sync, sync_in_background, SyncReport
    sync(store, remote=None, wait=True) -> SyncReport     # remote: the remembered one
    sync_in_background(store, config=None) -> SyncReport  # never waits for another sync, never raises
    remembered_remote(store) -> str; remember_remote(store, remote) -> bool

Safety: a lock file beside the store lets one sync run at a time (a
second one waits, or in the background is skipped as ``busy``); the log
entries of this device stay in the store until the remote has them; each
segment is merged in one transaction with a record that it was, so a sync
killed at any point leaves nothing half-applied and the next completes
the work.
"""

from tui_reader.core.sync.run import (
    REMOTE_PREF,
    SyncReport,
    remember_remote,
    remembered_remote,
    sync,
    sync_in_background,
)

__all__ = ["REMOTE_PREF", "SyncReport", "remember_remote", "remembered_remote", "sync", "sync_in_background"]
