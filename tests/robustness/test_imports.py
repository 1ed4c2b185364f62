"""Issue 19.8 (imports): deeply nested JSON in ``bookmarks import`` is a
clear message, never a RecursionError traceback; an impossible
``added_at`` is never stored."""

from __future__ import annotations

import json
from pathlib import Path

from tui_reader.cli import main
from tui_reader.core.state import StateStore
from tui_reader.core.state.importer import parse_import


def test_deeply_nested_json_is_a_message(tmp_path: Path, capsys) -> None:
    source = tmp_path / "deep.json"
    source.write_text("[" * 100_000 + "]" * 100_000)
    code = main(["bookmarks", "import", str(source)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "RecursionError" not in out + err
    assert code != 0 and "nested too deeply" in err, err


def test_impossible_added_at_is_not_stored(tmp_path: Path, capsys) -> None:
    records = [
        {"id": "2601.00001", "added_at": "2026-13-45T99:99:99Z"},
        {"id": "2601.00002", "added_at": "0001-01-01T00:00:00Z"},
        {"id": "2601.00003", "added_at": "9999-12-31T23:59:59Z"},
        {"id": "2601.00004", "added_at": "2026-01-05T10:00:00+02:00"},
    ]
    parsed = parse_import(json.dumps(records))
    stamps = {b.id: b.added_at for b in parsed.items}
    assert stamps["2601.00001"] == "" and stamps["2601.00002"] == "" and stamps["2601.00003"] == ""
    assert stamps["2601.00004"] == "2026-01-05T08:00:00Z"  # a real one, in UTC like ours
    source = tmp_path / "b.json"
    source.write_text(json.dumps(records))
    assert main(["bookmarks", "import", str(source)]) == 0
    capsys.readouterr()
    with StateStore.open() as store:
        for bookmark in store.bookmarks():
            assert bookmark.added_at[:4] in ("2026", "2027"), bookmark.added_at
