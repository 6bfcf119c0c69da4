"""`noc-console screenshots` is deterministic, and the README's screenshots are current.

After an intended UI change: `make screenshots` (then look at them before committing).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tui.ui.screenshots import write_screenshots

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_screenshots_match_the_committed_ones(tmp_path: Path) -> None:
    written = asyncio.run(write_screenshots(tmp_path, [(120, 40), (80, 24)]))
    assert len(written) == 8
    stale = [
        p.name for p in written if p.read_text() != (REPO / "screenshots" / p.name).read_text()
    ]
    assert stale == [], f"regenerate with `make screenshots`: {stale}"


def test_the_command_names_the_same_screenshots() -> None:
    from tui.cli.screenshots import SHOTS
    from tui.ui.screenshots import SCREENS

    assert SHOTS == SCREENS  # the command names them without importing the UI
