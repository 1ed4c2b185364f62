"""Issue 19.7: keys and config.  Keys typed right after q never reach a
screen being torn down; the keymap is checked (unknown ids, impossible
keys, keys bound twice, quit always reachable) with file:line messages;
config values never print escape sequences."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from tests.support import FIXTURE, wait_ready
from tui_reader.core.config import load_config
from tui_reader.ui.factory import make_app

EVIL = "\x1b]0;pwned-title\x07\x1b]52;c;cHduZWQ=\x07"


@pytest.mark.parametrize("key", ["e", "t", "x", "I", "S"])
async def test_keys_right_after_q_do_not_crash(key: str) -> None:
    app = make_app([str(FIXTURE)])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        # Both keys in one read from the terminal, as a fast typist sends them
        # (pilot.press waits in between, so the second key never came).
        for typed in ("q", key):
            app.post_message(events.Key(typed, typed))
        await pilot.pause(0.3)
    assert app._exception is None, app._exception  # NoMatches from a dialog mounting on the way out before
    assert app.return_code == 0


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_the_keymap_is_checked_with_file_and_line(tmp_path: Path) -> None:
    path = _config(tmp_path, "\n".join([
        "[keys]",
        '"app.quit" = "x"',               # 2: x is taken (or would shadow): quit must stay reachable
        '"state.bookmark" = "m"',         # 3: m is state.read's
        '"no.such.binding" = "z"',        # 4
        '"reader.random" = "ctrl+nosuchkey"',  # 5: no such key
        '"reader.sort" = "hyper+"',       # 6
        '"reader.problems" = "P"',        # 7: fine
    ]) + "\n")
    app = make_app([str(FIXTURE)], config_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        messages = " | ".join(app.context.notices)
        assert f"{path}:3: key 'm' for state.bookmark is already bound to state.read" in messages, messages
        assert f"{path}:4: unknown binding id 'no.such.binding'" in messages, messages
        assert f"{path}:5: key 'ctrl+nosuchkey' for reader.random" in messages, messages
        assert f"{path}:6: key 'hyper+' for reader.sort" in messages, messages
        assert app._keymap == {"reader.problems": "P"}, app._keymap
        # b still bookmarks, m still marks read, P opens the problems
        await pilot.press("P")
        await pilot.pause(0.2)
        assert app.screen is not screen
        await pilot.press("escape")
        await pilot.pause(0.1)
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_quit_stays_reachable(tmp_path: Path) -> None:
    path = _config(tmp_path, '[keys]\n"app.quit" = "j"\n"state.undo" = "q"\n')
    app = make_app([str(FIXTURE)], config_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        messages = " | ".join(app.context.notices)
        assert "app.quit" in messages and "state.undo" in messages, messages
        await pilot.press("q")
        await pilot.pause(0.2)
    assert not app.is_running


def test_config_values_with_escape_sequences_are_never_used_or_printed(tmp_path: Path, monkeypatch, capsys) -> None:
    from tui_reader.cli import main

    escaped = EVIL.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")
    path = _config(tmp_path, "\n".join([
        f'theme = "{escaped}"',
        f'language = "English{escaped}"',
        f'library = ["/tmp/x{escaped}"]',
        "[keys]",
        f'"app.help" = "{escaped}"',
    ]) + "\n")
    config = load_config(path)
    assert config.settings.theme == "" and config.settings.language == "" and config.settings.keys == {}
    assert config.settings.library == []
    assert len(config.errors) == 4 and all("control characters" in e for e in config.errors)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    (tmp_path / "cfg" / "tui-reader").mkdir(parents=True)
    (tmp_path / "cfg" / "tui-reader" / "config.toml").write_text(path.read_text())
    main(["config"])
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    main(["config", "--json"])
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err


async def test_triage_keys_are_checked_and_remapped(tmp_path: Path, databranch: Path) -> None:
    from tests.robustness.waiting import until
    from tests.support import choose_node
    from tui_reader.ui.screens.triage import TriageScreen

    path = _config(tmp_path, "\n".join([
        "[keys]",
        '"triage.keep" = "K"',        # 2: fine
        '"triage.skip" = "w"',        # 3: w is triage.later's
        '"triage.nope" = "z"',        # 4: no such id
    ]) + "\n")
    app = make_app([str(databranch)], config_path=path)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await wait_ready(pilot)
        messages = " | ".join(app.context.notices)
        assert f"{path}:3: key 'w' for triage.skip is already bound to triage.later" in messages, messages
        assert f"{path}:4: unknown binding id 'triage.nope'" in messages, messages
        # Leaving triage with q is no rival of quitting from the main screen.
        assert "no key would quit" not in messages, messages
        assert app._keymap == {"triage.keep": "K"}, app._keymap
        await choose_node(pilot, screen, "day:2026-06-19")
        first = screen.paper_list.papers[0].id
        await pilot.press("v")
        assert await until(pilot, lambda: isinstance(app.screen, TriageScreen))
        await pilot.press("K")
        assert await until(pilot, lambda: app.context.store.is_bookmarked(first))
        await pilot.press("q")  # leaves triage
        assert await until(pilot, lambda: app.screen is screen)
        await pilot.press("q")  # quits
        await pilot.pause(0.2)
    assert not app.is_running


async def test_a_screen_key_a_pane_shadows_is_refused_with_its_line(tmp_path: Path) -> None:
    """Issue 28.6: ``state.bookmark = "j"`` took the key silently, and the
    list and the detail (where j moves) left bookmarking with no key."""
    path = _config(tmp_path, '[keys]\n"reader.problems" = "P"\n"state.bookmark" = "j"\n')
    app = make_app([str(FIXTURE)], config_path=path, mark_read_after=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        messages = " | ".join(app.context.notices)
        assert f"{path}:3: key 'j' for state.bookmark is already bound to list.down" in messages, messages
        assert "state.bookmark keeps b" in messages
        assert "state.bookmark" not in app._keymap and app._keymap == {"reader.problems": "P"}
        first = screen.paper_list.current.id
        await pilot.press("b")
        assert app.context.store.is_bookmarked(first)
