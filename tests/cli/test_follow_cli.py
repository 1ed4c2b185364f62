"""``tui-reader follow``: a fork's data branch cloned and kept up to date,
against local bare repositories (no test touches the network)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support import FIXTURES, Remote
from tui_reader.cli import main
from tui_reader.core import follow as forks

MULTIDAY = FIXTURES / "multiday"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    fork = Remote(tmp_path)
    fork.publish(MULTIDAY / "2026-01-21.md", message="first day")
    return fork


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["follow", *args])
    out, err = capsys.readouterr()
    return code, " ".join(out.split()), " ".join(err.split())


def check_days(capsys) -> list[str]:
    """The days `check` reads with no PATH: the followed forks' copies."""
    assert main(["check", "--json"]) in (0, 1)
    return [day["date"] for day in json.loads(capsys.readouterr().out)["days"]]


def test_follow_clones_lists_updates_and_removes(capsys, remote: Remote) -> None:
    code, out, err = run(capsys, remote.url)
    assert code == 0, err
    assert "cloned" in out and f"following {remote.url} (data)" in out
    follow = forks.Follow(remote.url)
    assert (follow.folder / ".git").is_dir() and follow.root == follow.folder / "data"
    # Shallow: one commit, one branch.
    assert (follow.folder / ".git" / "shallow").is_file()
    assert check_days(capsys) == ["2026-01-21"]

    code, out, _ = run(capsys, "--list")
    assert code == 0 and "data" in out and "follow" in out

    remote.publish(MULTIDAY / "2026-01-22_AI_enhanced_English.jsonl", message="second day")
    code, out, _ = run(capsys)  # every followed fork
    assert code == 0 and "1 new file(s)" in out and "new days: 2026-01-22" in out
    assert check_days(capsys) == ["2026-01-21", "2026-01-22"]
    code, out, _ = run(capsys)
    assert code == 0 and "up to date" in out

    # Following again is an update, and lists the fork once.
    code, out, _ = run(capsys, remote.url)
    assert code == 0 and "up to date" in out and "following" not in out
    assert forks.listed() == ([follow], "")

    code, out, _ = run(capsys, "--remove", remote.url)
    assert code == 0 and "no longer following" in out
    assert not follow.folder.exists() and forks.listed() == ([], "")
    code, _, err = run(capsys, "--remove", remote.url)
    assert code == 1 and "is not followed" in err


def test_force_push_replaces_the_copy_and_says_so(capsys, remote: Remote) -> None:
    assert run(capsys, remote.url)[0] == 0
    remote.publish(MULTIDAY / "2026-01-23.md", message="another day")
    assert run(capsys)[0] == 0  # the copy is at "another day"
    remote.rewrite()  # ... which the fork replaces by a commit of its own
    code, out, _ = run(capsys)
    assert code == 0
    assert "rewrote its history (force-push)" in out
    assert check_days(capsys) == ["2026-01-21", "2026-01-23"]


def test_unreachable_url_is_a_clear_error_and_nothing_is_followed(capsys, tmp_path: Path) -> None:
    url = (tmp_path / "no-such-fork.git").as_uri()
    code, _, err = run(capsys, url)
    assert code == 1
    assert f"could not clone {url} (data)" in err
    assert forks.listed() == ([], "")


def test_offline_fetch_keeps_the_copy(capsys, remote: Remote) -> None:
    assert run(capsys, remote.url)[0] == 0
    shutil.rmtree(remote.bare)  # the fork is gone / the network is down
    code, _, err = run(capsys)
    assert code == 1
    assert "could not fetch" in err and "showing the copy on disk" in err
    assert check_days(capsys) == ["2026-01-21"]


def test_broken_copy_is_cloned_again(capsys, remote: Remote) -> None:
    assert run(capsys, remote.url)[0] == 0
    follow = forks.Follow(remote.url)
    shutil.rmtree(follow.folder / ".git" / "objects")
    (follow.folder / ".git" / "objects").mkdir()
    code, out, _ = run(capsys)
    assert code == 0 and "was broken" in out and "cloned it again" in out
    assert check_days(capsys) == ["2026-01-21"]


def test_no_git_is_a_clear_error(capsys, remote: Remote, monkeypatch) -> None:
    monkeypatch.setattr(forks, "git_available", lambda: False)
    code, _, err = run(capsys, remote.url)
    assert code == 1 and "git is not installed" in err


def test_bad_urls_and_branches_are_refused(capsys) -> None:
    assert run(capsys, "http://example.org/fork.git")[0] == 2
    assert run(capsys, "--upload-pack=touch /tmp/x")[0] == 2
    code, _, err = run(capsys, "https://example.org/fork.git", "--branch", "../x")
    assert code == 2 and "not a branch name" in err


def test_config_library_entry_with_a_git_url_is_followed(capsys, remote: Remote) -> None:
    from tui_reader.core import paths

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'library = ["{remote.url}"]\n', encoding="utf-8")
    code, out, _ = run(capsys, "--list")
    assert code == 0 and "config.toml" in out and "not cloned yet" in out
    code, out, _ = run(capsys)
    assert code == 0 and "cloned" in out
    assert check_days(capsys) == ["2026-01-21"]
