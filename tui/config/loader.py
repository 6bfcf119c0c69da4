"""Configuration: a TOML file plus ``NOC_``-prefixed environment variables.

Precedence, strongest first: environment (``NOC_HOOKS__PORT=9000``, ``__`` for nesting),
then the TOML file (``--config FILE``, else ``$NOC_CONFIG``, else
``$XDG_CONFIG_HOME/noc-console/config.toml``),
then the defaults below. Secrets are never in the file: it names the environment variable
that holds each one (``secret_env``, ``password_env``, ``key_env``).
"""

from __future__ import annotations

import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from tui.config.correlate import CorrelateConfig
from tui.config.errors import ErrorsConfig
from tui.config.hooks import HooksConfig
from tui.config.icws import IcwsServer
from tui.config.jetstream import NatsConfig
from tui.config.journal import JournalConfig
from tui.config.location import default_config_file
from tui.config.problems import ConfigError, format_validation_error
from tui.config.targets import Target
from tui.config.ui import FeedConfig, Keymap, UiConfig
from tui.core.sources import SourceKind, SourceStatus

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
    """``[ui]``: theme and clock."""
    feed: FeedConfig = Field(default_factory=FeedConfig)
    """``[feed]``: the live feed's size and starting filter."""
    hooks: HooksConfig = Field(default_factory=HooksConfig)
    """``[hooks]``: the WCS REST hook listener."""
    journal: JournalConfig = Field(default_factory=JournalConfig)
    """``[journal]``: where every event is kept."""
    correlate: CorrelateConfig = Field(default_factory=CorrelateConfig)
    """``[correlate]``: the live tables of calls, streams, sessions and interactions."""
    icws: list[IcwsServer] = Field(default_factory=list)
    """``[[icws]]``: the ICWS servers to log in to."""
    targets: list[Target] = Field(default_factory=list)
    """``[[targets]]``: the SBC, CUE and MWS trees to browse."""
    errors: ErrorsConfig = Field(default_factory=ErrorsConfig)
    """``[errors]``: the error inspector's rules and catalogs."""
    keymap: Keymap = Field(default_factory=dict)
    """``[keymap]``: keys by binding id (press ? in the console to see every id)."""
    nats: NatsConfig | None = None
    """``[nats]``: the JetStream stream ``noc-console collect`` publishes to; absent: none."""

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


class LoadedConfig(BaseModel):
    """A validated config and where it came from."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    config: AppConfig
    path: Path
    file_exists: bool
    watches_something: bool
    """The file names something live to watch (ICWS servers, targets or a ``[hooks]`` table):
    a bare ``noc-console`` then runs the console on it instead of the demo."""


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
    nats = data.get("nats")
    if isinstance(nats, dict):
        for key in ("ca_file", "nkey_seed_file"):
            if isinstance(nats.get(key), str):
                named = Path(nats[key]).expanduser()
                nats[key] = str(named if named.is_absolute() else base / named)
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
    resolved = (path or default_config_file()).expanduser()
    exists = resolved.is_file()
    if not exists and (required or path is not None):
        raise ConfigError(resolved, "", "file not found")
    data = _anchor_relative_paths(read_toml(resolved), resolved.parent) if exists else {}
    token = _toml_data.set(data)
    try:
        config = AppConfig()
    except ValidationError as exc:
        raise format_validation_error(resolved, exc) from None
    finally:
        _toml_data.reset(token)
    watches = bool(config.icws or config.targets or "hooks" in data)
    return LoadedConfig(config=config, path=resolved, file_exists=exists, watches_something=watches)


def sources_from_config(config: AppConfig) -> list[SourceStatus]:
    """The sources the header lists, in the order the operator wrote them."""
    hooks = config.hooks
    sources = [
        SourceStatus(
            name="hooks",
            kind=SourceKind.WCS,
            endpoint=hooks.endpoint,
            badge="TAP" if hooks.mode == "tap" else "",
        )
    ]
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
                kind=target.kind,
                endpoint=str(target.url),
                insecure=not target.verify_tls,
            )
        )
    return sources
