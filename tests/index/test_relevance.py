"""The judged relevance set (benchmarks/relevance_set.json, issue 16):
precision@3 and MRR must not drop below the figures recorded here.  A
ranking change that raises them raises these too (quote both in the commit).
"""

from __future__ import annotations

import pytest

from benchmarks import relevance

# Recorded with benchmarks/relevance.py; a change may only raise them.
# Before issue 16: enter P@3 0.7485, MRR 0.8304; typing P@3 0.7427, MRR 0.8129.
# Issue 27 added 7 queries (typos and Chinese, from the real branch's
# queries that the samples hold): the 57 before it kept P@3 0.9532, the 64
# give 0.9531 (图神经网络 0.67); the real branch's 17 (benchmarks/relevance.py
# --library, no test) give enter 0.9804, typing 0.9608.
RECORDED = {
    "enter": {"p3": 0.9531, "mrr": 0.9844},
    "typing": {"p3": 0.9531, "mrr": 0.9844},
}


@pytest.fixture(scope="module")
def figures(tmp_path_factory, shared_samples):
    if not relevance.SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside this checkout")
    base = tmp_path_factory.mktemp("relevance")
    _, samples = relevance.open_library([relevance.SAMPLES], base / "a")
    _, synthetic = relevance.open_library([relevance.synthetic_library(base / "lib")], base / "b")
    try:
        yield relevance.evaluate({"samples": samples, "synthetic": synthetic})
    finally:
        samples.close()
        synthetic.close()


def test_the_judged_set_is_large_and_varied():
    queries = relevance.judged()["queries"]
    assert len(queries) >= 40
    kinds = {q["kind"] for q in queries}
    assert {"english", "chinese", "author", "hyphen", "typo", "field"} <= kinds
    assert all(q.get("expect") or q["library"] == "realbranch" and q["expect_rule"] for q in queries)


@pytest.mark.parametrize("mode", relevance.MODES)
def test_figures_do_not_drop(figures, mode):
    p3, mrr, count = figures.of(mode)
    assert count == len([q for q in relevance.judged()["queries"] if q["library"] != "realbranch"])
    detail = relevance.report(figures, verbose=True)
    assert p3 >= RECORDED[mode]["p3"] - 5e-5, detail
    assert mrr >= RECORDED[mode]["mrr"] - 5e-5, detail


def test_no_judged_query_is_refused(figures):
    assert [o.query for o in figures.outcomes if o.error] == []
