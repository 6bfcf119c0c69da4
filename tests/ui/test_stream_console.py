"""`noc-console run --feed` under Pilot, against a real nats-server and collector: the header
says NATS, the bar says live or how far behind, F jumps to live, and the feed's filter narrows
(or widens, reading again) what the console reads."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.nats_support import NatsServer, nats_server
from tests.net.test_feed import calls_of, collector, post
from tests.ui.typing_support import paste
from tui.cli.collect import Collector
from tui.cli.feed_option import feed_board
from tui.config import AppConfig, LoadedConfig, NatsConfig
from tui.net.nats.consumer import StartAt
from tui.services import Services
from tui.ui.app import NocApp, create_app
from tui.ui.screens.feed import FeedScreen
from tui.ui.screenshots import fixed_clock
from tui.ui.themes import load_themes
from tui.ui.widgets.header import NocHeader
from tui.ui.widgets.stream_bar import StreamBar

__all__ = ["collector", "nats_server"]

pytestmark = pytest.mark.slow


def stream_app(url: str, tmp_path: Path, *, query: str = "") -> NocApp:
    config = AppConfig()
    loaded = LoadedConfig(config=config, path=tmp_path / "config.toml", file_exists=False,
                          watches_something=True)  # fmt: skip
    services = Services.for_feed(
        config, feed_board(config), NatsConfig(urls=[url], connect_timeout_s=1.0),
        start=StartAt.first(), query=query, headless=False,
    )  # fmt: skip
    return create_app(loaded, services=services, clock=fixed_clock,
                      themes=load_themes(include_user=False), persist_theme=False)  # fmt: skip


async def shown(app: NocApp, pilot, count: int) -> None:
    screen = app.screen
    assert isinstance(screen, FeedScreen)
    async with asyncio.timeout(20):
        while len(screen.view) != count:
            await pilot.pause(0.05)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_console_says_nats_live_and_behind(
    nats_server: NatsServer, collector: Collector, tmp_path: Path, size: tuple[int, int]
) -> None:
    await post(collector, [f"a{n}" for n in range(5)])
    app = stream_app(nats_server.url, tmp_path)
    async with app.run_test(size=size) as pilot:
        await shown(app, pilot, 5)
        header = app.screen.query_one(NocHeader)
        assert "NATS" in header.render().plain
        bar = app.screen.query_one(StreamBar)
        await pilot.pause(0.3)
        assert bar.render().plain.startswith(" ● live ")
        assert "NOC noc.>" in bar.render().plain and "5 events" in bar.render().plain
        feed = app.services.feed
        assert feed is not None
        feed.pending = 5_000  # as the last message taken said: 5,000 still to come
        assert bar.render().plain.startswith(" ▼ 5,000 behind")
        assert " F live " in bar.render().plain
        await pilot.press("F")  # jump to live
        async with asyncio.timeout(10):
            while feed.jumps == 0:
                await pilot.pause(0.05)
        assert feed.skipped == 5_000
        await post(collector, ["live"])
        await shown(app, pilot, 6)
        assert bar.render().plain.startswith(" ● live ")


async def test_the_filter_narrows_and_widens_what_is_read(
    nats_server: NatsServer, collector: Collector, tmp_path: Path
) -> None:
    await post(collector, ["one"], node="wcs1.lan")
    await post(collector, ["two"], node="wcs2.lan")
    app = stream_app(nats_server.url, tmp_path, query="node:wcs1.lan")
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.services.feed
        assert feed is not None and feed.subject == "noc.*.wcs1%2Elan.*"
        await shown(app, pilot, 1)
        await pilot.press("slash", "ctrl+u", "enter")  # no filter: a wider subject
        await shown(app, pilot, 2)
        assert feed.subject == "noc.>" and calls_of(app.services) == ["one", "two"]
        await pilot.press("slash", "ctrl+u")
        await paste(pilot, "node:wcs2.lan")
        await pilot.press("enter")  # narrower: the rows stay, the stream goes on
        await shown(app, pilot, 1)
        assert feed.subject == "noc.*.wcs2%2Elan.*"
        await post(collector, ["three"], node="wcs1.lan")
        await post(collector, ["four"], node="wcs2.lan")
        async with asyncio.timeout(10):
            while calls_of(app.services)[-1:] != ["four"]:
                await pilot.pause(0.05)
        assert calls_of(app.services) == ["one", "two", "four"]
