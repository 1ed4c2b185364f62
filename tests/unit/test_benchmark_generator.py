"""The synthetic library generator (benchmarks/generate.py) must write digests
the project's own loader reads without a single problem, with exactly the
papers it was asked for.  No timing here: speed is benchmarks/run.py's job."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

# benchmarks/ is not an installed package: import it from the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.generate import MANIFEST, generate_library, main  # noqa: E402
from tui_reader.core.loader import load_library  # noqa: E402

HAN = re.compile(r"[\u4e00-\u9fff]")
PAPERS = 300
DAYS = 5


@pytest.fixture(scope="module", params=["Chinese", "English"])
def libraries(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same seed written three ways: Markdown only, JSONL only, both."""
    language = request.param
    base = tmp_path_factory.mktemp(f"library-{language}")
    out = {"language": language}
    for name, formats in (("md", ("markdown",)), ("jsonl", ("jsonl",)), ("both", ("markdown", "jsonl"))):
        folder = base / name
        out[name + "_summary"] = generate_library(folder, papers=PAPERS, days=DAYS, seed=7,
                                                  formats=formats, language=language)
        out[name] = folder
    return out


def _load(folder: Path):
    return load_library([folder], cache_dir=None, parallel=False)


@pytest.mark.parametrize("name", ["md", "jsonl", "both"])
def test_loads_without_problems_and_with_the_papers_asked_for(libraries: dict, name: str) -> None:
    library = _load(libraries[name])
    assert [str(p) for p in library.problems] == []
    assert len(library.papers) == PAPERS
    assert len(library.dates()) == DAYS
    summary = libraries[name + "_summary"]
    assert summary["papers"] == PAPERS and summary["days"] == DAYS
    assert library.entries == summary["entries_per_format"] * (2 if name == "jsonl" else 1 if name == "md" else 3)


def test_file_names_follow_the_producer(libraries: dict) -> None:
    language = libraries["language"]
    names = sorted(p.name for p in libraries["both"].iterdir())
    assert MANIFEST in names
    digests = [n for n in names if n != MANIFEST]
    assert len(digests) == DAYS * 3
    for name in digests:
        assert re.fullmatch(rf"\d{{4}}-\d{{2}}-\d{{2}}(\.md|\.jsonl|_AI_enhanced_{language}\.jsonl)", name), name


def test_repeated_papers_carry_several_dates(libraries: dict) -> None:
    library = _load(libraries["md"])
    repeated = [p for p in library.papers.values() if len(p.dates) > 1]
    # About a third of the papers not first listed on the last day.
    assert len(repeated) >= PAPERS // 6
    for paper in repeated:
        assert len(paper.dates) == len(paper.sources)
        assert paper.dates == sorted(set(paper.dates))


def test_summaries_are_in_the_chosen_language(libraries: dict) -> None:
    language = libraries["language"]
    for name in ("md", "jsonl"):
        library = _load(libraries[name])
        for paper in library.papers.values():
            assert list(paper.summaries) == [language], (paper.id, list(paper.summaries))
            summary = paper.summaries[language]
            assert all(summary.as_tuple()), paper.id
            if language == "Chinese":
                assert len(HAN.findall(summary.tldr)) >= 40, summary.tldr
            else:
                assert not HAN.search(summary.tldr)
                assert 35 <= len(summary.tldr.split()) <= 110, summary.tldr
            assert 120 <= len(paper.abstract.split()) <= 300
            assert not HAN.search(paper.abstract)


def test_markdown_and_jsonl_hold_the_same_text(libraries: dict) -> None:
    """Titles (brackets, LaTeX), authors, abstracts with paragraphs and
    multi-line summary fields survive both formats identically."""
    md = _load(libraries["md"]).papers
    js = _load(libraries["jsonl"]).papers
    assert md.keys() == js.keys()
    for paper_id, a in md.items():
        b = js[paper_id]
        assert a.title == b.title
        assert a.authors == b.authors
        assert a.abstract == b.abstract
        assert a.categories[0] == b.categories[0]
        assert a.summaries == b.summaries
        assert a.dates == b.dates
    assert any("\n" in p.abstract for p in md.values()), "no multi-paragraph abstract generated"


def test_titles_with_brackets_survive_exactly(libraries: dict) -> None:
    raw: dict[str, str] = {}
    for path in sorted(libraries["jsonl"].glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            raw[record["id"]] = " ".join(record["title"].split())
    odd = {i: t for i, t in raw.items() if "[" in t or "$" in t}
    assert len(odd) >= 5, "the generator should produce titles with brackets and LaTeX"
    for name in ("md", "jsonl"):
        papers = _load(libraries[name]).papers
        for paper_id, title in odd.items():
            assert papers[paper_id].title == title


def test_categories_span_several_archives(libraries: dict) -> None:
    library = _load(libraries["jsonl"])
    main = {p.main_category for p in library.papers.values()}
    archives = {c.split(".")[0] for c in main}
    assert len(main) >= 10
    assert {"cs", "hep-th", "math"} <= archives | {"math"} and len(archives) >= 5
    assert any(len(p.categories) > 1 for p in library.papers.values())


def test_same_seed_same_bytes_and_other_seed_other_bytes(tmp_path: Path) -> None:
    a = generate_library(tmp_path / "a", papers=40, days=2, seed=3)
    b = generate_library(tmp_path / "b", papers=40, days=2, seed=3)
    c = generate_library(tmp_path / "c", papers=40, days=2, seed=4)
    assert {k: v for k, v in a.items() if k != "seconds"} == {k: v for k, v in b.items() if k != "seconds"}
    assert c["papers"] == 40
    for path in sorted((tmp_path / "a").glob("2*")):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
    assert any(p.read_bytes() != (tmp_path / "c" / p.name).read_bytes()
               for p in (tmp_path / "a").glob("2*") if (tmp_path / "c" / p.name).exists())


def test_default_day_sizes_and_extra_day(tmp_path: Path) -> None:
    summary = generate_library(tmp_path / "lib", papers=2000, seed=1, formats=("markdown",),
                               extra_day_dir=tmp_path / "next")
    assert 2 <= summary["days"] <= 8  # 300-800 listed a day, a quarter of them repeats
    library = _load(tmp_path / "lib")
    assert len(library.papers) == 2000 and not library.problems
    extra = summary["extra_day"]
    assert extra and [Path(f).name for f in extra["files"]] == [f"{extra['date']}.md"]
    both = load_library([tmp_path / "lib", tmp_path / "next"], cache_dir=None, parallel=False)
    assert not both.problems
    assert len(both.papers) == 2000 + extra["new_papers"]
    assert max(both.dates()) == extra["date"] > max(library.dates())


def test_mixed_language_library(tmp_path: Path) -> None:
    generate_library(tmp_path, papers=400, days=12, seed=2, language="mixed")
    library = _load(tmp_path)
    assert not library.problems and len(library.papers) == 400
    languages = {lang for p in library.papers.values() for lang in p.summaries}
    assert languages == {"Chinese", "English"}


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--papers", "30", "--days", "3", "--formats", "markdown"]) == 0
    assert "30 papers over 3 days" in capsys.readouterr().out
    assert sorted(p.suffix for p in tmp_path.iterdir() if not p.name.startswith(".")) == [".md"] * 3
