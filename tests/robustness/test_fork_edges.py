"""Issue 28, points 2 and 3: a fork's copy stays inside itself (no
symbolic link is checked out), forks recover by themselves (stale git
locks), git and its helpers end with the reader, and a branch without
digests is refused at ``follow`` time.  Hostile repositories are made
with the real ``git`` in ``tmp_path``; each test failed on the code
before the fix."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.robustness.waiting import alive
from tests.support import FIXTURES, Remote
from tui_reader.cli import main
from tui_reader.core import follow as forks

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process groups")]

DAY = FIXTURES / "multiday" / "2026-01-21.md"


def commit_all(remote: Remote, message: str = "day") -> None:
    remote._run("add", "-A", cwd=remote.work)
    remote._run("commit", "--quiet", "-m", message, cwd=remote.work)
    remote._run("push", "--quiet", "origin", remote.branch, cwd=remote.work)


def every_link(folder: Path) -> list[str]:
    found = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        found += [os.path.join(top, n) for n in dirs + files if os.path.islink(os.path.join(top, n))]
    return found


def test_a_fork_of_symlinks_is_copied_without_them(tmp_path: Path, isolated_dirs, capsys) -> None:
    remote = Remote(tmp_path)
    shutil.copy(DAY, remote.work / DAY.name)
    os.symlink("/", remote.work / "data")  # the whole host as the fork's data folder
    os.symlink("/etc/passwd", remote.work / "2026-01-22.md")  # a host file as a digest
    commit_all(remote)
    code = main(["follow", remote.url])
    out, err = capsys.readouterr()
    assert code == 0, err
    follow = forks.Follow(remote.url)
    assert every_link(follow.folder) == []
    assert follow.root == follow.folder  # "data" is a small file now, not a way out
    assert (follow.folder / "data").read_text() == "/"
    assert "root:" not in (follow.folder / "2026-01-22.md").read_text()


def test_stale_git_locks_do_not_stop_later_updates(tmp_path: Path, isolated_dirs, capsys) -> None:
    remote = Remote(tmp_path)
    remote.publish(DAY, message="first day")
    assert main(["follow", remote.url]) == 0
    follow = forks.Follow(remote.url)
    git_dir = follow.folder / ".git"
    # What a killed git leaves: the index lock and a ref lock.
    (git_dir / "index.lock").write_text("")
    (git_dir / "refs" / "remotes" / "origin").mkdir(parents=True, exist_ok=True)
    (git_dir / "refs" / "remotes" / "origin" / "data.lock").write_text("")
    remote.publish(FIXTURES / "multiday" / "2026-01-22_AI_enhanced_English.jsonl", message="second day")
    capsys.readouterr()
    assert main(["follow"]) == 0, capsys.readouterr().err
    assert "1 new file(s)" in capsys.readouterr().out
    assert not (git_dir / "index.lock").exists()


def test_a_branch_without_digests_is_refused_when_followed(tmp_path: Path, isolated_dirs, capsys) -> None:
    remote = Remote(tmp_path, branch="main")
    (remote.work / "README.md").write_text("# a fork\n")
    (remote.work / "src").mkdir()
    (remote.work / "src" / "main.py").write_text("print('hi')\n")
    commit_all(remote)
    assert main(["follow", remote.url, "--branch", "main"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "holds no digests" in err and "not followed" in err
    assert forks.listed() == ([], "")
    assert not forks.Follow(remote.url, "main").folder.exists()


# --- git and its helpers end with the reader ---------------------------------------------------------


@pytest.fixture
def hanging_git(tmp_path: Path, monkeypatch) -> Path:
    """A ``git`` first on PATH that starts a helper (as git starts
    git-remote-https) and never ends; the helper's pid goes to a file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "helper.pid"
    script = bin_dir / "git"
    script.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        sleep 300 &
        echo $! > {pid_file}
        sleep 300
    """))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return pid_file


def helper_pid(pid_file: Path) -> int:
    for _ in range(300):
        if pid_file.exists() and pid_file.read_text().strip():
            return int(pid_file.read_text())
        time.sleep(0.05)
    raise AssertionError("the fake git never started its helper")


def wait_dead(pid: int) -> bool:
    for _ in range(200):  # a hang guard: the fixed code kills the group at once
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_git_helpers_die_when_the_reader_quits(hanging_git: Path) -> None:
    errors: list[str] = []

    def fetch() -> None:
        try:
            forks.git(["fetch"], None, 600)
        except forks.GitError as error:
            errors.append(str(error))

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    helper = helper_pid(hanging_git)
    try:
        forks.stop_all()  # what the reader does on q
        thread.join(30)
        assert not thread.is_alive(), "git() still waits on a pipe its helper holds"
        assert errors == ["stopped"]
        assert wait_dead(helper), "git's helper outlived the reader's quit"
    finally:
        if alive(helper):
            os.kill(helper, signal.SIGKILL)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_reader_that_quit_earlier_does_not_hide_a_later_git_error(tmp_path: Path) -> None:
    """The reader quits (stop_all) and later, in the same process, a sync
    or a fork fetch fails: git's own words are reported, not "stopped"
    (a sticky flag once turned every later failure into "stopped")."""
    forks.stop_all()  # nothing running: a reader that quit
    with pytest.raises(forks.GitError) as raised:
        forks.git(["fetch", str(tmp_path / "no-such-remote.git")], tmp_path, 60)
    assert str(raised.value) != "stopped"
    assert "fatal" in str(raised.value) or "not a git repository" in str(raised.value)


def test_git_helpers_die_with_a_killed_reader(hanging_git: Path) -> None:
    reader = subprocess.Popen([sys.executable, "-c", "from tui_reader.core import follow\n"
                               "follow.git(['fetch'], None, 600)\n"], start_new_session=True)
    helper = helper_pid(hanging_git)
    try:
        os.kill(reader.pid, signal.SIGKILL)
        reader.wait()
        assert wait_dead(helper), "git's helper outlived a kill -9 of the reader"
    finally:
        if alive(helper):
            os.kill(helper, signal.SIGKILL)


def test_a_copy_made_before_links_were_off_is_never_read_through_them(tmp_path: Path, isolated_dirs) -> None:
    remote = Remote(tmp_path)
    remote.publish(DAY, message="first day")
    follow = forks.Follow(remote.url)
    assert forks.update(follow).status == "cloned"
    shutil.rmtree(follow.folder / "data")
    os.symlink("/", follow.folder / "data")  # what a clone with symlinks on made of a hostile fork
    assert follow.root == follow.folder
    assert "etc" not in forks.file_names(follow.folder)


def test_a_followed_branch_without_digests_is_one_message_not_a_problem_per_file(tmp_path: Path,
                                                                                 isolated_dirs) -> None:
    remote = Remote(tmp_path, branch="data")
    for n in range(5):
        (remote.work / f"file{n}.py").write_text("print('not a digest')\n")
    commit_all(remote)
    follow = forks.Follow(remote.url)
    assert forks.update(follow).status == "cloned"  # a config.toml library entry is cloned without a check

    class Settings:
        library: list = []
        follow = [remote.url]

    paths, follows, problems = forks.resolve_library(Settings())
    assert paths == [] and follows == [follow]
    assert problems == [f"{remote.url} (data) holds no digests: not read "
                        "(the producer keeps them on the branch 'data')"]
