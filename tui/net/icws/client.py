"""One ICWS server's client: log in, subscribe, read the messaging channel, recover.

The loop: log in (following 503 ``alternateHostList`` to the host that takes connections),
subscribe (PUT each subscription), then read the channel — server-sent events when the server
offers ``messaging`` v2+ and the config allows, else serial short polling with one request in
flight. A 401 (session expired) logs in again and re-subscribes; the state model marks the
server's caches stale until the fresh ``isDelta: false`` snapshots replace them. A read that
fails without the server saying the session is gone (5xx, timeouts, a hang) keeps the session
and reads again after a backoff, for up to ``keep_session_s``: the server goes on queueing
for it, and everything queued arrives once it answers. Connection failures back off with
jitter. Every step that fails becomes a ``console`` FeedEvent, and the header's source chip
follows along through the SourceBoard.

Reads are destructive (a message the server handed over exists nowhere else), so a poll runs
as its own task and hands its body to the sink synchronously as soon as it arrives: cancelling
:meth:`run` never drops a poll that is in flight, and :meth:`aclose` waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import ssl
import time
from collections.abc import Callable

import httpx

from tui.config import IcwsServer
from tui.core.feed import (
    SEV_ERROR,
    SEV_NOTICE,
    SEV_OK,
    SEV_WARNING,
    SOURCE_CONSOLE,
    EventSink,
    FeedEvent,
    blank_event,
)
from tui.core.icws_state import IcwsState
from tui.core.protocols.icws import IcwsNormaliser
from tui.core.protocols.icws_wire import ErrorBody, parse_message_batch
from tui.core.sanitize import clean_line
from tui.core.sources import LinkState, SourceBoard, SourceKind, SourceStatus
from tui.net.icws.backoff import Backoff
from tui.net.icws.channel import ChannelReader
from tui.net.icws.plan import SubscriptionPlan, plan_subscriptions
from tui.net.icws.session import (
    IcwsFailure,
    IcwsSession,
    LoginRefused,
    ServerTrouble,
    SessionLost,
    Switchover,
    alternate_base,
    body_headers,
    describe_transport,
    error_detail,
    login,
    says_session_gone,
)
from tui.net.icws.stats import ClientStats

log = logging.getLogger(__name__)

MAX_REDIRECTS = 8  # alternate hosts followed in one login round (G-PS allows 8)
QUICK_LOSS_S = 10.0  # a session lost sooner than this after login backs off before the next


def tls_verify(server: IcwsServer) -> bool | ssl.SSLContext:
    """Verification on by default; a private CA file; or the explicit insecure switch."""
    if not server.verify_tls:
        return False
    if server.ca_file is not None:
        return ssl.create_default_context(cafile=str(server.ca_file))
    return True


class IcwsClient:
    """Keeps one configured ICWS server's messages flowing into the sink and the state model.

    ``await run()`` until cancelled (or :meth:`aclose`); ``await aclose()`` once at exit: it
    lets an in-flight poll deliver, DELETEs the subscriptions and the session, and closes the
    HTTP client. ``reconnect()`` asks for a fresh login (after a refused password was fixed).
    """

    def __init__(
        self,
        server: IcwsServer,
        sink: EventSink,
        board: SourceBoard,
        state: IcwsState,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.server = server
        self.name = server.name
        self.sink = sink
        self.board = board
        self.state = state
        self.clock = clock
        self.stats = ClientStats()
        self.normaliser = IcwsNormaliser(
            server.name, clock=clock, link_attribute=server.link_attribute or ""
        )
        self.plans = plan_subscriptions(server)
        self._backoff = Backoff(server.reconnect_initial_s, server.reconnect_max_s, rng)
        self._http = http or httpx.AsyncClient(
            verify=tls_verify(server),
            timeout=httpx.Timeout(
                server.request_timeout_s, connect=min(10.0, server.request_timeout_s)
            ),
            follow_redirects=False,
        )
        self._configured = server.base_url
        self._current = server.base_url
        self._known_hosts: list[str] = [server.base_url]
        self._session: IcwsSession | None = None
        self._subscribed: list[SubscriptionPlan] = []
        self._subscription_note = ""
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._run_task: asyncio.Task[None] | None = None
        self._closed = False
        self.channel = ChannelReader(
            self, server=server, http=self._http, stats=self.stats, backoff=self._backoff,
            stop=self._stop, clock=clock,
        )  # fmt: skip
        self._ensure_on_board()
        for plan in self.plans:
            if plan.queue_label:
                self.normaliser.queue_labels[plan.key] = plan.queue_label
                state.watch_queue(server.name, plan.key, plan.queue_label)

    # -- the operator-facing surface ----------------------------------------------------

    def _ensure_on_board(self) -> None:
        try:
            self.board.get(self.name)
        except KeyError:
            self.board.add(
                SourceStatus(
                    self.name,
                    SourceKind.ICWS,
                    self._configured,
                    insecure=not self.server.verify_tls,
                )
            )

    def set_link(self, state: LinkState, detail: str) -> None:
        self.board.set_state(self.name, state, clean_line(detail, 120))

    def publish(self, event: FeedEvent, raw: bytes = b"") -> None:
        """Hand one event to the sink; a failing sink must not cost the other messages."""
        try:
            self.sink.publish(event, raw)
            self.stats.events += 1
        except Exception:  # the store is someone else's code: log, count, keep going
            self.stats.sink_errors += 1
            log.exception("ICWS %s: the event sink refused an event", self.name)

    def report(
        self,
        what: str,
        severity: int,
        status: str,
        info: str,
        *,
        error: ErrorBody | None = None,
        http_status: int = 0,
        app: str = "",
        raw: bytes = b"",
    ) -> None:
        """A console event about this server: what the console did and how it went."""
        event = blank_event(
            ts=self.clock(),
            source=SOURCE_CONSOLE,
            kind="icws",
            node=self.name,
            method=what,
            app=app,
            status=status,
            info=clean_line(info, 300),
            error_id=error.error_id if error else "",
            reply_status=http_status,
            severity=severity,
        )
        self.publish(event, raw)

    def deliver(self, body: bytes) -> int:
        """Messages from the channel → events in the sink, then the state model (synchronous).

        Nothing awaits in here, so a message that reached this point reaches the sink.
        """
        batch = parse_message_batch(body)
        if batch.problem:
            self.report(
                "messages", SEV_WARNING, "bad answer",
                f"messaging channel answer not usable ({batch.problem}); raw kept in the journal",
                raw=body[:1_048_576],
            )  # fmt: skip
        name = self.name
        for message in batch.messages:
            for event, raw in self.normaliser.normalise(message):
                self.publish(event, raw)
            self.state.apply(name, message)
        self.stats.messages += len(batch.messages)
        return len(batch.messages)

    def reconnect(self) -> None:
        """Log in again now (e.g. after fixing a refused password)."""
        self._wake.set()

    @property
    def session(self) -> IcwsSession | None:
        return self._session

    @property
    def http(self) -> httpx.AsyncClient:
        return self._http

    # -- the loop -----------------------------------------------------------------------

    async def run(self) -> None:
        """Connect, subscribe, read; recover from every failure; return when closed."""
        self._run_task = asyncio.current_task()
        while not self._stop.is_set():
            started = 0.0
            try:
                session = await self._connect()
                started = self.clock()
                await self._subscribe(session)
                await self.channel.read(session)
            except SessionLost as exc:
                self._lost(exc)
                quick = self.clock() - started < QUICK_LOSS_S
                await self._pause(self._backoff.next() if quick else 0.0)
            except LoginRefused as exc:
                await self._refused(exc)
            except ServerTrouble as exc:
                abandoned = self._session
                delay = self._backoff.next()
                self._down(exc, delay)
                if abandoned is not None:
                    await self._abandon(abandoned)
                await self._pause(delay)
            except Exception as exc:  # a bug must not silently end this server's feed
                log.exception("ICWS %s: unexpected error in the client loop", self.name)
                delay = self._backoff.next()
                detail = clean_line(f"{type(exc).__name__}: {exc}", 200)
                self._down(ServerTrouble("client", f"internal error ({detail})"), delay)
                await self._pause(delay)

    def note_outage(self, note: str) -> None:
        """Say on the state panel that the view may lag (``""`` when the channel is back)."""
        parts = (note, self._subscription_note)
        self.state.set_note(self.name, " · ".join(p for p in parts if p))

    async def _pause(self, delay: float) -> None:
        if delay <= 0 or self._stop.is_set():
            return
        self.stats.backoff_delays.append(round(delay, 3))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), delay)

    # -- login --------------------------------------------------------------------------

    def _password(self) -> str:
        env = self.server.password_env
        password = os.environ.get(env, "")
        if not password:
            raise LoginRefused(
                "login",
                f"environment variable {env} is not set (it should hold the password of "
                f"{self.server.user}); export it and restart, or set it and reconnect",
            )
        return password

    def _candidates(self) -> list[str]:
        ordered = [self._current, self._configured, *self._known_hosts]
        return list(dict.fromkeys(ordered))

    def _remember(self, hosts: tuple[str, ...]) -> list[str]:
        bases = [b for h in hosts if (b := alternate_base(self._configured, h)) is not None]
        for base in bases:
            if base not in self._known_hosts:
                self._known_hosts.append(base)
        return bases

    async def _connect(self) -> IcwsSession:
        password = self._password()
        queue = self._candidates()
        tried: set[str] = set()
        redirects = 0
        last: IcwsFailure | None = None
        while queue:
            base = queue.pop(0)
            if base in tried:
                continue
            tried.add(base)
            self.set_link(LinkState.CONNECTING, f"logging in at {_host(base)}")
            try:
                session = await login(
                    self._http,
                    base,
                    user=self.server.user,
                    password=password,
                    application=self.server.application_name,
                    language=self.server.language,
                )
            except Switchover as exc:
                last = exc
                alternates = self._remember(exc.alternates)
                fresh = [b for b in alternates if b not in tried]
                if fresh and redirects < MAX_REDIRECTS:
                    redirects += 1
                    queue = fresh + [b for b in queue if b not in fresh]
                nxt = _host(queue[0]) if queue else "no other host"
                self.report(
                    "login", SEV_WARNING, "switchover",
                    f"{_host(base)} is not accepting connections ({exc.detail}); trying {nxt}",
                    error=exc.error, http_status=exc.status,
                )  # fmt: skip
                continue
            except ServerTrouble as exc:
                last = exc
                self.report(
                    "login", SEV_ERROR, str(exc.status or "unreachable"),
                    f"login at {_host(base)} failed: {exc.detail}",
                    error=exc.error, http_status=exc.status,
                )  # fmt: skip
                continue
            self._remember(session.alternate_hosts)
            if base != self._current:
                self.stats.switchovers += 1
            self._current = base
            self._session = session
            self.stats.logins += 1
            self.stats.host = _host(base)
            return session
        raise last or ServerTrouble("login", "no host to log in to")

    # -- subscriptions ------------------------------------------------------------------

    async def _subscribe(self, session: IcwsSession) -> None:
        name = self.name
        self.state.expect_snapshot(name, *(plan.key for plan in self.plans))
        self._subscribed = []
        refused: list[str] = []
        headers = body_headers(session.headers(self.server.language))
        for plan in self.plans:
            url = session.url(f"messaging/subscriptions/{plan.resource}")
            content = json.dumps(plan.body).encode() if plan.body is not None else b""
            try:
                response = await self._http.put(url, content=content, headers=headers)
            except httpx.HTTPError as exc:
                raise ServerTrouble(
                    "subscribe", f"{plan.label}: {describe_transport(exc)}"
                ) from None
            if 200 <= response.status_code < 300:
                self._subscribed.append(plan)
                continue
            detail, error = error_detail(response)
            # a bare 503 too: logging in again retries this subscription (a refusal would not)
            if response.status_code == 503 or says_session_gone(response.status_code, error):
                raise SessionLost("subscribe", detail, status=response.status_code, error=error)
            refused.append(plan.label)
            self.report(
                "subscribe", SEV_ERROR, str(response.status_code),
                f"subscription to {plan.label} refused: {detail}",
                error=error, http_status=response.status_code, app=plan.key,
                raw=response.content[:65536],
            )  # fmt: skip
        what = ", ".join(p.label for p in self._subscribed) or "nothing"
        self.report(
            "login", SEV_OK, "logged in",
            f"session {clean_line(session.session_id, 20)} at {_host(session.base_url)} as "
            f"{self.server.user}; subscribed to {what}",
        )  # fmt: skip
        note = f"{len(refused)} subscription(s) refused: {', '.join(refused)}" if refused else ""
        self._subscription_note = note
        self.state.set_note(name, note)

    # -- failures -----------------------------------------------------------------------

    def _lost(self, exc: SessionLost) -> None:
        self.stats.sessions_lost += 1
        self._session = None
        self._subscribed = []
        self.stats.mode = ""
        self.report(
            exc.what, SEV_WARNING, str(exc.status or "lost"),
            f"session lost ({exc.detail}); logging in again and re-subscribing",
            error=exc.error, http_status=exc.status,
        )  # fmt: skip
        self.state.session_lost(
            self.name, f"session lost at {_clock(self.clock())}: waiting for fresh snapshots"
        )
        self.set_link(LinkState.DEGRADED, f"re-login after {exc.status or 'session loss'}")

    def _down(self, exc: ServerTrouble, delay: float) -> None:
        if self._session is not None:
            self._session = None
            self._subscribed = []
            self.state.session_lost(self.name, f"server trouble at {_clock(self.clock())}")
        self.stats.mode = ""
        if exc.what != "login":  # login failures were reported per host already
            self.report(
                exc.what, SEV_ERROR, str(exc.status or "unreachable"), exc.detail,
                error=exc.error, http_status=exc.status,
            )  # fmt: skip
        self.set_link(LinkState.DOWN, f"{exc.detail}; retry in {delay:.1f}s")

    async def _refused(self, exc: LoginRefused) -> None:
        self.report(
            "login", SEV_ERROR, str(exc.status or "refused"),
            f"login refused: {exc.detail}. Not retrying on its own (repeated failures can lock "
            f"the account): fix user/{self.server.password_env} and reconnect",
            error=exc.error, http_status=exc.status,
        )  # fmt: skip
        self.set_link(LinkState.DOWN, f"login refused: {exc.detail}")
        self._session = None
        env_before = os.environ.get(self.server.password_env, "")
        self._wake.clear()
        while not self._stop.is_set() and not self._wake.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 2.0)
            if os.environ.get(self.server.password_env, "") != env_before:
                break  # the password was changed in this process: try it
        self._wake.clear()

    async def _abandon(self, session: IcwsSession) -> None:
        """Best effort: end a session given up on, so it does not hold a CIC licence."""
        headers = session.headers(self.server.language)
        with contextlib.suppress(httpx.HTTPError):
            await self._http.delete(session.url("connection"), headers=headers, timeout=2.0)

    # -- closing ------------------------------------------------------------------------

    async def aclose(self, grace_s: float = 1.0) -> None:
        """Stop reading, let a poll in flight deliver, DELETE subscriptions and session."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._wake.set()
        task = self._run_task
        if task is not None and not task.done() and task is not asyncio.current_task():
            done, _ = await asyncio.wait({task}, timeout=grace_s)
            if not done:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self.channel.finish_in_flight(self.server.request_timeout_s)
        await self._logout()
        await self._http.aclose()

    async def _logout(self) -> None:
        session = self._session
        if session is None:
            self.set_link(LinkState.IDLE, "closed")
            return
        headers = session.headers(self.server.language)
        timeout = httpx.Timeout(3.0)
        for plan in reversed(self._subscribed):
            url = session.url(f"messaging/subscriptions/{plan.resource}")
            with contextlib.suppress(httpx.HTTPError):
                await self._http.delete(url, headers=headers, timeout=timeout)
        status = "logged out"
        try:
            response = await self._http.delete(
                session.url("connection"), headers=headers, timeout=timeout
            )
            if not 200 <= response.status_code < 300:
                status = f"logout answered HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            status = f"logout failed: {describe_transport(exc)}"
        self._session = None
        self._subscribed = []
        self.report("logout", SEV_NOTICE, "logged out", f"{status} at {_host(session.base_url)}")
        self.set_link(LinkState.IDLE, status)


def _host(base_url: str) -> str:
    url = httpx.URL(base_url)
    host = url.host if ":" not in url.host else f"[{url.host}]"
    return f"{host}:{url.port}" if url.port else host


def _clock(stamp: float) -> str:
    return time.strftime("%H:%M:%SZ", time.gmtime(stamp))
