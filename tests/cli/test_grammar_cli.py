"""One command-line grammar (issue 29.9): every command takes the library as
positional PATHs (digest too), a mistyped command or a PATH that is not
there is refused with exit 2 (naming the nearest command), ``config``
checks ``[keys]`` as the reader does and ``config --init`` writes a
commented default; the README's ``[keys]`` example works."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import FIXTURES, REPO
from tui_reader.cli import main
from tui_reader.core import paths
from tui_reader.core.config import DEFAULT_CONFIG, Settings, load_config
from tui_reader.ui.factory import keymap_problems

MULTIDAY = FIXTURES / "multiday"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("typed", "meant"), [("serach", "search"), ("chek", "check"), ("folow", "follow"),
                                              ("bookmark", "bookmarks"), ("digets", "digest")])
def test_a_mistyped_command_is_refused_naming_the_nearest(capsys, typed: str, meant: str) -> None:
    code, out, err = run(capsys, typed, "foo")
    assert code == 2 and out == ""
    assert f"'{typed}' is not a command, nor a file or folder; did you mean 'tui-reader {meant}'?" in err


def test_the_reader_refuses_a_path_that_is_not_there(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    code, _, err = run(capsys, str(MULTIDAY), str(missing))
    assert code == 2 and err.strip() == f"tui-reader: {missing}: no such file or folder"
    # After "--" a word is a PATH, never a command.
    code, _, err = run(capsys, "--", "serach")
    assert code == 2 and err.strip() == "tui-reader: serach: no such file or folder"


def test_without_a_terminal_a_typo_never_opens_an_empty_reader(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tui_reader", "serach", "foo"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and "did you mean 'tui-reader search'?" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("command", ["check", "index", "stats", "rank", "digest", "serve"])
def test_every_command_refuses_a_path_that_is_not_there(capsys, command: str, tmp_path: Path) -> None:
    missing = str(tmp_path / "gone")
    code, out, err = run(capsys, command, missing)
    assert code == 2, (out, err)
    assert f"tui-reader {command}: {missing}: no such file or folder" in err


def test_digest_takes_the_library_as_paths(capsys) -> None:
    code, out, err = run(capsys, "digest", str(MULTIDAY), "--all")
    assert code == 0, err
    assert "Recurring Paper" in out and "2026-01-23" in out
    for argv in (("2026-01-21", str(MULTIDAY)), (str(MULTIDAY), "2026-01-21")):  # the DAY in any place
        code, out, err = run(capsys, "digest", *argv, "--all")
        assert code == 0, err
        assert out.startswith("# arXiv picks, 2026-01-21\n")
    code, _, err = run(capsys, "digest", "2026-01-21", "latest", str(MULTIDAY))
    assert code == 2 and "one DAY, not 2" in err
    code, _, err = run(capsys, "digest", "2026-13-01", str(MULTIDAY))
    assert code == 2 and "'2026-13-01' is not a day" in err
    code, out, _ = run(capsys, "digest", "--library", str(MULTIDAY), "--all")  # the older spelling
    assert code == 0 and "Recurring Paper" in out


def test_config_checks_keys_as_the_reader_does(capsys) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True)
    path.write_text('[keys]\n"reader.random" = "R"\n"reader.abstract" = "z"\n"nope.nothing" = "k"\n',
                    encoding="utf-8")
    code, out, _ = run(capsys, "config")
    assert code == 1
    text = " ".join(out.split())
    assert f"{path}:3: key 'z' for reader.abstract is already bound to reader.zoom; ignored" in text
    assert f"{path}:4: unknown binding id 'nope.nothing'" in text
    assert "reader.random = R" in text


def test_config_init_writes_a_commented_default_and_keeps_an_existing_one(capsys) -> None:
    path = paths.config_file()
    code, out, err = run(capsys, "config", "--init")
    assert code == 0, err and str(path) in out
    assert path.read_text(encoding="utf-8") == DEFAULT_CONFIG
    written = load_config(path)
    assert written.errors == [] and written.settings == Settings()  # every setting commented out
    assert all(line.startswith("#") for line in DEFAULT_CONFIG.splitlines() if line.strip())
    path.write_text('language = "English"\n', encoding="utf-8")
    code, _, err = run(capsys, "config", "--init")
    assert code == 2 and "exists; kept" in err
    assert path.read_text(encoding="utf-8") == 'language = "English"\n'
    assert run(capsys, "config", "--init", "--force")[0] == 0
    assert path.read_text(encoding="utf-8") == DEFAULT_CONFIG
    assert run(capsys, "config", "--force")[0] == 2


def test_the_default_configs_examples_work_when_uncommented(tmp_path: Path) -> None:
    setting = re.compile(r'# ((?:[a-z_]+|"[a-z_.0-9]+") = .*|\[\[?[a-z]+\]\]?)$')
    lines = [m[1] if (m := setting.match(line)) else line for line in DEFAULT_CONFIG.splitlines()]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = load_config(path)
    assert config.errors == [] and config.settings.keys == {"reader.random": "R", "state.bookmark": "B"}
    assert config.settings.language == "English" and len(config.settings.commands) == 1
    assert keymap_problems(config) == []


@pytest.mark.parametrize("document", ["README.md", "docs/reference.md"])
def test_the_documented_keys_example_works(tmp_path: Path, document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    section = text[text.index("## Configuration"):]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL)[1]
    assert "[keys]" in block
    path = tmp_path / "config.toml"
    path.write_text(block, encoding="utf-8")
    config = load_config(path)
    assert config.errors == [] and config.settings.keys
    assert keymap_problems(config) == []
