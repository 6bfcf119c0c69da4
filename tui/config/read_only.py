"""``[ui] read_only``: a console that changes nothing, whatever its targets allow."""

from __future__ import annotations

from tui.config.loader import AppConfig


def read_only_applied(config: AppConfig) -> AppConfig:
    """The config as a read-only console uses it: every target's ``allow_writes`` is off, so
    both the browser's write dialog and the REST client refuse (the client is the last word:
    it checks the target it was built with before it sends anything)."""
    if not config.ui.read_only or not any(t.allow_writes for t in config.targets):
        return config
    targets = [t.model_copy(update={"allow_writes": False}) for t in config.targets]
    return config.model_copy(update={"targets": targets})
