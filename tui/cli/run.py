"""``noc-console demo``, ``noc-console run`` and a bare ``noc-console``: the console itself."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, load
from tui.cli.feed_option import add_feed_options
from tui.cli.journal_option import add_journal_option, with_journal_file

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.config import LoadedConfig, NatsConfig


def add_demo(sub: Subparsers) -> None:
    demo = sub.add_parser(
        "demo",
        help="run the console against built-in simulators of all five systems",
        description="Run the console against simulators of WCS, ICWS, SBC, CUE and MWS on "
        "loopback. Your theme and keymap from the config file still apply.",
    )
    demo.add_argument("--config", type=Path, metavar="FILE", help="take theme and keymap from FILE")
    demo.add_argument(
        "--tap",
        action="store_true",
        help="tap mode: the console forwards hooks to a simulated backend (which then refuses, "
        "slows down and fails)",
    )
    demo.add_argument("--seed", type=int, default=7, help="simulator seed (default 7)")
    demo.add_argument("--filter", metavar="QUERY", help="start the feed with this filter")
    add_journal_option(demo)
    demo.add_argument(
        "--wcs-log",
        type=Path,
        metavar="FILE",
        help="the simulated WCS also writes its own log (flashphoner.log) to FILE, "
        "for `noc-console import wcs-log`",
    )
    demo.add_argument(
        "--targets",
        action="store_true",
        help="no console: run the simulators, print their URLs and browse/tail command lines "
        "that reach them, serve until Ctrl+C",
    )
    demo.set_defaults(handler=demo_command)


def add_run(sub: Subparsers) -> None:
    run = sub.add_parser(
        "run",
        help="run the console against the systems in the config file",
        description="Run the console live: the WCS hook listener, ICWS servers and targets "
        "from the config file.",
    )
    run.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    run.add_argument("--filter", metavar="QUERY", help="start the feed with this filter")
    add_journal_option(run)
    add_feed_options(run, since_default=FEED_SINCE)
    run.set_defaults(handler=run_command)


FEED_SINCE = "15m"
"""Where a console reading the stream starts unless told: the last quarter of an hour."""


def bare(args: argparse.Namespace) -> int:
    """A bare ``noc-console``: the live console if the config names something to watch."""
    loaded = load(None)
    if loaded.watches_something:
        return _launch(loaded, demo=False)
    return demo(None)


def demo_command(args: argparse.Namespace) -> int:
    if args.targets:
        from tui.cli.demo_targets import serve_targets

        return serve_targets(seed=args.seed, tap=args.tap)
    return demo(
        args.config, tap=args.tap, seed=args.seed, query=args.filter, journal=args.journal,
        wcs_log=args.wcs_log,
    )  # fmt: skip


def run_command(args: argparse.Namespace) -> int:
    from tui.cli.feed_option import feed_nats

    loaded = with_filter(load(args.config), args.filter)
    nats = feed_nats(args, loaded.config)
    if nats is not None:
        return _launch_feed(loaded, nats, args)
    config = with_journal_file(loaded.config, args.journal)
    return _launch(loaded.model_copy(update={"config": config}), demo=False)


def _launch_feed(loaded: LoadedConfig, nats: NatsConfig, args: argparse.Namespace) -> int:
    """The console on the stream: its own consumer, no listener, no journal of its own."""
    from tui.cli.feed_option import feed_board, start_at
    from tui.core.problems import UsageError
    from tui.services import Services
    from tui.ui.app import create_app

    if args.journal is not None:
        raise UsageError("--journal: a console reading --feed writes none (the collectors do)")
    config = loaded.config
    services = Services.for_feed(
        config, feed_board(config), nats, start=start_at(args, config, FEED_SINCE),
        query=config.feed.default_filter, headless=False,
    )  # fmt: skip
    create_app(loaded, services=services).run()
    return EXIT_OK


def with_filter(loaded: LoadedConfig, query: str | None) -> LoadedConfig:
    """``--filter`` replaces ``feed.default_filter``; a bad query is a usage error (exit 2)."""
    if query is None:
        return loaded
    from tui.core.problems import UsageError
    from tui.core.query import QueryError, compile_query

    try:
        compile_query(query)
    except QueryError as exc:
        raise UsageError(f"--filter: {exc}") from None
    feed = loaded.config.feed.model_copy(update={"default_filter": query})
    return loaded.model_copy(update={"config": loaded.config.model_copy(update={"feed": feed})})


def demo(
    config: Path | None,
    *,
    tap: bool = False,
    seed: int = 7,
    query: str | None = None,
    journal: Path | None = None,
    wcs_log: Path | None = None,
) -> int:
    from tui.sim.demo import Demo, demo_config
    from tui.ui.app import create_app

    loaded = with_filter(load(config), query)
    # its servers start in the background, after the first frame
    runner = Demo(seed=seed, tap=tap, wcs_log=wcs_log)
    demo_settings = with_journal_file(demo_config(loaded.config, tap=tap), journal)
    demo_loaded = loaded.model_copy(update={"config": demo_settings})
    app = create_app(demo_loaded, demo=True, demo_runner=runner)
    try:
        app.run()
    finally:
        runner.stop()
    return app.return_code or EXIT_OK  # 129 when its terminal hung up


def _launch(loaded: LoadedConfig, *, demo: bool) -> int:
    from tui.ui.app import create_app

    app = create_app(loaded, demo=demo)
    app.run()
    if summary := app.services.exit_summary():
        with contextlib.suppress(OSError):  # not to a terminal that hung up
            print(summary, file=sys.stderr)
    return app.return_code or EXIT_OK  # 129 when its terminal hung up
