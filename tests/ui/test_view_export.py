"""Pilot tests of exporting what a screen shows: the feed's filtered view (x), the Calls table (x)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.ui.calls_support import seeded_app
from tests.ui.typing_support import paste
from tui.core.export import read_jsonl
from tui.core.feed import SEV_ERROR, SOURCE_WCS, blank_event, from_row
from tui.ui.screens.calls import CallsScreen
from tui.ui.screens.feed import FeedScreen
from tui.ui.screenshots import deterministic_app
from tui.ui.text import display_path
from tui.ui.widgets.calls.group_list import GroupList


def notices(app) -> list[str]:
    return [note.message for note in app._notifications]


def exports(home: Path) -> list[Path]:
    folder = home / "xdg-data" / "noc-console" / "exports"
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


async def test_x_exports_the_filtered_feed_with_redacted_bodies(isolated_home: Path) -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, FeedScreen)
        raw = json.dumps({"callId": "leaky-1", "status": "FAILED", "sipPassword": "hunter2"})
        meta = {"path": "/apps/EchoApp/CallStatusEvent",
                "headers": {"authorization": "WCS 0badc0de"}}  # fmt: skip
        app.services.store.publish(
            blank_event(ts=1_773_468_000.0, source=SOURCE_WCS, method="CallStatusEvent",
                        call="leaky-1", status="FAILED", sip_status=503, reply_status=200,
                        severity=SEV_ERROR),
            raw.encode(), b"{}", meta,
        )  # fmt: skip
        await pilot.press("slash")
        await paste(pilot, "sip:>=400")
        await pilot.press("enter")
        await pilot.pause()
        shown = [from_row(row) for row in screen.view.rows]
        assert 1 < len(shown) < len(app.services.store.rows)
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (path,) = exports(isolated_home)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.name.startswith("feed-") and path.parent.name == "exports"
        items = list(read_jsonl(path))
        assert [item.event.seq for item in items] == [event.seq for event in shown]
        text = path.read_text(encoding="utf-8")
        assert "hunter2" not in text and "0badc0de" not in text
        leaky = next(item for item in items if item.event.call == "leaky-1")
        assert leaky.raw is not None and json.loads(leaky.raw)["sipPassword"] == "***"
        assert leaky.meta == {"path": "/apps/EchoApp/CallStatusEvent",
                              "headers": {"authorization": "WCS ***"}}  # fmt: skip
        said = f"Exported {len(shown):,} events (filter: sip:>=400) to {display_path(path)}"
        assert said in notices(app)


async def test_x_exports_the_calls_table_as_it_is_shown(isolated_home: Path) -> None:
    app = seeded_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallsScreen)
        await pilot.press("slash")
        await paste(pilot, "state:FAILED")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")  # another order than the first: the file keeps the screen's
        await pilot.pause()
        shown = [group.id for group in screen.query_one(GroupList).rows]
        assert shown
        await pilot.press("x")
        await pilot.pause()
        (path,) = exports(isolated_home)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.name.startswith("calls-call-")
        listings = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert [doc["id"] for doc in listings] == shown
        assert {doc["final_status"] or doc["state"] for doc in listings} == {"FAILED"}
        said = f"Exported {len(shown):,} rows (filter: state:FAILED) to {display_path(path)}"
        assert said in notices(app)
        await pilot.press("x")  # again in the same second: a second file, the first kept
        await pilot.pause()
        assert {p.name for p in exports(isolated_home)} == {path.name, path.stem + "-2.jsonl"}


async def test_the_exports_are_in_the_palette(isolated_home: Path) -> None:
    from tui.ui.palette import screen_commands

    app = seeded_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert "Feed: Export" in [command.name for command in screen_commands(app.screen)]
        await pilot.press("4")
        await pilot.pause()
        assert "Calls: Export" in [command.name for command in screen_commands(app.screen)]


async def test_an_empty_view_is_not_exported(isolated_home: Path) -> None:
    app = seeded_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await paste(pilot, "call:no-such-call")
        await pilot.press("enter", "x")
        await pilot.pause()
        await pilot.press("4", "slash")
        await paste(pilot, "state:NO_SUCH_STATE")
        await pilot.press("enter", "x")
        await pilot.pause()
        assert exports(isolated_home) == []
        assert "Nothing to export: the feed shows no events" in notices(app)
        assert "Nothing to export: the table is empty" in notices(app)
