"""Pilot tests of the inspector: what other screens hand it, pasting, typing, history, errors seen."""

from __future__ import annotations

from textual.widgets import OptionList, TabbedContent

from tests.cleanliness import is_clean
from tests.ui.typing_support import burst
from tui.core.feed import SEV_ERROR, blank_event
from tui.ui.screens.inspector import InspectorScreen, PasteBox
from tui.ui.widgets.inspector.history import InspectorHistory
from tui.ui.widgets.inspector.result_tree import ResultTree, item_text
from tui.ui.widgets.inspector.seen import ErrorsSeen, SeenTable

SBC_IN_USE = (
    '<root><status><http_code>409</http_code><app_status_entry code="31003" params="3|2"/>'
    "</status></root>"
)


def tree_lines(app) -> list[str]:
    tree = app.screen.query_one(ResultTree)
    lines = []

    def walk(node) -> None:
        if node.data is not None:
            lines.append(item_text(node.data))
        for child in node.children:
            walk(child)

    walk(tree.root)
    return lines


def root_summary(app) -> str:
    return str(app.screen.query_one(ResultTree).root.data.value)


def history(app) -> InspectorHistory:
    found: InspectorHistory = app.screen.query_one(InspectorHistory)
    return found


def focused_type(app) -> str:
    return type(app.focused).__name__


