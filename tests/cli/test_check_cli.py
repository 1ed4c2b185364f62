"""``tui-reader check PATH... [--json]``: the JSON schema, exit codes,
errors without tracebacks, and untrusted text printed safely."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import FIXTURES
from tui_reader.cli import main

KEYS = ["files", "entries", "papers", "categories", "languages", "problems",
        "no_summary", "summary_failed", "days", "repeated_days"]


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code, out, err = check(capsys, "--json", *args)
    assert err == ""
    assert out.endswith("\n") and out.count("\n") == 1  # exactly one JSON object
    return code, json.loads(out)


def assert_schema(report: dict) -> None:
    assert list(report) == KEYS
    for key in ("files", "entries", "papers"):
        assert type(report[key]) is int
    for key in ("categories", "languages"):
        assert isinstance(report[key], dict)
        assert all(isinstance(k, str) and type(v) is int and v > 0 for k, v in report[key].items())
    assert isinstance(report["problems"], list)
    for problem in report["problems"]:
        assert list(problem) == ["file", "line", "message"]
        assert isinstance(problem["file"], str) and type(problem["line"]) is int and isinstance(problem["message"], str)


def test_json_on_the_shared_samples(capsys, shared_samples: Path) -> None:
    code, report = check_json(capsys, str(shared_samples))
    assert code == 0
    assert_schema(report)
    # 139 (2025-09-15) + 65 (2026-03-04, three files merged) + 70 + 87 (seeds)
    assert report["files"] == 6
    assert report["entries"] == 139 + 100 + 65 + 65 + 70 + 87
    assert report["papers"] == 139 + 65 + 70 + 87
    assert report["languages"] == {"Chinese": 139 + 70 + 87, "English": 65}
    assert report["problems"] == []
    assert report["categories"]["hep-th"] > 0 and report["categories"]["cs.LG"] > 0
    # counted once per paper per category, sorted by count
    counts = list(report["categories"].values())
    assert counts == sorted(counts, reverse=True)


def test_json_one_day_merged(capsys, shared_samples: Path) -> None:
    code, report = check_json(capsys, str(shared_samples / "jsonl" / "2026-03-04.jsonl"),
                              str(shared_samples / "jsonl" / "2026-03-04_AI_enhanced_English.jsonl"),
                              str(shared_samples / "markdown" / "2026-03-04.md"))
    assert code == 0
    assert (report["files"], report["entries"], report["papers"]) == (3, 230, 65)
    assert report["languages"] == {"English": 65}


def test_default_library_is_the_embedded_samples(capsys) -> None:
    code, report = check_json(capsys)
    assert code == 0
    # The two seed digests (157 papers) and the real dated slice: 2025-10-09 (30
    # papers: 4 without a summary, 2 failed), 2026-06-19 and its repeat 2026-06-20 (40);
    # the producer's license and the README beside them are no problem.
    assert (report["files"], report["papers"], report["languages"]) == (10, 227, {"Chinese": 221})
    assert report["problems"] == [] and (report["no_summary"], report["summary_failed"]) == (4, 2)
    assert [d["date"] for d in report["days"]] == ["2025-10-09", "2026-06-19", "2026-06-20"]
    assert report["repeated_days"] == [{"date": "2026-06-20", "repeats": "2026-06-19"}]


def test_problems_give_exit_1_and_file_line_message(capsys) -> None:
    code, report = check_json(capsys, str(FIXTURES / "bad"))
    assert code == 1
    assert_schema(report)
    assert report["papers"] == 12
    lines = {(Path(p["file"]).name, p["line"]) for p in report["problems"]}
    assert ("invalid_lines_2026-01-26.jsonl", 3) in lines
    assert ("truncated_2026-01-25.md", 58) in lines
    assert ("binary.dat", 1) in lines
    assert len(report["problems"]) == 13


def test_text_report(capsys, seed_samples: Path) -> None:
    code, out, err = check(capsys, "--no-cache", str(seed_samples))
    assert code == 0 and err == ""
    assert out.splitlines()[0] == "2 files, 157 entries, 157 unique papers"
    assert "cs.LG" in out and "Chinese" in out
    assert out.rstrip().endswith("no problems")
    assert "\x1b" not in out


def test_text_report_lists_problems(capsys) -> None:
    code, out, _ = check(capsys, str(FIXTURES / "bad" / "missing_2026-01-27.md"))
    assert code == 1
    assert "4 problems:" in out
    assert f"{FIXTURES / 'bad' / 'missing_2026-01-27.md'}:35: paper [2] (2601.00902) has no title; skipped" in out


def test_second_run_uses_the_cache(capsys, seed_samples: Path) -> None:
    check(capsys, str(seed_samples))
    code, out, _ = check(capsys, str(seed_samples))
    assert code == 0 and "(2 files from cache)" in out.splitlines()[0]
    code, out, _ = check(capsys, "--no-cache", str(seed_samples))
    assert "from cache" not in out


def test_nonexistent_path_is_one_line_not_a_traceback(capsys, tmp_path: Path) -> None:
    """A PATH that is not there is a usage error (exit 2), as for every command."""
    missing = tmp_path / "nope"
    for args in ((str(missing),), ("--json", str(missing), str(FIXTURES / "bilingual"))):
        code, out, err = check(capsys, *args)
        assert code == 2 and out == ""
        assert "Traceback" not in err
        assert err.splitlines() == [f"tui-reader check: {missing}: no such file or folder"]


def test_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--no-such-option"])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and "usage:" in err and "Traceback" not in err


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR",)}
    return subprocess.run([sys.executable, "-m", "tui_reader", "check", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=60)


def test_exit_codes_of_the_real_process(tmp_path: Path) -> None:
    ok = _run("--json", str(FIXTURES / "multiday"), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert_schema(json.loads(ok.stdout))
    bad = _run(str(FIXTURES / "bad" / "empty.md"), cwd=tmp_path)
    assert bad.returncode == 1 and "empty.md:1: empty file" in bad.stdout
    usage = _run("--frobnicate", cwd=tmp_path)
    assert usage.returncode == 2 and "usage:" in usage.stderr
    missing = _run(str(tmp_path / "missing"), cwd=tmp_path)
    assert missing.returncode == 2
    assert "Traceback" not in missing.stdout + missing.stderr
    assert f"{tmp_path / 'missing'}: no such file or folder" in missing.stderr


# --- untrusted text ---------------------------------------------------------------------

EVIL_SECTION = "[red]x[/red]\x1b]0;pwned\x07"


@pytest.fixture
def evil_library(tmp_path: Path) -> Path:
    folder = tmp_path / "evil"
    folder.mkdir()
    digest = (
        f"<div id='{EVIL_SECTION}'></div>\n\n"
        "### [1] [[bold red]x[/] \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\x07\u202eTitle]"
        "(https://arxiv.org/abs/2601.09999)\n"
        "*\x1b]52;c;SGVsbG8=\x07Mallory*\n\nTL;DR: [blink]hi[/blink]\n\n<details>\n"
        "Motivation: m\n\nMethod: m\n\nResult: r\n\nConclusion: c\n\nAbstract: a\n\n</details>\n"
        "<div id=toc></div>\n- [\x1b[31m[fake\x1b[0m](#x) [Total: 5]\n"
    )
    (folder / "2026-02-01.md").write_text(digest, encoding="utf-8")
    (folder / "[bold red]name[reverse]\x1b[2J.md").write_text("", encoding="utf-8")
    return folder


def test_text_output_shows_brackets_literally_and_no_escape(capsys, evil_library: Path) -> None:
    code, out, err = check(capsys, str(evil_library))
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out and "\u202e" not in out
    assert "[red]x[/red]" in out  # a category named by the anchor, shown as written
    assert "[bold red]name[reverse].md:1: empty file" in out
    assert "table of contents lists 5 papers in [fake, the file holds 0" in out


def test_json_output_has_no_raw_control_bytes(capsys, evil_library: Path, tmp_path: Path) -> None:
    bad_name = os.fsdecode(b"caf\xe9\xc2\x9b31m.md")
    shutil.copy(FIXTURES / "bad" / "empty.md", evil_library / bad_name)
    code, out, _ = check(capsys, "--json", str(evil_library))
    assert code == 1
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF
                   or c in "\u202e\u200b" for c in out)
    out.encode("utf-8")  # valid UTF-8 even with an undecodable file name
    report = json.loads(out)
    assert_schema(report)
    assert "[red]x[/red]" in report["categories"]
    files = {p["file"] for p in report["problems"]}
    assert str(evil_library / bad_name) in files  # round-trips to the real name
    assert str(evil_library / "[bold red]name[reverse]\x1b[2J.md") in files


def test_json_reports_missing_failed_and_repeated_days(capsys, databranch: Path) -> None:
    """The real data-branch slice: 2025-10-09 has 44 papers only in the raw
    file and 2 with the producer's failure placeholders; 2026-06-20..22 are
    copies of 2026-06-19's digest (a weekend)."""
    code, report = check_json(capsys, str(databranch))
    assert code == 0
    assert_schema(report)
    assert (report["no_summary"], report["summary_failed"]) == (44, 2)
    # The placeholders are not counted as a language.
    assert report["languages"] == {"Chinese": report["papers"] - 44 - 2}
    days = {d["date"]: d for d in report["days"]}
    assert list(days) == ["2025-10-09", "2026-06-19", "2026-06-20", "2026-06-21", "2026-06-22"]
    assert days["2025-10-09"] == {"date": "2025-10-09", "papers": 227, "no_summary": 44,
                                  "summary_failed": 2, "repeats": None}
    assert days["2026-06-19"]["repeats"] is None
    assert report["repeated_days"] == [{"date": d, "repeats": "2026-06-19"}
                                       for d in ("2026-06-20", "2026-06-21", "2026-06-22")]


def test_text_report_names_repeated_days(capsys, databranch: Path) -> None:
    code, out, _ = check(capsys, str(databranch))
    assert code == 0
    assert "Papers per day" in out
    assert "44 papers without an AI summary (dropped by the producer), 2 whose summary failed" in out
    assert "3 day(s) repeat an earlier digest: 2026-06-20, 2026-06-21, 2026-06-22" in out
