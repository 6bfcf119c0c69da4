from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tui.config import HooksConfig
from tui.core.journal import Journal
from tui.core.store import FeedStore
from tui.net.hooks.service import HookService


@pytest.fixture
async def hook_service(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    """Start a real hook listener on 127.0.0.1 (free port) with a store and a journal."""
    started: list[tuple[HookService, Journal]] = []

    async def start(
        env: dict[str, str] | None = None, **settings: Any
    ) -> tuple[HookService, FeedStore]:
        port = settings.pop("port", 0)
        config = HooksConfig.model_validate({"bind": "127.0.0.1", **settings})
        journal = Journal(tmp_path / f"journal-{len(started)}.sqlite").open()
        store = FeedStore(10_000, journal=journal)
        service = HookService(config, store.publish, port=port, env=env or {})
        await service.start()
        started.append((service, journal))
        return service, store

    yield start
    for service, journal in started:
        await service.stop()
        journal.close()
