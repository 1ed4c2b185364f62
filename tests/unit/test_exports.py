"""Every export format read back by a real parser of that format
(bibtexparser, rispy, json, csv), checked field by field: what a
reference manager or a spreadsheet would see."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors

from tui_reader.core.citation import doi_of, issued, split_name, venue_of
from tui_reader.core.model import Paper, Summary
from tui_reader.core.state import Bookmark, Snapshot
from tui_reader.core.state.export import FORMATS, bibtex, csl_items, file_encoding, records, render, ris, to_csv
from tui_reader.core.state.importer import parse_import


def paper(paper_id: str = "2601.18800", **extra) -> Paper:
    values = dict(
        id=paper_id, version="v1",
        title="NavFormer: LLM-Guided $\\alpha$-Navigation with BERT and GPT-4o in 3D",
        authors=["Yoontae Hwang", "Research and Development Team", "张伟", "Ludwig van Beethoven"],
        categories=["cs.LG", "cs.AI"],
        abstract="We navigate. The journal version is doi:10.1145/3580305.3599876.",
        comment="Accepted to CVPR 2026. 8 pages, 4 figures",
        code_url="https://github.com/example/navformer",
        dates=["2026-01-27"],
        summaries={"English": Summary(tldr="It navigates."), "Chinese": Summary(tldr="它导航。")},
    )
    values.update(extra)
    return Paper(**values)


def bookmark(p: Paper, tags=("navigation", "to-read"), note="Read §3 first; compare with 2512.00001") -> Bookmark:
    return Bookmark(p.id, "2026-01-28T09:00:00Z", list(tags), note, Snapshot.from_paper(p))


PLAIN = paper("2601.00002", title="Plain Title", authors=["Ada Lovelace"], abstract="", comment="",
              code_url="", summaries={})


def parse_bib(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert library.failed_blocks == []
    return {e.key: e for e in library.entries}


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "venue"),
    [
        ("Accepted to CVPR 2026. 8 pages, 4 figures", "CVPR 2026"),
        ("Accepted by KDD 2026 ADS Track", "KDD 2026 ADS Track"),
        ("This work is accepted at IEEE Transactions on Communications", "IEEE Transactions on Communications"),
        ("8 pages. Accepted to the 2026 IEEE International Conference on Systems, Man, and Cybernetics (SMC 2026)",
         "SMC 2026"),
        ("ICLR 2026 (Oral)", "ICLR 2026"),
        ("Accepted at ICPR 2026 - Computer Vision for Biodiversity Workshop", "ICPR 2026"),
        ("Accepted at IGARSS 2025 and will appear in the IEEE IGARSS 2025 proceedings", "IGARSS 2025"),
        ("Accepted to IROS 2025 (IEEE/RSJ International Conference on Intelligent Robots and Systems)", "IROS 2025"),
        ("Accepted at EMNLP 2025 under the full author name X", "EMNLP 2025"),
        ("12 pages, 3 figures", ""),
        ("", ""),
    ],
)
def test_venue_from_comment(comment: str, venue: str) -> None:
    assert venue_of(comment) == venue


def test_doi_names_and_dates() -> None:
    assert doi_of("", "see doi:10.1145/3580305.3599876.") == "10.1145/3580305.3599876"
    assert doi_of("data at https://doi.org/10.5281/zenodo.123", "") == ""  # a data set, not the paper
    assert doi_of("https://doi.org/10.1103/PhysRevD.1.2 and more") == "10.1103/PhysRevD.1.2"
    assert split_name("Ludwig van Beethoven") == ("van Beethoven", "Ludwig")
    assert split_name("Witten, Edward") == ("Witten", "Edward")
    assert split_name("张伟") == ("", "张伟")
    assert issued("2601.18800", ["2026-01-27"]) == (2026, 1, 27)
    assert issued("2601.18800", ["2026-02-02"]) == (2026, 1)
    assert issued("hep-th/9901001", []) == (1999, 1)


# --- BibTeX ----------------------------------------------------------------------------------


def test_bibtex_fields_as_a_parser_reads_them() -> None:
    entries = parse_bib(bibtex([bookmark(paper()), bookmark(PLAIN, tags=(), note="")]))
    nav = entries["hwang2026navformer"]
    fields = {name: f.value for name, f in nav.fields_dict.items()}
    assert nav.entry_type == "inproceedings" and fields["booktitle"] == "CVPR 2026"
    # Capitals a reference manager must not lower-case are braced; math kept.
    assert fields["title"] == ("{NavFormer}: {LLM-Guided} $\\alpha$-Navigation with {BERT} and {GPT-4o} in {3D}")
    assert fields["author"] == ["Yoontae Hwang", "{Research and Development Team}", "张伟", "Ludwig van Beethoven"]
    assert fields["keywords"] == "navigation, to-read"
    assert fields["annote"] == "Read §3 first; compare with 2512.00001"
    assert fields["doi"] == "10.1145/3580305.3599876"
    assert fields["eprint"] == "2601.18800" and fields["archivePrefix"] == "arXiv" and fields["primaryClass"] == "cs.LG"
    assert fields["url"] == "https://arxiv.org/abs/2601.18800" and fields["year"] == "2026"
    plain = entries["lovelace2026plain"]
    assert plain.entry_type == "misc"
    assert {"keywords", "annote", "doi", "booktitle"}.isdisjoint(plain.fields_dict)


def test_bibtex_has_the_abstract_and_its_math_is_pdflatex_safe() -> None:
    p = paper(title="Bounds for $α$-stable laws on ℓ² and $x₀ ≥ 0$",
              abstract="We bound $α ≤ β²$ in 50% of cases & more;\nΩ outside math, and a café.")
    [entry] = parse_bib(bibtex([bookmark(p)])).values()
    fields = {name: f.value for name, f in entry.fields_dict.items()}
    assert fields["abstract"] == ("We bound $\\alpha \\leq \\beta^{2}$ in 50\\% of cases \\& more; "
                                  "\\ensuremath{\\Omega} outside math, and a café.")
    assert fields["title"] == ("Bounds for $\\alpha$-stable laws on \\ensuremath{\\ell}\\textsuperscript{2} "
                               "and $x_{0} \\geq 0$")
    # What is left beyond ASCII are letters pdflatex reads as UTF-8 (é), nothing Greek or mathematical.
    assert {c for c in fields["abstract"] + fields["title"] if not c.isascii()} == {"é"}


def test_a_bookmark_known_by_its_id_alone_has_eprint_archive_and_url() -> None:
    alone = Bookmark("2601.00007", "2026-01-28T09:00:00Z", [], "", Snapshot.minimal("2601.00007"))
    old = Bookmark("hep-th/9901001", "2026-01-28T09:00:00Z", [], "", Snapshot.minimal("hep-th/9901001"))
    entries = parse_bib(bibtex([alone, old]))
    for key, arxiv_id in (("arxiv2026", "2601.00007"), ("arxiv1999", "hep-th/9901001")):
        fields = {name: f.value for name, f in entries[key].fields_dict.items()}
        assert fields["eprint"] == arxiv_id and fields["archivePrefix"] == "arXiv"
        assert fields["url"] == f"https://arxiv.org/abs/{arxiv_id}" and fields["title"] == arxiv_id
        assert "abstract" not in fields and "author" not in fields


def test_bibtex_journal_venue_is_an_article() -> None:
    p = paper(comment="Accepted at IEEE Transactions on Communications")
    [entry] = parse_bib(bibtex([bookmark(p)])).values()
    assert entry.entry_type == "article" and entry.fields_dict["journal"].value == "IEEE Transactions on Communications"


def test_bibtex_round_trip_through_our_importer() -> None:
    original = bookmark(paper())
    [back] = parse_import(bibtex([original])).items
    assert back.snapshot.title == original.snapshot.title
    assert back.snapshot.authors == original.snapshot.authors


# --- RIS ---------------------------------------------------------------------------------------


def test_ris_fields_as_rispy_reads_them() -> None:
    text = ris([bookmark(paper()), bookmark(PLAIN, tags=(), note="")])
    found = {r["id"]: r for r in rispy.loads(text)}
    nav, plain = found["hwang2026navformer"], found["lovelace2026plain"]
    assert nav["type_of_reference"] == "CONF" and plain["type_of_reference"] == "UNPB"
    assert nav["title"] == "NavFormer: LLM-Guided α-Navigation with BERT and GPT-4o in 3D"
    assert nav["authors"] == ["Hwang, Yoontae", "Research and Development Team", "张伟", "van Beethoven, Ludwig"]
    assert nav["secondary_title"] == "CVPR 2026"
    assert nav["year"] == "2026" and nav["date"] == "2026/01/27"
    assert nav["doi"] == "10.1145/3580305.3599876"
    assert nav["urls"] == ["https://arxiv.org/abs/2601.18800", "https://github.com/example/navformer"]
    assert nav["file_attachments1"] == "https://arxiv.org/pdf/2601.18800"
    assert nav["keywords"] == ["cs.LG", "navigation", "to-read"]
    assert nav["notes"][0] == "Read §3 first; compare with 2512.00001"
    assert nav["abstract"].startswith("We navigate.")
    assert plain["title"] == "Plain Title" and "notes" not in plain


# --- CSL-JSON --------------------------------------------------------------------------------------


def test_csl_json_items() -> None:
    text = render([bookmark(paper()), bookmark(PLAIN, tags=(), note="")], "csl-json")
    found = {item["id"]: item for item in json.loads(text)}
    nav, plain = found["hwang2026navformer"], found["lovelace2026plain"]
    assert nav["id"] == "hwang2026navformer" and nav["type"] == "paper-conference"
    assert nav["title"] == "NavFormer: LLM-Guided α-Navigation with BERT and GPT-4o in 3D"
    assert nav["author"] == [{"family": "Hwang", "given": "Yoontae"}, {"literal": "Research and Development Team"},
                             {"literal": "张伟"}, {"family": "van Beethoven", "given": "Ludwig"}]
    assert nav["issued"] == {"date-parts": [[2026, 1, 27]]}
    assert nav["container-title"] == "CVPR 2026" and nav["DOI"] == "10.1145/3580305.3599876"
    assert nav["keyword"] == "navigation, to-read" and nav["note"].startswith("Read §3")
    assert nav["URL"] == "https://arxiv.org/abs/2601.18800" and nav["number"] == "2601.18800"
    assert plain["type"] == "article" and "keyword" not in plain and "DOI" not in plain
    assert csl_items([]) == []


# --- CSV, Markdown, JSON -----------------------------------------------------------------------------


def test_csv_file_has_a_byte_order_mark_and_reads_back(tmp_path) -> None:
    from tui_reader.core.state.export import write_atomic

    target = tmp_path / "papers.csv"
    write_atomic(target, to_csv([bookmark(paper())]), encoding=file_encoding("csv"))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["id"] == "2601.18800" and rows[0]["venue"] == "CVPR 2026"
    assert "张伟" in rows[0]["authors"] and rows[0]["tags"] == "navigation to-read"
    assert rows[0]["code_url"] == "https://github.com/example/navformer"


def test_records_carry_bookmarks_of_a_selection() -> None:
    marked = bookmark(paper())
    items = records([PLAIN, paper()], {marked.id: marked})
    assert [i.id for i in items] == ["2601.00002", "2601.18800"]
    assert items[0].tags == [] and items[0].added_at == ""
    assert items[1].tags == ["navigation", "to-read"] and items[1].snapshot.comment.startswith("Accepted")
    # A selection's JSON export is a bookmarks export: it imports back.
    assert [b.id for b in parse_import(render(items, "json")).items] == ["2601.00002", "2601.18800"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unsafe_links_never_reach_an_export(fmt: str) -> None:
    p = paper(abs_url="javascript:alert(1)", pdf_url="-remote=evil", code_url="file:///etc/shadow")
    text = render([bookmark(p)], fmt)
    for bad in ("javascript:", "-remote", "file://"):
        assert bad not in text, (fmt, bad)
    assert "https://arxiv.org/abs/2601.18800" in text
