"""Issue 27.4 on small made-up libraries: a Chinese word ranks the papers
that say it as a whole above those that repeat only some of its
characters, and a typo a paper or two share is still corrected."""

from __future__ import annotations

import json

import pytest

from tests.index.conftest import built_index
from tui_reader.core.loader import load_library


def paper(n: int, title: str, tldr: str = "", method: str = "", abstract: str = "") -> dict:
    return {
        "id": f"2601.{n:05d}", "title": title, "authors": [f"Author {n}"], "categories": ["cs.LG"],
        "summary": abstract or f"An abstract about {title.lower()}.",
        "abs": f"https://arxiv.org/abs/2601.{n:05d}", "pdf": f"https://arxiv.org/pdf/2601.{n:05d}",
        "AI": {"tldr": tldr, "motivation": "", "method": method, "result": "", "conclusion": ""},
    }


def write(folder, papers: list[dict]):
    folder.mkdir()
    lines = "\n".join(json.dumps(p, ensure_ascii=False) for p in papers)
    (folder / "2026-01-05_AI_enhanced_Chinese.jsonl").write_text(lines + "\n", encoding="utf-8")
    return load_library([str(folder)])


@pytest.fixture(scope="module")
def cjk(tmp_path_factory):
    nets = "神经网络，" * 12
    library = write(tmp_path_factory.mktemp("cjk") / "lib", [
        # says 神经网络 (neural network) over and over, the whole word once
        paper(1, "Neural networks at scale", tldr=f"研究{nets}，也用图神经网络。", method=f"{nets}仿真"),
        # about graph neural networks: the whole word once too, nothing repeated
        paper(2, "Graph neural networks for molecules", tldr="提出一种图神经网络。", method="编码分子。"),
        # the characters of the word, never the word
        paper(3, "Neural networks on graphs", tldr="神经网络与图，网络结构，图的神经网络。"),
        paper(4, "Something else", tldr="扩散模型生成图像。"),
    ])
    yield from built_index(library, tmp_path_factory)


def test_a_chinese_word_ranks_the_papers_saying_it_whole_first(cjk):
    found = cjk.search("图神经网络", limit=None)
    # 神经网络 repeated (some of the word's characters) adds nothing: the
    # paper about the word ranks first (a sum of the bigrams' scores put
    # the other first)
    assert found.ids[0] == "2601.00002", found.ids
    assert "2601.00003" not in found.ids  # only its characters: not a match
    assert set(found.ids) == {"2601.00001", "2601.00002"}
    typed = cjk.search("图神经网络", limit=None, as_you_type=True)
    assert typed.ids[:1] == ["2601.00002"]


@pytest.fixture(scope="module")
def typos(tmp_path_factory):
    papers = [paper(n, f"Gaussian splatting for scene {n}") for n in range(1, 26)]
    papers.append(paper(100, "Fast Gaussian Splating-based occupancy"))  # a title that misspells it
    library = write(tmp_path_factory.mktemp("typos") / "lib", papers)
    yield from built_index(library, tmp_path_factory)


def test_a_typo_one_title_shares_is_corrected_to_the_word_the_others_use(typos):
    result = typos.search("3D gaussian splating", limit=None)
    assert result.corrected is None  # "3D" is in no paper: the corrected query finds nothing either
    result = typos.search("gaussian splating", limit=None)
    assert result.corrected == "gaussian splatting" and result.typed == "gaussian splating"
    assert len(result.ids) == 25
    as_typed = typos.search("gaussian splating", limit=None, correct=False)
    assert as_typed.ids == ["2601.00100"] and as_typed.suggestion == "gaussian splatting"
