"""Shared fixtures: every test runs with its own cache, data and config dirs
so nothing touches the user's real files, and paths to the shared samples.

The reader's tests (those that build the app) start with the cache a
reader has after a first start on the libraries they open most (the
embedded samples, tests/fixtures/ui, ...): see ``warm_cache_template``.
A test of the cold start, of index building or of the caches themselves
is marked ``cold_cache`` and starts from an empty cache."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import EMBEDDED, FIXTURE, FIXTURES, SEED_FILES, SHARED_SAMPLES, settle

# The libraries the UI tests open most, each as the tests pass it (the
# cache is keyed by the resolved roots): the embedded samples (make_app()
# with nothing configured), the UI fixture, the signals fixture, the two
# seed digests and the data-branch slice of ../shared.
WARM_LIBRARIES: list[list[str]] = [
    [str(EMBEDDED)],
    [str(FIXTURE)],
    [str(FIXTURES / "signals")],
    list(SEED_FILES),
    [str(SHARED_SAMPLES / "databranch")],
]


def _session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this run shared by its xdist workers (each worker's
    basetemp is popen-gwN inside the run's own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def warm_cache_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An XDG_CACHE_HOME holding what ``tui-reader index`` writes for
    WARM_LIBRARIES (the library caches and search indexes), built by the
    app's own command once per run (the first worker to ask builds it, the
    others wait on the lock), in fresh XDG homes of its own."""
    session = _session_dir(tmp_path_factory)
    template = session / "warm-cache-template"
    with open(session / "warm-cache-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "done").is_file():
            shutil.rmtree(template, ignore_errors=True)
            homes = {name: template / name for name in ("cache", "data", "config")}
            env = {**os.environ, **{f"XDG_{name.upper()}_HOME": str(path) for name, path in homes.items()}}
            for roots in WARM_LIBRARIES:
                if all(os.path.exists(root) for root in roots):
                    subprocess.run([sys.executable, "-m", "tui_reader", "index", *roots], env=env, check=True,
                                   stdin=subprocess.DEVNULL, capture_output=True)
            (template / "done").write_text("")
    return template / "cache"


def _builds_the_app(request: pytest.FixtureRequest) -> bool:
    module = getattr(request, "module", None)
    return module is not None and "make_app" in vars(module)


@pytest.fixture(autouse=True)
def isolated_dirs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("xdg")
    dirs = {name: base / name for name in ("cache", "data", "config")}
    if _builds_the_app(request) and request.node.get_closest_marker("cold_cache") is None:
        # Copies, not links: the app rewrites its caches.  Data and config stay empty.
        shutil.copytree(request.getfixturevalue("warm_cache_template"), dirs["cache"])
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
