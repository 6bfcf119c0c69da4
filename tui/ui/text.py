"""Small text helpers for the UI."""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path) -> str:
    """A path as an operator reads it: the home directory shown as ``~``."""
    try:
        return "~/" + str(path.expanduser().relative_to(Path.home()))
    except ValueError:
        return str(path)
