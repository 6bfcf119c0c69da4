"""The hook listener as the app (or ``tail``) runs it: config in, events out, state on the board."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from tui.config import HooksConfig
from tui.core.dedupe import DuplicateWindow
from tui.core.feed import SEV_ERROR, SOURCE_CONSOLE, blank_event
from tui.core.policy import PolicyEngine, Rule
from tui.core.sources import LinkState, SourceBoard
from tui.core.store import EventSubmitter
from tui.net.hooks.app import HookApp, HookSettings
from tui.net.hooks.journal_gate import JournalGate
from tui.net.hooks.server import HookServer

if TYPE_CHECKING:
    from tui.net.hooks.tap import UpstreamPool


class HookSetupError(Exception):
    """The listener cannot start as configured (missing secret, port in use…)."""


def settings_from_config(config: HooksConfig, env: Mapping[str, str] = os.environ) -> HookSettings:
    key: bytes | None = None
    if config.key_env:
        value = env.get(config.key_env)
        if not value:
            raise HookSetupError(
                f"hooks.key_env names {config.key_env}, which is not set: export it (the value of "
                "WCS's rest_hook_secret_key) or remove key_env"
            )
        key = value.encode()
    return HookSettings(
        mode=config.mode,
        app_paths=tuple(config.app_paths),
        key=key,
        allow_from=tuple(config.allow_from),
        max_body_bytes=config.max_body_bytes,
        body_timeout_s=config.body_timeout_s,
        max_connections=config.max_connections,
        max_header_bytes=config.max_header_bytes,
        header_timeout_s=config.header_timeout_s,
        keep_alive_s=config.keep_alive_s,
        keep_alive_requests=config.keep_alive_requests,
        fallback=config.fallback,
        rest_client_config={
            method: entry.model_dump() for method, entry in config.rest_client_config.items()
        },
    )


def policy_from_config(config: HooksConfig) -> PolicyEngine:
    return PolicyEngine(
        Rule(r.name, tuple(r.methods), r.field, r.match, enabled=r.enabled) for r in config.rules
    )


class HookService:
    """Owns the hook server, its policy, its upstreams; reports its state on the source board."""

    def __init__(
        self,
        config: HooksConfig,
        sink: EventSubmitter,
        *,
        gate: JournalGate | None = None,
        board: SourceBoard | None = None,
        source_name: str = "hooks",
        port: int | None = None,
        reuse_port: bool = False,
        env: Mapping[str, str] = os.environ,
    ) -> None:
        self.config = config
        self.sink = sink
        self.gate = gate
        self.board = board
        self.source_name = source_name
        self.policy = policy_from_config(config)
        self.settings = settings_from_config(config, env)
        self.upstreams: UpstreamPool | None = None
        if config.mode == "tap":
            from tui.net.hooks.tap import UpstreamPool  # aiohttp: only tap mode needs it

            self.upstreams = UpstreamPool(
                str(config.upstream) if config.upstream else None,
                {path: str(url) for path, url in config.upstreams.items()},
                timeout_s=config.upstream_timeout_s,
            )
        self.app = HookApp(
            self.settings,
            sink,
            gate=gate,
            policy=self.policy,
            upstreams=self.upstreams,
            duplicates=DuplicateWindow(config.duplicate_window_s),
            on_upstream=self._upstream_state,
        )
        self.server = HookServer(
            self.app, config.bind, config.port if port is None else port, reuse_port=reuse_port
        )
        self._upstream_failing = False

    @property
    def url(self) -> str:
        return self.server.url

    def _set_state(self, state: LinkState, detail: str, summary: str = "") -> None:
        if self.board is not None and self.source_name in {s.name for s in self.board}:
            self.board.set_state(self.source_name, state, detail, summary=summary)

    def _upstream_state(self, ok: bool, detail: str) -> None:
        if ok == (not self._upstream_failing):
            return
        self._upstream_failing = not ok
        if ok:
            self._set_state(LinkState.UP, f"tap → upstream answering on {self.server.port}")
        else:
            self._set_state(
                LinkState.DEGRADED, f"upstream failing: {detail}", summary="upstream failing"
            )

    async def start(self) -> None:
        if self.gate is not None:
            self.gate.bind(asyncio.get_running_loop())
        try:
            await self.server.start()
        except OSError as exc:
            self._set_state(LinkState.DOWN, str(exc))
            self.sink.submit(
                blank_event(
                    source=SOURCE_CONSOLE, kind="listener", method="listen", status="DOWN",
                    info=str(exc), severity=SEV_ERROR,
                ),
                b"", b"", {"bind": self.config.bind, "port": self.config.port},
            )  # fmt: skip
            raise HookSetupError(str(exc)) from None
        self._set_state(LinkState.UP, f"listening on {self.server.url} ({self.config.mode})")

    async def stop(self) -> None:
        await self.server.stop()
        if self.upstreams is not None:
            await self.upstreams.aclose()
        self._set_state(LinkState.IDLE, "stopped")
