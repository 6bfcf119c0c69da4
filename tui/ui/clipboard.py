"""Copying for the console: OSC 52 to the terminal, a private copy on disk, an honest notice.

The copy on disk (``<data folder>/clipboard.txt``, 0600, replaced by each copy) is the way out
when the terminal drops the OSC 52 sequence: over SSH through tmux, or a terminal that ignores it.
What is copied is what the screen shows, already redacted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tui.core.private_files import write_private
from tui.paths import data_dir
from tui.ui.models.clipboard import CopyNotice, copy_notice
from tui.ui.text import display_path

CLIPBOARD_FILE = "clipboard.txt"


def tmux_set_clipboard(env: dict[str, str] | None = None) -> str | None:
    """tmux's ``set-clipboard`` option when running inside tmux; None outside it (or when tmux
    cannot be asked, in which case nothing is claimed about it)."""
    env = dict(os.environ) if env is None else env
    if not env.get("TMUX"):
        return None
    tmux = shutil.which("tmux", path=env.get("PATH"))
    if tmux is None:
        return None
    try:
        done = subprocess.run(
            [tmux, "show-options", "-gv", "set-clipboard"],
            capture_output=True,
            text=True,
            timeout=1.0,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def save_copy(text: str, folder: Path | None = None) -> Path | None:
    """Write the copied text to the data folder (private); None when it cannot be written."""
    path = (folder or data_dir()) / CLIPBOARD_FILE
    try:
        write_private(path, text)
    except (OSError, ValueError):  # no room, no permission, text the file cannot encode
        return None
    return path


def notice_for(what: str, text: str, saved: Path | None, tmux_clipboard: str | None) -> CopyNotice:
    return copy_notice(what, len(text), tmux_clipboard, display_path(saved) if saved else None)
