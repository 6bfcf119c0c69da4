"""The ``[nats]`` section: the NATS JetStream stream collectors publish every event to.

Absent, nothing changes: the console is its own backend on one machine. Present, ``noc-console
collect`` publishes each event to the stream on ``<subject_prefix>.<source>.<node>.<method>``.
Credentials follow the rule of every other section: the file names the environment variable
that holds a secret, never the secret.
"""

from __future__ import annotations

from typing import Annotated, Self
from urllib.parse import urlsplit

from pydantic import Field, FilePath, StringConstraints, field_validator, model_validator

from tui.config.base import EnvVarName, TlsSettings

# JetStream stream names may not hold whitespace, '.', '*', '>', path separators or '\0'.
StreamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
# One subject token or several joined by dots, none empty, no wildcards.
SubjectPrefix = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}(\.[A-Za-z0-9_-]{1,32}){0,3}$")
]
NATS_SCHEMES = ("nats", "tls")
DEFAULT_URL = "nats://127.0.0.1:4222"


class NatsConfig(TlsSettings):
    """Where the collector publishes and what the stream keeps (``[nats]``)."""

    urls: list[str] = Field(default_factory=lambda: [DEFAULT_URL], min_length=1)
    """The servers of one NATS cluster, ``nats://HOST:PORT`` or ``tls://HOST:PORT`` (TLS,
    checked as ``verify_tls`` and ``ca_file`` say); the client fails over between them."""
    stream: StreamName = "NOC"
    """The JetStream stream; the collector creates it if it does not exist."""
    subject_prefix: SubjectPrefix = "noc"
    """Subjects are ``<prefix>.<source>.<node>.<method>``; the stream takes ``<prefix>.>``."""
    max_age_days: float = Field(7.0, gt=0, le=3650)
    """The stream drops messages older than this (history for whoever joins late)."""
    max_bytes_mb: int = Field(1024, ge=1, le=16 * 1_048_576)
    """The stream's size at most; the oldest messages go first."""
    duplicate_window_s: float = Field(120.0, ge=1, le=86_400)
    """A message id seen again within this window is not stored twice (a collector's retry).
    It must outlast the longest NATS outage whose backlog is replayed from the journal."""
    ack_timeout_s: float = Field(5.0, gt=0, le=14)
    """How long a publish waits for JetStream's acknowledgement before the event goes to the
    journal's backlog instead (a hook's answer waits at most this; WCS waits 15 s)."""
    connect_timeout_s: float = Field(2.0, gt=0, le=60)
    """How long one connection attempt may take."""
    user: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    """The NATS user, with ``password_env``."""
    password_env: EnvVarName | None = None
    """The variable holding the NATS user's password."""
    token_env: EnvVarName | None = None
    """The variable holding a NATS authentication token (instead of a user)."""
    nkey_seed_file: FilePath | None = None
    """A file holding an NKey seed (a path relative to the config file); needs the ``nkeys``
    package."""
    nkey_seed_env: EnvVarName | None = None
    """The variable holding an NKey seed (instead of a file); needs the ``nkeys`` package."""

    @field_validator("urls")
    @classmethod
    def _nats_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in NATS_SCHEMES or not parts.hostname:
                raise ValueError(f"{url!r} is not nats://HOST:PORT or tls://HOST:PORT")
            if parts.username or parts.password:
                raise ValueError(
                    f"{parts.hostname}: credentials are never written in the config: name the "
                    "variable holding them with user and password_env (or token_env)"
                )
            try:
                parts.port  # noqa: B018  (raises on a port that is not a number)
            except ValueError as exc:
                raise ValueError(f"{url!r}: {exc}") from None
        schemes = {urlsplit(url).scheme for url in urls}
        if len(schemes) > 1:
            raise ValueError("mixing nats:// and tls:// servers: use tls:// for all or none")
        return urls

    @model_validator(mode="after")
    def _one_way_to_log_in(self) -> Self:
        ways = [
            name
            for name, used in (
                ("user/password_env", self.user is not None or self.password_env is not None),
                ("token_env", self.token_env is not None),
                ("nkey_seed_file", self.nkey_seed_file is not None),
                ("nkey_seed_env", self.nkey_seed_env is not None),
            )
            if used
        ]
        if len(ways) > 1:
            raise ValueError(f"{' and '.join(ways)}: choose one way to log in to NATS")
        if (self.user is None) != (self.password_env is None):
            raise ValueError("user and password_env go together")
        return self

    @model_validator(mode="after")
    def _window_within_age(self) -> Self:
        if self.duplicate_window_s > self.max_age_days * 86_400.0:
            raise ValueError("duplicate_window_s is longer than max_age_days: JetStream refuses it")
        return self

    @model_validator(mode="after")
    def _tls_settings_need_tls(self) -> Self:
        changed = self.ca_file is not None or not self.verify_tls
        if changed and not self.tls:
            raise ValueError("ca_file and verify_tls apply to tls:// servers: use tls:// URLs")
        return self

    @property
    def tls(self) -> bool:
        return urlsplit(self.urls[0]).scheme == "tls"

    @property
    def subjects(self) -> str:
        """What the stream captures: everything under the prefix."""
        return f"{self.subject_prefix}.>"


def feed_settings(base: NatsConfig | None, url: str) -> NatsConfig:
    """The ``[nats]`` settings a console reads the stream with: ``url`` is
    ``nats://HOST:PORT[/STREAM]`` (or ``tls://``) over the section's servers and stream, or ''
    for the section as it is. Credentials and TLS settings stay the section's."""
    if not url:
        if base is None:
            raise ValueError("without a URL it reads the [nats] section, and there is none")
        return base
    parts = urlsplit(url)
    stream = parts.path.strip("/")
    if parts.query or parts.fragment or "/" in stream:
        raise ValueError(f"{url!r} is not nats://HOST:PORT[/STREAM]")
    server = f"{parts.scheme}://{parts.netloc}"
    settings = base.model_dump() if base is not None else {}
    settings["urls"] = [server]
    if stream:
        settings["stream"] = stream
    if parts.scheme != "tls" and base is not None and base.tls:
        settings.pop("ca_file", None)
        settings.pop("verify_tls", None)
    return NatsConfig.model_validate(settings)
