"""A simulated Flashphoner WCS: one or more nodes posting real REST hooks over HTTP.

Sessions connect, register, call out and receive calls, publish and play streams, send data and
disconnect, with the statuses, ``info`` texts and SIP messages WCS uses. The simulator honours the
backend's answers as WCS does with ``restOnError: FAIL``: a 403 on ``call`` ends that call FAILED,
a 403 on ``publishStream`` fails the stream, a refused ``connect`` fails the session.
Seeded and rate-configurable; :class:`Mix` says how often things go wrong, and scenarios change it.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any, TextIO

import httpx

from tui.core.protocols.wcs_auth import sign
from tui.sim.wcs import bodies
from tui.sim.wcs.bodies import SimSession
from tui.sim.wcs.rest_log import RestLog

HEADERS = {
    "Content-Type": "application/json;charset=UTF-8",
    "Accept": "application/json, application/*+json",
    "User-Agent": "Java/1.8.0_111",
}
STREAM_FAILURES = (
    "Failed by ICE timeout", "Failed by ICE error", "Failed by DTLS error",
    "Failed by DTLS fingerprint error", "Failed by RTP activity",
)  # fmt: skip


@dataclass(frozen=True)
class Mix:
    """How the simulated network behaves right now. Probabilities are per call or stream."""

    call_fail: float = 0.10
    fail_codes: tuple[tuple[int, int], ...] = ((404, 3), (486, 4), (403, 1), (480, 2), (487, 1))
    stream_fail: float = 0.06
    stream_fail_infos: tuple[str, ...] = STREAM_FAILURES
    troubled_node: int | None = None  # index of a node whose media fails (scenario 2)
    keepalives: bool = True
    retry_rate: float = 0.01  # a hook sent twice, as WCS does after a lost reply
    premium_callees: float = 0.05  # calls to 900… numbers (a backend may forbid them)


@dataclass
class SimStats:
    """What the simulator sent and what the backend answered."""

    sent: int = 0
    retried: int = 0
    unreachable: int = 0
    by_reply: Counter[int] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)


class WcsSimulator:
    """Posts hooks to ``app_url`` (``http://console:8081/apps/EchoApp``) as WCS nodes would."""

    def __init__(
        self,
        app_url: str,
        *,
        nodes: int = 2,
        seed: int = 7,
        rate: float = 2.0,
        speed: float = 1.0,
        key: bytes | None = None,
        app_key: str = "defaultApp",
        mix: Mix | None = None,
        record: bool = False,
        log_to: Path | TextIO | None = None,
        log_tz: tzinfo | None = None,
        epoch: float | None = None,
    ) -> None:
        self.app_url = app_url.rstrip("/")
        self.rng = random.Random(seed)
        self.rate = rate
        self.speed = speed
        self.key = key
        self.app_key = app_key
        self.mix = mix or Mix()
        # Told of each incoming call WCS accepted (caller, callId): the demo hands it to the
        # simulated contact centre, where it queues as the same call.
        self.on_incoming: Callable[[str, str], None] | None = None
        self.stats = SimStats()
        self.record = record
        self.sent_log: list[tuple[str, dict[str, Any], int]] = []
        self.servers = [f"10.20.{i}.{11 + i}" for i in range(nodes)]
        self.nodes = [bodies.node_id(self.rng, ip) for ip in self.servers]
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        # The simulation's clock: ``epoch`` when it started, running ``speed`` times real time.
        self.epoch = time.time() if epoch is None else epoch
        self._loop_start: float | None = None
        # WCS's own log (flashphoner.log), when asked for: every hook and answer, as WCS logs.
        self.rest_log = RestLog(log_to, clock=self.clock, tz=log_tz) if log_to else None

    def clock(self) -> float:
        """The simulation's time (epoch seconds): ``epoch`` plus the loop's time since the first
        call, times ``speed`` (call it from the simulator's event loop)."""
        now = asyncio.get_running_loop().time()
        if self._loop_start is None:
            self._loop_start = now
        return self.epoch + (now - self._loop_start) * self.speed

    # -- sending ------------------------------------------------------------------------------

    async def post(self, method: str, body: dict[str, Any]) -> int:
        """Send one hook; returns the HTTP status (0 when the backend could not be reached)."""
        raw = json.dumps(body, separators=(",", ":")).encode()
        headers = dict(HEADERS)
        if self.key is not None:
            headers["Authorization"] = sign(self.key, raw)
        status = await self._send(method, raw, headers)
        if status and self.rng.random() < self.mix.retry_rate:
            self.stats.retried += 1
            await self._send(method, raw, headers)
        if self.record:
            self.sent_log.append((method, body, status))
        return status

    async def _send(self, method: str, raw: bytes, headers: dict[str, str]) -> int:
        if self._client is None:  # made on the first send (a subclass may never need one)
            self._client = httpx.AsyncClient(timeout=15.0)
        url = f"{self.app_url}/{method}"
        log = self.rest_log
        thread = log.take_thread() if log is not None else ""
        try:
            for attempt in range(3):  # rest_client_request_retry_count
                if log is not None:
                    log.send(thread, url, raw)
                try:
                    reply = await self._client.post(url, content=raw, headers=headers)
                except httpx.HTTPError as exc:
                    if log is not None:
                        log.no_answer(thread, str(exc) or type(exc).__name__)
                    await asyncio.sleep(0.2 * (attempt + 1))
                    continue
                if log is not None:
                    log.answer(thread, url, reply.status_code, reply.content)
                self.stats.sent += 1
                self.stats.by_reply[reply.status_code] += 1
                self.stats.by_method[method] += 1
                return reply.status_code
        finally:
            if log is not None:
                log.free_thread(thread)
        self.stats.unreachable += 1
        return 0

    async def pause(self, seconds: float) -> None:
        await asyncio.sleep(seconds / self.speed)

    # -- running ------------------------------------------------------------------------------

    async def run(self, duration: float | None = None) -> None:
        """Start sessions at ``rate`` per second (Poisson) until cancelled or ``duration`` ends."""
        loop = asyncio.get_running_loop()
        end = None if duration is None else loop.time() + duration
        try:
            while end is None or loop.time() < end:
                self._start(self.session_life())
                await asyncio.sleep(self.rng.expovariate(self.rate))
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
        finally:
            for task in list(self._tasks):
                task.cancel()
            await self.aclose()

    def _start(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self.rest_log is not None:
            self.rest_log.close()

    def new_session(self) -> tuple[int, SimSession]:
        index = self.rng.randrange(len(self.nodes))
        return index, bodies.new_session(
            self.rng, self.nodes[index], self.servers[index], self.app_key
        )

    async def session_life(self) -> None:
        """One client: connect, do one to three things, disconnect."""
        index, session = self.new_session()
        if self.rest_log is not None:
            self.rest_log.session_opened(session.session_id)
        sip = self.rng.random() < 0.6
        status = await self.post("connect", bodies.connect_body(session, sip=sip))
        if status != 200:
            info = f"REST connect answered {status}" if status else "backend unreachable"
            for state in ("FAILED", "DISCONNECTED"):
                await self.post(
                    "ConnectionStatusEvent", {**session.base(), "status": state, "info": info}
                )
            return
        await self.post("ConnectionStatusEvent", {**session.base(), "status": "ESTABLISHED"})
        if sip:
            await self.pause(0.2)
            await self.post(
                "RegistrationStatusEvent",
                {**session.base(), "status": "REGISTERED", "sipLogin": session.sip_login},
            )
        actions = [self.outgoing_call] * 3 if sip else []
        actions += [self.publish_stream] * 3 + [self.play_stream] * 2 + [self.send_data]
        if sip:
            actions += [self.incoming_call] * 2
        for _ in range(self.rng.randint(1, 3)):
            await self.rng.choice(actions)(index, session)
            await self.pause(self.rng.uniform(0.5, 2.0))
        await self.post(
            "ConnectionStatusEvent",
            {**session.base(), "status": "DISCONNECTED", "info": "Normal disconnect"},
        )
        if self.rest_log is not None:
            self.rest_log.session_closed(session.session_id)

    # -- calls --------------------------------------------------------------------------------

    def _callee(self) -> str:
        if self.rng.random() < self.mix.premium_callees:
            return f"900{self.rng.randint(1000, 9999)}"
        return str(
            self.rng.choice([self.rng.randint(1000, 1099), self.rng.randint(2000000, 2999999)])
        )

    async def outgoing_call(self, index: int, session: SimSession) -> None:
        call_id = bodies.make_uuid(self.rng)
        callee = self._callee()
        reply = await self.post("call", bodies.call_body(session, call_id, callee, "PENDING"))

        async def status(state: str, **kw: Any) -> None:
            await self.post(
                "CallStatusEvent", bodies.call_body(session, call_id, callee, state, **kw)
            )

        if reply != 200:
            await status("FAILED", info="Failed by error")
            return
        await status("TRYING", sip_status=100)
        await self.pause(self.rng.uniform(0.2, 0.8))
        if self.rng.random() < self.mix.call_fail:
            code = self._pick_code()
            await self.pause(6.0 if code == 408 else 0.3)
            message = bodies.sip_response(
                self.rng, code, call_id, session.sip_login, callee, "203.0.113.7"
            )
            reason = bodies.SIP_REASONS.get(code, "Error").upper()
            state = "BUSY" if code in (486, 600) else "FAILED"
            await status(state, sip_status=code, info=f"SIP {code} {reason}", sip_message=message)
            return
        await status("RING", sip_status=180)
        await self.pause(self.rng.uniform(1.0, 3.0))
        await status("ESTABLISHED", sip_status=200)
        await self.pause(self.rng.uniform(2.0, 8.0))
        if (
            self.rng.random() < 0.2
            and await self.post("hold", {**session.base(), "callId": call_id}) == 200
        ):
            await status("HOLD", sip_status=200)
            await self.pause(2.0)
            await self.post("unhold", {**session.base(), "callId": call_id})
            await status("ESTABLISHED", sip_status=200)
        await self.post("hangup", {**session.base(), "callId": call_id})
        await status("FINISH", info="Normal call clearing")

    def _pick_code(self) -> int:
        codes, weights = zip(*self.mix.fail_codes, strict=True)
        return int(self.rng.choices(codes, weights)[0])

    async def incoming_call(self, index: int, session: SimSession) -> None:
        call_id = (
            f"pbx-{self.rng.getrandbits(80):020X}-{self.rng.randint(1000, 9999)}@pbx.example.net"
        )
        caller = str(self.rng.randint(3000000, 3999999))
        callee = session.sip_login

        def body(state: str, **kw: Any) -> dict[str, Any]:
            return bodies.call_body(
                session, call_id, callee, state, incoming=True, caller=caller, **kw
            )

        reply = await self.post("OnCallEvent", body("PENDING"))
        if reply == 200 and self.on_incoming is not None:
            self.on_incoming(caller, call_id)  # the demo queues it in the contact centre too
        if reply != 200:  # WCS answers the SIP caller 403 FORBIDDEN
            await self.post(
                "CallStatusEvent", body("FAILED", sip_status=403, info="SIP 403 FORBIDDEN")
            )
            return
        await self.post("CallStatusEvent", body("RING", sip_status=180))
        await self.pause(self.rng.uniform(1.0, 4.0))
        if await self.post("answer", body("PENDING")) != 200:
            await self.post("CallStatusEvent", body("FAILED", info="Failed by error"))
            return
        await self.post("CallStatusEvent", body("ESTABLISHED", sip_status=200))
        await self.pause(self.rng.uniform(2.0, 6.0))
        await self.post("CallStatusEvent", body("FINISH", info="Normal call clearing"))

    # -- streams and data -----------------------------------------------------------------------

    def _troubled(self, index: int) -> bool:
        node = self.mix.troubled_node
        return node is not None and index == node % len(self.nodes)

    def _media_fails(self, index: int) -> bool:
        if self._troubled(index):
            return self.rng.random() < 0.85
        return self.rng.random() < self.mix.stream_fail

    async def publish_stream(self, index: int, session: SimSession) -> None:
        media = bodies.make_uuid(self.rng)
        name = f"{self.rng.choice(['cam', 'room', 'lecture', 'test'])}-{self.rng.randint(1, 99)}"

        def body(state: str, **kw: Any) -> dict[str, Any]:
            return bodies.stream_body(session, media, name, state, published=True, **kw)

        if await self.post("publishStream", body("PENDING")) != 200:
            await self.post("StreamStatusEvent", body("FAILED", info="Restricted access"))
            return
        if self._media_fails(index):
            await self.pause(self.rng.uniform(0.5, 3.0))
            info = self.rng.choice(self.mix.stream_fail_infos)
            if self.rest_log is not None:
                self.rest_log.media_warning(name)
            await self.post("StreamStatusEvent", body("FAILED", info=info))
            return
        await self.post("StreamStatusEvent", body("PUBLISHING"))
        if not await self.keep_alive(index, body("PUBLISHING"), self.rng.uniform(5.0, 25.0)):
            await self.post(
                "StreamStatusEvent", body("UNPUBLISHED", info="Terminated by keep-alive")
            )
            return
        await self.post("unPublishStream", body("PUBLISHING"))
        await self.post("StreamStatusEvent", body("UNPUBLISHED", info="Stopped by user"))

    async def play_stream(self, index: int, session: SimSession) -> None:
        media = bodies.make_uuid(self.rng)
        name = f"{self.rng.choice(['cam', 'room', 'lecture'])}-{self.rng.randint(1, 99)}"

        def body(state: str, **kw: Any) -> dict[str, Any]:
            return bodies.stream_body(session, media, name, state, published=False, **kw)

        if await self.post("playStream", body("PENDING")) != 200:
            await self.post("StreamStatusEvent", body("FAILED", info="Restricted access"))
            return
        if self.rng.random() < 0.05:
            await self.post("StreamStatusEvent", body("FAILED", info="Stream not found"))
            return
        await self.post("StreamStatusEvent", body("PLAYING"))
        if not await self.keep_alive(index, body("PLAYING"), self.rng.uniform(4.0, 15.0)):
            await self.post("StreamStatusEvent", body("STOPPED", info="Terminated by keep-alive"))
            return
        publisher_gone = self._troubled(index) or self.rng.random() < 0.5
        info = "Stopped by publisher stop" if publisher_gone else "Stopped by user"
        if info == "Stopped by user":
            await self.post("stopStream", body("PLAYING"))
        await self.post("StreamStatusEvent", body("STOPPED", info=info))

    async def keep_alive(self, index: int, body: dict[str, Any], lifetime: float) -> bool:
        """Send StreamKeepAliveEvent every 10 s (simulated) while the stream lives.

        Returns False when the backend vetoed the stream (403), as WCS then stops it.
        """
        remaining = lifetime
        while remaining > 0:
            step = min(10.0, remaining)
            await self.pause(step)
            remaining -= step
            if remaining <= 0 or not self.mix.keepalives or self._troubled(index):
                continue
            if await self.post("StreamKeepAliveEvent", body) == 403:
                return False
        return True

    async def send_data(self, index: int, session: SimSession) -> None:
        operation = bodies.make_uuid(self.rng)
        payload = {"message": self.rng.choice(["hello", "ping", "slide 4", "raise hand"])}
        status = await self.post(
            "OnDataEvent", {**session.base(), "operationId": operation, "payload": payload}
        )
        state = "ACCEPTED" if status == 200 else "FAILED"
        await self.post(
            "DataStatusEvent", {**session.base(), "operationId": operation, "status": state}
        )
