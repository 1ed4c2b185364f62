"""Issue 30.2: "picked by NAME": the tree's Picked by the team node, one
child per teammate, and their lists (and the picked:NAME search filter),
from the followed shares' picks.json.  No Textual."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.test_listing import ids, make_view
from tui_reader.core.listing import ListState, Sources, empty_text, listing, node_label
from tui_reader.core.picks import Pick, PickedFilter, Picks, collect_picks


def share(folder: Path, name: str, paper_ids: list[str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "picks.json").write_text(json.dumps({"format": "tui-reader-picks", "version": 1, "name": name,
                                                   "papers": [{"id": i, "tags": ["team"]} for i in paper_ids]}))
    return folder


def test_picked_nodes_and_lists(tmp_path: Path) -> None:
    picks = collect_picks([share(tmp_path / "ada", "Ada", ["a", "d", "zz"]), share(tmp_path / "bob", "Bob", ["d"]),
                           tmp_path / "plain-fork"])
    assert picks.names() == ["Ada", "Bob"] and picks.pickers("d") == ["Ada", "Bob"]
    view = make_view()
    tree = view.tree(picked=picks.counts(set(view.by_id)))
    [team] = [n for n in tree if n.key == "picked"]
    assert [(c.key, c.label, c.count) for c in team.children] == [("picked:Ada", "picked by Ada", 2),
                                                                  ("picked:Bob", "picked by Bob", 1)]
    src = Sources(view, picked=picks.by_name())
    assert ids(listing(ListState(node="picked:Ada"), src)) == ["d", "a"]  # newest first, what the library holds
    assert ids(listing(ListState(node="picked"), src)) == ["d", "a"]
    assert node_label("picked:Ada") == "picked by Ada" and node_label("picked") == "Picked by the team"
    assert "follow" in empty_text("picked:Nobody", src)
    assert view.tree() == view.tree(picked=[])  # no shares followed: no node


class FakeStore:
    def bookmarked_ids(self) -> set[str]:
        return {"a"}


def test_the_search_filter_picked_name() -> None:
    picks = Picks({"a": [Pick("Ada")], "d": [Pick("Ada"), Pick("Bob")]})
    state = PickedFilter(FakeStore(), picks)
    assert state.picked_ids("ada") == {"a", "d"} and state.picked_ids("Bob") == {"d"}
    assert state.bookmarked_ids() == {"a"}  # the rest is the store's
