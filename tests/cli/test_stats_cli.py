"""``tui-reader stats`` and ``search cat:`` on a physics library (issue 29.8):
multi-word terms, days that are no days, category globs, archive prefixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_reader.cli import main

PAPERS = [
    ("2606.00001", "Black holes and the information paradox", ["hep-th", "gr-qc"]),
    ("2606.00002", "Primordial black hole dark matter", ["astro-ph.CO", "hep-ph"]),
    ("2606.00003", "Holes in black phosphorus", ["cond-mat.mes-hall"]),
    ("2606.00004", "Lattice gauge theory at finite density", ["hep-lat"]),
    ("2606.00005", "Galaxy clusters in the early universe", ["astro-ph.GA"]),
]


@pytest.fixture
def physics(tmp_path: Path) -> Path:
    folder = tmp_path / "physics"
    folder.mkdir()
    with open(folder / "2026-06-01.jsonl", "w", encoding="utf-8") as out:
        for pid, title, categories in PAPERS:
            out.write(json.dumps({"id": pid, "title": title, "authors": ["A. Author"], "categories": categories,
                                  "summary": f"We study {title.lower()}.", "abs": f"https://arxiv.org/abs/{pid}",
                                  "pdf": f"https://arxiv.org/pdf/{pid}"}) + "\n")
    return folder


def stats(capsys, *args: str) -> tuple[int, dict, str]:
    code = main(["stats", *args, "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


def test_a_term_of_several_words_is_a_phrase(capsys, physics: Path) -> None:
    code, data, _ = stats(capsys, str(physics), "--term", "black hole")
    assert code == 0
    # "Holes in black phosphorus" holds both words, not the phrase.
    assert data["term"] == {"term": "black hole", "days": {"2026-06-01": 2}}
    code, data, _ = stats(capsys, str(physics), "--term", "Holes")
    assert data["term"]["days"] == {"2026-06-01": 3}


def test_a_day_that_is_no_day_is_a_usage_error(capsys, physics: Path) -> None:
    for args in (("--from", "2026-13-01"), ("--to", "2026-02-30"), ("--from", "2026-6-1"),
                 ("--from", "2026-06-02", "--to", "2026-06-01")):
        code, _, err = stats(capsys, str(physics), *args)
        assert code == 2, args
        assert "tui-reader: stats: --" in err
    assert stats(capsys, str(physics), "--from", "2026-06-01", "--to", "2026-06-01")[0] == 0


def test_categories_take_globs_and_archives(capsys, physics: Path) -> None:
    def papers(category: str) -> int:
        code, data, _ = stats(capsys, str(physics), "--category", category)
        assert code == 0
        return data["papers"]

    assert papers("hep-*") == 3  # hep-th, hep-ph, hep-lat
    assert papers("astro-ph") == 2 and papers("astro-ph.*") == 2 and papers("astro-ph.CO") == 1
    assert papers("cond-mat") == 1 and papers("gr-qc") == 1
    assert papers("hep-th,astro-ph.GA") == 2


def test_search_cat_of_an_archive_finds_its_categories(capsys, physics: Path) -> None:
    def ids(query: str) -> set[str]:
        assert main(["search", query, str(physics), "--json"]) == 0
        return {hit["id"] for hit in json.loads(capsys.readouterr().out)}

    assert ids("cat:astro-ph") == {"2606.00002", "2606.00005"}
    assert ids("cat:astro-ph.CO") == {"2606.00002"}
    assert ids("cat:hep-*") == {"2606.00001", "2606.00002", "2606.00004"}
    assert ids("cat:hep-th") == {"2606.00001"}
