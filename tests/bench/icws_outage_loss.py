"""Messages lost by the ICWS client across outages its session should outlive.

    .venv/bin/python tests/bench/icws_outage_loss.py [--wait 15] [--only 500s|hang|sse-stall]

Each outage plays on the simulator's world clock while numbered messages are queued for the
session, then the script waits (up to ``--wait`` s) for them to reach the sink:

1. ``500s``: message polls answer HTTP 500 for 25 s of world time; 50 messages queued.
2. ``hang``: every request is accepted and never answered for 45 s of world time; 100
   messages queued. The client gets a 0.5 s read timeout so the hang costs seconds, not
   minutes.
3. ``sse-stall``: the open event stream goes silent (no events, no keep-alives); 10 messages
   queued. The client's request timeout is 30 s, so a client that only notices silence at its
   read timeout needs 60 s.

Prints, per outage: delivered, missing after the wait (lost for good when the session was
replaced: reads are destructive and the old session's queue is never read), delivered twice,
logins, whether the session survived, and how long after the outage's end (for the stall:
after the stall) the last message arrived. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import time
from collections.abc import Callable
from typing import Any

import httpx

from tui.config import IcwsServer
from tui.core.feed import FeedEvent
from tui.core.icws_state import IcwsState
from tui.core.sources import SourceBoard
from tui.net.icws import IcwsClient
from tui.sim.host import SimHost
from tui.sim.icws import IcwsSimulator

PASSWORD_ENV = "ICWS_BENCH_PASSWORD"
PASSWORD = "bench-not-a-secret"
MARK = "licenses:licenseMessage"


class MarkSink:
    """Keeps the numbers of the marked messages that reach it."""

    def __init__(self) -> None:
        self.marks: list[int] = []

    def publish(self, event: FeedEvent, raw: bytes = b"", reply: bytes = b"") -> FeedEvent:
        if event.method == MARK:
            self.marks.append(json.loads(raw)["mark"])
        return event


def config(url: str, **overrides: Any) -> IcwsServer:
    data: dict[str, Any] = {
        "name": "cic-bench",
        "url": url,
        "user": "noc",
        "password_env": PASSWORD_ENV,
        "poll_interval_s": 0.1,
        "use_sse": False,
        "request_timeout_s": 30,
        "reconnect_initial_s": 0.05,
        "reconnect_max_s": 0.4,
        "queues": [{"name": "Support"}],
    }
    data.update(overrides)
    return IcwsServer.model_validate(data)


async def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


def count(sim: IcwsSimulator, status: int) -> int:
    return sum(
        1
        for r in list(sim.requests)
        if r.status == status and r.path.endswith("/messaging/messages")
    )


async def play(outage: str, wait_s: float) -> str:
    with SimHost(f"outage-{outage}") as host:
        sim = IcwsSimulator(seed=11, users={"noc": PASSWORD})
        sim.serve(host)
        sim.faults.sse_ping_s = 0.2
        sink = MarkSink()
        http = httpx.AsyncClient(timeout=httpx.Timeout(0.5)) if outage == "hang" else None
        stall = outage == "sse-stall"
        overrides: dict[str, Any] = {"use_sse": True, "sse_keepalive_s": 0.2} if stall else {}
        client = IcwsClient(
            config(sim.urls[0], **overrides), sink, SourceBoard(), IcwsState(), http=http
        )
        task = asyncio.create_task(client.run())
        try:
            up = await wait_for(
                lambda: client.session is not None and client.stats.messages > 0, 10
            )
            if stall:
                up = up and await wait_for(lambda: client.stats.mode == "sse", 10)
            if not up:
                return f"{outage:9}  the client never came up"
            first = client.session.session_id if client.session else ""
            total, dt, half = {"500s": (50, 0.5, 24), "hang": (100, 0.45, 49)}.get(
                outage, (10, 0.0, -1)
            )
            if outage == "500s":
                sim.fail_polls(500, for_s=25.0)
            elif outage == "hang":
                sim.hang(for_s=45.0)
            else:
                sim.stall_streams()
            for number in range(total):
                sim.inject({"__type": "urn:inin.com:" + MARK, "isDelta": False, "mark": number})
                if dt:
                    sim.advance(steps=1, dt=dt)
                if number == half:  # past the point where the old client gave up
                    failed = 500 if outage == "500s" else 0
                    await wait_for(lambda: count(sim, failed) > 3, 10)  # noqa: B023
            ended = time.perf_counter()  # the world clock is past the outage window now
            complete = await wait_for(lambda: len(sink.marks) >= total, wait_s)
            took = f"{time.perf_counter() - ended:5.1f} s" if complete else "  -   "
            got = sink.marks
            lost, twice = total - len(set(got)), len(got) - len(set(got))
            kept = client.session is not None and client.session.session_id == first
            return (
                f"{outage:9}  delivered {len(set(got)):3} of {total:3}  missing {lost:3}  "
                f"twice {twice}  logins {client.stats.logins}  "
                f"session {'kept' if kept else 'replaced'}  all in {took}"
            )
        finally:
            await client.aclose()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


OUTAGES = ("500s", "hang", "sse-stall")


async def main(wait_s: float, only: str | None) -> None:
    os.environ[PASSWORD_ENV] = PASSWORD
    for outage in OUTAGES:
        if only in (None, outage):
            print(await play(outage, wait_s), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--wait", type=float, default=15.0, help="seconds to wait for delivery")
    parser.add_argument("--only", choices=OUTAGES, help="play just this outage")
    args = parser.parse_args()
    asyncio.run(main(args.wait, args.only))
