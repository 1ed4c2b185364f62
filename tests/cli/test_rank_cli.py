"""``tui-reader decisions import|export`` and ``tui-reader rank`` through
``cli.main``, on a small made-up library of JSONL day files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ranking_data import make_papers, topic_of, write_library
from tui_reader.cli import main
from tui_reader.core.state import StateStore

TRAIN_DAY, TEST_DAY = "2026-01-05", "2026-01-06"


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, list, list]:
    seen = make_papers(100, seed=11, day=TRAIN_DAY)
    new = make_papers(40, seed=12, day=TEST_DAY, start=600)
    folder = write_library(tmp_path / "lib", {TRAIN_DAY: seen, TEST_DAY: new})
    return folder, seen, new


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def decisions_file(tmp_path: Path, papers, extra: str = "") -> Path:
    path = tmp_path / "decisions.tsv"
    lines = [f"{p.id}\t{'keep' if topic_of(p) == 'graphs' else 'skip'}" for p in papers]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def test_import_reports_bad_lines_by_number_and_imports_the_rest(capsys, tmp_path):
    path = tmp_path / "d.tsv"
    path.write_text("id\tkind\ttag\n2601.00001\tkeep\n2601.00002\tmaybe\nnot-an-id\tskip\n"
                    "# a comment\n\n2601.00003\tlater\tTo Read\n2601.00004\n", encoding="utf-8")
    code, out, err = run(capsys, "decisions", "import", str(path))
    assert code == 1 and out == ""
    assert f"{path}:3: 'maybe' is not a decision" in err
    assert f"{path}:4: 'not-an-id' is not an arXiv id" in err
    assert f"{path}:8: expected ID<TAB>KIND" in err
    assert "2 decisions imported (1 keep, 1 later); 3 bad lines skipped" in err
    with StateStore.open() as store:
        rows = list(store.decisions())
    assert [(r.id, r.kind, r.tag, r.source) for r in rows] == [
        ("2601.00001", "keep", "", "import"), ("2601.00003", "later", "to-read", "import")]


def test_import_reads_csv_and_export_writes_the_same_format(capsys, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('arxiv_id,kind,tag\nhttps://arxiv.org/abs/2601.00007v2,keep,ml\n"2601.00008",mute,\n',
                    encoding="utf-8")
    assert run(capsys, "decisions", "import", str(path))[0] == 0
    code, out, _err = run(capsys, "decisions", "export")
    assert code == 0 and out == "2601.00007\tkeep\tml\n2601.00008\tmute\n"
    target = tmp_path / "out.tsv"
    code, _out, err = run(capsys, "decisions", "export", "-o", str(target))
    assert code == 0 and "2 decisions written" in err
    assert target.read_text(encoding="utf-8") == out


def test_import_of_a_missing_file_is_a_usage_error(capsys, tmp_path):
    code, _out, err = run(capsys, "decisions", "import", str(tmp_path / "nope.tsv"))
    assert code == 2 and "cannot read" in err


def test_rank_trains_first_and_prints_json_best_first(capsys, tmp_path, library):
    folder, seen, new = library
    assert run(capsys, "decisions", "import", str(decisions_file(tmp_path, seen)))[0] == 0
    code, out, err = run(capsys, "rank", str(folder), "--day", TEST_DAY, "--json")
    assert code == 0, err
    assert "training the ranking model (no model yet)" in err and "model trained on 100 papers" in err
    rows = json.loads(out)
    assert [set(r) >= {"id", "title", "score", "why"} for r in rows] == [True] * len(new)
    assert all(0 <= r["score"] <= 1 and isinstance(r["why"], list) for r in rows)
    by_id = {p.id: p for p in new}
    graphs = sum(topic_of(p) == "graphs" for p in new)
    assert all(topic_of(by_id[r["id"]]) == "graphs" for r in rows[:graphs])
    assert rows[0]["why"] and rows[0]["model"] == "reader"
    code, out, err = run(capsys, "rank", str(folder), "--day", TEST_DAY, "--limit", "3")
    assert code == 0 and "training" not in err  # current: loaded, not trained
    assert len([line for line in out.splitlines() if line.strip()[:1].isdigit()]) >= 3


def test_rank_explain_prints_the_weights(capsys, tmp_path, library):
    folder, seen, new = library
    run(capsys, "decisions", "import", str(decisions_file(tmp_path, seen)))
    paper = next(p for p in new if topic_of(p) == "graphs")
    code, out, _err = run(capsys, "rank", str(folder), "--explain", paper.id, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == paper.id and 0 <= data["score"] <= 1 and data["terms"]
    assert {"term", "weight", "tfidf", "contribution"} <= set(data["terms"][0])
    code, out, _err = run(capsys, "rank", str(folder), "--explain", paper.id)
    assert code == 0 and "score" in out and "contribution" in out
    assert run(capsys, "rank", str(folder), "--explain", "2601.99999")[0] == 1


def test_rank_cold_start_says_so(capsys, tmp_path, library):
    folder, seen, _new = library
    run(capsys, "decisions", "import", str(decisions_file(tmp_path, seen[:5])))
    code, out, err = run(capsys, "rank", str(folder), "--json")
    assert code == 0
    assert "learning: 5 decisions, 15 more to go" in err and "interests and bookmarks" in err
    assert {r["model"] for r in json.loads(out)} == {"cold-start"}


@pytest.mark.parametrize("argv", [
    ["--day", "yesterday"], ["--since", "a week"], ["--limit", "0"], ["--day", "2026-01-01", "--since", "2d"],
])
def test_rank_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as raised:
        code = main(["rank", *argv])
        raise SystemExit(code)
    assert raised.value.code == 2
    assert capsys.readouterr().err


def test_rank_of_an_unknown_tag_or_empty_day_exits_1(capsys, tmp_path, library):
    folder, seen, _new = library
    run(capsys, "decisions", "import", str(decisions_file(tmp_path, seen)))
    code, _out, err = run(capsys, "rank", str(folder), "--tag", "nope")
    assert code == 1 and "no model for tag 'nope'" in err
    code, _out, err = run(capsys, "rank", str(folder), "--day", "2020-01-01")
    assert code == 1 and "no papers on 2020-01-01" in err
