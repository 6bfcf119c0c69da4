"""The error inspector: paste an error, read it decoded; see which errors are happening."""

from __future__ import annotations

from datetime import UTC
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import OptionList, Static, TabbedContent, TabPane, TextArea, Tree

from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.examples import EXAMPLES
from tui.core.errors.result import Inspection, Item
from tui.ui.context import NocContext
from tui.ui.messages import ShowEventsRequested
from tui.ui.screens.base import NocScreen
from tui.ui.widgets.inspector.history import InspectorHistory
from tui.ui.widgets.inspector.result_tree import ResultTree, item_text
from tui.ui.widgets.inspector.seen import ErrorsSeen, SeenTable

LIVE_DECODE_DELAY_S = 0.3
WELCOME = Inspection(
    "",
    (),
    "paste an error anywhere here · e to type one · ctrl+o for an example",
)
ACCEPTS = (
    "ICWS errorId or error body     error.request.connection.authenticationFailure",
    "SBC app code with params       31003 3|2   or the <root><status>… XML",
    'CUE / MWS error bodies         <Error><Code>…   {"error":{"reason":…}}',
    "WCS info or event body         SIP 486 BUSY HERE   Failed by ICE timeout",
    "SIP message, HTTP response     SIP/2.0 503 …   HTTP/1.1 401 …",
    "enumeration values             licenseStatus 2   emailSignatureStatus 6",
)


class PasteBox(TextArea):
    """Where the error goes: typed or pasted, decoded as it changes."""

    DEFAULT_CSS = """
    PasteBox { height: 5; border: round $primary 50%; }
    PasteBox:focus { border: round $primary; }
    """


