"""Issue 7.3 (the real program): NO_COLOR, TERM=dumb or missing, and a
non-UTF-8 locale.  The reader runs in tmux, ``q`` is pressed, and the
shell's view of it must hold no traceback: the app works or says clearly
why it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness import hostile as H
from tests.robustness.terminal import Terminal, available

pytestmark = [pytest.mark.skipif(not available(), reason="needs tmux and the installed tui-reader"),
              pytest.mark.slow]

CASES = {
    "no-color": ({"NO_COLOR": "1"}, ()),
    "term-dumb": ({"TERM": "dumb"}, ()),
    "term-missing": ({}, ("TERM",)),
    "c-locale": ({"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}, ()),
    "latin1-locale": ({"LC_ALL": "en_US.ISO-8859-1", "LANG": "en_US.ISO-8859-1", "PYTHONCOERCECLOCALE": "0",
                       "PYTHONUTF8": "0"}, ()),
}


@pytest.mark.parametrize("case", list(CASES))
def test_environment_gives_a_reader_or_a_clear_message(case, tmp_path: Path, isolated_dirs):
    folder = tmp_path / "lib"
    H.write_markdown(folder)
    extra, unset = CASES[case]
    env = {f"XDG_{k.upper()}_HOME": str(v) for k, v in isolated_dirs.items()} | extra
    term = Terminal([str(folder)], env, 100, 30, unset)
    try:
        deadline_text = ""
        try:
            deadline_text = term.wait_for("Hostile", timeout=20)
        except AssertionError:
            deadline_text = term.screen()
        started = "Hostile" in deadline_text
        if started and case.endswith("locale"):
            # The notice is a toast painted a frame or two after the list.
            try:
                deadline_text = term.wait_for("UTF-8", timeout=10)
            except AssertionError:
                deadline_text = term.screen()
        term.send("q")
        end = term.wait_for("EXIT=", timeout=15)
    finally:
        term.close()
    assert "Traceback" not in end, end
    H.assert_clean(end, f"the terminal ({case})")
    if not started:
        # It may refuse, but must say why in words, and exit non-zero.
        assert "EXIT=0" not in end and len(end.split("EXIT=")[0].strip()) > 10, end
    else:
        assert "EXIT=0" in end, end
        # Drawn, not escaped: "\u2502" instead of a box line means the
        # locale's encoding was used for a UTF-8 screen.
        assert "\\u2" not in deadline_text and "\\u25" not in end, deadline_text
        if case.endswith("locale"):
            assert "UTF-8" in deadline_text, "no word about the locale"
