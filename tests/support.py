"""What many test modules share: the fixture folders and the Pilot helpers
that wait for the reader as a person would (the library shown, the index
built), never a fixed pause."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.worker import WorkerCancelled, WorkerFailed

from tui_reader.ui.screens.main import MainScreen

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
EMBEDDED = REPO / "tui_reader" / "samples"
# The two undated seed digests of the embedded samples (70 + 87 papers), for
# the tests written for exactly those; the samples also hold a real dated slice.
SEED_FILES = [str(EMBEDDED / "000_bb134045811f6403.txt"), str(EMBEDDED / "002_c86ff8b9cda3dd17.txt")]
SHARED_SAMPLES = REPO.parent / "shared" / "samples"
FIXTURE = FIXTURES / "ui"


async def _main_screen(pilot) -> MainScreen:
    app = pilot.app
    while not (isinstance(app.screen, MainScreen) and app.screen.is_mounted):
        await pilot.pause()  # the screen is pushed on the app's first messages
    return app.screen


async def wait_ready(pilot, index: bool = False, timeout: float = 60.0) -> MainScreen:
    """Wait until the library is shown (and the index is built, if asked):
    the librarian's public events, then the detail's coalescing timer."""
    screen = await asyncio.wait_for(_main_screen(pilot), timeout)
    librarian = screen.panes.librarian
    await asyncio.wait_for(librarian.library_shown.wait(), timeout)
    if index:
        await asyncio.wait_for(librarian.index_built.wait(), timeout)
        await settle(pilot, timeout)  # what the index starts: interests, Suggested, the ranking
    await until(pilot, lambda: screen.detail.paper is not None or not screen.paper_list.papers, "the detail")
    return screen


async def until(pilot, condition, what: str = "the condition", timeout: float = 15.0) -> None:
    """For what a timer or a key's messages bring (not a worker: ``settle``
    awaits those): the app's pending messages are processed, then the
    condition looked at again, until ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"never reached: {what}")
        await pilot.pause(0.01)


async def choose_node(pilot, screen: MainScreen, key: str) -> None:
    """Move the tree's cursor to ``key`` and press enter, as a reader would."""
    screen.tree.focus()
    screen.tree.select_key(key)
    await until(pilot, lambda: screen.tree.current_key == key, f"the tree on {key}")
    await pilot.press("enter")
    await until(pilot, lambda: screen.panes.state.node == key and screen.paper_list.has_focus, f"{key} shown")


def titles(screen: MainScreen) -> list[str]:
    return [p.title for p in screen.paper_list.papers]




async def settle(pilot, timeout: float = 60.0) -> None:
    """Await every worker the app has started (loading, indexing, searching,
    discovery) and then the messages they posted, until no worker runs:
    what a test waits for after a key that starts background work, instead
    of polling a condition.  Raises TimeoutError after ``timeout`` seconds.
    Also the ``settled`` fixture (tests/conftest.py)."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet = 0  # looks in a row that found no worker running
    main = getattr(app, "main_screen", None)
    while quiet < 3:  # a worker may start from a message or timer a moment later
        await pilot.pause(0.02 if quiet else 0)
        running = [worker for worker in app.workers if worker.is_running]
        panes = getattr(main, "panes", None)
        if panes is not None and panes.pending:  # a coalesced refresh still to come (the detail)
            quiet = 0
            if loop.time() > deadline:
                raise TimeoutError(f"refreshes still pending after {timeout} s")
            continue
        if not running:
            quiet += 1
            continue
        quiet = 0
        left = deadline - loop.time()
        if left <= 0:
            raise TimeoutError(f"workers still running after {timeout} s: {running}")
        # An exclusive worker cancelled by a newer one of its group is done too.
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(worker.wait() for worker in running), return_exceptions=True), left)
        for outcome in outcomes:
            # A failed worker is the app's to report (a notice, tests read
            # app.notices_shown); a cancelled one was replaced by a newer one.
            if isinstance(outcome, BaseException) and not isinstance(outcome, WorkerCancelled | WorkerFailed):
                raise outcome


class Remote:
    """A local bare git repository standing in for a fork (no network):
    ``publish`` commits files to its ``data`` branch, ``rewrite`` force-pushes."""

    def __init__(self, base: Path, branch: str = "data") -> None:
        import subprocess

        self._run = lambda *args, cwd=None: subprocess.run(
            ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
            cwd=cwd, check=True, capture_output=True, text=True)
        self.bare = base / "fork.git"
        self.work = base / "fork-work"
        self.branch = branch
        self._run("init", "--quiet", "--bare", "-b", branch, str(self.bare))
        self._run("init", "--quiet", "-b", branch, str(self.work))
        self._run("remote", "add", "origin", str(self.bare), cwd=self.work)

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def allow_filter(self) -> None:
        """Serve partial clones (``--filter=blob:none``), as GitHub does."""
        self._run("config", "uploadpack.allowFilter", "true", cwd=self.bare)

    def publish(self, *files: Path, message: str = "day") -> None:
        import shutil

        (self.work / "data").mkdir(exist_ok=True)
        for path in files:
            shutil.copy(path, self.work / "data" / path.name)
        self._run("add", "data", cwd=self.work)
        self._run("commit", "--quiet", "-m", message, cwd=self.work)
        self._run("push", "--quiet", "origin", self.branch, cwd=self.work)

    def rewrite(self, message: str = "squashed") -> None:
        """A force-push: the tip replaced by a commit that is not its descendant."""
        self._run("commit", "--quiet", "--amend", "-m", message, cwd=self.work)
        self._run("push", "--quiet", "--force", "origin", self.branch, cwd=self.work)
