"""Copy in the console says what was sent and where the private copy is; under tmux without
``set-clipboard on`` it says the copy was dropped and how to fix it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.ui.typing_support import paste
from tui.ui.clipboard import CLIPBOARD_FILE
from tui.ui.screenshots import deterministic_app
from tui.ui.widgets.feed.detail import EventDetail


def _messages(app) -> list[tuple[str, str]]:
    return [(n.message, n.severity) for n in app._notifications]


async def _copy_a_sip_message(app, pilot) -> str:
    await pilot.press("slash")
    await paste(pilot, "sip:>=400")
    await pilot.press("enter", "enter")
    await pilot.pause()
    detail = app.screen.query_one(EventDetail)
    assert detail.has_class("-open")
    await pilot.press("m")
    await pilot.pause()
    return str(app.clipboard)


async def test_copy_says_sent_and_keeps_a_private_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TMUX", raising=False)
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        copied = await _copy_a_sip_message(app, pilot)
        assert copied.startswith("SIP/2.0") or "SIP/2.0" in copied
        (message, severity), *_ = _messages(app)
        assert message.startswith("Sent the SIP message (") and "OSC 52" in message
        assert severity == "information"
    saved = tmp_path / "xdg-data" / "noc-console" / CLIPBOARD_FILE
    assert saved.read_text() == copied
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


async def test_under_tmux_that_drops_it_the_copy_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "tmux"
    fake.write_text("#!/bin/sh\necho external\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _copy_a_sip_message(app, pilot)
        (message, severity), *_ = _messages(app)
        assert severity == "warning"
        assert "Not copied" in message and "set -g set-clipboard on" in message
        assert CLIPBOARD_FILE in message
