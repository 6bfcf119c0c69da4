"""The decoded result as a tree: summary on top, then levels, rules, messages and the raw text.

Labels are built from plain strings at render time (never parsed as markup), styled by tone
with theme colours, so a hostile SIP header shows literally and a theme change recolours it.

A line longer than the tree is wide wraps: its words go on continuation lines below it, indented
under its text. Textual's tree draws one line per node, so each continuation is a node of its
own carrying the item it continues (copying it, or reading it on the detail line, gives the
whole line). The tree wraps again when its width changes; a folded branch wraps when it opens.
The raw lines are left as they are: the paste box above shows that text soft-wrapped.
"""

from __future__ import annotations

from typing import ClassVar, Self

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import NodeID, TreeNode

from tui.core.errors.result import Decoded, Inspection, Item
from tui.core.sanitize import clean_line, json_text
from tui.ui.messages import CopyRequested

MAX_RAW_LINES = 300
MIN_WRAP = 16  # narrower than this a continuation says little: the line scrolls instead
KIND_TITLES = {
    "icws": "ICWS",
    "sbc": "SBC",
    "cue": "CUE",
    "mws": "MWS",
    "sip": "SIP",
    "wcs": "WCS",
    "http": "HTTP",
    "enum": "ENUM",
    "flags": "FLAGS",
    "q850": "Q.850",
}
TONES = ("good", "info", "warn", "bad", "muted", "code")


def wrap_spans(text: str, first: int, rest: int) -> list[tuple[int, int]]:
    """Where ``text`` breaks into lines of at most ``first`` cells, then ``rest`` cells: (start,
    end) offsets, breaking after a space where it can and inside a word where it must."""
    spans: list[tuple[int, int]] = []
    start, size = 0, len(text)
    width = max(1, first)
    narrow = text.isascii() or cell_len(text) == size  # one cell per character: no measuring
    while (size - start if narrow else cell_len(text[start:])) > width:
        if narrow:
            end = start + width
        else:
            end, used = start, 0
            while end < size and used + cell_len(text[end]) <= width:
                used += cell_len(text[end])
                end += 1
        space = text.rfind(" ", start + 1, end + 1)
        cut = space + 1 if space > start else max(end, start + 1)
        spans.append((start, cut))
        start, width = cut, max(1, rest)
    spans.append((start, size))
    return spans


def item_text(item: Item) -> str:
    """The plain line for one item (what is copied, what the detail line shows)."""
    if item.label == "•":
        return f"• {item.value}"
    return f"{item.label}: {item.value}" if item.value else item.label


