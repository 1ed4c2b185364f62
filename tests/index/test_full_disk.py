"""Issue 28.6: after the cache's disk filled up, ``search`` printed
"0 results" and exited 0 (8,000 papers, an index half written).  A full
disk while the index is made or updated is now said, and the library is
indexed into a temporary index for the session: every paper is found.
Both tests failed on the code before the fix."""

from __future__ import annotations

import errno

from tests.support import FIXTURE
from tui_reader.cli import main
from tui_reader.core.index import SearchIndex
from tui_reader.core.index import updating as updating_module
from tui_reader.core.loader import load_library


def full_disk_for_the_cache(monkeypatch) -> None:
    """Every commit into the cache's index fails as a full disk does; a
    temporary index (elsewhere) still takes them."""
    commit = updating_module.Updating._commit

    def failing(self, *args, **kwargs):
        if not self.temporary:
            raise OSError(errno.ENOSPC, "No space left on device")
        return commit(self, *args, **kwargs)

    monkeypatch.setattr(updating_module.Updating, "_commit", failing)


def test_a_full_disk_during_an_update_indexes_into_a_temporary_index(tmp_path, monkeypatch) -> None:
    library = load_library([str(FIXTURE)])
    full_disk_for_the_cache(monkeypatch)
    with SearchIndex.open(library.key, tmp_path) as index:
        report = index.update(library)
        assert index.temporary and not report.error
        assert index.doc_count == len(library.papers)
        assert any("the disk is full" in n and "temporary index" in n for n in index.notices), index.notices
        word = next(iter(library.papers.values())).title.split()[0]
        assert index.search(word, limit=None).ids


def test_search_on_a_full_cache_disk_finds_every_paper(tmp_path, isolated_dirs, monkeypatch, capsys) -> None:
    import json

    library = load_library([str(FIXTURE)])
    word = next(iter(library.papers.values())).title.split()[0]
    assert main(["search", "--json", "--limit", "0", word, str(FIXTURE)]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert expected
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "full-cache"))  # a new cache, on the "full" disk
    full_disk_for_the_cache(monkeypatch)
    assert main(["search", "--json", "--limit", "0", word, str(FIXTURE)]) == 0
    captured = capsys.readouterr()
    assert "the disk is full" in " ".join(captured.err.split())
    assert json.loads(captured.out) == expected  # "0 results" before


def test_a_full_disk_while_the_index_is_made_again_is_a_temporary_index(tmp_path, monkeypatch) -> None:
    def no_room(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SearchIndex, "_open_or_create", no_room)
    with SearchIndex.open("somelibrary", tmp_path) as index:  # raised OSError before
        assert index.temporary
        assert "the disk is full" in index.notices[0] and "temporary index" in index.notices[0]
