"""``noc-console decode``: one error decoded the way the inspector screen does it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_NOT_RECOGNISED, EXIT_OK, EXIT_USAGE, load

if TYPE_CHECKING:
    from tui.cli.common import Subparsers

DECODE_EPILOG = """\
examples:
  noc-console decode error.request.connection.authenticationFailure
  noc-console decode '31003 3|2'            (SBC app code with its params)
  noc-console decode SIP 486 BUSY HERE      (WCS info; several words are joined)
  noc-console decode --json - < body.xml    (an SBC, CUE, MWS, ICWS or WCS body from a file)

exit status: 0 decoded, 1 nothing matched, 2 bad usage."""


def add_decode(sub: Subparsers) -> None:
    parser = sub.add_parser(
        "decode",
        help="decode an error: ICWS errorId, SBC app code, CUE/MWS/ICWS body, SIP/HTTP status",
        description="Decode one error the way the inspector screen does: the kind is detected "
        "from the text, ambiguous input lists every reading. Handling rules and extra catalogs "
        "come from the config file.",
        epilog=DECODE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--config", type=Path, metavar="FILE", help="take rules from FILE")
    parser.add_argument(
        "text", nargs="+", metavar="TEXT", help="the error (words are joined); - reads stdin"
    )
    parser.set_defaults(
        handler=lambda args: decode(args.text, as_json=args.json, config=args.config)
    )


def decode(texts: list[str], *, as_json: bool, config: Path | None) -> int:
    """``noc-console decode``: 0 decoded, 1 nothing matched, 2 bad usage."""
    import json

    from tui.config.errors import build_decoder
    from tui.core.errors.render import inspection_lines

    if "-" in texts and texts != ["-"]:
        print("noc-console: decode: use - alone to read the error from stdin", file=sys.stderr)
        return EXIT_USAGE
    text = sys.stdin.read() if texts == ["-"] else " ".join(texts)
    if not text.strip():
        print("noc-console: decode: nothing to decode (empty text)", file=sys.stderr)
        return EXIT_USAGE
    errors = load(config).config.errors
    decoder = build_decoder(errors.handling_rules(), extra_dirs=errors.catalog_dirs)
    for problem in decoder.context.catalogs.problems:
        print(f"noc-console: catalog entry skipped: {problem}", file=sys.stderr)
    result = decoder.inspect(text, origin="cli")
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(inspection_lines(result)))
    return EXIT_OK if result.recognised else EXIT_NOT_RECOGNISED
