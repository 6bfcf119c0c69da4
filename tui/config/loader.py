"""Configuration: a TOML file plus ``NOC_``-prefixed environment variables.

Precedence, strongest first: environment (``NOC_HOOKS__PORT=9000``, ``__`` for nesting),
then the TOML file (``--config FILE``, else ``$NOC_CONFIG``, else
``$XDG_CONFIG_HOME/noc-console/config.toml``),
then the defaults below. Secrets are never in the file: it names the environment variable
that holds each one (``secret_env``, ``password_env``, ``key_env``).
"""

from __future__ import annotations

import re
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    DirectoryPath,
    Field,
    HttpUrl,
    IPvAnyNetwork,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from tui.config.base import EnvVarName, Name, Section, TlsSettings
from tui.config.icws import IcwsServer
from tui.config.problems import ConfigError, format_validation_error
from tui.core.errors.rules import HandlingRule
from tui.core.sources import SourceKind, SourceStatus


class UiConfig(Section):
    theme: str = "noc-dark"
    clock_utc: bool = True


class FeedConfig(Section):
    buffer_size: int = Field(100_000, ge=1_000, le=5_000_000)
    default_filter: str = ""


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


class JournalConfig(Section):
    """Where every event is kept (SQLite, one run per console process), and its bounds."""

    enabled: bool = True
    """Write a journal at all (``--no-journal`` turns it off for one run)."""
    dir: Path | None = None
    """Folder of the journals; default ``$XDG_DATA_HOME/noc-console/journals`` (mode 0700)."""
    keep_files: int = Field(20, ge=1, le=10_000)
    """Journal files kept in the folder, newest first (another running console's are never
    touched)."""
    max_file_mb: int = Field(256, ge=1, le=65_536)
    """A run's file past this size is closed and the next one opened (``<run>.2.sqlite``…)."""
    max_total_mb: int = Field(2048, ge=1, le=1_048_576)
    """All journals together; the oldest files go first."""
    max_age_days: float = Field(30, gt=0, le=3650)
    """Files older than this go."""
    max_pending_mb: int = Field(64, ge=1, le=4096)
    """Events waiting for the disk, at most; past it an event is not journalled (and counted)."""
    commit_timeout_s: float = Field(5.0, gt=0, le=14)
    """A hook's answer waits for its journal commit at most this long (WCS's REST timeout is
    15 s); later answers are counted as answered before their commit."""
    sync: Literal["normal", "full"] = "normal"
    """``normal`` survives the console being killed; ``full`` also survives a power cut, with
    an fsync per commit."""


TargetKind = Literal["sbc", "cue", "mws"]
AuthKind = Literal["session", "basic", "bearer"]
_AUTH_ALLOWED: dict[str, tuple[AuthKind, ...]] = {
    "sbc": ("session", "basic"),
    "cue": ("basic",),
    "mws": ("bearer",),
}


class Target(TlsSettings):
    """A REST resource tree the browser walks: an SBC, a CUE or an MWS."""

    name: Name
    kind: TargetKind
    url: HttpUrl
    auth: AuthKind | None = None
    user: str | None = None
    secret_env: EnvVarName | None = None
    timeout_s: float = Field(10.0, gt=0, le=120)
    allow_writes: bool = False
    start_path: str | None = None  # where the browser opens, e.g. "/rest/sipsg"
    watch_interval_s: float = Field(2.0, ge=0.5, le=300)
    cache_ttl_s: float = Field(30.0, ge=0, le=3600)
    max_body_mb: int = Field(32, ge=1, le=512)

    @field_validator("start_path")
    @classmethod
    def _start_path_is_absolute(cls, path: str | None) -> str | None:
        if path is not None and not path.startswith("/"):
            raise ValueError(f"start_path {path!r} must start with '/', e.g. '/rest/sipsg'")
        return path

    @model_validator(mode="after")
    def _auth_fits_kind(self) -> Self:
        allowed = _AUTH_ALLOWED[self.kind]
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


_RULE_PREFIX = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")


class ErrorRule(Section):
    """What to do about a class of ICWS errors: every errorId the prefix matches.

    ICWS prefix matching: ``error.request`` matches ``error.request.connection`` (whole
    segments), ``error.req`` does not. The most specific matching rule is shown first.
    """

    prefix: str
    severity: Literal["info", "notice", "warning", "error", "critical"] = "error"
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    runbook: HttpUrl | None = None

    @field_validator("prefix")
    @classmethod
    def _prefix_is_an_error_id_prefix(cls, prefix: str) -> str:
        prefix = prefix.strip()
        if not _RULE_PREFIX.fullmatch(prefix) or len(prefix) > 400:
            raise ValueError(
                f"{prefix!r} is not an errorId prefix: dot-separated segments of letters, "
                "digits, '_' or '-', e.g. 'error.request.connection'"
            )
        if prefix.split(".")[0] != "error":
            raise ValueError(f"{prefix!r} can never match: every ICWS errorId starts with 'error'")
        return prefix


