"""Beyond one machine in the reader (issue 30): with a remote remembered,
the reader syncs in the background at start and after a triage session;
what another device did shows up, and the status line says so."""

from __future__ import annotations

from pathlib import Path

from tests.support import settle, wait_ready
from tui_reader.core.state import StateStore
from tui_reader.core.sync import remember_remote
from tui_reader.ui.factory import make_app


def home(base: Path, name: str, monkeypatch) -> None:
    for var in ("CACHE", "DATA", "CONFIG"):
        monkeypatch.setenv(f"XDG_{var}_HOME", str(base / name / var.lower()))


def device(base: Path, name: str, monkeypatch, remote: Path):
    """A reader in a home of its own with ``remote`` remembered (``tui-reader sync REMOTE`` once)."""
    home(base, name, monkeypatch)
    store = StateStore.open()
    remember_remote(store, str(remote))
    store.close()
    return make_app(mark_read_after=3600)


async def test_two_devices_sync_through_a_folder_at_start_and_after_triage(tmp_path, monkeypatch,
                                                                             embedded_samples):
    remote = tmp_path / "synced"
    remote.mkdir()
    # The laptop: one remote remembered; a triage pass keeps a paper.
    app = device(tmp_path, "laptop", monkeypatch, remote)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await settle(pilot)
        assert (screen.panes.status.get("sync") or "").startswith("synced")
        kept = screen.paper_list.current.id
        await pilot.press("v", "y", "escape")  # keep the first paper, leave triage: a sync follows
        await settle(pilot)
        assert app.context.store.is_bookmarked(kept)
        assert "out" in (screen.panes.status.get("sync") or "")
    # The desktop, the same remote: at start its reader brings the laptop's bookmark and decision.
    app = device(tmp_path, "desktop", monkeypatch, remote)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await settle(pilot)
        desktop = app.context.store
        assert desktop.is_bookmarked(kept)
        assert [d.kind for d in desktop.decisions(kept)] == ["keep"]
        assert "in" in (screen.panes.status.get("sync") or "")
        assert screen.tree.label_of("bookmarks").endswith("1")


async def test_a_teammates_share_is_followed_and_its_picks_shown(tmp_path, monkeypatch, capsys):
    """share -> follow -> the reader: a Picked by the team node, a node per
    teammate, "picked by Ada" in the detail, and picked:Ada in search."""
    import shutil

    import pytest

    from tests.sync_homes import bare_remote
    from tui_reader.cli import main
    from tui_reader.core.model import Paper, Summary

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    remote = bare_remote(tmp_path)
    home(tmp_path, "ada", monkeypatch)
    with StateStore.open() as store:
        store.add_bookmark(Paper(id="2603.00001", title="Diffusion Models for Cats", authors=["Ada Lovelace"],
                                 categories=["cs.LG"], abstract="Cats, diffused.", dates=["2026-03-02"],
                                 summaries={"English": Summary(tldr="Cats, diffused.")}))
    assert main(["share", "--name", "Ada", "--to", remote]) == 0
    home(tmp_path, "bob", monkeypatch)
    assert main(["follow", "file://" + remote]) == 0
    capsys.readouterr()
    app = make_app(mark_read_after=3600)  # no PATH: what Bob follows
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await settle(pilot)
        assert screen.tree.has_key("picked") and screen.tree.has_key("picked:Ada")
        screen.panes.go_to("picked:Ada")
        await settle(pilot)
        assert [p.id for p in screen.paper_list.papers] == ["2603.00001"]
        assert "picked by Ada" in screen.detail.text
        await pilot.press("slash", *"picked:Ada", "enter")
        await settle(pilot)
        assert [p.id for p in screen.paper_list.papers] == ["2603.00001"]
