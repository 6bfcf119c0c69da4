"""Configuration: a TOML file plus ``NOC_``-prefixed environment variables.

The sections live in their own modules (``base``, ``icws``, ...); :mod:`~tui.config.loader` reads
the file and the environment into an :class:`AppConfig`; :mod:`~tui.config.problems` turns what
is wrong into messages; :mod:`~tui.config.writer` writes a setting back. Callers import the
public names from here.
"""

from tui.config.base import EnvVarName, Name, Section, TlsSettings
from tui.config.correlate import CorrelateConfig
from tui.config.errors import ErrorRule, ErrorsConfig
from tui.config.hooks import HookRule, HooksConfig, RestClientEntry
from tui.config.icws import IcwsServer, icws_server_from_flags
from tui.config.jetstream import NatsConfig
from tui.config.journal import JournalConfig
from tui.config.loader import AppConfig, LoadedConfig, load_config, sources_from_config
from tui.config.problems import ConfigError, Problem, UsageError
from tui.config.read_only import read_only_applied
from tui.config.targets import Target
from tui.config.ui import FeedConfig, UiConfig

__all__ = [
    "AppConfig",
    "ConfigError",
    "CorrelateConfig",
    "EnvVarName",
    "ErrorRule",
    "ErrorsConfig",
    "FeedConfig",
    "HookRule",
    "HooksConfig",
    "IcwsServer",
    "JournalConfig",
    "LoadedConfig",
    "Name",
    "NatsConfig",
    "Problem",
    "RestClientEntry",
    "Section",
    "Target",
    "TlsSettings",
    "UiConfig",
    "UsageError",
    "icws_server_from_flags",
    "load_config",
    "read_only_applied",
    "sources_from_config",
]
