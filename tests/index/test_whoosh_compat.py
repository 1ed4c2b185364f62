"""The one door to Whoosh's private parts (``core/index/whoosh_compat.py``):
the postings format it writes by hand, byte for byte against Whoosh's own
writer, and a check that no other module reaches into a Whoosh private."""

from __future__ import annotations

import ast
from pathlib import Path

import tui_reader
from tui_reader.core.loader import load_library

PACKAGE = Path(tui_reader.__file__).resolve().parent
COMPAT = PACKAGE / "core" / "index" / "whoosh_compat.py"
# Whoosh modules whose public API the rest of tui_reader may use.
PUBLIC_MODULES = {
    "whoosh", "whoosh.index", "whoosh.fields", "whoosh.formats", "whoosh.columns", "whoosh.query",
    "whoosh.scoring", "whoosh.classify", "whoosh.filedb.filestore", "whoosh.lang.porter",
}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined(tree: ast.AST) -> set[str]:
    """Private names a module defines: functions, classes, module and class
    variables, attributes it assigns (``self._x = ...``), parameters."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            out.add(node.attr)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.alias):
            out.add((node.asname or node.name).split(".")[0])
    return {name for name in out if _private(name)}


def _whoosh_privates() -> set[str]:
    import warnings

    import whoosh

    out: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Whoosh's old string escapes
        for path in Path(whoosh.__file__).resolve().parent.rglob("*.py"):
            out |= _defined(ast.parse(path.read_text("utf-8", "replace")))
    return out


def _used(tree: ast.AST) -> list[tuple[int, str]]:
    """Private attributes a module reads, and names given to getattr/hasattr."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            out.append((node.lineno, node.attr))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "hasattr", "setattr") and len(node.args) >= 2
              and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
              and _private(node.args[1].value)):
            out.append((node.lineno, node.args[1].value))
    return out


