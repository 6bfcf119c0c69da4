"""Where noc-console finds its files: packaged themes, the user's config and data."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from tui.config.location import APP_DIR_NAME, config_dir, default_config_file

__all__ = [
    "config_dir",
    "data_dir",
    "default_config_file",
    "packaged_themes_dir",
    "user_themes_dir",
]


def user_themes_dir() -> Path:
    """Operator-supplied theme files, added to the packaged ones."""
    return config_dir() / "themes"


def data_dir() -> Path:
    """Journals, history and other state (``$XDG_DATA_HOME/noc-console``)."""
    return platformdirs.user_data_path(APP_DIR_NAME)


def packaged_themes_dir() -> Path:
    """The ``themes/`` folder shipped with the code.

    In a wheel it is installed inside the package (``tui/themes``); in a source checkout or an
    editable install it is the repository's top-level ``themes/``.
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "themes", package.parent / "themes"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"no themes/ folder next to {package}: the installation is incomplete; "
        "reinstall noc-console"
    )
