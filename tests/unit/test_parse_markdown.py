"""The Markdown digest reader on the seed digests, the English sample and a
fixture for every trap listed in FORMATS.md section 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import FIXTURES
from tui_reader.core.model import SUMMARY_FIELDS, Entry
from tui_reader.core.parse_markdown import parse_markdown
from tui_reader.core.reader import read_file

TRAPS = FIXTURES / "markdown" / "traps_2026-01-15.md"
SEEDS = {"000_bb134045811f6403.txt": 70, "002_c86ff8b9cda3dd17.txt": 87}


def parse_file(path: Path) -> tuple[list[Entry], list]:
    return parse_markdown(path.read_text(encoding="utf-8"), str(path))


def by_id(entries: list[Entry]) -> dict[str, Entry]:
    return {e.id: e for e in entries}


# --- the seed digests -------------------------------------------------------------


@pytest.mark.parametrize("name, count", sorted(SEEDS.items()))
def test_seed_digest_counts_and_fields(embedded_samples: Path, name: str, count: int) -> None:
    result = read_file(str(embedded_samples / name))
    assert result.kind == "markdown"
    assert result.problems == []
    assert result.date == ""  # no date in the name: undated, not today
    assert len(result.entries) == count
    assert len({e.id for e in result.entries}) == count
    for entry in result.entries:
        assert entry.title and entry.authors and entry.categories, entry.id
        assert entry.summary is not None, entry.id
        for name_ in SUMMARY_FIELDS:
            assert getattr(entry.summary, name_).strip(), (entry.id, name_)
        assert entry.abstract.strip(), entry.id
        assert entry.language == "Chinese", entry.id
        assert "</details>" not in entry.abstract
        assert not entry.abstract.startswith("Abstract:")


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_toc_counts_match_sections(embedded_samples: Path, name: str) -> None:
    text = (embedded_samples / name).read_text(encoding="utf-8")
    totals = {m[1]: int(m[2]) for m in re.finditer(r"^- \[([^\]]+)\]\(#[^)]*\) \[Total: (\d+)\]", text, re.M)}
    entries, _ = parse_markdown(text, name)
    sections: dict[str, int] = {}
    for entry in entries:
        sections[entry.categories[-1]] = sections.get(entry.categories[-1], 0) + 1
    assert sum(totals.values()) == SEEDS[name]
    assert sections == totals


def _raw_abstracts(text: str) -> dict[str, list[str]]:
    """Independently of the parser: each paper's abstract lines, read as the
    non-blank lines from 'Abstract:' to '</details>'."""
    out: dict[str, list[str]] = {}
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        ident = re.search(r"arxiv\.org/abs/([^)\s]+)\)", block.split("\n", 1)[0])[1]
        body = block.split("\nAbstract: ", 1)[1].split("</details>", 1)[0]
        out[ident] = [line.strip() for line in body.split("\n") if line.strip()]
    return out


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_abstracts_kept_whole(embedded_samples: Path, name: str) -> None:
    text = (embedded_samples / name).read_text(encoding="utf-8")
    raw = _raw_abstracts(text)
    entries = by_id(parse_markdown(text, name)[0])
    assert set(raw) == set(entries)
    multi = 0
    for ident, lines in raw.items():
        assert entries[ident].abstract.split("\n") == lines, ident
        multi += len(lines) > 1
    assert multi >= 3  # the seeds really do hold multi-paragraph abstracts


def test_abstract_keeps_its_last_paragraph(embedded_samples: Path) -> None:
    entries = by_id(parse_file(embedded_samples / "000_bb134045811f6403.txt")[0])
    abstract = entries["2601.19189"].abstract
    assert abstract.startswith("Risk disclosures in SEC filings describe potential adverse events")
    assert abstract.endswith("SDK: https://github.com/lightning-rod-labs/lightningrod-python-sdk")
    paragraphs = abstract.split("\n")
    assert len(paragraphs) == 8
    assert paragraphs[-3] == "Evaluation Data: https://huggingface.co/datasets/LightningRodLabs/sec_risk_questions_test_set"
    assert paragraphs[-2] == "Data Generation Platform: https://lightningrod.ai/"


@pytest.mark.parametrize(
    "ident, last",
    [
        ("2601.14590", "Impact: SenseCF fine-tunes an LLM to generate valid, representative counterfactual"),
        ("2601.14633", "We evaluate heterogeneous graph neural networks (GNNs)"),
        ("2601.14608", "Our results reveal distinct trade-offs."),
    ],
)
def test_continuation_lines_in_second_seed(embedded_samples: Path, ident: str, last: str) -> None:
    entries = by_id(parse_file(embedded_samples / "002_c86ff8b9cda3dd17.txt")[0])
    paragraphs = entries[ident].abstract.split("\n")
    assert len(paragraphs) >= 2
    assert paragraphs[-1].startswith(last)
    assert not paragraphs[-1].startswith(" ")


def test_numbered_list_in_method_of_second_seed(embedded_samples: Path) -> None:
    entries = by_id(parse_file(embedded_samples / "002_c86ff8b9cda3dd17.txt")[0])
    method = entries["2601.14968"].summary.method
    lines = method.split("\n")
    assert lines[0].startswith("1. 将时间序列分类重构为多模态生成任务")
    assert [line[:3] for line in lines] == ["1. ", "2. ", "3. ", "4. "]
    assert "Result" not in method


def test_english_sample(shared_samples: Path) -> None:
    result = read_file(str(shared_samples / "markdown" / "2026-03-04.md"))
    assert result.kind == "markdown"
    assert result.date == "2026-03-04"
    assert result.problems == []
    assert len(result.entries) == 65
    for entry in result.entries:
        assert entry.language == "English", entry.id
        assert entry.summary is not None and all(entry.summary.as_tuple()), entry.id
        assert entry.abstract
    mains = {e.categories[0] for e in result.entries}
    assert {"hep-th", "math-ph", "gr-qc", "hep-ph"} <= mains


# --- traps ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ident, title",
    [
        ("2601.00001", "[Emerging Ideas] Tokenizers Are Not Neutral"),
        ("2601.00002", "Let [VOID] Handle Padding: Learning to Ignore with [EOS] Tokens"),
        ("2601.00003", "Dialog[ue]s with Machines"),
        ("math/0211159", r"Codes over $\frac{\mathbb{F}_{p^m}[u]}{\langle u^t \rangle}$ and Their Duals"),
        ("math/0211160", "Self-dual codes over Z2[u,v](u2(1+u),v2(1+v2))"),
    ],
)
def test_titles_with_brackets_and_latex(ident: str, title: str) -> None:
    entries, problems = parse_file(TRAPS)
    assert problems == []
    assert by_id(entries)[ident].title == title


def test_trap_file_ids_versions_links() -> None:
    entries = by_id(parse_file(TRAPS)[0])
    assert [(i, e.version) for i, e in entries.items()] == [
        ("2601.00001", ""), ("2601.00002", "v2"), ("2601.00003", "v12"), ("math/0211159", ""),
        ("math/0211160", "v3"), ("hep-th/9901001", ""), ("2601.00007", ""), ("2601.00008", ""),
        ("2601.00009", ""), ("2601.00010", ""), ("2601.00011", ""), ("2601.00012", ""), ("2601.00013", ""),
    ]
    assert entries["math/0211159"].abs_url == "https://arxiv.org/abs/math/0211159"
    assert entries["2601.00002"].abs_url == "https://arxiv.org/abs/2601.00002v2"
    assert entries["2601.00002"].pdf_url == "https://arxiv.org/pdf/2601.00002v2"
    assert entries["hep-th/9901001"].line == 145  # the header line, 1-based


def test_authors_joined_by_bare_comma() -> None:
    entries = by_id(parse_file(TRAPS)[0])
    assert entries["2601.00001"].authors == ["Ada Lovelace", "Charles Babbage", "Grace Hopper"]
    assert entries["math/0211159"].authors == ["Emmy Noether", "Évariste Galois"]
    assert entries["2601.00002"].authors == ["Alan Turing"]


def test_any_arxiv_category() -> None:
    entries = by_id(parse_file(TRAPS)[0])
    mains = {i: e.categories[0] for i, e in entries.items()}
    assert mains["hep-th/9901001"] == "hep-th"
    assert mains["2601.00007"] == "math-ph"
    assert mains["2601.00008"] == "gr-qc"
    assert mains["2601.00009"] == "math.AG"
    assert mains["2601.00010"] == "physics.optics"
    assert mains["2601.00011"] == "q-bio.NC"
    assert mains["2601.00012"] == "eess.SP"
    assert mains["2601.00013"] == "stat.ML"
    # a cross-listed paper: main category first, then the section it sits in
    assert entries["2601.00007"].categories == ["math-ph", "hep-th"]
    assert entries["2601.00002"].categories == ["cs.LG", "cs.CL"]
    assert entries["2601.00009"].categories == ["math.AG"]


def test_multiline_fields_end_at_the_next_label() -> None:
    entries = by_id(parse_file(TRAPS)[0])
    first = entries["2601.00001"]
    assert first.summary.method == (
        "We study three tokenizers in four steps:\n1. train a baseline;\n2. swap the tokenizer;\n"
        "3. retrain the head;\n4. compare perplexities."
    )
    assert first.summary.result == "The tokenizer matters a lot."
    assert first.abstract == (
        "Tokenizers are rarely studied as a design choice.\nWe show that they are one, and that it matters.\n"
        "Code: https://example.org/tokenizers"
    )
    assert first.summary.tldr == "Tokenizers shape what a model can learn."
    latex = entries["math/0211159"].summary.method
    assert latex == ("We solve the recurrence\n\\begin{cases}\nx_{n+1} = u x_n \\\\\nx_0 = 1\n\\end{cases}\n"
                     "and count the solutions.")
    assert entries["math/0211159"].summary.result == "A closed formula for the number of codes."


def test_fields_end_at_the_next_paper_without_details_close() -> None:
    text = TRAPS.read_text(encoding="utf-8").replace("</details>\n", "")
    entries, problems = parse_markdown(text, "nodetails.md")
    reference = by_id(parse_file(TRAPS)[0])
    assert [e.id for e in entries] == list(reference)
    for entry in entries:
        assert entry.abstract == reference[entry.id].abstract, entry.id
        assert entry.summary == reference[entry.id].summary, entry.id
        assert "###" not in entry.abstract and "<div" not in entry.abstract
    # only the last paper is reported: the file ends before its </details>
    assert [(p.line, "cut off" in p.message) for p in problems] == [(entries[-1].line, True)]


def test_language_of_short_english_summaries() -> None:
    entries, _ = parse_file(TRAPS)
    assert {e.language for e in entries} == {"English"}


def test_crlf_line_endings_read_the_same() -> None:
    text = TRAPS.read_text(encoding="utf-8")
    lf, lf_problems = parse_markdown(text, "x")
    crlf, crlf_problems = parse_markdown(text.replace("\n", "\r\n"), "x")
    assert crlf_problems == lf_problems == []
    assert crlf == lf


@pytest.mark.parametrize("name", ["digest_without_date.txt", "digest"])
def test_markdown_found_by_content_not_extension(name: str) -> None:
    result = read_file(str(FIXTURES / "markdown" / name))
    assert result.kind == "markdown"
    assert result.date == ""
    assert len(result.entries) == 1 and result.problems == []


# --- damage ------------------------------------------------------------------------


def test_truncated_file_keeps_papers_before_the_cut() -> None:
    path = FIXTURES / "bad" / "truncated_2026-01-25.md"
    entries, problems = parse_file(path)
    ids = [e.id for e in entries]
    assert ids[:2] == ["2601.00801", "2601.00802"]
    assert [e.title for e in entries[:2]] == ["First Complete Paper", "Second Complete Paper"]
    assert all(e.abstract == "We study a problem and solve it." for e in entries[:2])
    cut_line = path.read_text(encoding="utf-8").split("\n").index(
        "### [3] [The Cut Paper](https://arxiv.org/abs/2601.00803)") + 1
    assert [(p.line, p.message) for p in problems] == [
        (cut_line, "paper [3] (2601.00803) is cut off: the file ends before </details>")
    ]


@pytest.mark.parametrize("extra", range(0, 48))
def test_cut_inside_a_header_never_yields_a_wrong_id(extra: int) -> None:
    text = TRAPS.read_text(encoding="utf-8")
    header = "### [7] [Integrable Spin Chains](https://arxiv.org/abs/2601.00007)"
    start = text.index(header)
    entries, problems = parse_markdown(text[: start + extra + 17], "cut.md")
    ids = [e.id for e in entries]
    assert ids == ["2601.00001", "2601.00002", "2601.00003", "math/0211159", "math/0211160", "hep-th/9901001"]
    header_line = text[:start].count("\n") + 1
    assert any(p.line == header_line for p in problems)


def test_paper_without_id_or_title_is_reported_and_the_rest_loads() -> None:
    entries, problems = parse_file(FIXTURES / "bad" / "missing_2026-01-27.md")
    assert [e.id for e in entries] == ["2601.00903", "2601.00904"]
    assert entries[1].title == "Fine Paper After The Damage"
    assert entries[1].summary is not None and all(entries[1].summary.as_tuple())
    assert entries[0].summary.tldr == "We study a problem." and entries[0].abstract == ""
    assert [(p.line, p.message) for p in problems] == [
        (12, "paper [1] has no arXiv id in its link; skipped"),
        (35, "paper [2] (2601.00902) has no title; skipped"),
        (58, "paper [3] (2601.00903) has no Motivation, Method, Result, Conclusion, Abstract"),
        (5, "table of contents lists 4 papers in cs.LG, the file holds 2"),
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# Table of Contents\n\njust some notes\n"])
def test_text_without_papers_is_one_problem(text: str) -> None:
    entries, problems = parse_markdown(text, "e.md")
    assert entries == []
    assert [(p.file, p.line, p.message) for p in problems] == [("e.md", 1, "no papers found in this Markdown digest")]


# --- untrusted text -------------------------------------------------------------------

EVIL_TITLE = (
    "[bold red]x[/] \x1b]0;title\x07Evil\x1b[2J \x1b]52;c;SGVsbG8=\x07Clip "
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x07bell zero\u200bwidth \u202eRTL\u202c"
)
EVIL_MD = f"""### [1] [{EVIL_TITLE}](https://arxiv.org/abs/2601.09999)
*Mallory \x1b[31mRed\x1b[0m,[link]Eve*

Main category: cs.CR

TL;DR: \x1b]0;owned\x07A [b]summary[/b] with \x1b[2Jcontrols.

<details>
Motivation: m

Method: m

Result: r

Conclusion: c

Abstract: An abstract\x9b31m with an 8-bit CSI and \x1b]8;;http://x\x07an OSC 8 link\x1b]8;;\x07.

</details>
"""
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def test_untrusted_text_keeps_brackets_and_loses_control_sequences() -> None:
    entries, problems = parse_markdown(EVIL_MD, "evil.md")
    assert problems == []
    (entry,) = entries
    assert entry.title == "[bold red]x[/] Evil Clip click bell zerowidth RTL"
    assert entry.authors == ["Mallory Red", "[link]Eve"]
    assert entry.summary.tldr == "A [b]summary[/b] with controls."
    assert entry.abstract == "An abstract with an 8-bit CSI and an OSC 8 link."
    for value in (entry.title, *entry.authors, *entry.summary.as_tuple(), entry.abstract, *entry.categories):
        assert not _UNSAFE.search(value), repr(value)


def test_title_broken_over_lines_is_joined() -> None:
    text = (
        "### [1] [A Title Broken\n  Over $\\mathbb{R}^n$ Two Lines](https://arxiv.org/abs/2601.00001)\n"
        "*Ada Lovelace*\n\n"
        "TL;DR: t\n\n<details>\nMotivation: m\n\nMethod: m\n\nResult: r\n\nConclusion: c\n\nAbstract: a\n\n</details>\n"
    )
    (entry,), problems = parse_markdown(text, "broken.md")
    assert problems == []
    assert entry.title == "A Title Broken Over $\\mathbb{R}^n$ Two Lines"
    assert entry.authors == ["Ada Lovelace"] and entry.abstract == "a"


def test_toc_count_mismatch_is_reported_on_the_toc_line() -> None:
    text = TRAPS.read_text(encoding="utf-8").replace("- [hep-th](#hep-th) [Total: 3]", "- [hep-th](#hep-th) [Total: 4]")
    entries, problems = parse_markdown(text, "toc.md")
    assert len(entries) == 13
    assert [(p.line, p.message) for p in problems] == [
        (6, "table of contents lists 4 papers in hep-th, the file holds 3")
    ]
