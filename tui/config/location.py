"""Where the operator's configuration lives: the config file and the folders beside it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "noc-console"
CONFIG_FILE_NAME = "config.toml"
CONFIG_ENV = "NOC_CONFIG"  # path to the config file, overriding the XDG location


def config_dir() -> Path:
    """The user's config directory (``$XDG_CONFIG_HOME/noc-console``)."""
    return platformdirs.user_config_path(APP_DIR_NAME)


def default_config_file() -> Path:
    """The config file used when ``--config`` is not given."""
    override = os.environ.get(CONFIG_ENV)
    return Path(override).expanduser() if override else config_dir() / CONFIG_FILE_NAME


def user_catalogs_dir() -> Path:
    """Where the operator's own error catalogs live: ``~/.config/noc-console/catalogs``."""
    return config_dir() / "catalogs"
