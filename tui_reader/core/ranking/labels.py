"""The training labels, read from the state store: what the reader decided
(the ``decisions`` table), bookmarked (and tagged), put in Later and read.

One label per paper, the strongest evidence first:

* bookmarked -> positive, weight 1.0 (a keep is a bookmark);
* else its latest decision: keep 1.0, later 0.5 (weak) positive; skip and
  mute 1.0 negative; a ``tag`` decision counts as a keep;
* else in the Later queue -> positive 0.5;
* else marked read -> positive 0.25 (weak: opening a paper is a mild sign;
  the latest :data:`MAX_READS` only).

A tag's positives are its bookmarks and the decisions that name it; its
negatives are every other labelled paper.  No numpy here."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui_reader.core.state.decisions import KEEP, LATER, MUTE, READ, SKIP, TAG

MIN_DECISIONS = 20  # below this many labelled papers: cold start
MIN_KEEPS = 5  # ... or this many positives
MIN_NEGATIVES = 1
MIN_TAG_PAPERS = 5  # a tag gets its own model from this many papers
# Read marks are weak positives; only the latest this many (or twice the
# explicit labels) count, so 25,000 opened papers do not make training
# tokenise 25,000 papers.
MAX_READS = 2000

WEIGHTS = {KEEP: 1.0, TAG: 1.0, LATER: 0.5, READ: 0.25, SKIP: 1.0, MUTE: 1.0}
POSITIVE = {KEEP, TAG, LATER, READ}


@dataclass
class Labels:
    targets: dict[str, tuple[int, float]] = field(default_factory=dict)  # id -> (1 | 0, weight)
    tags: dict[str, set[str]] = field(default_factory=dict)  # tag -> positive ids
    decided: int = 0  # papers with an explicit label (a decision, a bookmark, Later)
    keeps: int = 0  # of those, kept (bookmark, keep, tag)
    negatives: int = 0  # skipped or muted
    fingerprint: str = ""

    def ready(self) -> bool:
        return self.decided >= MIN_DECISIONS and self.keeps >= MIN_KEEPS and self.negatives >= MIN_NEGATIVES

    def status(self) -> str:
        """``learning: 12 decisions, 8 more to go`` (cold start), or what the
        model learns from."""
        if self.decided < MIN_DECISIONS:
            return f"learning: {self.decided} decisions, {MIN_DECISIONS - self.decided} more to go"
        if self.keeps < MIN_KEEPS:
            left = MIN_KEEPS - self.keeps
            return f"learning: {self.decided} decisions, {self.keeps} kept: keep {left} more"
        if self.negatives < MIN_NEGATIVES:
            return f"learning: {self.decided} decisions, none skipped yet"
        return f"{self.decided} decisions, {self.keeps} kept"

    def tag_models(self) -> list[str]:
        return sorted(t for t, ids in self.tags.items() if len(ids) >= MIN_TAG_PAPERS)


def gather(store) -> Labels:
    """The labels of every paper the store knows about."""
    labels = Labels(fingerprint=store.decisions_fingerprint())
    latest: dict[str, str] = {}
    for row in store.decisions():
        latest[row.id] = row.kind
        if row.tag and row.kind in (KEEP, TAG, LATER):
            labels.tags.setdefault(row.tag, set()).add(row.id)
    bookmarked = store.bookmarked_ids()
    for tag in store.tags():
        labels.tags.setdefault(tag, set()).update(store.tagged_ids(tag))
    queue = set(store.queue_ids())
    targets = labels.targets
    for paper_id in bookmarked:
        targets[paper_id] = (1, WEIGHTS[KEEP])
    for paper_id, kind in latest.items():
        if paper_id not in targets and kind in WEIGHTS:
            targets[paper_id] = (1 if kind in POSITIVE else 0, WEIGHTS[kind])
    for paper_id in queue:
        targets.setdefault(paper_id, (1, WEIGHTS[LATER]))
    explicit = bookmarked | latest.keys() | queue
    kept = bookmarked | {i for i, k in latest.items() if k in (KEEP, TAG)}
    labels.decided = len(explicit)
    labels.keeps = len(kept)
    labels.negatives = sum(1 for i in explicit if targets.get(i, (1, 0))[0] == 0)
    for paper_id in store.recent_reads(max(MAX_READS, 2 * len(explicit))):
        targets.setdefault(paper_id, (1, WEIGHTS[READ]))
    return labels