def _imports(tree: ast.AST) -> list[tuple[int, str, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "whoosh":
            out.extend((node.lineno, node.module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name, "") for alias in node.names if alias.name.split(".")[0] == "whoosh")
    return out


def reaches_into_whoosh(source: str, ours: set[str], whoosh_privates: set[str]) -> list[str]:
    """What a module's ``source`` does with Whoosh's private parts: private
    attributes Whoosh defines and tui_reader does not, and imports of
    Whoosh modules or names that are not public API."""
    tree = ast.parse(source)
    found = [f"line {line}: .{name}" for line, name in _used(tree) if name in whoosh_privates and name not in ours]
    for line, module, name in _imports(tree):
        if module not in PUBLIC_MODULES or _private(name):
            found.append(f"line {line}: from {module} import {name}")
    return found


def _attributes(tree: ast.AST) -> set[str]:
    """Private attribute names a module gives its own objects: methods and
    class variables, and attributes it assigns (``self._x = ...``)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out.add(item.name)
                elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                    targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                    out.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            out.add(node.attr)
    return {name for name in out if _private(name)}


def test_no_module_but_whoosh_compat_reaches_into_whoosh():
    whoosh_privates = _whoosh_privates()
    modules = {path: path.read_text("utf-8") for path in PACKAGE.rglob("*.py")}
    ours: set[str] = set()
    for path, source in modules.items():
        if path != COMPAT:
            ours |= _attributes(ast.parse(source))
    problems = []
    for path, source in sorted(modules.items()):
        if path == COMPAT:
            continue
        for problem in reaches_into_whoosh(source, ours, whoosh_privates):
            problems.append(f"{path.relative_to(PACKAGE)} {problem}")
    assert problems == [], "use tui_reader.core.index.whoosh_compat instead:\n" + "\n".join(problems)


def test_the_check_catches_what_it_is_for():
    whoosh_privates = _whoosh_privates()
    ours = {"_mine"}
    assert reaches_into_whoosh("reader._terms.matcher(1)", ours, whoosh_privates)
    assert reaches_into_whoosh("getattr(reader, '_terms', None)", ours, whoosh_privates)
    assert reaches_into_whoosh("writer._commit_toc(final)", ours, whoosh_privates)
    assert reaches_into_whoosh("from whoosh.codec.whoosh3 import W3LeafMatcher", ours, whoosh_privates)
    assert reaches_into_whoosh("ix._segments()", ours, whoosh_privates)
    assert not reaches_into_whoosh("self._mine = 1\nx._mine", ours, whoosh_privates)
    assert not reaches_into_whoosh("from whoosh import query as wq\nreader.doc_frequency('a', b'b')", ours,
                                   whoosh_privates)


def test_whoosh_compat_checks_the_whoosh_version():
    import whoosh

    from tui_reader.core.index import whoosh_compat

    assert tuple(whoosh.__version__[:3]) in whoosh_compat.SUPPORTED_WHOOSH
    source = COMPAT.read_text("utf-8")
    assert "raise ImportError" in source and "SUPPORTED_WHOOSH" in source


# --- the postings format, byte for byte -------------------------------------------------


def _segment_files(tmp_path, name: str, writer_class, docs) -> dict[str, bytes]:
    """The term table and postings file of one segment of ``docs``."""
    from whoosh.filedb.filestore import FileStorage

    from tui_reader.core.index.schema import make_schema

    folder = tmp_path / name
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(make_schema())
    writer = writer_class(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    files = {path.suffix: path.read_bytes() for path in folder.iterdir() if path.suffix in (".trm", ".pst")}
    assert files.keys() == {".trm", ".pst"}
    return files


def _sample_documents(shared_samples) -> list[dict]:
    from tui_reader.core.index.schema import paper_document

    docs = [paper_document(p) for p in load_library([shared_samples]).papers.values()]
    assert len(docs) > 2 * 128  # common words have posting lists of several blocks
    return docs


def test_the_writer_encodes_postings_as_whoosh_does(shared_samples, tmp_path):
    """The segment writer encodes each posting list itself (the other hot
    part of a build); the term table and postings file must be byte for
    byte what Whoosh's own postings writer makes of the same postings."""
    from tui_reader.core.index.schema import packed_count
    from tui_reader.core.index.whoosh_compat import FastSegmentWriter

    class ThroughWhoosh(FastSegmentWriter):
        def _write_term(self, fw, tbytes, ids, weights, values, fixedsize, lengths, levels=False):
            if levels:  # the catch-all's weight levels: a format of this project's (tested below)
                return super()._write_term(fw, tbytes, ids, weights, values, fixedsize, lengths, levels)
            fw.start_term(tbytes)
            for i, docnum in enumerate(ids):
                vbytes = packed_count(weights[i]) if values is None else (values[i] if values else b"")
                fw.add(docnum, float(weights[i]), vbytes, lengths.get(docnum))
            fw.finish_term()

    docs = _sample_documents(shared_samples)
    assert _segment_files(tmp_path, "fast", FastSegmentWriter, docs) == \
        _segment_files(tmp_path, "whoosh", ThroughWhoosh, docs)


def test_the_writer_fast_path_writes_what_the_field_says(shared_samples, tmp_path, monkeypatch):
    """The segment writer reads the text fields' term counts directly (the
    hot loop of a build); the segment must be exactly the one made from the
    fields' own index() (ids, weights, packed counts, field lengths)."""
    from tui_reader.core.index import whoosh_compat as writer_module

    docs = _sample_documents(shared_samples)
    fast = _segment_files(tmp_path, "fast", writer_module.FastSegmentWriter, docs)
    monkeypatch.setattr(writer_module, "AnalyzedText", type("NotAText", (), {}))  # the generic path
    assert _segment_files(tmp_path, "generic", writer_module.FastSegmentWriter, docs) == fast


# --- the catch-all's weight levels ------------------------------------------------------


def test_a_catch_all_weight_level_stands_for_its_weight():
    from tui_reader.core.index.schema import K1
    from tui_reader.core.index.whoosh_compat import LEVEL, level

    for i in range(1, 4000):
        tf = i / 200
        assert abs(level(tf) * LEVEL - tf / (K1 + tf)) <= LEVEL / 2 + 1e-12
    assert level(1e-9) == 1 and level(1e9) == 0xFFFF


def test_packed_postings_unpack_the_same_on_either_byte_order(monkeypatch):
    from array import array

    from tui_reader.core.index import whoosh_compat

    pairs = [(0, 1), (255, 200), (70000, 3), (16_000_000, 0xFFFF), (2**32 - 1, 258)]
    packed = array("Q", [(d << 16) | n for d, n in pairs])
    fast = whoosh_compat.unpack(packed)
    assert fast[0] == [d for d, _ in pairs]
    assert whoosh_compat.numbers_of(fast[1]).tolist() == [n for _, n in pairs]
    monkeypatch.setattr(whoosh_compat, "_LITTLE", False)
    assert whoosh_compat.unpack(packed) == fast


def test_the_catch_all_reads_back_the_weights_its_levels_stand_for(shared_samples, tmp_path):
    """Every catch-all posting list (inlined or in blocks) reads back as the
    levels' weights, in docnum order, and its term's statistics agree."""
    from whoosh.filedb.filestore import FileStorage

    from tui_reader.core.index.schema import ALL, make_schema
    from tui_reader.core.index.whoosh_compat import LEVEL, FastSegmentWriter, leaf_postings

    docs = _sample_documents(shared_samples)
    ix = FileStorage(str(tmp_path)).create_index(make_schema())
    writer = FastSegmentWriter(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    with ix.reader() as reader:
        terms = list(reader.lexicon(ALL))
        assert len(terms) > 100
        long_lists = 0
        for tbytes in terms:
            ids, ws = leaf_postings(reader, ALL, tbytes, True)
            info = reader.term_info(ALL, tbytes)
            assert ids == sorted(set(ids)) and len(ids) == info.doc_frequency()
            assert all(w > 0 and abs(w / LEVEL - round(w / LEVEL)) < 1e-6 for w in ws)
            assert abs(sum(ws) - info.weight()) < 1e-3 * len(ws)
            assert abs(max(ws) - info.max_weight()) < 1e-6
            long_lists += len(ids) > 128
        assert long_lists  # several blocks
