"""The ICWS simulator: one contact centre, a primary and a backup host, faults and a clock.

Serve it on a :class:`tui.sim.host.SimHost`, start its clock, and steer it from any thread:
``expire_sessions()`` (every session answers 401), ``switchover()`` (the active host drops its
sessions and answers 503 with ``alternateHostList`` naming the other one), ``faults.empty_200``,
``faults.slow_s``, ``idle_timeout_s``. Outages that sessions outlive, timed on the world's clock so
that tests play them in virtual time: ``fail_polls(500, for_s=25)`` (message polls answer 500),
``hang(for_s=45)`` (requests are accepted and never answered) and ``stall_streams()`` (open event
streams go silent); the world keeps queueing for every session meanwhile. ``play("surge")`` /
``play("outbound-stuck")`` run stories 4 and 1 (docs/architecture.md §11.5), on
the world's clock as well: a test that steps the world plays a story in lockstep, as fast as the
client keeps up. Seeded: the same seed and the same steps give the same messages.

Alternate hosts are given as ``127.0.0.1:<port>`` because both simulated hosts share the
loopback address; real servers name hosts, and the client keeps the configured port then.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tui.sim.icws.faults import Faults
from tui.sim.icws.scenarios import SCENARIOS, Story
from tui.sim.icws.server import HostContext, IcwsSimServer, RequestRecord, Tally
from tui.sim.icws.world import Changes, ContactCentre

if TYPE_CHECKING:
    from tui.sim.host import SimHost

T = TypeVar("T")


class IcwsSimulator:
    """A simulated CIC server pair speaking ICWS over real HTTP on loopback."""

    def __init__(
        self,
        *,
        seed: int = 4,
        users: dict[str, str] | None = None,
        hosts: int = 2,
        messaging_version: int = 2,
        start: float = 1_773_480_000.0,
    ) -> None:
        self.world = ContactCentre(seed=seed, start=start)
        self.users = dict(users or {"noc": "noc-demo-password"})
        self.faults = Faults()
        self.idle_timeout_s = 300.0
        self.tally = Tally()
        context = HostContext(
            world=self.world, faults=self.faults, users=self.users, tally=self.tally,
            peers=self.peers, record=self.record, expire_idle=self.expire_idle,
        )  # fmt: skip
        self.servers = [
            IcwsSimServer(context, f"cic-{'ab'[i] if i < 2 else i}", messaging_version)
            for i in range(max(1, hosts))
        ]
        for server in self.servers[1:]:
            server.accepting = False  # the backup takes connections only after a switchover
        self.requests: deque[RequestRecord] = deque(maxlen=5000)
        self.urls: list[str] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._clock_task: concurrent.futures.Future[Any] | None = None
        self._stories: list[_Playing] = []
        self.steps = 0

    @property
    def delivered(self) -> int:
        """Messages handed to clients (polls and streams) so far: reads are destructive."""
        return self.tally.delivered

    @property
    def streams_opened(self) -> int:
        """Event streams served so far (each is numbered from 0)."""
        return self.tally.streams_opened

    # -- serving ------------------------------------------------------------------------

    def serve(self, host: SimHost, *, tls: tuple[Path, Path] | None = None) -> str:
        """Serve every simulated host on 127.0.0.1; return the primary's base URL.

        ``tls`` = (certificate, key) PEM files serves HTTPS instead (the TLS tests).
        """
        self._loop = host.loop
        if tls is None:
            self.urls = [host.serve(server, name=server.name) for server in self.servers]
        else:
            cert, key = (str(part) for part in tls)
            self.urls = [
                host.serve(server, name="icws", tls=(cert, key)) for server in self.servers
            ]
        for server, url in zip(self.servers, self.urls, strict=True):
            server.address = url.split("://", 1)[1]
        return self.urls[0]

    def start_clock(self, host: SimHost, tick_s: float = 0.25) -> None:
        """Advance the world in real time on the host's loop (demo and load tests)."""

        async def tick() -> None:
            loop = asyncio.get_running_loop()
            last = loop.time()
            while True:
                await asyncio.sleep(tick_s)
                now = loop.time()
                self.step(now - last)
                last = now

        self._clock_task = host.spawn(tick())

    def stop_clock(self) -> None:
        """Freeze the world (tests compare the client's view with it once it is still)."""
        if self._clock_task is not None:
            self._clock_task.cancel()
            self._clock_task = None

    def record(self, request: RequestRecord) -> None:
        self.requests.append(request)

    def peers(self, host: IcwsSimServer) -> list[str]:
        """The addresses of the other hosts, whatever state they are in right now."""
        return [other.address for other in self.servers if other is not host]

    # -- the world moves ----------------------------------------------------------------

    def step(self, dt: float = 0.5) -> None:
        """Advance the world and hand the changes to every live session (loop thread only)."""
        changes = self.world.step(dt)
        self.steps += 1
        for server in self.servers:
            self.expire_idle(server)
        self.deliver(changes)
        self._play_due()

    def expire_idle(self, server: IcwsSimServer) -> None:
        limit = self.world.now - self.idle_timeout_s
        for session_id, session in list(server.sessions.items()):
            if session.last_seen < limit:
                server.drop(session_id)

    # -- steering from another thread ---------------------------------------------------

    def run(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the simulator's loop and return its result (safe from any thread)."""
        loop = self._loop
        if loop is None or not loop.is_running() or _on_loop(loop):
            return fn()

        async def call() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(call(), loop).result(10)

    def advance(self, steps: int = 1, dt: float = 0.5) -> None:
        """Step the world by hand (tests): ``steps`` × ``dt`` seconds."""

        def go() -> None:
            for _ in range(steps):
                self.step(dt)

        self.run(go)

    def expire_sessions(self) -> int:
        """Every session on every host is gone: the next call answers 401."""

        def go() -> int:
            count = sum(len(s.sessions) for s in self.servers)
            for server in self.servers:
                server.drop_all()
            return count

        return self.run(go)

    def switchover(self) -> str:
        """The active host stops (sessions dropped, 503 on connect); the next one takes over."""

        def go() -> str:
            active = next((s for s in self.servers if s.accepting), self.servers[0])
            index = self.servers.index(active)
            standby = self.servers[(index + 1) % len(self.servers)]
            active.drop_all()
            if standby is not active:
                active.accepting = False
                standby.accepting = True
            return standby.address

        return self.run(go)

    def fail_polls(self, status: int = 500, *, for_s: float = 25.0) -> None:
        """Message polls answer ``status`` for the next ``for_s`` seconds of world time.

        Sessions live on and keep queueing: a client that keeps its session gets it all after.
        """

        def go() -> None:
            self.faults.poll_status = status
            self.faults.poll_status_until = self.world.now + for_s

        self.run(go)

    def hang(self, *, for_s: float = 45.0) -> None:
        """Every host accepts requests and never answers them, for ``for_s`` s of world time.

        A request that arrives in the window stays open, unanswered and without reading any
        queue, until its client gives up; requests after the window are served as usual.
        """

        def go() -> None:
            self.faults.hang_until = self.world.now + for_s

        self.run(go)

    def stall_streams(self) -> int:
        """The event streams open now go silent (no events, no keep-alives) but stay open.

        Like a link that died without a reset: messages stay queued on their sessions for the
        next stream or poll. Streams opened later are served as usual. Returns how many
        streams had been opened.
        """

        def go() -> int:
            self.faults.streams_stalled = self.streams_opened
            return self.streams_opened

        return self.run(go)

    def hold_polls(self) -> None:
        """Message polls that arrive from now on wait, their queue unread, until released."""
        self.run(lambda: setattr(self.faults, "polls_held", True))

    def release_polls(self) -> None:
        """Held polls go on: they read their queue (what was queued meanwhile included)."""
        self.run(lambda: setattr(self.faults, "polls_held", False))

    def held_polls(self) -> int:
        """How many message polls are being held right now."""
        return self.run(lambda: self.faults.polls_waiting)

    def session_count(self) -> int:
        return self.run(lambda: sum(len(s.sessions) for s in self.servers))

    def inject(self, message: dict[str, Any]) -> None:
        """Queue a hand-made message on every live session (tests of odd server behaviour)."""

        def go() -> None:
            for server in self.servers:
                for session in server.sessions.values():
                    session.push(dict(message))

        self.run(go)

    def deliver(self, changes: Changes) -> None:
        """Hand changes made outside :meth:`step` to every live session (loop thread only)."""
        if not changes:
            return
        for server in self.servers:
            for session in list(server.sessions.values()):
                session.on_changes(changes, self.world)

    def set_status(self, user: str, status: str) -> None:
        """An agent picks a status (from any thread)."""
        self.run(lambda: self.deliver(self.world.set_status(user, status)))

    # -- scenarios ----------------------------------------------------------------------

    def play(self, name: str, *, speed: float = 1.0) -> concurrent.futures.Future[None]:
        """Start a scenario: ``surge``, ``outbound-stuck`` … (see :mod:`~tui.sim.icws.scenarios`).

        The story acts as the world's clock moves (:meth:`start_clock` or :meth:`advance`);
        the future is done once it has played to its end.
        """
        if name not in SCENARIOS:
            raise ValueError(f"unknown ICWS scenario {name!r}; known: {', '.join(SCENARIOS)}")
        if self._loop is None:
            raise RuntimeError("serve() the simulator before playing a scenario")
        playing = _Playing(SCENARIOS[name](self, speed))
        self.run(lambda: self._start(playing))
        return playing.done

    def _start(self, playing: _Playing) -> None:
        playing.due = self.world.now
        self._stories.append(playing)
        self._play_due()

    def _play_due(self) -> None:
        """Let every story act whose next moment has come on the world's clock."""
        now = self.world.now
        for playing in list(self._stories):
            while playing.due <= now:
                try:
                    playing.due += next(playing.story)
                except StopIteration:
                    self._stories.remove(playing)
                    playing.done.set_result(None)
                    break
                except Exception as exc:  # a broken story ends; the simulator goes on
                    self._stories.remove(playing)
                    playing.done.set_exception(exc)
                    break


@dataclass(slots=True)
class _Playing:
    """A story being played: what is left of it, and the world time it acts next."""

    story: Story
    due: float = 0.0
    done: concurrent.futures.Future[None] = field(default_factory=concurrent.futures.Future)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
