"""Export (BibTeX in arXiv's style, Markdown, JSON, CSV) and import (JSON,
BibTeX, plain ids) of bookmarks, and their round trips."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.model import Paper, Summary
from tui_reader.core.state import Bookmark, Snapshot, StateStore, bibtex_entry
from tui_reader.core.state.citing import oldest_first
from tui_reader.core.state.export import (
    bibtex,
    bibtex_escape,
    bibtex_key,
    json_document,
    markdown,
    render,
    to_csv,
    unique_keys,
    write_atomic,
)
from tui_reader.core.state.importer import fill_from_library, parse_bibtex, parse_import

NASTY_TITLE = r"Fast & Furious: 100% of $O(n \log n)$ for x_i {robust} \textit{LLMs} #1 } unbalanced { \\"


def snap(paper_id: str = "2601.12345", title: str = "Scaling Laws for Cats", authors=("Ada Lovelace",), **extra):
    snapshot = Snapshot.minimal(paper_id)
    snapshot.title = title
    snapshot.authors = list(authors)
    snapshot.categories = ["cs.LG", "stat.ML"]
    snapshot.dates = ["2026-01-05"]
    snapshot.tldr = {"English": "Cats scale."}
    for name, value in extra.items():
        setattr(snapshot, name, value)
    return snapshot


def mark(snapshot: Snapshot, added_at: str = "2026-01-06T10:00:00Z", tags=(), note: str = "") -> Bookmark:
    return Bookmark(snapshot.id, added_at, list(tags), note, snapshot)


# --- a simple BibTeX parser, written independently of the code under test ----------------


def simple_bibtex_parse(text: str, count_escaped: bool = True) -> list[tuple[str, str, dict[str, str]]]:
    """Entries as (type, key, fields); raises ValueError on unbalanced braces.
    ``count_escaped`` counts \\{ like BibTeX does; False ignores it like
    some parsers."""
    entries = []
    pos = 0
    while True:
        match = re.compile(r"\s*@(\w+)\{([^,\s]+),").match(text, pos)
        if not match:
            if text[pos:].strip():
                raise ValueError(f"junk at {pos}: {text[pos:pos + 40]!r}")
            return entries
        fields: dict[str, str] = {}
        pos = match.end()
        while True:
            field = re.compile(r"\s*(\w+)\s*=\s*\{").match(text, pos)
            if not field:
                end = re.compile(r"\s*\}\s*").match(text, pos)
                if not end:
                    raise ValueError(f"bad entry end at {pos}: {text[pos:pos + 40]!r}")
                pos = end.end()
                break
            depth, i = 1, field.end()
            while depth:
                if i >= len(text):
                    raise ValueError("unbalanced braces")
                c = text[i]
                if c == "\\" and not count_escaped and text[i + 1:i + 2] in ("{", "}", "\\"):
                    i += 2
                    continue
                depth += c == "{"
                depth -= c == "}"
                i += 1
            fields[field[1]] = text[field.end():i - 1]
            pos = i
            comma = re.compile(r"\s*,").match(text, pos)
            if comma:
                pos = comma.end()
        entries.append((match[1], match[2], fields))


# --- BibTeX export ---------------------------------------------------------------------------


def test_bibtex_entry_follows_arxiv_style() -> None:
    paper = Paper(id="2601.18800", version="v2", title="NavFormer: IGRF Forecasting",
                  authors=["Yoontae Hwang", "Dongwoo Lee"], categories=["cs.LG", "cs.AI"])
    assert bibtex_entry(paper) == (
        "@misc{hwang2026navformer,\n"
        "      title={{NavFormer}: {IGRF} Forecasting},\n"
        "      author={Yoontae Hwang and Dongwoo Lee},\n"
        "      year={2026},\n"
        "      eprint={2601.18800},\n"
        "      archivePrefix={arXiv},\n"
        "      primaryClass={cs.LG},\n"
        "      url={https://arxiv.org/abs/2601.18800},\n"
        "}\n"
    )
    assert bibtex_entry(Snapshot.from_paper(paper)) == bibtex_entry(paper)


@pytest.mark.parametrize(
    ("paper_id", "title", "authors", "key"),
    [
        ("2601.00001", "The Attention Is Enough", ["Ashish Vaswani"], "vaswani2026attention"),
        ("2512.00001", "On $\\alpha$-Decay of Ünïcode", ["José Núñez-García"], "nunezgarcia2025decay"),
        ("hep-th/9901001", "Strings", ["Witten, Edward"], "witten1999strings"),
        ("2601.00002", "", [], "arxiv2026"),
        ("2601.00003", "深度学习", ["张伟"], "arxiv2026"),
    ],
)
def test_bibtex_keys(paper_id: str, title: str, authors: list[str], key: str) -> None:
    assert bibtex_key(Snapshot(id=paper_id, title=title, authors=authors)) == key


def test_keys_are_unique_and_stable() -> None:
    a = snap("2601.00001", "Deep Cats")
    b = snap("2601.00002", "Deep Cats, Again")
    c = snap("2601.00003", "Deep Dogs")
    assert unique_keys([a, b, c]) == ["lovelace2026deep", "lovelace2026deepa", "lovelace2026deepb"]
    # Adding a newer bookmark never renames an older one: the bookmarks
    # export passes them oldest first (a list or a selection keeps its order).
    old = bibtex(oldest_first([mark(a, "2026-01-01T00:00:00Z"), mark(b, "2026-01-02T00:00:00Z")]))
    new = bibtex(oldest_first([mark(c, "2026-01-03T00:00:00Z"), mark(b, "2026-01-02T00:00:00Z"),
                               mark(a, "2026-01-01T00:00:00Z")]))
    assert new.startswith(old)
    assert bibtex([mark(b, "2026-01-02T00:00:00Z"), mark(a, "2026-01-01T00:00:00Z")]).index("2601.00002") < \
        bibtex([mark(b, "2026-01-02T00:00:00Z"), mark(a, "2026-01-01T00:00:00Z")]).index("2601.00001")


def test_special_characters_are_escaped_and_latex_kept() -> None:
    entry = bibtex_entry(snap(title=NASTY_TITLE, authors=["R&D Team", "Jo_hn {Smith"]))
    for count_escaped in (True, False):
        [(kind, key, fields)] = simple_bibtex_parse(entry, count_escaped)
    assert kind == "misc" and key == "team2026fast"
    title = fields["title"]
    assert "Fast \\& Furious" in title and "100\\%" in title and "\\#1" in title
    assert "$O(n \\log n)$" in title  # math untouched
    assert "x\\_i" in title and "{robust}" in title and "\\textit{LLMs}" in title
    assert title.endswith("\\textbraceright{} unbalanced \\textbraceleft{} \\textbackslash{}\\textbackslash{}")
    assert bibtex_escape("trailing \\") == "trailing \\textbackslash{}"
    assert fields["author"] == "R\\&D Team and Jo\\_hn \\textbraceleft{}Smith"
    [(_, _, fields)] = simple_bibtex_parse(bibtex_entry(snap(title=r"a \} b \{ c {")), count_escaped=False)
    assert fields["title"] == r"a \textbraceright{} b \textbraceleft{} c \textbraceleft{}"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab {}\\$&%#_^~x\x1b\n")), max_size=40))
def test_escaped_text_always_parses(text: str) -> None:
    entry = bibtex_entry(snap(title=text, authors=[text or "x"]))
    for count_escaped in (True, False):
        [(_, _, fields)] = simple_bibtex_parse(entry, count_escaped)
        assert "\x1b" not in fields["title"] and "\n" not in fields["title"]


def test_bibtex_of_bookmarks_parses_as_a_file() -> None:
    items = [mark(snap(f"2601.0000{i}", NASTY_TITLE), f"2026-01-0{i}T00:00:00Z") for i in range(1, 6)]
    entries = simple_bibtex_parse(bibtex(items))
    assert [e[2]["eprint"] for e in entries] == [f"2601.0000{i}" for i in range(1, 6)]
    assert len({e[1] for e in entries}) == 5


# --- other formats --------------------------------------------------------------------------------


def test_markdown_export_escapes_paper_text() -> None:
    bookmark = mark(snap(title="A *bold* [link](javascript:x) <b>", code_url="https://github.com/a/b"),
                    tags=["ml"], note="my note\nsecond *line*")
    text = markdown([bookmark])
    assert "## A \\*bold\\* \\[link\\](javascript:x) \\<b\\>" in text
    assert "[2601.12345](<https://arxiv.org/abs/2601.12345>)" in text
    assert "[code (github.com)](<https://github.com/a/b>)" in text and "tags: ml" in text
    assert "**TL;DR (English):** Cats scale." in text
    assert "> my note\n> second \\*line\\*" in text


def test_csv_export_defuses_formulas() -> None:
    bookmark = mark(snap(title="=HYPERLINK(\"http://evil\")", authors=["@alice", "Bob"]), tags=["a", "b"], note="+1")
    rows = list(csv.reader(io.StringIO(to_csv([bookmark]))))
    assert rows[0][:3] == ["id", "title", "authors"]
    row = dict(zip(rows[0], rows[1]))
    assert row["title"].startswith("'=") and row["authors"] == "'@alice; Bob" and row["note"] == "'+1"
    assert row["tags"] == "a b" and row["abs_url"] == "https://arxiv.org/abs/2601.12345"


def test_render_rejects_unknown_formats() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render([], "yaml")


def test_write_atomic_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old")
    write_atomic(target, "new ü")
    assert target.read_text(encoding="utf-8") == "new ü"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bib"]  # no temp file left
    with pytest.raises(OSError):
        write_atomic(tmp_path / "missing-dir" / "x", "y")


# --- import parsing ---------------------------------------------------------------------------------


def test_plain_ids_and_urls() -> None:
    parsed = parse_import(
        "# my list\n"
        "2601.12345v2\n"
        "https://arxiv.org/abs/2601.00001 https://arxiv.org/pdf/2512.99999v1.pdf\n"
        "\n"
        "arXiv:hep-th/9901001\n"
        "nothing here\n"
        "2601.12345\n"
    )
    assert parsed.format == "ids" and not parsed.error
    assert [b.id for b in parsed.items] == ["2601.12345", "2601.00001", "2512.99999", "hep-th/9901001"]
    assert [(s.line, s.reason) for s in parsed.skipped] == [
        (6, "no arXiv id"), (7, "2601.12345 already listed on line 2")]
    assert all(b.snapshot.is_minimal for b in parsed.items)


def test_bibtex_import_reads_arxiv_entries_in_many_shapes() -> None:
    text = r"""
    @comment{ignored @misc{nope, eprint={1111.11111}} }
    @string{ax = "arXiv"}
    @misc{vaswani2017attention,
          title={Attention Is All You Need},
          author={Ashish Vaswani and Noam Shazeer},
          year={2017},
          eprint={1706.03762v7},
          archivePrefix={arXiv},
          primaryClass={cs.CL},
          url={https://arxiv.org/abs/1706.03762},
    }
    @article{other, title = "{A} Journal Paper", journal = {Nature}, year = 2020}
    @article{byurl, title = {By URL}, url = "https://arxiv.org/abs/2601.00005", author = {Smith, J.}}
    @inproceedings(bydoi, title = {By DOI}, doi = {10.48550/arXiv.2601.00006})
    @misc{broken, title = {never closed
    """
    parsed = parse_import(text)
    assert parsed.format == "bibtex"
    assert [b.id for b in parsed.items] == ["1706.03762", "2601.00005", "2601.00006"]
    first = parsed.items[0].snapshot
    assert first.title == "Attention Is All You Need" and first.authors == ["Ashish Vaswani", "Noam Shazeer"]
    assert first.categories == ["cs.CL"] and first.abs_url == "https://arxiv.org/abs/1706.03762"
    assert parsed.items[1].snapshot.authors == ["Smith, J."]
    reasons = {s.text: s.reason for s in parsed.skipped}
    assert reasons["@article{other"] == "no arXiv eprint, URL or DOI"
    assert any(r == "unreadable BibTeX entry" for r in reasons.values())


def test_bibtex_parser_handles_concatenation_and_parentheses() -> None:
    entries, problems = parse_bibtex('@misc(k, title = "a" # {b} # c, note={x {y} z})')
    assert problems == []
    assert entries[0].fields == {"title": "abc", "note": "x {y} z"}


def test_json_import_cleans_untrusted_text() -> None:
    document = {
        "format": "tui-reader-bookmarks",
        "bookmarks": [
            {"id": "2601.00001", "added_at": "2026-01-01T00:00:00Z", "tags": ["ML", 3], "note": "n\x1b]0;pwned\x07",
             "snapshot": {"title": "T\x1b[2J", "authors": ["A\u202eB", 5], "dates": "bad", "tldr": {"EN": "x\x00"}}},
            {"id": "not an id"},
            "https://arxiv.org/abs/2601.00002",
            "2601.00001",
            42,
        ],
    }
    parsed = parse_import(json.dumps(document))
    assert parsed.format == "json" and [b.id for b in parsed.items] == ["2601.00001", "2601.00002"]
    first = parsed.items[0]
    assert first.note == "n" and first.tags == ["ml"] and first.added_at == "2026-01-01T00:00:00Z"
    assert first.snapshot.title == "T" and first.snapshot.authors == ["AB"]
    assert first.snapshot.dates == [] and first.snapshot.tldr == {"EN": "x"}
    assert [s.reason for s in parsed.skipped] == [
        "no arXiv id", "2601.00001 already listed on line 1", "neither an id nor a bookmark object"]


@pytest.mark.parametrize(
    ("text", "error"),
    [("{not json", "not valid JSON"), ('{"format": "zotero"}', "another kind"), ('{"x": 1}', "bookmarks"),
     ("3", "")],
)
def test_json_import_errors(text: str, error: str) -> None:
    parsed = parse_import(text)
    if error:
        assert error in parsed.error
    else:
        assert parsed.format == "ids" and parsed.items == []


def test_fill_from_library_prefers_the_library() -> None:
    paper = Paper(id="2601.00001", title="From Library", authors=["X Y"], dates=["2026-01-02"],
                  summaries={"English": Summary(tldr="lib")})
    items = [Bookmark("2601.00001", "", [], "", snap("2601.00001", "From File", dates=["2026-01-01"],
                                                     tldr={"French": "fichier"})),
             Bookmark("2601.00002", "", [], "", Snapshot.minimal("2601.00002")),
             Bookmark("2601.00003", "", [], "", snap("2601.00003"))]
    assert fill_from_library(items, {"2601.00001": paper}) == ["2601.00002"]
    first = items[0].snapshot
    assert first.title == "From Library" and first.dates == ["2026-01-01", "2026-01-02"]
    assert first.tldr == {"French": "fichier", "English": "lib"}


# --- round trips ---------------------------------------------------------------------------------


def _store_with_bookmarks(path: Path) -> StateStore:
    store = StateStore.open(path)
    items = [
        mark(snap("2601.00001", NASTY_TITLE, ["Ada Lovelace", "Ümit Öz"]), "2026-01-01T00:00:00Z", ["ml"], "note 1"),
        mark(snap("2601.00002", "Plain Title", ["Bob Brown"]), "2026-01-02T00:00:00Z", ["ml", "to-read"], ""),
        mark(Snapshot.minimal("2601.00003"), "2026-01-03T00:00:00Z"),
    ]
    store.merge_bookmarks(items)
    return store


def test_json_round_trip_is_lossless(tmp_path: Path) -> None:
    with _store_with_bookmarks(tmp_path / "a.sqlite3") as source:
        original = source.bookmarks()
        text = render(original, "json", "2026-01-04T00:00:00Z")
    parsed = parse_import(text)
    assert parsed.skipped == [] and not parsed.error
    with StateStore.open(tmp_path / "b.sqlite3") as target:
        assert [o for _, o in target.merge_bookmarks(parsed.items)] == ["added"] * 3
        assert target.bookmarks() == original
        # Importing again changes nothing.
        assert [o for _, o in target.merge_bookmarks(parse_import(text).items)] == ["already bookmarked"] * 3
    assert json_document(original)["format"] == "tui-reader-bookmarks"


def test_bibtex_round_trip_keeps_ids_titles_and_authors(tmp_path: Path) -> None:
    with _store_with_bookmarks(tmp_path / "a.sqlite3") as source:
        original = {b.id: b.snapshot for b in source.bookmarks()}
        text = render(source.bookmarks(), "bibtex")
    parsed = parse_import(text)
    assert parsed.skipped == []
    back = {b.id: b.snapshot for b in parsed.items}
    assert back.keys() == original.keys()
    for paper_id, snapshot in original.items():
        # A bare {word} group of a title reads as a case-protecting pair of
        # braces (LaTeX prints both alike): it comes back without them.
        assert back[paper_id].title == snapshot.title.replace("{robust}", "robust")
        assert back[paper_id].authors == snapshot.authors
        assert back[paper_id].categories == snapshot.categories[:1]
    assert back["2601.00003"].is_minimal


def test_imported_titles_lose_the_braces_that_keep_their_case() -> None:
    text = ("@article{devlin,\n  title = {{BERT}: Pre-training of Deep {Bidirectional} Transformers for {{LLM}s},"
            " {\\emph{all}} of $\\mathcal{O}(n^{2})$ and a \\textbraceleft{}literal\\textbraceright{}},\n"
            "  eprint = {1810.04805},\n  archivePrefix = {arXiv}\n}\n")
    [item] = parse_import(text).items
    assert item.snapshot.title == ("BERT: Pre-training of Deep Bidirectional Transformers for LLMs, "
                                   "\\emph{all} of $\\mathcal{O}(n^{2})$ and a {literal}")
