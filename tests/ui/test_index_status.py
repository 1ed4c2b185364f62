"""The index status line names each phase of a build and keeps moving: a
cold start at 75,000 papers showed a frozen 'indexing 100%' for 45 s while
the index files were written."""

from __future__ import annotations

from tests.support import wait_ready
from tui_reader.core.index import UpdateReport
from tui_reader.ui.factory import make_app
from tui_reader.ui.messages import IndexProgress, IndexReady


async def test_the_index_status_names_each_phase_and_its_seconds(monkeypatch):
    now = [1000.0]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        screen.panes.status.clock = lambda: now[0]
        assert screen.panes.status.get("index") is None

        async def status_after(message) -> str:
            screen.post_message(message)
            await pilot.pause()
            return (screen.panes.status.get("index") or "")

        assert await status_after(IndexProgress(0, 75000)) == "indexing 0/75,000 papers · 0 s"
        now[0] += 3
        assert await status_after(IndexProgress(30000, 75000)) == "indexing 30,000/75,000 papers · 3 s"
        assert await status_after(IndexProgress(75000, 75000)) == "indexing 75,000/75,000 papers · 3 s"
        assert await status_after(IndexProgress(-1, -1, "writing the index files")) == \
            "indexing: writing the index files · 0 s"
        # Nothing reported for a while: the seconds still move, once a second.
        now[0] += 12
        await pilot.pause(1.3)
        assert screen.panes.status.get("index") == "indexing: writing the index files · 12 s"
        assert "writing the index files · 12 s" in str(screen.query_one("#status").render())
        assert await status_after(IndexProgress(-1, -1, "merging segments")) == "indexing: merging segments · 0 s"
        # Done: the status goes, the ticker stops.
        screen.post_message(IndexReady(screen.panes.lib.index, UpdateReport()))
        await pilot.pause()
        assert screen.panes.status.get("index") is None
        assert not screen.panes.status.is_ticking("index")
        # A later update starts over with its own counts.
        assert await status_after(IndexProgress(0, 300)) == "indexing 0/300 papers · 0 s"
        screen.post_message(IndexReady(screen.panes.lib.index, UpdateReport()))
        await pilot.pause()
        assert screen.panes.status.get("index") is None
