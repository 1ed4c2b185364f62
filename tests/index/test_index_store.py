"""The index on disk: incremental updates, damage, locks, unwritable dirs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.core.index import SearchIndex, updating
from tui_reader.core.loader import load_library


def copy_samples(shared_samples: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("2025-09-15_AI_enhanced_Chinese.jsonl", "2026-03-04_AI_enhanced_English.jsonl"):
        shutil.copy(shared_samples / "jsonl" / name, dest / name)
    return dest


def test_incremental_add_change_remove(shared_samples, tmp_path):
    lib_dir = copy_samples(shared_samples, tmp_path / "lib")
    cache = tmp_path / "cache"
    chinese = lib_dir / "2025-09-15_AI_enhanced_Chinese.jsonl"
    english = lib_dir / "2026-03-04_AI_enhanced_English.jsonl"
    english_only = tmp_path / "english.jsonl"
    english.rename(english_only)

    library = load_library([lib_dir])
    n_chinese = len(library.papers)
    with SearchIndex.open(library.key, cache) as ix:
        report = ix.update(library)
        assert report.added == n_chinese and ix.doc_count == n_chinese
        assert ix.update(library).added == 0  # nothing changed

    # a new day: only its papers are indexed
    shutil.copy(english_only, english)
    library = load_library([lib_dir])
    n_english = len(library.papers) - n_chinese
    with SearchIndex.open(library.key, cache) as ix:
        assert ix.notices == []
        report = ix.update(library)
        assert report.added == n_english and report.files_changed == 1
        assert ix.doc_count == len(library.papers)
        english_paper = next(p for p in library.papers.values() if "English" in p.summaries)
        assert ix.search(f"id:{english_paper.id}").ids == [english_paper.id]

    # a changed file: a paper's title edited
    lines = chinese.read_text("utf-8").splitlines()
    record = json.loads(lines[0])
    record["title"] = "Zyxwvut quokka retitled"
    lines[0] = json.dumps(record, ensure_ascii=False)
    chinese.write_text("\n".join(lines) + "\n", "utf-8")
    library = load_library([lib_dir])
    with SearchIndex.open(library.key, cache) as ix:
        report = ix.update(library)
        assert report.added == n_chinese and report.files_changed == 1
        assert ix.search("quokka").ids == [record["id"]]
        assert ix.doc_count == len(library.papers)

    # a removed file: its papers are dropped
    english.unlink()
    library = load_library([lib_dir])
    with SearchIndex.open(library.key, cache) as ix:
        report = ix.update(library)
        assert report.removed == n_english and report.added == 0
        assert ix.doc_count == n_chinese
        assert ix.search(f"id:{english_paper.id}").ids == []


def test_date_and_category_searches_follow_updates(shared_samples, tmp_path):
    """Keyword lists (date:, cat:) are kept per segment between searches; a
    paper removed by a later update must leave their results at once."""
    lib_dir = copy_samples(shared_samples, tmp_path / "lib")
    english = lib_dir / "2026-03-04_AI_enhanced_English.jsonl"
    library = load_library([lib_dir])
    english_ids = {p.id for p in library.papers.values() if p.latest_date == "2026-03-04"}
    chinese_ids = set(library.papers) - english_ids
    category = next(iter(library.papers[next(iter(english_ids))].categories))
    in_category = {p.id for p in library.papers.values() if category in p.categories}
    queries = ["date:2026-03-04", "date:2025-01..2026-12", f"cat:{category}"]
    with SearchIndex.open(library.key, tmp_path / "cache") as ix:
        ix.update(library)
        before = {query: set(ix.search(query, limit=None).ids) for query in queries}
        assert before["date:2026-03-04"] == english_ids
        assert before["date:2025-01..2026-12"] == set(library.papers)
        assert before[f"cat:{category}"] == in_category
        saved = english.read_bytes()
        english.unlink()
        ix.update(load_library([lib_dir]))
        assert ix.search("date:2026-03-04", limit=None).ids == []
        assert set(ix.search("date:2025-01..2026-12", limit=None).ids) == chinese_ids
        assert set(ix.search(f"cat:{category}", limit=None).ids) == in_category - english_ids
        english.write_bytes(saved)
        ix.update(load_library([lib_dir]))
        assert {query: set(ix.search(query, limit=None).ids) for query in queries} == before


def test_touched_file_is_not_reindexed(shared_samples, tmp_path):
    lib_dir = copy_samples(shared_samples, tmp_path / "lib")
    library = load_library([lib_dir])
    with SearchIndex.open(library.key, tmp_path / "cache") as ix:
        ix.update(library)
    for path in lib_dir.iterdir():
        os.utime(path, (1, 1))
    library = load_library([lib_dir])
    with SearchIndex.open(library.key, tmp_path / "cache") as ix:
        assert ix.update(library).added == 0


def test_the_same_folder_by_another_path_is_not_indexed_again(shared_samples, tmp_path, monkeypatch):
    """`tui-reader lib` from one folder and `tui-reader /abs/lib` from another
    are one library: the second start must not read and index it all again."""
    lib_dir = copy_samples(shared_samples, tmp_path / "lib")
    cache = tmp_path / "cache"
    library = load_library([lib_dir], cache)
    with SearchIndex.open(library.key, cache) as ix:
        assert ix.update(library).added == len(library.papers)
    monkeypatch.chdir(tmp_path)
    again = load_library(["lib"], cache)
    assert again.key == library.key and again.cached_files == len(library.files)
    assert [f.path for f in again.files] == [f.path for f in library.files]
    with SearchIndex.open(again.key, cache) as ix:
        report = ix.update(again)
        assert (report.added, report.removed, report.files_changed, report.files_removed) == (0, 0, 0, 0)
        assert ix.doc_count == len(library.papers)


def test_paper_on_several_days_is_one_document(shared_samples, tmp_path):
    library = load_library([shared_samples])
    repeated = [p for p in library.papers.values() if len(p.sources) > 1]
    assert repeated
    with SearchIndex.open(library.key, tmp_path) as ix:
        ix.update(library)
        assert ix.doc_count == len(library.papers)
        assert ix.search(f"id:{repeated[0].id}").ids == [repeated[0].id]


def _built(embedded_samples, cache):
    library = load_library([embedded_samples])
    with SearchIndex.open(library.key, cache) as ix:
        ix.update(library)
    return library, cache / "index" / library.key


@pytest.mark.parametrize("damage", ["truncate_toc", "delete_segment_file", "garble_terms", "garble_manifest"])
def test_damaged_index_is_rebuilt(embedded_samples, tmp_path, damage):
    library, directory = _built(embedded_samples, tmp_path)
    if damage == "truncate_toc":
        toc = next(directory.glob("*.toc"))
        toc.write_bytes(toc.read_bytes()[:20])
    elif damage == "delete_segment_file":
        next(directory.glob("*.trm")).unlink()
    elif damage == "garble_terms":
        for path in directory.glob("*.trm"):
            path.write_bytes(b"\x00garbage" * 10)
    else:
        (directory / "manifest.json").write_text("{not json")
    with SearchIndex.open(library.key, tmp_path) as ix:
        assert any("rebuild" in n for n in ix.notices), ix.notices
        report = ix.update(library)
        assert report.added == len(library.papers)
        some = next(iter(library.papers))
        assert ix.search(f"id:{some}").ids == [some]


def test_half_written_index_is_rebuilt(embedded_samples, tmp_path):
    library, directory = _built(embedded_samples, tmp_path)
    for toc in directory.glob("*.toc"):  # killed before the first TOC was written
        toc.unlink()
    with SearchIndex.open(library.key, tmp_path) as ix:
        assert any("half-written" in n for n in ix.notices), ix.notices
        assert ix.update(library).added == len(library.papers)


def test_schema_upgrade_rebuilds(embedded_samples, tmp_path):
    library, directory = _built(embedded_samples, tmp_path)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["schema"] = -1
    (directory / "manifest.json").write_text(json.dumps(manifest))
    with SearchIndex.open(library.key, tmp_path) as ix:
        assert any("format changed" in n for n in ix.notices)
        assert ix.update(library).added == len(library.papers)


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from tui_reader.core.index import SearchIndex
ix = SearchIndex.open(sys.argv[1], Path(sys.argv[2]))
print("read_only" if ix.read_only else "locked", flush=True)
sys.stdin.readline()
ix.close()
"""


