"""The browser screen driven with Pilot against the SBC, CUE and MWS simulators on loopback."""

from __future__ import annotations

import json
import re

from textual import events
from textual.widgets import Input

from tests.ui.browser_support import (
    Lab,
    cells,
    cursor_to,
    lab,
    open_browser,
    settle,
    sim_host,
    type_location,
)
from tests.ui.typing_support import burst, paste
from tui.core.sources import LinkState
from tui.paths import data_dir
from tui.ui.widgets.browser.bars import CrumbBar
from tui.ui.widgets.browser.dialogs import ConfirmWrite, ValuePrompt
from tui.ui.widgets.browser.error_panel import ErrorPanel
from tui.ui.widgets.browser.raw_view import RawView
from tui.ui.widgets.footer import FooterKeyHint

__all__ = ["lab", "sim_host"]  # fixtures used below


async def test_opens_at_the_signaling_group_and_follows_links_back_and_forward(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        assert screen.active is not None
        assert screen.active.location == "/rest/sipsg/1"
        assert ("", "Description", "Carrier A SIP trunk", "config") in cells(screen)
        assert app.sources.get("edge1-lab").state is LinkState.UP
        cursor_to(screen, "ServerClusterId")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.active.location == "/rest/sipservertable/1"
        cursor_to(screen, "↓sipserver")
        await pilot.press("enter")
        await settle(pilot)
        assert [c[0] for c in cells(screen)] == ["1:1", "1:2"]
        cursor_to(screen, "1:2")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.active.location == "/rest/sipservertable/1/sipserver/2"
        assert ("", "Host", "sip2.carrier-a.example", "config") in cells(screen)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert screen.active.location == "/rest/sipservertable/1"
        assert screen.table.current_row is not None
        assert screen.table.current_row.key == "↓sipserver"  # back lands on the row you left
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.active.location == "/rest/sipservertable/1/sipserver"
        await pilot.press("u")  # a new visit: the forward entry is dropped
        await settle(pilot)
        assert screen.active.location == "/rest/sipservertable/1"
        assert not screen.active.history.can_forward
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.active.location == "/rest/sipservertable/1"


async def test_up_walks_to_an_index_of_the_tree(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await pilot.press("backspace")
        await settle(pilot)
        assert screen.active is not None
        assert screen.active.location == "/rest/sipsg"
        await pilot.press("u")
        await settle(pilot)
        assert screen.active.location == "/rest"
        ids = [c[0] for c in cells(screen)]
        assert "sipsg" in ids
        assert "activealarm" in ids
        panel = screen.query_one(ErrorPanel)
        assert "console's own" in str(panel.render())


async def test_commands_switch_targets_and_reach_users_mailboxes_and_sockets(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await type_location(pilot, ":groups", keys=True)
        assert screen.active is not None
        assert screen.active.name == "cue-lab"
        assert screen.active.location == "/rest/voicemail/groups"
        cursor_to(screen, "sales")
        await pilot.press("enter")
        await settle(pilot)
        cursor_to(screen, "membersUri")
        await pilot.press("enter")
        await settle(pilot)
        assert [c[0] for c in cells(screen)] == ["ann", "bob", "eve"]
        cursor_to(screen, "ann")
        await pilot.press("enter")
        await settle(pilot)
        cursor_to(screen, "mailboxUri")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.active.location == "/rest/voicemail/mailboxes/ann"
        assert any(c[1] == "ownerId" and c[2] == "ann" for c in cells(screen))
        await type_location(pilot, ":sockets")
        assert screen.active.name == "mws-lab"
        assert len(cells(screen)) >= 7
        await pilot.press("enter")
        await settle(pilot)
        assert screen.active.location.startswith("/v1/sockets/")
        await type_location(pilot, ":t edge")
        assert screen.active.name == "edge1-lab"
        assert screen.active.location == "/rest/sipsg/1"  # each target keeps its own place
        await pilot.press("t")
        await settle(pilot)
        assert screen.active.name == "cue-lab"
        assert screen.active.location == "/rest/voicemail/mailboxes/ann"


async def test_member_without_a_mailbox_shows_the_cue_error_document(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await type_location(pilot, ":users")
        await type_location(pilot, "/rest/voicemail/mailboxes/eve")
        panel = str(screen.query_one(ErrorPanel).render())
        assert "HTTP 404" in panel
        assert "hint:" in panel
        assert ("✕", "4041", "User eve has no mailbox", "") in cells(screen)


async def test_details_category_and_the_20035_error_inline(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await type_location(pilot, ":sipsg")
        assert screen.table.model.columns == ("id", "link")
        await pilot.press("d")
        await settle(pilot)
        assert screen.active is not None
        assert screen.active.fetched is not None
        assert screen.active.fetched.url.endswith("/rest/sipsg?details=true")
        columns = list(screen.table.model.columns)
        assert columns[:3] == ["id", "Description", "customAdminState"]
        assert "rt_ActiveCalls" in columns
        await pilot.press("f")
        await settle(pilot)
        assert screen.active.fetched.url.endswith("details=true&filter=configuration")
        assert "rt_ActiveCalls" not in screen.table.model.columns
        await type_location(pilot, ":f all")
        await type_location(pilot, "/rest/sipsg?details=True", keys=True)
        panel = str(screen.query_one(ErrorPanel).render())
        assert "HTTP 400 (transport 200)" in panel
        assert "case-sensitive" in panel
        (row,) = [c for c in cells(screen) if c[1] == "20035"]
        assert "details=True" in row[2]


async def test_watch_highlights_values_that_moved(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await pilot.press("w")
        assert screen.active is not None
        assert screen.active.watching
        lab.clock.now += 30
        screen._watch_tick()
        await settle(pilot)
        changed = {row.key: row for row in screen.table.shown_rows if row.changed}
        assert "rt_TotalCalls" in changed
        assert changed["rt_TotalCalls"].delta.startswith("+")
        assert "Description" not in changed
        assert screen.controller is not None
        assert screen.controller.changes >= 1
        assert screen.active.history.entries == ["/rest/sipsg/1"]  # watching adds no history
        lab.rest.sbc.set_incident(True)
        lab.clock.now += 30
        screen._watch_tick()
        await settle(pilot)
        rows = {row.key: row for row in screen.table.shown_rows}
        assert rows["rt_FailedCalls"].changed
        assert int(rows["rt_FailedCalls"].delta) >= 50  # about 1.7 failed calls a second
        state = {r.key: r.cells[2] for r in screen.table.shown_rows}
        assert state["rt_OperationalState"].startswith("2")
        await pilot.press("w")
        assert not screen.active.watching


async def test_raw_view_filter_and_copy(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await pilot.press("y")
        await settle(pilot)
        raw = screen.query_one(RawView)
        text = "\n".join(line.plain for line in raw.lines)
        assert '<sipsg id="1"' in text
        assert "<rt_TotalCalls>" in text
        await pilot.press("y")
        await pilot.press("slash")
        await paste(pilot, "CALLS")
        await pilot.pause()
        assert [c[1] for c in cells(screen)] == [
            "rt_ActiveCalls",
            "rt_TotalCalls",
            "rt_FailedCalls",
        ]
        assert "3/" in screen.query_one(CrumbBar).state.summary
        await pilot.press("enter")
        assert screen.table.has_focus
        assert screen.table.filter_text == "CALLS"  # enter keeps the filter
        await pilot.press("slash")
        screen.location_bar.omnibox.value = "!calls"
        await pilot.pause()
        assert "rt_TotalCalls" not in [c[1] for c in cells(screen)]
        assert "Description" in [c[1] for c in cells(screen)]
        await pilot.press("escape")
        await pilot.pause()
        assert screen.table.filter_text == ""
        await pilot.press("c")
        assert app.clipboard.endswith("/rest/sipsg/1")
        assert app.clipboard.startswith("http://127.0.0.1:")
        cursor_to(screen, "Description")
        await pilot.press("v")
        assert app.clipboard == "Carrier A SIP trunk"


async def test_inspect_hands_the_error_to_the_inspector_when_there_is_one(lab: Lab) -> None:
    calls: list[tuple[str, str]] = []
    app = lab.app()
    app.inspect = lambda text, origin: calls.append((text, origin))  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await pilot.press("e")
        assert calls == []  # no error on this page
        await type_location(pilot, "/rest/sipsg?details=True")
        assert "e opens the error in the inspector" in str(screen.query_one(ErrorPanel).render())
        await pilot.press("e")
        ((text, origin),) = calls
        assert origin == "browser"
        assert 'code="20035"' in text


async def test_an_sbc_error_lands_decoded_in_the_inspector_and_is_counted(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(pilot)
        await type_location(pilot, "/rest/sipsg?details=True")
        assert app.errors_seen.get("sbc", "20035") is not None  # counted in errors seen
        await pilot.press("e")
        await pilot.pause(0.3)
        assert app.current_mode == "inspector"
        from tui.ui.widgets.inspector.result_tree import ResultTree

        decoded = str(app.screen.query_one(ResultTree).root.label)  # what the inspector shows
        assert "20035" in decoded, decoded


async def test_delete_in_use_mapping_after_confirmation_then_follow_to_the_sg(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await type_location(pilot, "/rest/sipq850map/3")
        await pilot.press("D")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmWrite)
        assert dialog.request_text.startswith("DELETE http://127.0.0.1:")
        assert "/rest/sipq850map/3" in dialog.request_text
        assert "PHPSESSID=••••••" in dialog.request_text
        await pilot.press("n")
        await pilot.pause()
        assert ("DELETE", "/rest/sipq850map/3") not in lab.rest.sbc.requests
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert ("DELETE", "/rest/sipq850map/3") in lab.rest.sbc.requests
        messages = [c[2] for c in cells(screen)]
        assert "Cannot delete SIP to Q.850 mapping 3. It is in use by SG 2." in messages
        cursor_to(screen, "/rest/sipsg/2")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.active is not None
        assert screen.active.location == "/rest/sipsg/2"
        assert ("", "Description", "Teams Direct Routing", "config") in cells(screen)


async def test_read_only_targets_refuse_before_any_dialog(lab: Lab) -> None:
    app = lab.app(sbc={"allow_writes": False})
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(pilot)
        await pilot.press("D")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmWrite)
        assert any("read-only" in n.message for n in app._notifications)
        assert not any(method == "DELETE" for method, _ in lab.rest.sbc.requests)


async def test_history_is_kept_per_target_across_restarts(lab: Lab) -> None:
    app = lab.app(persist=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(pilot)
        await type_location(pilot, "/rest/routingtable/1")
    saved = json.loads((data_dir() / "browser-history" / "edge1-lab.json").read_text())
    assert saved["entries"] == ["/rest/sipsg/1", "/rest/routingtable/1"]
    again = lab.app(persist=True)
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        assert screen.active is not None
        assert screen.active.location == "/rest/routingtable/1"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.active.location == "/rest/sipsg/1"


async def test_leaving_the_app_logs_out_of_the_sbc(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(pilot)
        assert lab.rest.sbc.logins == 1
    assert lab.rest.sbc.logouts == 1
    assert lab.rest.sbc.sessions == {}


async def test_keys_typed_in_a_burst_after_colon_land_in_the_location_bar(lab: Lab) -> None:
    """As from a paste or tmux send-keys: every key is queued before the first is handled."""
    app = lab.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(pilot)
        for character in ":users":
            key = "colon" if character == ":" else character
            app.post_message(events.Key(key, character))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert screen.active is not None
        assert screen.active.name == "cue-lab"
        assert screen.active.location == "/rest/voicemail/users"
        assert screen.active.history.entries == ["/rest/voicemail/users"]
        sbc = screen.views["edge1-lab"]
        assert sbc.history.entries == ["/rest/sipsg/1"]  # "u" was typed, it did not go up


async def test_a_deep_path_at_80_columns_shortens_the_breadcrumbs(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(pilot)
        await type_location(pilot, ":sockets")
        assert "id" not in screen.table.model.columns[1:]  # not twice
        socket_id = cells(screen)[0][0]
        await pilot.press("enter")
        await settle(pilot)
        crumbs = str(screen.query_one(CrumbBar).render())
        assert crumbs.lstrip().startswith("…")
        assert socket_id[:20] in crumbs
        assert len(crumbs) <= 80


async def test_voicemail_story_mailbox_clash_and_a_push_to_a_gone_socket(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        await type_location(pilot, ":mailboxes")
        screen.run_typed(":create ownerId=ann")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmWrite)
        assert "POST http://127.0.0.1:" in dialog.request_text
        assert "<mailbox><ownerId>ann</ownerId></mailbox>" in dialog.request_text
        await pilot.press("y")
        await settle(pilot)
        assert ("✕", "4090", "A mailbox already exists for owner ann", "ownerId") in cells(screen)
        await type_location(pilot, ":sockets")
        kiosk = lab.rest.mws.kiosk().id
        cursor_to(screen, kiosk)
        lab.clock.now += 60  # the kiosk disconnects; the list on screen is a minute old
        screen.run_typed(":push are you there?")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmWrite)
        assert f'"sockets": ["{kiosk}"]' in app.screen.request_text
        await pilot.press("y")
        await settle(pilot)
        (row,) = [c for c in cells(screen) if c[0] == "✕"]
        assert row[1] == "socket_not_found"
        assert "not connected" in row[2]
        await pilot.press("r")
        await settle(pilot)
        assert kiosk not in [c[0] for c in cells(screen)]  # and the list shows it gone


async def test_edit_a_value_shows_the_form_body_and_updates_the_page(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        cursor_to(screen, "rt_ActiveCalls")
        await pilot.press("E")
        await pilot.pause()
        assert not isinstance(app.screen, ValuePrompt)  # runtime values are not configuration
        cursor_to(screen, "Description")
        await pilot.press("E")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, ValuePrompt)
        prompt.query_one(Input).value = "Carrier A & B"
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmWrite)
        assert dialog.request_text.endswith("\n\nDescription=Carrier+A+%26+B")
        await pilot.press("y")
        await settle(pilot)
        assert ("", "Description", "Carrier A & B", "config") in cells(screen)
        assert ("POST", "/rest/sipsg/1") in lab.rest.sbc.requests


async def test_a_value_typed_in_a_burst_after_e_goes_into_the_prompt(lab: Lab) -> None:
    """The keys after ``E`` that arrive before it is handled are the new value (they were
    lost, the prompt kept the old one)."""
    app = lab.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(pilot)
        cursor_to(screen, "Description")
        burst(pilot, "E quiet")
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        prompt = app.screen
        assert isinstance(prompt, ValuePrompt)
        assert prompt.query_one(Input).value.endswith(" quiet")
        await pilot.press("escape")
        assert app.screen is screen


async def test_footer_at_80_columns_keeps_the_browser_keys_inside_the_terminal(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(pilot)
        wide = [key.action for key in app.screen.query(FooterKeyHint)]
        assert {"follow", "app.quit", "app.toggle_help_panel"} <= set(wide)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.2)
        keys = list(app.screen.query(FooterKeyHint))
        narrow = [key.action for key in keys]
        assert "app.quit" not in narrow and "app.toggle_help_panel" not in narrow
        assert narrow[0] == "follow" and "app.show_keys" in narrow
        palette = next(key for key in keys if key.has_class("-command-palette"))
        for key in keys:
            if key is not palette:
                assert key.region.right <= palette.region.x, key.action


async def test_bidi_and_c1_in_an_sbc_value_reach_neither_the_table_nor_the_raw_view(
    lab: Lab,
) -> None:
    unsafe = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
    found = lab.rest.sbc.tree.resources["/rest/sipsg/1"].field("Description")
    assert found is not None
    found.value = "Carrier \u202eA\x9b31m \u2066x"
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        description = next(c for c in cells(screen) if c[1] == "Description")
        assert description[2] == "Carrier \ufffdA\ufffd31m \ufffdx"  # shown, inert
        assert not any(unsafe.search(cell) for row in cells(screen) for cell in row)
        await pilot.press("y")
        await settle(pilot)
        raw = "\n".join(line.plain for line in screen.query_one(RawView).lines)
        assert "<Description>Carrier \ufffdA\ufffd31m \ufffdx</Description>" in raw
        assert not unsafe.search(raw), repr(raw)
