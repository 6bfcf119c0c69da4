"""The ``[[targets]]`` sections: the SBC, CUE and MWS trees the browser walks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Self

from pydantic import Field, HttpUrl, field_validator, model_validator

from tui.config.base import EnvVarName, Name, TlsSettings
from tui.core.targets import AUTH_KINDS, NAMES, kind_of

if TYPE_CHECKING:
    KindName = str
    AuthKind = str
else:  # the values the kinds declare, so pydantic lists them when one is wrong
    KindName = Literal[NAMES]
    AuthKind = Literal[AUTH_KINDS]


class Target(TlsSettings):
    """A REST resource tree the browser walks: an SBC, a CUE or an MWS."""

    name: Name
    """The target's name in the browser, the header and ``browse --target``."""
    kind: KindName
    """The kind of box: sbc, cue or mws."""
    url: HttpUrl
    """Its address (with a proxy's prefix, if any); the API root (``/rest``, ``/v1``) may be
    left out."""
    auth: AuthKind | None = None
    """How to log in: sbc session (default) or basic; cue basic; mws bearer."""
    user: str | None = None
    """The user for session and basic auth."""
    secret_env: EnvVarName | None = None
    """The variable holding the password (or the MWS token)."""
    timeout_s: float = Field(10.0, gt=0, le=120)
    """The whole request: connecting, sending, the headers and the body."""
    allow_writes: bool = False
    """Create, modify and delete only when true, and each write is confirmed first."""
    start_path: str | None = None
    """Where the browser opens, e.g. ``/rest/sipsg`` (default: the kind's home)."""
    watch_interval_s: float = Field(2.0, ge=0.5, le=300)
    """How often ``w`` (watch) refreshes."""
    cache_ttl_s: float = Field(30.0, ge=0, le=3600)
    """A resource seen this recently opens from the cache (``r`` refreshes); 0 caches nothing."""
    max_body_mb: int = Field(32, ge=1, le=512)
    """Larger answers (decompressed) are refused, not parsed."""

    @field_validator("start_path")
    @classmethod
    def _start_path_is_absolute(cls, path: str | None) -> str | None:
        if path is not None and not path.startswith("/"):
            raise ValueError(f"start_path {path!r} must start with '/', e.g. '/rest/sipsg'")
        return path

    @model_validator(mode="after")
    def _auth_fits_kind(self) -> Self:
        allowed = kind_of(self.kind).auth_kinds
        auth = self.auth or allowed[0]
        if auth not in allowed:
            raise ValueError(
                f"auth {auth!r} does not fit kind {self.kind!r}; allowed: {', '.join(allowed)}"
            )
        if auth in ("session", "basic") and not self.user:
            raise ValueError(f"auth {auth!r} needs a user")
        if not self.secret_env:
            what = "token" if auth == "bearer" else "password"
            raise ValueError(f"secret_env must name the environment variable holding the {what}")
        object.__setattr__(self, "auth", auth)
        return self