def test_locked_index_opens_read_only(embedded_samples, tmp_path):
    library, _ = _built(embedded_samples, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, library.key, str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with SearchIndex.open(library.key, tmp_path) as ix:
            assert ix.read_only
            assert any("read-only" in n for n in ix.notices)
            assert ix.update(library).skipped == "read-only"
            some = next(iter(library.papers))
            assert ix.search(f"id:{some}").ids == [some]
    finally:
        holder.communicate("\n", timeout=30)
    with SearchIndex.open(library.key, tmp_path) as ix:
        assert not ix.read_only


def test_locked_and_not_built_uses_a_temporary_index(embedded_samples, tmp_path):
    library = load_library([embedded_samples])
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, "other", str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        directory = tmp_path / "index" / "other"
        shutil.rmtree(directory / "manifest.json", ignore_errors=True)
        for path in directory.iterdir():
            if path.name != "owner.lock":
                path.unlink()
        with SearchIndex.open("other", tmp_path) as ix:
            assert ix.temporary and any("temporary" in n for n in ix.notices)
            assert ix.update(library).added == len(library.papers)
    finally:
        holder.communicate("\n", timeout=30)


def test_unwritable_cache_dir_falls_back_to_a_temporary_index(embedded_samples, tmp_path):
    library = load_library([embedded_samples])
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache dir should be")
    with SearchIndex.open(library.key, blocker) as ix:
        assert ix.temporary and any("temporary" in n for n in ix.notices)
        assert ix.update(library).added == len(library.papers)
        directory = ix.directory
        assert ix.search("the").error is None
    assert not directory.exists()


def _workers_for_samples(monkeypatch, threshold: int = 100) -> None:
    """Index the samples as a big library is: the newest day (65 papers)
    here, the rest (296) in two worker processes (a threshold of 50: the
    newest day in worker processes too)."""
    monkeypatch.setattr(updating, "PROCESS_THRESHOLD", threshold)
    monkeypatch.setattr(updating, "NEWEST_FIRST", 50)
    monkeypatch.setattr(updating, "WORKERS", 2)


# Worker processes cost seconds each (they start Python and Whoosh): the
# everyday run builds once in many batches and segments, the slow run also
# in one batch and in batches of seven.
@pytest.mark.parametrize(("batch", "segment_docs"), [
    pytest.param(250, None, marks=pytest.mark.slow), pytest.param(7, None, marks=pytest.mark.slow), (20, 40)])
def test_worker_processes_build_the_same_index(shared_samples, tmp_path, monkeypatch, batch, segment_docs):
    from tui_reader.core.index import build as build_module

    monkeypatch.setattr(build_module, "BATCH", batch)  # 7: many batches, shared out between the workers
    if segment_docs:  # each worker writes several segments, as on a big library
        monkeypatch.setattr(build_module, "SEGMENT_DOCS", segment_docs)
    library = load_library([shared_samples])
    with SearchIndex.open(library.key, tmp_path / "a") as ix:
        ix.update(library)
        expected = {q: ix.search(q, limit=None).ids for q in ("diffusion", "鲁棒性", "cat:cs.CV", "date:2025-09")}
    _workers_for_samples(monkeypatch, threshold=50)
    seen = []
    with SearchIndex.open(library.key, tmp_path / "b") as ix:
        report = ix.update(library, progress=lambda done, total: seen.append((done, total)))
        assert report.processes == 2
        assert report.searchable_after is not None and report.searchable_after <= report.seconds
        assert ix.doc_count == len(library.papers)
        for q, ids in expected.items():
            assert sorted(ix.search(q, limit=None).ids) == sorted(ids), q
        if segment_docs:
            segments = len(ix._ix._segments())
            assert segments >= len(library.papers) // segment_docs, segments
    assert seen[-1] == (len(library.papers), len(library.papers))




def test_the_newest_day_commits_while_the_workers_build(shared_samples, tmp_path, monkeypatch):
    """The workers start on the rest before the newest day is indexed here,
    and here that commit happens once they are done: a Whoosh commit deletes
    segment files its table of contents does not name, so theirs must wait
    in a scratch folder until the commit that names them."""
    import threading

    from tui_reader.core.index import build as build_module

    library = load_library([shared_samples])
    with SearchIndex.open(library.key, tmp_path / "a") as ix:
        ix.update(library)
        queries = ("diffusion", "鲁棒性", "cat:cs.CV", "date:2025-09")
        expected = {q: sorted(ix.search(q, limit=None).ids) for q in queries}
    _workers_for_samples(monkeypatch)
    workers_done = threading.Event()
    run_workers = build_module._run_workers

    def run_and_tell(*args, **kwargs):
        try:
            return run_workers(*args, **kwargs)
        finally:
            workers_done.set()

    commit_here = SearchIndex._commit_here

    def newest_day_once_the_workers_are_done(self, *args, **kwargs):
        assert workers_done.wait(60), "the workers never started before the newest day's commit"
        return commit_here(self, *args, **kwargs)

    monkeypatch.setattr(build_module, "_run_workers", run_and_tell)
    monkeypatch.setattr(SearchIndex, "_commit_here", newest_day_once_the_workers_are_done)
    cache = tmp_path / "b"
    with SearchIndex.open(library.key, cache) as ix:
        report = ix.update(library)
        assert report.processes == 2 and ix.doc_count == len(library.papers)
        for q, ids in expected.items():
            assert sorted(ix.search(q, limit=None).ids) == ids, q
        assert not list(ix.directory.glob(build_module.SCRATCH_PREFIX + "*"))
    with SearchIndex.open(library.key, cache) as ix:
        assert ix.notices == [] and ix.doc_count == len(library.papers)


def test_a_failed_newest_day_stops_the_workers(shared_samples, tmp_path, monkeypatch):
    import multiprocessing

    from tui_reader.core.index import build as build_module

    library = load_library([shared_samples])
    _workers_for_samples(monkeypatch)

    def disk_full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SearchIndex, "_commit_here", disk_full)
    with SearchIndex.open(library.key, tmp_path) as ix:
        report = ix.update(library)  # a message, not an exception (issue 19.4)
        assert "the disk is full" in report.error and report.error in ix.notices
        assert multiprocessing.active_children() == []
        assert not list(ix.directory.glob(build_module.SCRATCH_PREFIX + "*"))
        assert ix.doc_count == 0


