"""`noc-console open` under Pilot: a recorded demo journal replayed through the console gives
the rows, calls and errors-seen counts the live run had; the timeline's keys (space, . , T, E)
move it; the header says REPLAY and the file; at 80x24 and 120x40."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.readme_journal import seeded_journal
from tests.ui.typing_support import burst
from tui.cli.replay import open_timeline, replay_board
from tui.config import AppConfig, CorrelateConfig, LoadedConfig
from tui.core.correlate import Correlator
from tui.core.correlate.checkpoint import group_row
from tui.core.errors.tally import ErrorTally
from tui.core.feed import FeedEvent
from tui.services import Services, correlator_limits
from tui.ui.app import NocApp, create_app
from tui.ui.screens.feed import FeedScreen
from tui.ui.screens.seek import SeekScreen
from tui.ui.screenshots import fixed_clock
from tui.ui.themes import load_themes
from tui.ui.widgets.empty_state import EmptyNote
from tui.ui.widgets.feed.event_list import EventList
from tui.ui.widgets.header import NocHeader
from tui.ui.widgets.replay_bar import ReplayBar

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[FeedEvent]]:
    """The seeded demo traffic as the live console journalled it, and the events it holds."""
    folder = tmp_path_factory.mktemp("recorded")
    return folder / "demo.sqlite", seeded_journal(folder)


def _config() -> AppConfig:
    # Ended groups kept longer than the traffic lasts: the ageing clock changes nothing.
    config = AppConfig.model_construct()
    return config.model_copy(update={"correlate": CorrelateConfig(keep_ended_s=86_400)})


def replay_app(path: Path, *, paused: bool = False, context: int = 5_000) -> NocApp:
    config = _config()
    loaded = LoadedConfig(config=config, path=path.parent / "config.toml", file_exists=False,
                          watches_something=False)  # fmt: skip
    timeline = open_timeline([path])
    services = Services.for_replay(config, replay_board(timeline), timeline, context=context)
    assert services.replay is not None
    services.replay.player.paused = paused
    return create_app(
        loaded, services=services, start_services=False, clock=fixed_clock,
        themes=load_themes(include_user=False), persist_theme=False,
    )  # fmt: skip


def live_state(events: list[FeedEvent]) -> tuple[list[tuple[object, ...]], ErrorTally]:
    """What the live console's correlator and errors-seen view held after these events."""
    correlator = Correlator(correlator_limits(_config()))
    correlator.add_all(events)
    tally = ErrorTally()
    tally.add_events(events)
    return sorted(group_row(g) for g in correlator), tally


async def played_to_end(app: NocApp, pilot) -> None:
    """Until every event is played and the feed's view (which syncs on its own clock, less
    often when the machine is busy) shows them all."""
    replay = app.services.replay
    assert replay is not None
    while not replay.state().at_end:
        await pilot.pause(0.05)
    screen = app.screen
    assert isinstance(screen, FeedScreen)
    while len(screen.view) < app.services.store.received:
        await pilot.pause(0.05)
    app._tally_new_events()


async def test_a_replayed_journal_gives_the_rows_calls_and_errors_of_the_live_run(
    recorded: tuple[Path, list[FeedEvent]],
) -> None:
    path, events = recorded
    app = replay_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await played_to_end(app, pilot)
        store = app.services.store
        assert list(store.rows) == [tuple(e) for e in events]
        groups, tally = live_state(events)
        app.services.correlate()
        assert sorted(group_row(g) for g in app.services.correlator) == groups
        assert app.errors_seen.rows() == tally.rows() and app.errors_seen.events == tally.events
        screen = app.screen
        assert isinstance(screen, FeedScreen) and len(screen.view) == len(events)
        seq = events[len(events) // 2].seq
        body = store.body(seq)
        assert body is not None and body.raw  # read from the journal when shown


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_header_and_bar_say_replay_and_the_file(
    recorded: tuple[Path, list[FeedEvent]], size: tuple[int, int]
) -> None:
    path, events = recorded
    app = replay_app(path)
    async with app.run_test(size=size) as pilot:
        await played_to_end(app, pilot)
        await pilot.pause(0.3)
        header = app.screen.query_one(NocHeader).render().plain
        assert "REPLAY" in header and "journal:demo.sqlite" in header
        assert header.splitlines()[0].rstrip().endswith(fixed_clock().strftime("%H:%M:%SZ"))
        bar = app.screen.query_one(ReplayBar)
        text = bar.render().plain
        assert f"{len(events):,}/{len(events):,}" in text and "end" in text
        assert bar.region.width == size[0] and bar.region.y == size[1] - 2  # above the footer
        await pilot.press("4")  # every screen has the bar
        await pilot.pause(0.1)
        assert app.screen.query(ReplayBar)


async def test_pause_step_step_back_and_seek_by_time_under_pilot(
    recorded: tuple[Path, list[FeedEvent]],
) -> None:
    path, events = recorded
    app = replay_app(path, paused=True, context=50)
    async with app.run_test(size=(80, 24)) as pilot:
        replay = app.services.replay
        assert replay is not None
        store = app.services.store
        await pilot.pause(0.2)
        assert len(store.rows) == 0 and "paused" in app.screen.query_one(ReplayBar).render().plain
        assert app.screen.query_one("#feed-empty").display
        note = str(app.screen.query_one(EmptyNote).render())
        assert "Nothing played yet" in note and "update app" not in note  # not how to point WCS
        for _ in range(3):
            await pilot.press("full_stop")
        assert [r[0] for r in store.rows] == [1, 2, 3]
        await pilot.press("comma")
        assert [r[0] for r in store.rows] == [1, 2]
        await pilot.press("space")  # play (max speed) ...
        while not replay.state().at_end:
            await pilot.pause(0.05)
        await pilot.press("space")  # ... and pause again
        assert replay.player.paused
        await pilot.press("T")
        assert isinstance(app.screen, SeekScreen)
        target = events[len(events) // 3]
        moment = f"{datetime.fromtimestamp(target.ts, UTC):%H:%M:%S.%f}"
        app.screen.query_one("#seek-input", Input).value = moment[:-3]
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, FeedScreen)
        last = store.rows[len(store.rows) - 1]
        assert last[1] <= target.ts + 0.001 and len(store.rows) == 50
        assert replay.state().partial_since > 0  # rebuilt from a window: the bar says from when
        assert "⟲ from" in app.screen.query_one(ReplayBar).render().plain
        assert app.errors_seen.events <= 50  # the counts start over with the window
        await pilot.press("T")
        app.screen.query_one("#seek-input", Input).value = "someday"
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, FeedScreen) and len(store.rows) == 50  # nothing moved


