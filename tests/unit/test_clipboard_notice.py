"""After a copy the console says what it sent, and what to do when tmux drops it."""

from __future__ import annotations

import stat
from pathlib import Path

from tui.ui.clipboard import save_copy, tmux_set_clipboard
from tui.ui.models.clipboard import copy_notice


def test_outside_tmux_it_says_sent_not_copied_and_where_the_copy_is() -> None:
    notice = copy_notice("the SIP message", 1234, None, "~/.local/share/noc-console/clipboard.txt")
    assert notice.severity == "information"
    assert notice.message.startswith("Sent the SIP message (1,234 characters)")
    assert "OSC 52" in notice.message
    assert "Copied" not in notice.message
    assert "clipboard.txt" in notice.message


def test_under_tmux_without_set_clipboard_it_says_not_copied_and_how_to_fix_it() -> None:
    for value in ("external", "off", ""):
        notice = copy_notice("the request body", 10, value, "/d/clipboard.txt")
        assert notice.severity == "warning"
        assert notice.message.startswith("Not copied: tmux drops")
        assert "set -g set-clipboard on" in notice.message
        assert "/d/clipboard.txt" in notice.message


def test_under_tmux_with_set_clipboard_on_it_was_sent() -> None:
    notice = copy_notice("the line", 1, "on", None)
    assert notice.severity == "information"
    assert "(1 character)" in notice.message and "saved" not in notice.message


def test_the_copy_on_disk_is_private(tmp_path: Path) -> None:
    path = save_copy("secret-free text", tmp_path / "data")
    assert path is not None and path.read_text() == "secret-free text"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert save_copy("lone \ud800 surrogate", tmp_path / "data") is None  # said, not raised


def test_tmux_is_asked_only_inside_tmux(tmp_path: Path) -> None:
    assert tmux_set_clipboard({"PATH": str(tmp_path)}) is None
    fake = tmp_path / "tmux"
    fake.write_text("#!/bin/sh\necho external\n")
    fake.chmod(0o755)
    assert tmux_set_clipboard({"PATH": str(tmp_path), "TMUX": "/tmp/tmux-1/default,1,0"}) == (
        "external"
    )