def test_opening_removes_what_a_killed_build_left(shared_samples, tmp_path):
    from tui_reader.core.index import build as build_module

    library = load_library([shared_samples])
    with SearchIndex.open(library.key, tmp_path) as ix:
        ix.update(library)
        scratch = ix.directory / (build_module.SCRATCH_PREFIX + "killed")
    scratch.mkdir()
    (scratch / "MAIN_abc.pst").write_bytes(b"half a segment")
    with SearchIndex.open(library.key, tmp_path) as ix:
        assert not scratch.exists()
        assert ix.notices == [] and ix.doc_count == len(library.papers)


@pytest.mark.slow  # 16 s for both thresholds: an update cancelled mid-build
@pytest.mark.parametrize("threshold", [50, 100])  # 100: the rest builds in a thread meanwhile
def test_cancel_stops_a_running_update(shared_samples, tmp_path, monkeypatch, threshold):
    import multiprocessing
    import threading
    import time

    from tui_reader.core.index import build as build_module

    library = load_library([shared_samples])
    with SearchIndex.open(library.key, tmp_path / "a") as ix:
        ix.update(library)
        expected = {q: sorted(ix.search(q, limit=None).ids) for q in ("diffusion", "鲁棒性", "cat:cs.CV")}
    _workers_for_samples(monkeypatch, threshold)
    newest = max(p.latest_date for p in library.papers.values())
    n_newest = sum(1 for p in library.papers.values() if p.latest_date == newest)
    assert 0 < n_newest < len(library.papers)
    cache = tmp_path / "b"
    with SearchIndex.open(library.key, cache) as ix:
        reports = []
        thread = threading.Thread(target=lambda: reports.append(ix.update(library)))
        thread.start()
        deadline = time.monotonic() + 60
        while ix.doc_count < n_newest and time.monotonic() < deadline:
            time.sleep(0.005)  # until the newest day is committed: the rest is being built
        assert ix.doc_count == n_newest and thread.is_alive()
        ix.cancel()
        thread.join(60)
        assert not thread.is_alive()
        assert reports[0].cancelled, reports[0]
        assert multiprocessing.active_children() == []  # the workers were stopped
        assert not list(ix.directory.glob(build_module.SCRATCH_PREFIX + "*"))
        # What was committed stays: the newest day, searchable.
        assert ix.doc_count == n_newest
        assert ix.search("diffusion").error is None
    with SearchIndex.open(library.key, cache) as ix:
        assert ix.notices == []  # opens consistent, no rebuild
        assert ix.doc_count == n_newest
        report = ix.update(library)
        assert not report.cancelled
        assert report.added == len(library.papers) - n_newest  # only the rest
        assert ix.doc_count == len(library.papers)
        for q, ids in expected.items():
            assert sorted(ix.search(q, limit=None).ids) == ids, q