async def test_a_time_typed_in_a_burst_after_t_goes_into_the_seek_field(
    recorded: tuple[Path, list[FeedEvent]],
) -> None:
    """The keys after ``T`` that arrive before it is handled are the time (they were lost, and
    the field stayed empty), and an Enter among them goes."""
    path, _ = recorded
    app = replay_app(path, paused=True, context=50)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        burst(pilot, "T12:0")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SeekScreen)
        assert app.screen.query_one("#seek-input", Input).value == "12:0"
        await pilot.press("escape")
        burst(pilot, "Tend\r")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FeedScreen)
        replay = app.services.replay
        assert replay is not None and replay.state().at_end


async def test_next_error_selects_it_in_the_feed(recorded: tuple[Path, list[FeedEvent]]) -> None:
    path, events = recorded
    app = replay_app(path, paused=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("E")
        await pilot.pause(0.1)
        first_error = next(e for e in events if e.is_error)
        store = app.services.store
        assert store.rows[len(store.rows) - 1][0] == first_error.seq
        assert app.screen.query_one(EventList).selected_seq == first_error.seq
        await pilot.press("E")
        second = next(e for e in events if e.is_error and e.seq > first_error.seq)
        assert app.screen.query_one(EventList).selected_seq == second.seq
        await pilot.press("W")
        assert store.rows[len(store.rows) - 1][0] == first_error.seq


async def test_the_replay_keys_do_nothing_live() -> None:
    from tui.ui.screenshots import deterministic_app

    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        before = len(app.services.store.rows)
        await pilot.press("E", "T", "full_stop")
        assert not isinstance(app.screen, SeekScreen)
        assert len(app.services.store.rows) == before and app.services.replay is None
        assert not app.screen.query(ReplayBar)


async def test_x_in_a_replay_exports_the_view_with_bodies_read_from_the_journal(
    recorded: tuple[Path, list[FeedEvent]], isolated_home: Path
) -> None:
    import json

    path, events = recorded
    app = replay_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await played_to_end(app, pilot)
        await pilot.press("x")  # the bodies come from the journal, on the export's own thread
        await app.workers.wait_for_complete()
        await pilot.pause()
        folder = isolated_home / "xdg-data" / "noc-console" / "exports"
        (exported,) = folder.glob("feed-*.jsonl")
        lines = exported.read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(events)
        wcs = [json.loads(line) for line in lines if '"source": "wcs"' in line]
        assert wcs and all("raw" in doc or "raw_text" in doc for doc in wcs)
        assert any("Exported" in n.message for n in app._notifications)


async def test_the_correlator_a_jump_builds_is_the_one_that_ages_out(
    recorded: tuple[Path, list[FeedEvent]],
) -> None:
    path, events = recorded
    app = replay_app(path, paused=True, context=50)
    async with app.run_test(size=(80, 24)) as pilot:
        replay = app.services.replay
        assert replay is not None
        before = app.services.correlator
        replay.seek(events[len(events) // 2].ts)  # far enough back to start over
        replay.seek(events[100].ts)
        await pilot.pause()
        now = app.services.correlator
        assert now is not before
        aged: list[float | None] = []

        def expire(now_ts: float | None = None) -> int:
            aged.append(now_ts)
            return 0

        now.expire = expire  # type: ignore[method-assign,assignment]
        app._expire_groups()  # what the app's one-second clock runs
        assert aged == [None]
