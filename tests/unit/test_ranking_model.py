"""The learned ranking (tui_reader.core.ranking) on small made-up libraries:
labels from the store, a model that ranks held-out on-topic papers above
off-topic ones, reasons, undo, the model file and cold start."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ranking_data import make_papers, topic_of
from tui_reader.core import ranking
from tui_reader.core.discovery.rules import parse_rule
from tui_reader.core.ranking import storage
from tui_reader.core.ranking.labels import gather
from tui_reader.core.state import StateError, StateStore


@pytest.fixture
def store(tmp_path: Path):
    with StateStore.open(tmp_path / "state.sqlite3") as opened:
        yield opened


def triage(store: StateStore, papers, liked: str = "diffusion") -> None:
    store.record_decisions([(p.id, "keep" if topic_of(p) == liked else "skip", None, None) for p in papers])


def library_of(*groups):
    return {p.id: p for group in groups for p in group}


def test_a_learned_model_ranks_held_out_on_topic_papers_first(store, tmp_path):
    seen = make_papers(100, seed=1)
    held_out = make_papers(50, seed=2, start=500)
    triage(store, seen)
    model, status, trained = ranking.ensure_model(store, library_of(seen, held_out), tmp_path / "cache")
    assert model is not None and trained, status
    ranked = model.rank(held_out)
    on_topic = sum(topic_of(p) == "diffusion" for p in held_out)
    assert all(topic_of(p) == "diffusion" for p, _ in ranked[:on_topic])
    assert all(0.0 <= s <= 1.0 for _, s in ranked)
    assert ranked[0][1] > 0.5 > ranked[-1][1]
    scores = model.score_map(held_out)
    assert set(scores) == {p.id for p in held_out}


def test_why_like_and_explain_name_the_topic(store, tmp_path):
    seen = make_papers(100, seed=1)
    paper = make_papers(5, seed=3, start=900)[0]  # a diffusion paper (topics cycle)
    assert topic_of(paper) == "diffusion"
    triage(store, seen)
    model, _status, _trained = ranking.ensure_model(store, library_of(seen, [paper]), None)
    why = model.why(paper, n=5)
    assert why and len(why) <= 5
    assert {w.casefold() for w in why} & {"diffusion", "denoising", "score", "generative", "sampler", "扩散",
                                             "image", "synthesis", "生成"}
    like = model.like(paper, library_of(seen), n=3)
    assert len(like) == 3 and all(topic_of(p) == "diffusion" for p in like)
    explained = model.explain(paper)
    assert explained.score == pytest.approx(model.score_map([paper])[paper.id], abs=1e-4)
    assert explained.margin == pytest.approx(explained.intercept + sum(t.contribution for t in explained.terms))


def test_labels_come_from_decisions_bookmarks_later_and_read_marks(store):
    papers = make_papers(8)
    store.add_bookmark(papers[0])
    store.record_decision(papers[1].id, "skip")
    store.record_decision(papers[2].id, "later")
    store.record_decision(papers[3].id, "keep", tag="gen")
    store.queue_add(papers[4].id)
    store.mark_read([papers[5].id, papers[1].id])
    store.record_decision(papers[0].id, "skip")  # a bookmark is the stronger sign
    labels = gather(store)
    assert labels.targets[papers[0].id] == (1, 1.0)
    assert labels.targets[papers[1].id] == (0, 1.0)  # skipped, though read
    assert labels.targets[papers[2].id] == (1, 0.5)
    assert labels.targets[papers[4].id] == (1, 0.5)
    assert labels.targets[papers[5].id] == (1, 0.25)
    assert labels.tags == {"gen": {papers[3].id}}
    assert (labels.decided, labels.keeps, labels.negatives) == (5, 2, 1)


def test_undo_takes_a_decision_out_of_the_training_set(store, tmp_path):
    seen = make_papers(60, seed=4)
    triage(store, seen)
    cache = tmp_path / "cache"
    mistake = seen[1]  # a graphs paper
    token = store.record_decision(mistake.id, "keep")  # kept by mistake: the latest decision wins
    assert gather(store).targets[mistake.id] == (1, 1.0)
    with_mistake, _status, trained = ranking.ensure_model(store, library_of(seen), cache)
    assert trained and ranking.stale_reason(store, cache) is None
    assert store.remove_decision(token)
    assert not store.remove_decision(token)
    assert all(row.token != token for row in store.decisions())
    assert gather(store).targets[mistake.id] == (0, 1.0)
    assert store.decisions_fingerprint() != with_mistake.fingerprint
    assert ranking.stale_reason(store, cache) == "the decisions changed since the model was trained"
    retrained, status, trained = ranking.ensure_model(store, library_of(seen), cache)
    assert trained and "changed" in status and retrained.fingerprint == store.decisions_fingerprint()
    assert retrained.score_map([mistake])[mistake.id] < with_mistake.score_map([mistake])[mistake.id]
    again, _status, trained_again = ranking.ensure_model(store, library_of(seen), cache)
    assert not trained_again and again.fingerprint == retrained.fingerprint  # loaded, not trained
    store.record_decision(mistake.id, "keep")
    assert store.undo() is not None  # store.undo() takes a decision back as well
    assert store.decisions_fingerprint() == retrained.fingerprint


def test_an_unknown_decision_is_refused(store):
    with pytest.raises(StateError):
        store.record_decision("2601.00001", "love")
    with pytest.raises(StateError):
        store.record_decision("2601.00001", "tag")  # a tag decision names its tag
    assert list(store.decisions()) == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign-zip", "empty"])
def test_a_damaged_or_foreign_model_file_is_rebuilt_with_a_reason(store, tmp_path, damage):
    seen = make_papers(60, seed=5)
    triage(store, seen)
    cache = tmp_path / "cache"
    ranking.ensure_model(store, library_of(seen), cache)
    path = storage.model_path(cache)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00not a model" * 50)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("meta.npy", b"hello")
    model, reason = storage.load(path)
    assert model is None and reason
    rebuilt, status, trained = ranking.ensure_model(store, library_of(seen), cache)
    assert rebuilt is not None and trained
    assert ("damaged" in status or "not a tui-reader model" in status), status
    assert storage.load(path)[0] is not None


def test_a_model_of_another_format_version_is_not_read(store, tmp_path, monkeypatch):
    seen = make_papers(60, seed=5)
    triage(store, seen)
    cache = tmp_path / "cache"
    ranking.ensure_model(store, library_of(seen), cache)
    monkeypatch.setattr(storage, "FORMAT_VERSION", storage.FORMAT_VERSION + 1)
    model, reason = storage.load(storage.model_path(cache))
    assert model is None and "format" in reason
    assert "format" in ranking.stale_reason(store, cache)


def test_cold_start_ranks_by_interests_and_bookmarks_and_says_so(store):
    papers = make_papers(30, seed=6)
    for p in papers[:6]:
        store.record_decision(p.id, "skip")
    model, status, trained = ranking.ensure_model(store, library_of(papers), None)
    assert model is None and not trained
    assert status == "learning: 6 decisions, 14 more to go"
    store.add_rule(parse_rule("interest", "qubit"))
    cold = ranking.cold_start(store, papers, library_of(papers))
    best = cold.rank(papers)[0][0]
    assert topic_of(best) == "quantum" and "qubit" in cold.reasons[best.id]


def test_a_tag_with_five_papers_gets_its_own_model(store, tmp_path):
    seen = make_papers(100, seed=7)
    triage(store, seen)
    speech = [p for p in seen if topic_of(p) == "speech"][:6]
    for p in speech:
        store.record_decision(p.id, "keep", tag="audio")
    model, _status, _trained = ranking.ensure_model(store, library_of(seen), tmp_path)
    assert model.tags == ["audio"]
    held_out = make_papers(20, seed=8, start=700)
    best = model.rank(held_out, tag="audio")[0][0]
    assert topic_of(best) == "speech"
    with pytest.raises(KeyError):
        model.rank(held_out, tag="nope")


def test_ranked_triage_keeps_to_the_threshold_and_the_budget():
    papers = make_papers(10)
    scores = {p.id: (10 - i) / 10 for i, p in enumerate(papers)}  # 1.0, 0.9 ... 0.1
    chosen, unseen = ranking.ranked_triage(papers, scores, threshold=0.45, budget_minutes=1, pace_seconds=20)
    assert [p.id for p in chosen] == [p.id for p in papers[:3]]
    assert (unseen.below_threshold, unseen.over_budget, unseen.first_rank, unseen.last_rank) == (4, 3, 4, 6)
    assert unseen.text().startswith("7 not seen: 4 below 0.45, 3 past the 1 min budget (ranked 4–6)")
    everything, none_left = ranking.ranked_triage(list(reversed(papers)), scores)
    assert everything[0].id == papers[0].id and none_left.text() == "all 10 papers seen"


def test_a_read_only_store_refuses_decisions_but_reads_them(tmp_path):
    import sqlite3

    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as writable:
        writable.record_decision("2601.00001", "keep")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")  # a newer tui-reader's store: read-only
    conn.close()
    with StateStore.open(path) as store:
        assert store.read_only
        assert [(r.id, r.kind) for r in store.decisions()] == [("2601.00001", "keep")]
        with pytest.raises(StateError):
            store.record_decision("2601.00002", "skip")


def test_the_fingerprint_follows_every_table_the_labels_come_from(store):
    paper = make_papers(1)[0]
    seen = {store.decisions_fingerprint()}
    for change in (lambda: store.add_bookmark(paper), lambda: store.set_tags(paper, ["ml"]),
                   lambda: store.set_tags(paper, ["cv"]), lambda: store.mark_read([paper.id]),
                   lambda: store.queue_add("2601.00099"), lambda: store.record_decision(paper.id, "skip")):
        change()
        fingerprint = store.decisions_fingerprint()
        assert fingerprint not in seen
        seen.add(fingerprint)
