"""Loading a library: merging entries into papers across files, formats,
languages and days; bad files never hiding good ones; the parse cache."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import shutil
from pathlib import Path

import pytest

from tests.support import FIXTURES
from tui_reader.core import loader
from tui_reader.core.library import parse_cache
from tui_reader.core.loader import load_library
from tui_reader.core.text import clean


def load(*paths, **kwargs):
    kwargs.setdefault("parallel", False)
    return load_library([str(p) for p in paths], **kwargs)


def snapshot(library) -> dict:
    """Everything a paper holds, in a comparable form."""
    return {
        pid: (p.title, p.authors, p.categories, p.abstract, p.version, p.dates, p.undated,
              {k: v.as_tuple() for k, v in p.summaries.items()})
        for pid, p in library.papers.items()
    }


# --- merging -------------------------------------------------------------------------


def test_raw_enhanced_and_markdown_of_one_day_merge(shared_samples: Path) -> None:
    jsonl = shared_samples / "jsonl"
    enhanced = jsonl / "2026-03-04_AI_enhanced_English.jsonl"
    library = load(jsonl / "2026-03-04.jsonl", enhanced, shared_samples / "markdown" / "2026-03-04.md")
    assert library.problems == []
    assert len(library.files) == 3
    assert library.entries == 100 + 65 + 65
    assert len(library.papers) == 65
    for line in enhanced.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        paper = library.papers[record["id"]]
        assert paper.categories == record["categories"], paper.id  # the JSONL's full list, main first
        assert list(paper.summaries) == ["English"]
        assert paper.summaries["English"].tldr == clean(record["AI"]["tldr"].strip())
        assert paper.dates == ["2026-03-04"] and not paper.undated
        assert len(paper.sources) == 3
        assert paper.abstract and paper.title == " ".join(record["title"].split())
    assert library.dates() == ["2026-03-04"]


def test_category_list_does_not_depend_on_file_order(shared_samples: Path, tmp_path: Path) -> None:
    # the Markdown file sorts first here and only knows main + section
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(shared_samples / "markdown" / "2026-03-04.md", tmp_path / "a")
    shutil.copy(shared_samples / "jsonl" / "2026-03-04_AI_enhanced_English.jsonl", tmp_path / "b")
    library = load(tmp_path)
    for line in (tmp_path / "b" / "2026-03-04_AI_enhanced_English.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        paper = library.papers[record["id"]]
        assert paper.main_category == record["categories"][0]
        assert sorted(paper.categories) == sorted(record["categories"])


def test_chinese_and_english_files_of_one_date_give_two_languages() -> None:
    library = load(FIXTURES / "bilingual")
    assert library.problems == []
    assert sorted(library.papers) == ["2601.00401", "2601.00402"]
    for paper in library.papers.values():
        assert sorted(paper.summaries) == ["Chinese", "English"]
        assert paper.summaries["Chinese"].tldr == "我们研究了一个问题并给出了解决方案。"
        assert paper.summaries["English"].tldr == f"A short summary of {paper.title}."
        assert paper.summary("English")[0] == "English" and paper.summary("Chinese")[0] == "Chinese"
        assert paper.dates == ["2026-01-20"]


def test_same_paper_on_several_days() -> None:
    library = load(FIXTURES / "multiday")
    assert library.problems == []
    recurring = library.papers["2601.00301"]
    assert recurring.dates == ["2026-01-21", "2026-01-22", "2026-01-23"]
    assert recurring.version == "v2"
    assert recurring.categories[0] == "cs.LG" and "stat.ML" in recurring.categories
    assert len(recurring.sources) == 3
    assert library.papers["2601.00302"].dates == ["2026-01-21"]
    assert library.dates() == ["2026-01-23", "2026-01-22", "2026-01-21"]
    # newest day first: the recurring paper was listed on the newest day
    assert [p.id for p in library.sorted_papers()] == ["2601.00301", "2601.00302"]


def test_seeds_together(seed_samples: Path) -> None:
    library = load(seed_samples)
    assert library.problems == []
    assert [f.kind for f in library.files] == ["markdown", "markdown"]
    assert library.entries == 157 and len(library.papers) == 157
    assert all(p.undated and p.dates == [] for p in library.papers.values())
    assert library.dates() == []


def test_undated_file_is_never_given_todays_date() -> None:
    library = load(FIXTURES / "markdown" / "digest_without_date.txt", FIXTURES / "multiday")
    paper = library.papers["2601.00501"]
    assert paper.undated and paper.dates == [] and paper.latest_date == ""
    assert dt.date.today().isoformat() not in library.dates()
    # undated papers sort after every dated one
    assert library.sorted_papers()[-1].id == "2601.00501"


def test_invalid_date_in_name_is_undated(tmp_path: Path) -> None:
    target = tmp_path / "2026-13-45.md"
    shutil.copy(FIXTURES / "markdown" / "digest_without_date.txt", target)
    library = load(target)
    assert library.files[0].date == "" and library.papers["2601.00501"].undated


def test_format_by_content() -> None:
    library = load(FIXTURES / "jsonl" / "jsonl_named_2026-01-17.md", FIXTURES / "markdown" / "digest",
                   FIXTURES / "markdown" / "digest_without_date.txt")
    kinds = {Path(f.path).name: f.kind for f in library.files}
    assert kinds == {"jsonl_named_2026-01-17.md": "jsonl", "digest": "markdown", "digest_without_date.txt": "markdown"}
    assert sorted(library.papers) == ["2601.00201", "2601.00501", "2601.00502"]


# --- bad input ---------------------------------------------------------------------------


def test_bad_folder_loads_every_good_paper_and_reports_each_problem() -> None:
    bad = FIXTURES / "bad"
    library = load(bad)
    assert sorted(library.papers) == [
        "2601.00601", "2601.00602",  # good file
        "2601.00701", "2601.00702",  # latin-1 byte
        "2601.00801", "2601.00802", "2601.00803",  # truncated (the cut one too, reported)
        "2601.00903", "2601.00904",  # missing id / title / fields
        "2601.01001", "2601.01003", "2601.01005",  # invalid JSON lines
    ]
    assert len(library.files) == 9
    found = {(Path(p.file).name, p.line, p.message.split(" (")[0].split(";")[0]) for p in library.problems}
    assert found == {
        ("latin1_2026-01-24.md", 36, "not valid UTF-8"),
        ("truncated_2026-01-25.md", 58, "paper [3]"),
        ("invalid_lines_2026-01-26.jsonl", 1, "invalid JSON"),
        ("invalid_lines_2026-01-26.jsonl", 3, "invalid JSON"),
        ("invalid_lines_2026-01-26.jsonl", 5, "invalid JSON"),
        ("missing_2026-01-27.md", 12, "paper [1] has no arXiv id in its link"),
        ("missing_2026-01-27.md", 35, "paper [2]"),
        ("missing_2026-01-27.md", 58, "paper [3]"),
        ("missing_2026-01-27.md", 5, "table of contents lists 4 papers in cs.LG, the file holds 2"),
        ("blank_2026-01-29.jsonl", 1, "empty file"),
        ("binary.dat", 1, "binary file, not a digest"),
        ("empty.md", 1, "empty file"),
        ("notes.txt", 1, "not a digest"),
    }
    assert all(p.file.startswith(str(bad)) for p in library.problems)


def test_undecodable_byte_reported_on_its_line_and_decoded_leniently() -> None:
    path = FIXTURES / "bad" / "latin1_2026-01-24.md"
    data = path.read_bytes()
    line = data[: data.index(b"Ren\xe9")].count(b"\n") + 1
    library = load(path)
    (problem,) = library.problems
    assert problem.line == line
    assert "0xe9" in problem.message and "UTF-8" in problem.message
    assert library.papers["2601.00702"].authors == ["Ren\ufffd Descartes"]
    assert library.papers["2601.00701"].authors == ["Ada Lovelace"]


def test_utf8_bom_is_not_a_problem(tmp_path: Path) -> None:
    target = tmp_path / "2026-01-28.md"
    target.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "bad" / "good_2026-01-28.md").read_bytes())
    library = load(target)
    assert library.problems == [] and len(library.papers) == 2


def test_bad_byte_after_bom_names_the_right_line(tmp_path: Path) -> None:
    target = tmp_path / "bom.md"
    text = (FIXTURES / "bad" / "good_2026-01-28.md").read_bytes()
    target.write_bytes(b"\xef\xbb\xbf" + text.replace(b"Alan Turing", b"Alan Tur\xffng"))
    library = load(target)
    (problem,) = library.problems
    assert problem.line == text[: text.index(b"Alan Turing")].count(b"\n") + 1
    assert "0xff" in problem.message


def test_nonexistent_path_is_a_problem_and_the_rest_loads(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    library = load(missing, FIXTURES / "bilingual")
    assert len(library.papers) == 2
    assert [(p.file, p.line, p.message) for p in library.problems] == [(str(missing), 0, "no such file or folder")]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads chmod 000 files")
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "multiday", tmp_path / "lib")
    locked = tmp_path / "lib" / "2026-01-22_AI_enhanced_English.jsonl"
    locked.chmod(0)
    try:
        library = load(tmp_path / "lib")
    finally:
        locked.chmod(0o644)
    assert [(p.file, p.line) for p in library.problems] == [(str(locked), 0)]
    assert "cannot read" in library.problems[0].message
    assert sorted(library.papers) == ["2601.00301", "2601.00302"]


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURES / "multiday", tmp_path / "lib")
    locked = tmp_path / "lib" / "2026-01-21.md"
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    library = load(tmp_path / "lib")
    assert [(p.file, p.line, p.message) for p in library.problems] == [
        (str(locked), 0, "cannot read: Permission denied")
    ]
    # the other two files still give the recurring paper; 2601.00302 was only in the locked one
    assert sorted(library.papers) == ["2601.00301"]
    assert library.papers["2601.00301"].dates == ["2026-01-22", "2026-01-23"]


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "markdown" / "digest", tmp_path / "digest")
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "bad" / "binary.dat", tmp_path / ".git" / "index")
    shutil.copy(FIXTURES / "bad" / "empty.md", tmp_path / ".hidden.md")
    library = load(tmp_path)
    assert library.problems == [] and [Path(f.path).name for f in library.files] == ["digest"]


def test_same_file_given_twice_is_read_once() -> None:
    path = FIXTURES / "bilingual" / "2026-01-20_AI_enhanced_English.jsonl"
    library = load(path, path.parent, path)
    assert len(library.files) == 2 and library.entries == 4


def test_progress_reports_every_file(seed_samples: Path) -> None:
    calls: list[tuple[int, int]] = []
    load(seed_samples, FIXTURES / "multiday", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_an_interrupt_while_the_parse_pool_stops_reaches_the_caller(seed_samples: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`tui-reader index` turns SIGTERM into KeyboardInterrupt.  One that
    lands while the parse pool shuts down must stop the load, not be printed
    as "Exception ignored" by a generator's finalizer while the command
    carries on."""
    from concurrent.futures import ProcessPoolExecutor

    monkeypatch.setattr(parse_cache, "PARALLEL_BYTES", 0)
    shutdown = ProcessPoolExecutor.shutdown

    def interrupted(self, *args, **kwargs):
        shutdown(self, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(ProcessPoolExecutor, "shutdown", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load(seed_samples, FIXTURES / "multiday", parallel=True)  # five files: the pool is used


def test_parallel_parse_gives_the_same_library(seed_samples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_cache, "PARALLEL_BYTES", 0)  # force the worker pool even for small files
    paths = (seed_samples, FIXTURES / "multiday", FIXTURES / "bad")
    serial = load(*paths, parallel=False)
    parallel = load(*paths, parallel=True)
    assert snapshot(parallel) == snapshot(serial)
    assert sorted(map(str, parallel.problems)) == sorted(map(str, serial.problems))
    assert parallel.entries == serial.entries


# --- the parse cache --------------------------------------------------------------------


@pytest.fixture
def library_copy(seed_samples: Path, tmp_path: Path) -> Path:
    target = tmp_path / "lib"
    shutil.copytree(seed_samples, target)
    shutil.copytree(FIXTURES / "multiday", target / "multiday")
    return target


def test_unchanged_folder_comes_from_the_cache(library_copy: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    first = load(library_copy, cache_dir=cache)
    assert first.cached_files == 0
    assert len(list((cache / "parsed").rglob("*.bin"))) == 5
    assert len(list((cache / "library").glob("*.bin"))) == 1  # the merged library

    def no_parsing(path: str):
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(parse_cache, "read_file", no_parsing)
    second = load(library_copy, cache_dir=cache)
    assert second.cached_files == len(second.files) == 5
    assert snapshot(second) == snapshot(first)
    assert second.problems == first.problems == []
    assert second.entries == first.entries


def test_changed_file_is_parsed_again(library_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load(library_copy, cache_dir=cache)
    touched = library_copy / "multiday" / "2026-01-23.md"
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # same bytes, new mtime
    second = load(library_copy, cache_dir=cache)
    assert second.cached_files == 4
    assert snapshot(second) == snapshot(first)

    grown = library_copy / "multiday" / "2026-01-22_AI_enhanced_English.jsonl"
    before = grown.stat()
    record = json.loads(grown.read_text(encoding="utf-8"))
    record.update(id="2601.00399", title="A Paper Added Later")
    with grown.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    os.utime(grown, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime: the size alone tells
    third = load(library_copy, cache_dir=cache)
    assert third.cached_files == 4
    assert third.papers["2601.00399"].title == "A Paper Added Later"


def test_same_size_new_mtime_content_is_reread(library_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(library_copy, cache_dir=cache)
    target = library_copy / "multiday" / "2026-01-21.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("Only Once", "Only Twice"), encoding="utf-8")  # same length
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 3_000_000_000))
    again = load(library_copy, cache_dir=cache)
    assert again.cached_files == 4
    assert again.papers["2601.00302"].title == "Only Twice"


def test_corrupt_cache_is_ignored_and_rewritten(library_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = snapshot(load(library_copy, cache_dir=cache))  # before its cache (and texts) are damaged
    blobs = sorted((cache / "parsed").rglob("*.bin"))
    assert len(blobs) == 5
    # the merged-library cache is damaged too, so every file is looked at again
    (library_blob,) = (cache / "library").glob("*.bin")
    library_blob.write_bytes(library_blob.read_bytes()[:100])
    blobs[0].write_bytes(b"\x00garbage\xff" * 10)
    blobs[1].write_bytes(b"")
    blobs[2].write_bytes(blobs[2].read_bytes()[:40])  # truncated marshal data
    # valid marshal, right header, nonsense body
    record = marshal.loads(blobs[3].read_bytes())
    blobs[3].write_bytes(marshal.dumps(record[:8] + ([("not", "an", "entry")], [(1,)])))
    blobs[4].write_bytes(marshal.dumps({"a": "dict"}))
    second = load(library_copy, cache_dir=cache)
    assert second.cached_files == 0
    assert snapshot(second) == first and second.problems == []
    third = load(library_copy, cache_dir=cache)
    assert third.cached_files == 5
    assert snapshot(third) == first
    # with the library cache gone, the rewritten per-file entries serve
    library_blob.unlink()
    fourth = load(library_copy, cache_dir=cache)
    assert fourth.cached_files == 5
    assert snapshot(fourth) == first


def test_unwritable_cache_dir_still_loads(library_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    cache = blocker / "cache"  # mkdir fails, even as root
    first = load(library_copy, cache_dir=cache)
    second = load(library_copy, cache_dir=cache)
    assert first.problems == [] and len(first.papers) == 157 + 2
    assert second.cached_files == 0
    assert snapshot(second) == snapshot(first)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_cache_dir_still_loads(library_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        library = load(library_copy, cache_dir=cache)
    finally:
        cache.chmod(0o700)
    assert library.problems == [] and len(library.papers) == 159


def test_library_key_is_stable(tmp_path: Path) -> None:
    a = load(FIXTURES / "multiday", FIXTURES / "bilingual")
    b = load(FIXTURES / "bilingual", FIXTURES / "multiday")
    c = load(FIXTURES / "bilingual")
    assert a.key == b.key != c.key


def test_a_stray_nul_byte_does_not_hide_the_digest(seed_samples: Path, tmp_path: Path) -> None:
    data = (seed_samples / "000_bb134045811f6403.txt").read_bytes()
    at = data.index(b"Foresight Learning")
    target = tmp_path / "nul.txt"
    target.write_bytes(data[:at] + b"\x00" + data[at:])
    library = load(target)
    assert len(library.papers) == 70
    assert library.papers["2601.19189"].title == "Foresight Learning for SEC Risk Prediction"
    assert [(p.line, p.message) for p in library.problems] == [
        (data[:at].count(b"\n") + 1, "NUL byte in a text file; ignored")
    ]


def test_the_newest_papers_come_back_first_from_the_cache(library_copy: Path, tmp_path: Path) -> None:
    from tui_reader.core.loader import read_library_head

    cache = tmp_path / "cache"
    assert read_library_head([library_copy], cache) is None  # nothing cached yet
    full = load(library_copy, cache_dir=cache)
    head = read_library_head([library_copy], cache)
    newest = full.sorted_papers()
    assert head is not None and len(head) == min(len(newest), 300)
    assert [p.id for p in head] == [p.id for p in newest[: len(head)]]
    assert [p.title for p in head] == [p.title for p in newest[: len(head)]]
    # any change to a file makes the head stale: the reader then waits for the full load
    touched = next(library_copy.rglob("*.md"))
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert read_library_head([library_copy], cache) is None


def full_snapshot(library) -> tuple:
    """The library as the reader sees it: papers newest first with every
    field (order included), files in merge order, problems."""
    return (
        [p.to_tuple() for p in library.sorted_papers()],
        [(f.path, f.kind, f.date, f.language, f.ids) for f in library.files],
        [str(p) for p in library.problems],
        library.entries,
    )


@pytest.mark.parametrize("parallel", [False, True])
def test_newest_day_comes_first_and_the_whole_library_is_unchanged(library_copy: Path, tmp_path: Path,
                                                                     monkeypatch, parallel: bool) -> None:
    """A library that changed (or was never read) reports its newest day's
    files first; merging them last still gives the same library."""
    monkeypatch.setattr(loader, "HEAD_BYTES", 0)
    monkeypatch.setattr(parse_cache, "PARALLEL_BYTES", 0)
    expected = full_snapshot(load(library_copy))
    heads = []
    cache = tmp_path / "cache"
    whole = load(library_copy, cache_dir=cache, head=heads.append, parallel=parallel)
    assert full_snapshot(whole) == expected
    assert len(heads) == 1
    newest = max(f.date for f in whole.files if f.date)
    head = heads[0]
    assert head.files and {f.date for f in head.files} == {newest}
    assert sorted(f.path for f in head.files) == sorted(f.path for f in whole.files if f.date == newest)
    assert set(head.papers) == {pid for f in whole.files if f.date == newest for pid in f.ids}
    assert len(head.papers) < len(whole.papers)
    # the same again from the parse cache alone (the library cache is gone)
    shutil.rmtree(cache / "library")
    heads.clear()
    again = load(library_copy, cache_dir=cache, head=heads.append, parallel=parallel)
    assert again.cached_files == len(again.files) and full_snapshot(again) == expected
    assert len(heads) == 1 and set(heads[0].papers) == set(head.papers)
    # an unchanged library comes whole from the library cache: no head
    heads.clear()
    assert full_snapshot(load(library_copy, cache_dir=cache, head=heads.append)) == expected
    assert heads == []


def test_small_library_loads_whole_without_a_head(library_copy: Path) -> None:
    heads = []
    load(library_copy, head=heads.append)  # well under HEAD_BYTES
    assert heads == []


def test_library_cache_round_trips(library_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load(library_copy, cache_dir=cache)
    second = load(library_copy, cache_dir=cache)
    assert list(second.papers) == list(first.papers)
    assert second.cached_files == len(second.files)
    assert full_snapshot(second) == full_snapshot(first)
    # a cut-off library cache is read past: the files are merged again
    path = next((cache / "library").glob("*.bin"))
    path.write_bytes(path.read_bytes()[:-100])
    third = load(library_copy, cache_dir=cache)
    assert full_snapshot(third) == full_snapshot(first)


@pytest.mark.parametrize("parallel", [False, True])
def test_a_cancelled_load_stops_with_its_worker_processes(library_copy: Path, monkeypatch, parallel: bool) -> None:
    """Quitting while a big library loads: the load stops between files
    instead of reading the rest (it held the reader's exit for 14 s at 40k)."""
    import multiprocessing

    monkeypatch.setattr(loader, "HEAD_BYTES", 0)
    monkeypatch.setattr(parse_cache, "PARALLEL_BYTES", 0)
    stop = []
    progress = []
    with pytest.raises(loader.LoadCancelled):
        load(library_copy, head=lambda partial: stop.append(True), cancelled=lambda: bool(stop),
             progress=lambda done, total: progress.append((done, total)), parallel=parallel)
    assert stop == [True]
    done, total = progress[-1]
    assert done < total  # the rest was never read
    assert multiprocessing.active_children() == []


def test_realpath_resolves_each_folder_once_and_agrees_with_os(tmp_path: Path) -> None:
    """discover() and the caches key files by real path; the loader's own
    resolution (one realpath per folder) must agree with os.path.realpath."""
    from tui_reader.core.library.files import _realpath

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f.jsonl").write_text("")
    (tmp_path / "a" / "lnkdir").symlink_to(tmp_path / "real")
    (tmp_path / "a" / "rel.jsonl").symlink_to("../real/f.jsonl")
    (tmp_path / "a" / "b" / "chain.jsonl").symlink_to(tmp_path / "a" / "rel.jsonl")
    (tmp_path / "a" / "loop1").symlink_to("loop2")
    (tmp_path / "a" / "loop2").symlink_to("loop1")
    folders: dict[str, str] = {}
    for name in ("real/f.jsonl", "a/lnkdir/f.jsonl", "a/rel.jsonl", "a/b/chain.jsonl", "a/loop1", "a/missing"):
        path = str(tmp_path / name)
        assert _realpath(path, folders) == os.path.realpath(path), name


def test_a_folders_license_and_readme_are_no_digests(tmp_path: Path) -> None:
    """The embedded samples ship the producer's license beside its digests:
    a folder's LICENSE, README, COPYING or NOTICE files are left out of its
    walk without a problem (one named on the command line is still read)."""
    shutil.copy(FIXTURES / "multiday" / "2026-01-21.md", tmp_path)
    for name in ("LICENSE-producer", "README.txt", "LICENSE", "COPYING", "notice.md"):
        (tmp_path / name).write_text("Some terms and conditions.\n", encoding="utf-8")
    library = load(tmp_path)
    assert library.problems == [] and [Path(f.path).name for f in library.files] == ["2026-01-21.md"]
    named = load(tmp_path / "README.txt")
    assert [p.message for p in named.problems] == [
        "not a digest (neither JSONL records nor a Markdown digest); skipped"]