class ErrorsConfig(Section):
    """The error inspector: handling rules for ICWS errorIds, extra catalog folders."""

    rules: list[ErrorRule] = Field(default_factory=list)
    catalog_dirs: list[DirectoryPath] = Field(default_factory=list)

    @model_validator(mode="after")
    def _prefixes_are_unique(self) -> Self:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.prefix in seen:
                raise ValueError(f"two rules for prefix {rule.prefix!r}: merge them into one")
            seen.add(rule.prefix)
        return self

    def handling_rules(self) -> tuple[HandlingRule, ...]:
        return tuple(
            HandlingRule(r.prefix, r.severity, r.label, str(r.runbook) if r.runbook else "")
            for r in self.rules
        )


Keymap = dict[str, str]

_toml_data: ContextVar[dict[str, Any]] = ContextVar("noc_toml_data")


class _TomlDataSource(PydanticBaseSettingsSource):
    """Hands the already-parsed TOML document to pydantic-settings, unknown keys included."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return _toml_data.get({}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_toml_data.get({}))


class AppConfig(BaseSettings):
    """Everything the console is told: what to watch and how to look."""

    model_config = SettingsConfigDict(
        env_prefix="NOC_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    ui: UiConfig = Field(default_factory=UiConfig)
    feed: FeedConfig = Field(default_factory=FeedConfig)
    hooks: HooksConfig = Field(default_factory=HooksConfig)
    journal: JournalConfig = Field(default_factory=JournalConfig)
    icws: list[IcwsServer] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    errors: ErrorsConfig = Field(default_factory=ErrorsConfig)
    keymap: Keymap = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _TomlDataSource(settings_cls)

    @model_validator(mode="after")
    def _names_are_unique(self) -> Self:
        seen: set[str] = set()
        for name in [s.name for s in self.icws] + [t.name for t in self.targets]:
            if name in seen:
                raise ValueError(
                    f"name {name!r} is used twice: ICWS servers and targets need unique names"
                )
            seen.add(name)
        return self

    @property
    def watches_something(self) -> bool:
        """True when the file names something live to watch: a bare launch then runs it."""
        return bool(self.icws or self.targets or "hooks" in _toml_data.get({}))


class LoadedConfig(BaseModel):
    """A validated config and where it came from."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    config: AppConfig
    path: Path
    file_exists: bool
    watches_something: bool


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning every failure into a ConfigError that names the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from None


def _anchor_relative_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """``ca_file = "corp-ca.pem"`` means next to the config file, not the current directory."""
    for section in ("icws", "targets"):
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("ca_file"), str):
                ca = Path(entry["ca_file"]).expanduser()
                entry["ca_file"] = str(ca if ca.is_absolute() else base / ca)
    _anchor_catalog_dirs(data, base)
    return data


def _anchor_catalog_dirs(data: dict[str, Any], base: Path) -> None:
    """``[errors] catalog_dirs = ["catalogs"]`` also means next to the config file."""
    errors = data.get("errors")
    if not isinstance(errors, dict) or not isinstance(errors.get("catalog_dirs"), list):
        return
    anchored: list[Any] = []
    for entry in errors["catalog_dirs"]:
        if isinstance(entry, str):
            folder = Path(entry).expanduser()
            entry = str(folder if folder.is_absolute() else base / folder)
        anchored.append(entry)
    errors["catalog_dirs"] = anchored


def load_config(path: Path | None = None, *, required: bool = False) -> LoadedConfig:
    """Load and validate the config; a missing default file gives the defaults."""
    from tui.paths import default_config_file

    resolved = (path or default_config_file()).expanduser()
    exists = resolved.is_file()
    if not exists and (required or path is not None):
        raise ConfigError(resolved, "", "file not found")
    data = _anchor_relative_paths(read_toml(resolved), resolved.parent) if exists else {}
    token = _toml_data.set(data)
    try:
        config = AppConfig()
        watches = config.watches_something
    except ValidationError as exc:
        raise format_validation_error(resolved, exc) from None
    finally:
        _toml_data.reset(token)
    return LoadedConfig(config=config, path=resolved, file_exists=exists, watches_something=watches)


def sources_from_config(config: AppConfig) -> list[SourceStatus]:
    """The sources the header lists, in the order the operator wrote them."""
    sources = [SourceStatus(name="hooks", kind=SourceKind.WCS, endpoint=config.hooks.endpoint)]
    for server in config.icws:
        sources.append(
            SourceStatus(
                name=server.name,
                kind=SourceKind.ICWS,
                endpoint=str(server.url),
                insecure=not server.verify_tls,
            )
        )
    for target in config.targets:
        sources.append(
            SourceStatus(
                name=target.name,
                kind=SourceKind(target.kind),
                endpoint=str(target.url),
                insecure=not target.verify_tls,
            )
        )
    return sources