async def test_inspect_from_the_feed_switches_and_decodes(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.current_mode == "feed"
        app.inspect(SBC_IN_USE, origin="feed")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "inspector"
        assert isinstance(app.screen, InspectorScreen)
        assert root_summary(app) == (
            "SBC 31003: Cannot delete SIP to Q.850 mapping 3. It is in use by SG 2."
        )
        assert app.screen.query_one(PasteBox).text == SBC_IN_USE
        entry = history(app).entries[0]
        assert (entry.origin, entry.kind) == ("feed", "sbc")
        # a second error from the browser while the inspector is already open
        app.inspect("error.server.unavailable", origin="browser")
        await pilot.pause()
        assert root_summary(app).startswith("ICWS error.server.unavailable")
        assert [e.origin for e in history(app).entries] == ["browser", "feed"]
        assert isinstance(app.focused, ResultTree)


async def test_paste_anywhere_decodes_and_records(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.focused, ResultTree)
        await pilot.press("f7")  # even from another tab
        app.screen.post_message(__import__("textual").events.Paste("SIP 486 BUSY HERE"))
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "decode-pane"
        assert root_summary(app).startswith("SIP 486 Busy Here")
        assert history(app).entries[0].origin == "pasted"


async def test_typing_decodes_live_and_escape_records(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "e")
        assert focused_type(app) == "PasteBox"
        await pilot.press(*"licenseStatus 2")
        await pilot.pause(0.5)
        assert (
            root_summary(app) == "licenses:licenseStatus 2 = Available — the licence is available"
        )
        assert not history(app).entries  # live decoding does not fill the history
        await pilot.press("escape")
        assert focused_type(app) == "ResultTree"
        assert history(app).entries[0].text == "licenseStatus 2"
        await pilot.press("1")  # with the box left, number keys switch screens again
        assert app.current_mode == "feed"


async def test_keys_typed_in_a_burst_after_e_land_in_the_box(make_app) -> None:
    """Over a laggy SSH link the keys after ``e`` arrive before it is handled: they must go
    into the box, not to the screen's keys (the ``q`` of the text quit the console)."""
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        burst(pilot, "eSIP 486 quiet")
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one(PasteBox).text == "SIP 486 quiet"
        assert focused_type(app) == "PasteBox"
        await pilot.press("escape", "f7")  # from the history tab too; in the box, "e" types
        burst(pilot, "e e")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "decode-pane"
        assert focused_type(app) == "PasteBox"
        assert app.screen.query_one(PasteBox).text.endswith(" e")


async def test_decode_key_example_key_and_clear(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "ctrl+o")
        await pilot.pause()
        assert root_summary(app).startswith("SBC 31003")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert root_summary(app).startswith("CallStatusEvent FAILED: SIP 403 Forbidden")
        assert [e.origin for e in history(app).entries] == ["example", "example"]
        await pilot.press("ctrl+l")
        assert app.screen.query_one(PasteBox).text == ""
        assert isinstance(app.focused, PasteBox)
        await pilot.press(*"mws 422", "ctrl+r")
        assert root_summary(app).startswith("HTTP 422")
        assert history(app).entries[0].text == "mws 422"


async def test_history_pick_decodes_again(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.inspect("503", origin="feed")
        await pilot.pause()
        app.inspect("error.foo.bar", origin="feed")
        await pilot.pause()
        await pilot.press("f7")
        assert isinstance(app.focused, OptionList)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "decode-pane"
        assert root_summary(app).startswith("ambiguous — 2 possible readings")
        assert len(history(app).entries) == 2  # looking again does not add an entry


async def test_remote_text_is_never_markup(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.inspect('{"error":{"reason":"[bold]x","message":"[red]boom[/red] \x1b[2J"}}', "feed")
        await pilot.pause()
        lines = tree_lines(app)
        assert "message: [red]boom[/red] ␛[2J" in lines  # the escape shown, not obeyed
        tree = app.screen.query_one(ResultTree)
        node = next(n for n in tree.root.children if n.data and n.data.label == "message")
        rendered = tree.render_label(node, tree.rich_style, tree.rich_style)
        assert rendered.plain == "message: [red]boom[/red] ␛[2J"


async def test_the_icws_error_id_is_shown_clean(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for body, shown in (
            ('{"errorId": "0\\n0"}', "0⏎0"),  # the JSON escape is a real line break once parsed
            ('{"errorId": "error.x\\u202e\\u009b\\ud800"}', "error.x\ufffd\ufffd\ufffd"),
        ):
            app.inspect(body, "feed")
            await pilot.pause()
            lines = tree_lines(app)
            assert f"errorId: {shown}" in lines
            assert root_summary(app).startswith(f"ICWS {shown}")
            unclean = [
                line for line in [root_summary(app), *lines] if not is_clean(line, line=True)
            ]
            assert unclean == []


async def test_rule_in_config_changes_the_match_shown(make_app) -> None:
    text = "error.request.connection.authenticationFailure"
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.inspect(text, "feed")
        await pilot.pause()
        assert "handling rules: no handling rules configured: add [[errors.rules]]" in tree_lines(
            app
        )
    app, _ = make_app(
        '[[errors.rules]]\nprefix = "error.request.connection"\nseverity = "warning"\n'
        'label = "ICWS session lost"\nrunbook = "https://wiki.example.net/icws"\n'
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.inspect(text, "feed")
        await pilot.pause()
        lines = tree_lines(app)
        assert "error.request.connection: warning: ICWS session lost" in lines
        assert "runbook: https://wiki.example.net/icws" in lines
        assert root_summary(app).endswith("→ warning: ICWS session lost")


async def test_errors_seen_counts_live_and_decodes_a_row(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "f8")
        seen = app.screen.query_one(ErrorsSeen)
        assert seen.has_class("-empty")
        app.errors_seen.add_events(
            [
                blank_event(
                    seq=i,
                    ts=1_700_000_000.0 + i,
                    source="icws",
                    severity=SEV_ERROR,
                    error_id="error.server.unavailable",
                )
                for i in range(3)
            ]
        )
        await pilot.pause(1.3)  # the view redraws on its one-second clock
        assert not seen.has_class("-empty")
        table = app.screen.query_one(SeenTable)
        keys = [str(k.value) for k in table.rows]
        assert keys == [
            "\x00group:icws",
            "icws\x00error",
            "icws\x00error.server",
            "icws\x00error.server.unavailable",
        ]
        assert str(table.get_row("icws\x00error.server")[0]).strip() == "3"
        table.move_cursor(row=3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "decode-pane"
        assert root_summary(app).startswith("ICWS error.server.unavailable")
        assert history(app).entries[0].origin == "seen"


async def test_jump_to_events_asks_the_app_to_show_them(make_app) -> None:
    app, _ = make_app()
    calls = []
    app.show_events = lambda seqs, title: calls.append((seqs, title))
    async with app.run_test(size=(120, 40)) as pilot:
        app.errors_seen.add_events(
            [
                blank_event(
                    seq=41,
                    ts=1.0,
                    source="wcs",
                    status="FAILED",
                    info="Failed by ICE timeout",
                    severity=SEV_ERROR,
                )
            ]
        )
        await pilot.press("3", "f8")
        seen = app.screen.query_one(ErrorsSeen)
        seen.refresh_counts(force=True)
        await pilot.press("j")
        await pilot.pause()
        assert calls == [([41], "WCS info: Failed by ICE timeout")]


async def test_jump_opens_the_feed_on_those_events(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        store = app.services.store
        store.publish(
            blank_event(ts=1.0, source="wcs", method="CallStatusEvent", status="ESTABLISHED")
        )
        failed = store.publish(
            blank_event(
                ts=2.0, source="icws", method="x", error_id="error.request", severity=SEV_ERROR
            )
        )
        await pilot.pause(0.4)  # the app's clock hands new events to the tally
        await pilot.press("3", "f8")
        app.screen.query_one(ErrorsSeen).refresh_counts(force=True)
        await pilot.press("j")
        await pilot.pause()
        assert app.current_mode == "feed"
        view = app.screen.view
        assert [row[0] for row in view.rows] == [failed.seq]
        assert view.query is not None and "(1 event)" in view.query.text


async def test_reset_counts(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.errors_seen.add_events(
            [blank_event(seq=7, ts=1.0, source="icws", error_id="error", severity=SEV_ERROR)]
        )
        await pilot.press("3", "f8", "x")
        await pilot.pause()
        assert app.errors_seen.empty
        assert app.screen.query_one(ErrorsSeen).has_class("-empty")


def drawn_tree(app) -> list[str]:
    """The tree's lines as drawn (guides and labels), whole: every node line, scrolled or not."""
    tree = app.screen.query_one(ResultTree)
    return [
        tree._render_line(y, 0, 10_000, tree.rich_style).text.rstrip()  # uncut
        for y in range(len(tree._tree_lines))
    ]


async def test_the_tree_wraps_long_lines_at_80_columns_and_again_when_wider(make_app) -> None:
    from rich.cells import cell_len

    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("inspector")  # the welcome first: short, no scrollbar yet
        await pilot.pause()
        app.inspect(SBC_IN_USE, origin="feed")
        await pilot.pause()
        await pilot.pause()
        tree = app.screen.query_one(ResultTree)
        lines = drawn_tree(app)
        room = tree.scrollable_content_region.width  # beside the scrollbar
        assert max(cell_len(line) for line in lines) <= room
        assert tree.virtual_size.width <= room  # nothing left to scroll sideways
        flowing = " ".join(" ".join(line.replace("│", " ").split()) for line in lines)
        meaning = next(t for t in tree_lines(app) if t.startswith("meaning: "))
        assert meaning in flowing  # the whole sentence, over as many lines as it takes
        assert root_summary(app) in flowing
        narrow = len(lines)
        continuation = next(
            node
            for y, line in enumerate(tree._tree_lines)
            if (node := line.node).data is not None
            and item_text(node.data) == meaning
            and node.parent is not None
            and node.parent.data == node.data
        )
        tree.move_cursor(continuation)
        await pilot.press("y")
        assert app.clipboard == meaning  # a continuation copies the line it continues
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        wide = drawn_tree(app)
        assert len(wide) < narrow
        assert max(cell_len(line) for line in wide) <= tree.scrollable_content_region.width


def test_wrap_spans_break_after_spaces_and_inside_long_words() -> None:
    from tui.ui.widgets.inspector.result_tree import wrap_spans

    text = "meaning: a b cdefghijklmnop"
    spans = wrap_spans(text, 12, 8)
    # a line may end in the space it breaks at (not drawn): "meaning: a b" fills 12 cells
    assert [text[a:b] for a, b in spans] == ["meaning: a b ", "cdefghij", "klmnop"]
    assert wrap_spans("short", 10, 5) == [(0, 5)]
    wide = "设备忙设备忙"  # two cells each
    assert [wide[a:b] for a, b in wrap_spans(wide, 4, 4)] == ["设备", "忙设", "备忙"]
