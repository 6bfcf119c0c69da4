"""Pilot tests of the feed: live hooks over HTTP, filter, find, follow, pause, detail, rules."""

from __future__ import annotations

import json
import stat

import httpx
from textual.widgets import Input

from tests.fixtures import config_text
from tests.ui.typing_support import burst, paste
from tui.config import AppConfig
from tui.core.feed import blank_event, from_row
from tui.ui.screens.feed import FeedScreen
from tui.ui.screenshots import deterministic_app
from tui.ui.widgets.feed.detail import EventDetail
from tui.ui.widgets.feed.event_list import EventList
from tui.ui.widgets.feed.status import FeedStatus

JSON = {"Content-Type": "application/json"}


class ManualClock:
    """A monotonic clock the test moves by hand (the feed paces its frames on it)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def feed(app) -> FeedScreen:
    screen = app.screen
    assert isinstance(screen, FeedScreen)
    return screen


async def wait_for(pilot, predicate, rounds: int = 100) -> None:
    for _ in range(rounds):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not reached")


async def test_live_hooks_arrive_in_the_feed(make_app) -> None:
    app, _ = make_app("[hooks]\nport = 0\n", demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.services.hook_url is not None)
        url = app.services.hook_url
        assert app.screen.query_one("#feed-empty").display  # nothing yet: the setup note
        expected = f'update app -l "http://127.0.0.1:{url.rsplit(":", 1)[1]}/apps/EchoApp"'
        note = app.screen.query_one("#feed-empty EmptyNote")
        await wait_for(pilot, lambda: expected in str(note.render()))  # the real port, once bound
        async with httpx.AsyncClient() as client:
            for i in range(5):
                body = {"callId": f"c{i}", "status": "FAILED" if i == 3 else "ESTABLISHED",
                        "info": "SIP 486 BUSY HERE" if i == 3 else None}  # fmt: skip
                reply = await client.post(f"{url}/apps/EchoApp/CallStatusEvent", json=body)
                assert reply.status_code == 200
        await wait_for(pilot, lambda: len(feed(app).view) == 5)
        assert not app.screen.query_one("#feed-empty").display
        events = app.screen.query_one(EventList)
        assert events.follow and events.cursor == 4
        assert app.sources.get("hooks").state.value == "up"
        status = app.screen.query_one(FeedStatus)
        await pilot.pause(0.1)
        assert status.counters.received == 5 and status.counters.shown == 5


async def test_keys_typed_in_a_burst_after_slash_and_f_land_in_the_bar() -> None:
    """Over a laggy SSH link (or a paste without its markers) the keys after ``/`` or ``f``
    arrive before it is handled: they are the filter, not the feed's own keys (the ``s``, ``p``
    and enter of ``status:FAILED`` paused the feed and opened an event)."""
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = feed(app)
        burst(pilot, "/status:FAILED\r")
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one(FeedStatus).counters.query == "status:FAILED"
        assert not screen.view.paused
        assert not screen.query_one(EventDetail).has_class("-open")
        rows = list(screen.view.rows)
        assert rows and all(from_row(row).status == "FAILED" for row in rows)
        burst(pilot, "fnode:10.20.1.12\r")
        await pilot.pause()
        await pilot.pause()
        assert screen.find_query is not None and screen.find_query.text == "node:10.20.1.12"
        assert screen.query_one(FeedStatus).counters.query == "status:FAILED"  # kept


async def test_filter_find_open_and_sip_message() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(120, 40)) as pilot:
        view = feed(app).view
        total = len(view)
        assert total > 100
        await pilot.press("slash")
        await paste(pilot, "sip:>=400")
        await pilot.press("enter")
        assert 0 < len(view) < total
        assert all(from_row(row).status in ("FAILED", "BUSY") for row in view.rows)
        assert app.screen.query_one(FeedStatus).counters.query == "sip:>=400"
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen.query_one(EventDetail)
        assert detail.has_class("-open") and detail.event is not None
        assert detail.event.status in ("FAILED", "BUSY")
        assert detail.event.method == "CallStatusEvent"
        handed = detail.error_text()  # what `e` gives the inspector: the hook, our answer, the body
        assert handed.startswith("POST /apps/EchoApp/CallStatusEvent → 200")
        assert "sipMessageRaw" in handed
        await pilot.press("escape")
        assert not detail.has_class("-open")
        await pilot.press("escape")  # clears the filter
        assert len(view) == total
        # find is not a filter: it moves the cursor and keeps every row
        await pilot.press("f")
        await paste(pilot, "sip:503")
        await pilot.press("enter")
        events = app.screen.query_one(EventList)
        assert from_row(view[events.cursor]).sip_status == 503
        first = events.cursor
        await pilot.press("n")
        assert events.cursor != first and from_row(view[events.cursor]).sip_status == 503
        await pilot.press("N")
        assert events.cursor == first
        assert len(view) == total


async def test_bad_filter_is_explained_and_not_applied() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        total = len(feed(app).view)
        await pilot.press("slash")
        await paste(pilot, "colour:red")
        error = app.screen.query_one("#query-error")
        assert "unknown field 'colour'" in str(error.render())
        await pilot.press("enter")
        assert len(feed(app).view) == total
        await pilot.press("escape")


async def test_moving_up_stops_following_and_end_resumes() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        events = app.screen.query_one(EventList)
        assert events.follow
        await pilot.press("up", "up")
        assert not events.follow
        store = app.services.store
        cursor_seq = events.view[events.cursor][0]
        from tui.core.feed import blank_event

        store.publish(blank_event(ts=0.0, source="wcs", method="CallStatusEvent", status="FINISH"))
        await pilot.pause(0.15)
        assert events.view[events.cursor][0] == cursor_seq  # did not jump to the new row
        await pilot.press("end")
        assert events.follow and events.cursor == len(events.view) - 1


async def test_pause_holds_the_view_and_counts_what_waits() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        from tui.core.feed import blank_event

        view = feed(app).view
        before = len(view)
        await pilot.press("p")
        for _ in range(3):
            app.services.store.publish(blank_event(ts=0.0, source="wcs", method="X"))
        await pilot.pause(0.15)
        assert len(view) == before
        counters = app.screen.query_one(FeedStatus).counters
        assert counters.paused and counters.pending == 3
        await pilot.press("p")
        assert len(view) == before + 3


async def test_save_exports_a_redacted_document(tmp_path) -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        app.screen.query_one("#query-bar Input", Input).value = "method:connect"
        await pilot.press("enter", "enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        exports = list(
            (tmp_path / "xdg-data" / "noc-console" / "exports").glob("event-*-connect.json")
        )
        assert len(exports) == 1
        document = json.loads(exports[0].read_text())
        assert document["event"]["method"] == "connect"
        assert document["request"].get("sipPassword") in (None, "***")
        assert "pw-" not in exports[0].read_text()
        assert stat.S_IMODE(exports[0].stat().st_mode) == 0o600  # a ticket's file is private
        assert stat.S_IMODE(exports[0].parent.stat().st_mode) == 0o700


async def test_rules_screen_toggles_a_live_rule(make_app) -> None:
    app, _ = make_app(config_text("hook-rule-premium.toml"), demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.services.hooks is not None)
        url = app.services.hook_url
        async with httpx.AsyncClient() as client:
            assert (await client.post(f"{url}/call", json={"callee": "9001"})).status_code == 403
            await pilot.press("R")
            await pilot.pause()
            await pilot.press("space")
            await pilot.pause()
            assert (await client.post(f"{url}/call", json={"callee": "9001"})).status_code == 200
        assert app.services.hooks.policy.get("premium").enabled is False


async def test_port_in_use_shows_in_header_and_feed(make_app) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        app, _ = make_app(f"[hooks]\nport = {port}\n", demo=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: app.sources.get("hooks").state.value == "down")
            assert "in use" in app.sources.get("hooks").detail
            await wait_for(pilot, lambda: len(feed(app).view) == 1)
            assert from_row(feed(app).view[0]).source == "console"


def test_default_filter_from_config() -> None:
    config = AppConfig.model_validate({"feed": {"default_filter": "status:FAILED"}})
    app = deterministic_app(config, feed=True)

    async def run() -> None:
        async with app.run_test(size=(80, 24)):
            assert all(from_row(row).status == "FAILED" for row in feed(app).view.rows)
            assert len(feed(app).view) > 0

    import asyncio

    asyncio.run(run())


async def test_icws_messages_and_the_state_panel_in_the_feed(make_app) -> None:
    from tui.sim.host import SimHost
    from tui.sim.icws.demo import start_icws_demo
    from tui.ui.widgets.icws import IcwsStatePanel

    with SimHost("icws-for-feed") as host:
        demo = start_icws_demo(host, cycle=False)
        server = demo.server
        text = config_text(
            "icws-demo-server.toml",
            name=server.name, url=server.url, user=server.user, password_env=server.password_env,
        )  # fmt: skip
        app, _ = make_app(text, demo=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(
                pilot, lambda: any(from_row(r).source == "icws" for r in feed(app).view.rows), 300
            )
            panel = app.screen.query_one(IcwsStatePanel)
            assert panel.has_class("-shown")  # ICWS configured and a tall terminal: open at start
            await wait_for(
                pilot,
                lambda: any(
                    "Support" in q.label for q in app.services.icws_state.queues(server.name)
                ),
                200,
            )
            await pilot.press("i")
            assert not panel.has_class("-shown")
            await pilot.press("slash")
            app.screen.query_one("#query-bar Input", Input).value = "type:queueContents"
            await pilot.press("enter")
            rows = [from_row(r) for r in feed(app).view.rows]
            assert rows and all(r.kind == "queueContents" and r.queue == "Support" for r in rows)


async def test_a_long_filter_is_shortened_after_the_tap_and_journal_warnings() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        query = "node:cic-demo !type:userStatus !type:queueContents !type:statisticValue"
        await pilot.press("slash")
        app.screen.query_one("#query-bar Input", Input).value = query  # pasted, not typed
        await pilot.press("enter")
        await pilot.pause()
        status = app.screen.query_one(FeedStatus)
        status.counters.journal = "JOURNAL FULL"
        line = status.render().plain
        assert "JOURNAL FULL" in line
        assert line.endswith("…") and len(line) == 80
        assert query[:10] in line


async def test_a_flood_of_rows_is_drawn_on_every_other_tick() -> None:
    from tui.core.feed import blank_event

    clock = ManualClock()
    app = deterministic_app(feed=True, monotonic=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = feed(app)
        await pilot.pause()
        store = app.services.store
        before = len(screen.view)
        store.publish(blank_event(method="CallStatusEvent", status="TRYING"))
        clock.now += 0.1
        screen.tick()  # a quiet feed: every tick draws
        assert len(screen.view) == before + 1
        flood = 20 * screen.query_one(EventList).page * 10  # far more than a page at 10 Hz
        for _ in range(flood):
            store.publish(blank_event(method="CallStatusEvent", status="TRYING"))
        clock.now += 1.0
        screen.tick()  # draws, and measures the rate since it opened
        drawn = len(screen.view)
        assert drawn == before + 1 + flood
        rate = (flood + 1) / (clock.now - 100.0)
        assert f"{rate:,.0f}/s" in screen.query_one(FeedStatus).render().plain
        store.publish(blank_event(method="CallStatusEvent", status="TRYING"))
        clock.now += 0.1
        screen.tick()
        assert len(screen.view) == drawn  # this tick is skipped
        clock.now += 0.1  # a flood-rate frame later
        screen.tick()
        assert len(screen.view) == drawn + 1


async def test_the_status_line_says_when_events_are_not_journalled(tmp_path) -> None:
    import sqlite3

    from tui.core.feed import blank_event
    from tui.core.journal import Journal

    app = deterministic_app(feed=True)
    journal = Journal(tmp_path / "run.sqlite").open()
    with sqlite3.connect(journal.path) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.status = 'POISON' "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    async with app.run_test(size=(120, 40)) as pilot:
        app.services.journal = app.services.store.journal = journal
        app.services.store.submit(blank_event(method="CallStatusEvent", status="POISON"))
        assert journal.flush()
        status = app.screen.query_one(FeedStatus)
        await wait_for(pilot, lambda: "JOURNAL: 1 events not journalled" in status.render().plain)
    journal.close()


async def test_columns_dialog_switches_reorders_and_saves_the_columns(make_app) -> None:
    from textual.widgets import OptionList

    from tui.config import load_config
    from tui.ui.screens.columns import ColumnsScreen
    from tui.ui.screens.feed import ColumnHeader

    app, path = make_app('[ui]\ntheme = "noc-dark"\n', demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        events = app.screen.query_one(EventList)
        app.services.store.publish(blank_event(source="wcs", method="CallStatusEvent", call="c1"))
        await wait_for(pilot, lambda: len(feed(app).view) == 1)
        await pilot.press("C")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ColumnsScreen)
        fit_note = str(dialog.query_one("#columns-fit").render())
        assert "no room for: app party http" in fit_note  # said before anything is chosen
        await pilot.press("down", "space")  # node off
        await pilot.press("end", "K", "K")  # info above http and latency
        prompts = [str(o.prompt) for o in dialog.query_one(OptionList).options]
        assert prompts[1].startswith("off") and "node" in prompts[1]
        assert prompts[0].startswith("on ")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ColumnsScreen)
        chosen = ("time", "app", "type", "status", "id", "party", "info", "http", "latency")
        assert events.chosen == chosen
        assert app.config.feed.columns == chosen
        header = str(app.screen.query_one(ColumnHeader).render())
        assert "node" not in header and header.index("info") < header.index("took")
    assert load_config(path).config.feed.columns == chosen  # saved, with the theme kept
    assert 'theme = "noc-dark"' in path.read_text()


async def test_columns_dialog_escape_changes_nothing(make_app) -> None:
    app, path = make_app(demo=False)
    before = path.read_text()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("C", "space", "escape")
        await pilot.pause()
        assert app.screen.query_one(EventList).chosen == app.config.feed.columns
    assert path.read_text() == before


async def test_equals_shows_only_the_selected_call_and_gives_the_filter_back() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        view = feed(app).view
        total = len(view)
        await pilot.press("slash")
        app.screen.query_one("#query-bar Input", Input).value = "type:CallStatusEvent status:FAILED"
        await pilot.press("enter")
        failed = len(view)
        events = app.screen.query_one(EventList)
        picked = from_row(view[events.cursor])
        assert picked.call and picked.source == "wcs"
        await pilot.press("equals_sign")
        assert view.query is not None and view.query.text == f"call:{picked.call}"
        assert all(from_row(row).call == picked.call for row in view.rows)
        statuses = {from_row(row).status for row in view.rows}
        assert "FAILED" in statuses and len(statuses) > 1  # the call's whole story
        assert from_row(view[events.cursor]).seq == picked.seq  # still on the picked event
        await pilot.press("equals_sign")  # again: the filter before
        assert view.query is not None and view.query.text == "type:CallStatusEvent status:FAILED"
        assert len(view) == failed
        assert from_row(view[events.cursor]).seq == picked.seq
        await pilot.press("equals_sign", "escape")  # Esc gives it back too
        assert view.query is not None and view.query.text.endswith("status:FAILED")
        await pilot.press("escape")  # and Esc once more clears it, as before
        assert view.query is None and len(view) == total


async def test_equals_picks_the_stream_session_or_interaction_a_row_is_about() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(120, 40)) as pilot:
        store = app.services.store
        for event in (
            blank_event(source="wcs", method="StreamStatusEvent", stream="lecture-7",
                        session="/10.0.0.1:1/a", status="PUBLISHING"),
            blank_event(source="wcs", method="playStream", stream="lecture-7",
                        session="/10.0.0.2:2/b", status="PENDING"),
            blank_event(source="wcs", method="connect", session="/10.0.0.2:2/b"),
            blank_event(source="icws", kind="queueContents", call="1001234565",
                        status="Connected"),
            blank_event(source="icws", kind="queueContents", call="1001234565",
                        status="Disconnected"),
        ):  # fmt: skip
            store.publish(event)
        view = feed(app).view
        await wait_for(pilot, lambda: from_row(view[len(view) - 1]).call == "1001234565")
        cases = {
            "interaction:1001234565": ("call", "1001234565", 2),
            "session:/10.0.0.2:2/b": ("session", "/10.0.0.2:2/b", 2),
            "stream:lecture-7": ("stream", "lecture-7", 2),
        }
        for back, (query, (field, value, count)) in enumerate(cases.items()):
            await pilot.press("end", *["up"] * (2 * back))
            await pilot.press("equals_sign")
            assert view.query is not None and view.query.text == query
            assert len(view) == count
            assert all(getattr(from_row(row), field) == value for row in view.rows)
            await pilot.press("equals_sign")
            assert view.query is None


async def test_find_says_which_match_of_how_many_and_marks_it_in_the_row() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        view = feed(app).view
        total = sum(1 for row in view.rows if from_row(row).sip_status == 503)
        assert total >= 2
        await pilot.press("home", "f")
        await paste(pilot, "sip:503")
        await pilot.press("enter")
        status = app.screen.query_one(FeedStatus)
        assert status.counters.find == f"match 1 of {total}"
        assert f"match 1 of {total}" in status.render().plain
        await pilot.press("n")
        assert status.counters.find == f"match 2 of {total}"
        await pilot.press("N", "N")
        assert status.counters.find == f"match {total} of {total}"  # round to the last
        events = app.screen.query_one(EventList)
        await pilot.pause()
        line = events.render_line(events.cursor - events.top)
        marked = [seg.text for seg in line if seg.style is not None and seg.style.reverse]
        assert marked and marked[0].startswith("SIP 503")  # the info cell that shows the code
        await pilot.press("slash")
        await paste(pilot, "status:FAILED")
        await pilot.press("enter")
        assert status.counters.find == ""  # other rows: the count would be wrong


def _footer_labels(app) -> list[str]:
    from tui.ui.widgets.footer import FooterKeyHint

    return [f"{hint.key_display} {hint.description}" for hint in app.screen.query(FooterKeyHint)]


async def test_the_footer_says_resume_while_paused() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "p Pause" in _footer_labels(app)
        await pilot.press("p")
        await pilot.pause()
        assert feed(app).view.paused
        labels = _footer_labels(app)
        assert "p Resume" in labels and "p Pause" not in labels
        await pilot.press("p")
        await pilot.pause()
        assert not feed(app).view.paused
        assert "p Pause" in _footer_labels(app)


async def test_remapping_pause_moves_resume_with_it(make_app) -> None:
    app, _ = make_app('[keymap]\n"feed.pause" = "space"\n', demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        assert feed(app).view.paused
        await pilot.press("space")
        assert not feed(app).view.paused
        await pilot.press("p")
        assert not feed(app).view.paused  # p no longer pauses or resumes


async def test_an_icws_event_is_labelled_as_icws_in_the_detail() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(120, 40)) as pilot:
        message = b'{"__type":"urn:inin.com:queues:queueContentsMessage","subscriptionId":"q0"}'
        app.services.store.publish(
            blank_event(source="icws", kind="queueContents", node="cic-demo", app="q0",
                        method="queues:queueContentsMessage", call="1001234565",
                        queue="Support", status="Connected"),
            message,
        )  # fmt: skip
        await wait_for(pilot, lambda: from_row(feed(app).view.rows[-1]).call == "1001234565")
        await pilot.press("end", "enter")
        await pilot.pause()
        detail = app.screen.query_one(EventDetail)
        summary = str(detail.query_one("#detail-summary").render())
        assert "server cic-demo · subscription q0 · message class queueContents" in summary
        assert "interaction 1001234565" in summary
        assert "app q0" not in summary and "node cic-demo" not in summary
        assert "call 1001234565" not in summary
        assert "ICWS server's message channel (not a hook" in summary
        assert str(detail.query_one("#detail-request-title").render()) == "ICWS message"
        assert "queueContentsMessage" in str(detail.query_one("#detail-request").render())
        await pilot.press("escape", "home", "enter")  # a WCS hook keeps its own words
        await pilot.pause()
        summary = str(detail.query_one("#detail-summary").render())
        assert "node " in summary and "app " in summary
        assert str(detail.query_one("#detail-request-title").render()) == "Request body"


async def test_a_filter_that_matches_nothing_says_so() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        app.screen.query_one("#query-bar Input", Input).value = "zz-nothing-like-it"
        await pilot.press("enter")
        await pilot.pause()
        events = app.screen.query_one(EventList)
        assert len(feed(app).view) == 0
        line = "".join(segment.text for segment in events.render_line(1))
        assert "No event matches zz-nothing-like-it" in line and "Esc clears" in line
        await pilot.press("escape")
        assert len(feed(app).view) > 0
