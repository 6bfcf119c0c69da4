"""The ``[hooks]`` section: the WCS REST hook listener, its limits and its refusal rules."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import (
    Field,
    HttpUrl,
    IPvAnyNetwork,
    StringConstraints,
    field_validator,
    model_validator,
)

from tui.config.base import EnvVarName, Section


class HookRule(Section):
    """A policy rule: in backend mode, answer 403 to ``methods`` when ``field`` matches."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    """Shown in the feed on every hook the rule refused."""
    methods: list[str] = Field(min_length=1)
    """The WCS methods it applies to: direct invocations (``call``, ``publishStream``...) or
    incoming ones (``OnCallEvent``...), the only refusals WCS honours."""
    field: str = Field(min_length=1)
    """The hook body field to test, e.g. ``callee``."""
    match: str = Field(min_length=1)
    """A glob (``900*``) or, with a ``re:`` prefix, a regular expression."""
    enabled: bool = True
    """A disabled rule is kept in the file and in the rules screen but refuses nothing."""

    @field_validator("methods")
    @classmethod
    def _refusable(cls, methods: list[str]) -> list[str]:
        from tui.core.protocols.wcs import DIRECT, INCOMING, method_type

        for method in methods:
            kind = method_type(method)
            if kind not in (DIRECT, INCOMING):
                raise ValueError(
                    f"{method!r} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} method: WCS only "
                    "honours a refusal of a direct invocation (call, publishStream, "
                    "playStream…) or an incoming one (OnCallEvent…)"
                )
        return methods

    @field_validator("match")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        if pattern.startswith("re:"):
            import re

            try:
                re.compile(pattern[3:])
            except re.error as exc:
                raise ValueError(f"bad regular expression: {exc}") from None
        return pattern


class RestClientEntry(Section):
    """One method's entry in the ``restClientConfig`` the backend returns on ``connect``."""

    restExclude: str = ""
    """Comma-separated fields WCS leaves out of the hooks it sends the backend (e.g. ``sdp``)."""
    clientExclude: str = ""
    """Comma-separated fields WCS leaves out of what it sends the client."""
    restOnError: Literal["LOG", "FAIL"] = "LOG"
    """What WCS does when the backend answers with an error: log it, or fail the operation."""
    restPolicy: Literal["OVERWRITE", "NOTIFY", "DISABLE"] = "NOTIFY"
    """NOTIFY sends the hook and ignores the answer's values; OVERWRITE takes the answer's
    values for the fields in ``restOverwrite``; DISABLE sends no hook for this method."""
    restOverwrite: str = ""
    """Comma-separated fields the backend may change when ``restPolicy`` is OVERWRITE."""


class HooksConfig(Section):
    """The WCS REST hook listener: the console is (or taps in front of) the WCS backend."""

    bind: str = "127.0.0.1"
    """The address to listen on; listening wider (``0.0.0.0``) is an explicit choice."""
    port: int = Field(8081, ge=0, le=65535)
    """The port to listen on; 0 takes any free port (the header shows which)."""
    mode: Literal["backend", "tap"] = "backend"
    """``backend``: the console answers WCS as its REST backend; ``tap``: it forwards every
    hook to the real backend and passes its answer back."""
    app_paths: list[str] = Field(default_factory=list)
    """The application paths hooks are accepted on (e.g. ``/apps/EchoApp``); empty: any."""
    upstream: HttpUrl | None = None
    """Tap mode: the real backend's application URL."""
    upstreams: dict[str, HttpUrl] = Field(default_factory=dict)
    """Tap mode: a backend per application path, over ``upstream``."""
    upstream_timeout_s: float = Field(5.0, gt=0, le=60)
    """Tap mode: how long the backend may take; keep it below WCS's own REST timeout (15 s)."""
    fallback: Literal["answer", "pass-error"] = "answer"
    """Tap mode, backend down or slow: ``answer`` as the backend would, or ``pass-error`` on
    to WCS."""
    key_env: EnvVarName | None = None
    """The variable holding WCS's hook key: each hook's ``Authorization: WCS <HMAC-MD5>`` is
    then verified (WCS's ``rest_hook_send_hash``)."""
    allow_from: list[IPvAnyNetwork] = Field(default_factory=list)
    """Source networks allowed to post hooks, e.g. ``10.1.0.0/16``; empty: any."""
    max_body_bytes: int = Field(1_048_576, ge=1024, le=64 * 1_048_576)
    """Larger hooks are refused with 413."""
    body_timeout_s: float = Field(10.0, gt=0, le=120)
    """A body not in within this is answered 408."""
    max_connections: int = Field(1000, ge=1, le=100_000)
    """Open connections at most (kept below the open-files limit, less 64 for the rest of the
    console); at the cap the connection that has waited longest without a request is closed."""
    max_header_bytes: int = Field(16_384, ge=1024, le=1_048_576)
    """Largest request head (request line and headers); a larger one is answered 431."""
    header_timeout_s: float = Field(10.0, gt=0, le=120)
    """Time for a request head to arrive; a connection that sent nothing by then is closed,
    one that sent part of a head is answered 408."""
    keep_alive_s: float = Field(30.0, gt=0, le=600)
    """How long an idle keep-alive connection is kept between two requests."""
    keep_alive_requests: int = Field(1000, ge=1, le=1_000_000)
    """Requests one connection may carry; the last is answered ``Connection: close`` and the
    sender connects again (so, under ``collect --workers``, connections spread again over the
    workers, as after one of them was started again)."""
    duplicate_window_s: float = Field(5.0, ge=0, le=120)
    """The same hook (method and body) again within this many seconds is marked a duplicate
    in the feed (a retry by WCS); 0 marks none."""
    rules: list[HookRule] = Field(default_factory=list)
    """Backend mode: refusal rules, applied in order (the rules screen toggles them)."""
    rest_client_config: dict[str, RestClientEntry] = Field(default_factory=dict)
    """Backend mode: the ``restClientConfig`` returned on ``connect``, per method name."""

    @field_validator("app_paths")
    @classmethod
    def _paths_are_absolute(cls, paths: list[str]) -> list[str]:
        for path in paths:
            if not path.startswith("/"):
                raise ValueError(f"app path {path!r} must start with '/', e.g. '/apps/EchoApp'")
        return [p.rstrip("/") or "/" for p in paths]

    @model_validator(mode="after")
    def _rule_names_unique(self) -> Self:
        names = [rule.name for rule in self.rules]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"rule name {name!r} is used twice")
        return self

    @model_validator(mode="after")
    def _tap_needs_upstream(self) -> Self:
        if self.mode == "tap" and self.upstream is None and not self.upstreams:
            raise ValueError(
                "mode 'tap' forwards every hook to the real backend: set hooks.upstream "
                "(or hooks.upstreams per app path)"
            )
        return self

    @property
    def endpoint(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{self.port}/"
