"""``--feed [nats://HOST:PORT[/STREAM]]`` and ``--since WHEN`` for the commands that can read
the stream collectors publish to (``run``, ``tail``, ``calls``, ``export``) instead of
listening or reading a journal."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tui.cli.common import load

if TYPE_CHECKING:
    from tui.config import AppConfig, NatsConfig
    from tui.core.export.item import ExportedEvent
    from tui.core.sources import SourceBoard
    from tui.net.nats.consumer import StartAt

FEED_METAVAR = "nats://HOST:PORT[/STREAM]"


def add_feed_options(parser: argparse.ArgumentParser, *, since_default: str | None) -> None:
    """``since_default`` None: the command takes no ``--since`` (it has its own bounds)."""
    parser.add_argument(
        "--feed",
        nargs="?",
        const="",
        metavar=FEED_METAVAR,
        help="read the NATS JetStream stream `noc-console collect` publishes to instead of "
        "listening (alone: the [nats] section's servers and stream; credentials and TLS "
        "always come from that section)",
    )
    if since_default is not None:
        parser.add_argument(
            "--since",
            metavar="WHEN",
            help=f"with --feed, where to start: 15m, 2h, 1d ago, HH:MM, YYYY-MM-DD HH:MM, "
            f"start or now (default {since_default})",
        )


def feed_nats(args: argparse.Namespace, config: AppConfig) -> NatsConfig | None:
    """The stream settings ``--feed`` names (None without ``--feed``); a usage error when the
    URL does not read or the client is not installed."""
    from pydantic import ValidationError

    from tui.config.jetstream import feed_settings
    from tui.core.problems import UsageError

    if getattr(args, "feed", None) is None:
        if getattr(args, "since", None) is not None:
            raise UsageError("--since goes with --feed (a stream to read)")
        return None
    try:
        import nats  # noqa: F401
    except ImportError:
        raise UsageError(
            "--feed reads NATS: the client is not installed: pip install 'noc-console[nats]'"
        ) from None
    flag = f"--feed {args.feed}" if args.feed else "--feed"
    try:
        return feed_settings(config.nats, args.feed)
    except ValidationError as exc:
        problems = "; ".join(_problem(error["loc"], str(error["msg"])) for error in exc.errors())
        raise UsageError(f"{flag}: {problems}") from None
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _problem(where: tuple[int | str, ...], message: str) -> str:
    text = message.removeprefix("Value error, ")
    return f"{'.'.join(map(str, where))}: {text}" if where else text


def start_at(args: argparse.Namespace, config: AppConfig, default: str) -> StartAt:
    """Where ``--since`` (or ``default``) starts reading."""
    from tui.core.since import since_time
    from tui.net.nats.consumer import StartAt

    text = getattr(args, "since", None) or default
    return StartAt(since_time(text, now=time.time(), utc=config.ui.clock_utc))


def feed_board(config: AppConfig) -> SourceBoard:
    """The sources a stream-fed console shows: its REST targets (the browser still reaches
    them) and, added by the services, the feed; no hook listener or ICWS server of its own."""
    from tui.config import sources_from_config
    from tui.core.sources import SourceBoard, SourceKind

    own = (SourceKind.WCS, SourceKind.ICWS)
    return SourceBoard([s for s in sources_from_config(config) if s.kind not in own])


def stream_items(args: argparse.Namespace, command: str, start: StartAt) -> Iterator[ExportedEvent]:
    """The events of the stream ``--feed`` names, from ``start`` to the stream's end as it is
    now (numbered in the order read); says on stderr how many messages were not events."""
    from tui.core.problems import UsageError
    from tui.net.nats.stream_read import StreamReader, StreamReadError

    nats = feed_nats(args, load(getattr(args, "config", None)).config)
    assert nats is not None
    reader = StreamReader(nats, nats.subjects, start)
    try:
        yield from reader.items()
    except StreamReadError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if reader.bad:
            print(f"noc-console {command}: {reader.bad:,} messages of the stream were not "
                  f"events (last: {reader.last_problem})", file=sys.stderr)  # fmt: skip
