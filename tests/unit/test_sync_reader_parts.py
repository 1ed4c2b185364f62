"""Issue 30: the reader's side of sync, without Textual: nothing of sync is
imported on the start path unless a remote is remembered, and the
handler of a background sync's report says what happened (the status
line's "sync" part, a notice for a failure) and shows what it took in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui_reader.core.state import StateStore
from tui_reader.core.sync import SyncReport
from tui_reader.ui.actions import sync as sync_actions
from tui_reader.ui.messages import SyncDone

REPO = Path(__file__).resolve().parents[2]


def test_the_start_path_imports_nothing_of_sync(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "import tui_reader.cli, tui_reader.ui.factory, tui_reader.ui.app\n"
        "from tui_reader.core.state import StateStore\n"
        f"store = StateStore.open({str(tmp_path / 'state.sqlite3')!r})\n"
        "from tui_reader.ui.actions import sync\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tui_reader.core.sync', 'tui_reader.core.picks', "
        "'tui_reader.core.feeds'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


class FakeStatus:
    def __init__(self) -> None:
        self.parts: dict[str, str | None] = {}

    def set(self, name: str, text: str | None) -> None:
        self.parts[name] = text


class FakeLibrarian:
    def __init__(self) -> None:
        self.synced = 0

    def sync(self) -> None:
        self.synced += 1


class FakePanes:
    def __init__(self, store) -> None:
        self.store = store
        self.status = FakeStatus()
        self.librarian = FakeLibrarian()
        self.notices: list[tuple[str, str]] = []
        self.changed = 0

    def notify(self, text: str, *, severity: str = "information", timeout: float = 3) -> None:
        self.notices.append((severity, text))

    def after_state_change(self, redraw_detail: bool = True) -> None:
        self.changed += 1


def test_start_syncs_only_with_a_remembered_remote(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "state.sqlite3") as store:
        panes = FakePanes(store)
        sync_actions.start(panes)
        assert panes.librarian.synced == 0 and "sync" not in panes.status.parts
        store.set_pref("sync_remote", str(tmp_path / "remote"))
        sync_actions.start(panes)
        assert panes.librarian.synced == 1 and panes.status.parts["sync"] == "syncing…"


def test_reports_become_status_notices_and_a_redraw() -> None:
    panes = FakePanes(None)
    sync_actions.done(panes, SyncDone(SyncReport("done", "synced with r: ...", "r", pushed=2, applied=5,
                                                 notices=["f.jsonl:3: not a JSON line, skipped"])))
    assert panes.status.parts["sync"] == "synced: 5 in, 2 out" and panes.changed == 1
    assert panes.notices[0][0] == "warning" and "f.jsonl:3" in panes.notices[0][1]
    panes = FakePanes(None)
    sync_actions.done(panes, SyncDone(SyncReport("failed", "sync with r failed: offline; keeping the state here")))
    assert panes.status.parts["sync"] == "sync failed (offline?)" and panes.changed == 0
    assert panes.notices == [("warning", "sync with r failed: offline; keeping the state here")]
    panes = FakePanes(None)
    sync_actions.done(panes, SyncDone(SyncReport("busy", "another sync is running")))
    assert panes.status.parts["sync"] is None and panes.notices == []
