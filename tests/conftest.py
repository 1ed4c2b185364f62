"""Shared fixtures: every test runs with its own cache, data and config dirs
so nothing touches the user's real files, and paths to the shared samples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import EMBEDDED, SEED_FILES, SHARED_SAMPLES, settle


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("xdg")
    dirs = {name: base / name for name in ("cache", "data", "config")}
    monkeypatch.setenv("XDG_CACHE_HOME", str(dirs["cache"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs["data"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["config"]))
    return dirs


@pytest.fixture(scope="session")
def shared_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Markdown and JSONL slices of ../shared/samples (what these tests
    were written for), without the data-branch slice beside them."""
    if not SHARED_SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside this checkout")
    folder = tmp_path_factory.mktemp("shared-samples")
    for name in ("markdown", "jsonl"):
        shutil.copytree(SHARED_SAMPLES / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def databranch() -> Path:
    """A real slice of the producer's data branch (FORMATS.md §3)."""
    folder = SHARED_SAMPLES / "databranch"
    if not folder.is_dir():
        pytest.skip("../shared/samples/databranch is not beside this checkout")
    return folder


@pytest.fixture
def embedded_samples() -> Path:
    return EMBEDDED


@pytest.fixture(scope="session")
def seed_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding only the embedded samples' two seed digests (157 papers)."""
    folder = tmp_path_factory.mktemp("seeds")
    for path in SEED_FILES:
        shutil.copy(path, folder)
    return folder


@pytest.fixture
def settled():
    """``await settled(pilot)``: wait for every worker of the app (and the
    messages they posted) instead of polling; see tests.support.settle."""
    return settle
