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

from benchmarks.generate import MANIFEST, generate_library, main
from tui_reader.core.loader import load_library

HAN = re.compile(r"[\u4e00-\u9fff]")
PAPERS = 300
DAYS = 5
FAILED_TLDR = "Summary generation failed"


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
    assert library.entries == summary["entries_total"] == sum(summary["entries"].values())
    if name != "md":
        # Raw files list every paper (cross-lists twice), enhanced files not the raw-only ones.
        assert summary["entries"]["raw"] > summary["listed"] > summary["entries"]["enhanced"]


def test_file_names_follow_the_producer(libraries: dict) -> None:
    language = libraries["language"]
    names = sorted(p.name for p in libraries["both"].iterdir())
    assert MANIFEST in names
    digests = [n for n in names if n != MANIFEST]
    # JSONL pairs every day, Markdown for the newest 40% of the days only.
    assert len(digests) == DAYS * 2 + round(DAYS * 0.4)
    assert sorted(n[:10] for n in digests if n.endswith(".md")) == sorted({n[:10] for n in digests})[-2:]
    for name in digests:
        assert re.fullmatch(rf"\d{{4}}-\d{{2}}-\d{{2}}(\.md|\.jsonl|_AI_enhanced_{language}\.jsonl)", name), name


def test_repeated_papers_carry_several_dates(libraries: dict) -> None:
    library = _load(libraries["md"])
    repeated = [p for p in library.papers.values() if len(p.dates) > 1]
    # Five weekdays, no weekend copies: ~8% of the papers not first listed
    # on the last day are listed again (cross-lists, replacements).
    assert len(repeated) >= PAPERS // 30
    for paper in repeated:
        assert len(paper.dates) == len(paper.sources)
        assert paper.dates == sorted(set(paper.dates))


