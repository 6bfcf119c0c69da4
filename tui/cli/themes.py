"""``noc-console themes``: the themes found and where each comes from."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK

if TYPE_CHECKING:
    from tui.cli.common import Subparsers


def add_themes(sub: Subparsers) -> None:
    themes = sub.add_parser("themes", help="list the themes found and where each comes from")
    themes.set_defaults(handler=themes_command)


def themes_command(args: argparse.Namespace) -> int:
    from tui.ui.text import display_path
    from tui.ui.themes import load_themes

    catalog = load_themes()
    width = max((len(n) for n in catalog.names), default=10)
    for name, entry in catalog.entries.items():
        print(
            f"{name:<{width}}  {entry.origin:<8}  {display_path(entry.path)}  {entry.description}"
        )
    for problem in catalog.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return EXIT_OK