class ResultTree(Tree[Item]):
    """One inspection, as a tree the operator can fold and copy from."""

    DEFAULT_CSS = """
    ResultTree { background: $surface; padding: 0 1; scrollbar-size-horizontal: 0; }
    ResultTree > .result-tree--good { color: $success; }
    ResultTree > .result-tree--info { color: $accent; }
    ResultTree > .result-tree--warn { color: $warning; }
    ResultTree > .result-tree--bad { color: $error; }
    ResultTree > .result-tree--muted { color: $foreground-muted; }
    ResultTree > .result-tree--code { color: $secondary; }
    ResultTree > .result-tree--label { color: $foreground-muted; }
    ResultTree > .result-tree--kind { color: $background; background: $primary; text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | {
        *(f"result-tree--{tone}" for tone in TONES),
        "result-tree--label",
        "result-tree--kind",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy_line", "Copy line", show=False, id="inspector.tree.copy_line"),
        Binding(
            "Y",
            "copy_json",
            "Copy JSON",
            key_display="Y",
            show=False,
            id="inspector.tree.copy_json",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.show_root = True
        self.guide_depth = 3
        self.inspection: Inspection | None = None
        # wrapped lines: node id -> the (start, end) of its item's text the node shows
        self._spans: dict[NodeID, tuple[int, int]] = {}
        self._continuations: dict[NodeID, list[TreeNode[Item]]] = {}  # by the node continued
        self._owners: list[TreeNode[Item]] = []
        self._unwrapped: set[NodeID] = set()  # folded branches whose lines wait to be wrapped
        self._raw_id: NodeID | None = None
        self._wrapped_at = 0

    def process_label(self, label: str | Text) -> Text:
        """Never markup: a remote string shows exactly as it came."""
        text = label if isinstance(label, Text) else Text(label)
        return text.split()[0] if text.plain else text

    def render_label(self, node: TreeNode[Item], base_style: Style, style: Style) -> Text:
        item = node.data
        if item is None:
            return super().render_label(node, base_style, style)
        continued = self._continued(node)
        text = self._styled(item, root=(continued or node).is_root)
        span = self._spans.get(node.id)
        if span is not None:
            text = text[span[0] : span[1]]
            text.rstrip()
        text.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style), text)
        return text

    def _continued(self, node: TreeNode[Item]) -> TreeNode[Item] | None:
        """The node a continuation line continues; None for any other node."""
        if node.id in self._spans and node.id not in self._continuations:
            return node.parent
        return None

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        lines = self._tree_lines
        node = lines[y].node if 0 <= y < len(lines) else None
        if node is None or self._continued(node) is None:
            return super()._render_line(y, x1, x2, base_style)
        # a continuation: the guides of the line it continues, no branch of its own
        self.LINES = {name: (*ch[:2], "   ", "   ") for name, ch in Tree.LINES.items()}
        try:
            return super()._render_line(y, x1, x2, base_style)
        finally:
            del self.LINES

    # -- wrapping ----------------------------------------------------------------------------

    def rewrap(self) -> None:
        """Wrap every line longer than the tree is wide (again after a resize)."""
        width = self._room()
        if width <= 0:
            return
        self._wrapped_at = width
        cursor = self.cursor_node
        for owner in self._owners:
            for extra in self._continuations[owner.id]:
                if cursor is extra:
                    cursor = owner
                extra.remove()
            if owner.data is not None:
                owner.set_label(self._styled(owner.data, root=owner.is_root).plain)
        self._forget()
        self._wrap(self.root, 0, width)
        if cursor is not None and cursor is not self.cursor_node:
            self.move_cursor(cursor)

    def _wrap(self, node: TreeNode[Item], depth: int, width: int) -> None:
        children = list(node.children)
        item = node.data
        if item is not None:
            plain = self._styled(item, root=node.is_root).plain
            first = width - depth * self.guide_depth - (2 if node.allow_expand else 0)
            rest = width - (depth + 1) * self.guide_depth
            if cell_len(plain) > first and rest >= MIN_WRAP:
                spans = wrap_spans(plain, first, rest)
                self._spans[node.id] = spans[0]
                node.set_label(plain[slice(*spans[0])].rstrip())
                added = []
                for index, span in enumerate(spans[1:]):
                    extra = node.add_leaf(plain[slice(*span)].rstrip(), data=item, before=index)
                    self._spans[extra.id] = span
                    added.append(extra)
                self._continuations[node.id] = added
                self._owners.append(node)
                if not node.allow_expand:
                    node.expand()  # a leaf shows its continuations, with no toggle
        if node.id == self._raw_id:
            return  # the text as pasted: the box above shows it soft-wrapped already
        if not node.is_expanded and children:
            self._unwrapped.add(node.id)  # a folded branch wraps when it opens
            return
        for child in children:
            self._wrap(child, depth + 1, width)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Item]) -> None:
        node = event.node
        if node.id not in self._unwrapped:
            return
        self._unwrapped.discard(node.id)
        depth = 0
        parent = node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        for child in list(node.children):
            if child.id not in self._spans:
                self._wrap(child, depth + 1, self._wrapped_at)

    def _forget(self) -> None:
        self._spans.clear()
        self._continuations.clear()
        self._owners.clear()
        self._unwrapped.clear()

    def clear(self) -> Self:
        self._forget()
        self._raw_id = None  # node ids start again after a clear
        return super().clear()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._rewrap_if_moved)

    def _rewrap_if_moved(self) -> None:
        if self._room() != self._wrapped_at:
            self.rewrap()

    def _room(self) -> int:
        """The cells a line may use: wrapping makes the tree taller, so the vertical scrollbar
        is counted as there even before it shows."""
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical
        return width

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"result-tree--{name}", partial=True)

    def _styled(self, item: Item, *, root: bool = False) -> Text:
        tone = self._style(item.tone) if item.tone in TONES else Style()
        if root:  # a kind badge, then the summary
            return Text.assemble((f" {item.label} ", self._style("kind")), " ", (item.value, tone))
        if item.label == "•":
            return Text.assemble(("• ", self._style("label")), (item.value, tone))
        if not item.value:
            return Text(item.label, style=tone)
        return Text.assemble((f"{item.label}: ", self._style("label")), (item.value, tone))

    # -- building ----------------------------------------------------------------------------

    def show(self, inspection: Inspection) -> None:
        self.inspection = inspection
        self.clear()
        root = self.root
        if not inspection.recognised:
            root.data = Item("?", f"not recognised: {inspection.problem}", tone="warn")
            root.set_label(item_text(root.data))
        elif inspection.ambiguous:
            top = inspection.readings[0].confidence
            count = sum(1 for r in inspection.readings if r.confidence == top)
            root.data = Item("?", f"ambiguous — {count} possible readings", tone="warn")
            root.set_label(item_text(root.data))
            for index, reading in enumerate(inspection.readings):
                self._add_reading(root, reading, expand=index == 0)
        else:
            best = inspection.readings[0]
            kind = KIND_TITLES.get(best.kind, best.kind)
            root.data = Item(kind, best.summary, tone=best.tone)
            root.set_label(item_text(root.data))
            self._add_items(root, best.items)
            if len(inspection.readings) > 1:
                others = root.add(
                    "less likely readings",
                    data=Item("less likely readings", tone="muted"),
                    expand=False,
                )
                for reading in inspection.readings[1:]:
                    self._add_reading(others, reading, expand=False)
        self._add_raw(root, inspection.text)
        root.expand()
        self.move_cursor(root)
        self.rewrap()

    def _add_reading(self, parent: TreeNode[Item], reading: Decoded, *, expand: bool) -> None:
        kind = KIND_TITLES.get(reading.kind, reading.kind)
        node = parent.add(
            reading.summary,
            data=Item(f"reading {kind}", reading.summary, tone=reading.tone),
            expand=expand,
        )
        self._add_items(node, reading.items)

    def _add_items(self, parent: TreeNode[Item], items: tuple[Item, ...]) -> None:
        for item in items:
            if item.children:
                node = parent.add(item_text(item), data=item, expand=item.expanded)
                self._add_items(node, item.children)
            else:
                parent.add_leaf(item_text(item), data=item)

    def _add_raw(self, root: TreeNode[Item], text: str) -> None:
        lines = text.split("\n")
        raw = root.add(
            f"raw ({len(lines)} lines)",
            data=Item("raw", f"{len(lines)} line(s), {len(text):,} characters", tone="muted"),
            expand=False,
        )
        self._raw_id = raw.id
        for line in lines[:MAX_RAW_LINES]:
            shown = clean_line(line, 500, say_cut=True) or " "
            raw.add_leaf(shown, data=Item(shown, tone="code"))
        if len(lines) > MAX_RAW_LINES:
            more = f"… {len(lines) - MAX_RAW_LINES:,} more lines"
            raw.add_leaf(more, data=Item(more, tone="muted"))

    # -- copying -----------------------------------------------------------------------------

    def action_copy_line(self) -> None:
        node = self.cursor_node
        if node is None or node.data is None:
            return
        item = node.data
        text = f"{item.label} {item.value}" if node.is_root else item_text(item)
        self.post_message(CopyRequested(text, "the line"))

    def action_copy_json(self) -> None:
        if self.inspection is None:
            return
        self.post_message(CopyRequested(json_text(self.inspection.to_json()), "the decoded result"))
