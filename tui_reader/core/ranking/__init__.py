"""For you: each day ranked by a model learned offline from the reader's
own decisions, with reasons, a threshold and a reading budget.  No Textual;
scikit-learn is imported only by training (``train.py``), numpy and scipy
only by the functions that train or score, so importing this package costs
nothing on the reader's start path.

Labels (:mod:`.labels`): bookmarks and keeps are positives, Later a weak
positive, skips and mutes negatives, read marks a weak positive, a tag a
positive of that tag's model; they are read from the state store
(``store.record_decision`` and friends, see :mod:`tui_reader.core.state`).
Features (:mod:`.features`): TF-IDF of title (×3), abstract and the AI
summary in every language (tokenised as the search index does: stems, CJK
bigrams), English word bigrams and categories.  Model: a class-balanced
logistic regression, one for the reader, one per tag with ≥ 5 papers.

API for the UI (everything that trains or ranks: in a thread worker)::

    from tui_reader.core import ranking

    model, status, trained = ranking.ensure_model(store, library, cache_dir)
        # model None at cold start: status "learning: 12 decisions, 8 more to go";
        # trains (and saves atomically) when the file is missing, damaged, foreign
        # or the labels changed: trained True, status says why.  Never raises for a bad file.
    ranking.stale_reason(store, cache_dir) -> str | None   # cheap, no numpy: "retrain at start?"

    model.rank(papers, tag=None) -> list[tuple[Paper, float]]    # best first, scores 0..1
    model.score_map(papers, tag=None) -> dict[str, float]
    model.why(paper, n=5, tag=None) -> list[str]                 # ["diffusion", "image generation"]
    model.like(paper, library, n=3) -> list[Paper]               # kept papers most like it
    model.like_titles(paper, n=3) -> list[tuple[id, title, cosine]]   # also kept papers in no library
    model.explain(paper, tag=None) -> Explanation                # .score .margin .intercept .terms[Term]
    model.tags -> list[str]                                      # tags with their own model

    cold = ranking.cold_start(store, papers, library)            # ColdScores: .scores .reasons .rank(papers)

    chosen, unseen = ranking.ranked_triage(papers, scores, threshold=0.5,
                                           budget_minutes=20, pace_seconds=triage.pace())
    unseen.text()   # "12 not seen: 8 below 0.50, 4 past the 20 min budget (ranked 31–34); best unseen 0.48, ..."

When to train: after a triage session ends (the labels changed) and at
start when ``stale_reason`` is not None; both in a worker.  Cold start
below 20 labelled papers or 5 keeps (:data:`.labels.MIN_DECISIONS`,
:data:`.labels.MIN_KEEPS`).
"""

from __future__ import annotations

from tui_reader.core.ranking.budget import DEFAULT_PACE, Unseen, ranked_triage
from tui_reader.core.ranking.service import cold_start, ensure_model, stale_reason

__all__ = ["DEFAULT_PACE", "Unseen", "cold_start", "ensure_model", "ranked_triage", "stale_reason"]
