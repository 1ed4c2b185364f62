"""Issues 19.2 and 19.3: no input is too big, and files that are not what
they seem get a message naming the file, never a traceback or silence.
Every hostile file is generated in tmp_path beside one good digest, which
must still load."""

from __future__ import annotations

import json
import os
import socket
import tracemalloc
from pathlib import Path

import pytest

from tui_reader.core import reader
from tui_reader.core.loader import load_library
from tui_reader.core.model import Paper
from tui_reader.ui.render import DetailState, detail_text

GOOD_ID = "2601.00001"


def record(paper_id: str = GOOD_ID, **extra) -> dict:
    data = {"id": paper_id, "title": f"Good paper {paper_id}", "authors": ["A B"], "categories": ["cs.LG"],
            "summary": "An abstract.", "AI": {"tldr": "Short.", "motivation": "m", "method": "m", "result": "r",
                                              "conclusion": "c"}}
    data.update(extra)
    return data


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "2026-01-05_AI_enhanced_English.jsonl").write_text(jsonl(record()), encoding="utf-8")
    return folder


def problems_of(library, name: str) -> list[str]:
    return [p.message for p in library.problems if Path(p.file).name == name]


def run_cli(argv, capsys) -> tuple[int, str]:
    from tui_reader.cli import main

    code = main(argv)
    out, err = capsys.readouterr()
    return code, out + err


# --- 19.2: sizes ----------------------------------------------------------------------------


def test_a_huge_sparse_file_is_skipped_with_its_size_named(lib: Path, capsys) -> None:
    huge = lib / "2026-01-06.jsonl"
    with open(huge, "wb") as handle:
        handle.truncate(64 * 1024 ** 3)  # 64 GB, sparse: MemoryError before
    library = load_library([lib])
    assert GOOD_ID in library.papers
    [message] = problems_of(library, huge.name)
    assert "64.0 GB" in message and "skipped" in message
    code, text = run_cli(["check", "--no-cache", str(lib)], capsys)
    assert "Traceback" not in text and "64.0 GB" in text and huge.name in text


def test_a_nul_padded_file_is_judged_binary_from_its_head(lib: Path) -> None:
    padded = lib / "2026-01-07.md"
    with open(padded, "wb") as handle:
        handle.truncate(150 * 1024 * 1024)  # under the size limit: read whole before
    tracemalloc.start()
    try:
        result = reader.read_file(str(padded))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "binary" in result.problems[0].message
    assert peak < 8 * 1024 * 1024, peak