class InspectorScreen(NocScreen):
    """Decode an error and see which errors are happening."""

    SCREEN_KEY = "inspector"
    HELP = """\
## Inspector

Decodes ICWS `errorId` hierarchies (with your `[[errors.rules]]`), SBC app codes with their
params, CUE and MWS error bodies, WCS info texts and events, SIP messages, HTTP statuses per
system, and ICWS enumerations and bit flags. The kind is detected from what you paste; when
several readings fit, all are shown.

- **Paste** anywhere on this screen, or **e** to type; the result follows as you type.
- **ctrl+r** decodes and records it in the history; **ctrl+o** loads a real example.
- **F6 F7 F8**: the decoder, the history, the errors seen live (**enter** decodes a row,
  **j** jumps to its events, **x** resets the counts).
- In the tree: **y** copies a line, **Y** the whole result as JSON (OSC 52, and saved to
  `clipboard.txt` in the data folder).
"""

    DEFAULT_CSS = """
    InspectorScreen TabbedContent { height: 1fr; }
    InspectorScreen TabPane { padding: 0; }
    InspectorScreen #decode-pane { layout: vertical; }
    InspectorScreen.-tall PasteBox { height: 9; }
    InspectorScreen #inspector-tree { height: 1fr; }
    InspectorScreen #inspector-detail {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "decode", "Decode", id="inspector.decode"),
        Binding("ctrl+o", "example", "Example", id="inspector.example"),
        Binding("ctrl+l", "clear", "Clear", show=False, id="inspector.clear"),
        Binding("e", "edit", "Edit", show=False, id="inspector.edit", priority=True),
        Binding("escape", "leave_box", "Leave the box", show=False, id="inspector.leave_box"),
        Binding("f6", "tab('decode-pane')", "Decoder", show=False, id="inspector.tab.decode"),
        Binding("f7", "tab('history-pane')", "History", id="inspector.tab.history"),
        Binding("f8", "tab('seen-pane')", "Seen", id="inspector.tab.seen"),
    ]

    def __init__(self, context: NocContext) -> None:
        super().__init__(context)
        self.decoder: ErrorDecoder | None = None
        self._pending: list[tuple[str, str]] = []
        self._live_timer: Timer | None = None
        self._example = -1
        self._shown_text: str | None = None
        self._box_text_at_focus = ""

    # -- layout ------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        self.decoder = self._build_decoder()
        with TabbedContent(initial="decode-pane"):
            with TabPane("Decoder F6", id="decode-pane"):
                yield PasteBox(
                    id="inspector-input",
                    soft_wrap=True,
                    tab_behavior="focus",
                    show_line_numbers=False,
                    placeholder="Paste an error here (or anywhere on this screen)…",
                )
                yield ResultTree(id="inspector-tree")
                yield Static("", id="inspector-detail")
            with TabPane("History F7", id="history-pane"):
                yield InspectorHistory(id="inspector-history")
            with TabPane("Errors seen F8", id="seen-pane"):
                yield ErrorsSeen(
                    self.context.errors_seen,
                    self.decoder.context.catalogs,
                    utc=self.context.config.ui.clock_utc,
                    id="inspector-seen",
                )

    def _build_decoder(self) -> ErrorDecoder:
        return self.context.error_decoder

    def on_mount(self) -> None:
        assert self.decoder is not None
        for problem in self.decoder.context.catalogs.problems[:5]:
            self.notify(problem, title="Catalog entry skipped", severity="warning", timeout=10)
        self._show(WELCOME, welcome=True)
        self.query_one(ResultTree).focus()
        self.call_after_refresh(self._drain)

    # -- what the app hands over (an InspectRequested from another screen) -----------------

    def inspect_text(self, text: str, origin: str) -> None:
        """Decode ``text`` here and record it in the history (from the feed, the browser…)."""
        self._pending.append((text, origin))
        if self.is_mounted:
            self.call_after_refresh(self._drain)

    def _drain(self) -> None:
        while self._pending:
            text, origin = self._pending.pop(0)
            self._load(text, origin, record=True)
            self.action_tab("decode-pane")
            self.query_one(ResultTree).focus()

    # -- decoding ----------------------------------------------------------------------------

    def _load(self, text: str, origin: str, *, record: bool) -> Inspection:
        box = self.query_one(PasteBox)
        if box.text != text:
            with box.prevent(TextArea.Changed):
                box.load_text(text)
        return self._decode(text, origin, record=record)

    def _decode(self, text: str, origin: str, *, record: bool) -> Inspection:
        assert self.decoder is not None
        if self._live_timer is not None:
            self._live_timer.stop()
            self._live_timer = None
        if not text.strip():
            self._show(WELCOME, welcome=True)
            return WELCOME
        inspection = self.decoder.inspect(text, origin)
        self._show(inspection)
        if record:
            self.query_one(InspectorHistory).add(inspection, self._now())
        return inspection

    def _now(self) -> str:
        now = self.context.clock()
        if self.context.config.ui.clock_utc:
            return now.astimezone(UTC).strftime("%H:%M:%S")
        return now.astimezone().strftime("%H:%M:%S")

    def _show(self, inspection: Inspection, *, welcome: bool = False) -> None:
        tree = self.query_one(ResultTree)
        tree.show(inspection)
        if welcome:
            tree.clear()
            tree.root.data = Item("?", inspection.problem, tone="info")
            tree.root.set_label(inspection.problem)
            accepts = tree.root.add("what it reads", data=Item("what it reads"), expand=True)
            for line in ACCEPTS:
                label, _, example = line.partition("  ")
                accepts.add_leaf(line, data=Item(label.strip(), example.strip(), tone="code"))
            tree.root.expand()
            tree.move_cursor(tree.root)
            tree.rewrap()
        self._shown_text = inspection.text
        self._update_detail(tree.cursor_node.data if tree.cursor_node else None)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._live_timer is not None:
            self._live_timer.stop()
        self._live_timer = self.set_timer(LIVE_DECODE_DELAY_S, self._live_decode)

    def _live_decode(self) -> None:
        self._live_timer = None
        text = self.query_one(PasteBox).text
        if text != self._shown_text:
            self._decode(text, "typed", record=False)

    def on_paste(self, event: events.Paste) -> None:
        box = self.query_one(PasteBox)
        if self.focused is box:  # the box inserted it itself; decode what it now holds
            self.call_after_refresh(lambda: self._decode(box.text, "pasted", record=True))
            return
        event.stop()
        self._load(event.text, "pasted", record=True)
        self.action_tab("decode-pane")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, PasteBox):
            self._box_text_at_focus = event.widget.text

    # -- the tree's detail line --------------------------------------------------------------

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Item]) -> None:
        self._update_detail(event.node.data, root=event.node.is_root)

    def _update_detail(self, item: Item | None, *, root: bool = True) -> None:
        detail = self.query_one("#inspector-detail", Static)
        if item is None:
            detail.update("")
            return
        text = item.value if root else item_text(item)
        detail.update(Text(text))

    # -- other views -------------------------------------------------------------------------

    def on_inspector_history_picked(self, message: InspectorHistory.Picked) -> None:
        self._load(message.entry.text, message.entry.origin, record=False)
        self.action_tab("decode-pane")
        self.query_one(ResultTree).focus()

    def on_errors_seen_inspect(self, message: ErrorsSeen.Inspect) -> None:
        self._load(message.text, "seen", record=True)
        self.action_tab("decode-pane")
        self.query_one(ResultTree).focus()

    def on_errors_seen_jump(self, message: ErrorsSeen.Jump) -> None:
        if message.seqs:
            self.post_message(ShowEventsRequested(message.seqs, message.title))
        elif message.refs:
            where = ", ".join(message.refs[-3:])
            self.notify(f"{message.title}: seen at {where}", title="From the browser", timeout=8)
        else:
            self.notify(f"{message.title}: no feed events to jump to", timeout=4)

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Decode and Example belong to the decoder tab (the footer stays short elsewhere)."""
        if action in ("decode", "example", "clear"):
            tabs = self.query(TabbedContent)
            return not tabs or tabs.first().active == "decode-pane"
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    def action_tab(self, pane: str) -> None:
        """Show a tab and focus what is in it (focus left in a hidden tab would switch back)."""
        self.query_one(TabbedContent).active = pane
        if pane == "history-pane":
            self.query_one(OptionList).focus()
        elif pane == "seen-pane":
            self.query_one(SeenTable).focus()
        else:
            self.query_one(ResultTree).focus()

    def action_decode(self) -> None:
        self._decode(self.query_one(PasteBox).text, "typed", record=True)

    def action_example(self) -> None:
        self._example = (self._example + 1) % len(EXAMPLES)
        title, text = EXAMPLES[self._example]
        self._load(text, "example", record=True)
        self.action_tab("decode-pane")
        self.notify(title, title=f"Example {self._example + 1}/{len(EXAMPLES)}", timeout=4)

    def action_clear(self) -> None:
        self._load("", "typed", record=False)
        self.query_one(TabbedContent).active = "decode-pane"
        self.set_focus(self.query_one(PasteBox))

    def action_edit(self) -> None:
        self.query_one(TabbedContent).active = "decode-pane"  # a no-op while typing in the box
        self.start_typing(self.query_one(PasteBox))

    def action_leave_box(self) -> None:
        box = self.query_one(PasteBox)
        if self.focused is not box:
            return
        if box.text.strip() and box.text != self._box_text_at_focus:
            self._decode(box.text, "typed", record=True)
        self.query_one(ResultTree).focus()
