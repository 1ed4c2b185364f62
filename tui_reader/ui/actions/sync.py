"""Sync with the other devices (core.sync) in the background: at start and
after a triage session, never waited on.  The status line's "sync" part
says what happened; a failure is a notice and the reader keeps what it
has; what the sync took in shows at once (marks, counts, the list)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_reader.core.state.changelog import SYNC_REMOTE_PREF

if TYPE_CHECKING:
    from tui_reader.ui.messages import SyncDone
    from tui_reader.ui.panes import Panes


def start(p: Panes) -> None:
    """Sync now when a remote is remembered (nothing of sync is imported otherwise)."""
    store = p.store
    if store is None or store.read_only or not store.get_pref(SYNC_REMOTE_PREF, ""):
        return
    p.status.set("sync", "syncing…")
    p.librarian.sync()


def done(p: Panes, message: SyncDone) -> None:
    report = message.report
    if report.status == "busy":  # another reader is syncing this store: it brings the same
        p.status.set("sync", None)
        return
    if report.status in ("off", "read-only"):
        p.status.set("sync", None)
        return
    if not report.ok:
        p.status.set("sync", "sync failed (offline?)")
        p.notify(report.message, severity="warning", timeout=10)
        return
    p.status.set("sync", f"synced: {report.applied} in, {report.pushed} out" if report.applied or report.pushed
                 else "synced")
    if report.notices:
        more = f" (and {len(report.notices) - 1} more)" if len(report.notices) > 1 else ""
        p.notify(f"sync skipped what it could not read: {report.notices[0]}{more}", severity="warning", timeout=10)
    if report.applied:
        p.after_state_change()