def test_summaries_are_in_the_chosen_language(libraries: dict) -> None:
    language = libraries["language"]
    for name in ("md", "jsonl"):
        library = _load(libraries[name])
        for paper in library.papers.values():
            if paper.failed:
                # The producer's placeholders are no summary (core.placeholders).
                assert not paper.summaries, paper.id
                continue
            if not paper.summaries and name == "jsonl":
                continue  # only in raw files (see the next test)
            assert list(paper.summaries) == [language], (paper.id, list(paper.summaries))
            summary = paper.summaries[language]
            assert all(summary.as_tuple()), paper.id
            assert summary.tldr != FAILED_TLDR, paper.id
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
        if b.summaries:  # a raw-only paper has none in JSONL; Markdown alone holds every paper
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
    # 180-340 listed an announcement day, 8% of them repeats; weekends repeat the last day.
    assert 6 <= summary["announcement_days"] <= 12 and summary["announcement_days"] < summary["days"] <= 18
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


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A library in the default (data branch) shape: 4,000 papers."""
    folder = tmp_path_factory.mktemp("branch")
    return folder, generate_library(folder, papers=4000, seed=11)


def _records(folder: Path, pattern: str) -> list[dict]:
    return [json.loads(line) for path in sorted(folder.glob(pattern))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_shape_of_a_data_branch(branch: tuple[Path, dict]) -> None:
    """The proportions of FORMATS.md §3, measured on what was written."""
    folder, summary = branch
    library = _load(folder)
    papers = list(library.papers.values())
    assert len(papers) == 4000 and not library.problems
    raw = _records(folder, "????-??-??.jsonl")
    enhanced = _records(folder, "*_AI_enhanced_*.jsonl")
    # Raw-only papers: ~15% of the papers, in no enhanced file, shown without a summary.
    raw_only = {r["id"] for r in raw} - {r["id"] for r in enhanced}
    assert 0.08 <= len(raw_only) / 4000 <= 0.25
    assert len(raw_only) == summary["raw_only_papers"]
    assert all(not library.papers[pid].summaries for pid in raw_only)
    # No code field in a raw record; code on some enhanced ones, stars and date mostly with it.
    assert not any("code_url" in r for r in raw)
    code = {r["id"]: r for r in enhanced if "code_url" in r}
    assert 0.02 <= len(code) / 4000 <= 0.08
    with_stars = [r for r in code.values() if "code_stars" in r]
    assert 0.5 <= len(with_stars) / len(code) < 1
    assert all(isinstance(r["code_stars"], int) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["code_last_update"])
               for r in with_stars)
    assert all(r["code_url"] in r["summary"].replace("\n", " ") for r in code.values())
    # Comments on about half; acceptances, CVPR, github.com links without code_url among them.
    comments = {r["id"]: r["comment"] for r in raw if r["comment"]}
    assert 0.4 <= len(comments) / 4000 <= 0.6
    accepted = [c for c in comments.values() if re.search(r"[Aa]ccepted|\((Oral|Spotlight|Poster|Highlight)\)", c)]
    assert 0.06 <= len(accepted) / 4000 <= 0.2
    assert any("CVPR 2026" in c for c in accepted)
    assert any(re.fullmatch(r"\w+ 202[56] \(Oral\)", c) for c in comments.values())
    github = [pid for pid, c in comments.items() if "github.com" in c and pid not in code]
    assert 0.01 <= len(github) / 4000 <= 0.06
    assert any(re.match(r"\d+ pages, \d+ figures", c) for c in comments.values())
    # Failed summaries carry the placeholder in every AI field.
    failed = [r for r in enhanced if r["AI"]["tldr"] == FAILED_TLDR]
    assert failed or summary["failed_papers"] == 0
    for record in failed:
        assert record["AI"] == {"tldr": FAILED_TLDR, "motivation": "Motivation analysis unavailable",
                                "method": "Method extraction failed", "result": "Result analysis unavailable",
                                "conclusion": "Conclusion extraction failed"}
    # About a third of the entries repeat a paper seen on an earlier day.
    listed = sum(len(p.dates) for p in papers)
    assert 0.25 <= (listed - 4000) / listed <= 0.45
    # Raw files list cross-listed papers twice.
    for path in sorted(folder.glob("????-??-??.jsonl"))[:3]:
        ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
        assert len(ids) > len(set(ids))


def test_weekends_repeat_the_last_digest(branch: tuple[Path, dict]) -> None:
    import datetime as dt

    folder, summary = branch
    dates = sorted({p.name[:10] for p in folder.glob("????-??-??.jsonl")})
    assert len(dates) == summary["days"] and summary["copy_days"] >= 2 * (len(dates) // 7)
    saturdays = [d for d in dates if dt.date.fromisoformat(d).weekday() == 5]
    assert saturdays
    for saturday in saturdays:
        friday = (dt.date.fromisoformat(saturday) - dt.timedelta(days=1)).isoformat()
        sunday = (dt.date.fromisoformat(saturday) + dt.timedelta(days=1)).isoformat()
        ids = {}
        for day in (friday, saturday, sunday):
            if (folder / f"{day}.jsonl").exists():
                ids[day] = sorted({r["id"] for r in _records(folder, f"{day}.jsonl")})
        assert ids[saturday] == ids[friday] or friday not in ids  # a holiday Friday copies Thursday
        if sunday in ids:
            assert ids[sunday] == ids[saturday]


def test_markdown_only_for_the_newest_days(branch: tuple[Path, dict]) -> None:
    folder, summary = branch
    jsonl_days = sorted({p.name[:10] for p in folder.glob("????-??-??.jsonl")})
    md_days = sorted(p.name[:10] for p in folder.glob("*.md"))
    assert md_days == jsonl_days[-len(md_days):]
    assert md_days[0] == summary["markdown_from"]
    assert 0.3 <= len(md_days) / len(jsonl_days) <= 0.5
    # The Markdown holds the enhanced file's papers, in the same language.
    for day in md_days[-2:]:
        text = (folder / f"{day}.md").read_text(encoding="utf-8")
        enhanced = _records(folder, f"{day}_AI_enhanced_*.jsonl")
        assert text.count("\n### [") == len(enhanced)
