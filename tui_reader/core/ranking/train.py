"""Training: the TF-IDF of the labelled papers and a class-balanced logistic
regression (scikit-learn, imported here only, inside :func:`train`) for the
reader and for each tag with at least 5 papers.

Balance: each class's sample weights are scaled so both classes weigh the
same in total (scikit-learn's ``class_weight="balanced"`` counts samples and
ignores their weights, so a library of weak "read" positives would drown the
keeps)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from tui_reader.core.model import Paper
from tui_reader.core.ranking.features import Vocabulary
from tui_reader.core.ranking.labels import MIN_TAG_PAPERS, Labels
from tui_reader.core.ranking.model import READER, Linear, Model
from tui_reader.core.state.base import now_iso

C = 4.0  # inverse regularisation (tuned on benchmarks/rank_eval.py)
SOLVER = "sgd"  # log loss: the same ranking as liblinear on rank_eval (0.975 against 0.977), 2-5 times faster
TOLERANCE = 1e-3  # for SOLVER "liblinear": its default 1e-4 took twice as long for the same ranking


def papers_for(labels: Labels, library: Mapping[str, Paper], store=None) -> dict[str, Paper]:
    """The labelled papers with a text: from the library, else from the
    bookmark's snapshot (title, abstract, TL;DR); papers known only by id
    (imported, in no library) are left out."""
    found = {i: library[i] for i in labels.targets if i in library}
    if store is not None:
        missing = [i for i in labels.targets if i not in found]
        if missing:
            marked = store.bookmarked_ids()
            for paper_id in missing:
                if paper_id in marked:
                    bookmark = store.bookmark(paper_id)
                    if bookmark is not None and bookmark.snapshot is not None and bookmark.snapshot.title:
                        found[paper_id] = bookmark.snapshot.to_paper()
    return found


def train(labels: Labels, papers: Mapping[str, Paper], c: float = C) -> Model:
    """Fit the reader's model and the tags' models on the labelled papers
    of ``papers`` (see :func:`papers_for`).  Raises ValueError when there
    is not both a positive and a negative paper."""
    import numpy as np

    started = time.perf_counter()
    ids = [i for i in labels.targets if i in papers]
    y = np.array([labels.targets[i][0] for i in ids], dtype=np.int8)
    w = np.array([labels.targets[i][1] for i in ids], dtype=np.float64)
    if not len(ids) or y.min() == y.max():
        raise ValueError("need at least one kept and one skipped paper with a text to learn from")
    vocabulary, matrix = Vocabulary.fit([papers[i] for i in ids])
    linear = {READER: _fit(matrix, y, w, c)}
    index = {paper_id: row for row, paper_id in enumerate(ids)}
    for tag in labels.tag_models():
        tagged = [index[i] for i in labels.tags[tag] if i in index]
        if len(tagged) < MIN_TAG_PAPERS or len(tagged) == len(ids):
            continue
        y_tag = np.zeros(len(ids), dtype=np.int8)
        y_tag[tagged] = 1
        linear[tag] = _fit(matrix, y_tag, np.ones(len(ids)), c)
    kept_rows = [row for row, paper_id in enumerate(ids) if y[row] == 1 and w[row] >= 1.0]
    return Model(
        vocabulary=vocabulary,
        linear=linear,
        kept_ids=[ids[r] for r in kept_rows],
        kept_titles=[papers[ids[r]].title for r in kept_rows],
        kept_vectors=matrix[kept_rows],
        fingerprint=labels.fingerprint,
        trained_at=now_iso(),
        decided=labels.decided,
        keeps=labels.keeps,
        seconds=time.perf_counter() - started,
    )


def _fit(matrix, y, w, c: float) -> Linear:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    w = np.asarray(w, dtype=np.float64).copy()
    positive = y == 1
    total = w.sum()
    for mask in (positive, ~positive):
        share = w[mask].sum()
        if share:
            w[mask] *= total / (2.0 * share)
    if SOLVER == "sgd":
        from sklearn.linear_model import SGDClassifier

        model = SGDClassifier(loss="log_loss", alpha=1.0 / (c * len(y)), max_iter=20, tol=None, random_state=0)
    else:
        model = LogisticRegression(C=c, solver="liblinear", tol=TOLERANCE, max_iter=200)
    model.fit(matrix, y, sample_weight=w)
    coef = model.coef_.ravel().astype(np.float32)
    return Linear(coef, float(model.intercept_[0]), int(positive.sum()), int((~positive).sum()))
