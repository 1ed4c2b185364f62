"""Issue 19.4: caches never lie.  A failed read is never cached as the
file's content; a damaged index file (truncated postings) is noticed by
its recorded size/checksum and rebuilt; a file where the index folder
belongs is replaced; a full disk while indexing is a message."""

from __future__ import annotations

import os
from pathlib import Path

from tui_reader.core.index import SearchIndex
from tui_reader.core.loader import load_library


def test_a_failed_read_is_not_cached(shared_samples: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    folder = shared_samples / "jsonl"
    victim = sorted(folder.iterdir())[0]
    real_open = os.open

    def denied(path, flags, *args, **kwargs):
        if str(path) == str(victim):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    real_read_bytes = Path.read_bytes

    def read_bytes(self):
        if self == victim:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    whole = load_library([folder], None, parallel=False)
    with monkeypatch.context() as patch:
        patch.setattr(os, "open", denied)
        patch.setattr(Path, "read_bytes", read_bytes)
        broken = load_library([folder], cache, parallel=False)
    assert any("Permission denied" in p.message for p in broken.problems)
    # The file is readable again (chmod fixed it: same size, same mtime).
    fixed = load_library([folder], cache, parallel=False)
    assert not any("Permission denied" in p.message for p in fixed.problems)
    assert set(fixed.papers) == set(whole.papers)


def _built(library, cache: Path) -> tuple[SearchIndex, dict]:
    with SearchIndex.open(library.key, cache) as ix:
        ix.update(library)
        queries = ("model", "learning", "language", "graph")
        return ix.directory, {q: sorted(ix.search(q, limit=None).ids) for q in queries}


def test_a_truncated_segment_file_is_noticed_and_rebuilt(shared_samples: Path, tmp_path: Path) -> None:
    library = load_library([shared_samples])
    directory, before = _built(library, tmp_path)
    postings = max(directory.glob("*.pst"), key=lambda p: p.stat().st_size)
    with open(postings, "r+b") as handle:  # unnoticed before: searches silently lost hits
        handle.truncate(postings.stat().st_size * 7 // 10)
    with SearchIndex.open(library.key, tmp_path) as ix:
        assert any("damaged" in n and postings.name in n for n in ix.notices), ix.notices
        ix.update(library)
        assert {q: sorted(ix.search(q, limit=None).ids) for q in before} == before


def test_a_bit_flip_in_place_is_noticed_by_its_checksum(shared_samples: Path, tmp_path: Path) -> None:
    library = load_library([shared_samples])
    directory, before = _built(library, tmp_path)
    victim = max(directory.iterdir(), key=lambda p: p.stat().st_size if p.is_file() else 0)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))  # same size, new mtime
    with SearchIndex.open(library.key, tmp_path) as ix:
        assert any("damaged" in n for n in ix.notices), ix.notices
        ix.update(library)
        assert {q: sorted(ix.search(q, limit=None).ids) for q in before} == before


def test_an_index_path_that_is_a_file_is_replaced(shared_samples: Path, tmp_path: Path) -> None:
    library = load_library([shared_samples / "jsonl"])
    target = tmp_path / "index" / library.key
    target.parent.mkdir(parents=True)
    target.write_text("not an index")
    with SearchIndex.open(library.key, tmp_path) as ix:
        assert not ix.temporary and ix.directory == target  # a temporary index every session before
        ix.update(library)
        assert ix.doc_count == len(library.papers)
    assert target.is_dir()


def test_a_full_disk_while_indexing_is_a_message(shared_samples: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from tui_reader.cli import main
    from tui_reader.core.index import whoosh_compat as writer_module

    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer_module.FastSegmentWriter, "add_document", full)
    code = main(["index", str(shared_samples / "jsonl")])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "the disk is full" in out + err and code == 1
