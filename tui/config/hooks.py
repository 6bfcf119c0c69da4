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
    methods: list[str] = Field(min_length=1)
    field: str = Field(min_length=1)
    match: str = Field(min_length=1, description="glob (900*) or regex with re: prefix")
    enabled: bool = True

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
    clientExclude: str = ""
    restOnError: Literal["LOG", "FAIL"] = "LOG"
    restPolicy: Literal["OVERWRITE", "NOTIFY", "DISABLE"] = "NOTIFY"
    restOverwrite: str = ""


class HooksConfig(Section):
    """The WCS REST hook listener: the console is (or taps in front of) the WCS backend."""

    bind: str = "127.0.0.1"
    port: int = Field(8081, ge=0, le=65535)  # 0: any free port (the header shows which)
    mode: Literal["backend", "tap"] = "backend"
    app_paths: list[str] = Field(default_factory=list)
    upstream: HttpUrl | None = None
    upstreams: dict[str, HttpUrl] = Field(default_factory=dict)
    upstream_timeout_s: float = Field(5.0, gt=0, le=60)
    fallback: Literal["answer", "pass-error"] = "answer"
    key_env: EnvVarName | None = None
    allow_from: list[IPvAnyNetwork] = Field(default_factory=list)
    max_body_bytes: int = Field(1_048_576, ge=1024, le=64 * 1_048_576)
    body_timeout_s: float = Field(10.0, gt=0, le=120)
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
    duplicate_window_s: float = Field(5.0, ge=0, le=120)
    rules: list[HookRule] = Field(default_factory=list)
    rest_client_config: dict[str, RestClientEntry] = Field(default_factory=dict)

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
