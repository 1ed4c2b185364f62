"""scikit-learn (and numpy, scipy) stay off the reader's start path: only
the process that trains or ranks imports them (issue 26)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "numpy", "scipy")


def imported_after(code: str) -> list[str]:
    probe = (
        f"{code}\n"
        "import sys\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout.strip().splitlines()[-1])


def test_the_start_path_imports_no_scikit_learn_numpy_or_scipy():
    assert imported_after("import tui_reader.cli, tui_reader.ui.factory, tui_reader.ui.app") == []


def test_the_ranking_package_and_its_commands_import_nothing_heavy():
    code = ("import tui_reader.core.ranking, tui_reader.core.ranking.model, tui_reader.core.ranking.storage, "
            "tui_reader.core.ranking.train, tui_reader.core.ranking.cold, tui_reader.commands.rank, "
            "tui_reader.commands.decisions")
    assert imported_after(code) == []


def test_scoring_a_saved_model_needs_no_scikit_learn(tmp_path):
    code = (
        "from tests.ranking_data import make_papers\n"
        "from tui_reader.core.ranking.labels import Labels\n"
        "from tui_reader.core.ranking.train import train\n"
        "from tui_reader.core.ranking import storage\n"
        "import subprocess, sys\n"
        "papers = make_papers(40)\n"
        "labels = Labels({p.id: (int(i % 5 == 0), 1.0) for i, p in enumerate(papers)})\n"
        f"storage.save(train(labels, {{p.id: p for p in papers}}), storage.model_path({str(tmp_path)!r}))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=REPO)
    score = (
        "from pathlib import Path\n"
        "from tests.ranking_data import make_papers\n"
        "from tui_reader.core.ranking import storage\n"
        f"model, reason = storage.load(storage.model_path(Path({str(tmp_path)!r})))\n"
        "assert model is not None, reason\n"
        "model.rank(make_papers(10, seed=3))\n"
    )
    assert "sklearn" not in imported_after(score)
