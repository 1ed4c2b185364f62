"""``tui-reader follow OWNER/NAME|URL|PATH --days N`` (issue 29.2): only the
last N days' files, with git's partial clone and a sparse checkout, grown by
a later ``--days``; against local bare repositories made with real git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_follow_cli import check_days, run
from tests.support import FIXTURES, Remote
from tui_reader.core import follow as forks
from tui_reader.core.follow_days import last_days, pattern, source_url

MULTIDAY = FIXTURES / "multiday"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def day_files(tmp_path: Path, *days: str) -> list[Path]:
    """A Markdown digest per day: the same paper each day, a file of its own (one blob each)."""
    folder = tmp_path / "days"
    folder.mkdir(exist_ok=True)
    out = []
    for day in days:
        text = (MULTIDAY / "2026-01-21.md").read_text(encoding="utf-8")
        (folder / f"{day}.md").write_text(text.replace("We study a problem.", f"We study a problem on {day}."),
                                          encoding="utf-8")
        out.append(folder / f"{day}.md")
    return out


def missing_objects(folder: Path) -> int:
    """Objects of HEAD the copy does not hold (a partial clone's blobs left on the server)."""
    out = subprocess.run(["git", "-C", str(folder), "rev-list", "--objects", "--missing=print", "HEAD"],
                         capture_output=True, text=True, check=True)
    return sum(1 for line in out.stdout.splitlines() if line.startswith("?"))


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    fork = Remote(tmp_path)
    fork.allow_filter()
    fork.publish(*day_files(tmp_path, "2026-01-19", "2026-01-20", "2026-01-21", "2026-01-22"), message="four days")
    fork.publish(MULTIDAY / "2026-01-22_AI_enhanced_English.jsonl", message="the day's summaries")
    return fork


def test_days_fetches_the_last_days_only_and_a_later_days_grows_it(capsys, remote: Remote, tmp_path: Path) -> None:
    code, out, err = run(capsys, remote.url, "--days", "2")
    assert code == 0, err
    assert "cloned" in out and "the last 2 days, 3 files" in out
    follow = forks.Follow(remote.url)
    assert sorted(forks.file_names(follow.folder)) == [
        "2026-01-21.md", "2026-01-22.md", "2026-01-22_AI_enhanced_English.jsonl"]
    assert check_days(capsys) == ["2026-01-21", "2026-01-22"]
    # A partial clone: the older days' contents stayed on the server.
    assert missing_objects(follow.folder) == 2
    code, out, _ = run(capsys, "--list")
    assert code == 0 and "3 (last 2 days)" in out

    # A new day comes in with the daily update, the days there stay.
    remote.publish(*day_files(tmp_path, "2026-01-23"), message="a new day")
    code, out, _ = run(capsys)
    assert code == 0 and "1 new file(s)" in out and "new days: 2026-01-23" in out
    assert check_days(capsys) == ["2026-01-21", "2026-01-22", "2026-01-23"]
    assert run(capsys)[1].endswith("is up to date")

    # A larger --days grows the copy to the older days.
    code, out, _ = run(capsys, remote.url, "--days", "5")
    assert code == 0 and "2 new file(s)" in out and "now the last 5 days" in out
    assert check_days(capsys) == ["2026-01-19", "2026-01-20", "2026-01-21", "2026-01-22", "2026-01-23"]
    assert missing_objects(follow.folder) == 0
    # A smaller one keeps what is there.
    code, out, _ = run(capsys, remote.url, "--days", "1")
    assert code == 0 and "up to date" in out
    assert len(check_days(capsys)) == 5


def test_days_on_a_copy_of_every_day_leaves_it_so(capsys, remote: Remote) -> None:
    assert run(capsys, remote.url)[0] == 0
    code, out, _ = run(capsys, remote.url, "--days", "1")
    assert code == 0 and "the copy holds every day" in out
    assert len(check_days(capsys)) == 4


def test_a_local_folder_is_followed_by_its_file_url(capsys, remote: Remote) -> None:
    code, out, err = run(capsys, str(remote.bare), "--days", "1")
    assert code == 0, err
    assert forks.listed()[0] == [forks.Follow(remote.bare.resolve().as_uri())]
    assert check_days(capsys) == ["2026-01-22"]
    code, out, _ = run(capsys, "--remove", str(remote.bare))
    assert code == 0 and "no longer following" in out


def test_bad_days_are_refused(capsys, remote: Remote) -> None:
    for args in (("--days", "0"), ("--days", "-3")):
        code, _, err = run(capsys, remote.url, *args)
        assert code == 2 and "--days" in err
    code, _, err = run(capsys, "--days", "3")
    assert code == 2 and "needs the fork's URL" in err
    assert forks.listed() == ([], "")


def test_owner_name_is_a_github_repository(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert source_url("dw-dengwei/daily-arXiv-ai-enhanced") == \
        "https://github.com/dw-dengwei/daily-arXiv-ai-enhanced.git"
    for url in ("https://github.com/a/b", "git@github.com:a/b.git", "file:///srv/fork.git"):
        assert source_url(url) == url
    (tmp_path / "mine" / "fork").mkdir(parents=True)
    assert source_url("mine/fork") == (tmp_path / "mine" / "fork").as_uri()


def test_the_last_days_of_a_tree_and_their_patterns() -> None:
    names = ["README.md", "assets/file-list.txt", "data/2026-01-01.jsonl", "data/2026-01-02.md",
             "data/2026-01-02_AI_enhanced_Chinese.jsonl", "data/notes.txt", "data/old/2026-01-03.md"]
    assert last_days(names, 1) == ["data/2026-01-02.md", "data/2026-01-02_AI_enhanced_Chinese.jsonl"]
    assert last_days(names, 9) == ["data/2026-01-01.jsonl", "data/2026-01-02.md",
                                   "data/2026-01-02_AI_enhanced_Chinese.jsonl"]
    assert last_days(["2026-01-01.md", "x/2026-01-02.md"], 5) == ["2026-01-01.md"]  # no data/: the top
    assert pattern("data/2026-01-01 [v2]*.md") == "/data/2026-01-01\\ \\[v2\\]\\*.md"


def test_a_config_library_entry_may_be_owner_name(tmp_path: Path, monkeypatch) -> None:
    from tui_reader.core.config import load_config

    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine" / "digests").mkdir(parents=True)
    path = tmp_path / "config.toml"
    path.write_text('library = ["dw-dengwei/daily-arXiv-ai-enhanced", "mine/digests"]\n', encoding="utf-8")
    settings = load_config(path).settings
    assert settings.follow == ["https://github.com/dw-dengwei/daily-arXiv-ai-enhanced.git"]
    assert settings.library == ["mine/digests"]  # a folder that is there stays a folder
