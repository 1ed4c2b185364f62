"""The category tree: the library by day and by category, with counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui_reader.core.text import clean
from tui_reader.core.views import NodeSpec


def node_label(spec: NodeSpec) -> Text:
    label = Text(clean(spec.label))
    label.append(f" {spec.count}" if spec.count is not None else " …", style="dim")
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
        self._by_key: dict[str, TreeNode[str]] = {}

    def load(self, specs: list[NodeSpec], select: str | None = None) -> None:
        """Rebuild the tree, keeping which nodes were expanded."""
        expanded = {key for key, node in self._by_key.items() if node.is_expanded}
        self.clear()
        self._by_key = {}
        self._add(self.root, specs, expanded)
        self.root.expand()
        if select and select in self._by_key:
            self.select_key(select)

    def _add(self, parent: TreeNode[str], specs: list[NodeSpec], expanded: set[str]) -> None:
        for spec in specs:
            if spec.children:
                node = parent.add(node_label(spec), data=spec.key, expand=spec.expanded or spec.key in expanded)
                self._add(node, spec.children, expanded)
            else:
                node = parent.add_leaf(node_label(spec), data=spec.key)
            self._by_key[spec.key] = node

    def update_counts(self, specs: list[NodeSpec]) -> bool:
        """Refresh labels in place; False when the shape changed (rebuild)."""
        flat: dict[str, NodeSpec] = {}
        stack = list(specs)
        while stack:
            spec = stack.pop()
            flat[spec.key] = spec
            stack.extend(spec.children)
        if set(flat) != set(self._by_key):
            return False
        for key, spec in flat.items():
            self._by_key[key].set_label(node_label(spec))
        return True

    def select_key(self, key: str) -> None:
        node = self._by_key.get(key)
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
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
        if node is not None and node.children:
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
