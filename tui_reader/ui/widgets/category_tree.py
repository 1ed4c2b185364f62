"""The category tree: the library by day and by category, with counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui_reader.core.text import clean
from tui_reader.core.views import NodeSpec

COUNTS_AT = 21  # the column where counts end (the tree's width less its border and scrollbar)


def node_label(spec: NodeSpec, unread: int | None = None, depth: int = 0, width: int = COUNTS_AT) -> Text:
    """The name, then its counts set apart and right-aligned at ``width``:
    ``2026-06-30     412/532`` (unread / total) where unread is known."""
    if spec.count is None:
        counts = "…"
    elif unread is not None:
        counts = f"{unread}/{spec.count}"
    else:
        counts = str(spec.count)
    name = clean(spec.label)
    room = width - 2 * depth - (2 if spec.children else 0)  # the guides and the expand arrow before the name
    pad = room - cell_len(name) - len(counts)
    if pad < 1 and spec.short:
        name = clean(spec.short)
        pad = room - cell_len(name) - len(counts)
    if pad < 1:
        keep = max(1, room - len(counts) - 2)
        name = set_cell_size(name, keep) + "…" if cell_len(name) > keep else name
        pad = 1
    label = Text(name)
    label.append(" " * pad + counts, style="dim")
    return label


class CategoryTree(Tree[str]):
    """Moving through the tree shows each node's papers; enter also moves
    to the list."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
        Binding("g", "scroll_home", "Top", show=False, id="tree.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="tree.bottom"),
        Binding("h", "collapse", "Collapse", show=False, id="tree.collapse"),
        Binding("right", "expand", "Expand", show=False, id="tree.expand"),
    ]

    @dataclass
    class Chosen(Message):
        """A node was highlighted (``open`` False) or selected (``open`` True)."""

        tree: CategoryTree
        key: str
        open: bool

        @property
        def control(self) -> CategoryTree:
            return self.tree

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Library"), id=id)
        self.show_root = False
        self.guide_depth = 2
        self._by_key: dict[str, TreeNode[str]] = {}  # nodes built so far
        self._spec_of: dict[str, NodeSpec] = {}  # every node, built or not
        self._parent_of: dict[str, str | None] = {}
        self._unbuilt: set[str] = set()  # built nodes whose children are not yet
        self.unread: dict[str, int] = {}  # node key -> unread papers, where counted

    def _label(self, spec: NodeSpec) -> Text:
        depth = 0
        parent = self._parent_of.get(spec.key)
        while parent is not None:
            depth += 1
            parent = self._parent_of.get(parent)
        width = self.size.width - 3 if self.size.width > 10 else COUNTS_AT
        return node_label(spec, self.unread.get(spec.key), depth, width)

    # A year of digests is thousands of day/category nodes, and Textual
    # refreshes the tree once per node added: children are built when their
    # parent is first expanded, not at start.

    def load(self, specs: list[NodeSpec], select: str | None = None) -> None:
        """Rebuild the tree, keeping which nodes were expanded."""
        expanded = {key for key, node in self._by_key.items() if node.is_expanded}
        self.clear()
        self._by_key = {}
        self._unbuilt = set()
        self._index(specs)
        self._add(self.root, specs, expanded)
        self.root.expand()
        if select and select in self._spec_of:
            self.select_key(select)

    def _index(self, specs: list[NodeSpec]) -> None:
        self._spec_of = {}
        self._parent_of = {}
        stack: list[tuple[NodeSpec, str | None]] = [(spec, None) for spec in specs]
        while stack:
            spec, parent = stack.pop()
            self._spec_of[spec.key] = spec
            self._parent_of[spec.key] = parent
            stack.extend((child, spec.key) for child in spec.children)

    def _add(self, parent: TreeNode[str], specs: list[NodeSpec], expanded: set[str]) -> None:
        for spec in specs:
            if spec.children:
                opened = spec.expanded or spec.key in expanded
                node = parent.add(self._label(spec), data=spec.key, expand=opened, allow_expand=True)
                self._by_key[spec.key] = node
                if opened:
                    self._add(node, spec.children, expanded)
                else:
                    self._unbuilt.add(spec.key)
            else:
                self._by_key[spec.key] = parent.add_leaf(self._label(spec), data=spec.key)

    def _build_children(self, key: str) -> None:
        if key in self._unbuilt:
            self._unbuilt.discard(key)
            self._add(self._by_key[key], self._spec_of[key].children, set())

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        event.stop()
        if event.node.data:
            self._build_children(event.node.data)

    def label_of(self, key: str) -> str:
        """The label of a node, built or not, spaces squeezed (``"Unread 3"``,
        ``"2026-06-19 12/243"``)."""
        return " ".join(self._label(self._spec_of[key]).plain.split())

    def set_unread(self, counts: dict[str, int]) -> None:
        """New unread counts: relabel the built nodes whose count changed."""
        old = self.unread
        self.unread = dict(counts)
        for key, node in self._by_key.items():
            if old.get(key) != counts.get(key) and key in self._spec_of:
                node.set_label(self._label(self._spec_of[key]))

    def has_key(self, key: str) -> bool:
        return key in self._spec_of

    def update_counts(self, specs: list[NodeSpec]) -> bool:
        """Refresh labels in place; False when the shape changed (rebuild)."""
        old = self._spec_of
        self._index(specs)
        if self._spec_of.keys() != old.keys():
            self._spec_of = old
            return False
        spec_of = self._spec_of
        for key, node in self._by_key.items():
            was, now = old[key], spec_of[key]
            if was is not now and (was.count != now.count or was.label != now.label):
                node.set_label(self._label(now))
        return True

    def select_key(self, key: str) -> None:
        if key not in self._spec_of:
            return
        chain: list[str] = []
        parent = self._parent_of.get(key)
        while parent is not None:
            chain.append(parent)
            parent = self._parent_of.get(parent)
        for ancestor in reversed(chain):  # build and open from the top down
            self._build_children(ancestor)
            self._by_key[ancestor].expand()
        node = self._by_key[key]
        # Expanding parents rebuilds the tree's lines on the next refresh.
        self.call_after_refresh(self.move_cursor, node)

    @property
    def current_key(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        event.stop()
        # Only a reader moving through the tree changes the list; the cursor
        # moving because the app selected a node does not.
        if self.has_focus and event.node.data:
            self.post_message(self.Chosen(self, event.node.data, False))

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data:
            self.post_message(self.Chosen(self, event.node.data, True))
