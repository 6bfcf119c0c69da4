"""What the console can honestly say after a copy (Textual-free, so it is unit-tested).

A terminal application copies by sending the terminal an OSC 52 sequence; nothing comes back to
say whether the terminal took it. Many do not: tmux drops it unless its ``set-clipboard`` option
is ``on`` (its default, ``external``, keeps applications out), and some terminals ignore it or
need it allowed. So the notice says what was *sent*, names the fix when the console can see that
the copy was dropped (under tmux), and points at the file the console saved the text to as well.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

TMUX_FIX = "add `set -g set-clipboard on` to ~/.tmux.conf (then `tmux source ~/.tmux.conf`)"


class CopyNotice(NamedTuple):
    """The notification after a copy: its text and Textual severity."""

    message: str
    severity: Literal["information", "warning"]


def copy_notice(what: str, chars: int, tmux_clipboard: str | None, saved: str | None) -> CopyNotice:
    """The notice for ``what`` (``"the SIP message"``) of ``chars`` characters.

    ``tmux_clipboard`` is tmux's ``set-clipboard`` value when the console runs inside tmux (else
    None); ``saved`` the file the text was also written to (None when that failed).
    """
    size = f"{chars:,} character{'s' if chars != 1 else ''}"
    also = f" It is also saved in {saved}." if saved else ""
    if tmux_clipboard is not None and tmux_clipboard != "on":
        return CopyNotice(
            f"Not copied: tmux drops the terminal clipboard (set-clipboard is "
            f"{tmux_clipboard or 'unset'}); {TMUX_FIX}.{also}",
            "warning",
        )
    return CopyNotice(
        f"Sent {what} ({size}) to the terminal's clipboard (OSC 52). If a paste comes up "
        f"empty, the terminal did not take it (under tmux: {TMUX_FIX}).{also}",
        "information",
    )
