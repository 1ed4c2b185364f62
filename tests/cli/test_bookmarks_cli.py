"""``tui-reader bookmarks list|export|import`` through ``cli.main`` and once
as a real subprocess.  The default library is the embedded samples."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.core.state import Bookmark, Snapshot, StateStore

SAMPLE_ID = "2601.18800"  # in the embedded samples
SAMPLE_TITLE = "NavFormer: IGRF Forecasting in Moving Coordinate Frames"


def hostile_snapshot() -> Snapshot:
    snapshot = Snapshot.minimal("2601.00042")
    snapshot.title = "[bold red]Not markup[/] & 100% x_1"
    snapshot.authors = ["[link=http://evil]Eve[/link]"]
    snapshot.categories = ["cs.CR"]
    return snapshot


@pytest.fixture
def populated() -> None:
    with StateStore.open() as store:
        store.merge_bookmarks([
            Bookmark("2601.00042", "2026-01-01T00:00:00Z", ["security"], "look [here]", hostile_snapshot()),
            Bookmark("2601.00007", "2026-01-02T00:00:00Z", ["ml", "security"], "", Snapshot.minimal("2601.00007")),
        ])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["bookmarks", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- list -----------------------------------------------------------------------------------


def test_list_with_no_bookmarks(capsys) -> None:
    assert run(capsys, "list") == (0, "no bookmarks\n", "")


def test_list_shows_paper_text_literally(capsys, populated) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    assert "[bold red]Not markup[/]" in out and "100% x_1" in out
    assert "look [here]" in out and "security" in out
    assert "no details" in out  # the minimal one says so
    assert "2 bookmarks" in out and "\x1b" not in out


def test_list_by_tag(capsys, populated) -> None:
    code, out, _ = run(capsys, "list", "--tag", "ML")
    assert code == 0 and "2601.00007" in out and "2601.00042" not in out


def test_list_json_is_one_document(capsys, populated) -> None:
    code, out, _ = run(capsys, "list", "--json")
    document = json.loads(out)
    assert code == 0 and document["format"] == "tui-reader-bookmarks"
    assert [b["id"] for b in document["bookmarks"]] == ["2601.00007", "2601.00042"]
    assert document["bookmarks"][1]["snapshot"]["title"] == "[bold red]Not markup[/] & 100% x_1"
    assert document["bookmarks"][1]["tags"] == ["security"]


# --- export ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("bibtex", "@misc{arxiv2026,\n      title={2601.00007}"),
        ("markdown", "## \\[bold red\\]Not markup\\[/\\] & 100% x\\_1"),
        ("json", '"format": "tui-reader-bookmarks"'),
        ("csv", "id,title,authors"),
        ("ris", "TY  - UNPB"),
        ("csl-json", '"publisher": "arXiv"'),
    ],
)
def test_export_to_stdout(capsys, populated, fmt: str, expected: str) -> None:
    code, out, err = run(capsys, "export", "--format", fmt)
    assert code == 0 and err == "" and expected in out


def test_export_bibtex_escapes_titles(capsys, populated) -> None:
    _, out, _ = run(capsys, "export")
    assert "title={[bold red]Not markup[/] \\& 100\\% x\\_1}" in out
    assert "eprint={2601.00042}" in out and "primaryClass={cs.CR}" in out


def test_export_to_a_file(capsys, populated, tmp_path: Path) -> None:
    target = tmp_path / "bookmarks.bib"
    target.write_text("previous")
    code, out, err = run(capsys, "export", "-f", "bibtex", "-o", str(target))
    assert code == 0 and out == ""
    assert "2 bookmarks written to" in err
    assert target.read_text(encoding="utf-8").count("@misc{") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bookmarks.bib"]


def test_export_to_an_impossible_path(capsys, populated, tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "no" / "such" / "dir.bib"))
    assert code == 2 and "cannot write" in err


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json", "csv", "markdown", "json"])
def test_export_every_format_to_a_file_parses(capsys, populated, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    code, _, err = run(capsys, "export", "-f", fmt, "-o", str(target))
    assert code == 0 and f"2 bookmarks written to {target} ({fmt})" in err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (fmt == "csv")
    text = raw.decode("utf-8-sig")
    if fmt == "bibtex":
        import bibtexparser

        library = bibtexparser.parse_string(text)
        assert sorted(e.fields_dict["eprint"].value for e in library.entries) == ["2601.00007", "2601.00042"]
    elif fmt == "ris":
        import rispy

        assert sorted(r["accession_number"] for r in rispy.loads(text)) == ["arXiv:2601.00007", "arXiv:2601.00042"]
    elif fmt in ("csl-json", "json"):
        document = json.loads(text)
        items = document if fmt == "csl-json" else document["bookmarks"]
        assert len(items) == 2
    elif fmt == "csv":
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(text)))
        assert sorted(r["id"] for r in rows) == ["2601.00007", "2601.00042"]
        assert [r["tags"] for r in rows if r["id"] == "2601.00007"] == ["ml security"]
    else:
        assert text.count("\n## ") == 2


# --- remove, tag, note -------------------------------------------------------------------------


def test_remove_bookmarks(capsys, populated) -> None:
    code, out, err = run(capsys, "remove", "2601.00042", "https://arxiv.org/abs/2601.00007v2")
    assert code == 0 and "removed 2601.00042" in out and "removed 2601.00007" in out
    with StateStore.open() as store:
        assert store.bookmarks() == []
    code, _, err = run(capsys, "remove", "2601.00042")
    assert code == 1 and "2601.00042 was not bookmarked" in err
    code, _, err = run(capsys, "remove", "no-such-thing")
    assert code == 2 and "not an arXiv id" in err


def test_tag_adds_removes_and_sets(capsys, populated) -> None:
    code, out, _ = run(capsys, "tag", "2601.00042", "Reading List", "ml")
    assert code == 0 and "tags of 2601.00042: ml, reading-list, security" in out
    code, out, _ = run(capsys, "tag", "--remove", "2601.00042", "security")
    assert code == 0 and "ml, reading-list" in out
    code, out, _ = run(capsys, "tag", "--set", "2601.00042")
    assert code == 0 and "tags of 2601.00042: none" in out
    assert run(capsys, "tag", "2601.00042")[0] == 2
    with StateStore.open() as store:
        assert store.bookmark("2601.00042").tags == []


def test_tag_and_note_bookmark_a_paper_from_the_library(capsys) -> None:
    code, out, _ = run(capsys, "tag", SAMPLE_ID, "nav")
    assert code == 0 and f"(bookmarked {SAMPLE_ID})" in out
    code, out, _ = run(capsys, "note", SAMPLE_ID, "Read §3 [first]")
    assert code == 0 and "saved" in out
    with StateStore.open() as store:
        mark = store.bookmark(SAMPLE_ID)
    assert mark.tags == ["nav"] and mark.note == "Read §3 [first]"
    assert mark.snapshot.title == SAMPLE_TITLE  # the library's copy, not just an id
    code, out, _ = run(capsys, "note", SAMPLE_ID, "")
    assert code == 0 and "cleared" in out


def test_note_from_stdin(capsys, populated, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("line one\nline two\n"))
    assert run(capsys, "note", "2601.00007", "-")[0] == 0
    with StateStore.open() as store:
        assert store.bookmark("2601.00007").note == "line one\nline two"


def test_list_renders_latex_titles(capsys) -> None:
    snapshot = Snapshot.minimal("2601.00099")
    snapshot.title = "On $\\alpha$-Decay of \\textit{Cats}"
    with StateStore.open() as store:
        store.merge_bookmarks([Bookmark("2601.00099", "2026-01-01T00:00:00Z", [], "", snapshot)])
    code, out, _ = run(capsys, "list")
    assert code == 0 and "On α-Decay of Cats" in out


# --- import ---------------------------------------------------------------------------------


def test_import_ids_uses_the_library_and_reports_skips(capsys, tmp_path: Path) -> None:
    source = tmp_path / "ids.txt"
    source.write_text(f"{SAMPLE_ID}v1\nhttps://arxiv.org/abs/2601.00001\nnot an id\n{SAMPLE_ID}\n")
    code, out, err = run(capsys, "import", str(source))
    assert code == 0, err
    assert "2 added" in out and "2 skipped" in out
    assert "line 3: not an id  (no arXiv id)" in out
    assert f"line 4: {SAMPLE_ID}  ({SAMPLE_ID} already listed on line 1)" in out
    assert "1 not in the loaded library, kept with id and links only" in out and "2601.00001" in out
    with StateStore.open() as store:
        assert store.bookmark(SAMPLE_ID).snapshot.title == SAMPLE_TITLE
        assert store.bookmark("2601.00001").snapshot.is_minimal
    # Again: nothing new.
    code, out, _ = run(capsys, "import", str(source), "--json")
    report = json.loads(out)
    assert report["added"] == [] and sorted(report["already_bookmarked"]) == ["2601.00001", SAMPLE_ID]


def test_import_json_export_round_trip(capsys, populated, tmp_path: Path, isolated_dirs) -> None:
    exported = tmp_path / "export.json"
    assert run(capsys, "export", "-f", "json", "-o", str(exported))[0] == 0
    shutil.rmtree(isolated_dirs["data"])  # a new machine
    code, out, _ = run(capsys, "import", str(exported), "--json")
    report = json.loads(out)
    assert code == 0 and report["format"] == "json" and sorted(report["added"]) == ["2601.00007", "2601.00042"]
    assert report["skipped"] == [] and report["minimal"] == ["2601.00007"]
    with StateStore.open() as store:
        one = store.bookmark("2601.00042")
        assert one.note == "look [here]" and one.tags == ["security"] and one.added_at == "2026-01-01T00:00:00Z"
        assert one.snapshot.title == hostile_snapshot().title


def test_import_bibtex_file(capsys, tmp_path: Path) -> None:
    source = tmp_path / "refs.bib"
    source.write_text(
        "@misc{a, title={Some Paper}, author={A B}, eprint={2601.00009}, archivePrefix={arXiv}}\n"
        "@book{b, title={A Book}, year={1999}}\n"
    )
    code, out, _ = run(capsys, "import", str(source))
    assert code == 0 and "1 added" in out and "@book{b" in out and "no arXiv eprint" in out
    with StateStore.open() as store:
        assert store.bookmark("2601.00009").snapshot.title == "Some Paper"


def test_import_dry_run_changes_nothing(capsys, tmp_path: Path) -> None:
    source = tmp_path / "ids.txt"
    source.write_text("2601.00001\n")
    code, out, _ = run(capsys, "import", str(source), "--dry-run")
    assert code == 0 and "1 would add" in out
    with StateStore.open() as store:
        assert store.bookmark_count() == 0


def test_import_from_stdin(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"2601.00001\n")))
    code, out, _ = run(capsys, "import", "-")
    assert code == 0 and "1 added" in out


def test_import_errors(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "missing.txt"))
    assert code == 2 and "cannot read" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"bookmarks": [')
    code, _, err = run(capsys, "import", str(broken))
    assert code == 1 and "not valid JSON" in err


def test_read_only_data_dir(capsys, isolated_dirs, tmp_path: Path) -> None:
    isolated_dirs["data"].mkdir(parents=True, exist_ok=True)
    (isolated_dirs["data"] / "tui-reader").write_text("a file, not a dir")
    code, out, err = run(capsys, "list")
    assert code == 0 and out == "no bookmarks\n" and "running read-only" in err
    source = tmp_path / "ids.txt"
    source.write_text("2601.00001\n")
    code, _, err = run(capsys, "import", str(source))
    assert code == 1 and "read-only" in err


def test_help_lists_the_actions(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["bookmarks", "--help"])
    assert "list" in capsys.readouterr().out


# --- a real process ------------------------------------------------------------------------


def test_real_subprocess_list_json(populated) -> None:
    script = Path(sys.executable).with_name("tui-reader")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tui_reader"]
    result = subprocess.run([*command, "bookmarks", "list", "--json"], capture_output=True, text=True,
                            env=dict(os.environ), timeout=120)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {b["id"] for b in document["bookmarks"]} == {"2601.00007", "2601.00042"}
