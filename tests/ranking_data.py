"""Small made-up libraries for the ranking's tests: papers of a few topics
(English words with a Chinese TL;DR), deterministic for a seed, as Paper
objects or as a folder of the producer's JSONL day files."""

from __future__ import annotations

import json
import random
from pathlib import Path

from tui_reader.core.model import Paper, Summary

TOPICS = {
    "diffusion": ("diffusion denoising score generative sampler image synthesis", "扩散模型生成图像"),
    "graphs": ("graph neural network node message passing molecule", "图神经网络节点分类"),
    "quantum": ("quantum qubit error correction circuit entanglement", "量子纠错电路"),
    "speech": ("speech recognition acoustic phoneme speaker audio", "语音识别声学模型"),
    "robots": ("robot grasping manipulation gripper tactile policy", "机器人抓取操作"),
}
FILLER = ["we", "propose", "method", "results", "show", "experiments", "benchmark", "novel", "approach", "data",
          "model", "performance"]


def make_paper(n: int, topic: str, day: str, rng: random.Random) -> Paper:
    words, chinese = TOPICS[topic]
    vocab = words.split()
    title = " ".join(rng.choice(vocab).capitalize() for _ in range(3)) + f" for {rng.choice(FILLER)} {n}"
    abstract = " ".join(rng.choice(vocab) if rng.random() < 0.5 else rng.choice(FILLER) for _ in range(40))
    return Paper(id=f"2601.{n:05d}", version="v1", title=title, authors=[f"Author {n}"],
                 categories=["cs.LG"], abstract=abstract + ".", dates=[day], comment=f"topic:{topic}",
                 summaries={"Chinese": Summary(tldr=f"本文提出{chinese}的方法。")})


def make_papers(count: int, seed: int = 0, day: str = "2026-01-05", start: int = 1) -> list[Paper]:
    rng = random.Random(seed)
    names = list(TOPICS)
    return [make_paper(start + i, names[i % len(names)], day, rng) for i in range(count)]


def topic_of(paper: Paper) -> str:
    """The topic a paper was made from (kept in its comment, which the
    model does not read)."""
    return paper.comment.removeprefix("topic:")


def write_library(folder: Path, days: dict[str, list[Paper]]) -> Path:
    """One ``DAY_AI_enhanced_Chinese.jsonl`` per day."""
    folder.mkdir(parents=True, exist_ok=True)
    for day, papers in days.items():
        lines = []
        for p in papers:
            summary = p.summaries["Chinese"]
            lines.append(json.dumps({
                "id": p.id, "title": p.title, "authors": p.authors, "categories": p.categories,
                "summary": p.abstract, "abs": f"https://arxiv.org/abs/{p.id}", "comment": p.comment,
                "AI": {"tldr": summary.tldr, "motivation": "", "method": "", "result": "", "conclusion": ""},
            }, ensure_ascii=False))
        (folder / f"{day}_AI_enhanced_Chinese.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
