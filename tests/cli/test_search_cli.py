"""The index and search subcommands."""

from __future__ import annotations

import json

from tui_reader.cli import main

FACETS = {"venue", "year", "accepted", "code_url", "code_from", "stars", "code_updated", "project_url",
          "pages", "figures", "summary", "languages"}


def test_index_then_search_json(shared_samples, capsys):
    assert main(["index", str(shared_samples)]) == 0
    out = capsys.readouterr().out
    assert "papers indexed" in out
    assert main(["search", "鲁棒性", str(shared_samples), "--json", "--limit", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert 0 < len(rows) <= 3
    assert set(rows[0]) == {"id", "title", "authors", "categories", "dates", "score", *FACETS}
    assert rows == sorted(rows, key=lambda r: -r["score"])


def test_search_table_and_errors(embedded_samples, capsys):
    assert main(["search", "model"]) == 0  # no PATH: the embedded samples
    assert "results in" in capsys.readouterr().out
    assert main(["search", "(model", "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert "never closed" in captured.err


def test_bare_fuzzy_allows_two_edits_on_long_words(shared_samples, capsys):
    # The index holds stems: "superconformal" is kept as "superconform", so a
    # doubled last letter costs two edits against it.
    def ids(query: str) -> list[str]:
        assert main(["search", query, str(shared_samples), "--json"]) == 0
        return [r["id"] for r in json.loads(capsys.readouterr().out)]

    assert ids("superconformal") != []
    assert ids("superconformall~") == ids("superconformal")
    assert ids("superconformall~1") == []  # an explicit ~1 still means one edit


def test_search_json_carries_the_facets(databranch, capsys):
    """Each row says what the producer's fields and the comment hold."""
    assert main(["search", "id:2510.06559 OR id:2510.07316 OR id:2510.07041", str(databranch), "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"2510.06559", "2510.07316", "2510.07041"}
    assert rows["2510.06559"]["summary"] == "failed" and rows["2510.06559"]["languages"] == []
    assert (rows["2510.07316"]["venue"], rows["2510.07316"]["year"], rows["2510.07316"]["accepted"]) == (
        "NeurIPS 2025", 2025, True)
    assert rows["2510.07316"]["project_url"] == "https://pixel-perfect-depth.github.io/"
    assert (rows["2510.07041"]["code_url"], rows["2510.07041"]["code_from"], rows["2510.07041"]["pages"]) == (
        "https://github.com/FengheTan9/U-Bench", "comment", 54)
    assert rows["2510.07316"]["summary"] == "ok" and rows["2510.07316"]["languages"] == ["Chinese"]


def test_the_command_line_ranks_as_the_index_does_after_enter(shared_samples, capsys, tmp_path):
    """`tui-reader search` and the search box after Enter make the same call
    (as_you_type=False): the same ids in the same order for judged queries."""
    from tui_reader.commands.common import library_paths
    from tui_reader.commands.index import open_index

    queries = ["gaussian splatting", "text-to-image", 'author:"Y. Jo"', "difusion~", "世界模型", "Yohan Jo"]
    cli = {}
    for query in queries:
        assert main(["search", query, str(shared_samples), "--json", "--limit", "10"]) == 0
        cli[query] = [r["id"] for r in json.loads(capsys.readouterr().out)]
    library, index, _ = open_index(library_paths([str(shared_samples)]), quiet=True)
    try:
        for query in queries:
            assert index.search(query, limit=10).ids == cli[query], query
    finally:
        index.close()


def test_no_results_show_the_correction_or_as_typed_say_did_you_mean(shared_samples, capsys):
    assert main(["search", "3D gaussian splating", str(shared_samples)]) == 0
    out = capsys.readouterr().out
    assert "showing results for 3D gaussian splatting: 3D gaussian splating found nothing" in out
    assert "0 results" not in out
    assert main(["search", "3D gaussian splating", str(shared_samples), "--as-typed"]) == 0
    out = capsys.readouterr().out
    assert "0 results" in out and "did you mean: 3D gaussian splatting" in out


def test_search_json_carries_the_corrected_query(shared_samples, capsys):
    assert main(["search", "3D gaussian splating", str(shared_samples), "--json"]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert rows and all(r["corrected"] == "3D gaussian splatting" for r in rows)
    assert "showing results for 3D gaussian splatting" in captured.err
    assert main(["search", "3D gaussian splatting", str(shared_samples), "--json"]) == 0
    same = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in same] == [r["id"] for r in rows] and all("corrected" not in r for r in same)


def test_the_surface_words_are_read_only_by_a_query_that_needs_them(shared_samples, capsys, isolated_dirs):
    assert main(["index", str(shared_samples)]) == 0
    assert main(["search", "3D gaussian splating", str(shared_samples), "--json"]) == 0  # the words made, kept
    capsys.readouterr()
    (words,) = (isolated_dirs["cache"] / "tui-reader" / "library").glob("*.words")
    made = words.read_bytes()
    words.write_bytes(b"\x00damaged")
    assert main(["search", "diffusion", str(shared_samples), "--json"]) == 0  # a plain query never reads them
    assert json.loads(capsys.readouterr().out) and words.read_bytes() == b"\x00damaged"
    assert main(["search", "3D gaussian splating", str(shared_samples), "--json"]) == 0  # made again, then kept
    assert all(r["corrected"] == "3D gaussian splatting" for r in json.loads(capsys.readouterr().out))
    assert words.read_bytes() == made
