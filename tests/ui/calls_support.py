"""The seeded demo for the Calls screen's tests and snapshots."""

from __future__ import annotations

from tui.config import AppConfig, CorrelateConfig
from tui.ui.app import NocApp
from tui.ui.screenshots import deterministic_app


def seeded_app(*, feed: bool = True) -> NocApp:
    """The seeded demo, with ended groups kept longer than its traffic lasts (so the one-second
    ageing clock does not change what a test sees halfway through)."""
    config = AppConfig.model_construct()
    config = config.model_copy(update={"correlate": CorrelateConfig(keep_ended_s=86_400)})
    return deterministic_app(config, feed=feed)