def test_cancel_before_update_stops_that_update_only(shared_samples, tmp_path):
    library = load_library([shared_samples])
    with SearchIndex.open(library.key, tmp_path) as ix:
        ix.cancel()
        report = ix.update(library)
        assert report.cancelled and report.added == 0 and ix.doc_count == 0
        report = ix.update(library)
        assert not report.cancelled and ix.doc_count == len(library.papers)


def test_updates_from_two_threads_run_one_after_the_other(shared_samples, tmp_path):
    """The reader indexes the newest day's files while the rest loads, then
    the whole library: the second update waits for the first."""
    import threading

    library = load_library([shared_samples])
    newest = max(f.date for f in library.files)
    partial = load_library([f.path for f in library.files if f.date == newest])
    assert 0 < len(partial.papers) < len(library.papers)
    with SearchIndex.open(library.key, tmp_path) as ix:
        reports = {}
        threads = [threading.Thread(target=lambda lib=lib, name=name: reports.__setitem__(name, ix.update(lib)))
                   for name, lib in (("partial", partial), ("whole", library))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(report.cancelled or report.skipped for report in reports.values()), reports
        assert ix.doc_count == len(library.papers)
        assert sorted(ix.indexed_ids()) == sorted(library.papers)
        some = next(p for p in library.papers.values() if p.latest_date != newest)
        assert ix.search(f"id:{some.id}").ids == [some.id]


def test_cancel_for_good_stops_every_later_update(shared_samples, tmp_path):
    library = load_library([shared_samples])
    with SearchIndex.open(library.key, tmp_path) as ix:
        ix.cancel(for_good=True)  # the reader is quitting
        assert ix.update(library).cancelled
        assert ix.update(library).cancelled
        assert ix.doc_count == 0


def test_daily_updates_keep_the_segments_few_and_the_results_the_same(tmp_path, monkeypatch):
    """About one segment is added a day; past MAX_SEGMENTS the smallest are
    merged (Whoosh's own policy never merged days of a few hundred papers)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.generate import generate_library

    source = tmp_path / "source"
    generate_library(source, papers=240, days=10, seed=5, per_day=(15, 30), formats=("jsonl",), language="English")
    days = sorted({path.name[:10] for path in source.glob("*.jsonl")})
    assert len(days) == 10
    monkeypatch.setattr(updating, "MAX_SEGMENTS", 4)
    folder = tmp_path / "lib"
    folder.mkdir()
    counts = []
    with SearchIndex.open("daily", tmp_path / "cache") as ix:
        for day in days:  # one update a day, as a reader opening the folder each morning would
            for path in source.glob(f"{day}*"):
                shutil.copy(path, folder / path.name)
            library = load_library([folder])
            report = ix.update(library)
            assert not report.cancelled and report.skipped == ""
            counts.append(len(ix._ix._segments()))
            assert ix.doc_count == len(library.papers)
        assert max(counts) <= 4 and counts[-1] < len(days), counts
        assert sorted(ix.indexed_ids()) == sorted(library.papers)
        queries = ["model", "cat:cs.LG", f"date:{days[0]}", f"date:{days[-1]}", '"neural network"']
        found = {query: sorted(ix.search(query, limit=None).ids) for query in queries}
    with SearchIndex.open("fresh", tmp_path / "cache") as fresh:
        fresh.update(library)
        for query in queries:
            assert sorted(fresh.search(query, limit=None).ids) == found[query], query
    assert any(found.values())


@pytest.mark.slow  # worker processes
def test_update_names_its_phases_where_progress_cannot_count(shared_samples, tmp_path, monkeypatch):
    """The status a reader shows during a cold build: the newest day, the
    counted papers, then the workers' final flush (45 s of a frozen
    'indexing 100%' at 75,000 papers before), each phase named."""
    _workers_for_samples(monkeypatch)
    library = load_library([shared_samples])
    events: list = []
    with SearchIndex.open(library.key, tmp_path) as ix:
        report = ix.update(library, progress=lambda done, total: events.append((done, total)),
                           phase=events.append)
        assert report.processes == 2 and not report.cancelled
        phases = [e for e in events if isinstance(e, str)]
        assert phases[:3] == ["newest day", "typing table", "indexing"]
        assert "writing the index files" in phases and phases[-1] == "typing table"
        # The flush is named once every paper is counted, never before.
        flush = events.index("writing the index files")
        counts = [e for e in events[:flush] if isinstance(e, tuple)]
        assert counts[-1] == (len(library.papers), len(library.papers))
        assert all(done < total for done, total in counts[:-1])
        # An update with nothing to do names only the typing table.
        events.clear()
        ix.update(library, progress=lambda done, total: events.append((done, total)), phase=events.append)
        assert [e for e in events if isinstance(e, str)] == ["typing table"]