def test_a_giant_line_is_skipped_without_being_held(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-08_AI_enhanced_English.jsonl"
    giant = json.dumps(record("2601.00002", title="x" * (5 * 1024 * 1024)))  # over the 4 MB line limit
    path.write_text(giant + "\n" + jsonl(record("2601.00003")), encoding="utf-8")
    tracemalloc.start()
    try:
        result = reader.read_file(str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [e.id for e in result.entries] == ["2601.00003"]
    assert any(p.line == 1 and "4.0 MB" in p.message and "skipped" in p.message for p in result.problems)
    assert peak < 12 * 1024 * 1024, peak  # never the whole line and its decoded copies


def test_fields_are_capped_at_parse_time_and_on_display(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-09_AI_enhanced_English.jsonl"
    path.write_text(jsonl(record(title="T" * 1_000_000, summary="word " * 100_000,
                                 authors=[f"N{i}" for i in range(20_000)])), encoding="utf-8")
    result = reader.read_file(str(path))
    [entry] = result.entries
    assert len(entry.title) < 20_050 and entry.title.endswith("… (980,000 more characters)")
    assert len(entry.authors) == 10_001 and entry.authors[-1] == "… (10,000 more authors)"
    assert any("cut to a readable size" in p.message for p in result.problems)
    paper = Paper(id=GOOD_ID, title="T" * 30_000, abstract="a" * 50_000, authors=[f"N{i}" for i in range(5000)])
    text = detail_text(paper, DetailState(mode="abstract")).plain
    assert "… (18,000 more characters)" in text and "… (30,000 more characters)" in text
    assert "… and 4997 more" in text  # folded to three by default
    assert len(text) < 80_000
    text = detail_text(paper, DetailState(mode="abstract", all_authors=True)).plain  # A unfolds: capped
    assert "… (3,000 more authors)" in text
    assert len(text) < 80_000


# --- 19.3: files that are not what they seem ---------------------------------------------------


def test_a_symlink_loop_given_as_path_is_a_message(tmp_path: Path, capsys) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    library = load_library([loop])  # RuntimeError (Symlink loop) before
    assert [p.message for p in library.problems] == ["symbolic link loop; skipped"]
    code, text = run_cli(["check", "--no-cache", str(loop)], capsys)
    assert "Traceback" not in text and "symbolic link loop" in text


def test_special_files_and_dangling_links_are_named(lib: Path) -> None:
    os.mkfifo(lib / "2026-01-10.jsonl")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(lib / "2026-01-11.md"))
        (lib / "2026-01-12.md").symlink_to("/dev/null")
        (lib / "2026-01-13.md").symlink_to(lib / "gone.md")
        (lib / "2026-01-14.md").symlink_to(lib / "2026-01-14.md")
        library = load_library([lib])  # FIFOs blocked, sockets and links were silent before
    finally:
        server.close()
    assert GOOD_ID in library.papers
    assert problems_of(library, "2026-01-10.jsonl") == ["a named pipe (FIFO), not a digest; skipped"]
    assert problems_of(library, "2026-01-11.md") == ["a socket, not a digest; skipped"]
    # A link out of the library is never followed (issue 28.2), a device or not.
    assert problems_of(library, "2026-01-12.md") == ["symbolic link to a place outside the library folder; skipped"]
    assert problems_of(library, "2026-01-13.md") == [f"dangling symbolic link (to {lib / 'gone.md'}); skipped"]
    assert problems_of(library, "2026-01-14.md") == ["symbolic link loop; skipped"]
    fifo = reader.read_file(str(lib / "2026-01-10.jsonl"))  # never blocks, even when asked directly
    assert "named pipe" in fifo.problems[0].message


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_read(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "2026-01-15_AI_enhanced_English.jsonl"
    path.write_bytes(jsonl(record(), record("2601.00002", title="Ünïcode title")).encode(codec))
    result = reader.read_file(str(path))  # "binary file" before
    assert [e.id for e in result.entries] == [GOOD_ID, "2601.00002"]
    assert result.entries[1].title == "Ünïcode title"


def test_cr_only_line_ends_are_lines(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-16_AI_enhanced_English.jsonl"
    path.write_bytes(jsonl(record(), record("2601.00002")).replace("\n", "\r").encode())
    result = reader.read_file(str(path))  # "no papers" before
    assert [e.id for e in result.entries] == [GOOD_ID, "2601.00002"]
    md = Path(__file__).resolve().parents[1] / "fixtures" / "multiday"
    source = sorted(p for p in md.iterdir() if p.suffix == ".md")[0]
    crlf = tmp_path / "2026-01-17.md"
    crlf.write_bytes(source.read_bytes().replace(b"\n", b"\r"))
    want = [e.id for e in reader.read_file(str(source)).entries]
    assert want and [e.id for e in reader.read_file(str(crlf)).entries] == want


def test_an_impossible_date_in_a_name_is_reported(lib: Path) -> None:
    (lib / "2026-02-30_AI_enhanced_English.jsonl").write_text(jsonl(record("2601.00002")), encoding="utf-8")
    library = load_library([lib])
    assert library.papers["2601.00002"].undated
    assert problems_of(library, "2026-02-30_AI_enhanced_English.jsonl") == [
        "the date 2026-02-30 in the file name is not a real date; its papers are undated"]


def test_a_long_junk_first_line_does_not_hide_a_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-18_AI_enhanced_English.jsonl"
    path.write_text("junk " * 10_000 + "\n" + jsonl(*(record(f"2601.{i:05d}") for i in range(1, 6))), encoding="utf-8")
    result = reader.read_file(str(path))  # "not a digest" before
    assert result.kind == "jsonl" and len(result.entries) == 5
    assert result.problems[0].line == 1 and "invalid JSON" in result.problems[0].message


def test_non_string_titles_are_problems_not_python_reprs(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-19_AI_enhanced_English.jsonl"
    path.write_text(jsonl(record("2601.00002", title={"en": "x"}), record("2601.00003", title=["a", {"b": 1}]),
                          record("2601.00004", title=["Split", "title"]), record("2601.00005", title=True)),
                    encoding="utf-8")
    result = reader.read_file(str(path))
    assert [(e.id, e.title) for e in result.entries] == [("2601.00004", "Split title")]
    messages = [p.message for p in result.problems]
    assert "2601.00002: the title is a JSON dict, not text; skipped" in messages
    assert "2601.00003: the title is a JSON list, not text; skipped" in messages
    assert not any("{'b': 1}" in m for m in messages)
