"""``noc-console screenshots``: deterministic SVGs of each screen."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK

if TYPE_CHECKING:
    from tui.cli.common import Subparsers

DEFAULT_SIZES = [(120, 40), (80, 24)]
SHOTS = ("feed", "browser", "inspector", "replay")  # as tui.ui.screenshots names them


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 120x40") from None
    if not (40 <= width <= 400 and 12 <= height <= 200):
        raise argparse.ArgumentTypeError(f"{text!r}: width 40-400 and height 12-200 please")
    return width, height


def add_screenshots(sub: Subparsers) -> None:
    shots = sub.add_parser(
        "screenshots",
        help="write SVG screenshots of each screen",
        description="Render each screen headless with a fixed clock and write SVGs "
        "(deterministic: the same code gives the same files).",
    )
    shots.add_argument("--out", type=Path, default=Path("screenshots"), metavar="DIR")
    shots.add_argument(
        "--size",
        type=_size,
        action="append",
        metavar="WxH",
        help="terminal size (repeatable; default 120x40 and 80x24)",
    )
    shots.add_argument(
        "--screen", choices=SHOTS, action="append", metavar="NAME",
        help=f"only this screenshot (repeatable; one of {', '.join(SHOTS)}; default all)",
    )  # fmt: skip
    shots.set_defaults(
        handler=lambda args: screenshots(
            args.out, args.size or DEFAULT_SIZES, tuple(args.screen or SHOTS)
        )
    )


def screenshots(out: Path, sizes: list[tuple[int, int]], screens: tuple[str, ...] = SHOTS) -> int:
    """Write deterministic SVGs of each screen at each size."""
    import asyncio

    from tui.ui.screenshots import write_screenshots

    written = asyncio.run(write_screenshots(out, sizes, screens))
    for path in written:
        print(path)
    return EXIT_OK
