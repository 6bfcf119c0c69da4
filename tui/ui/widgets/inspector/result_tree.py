"""The decoded result as a tree: summary on top, then levels, rules, messages and the raw text.

Labels are built from plain strings at render time (never parsed as markup), styled by tone
with theme colours, so a hostile SIP header shows literally and a theme change recolours it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.core.errors.result import Decoded, Inspection, Item
from tui.core.sanitize import clean_line, json_text
from tui.ui.messages import CopyRequested

MAX_RAW_LINES = 300
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

    def process_label(self, label: str | Text) -> Text:
        """Never markup: a remote string shows exactly as it came."""
        text = label if isinstance(label, Text) else Text(label)
        return text.split()[0] if text.plain else text

    def render_label(self, node: TreeNode[Item], base_style: Style, style: Style) -> Text:
        item = node.data
        if item is None:
            return super().render_label(node, base_style, style)
        text = self._styled(item, root=node.is_root)
        text.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style), text)
        return text

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
