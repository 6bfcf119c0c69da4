"""The ``noc-console`` command line.

Imports stay light here: Textual and the rest load only inside the subcommand that needs them,
so ``--help`` and ``config check`` answer at once and the console's first frame comes sooner.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import __version__

EXIT_OK = 0
EXIT_USAGE = 2

DESCRIPTION = """\
A terminal console for voice/video NOCs: a live feed of Flashphoner WCS REST hooks and
Genesys ICWS messages, a browser for Ribbon SBC, Cisco Unity Express and MWS resource trees,
and an inspector that decodes their errors.

With no config file (or one that names nothing to watch), a bare `noc-console` runs the demo."""

EPILOG = """\
config file: --config FILE, else $NOC_CONFIG, else $XDG_CONFIG_HOME/noc-console/config.toml.
environment: NOC_<SECTION>__<KEY> overrides the file, e.g. NOC_HOOKS__PORT=9000."""


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 120x40") from None
    if not (40 <= width <= 400 and 12 <= height <= 200):
        raise argparse.ArgumentTypeError(f"{text!r}: width 40-400 and height 12-200 please")
    return width, height


def _listen(text: str) -> tuple[str, int]:
    """HOST:PORT, [IPv6]:PORT, :PORT or PORT (host then defaults to 127.0.0.1)."""
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = "", text
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT, e.g. 0.0.0.0:8081")
    return host, int(port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noc-console",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"noc-console {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="run the console against built-in simulators of all five systems",
        description="Run the console against simulators of WCS, ICWS, SBC, CUE and MWS on "
        "loopback. Your theme and keymap from the config file still apply.",
    )
    demo.add_argument("--config", type=Path, metavar="FILE", help="take theme and keymap from FILE")
    demo.add_argument(
        "--tap",
        action="store_true",
        help="tap mode: the console forwards hooks to a simulated backend (which then refuses, "
        "slows down and fails)",
    )
    demo.add_argument("--seed", type=int, default=7, help="simulator seed (default 7)")
    demo.add_argument("--filter", metavar="QUERY", help="start the feed with this filter")

    run = sub.add_parser(
        "run",
        help="run the console against the systems in the config file",
        description="Run the console live: the WCS hook listener, ICWS servers and targets "
        "from the config file.",
    )
    run.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    run.add_argument("--filter", metavar="QUERY", help="start the feed with this filter")

    tail = sub.add_parser(
        "tail",
        help="run the hook listener without the UI and print each event",
        description="Run the WCS hook listener (as the config sets it) without the UI and print "
        "one line per event, or one JSON object per event with --jsonl. Ctrl+C stops.",
    )
    tail.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    tail.add_argument(
        "--listen", type=_listen, metavar="HOST:PORT", help="where to listen (default from config)"
    )
    tail.add_argument("--mode", choices=("backend", "tap"), help="answer as backend or forward")
    tail.add_argument("--upstream", metavar="URL", help="tap mode: the real backend's app URL")
    tail.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    tail.add_argument("--filter", metavar="QUERY", help="print only events matching QUERY")
    tail.add_argument("--no-journal", action="store_true", help="do not write a journal")
    icws = tail.add_argument_group("an ICWS server ad hoc (besides those in the config)")
    icws.add_argument("--icws", metavar="URL", help="e.g. https://cic1.example.net:8019")
    icws.add_argument("--icws-user", metavar="USER")
    icws.add_argument("--icws-password-env", metavar="VAR", help="variable holding the password")
    icws.add_argument(
        "--icws-queue", action="append", default=[], metavar="TYPE:NAME",
        help="queue to watch, e.g. workgroup:Support (repeatable)",
    )  # fmt: skip
    icws.add_argument(
        "--icws-user-status", action="append", default=[], metavar="USER",
        help="user whose status to watch (repeatable)",
    )  # fmt: skip

    config = sub.add_parser("config", help="check or locate the config file")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = config_sub.add_parser(
        "check",
        help="validate a config file and say what it would watch",
        description="Validate FILE (and NOC_* environment variables). Exit 0 when usable, "
        "2 with one line per problem otherwise.",
    )
    check.add_argument("file", type=Path, metavar="FILE")
    config_sub.add_parser("path", help="print where the config file is looked for")

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

    sub.add_parser("themes", help="list the themes found and where each comes from")
    _add_error_commands(sub)
    _add_browse(sub)
    return parser


DECODE_EPILOG = """\
examples:
  noc-console decode error.request.connection.authenticationFailure
  noc-console decode '31003 3|2'            (SBC app code with its params)
  noc-console decode SIP 486 BUSY HERE      (WCS info; several words are joined)
  noc-console decode --json - < body.xml    (an SBC, CUE, MWS, ICWS or WCS body from a file)

exit status: 0 decoded, 1 nothing matched, 2 bad usage."""


def _add_error_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    decode = sub.add_parser(
        "decode",
        help="decode an error: ICWS errorId, SBC app code, CUE/MWS/ICWS body, SIP/HTTP status",
        description="Decode one error the way the inspector screen does: the kind is detected "
        "from the text, ambiguous input lists every reading. Handling rules and extra catalogs "
        "come from the config file.",
        epilog=DECODE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    decode.add_argument("--json", action="store_true", help="print one JSON document")
    decode.add_argument("--config", type=Path, metavar="FILE", help="take rules from FILE")
    decode.add_argument(
        "text", nargs="+", metavar="TEXT", help="the error (words are joined); - reads stdin"
    )

    catalog = sub.add_parser(
        "catalog",
        help="list the error catalogs, or import the vendor's SBC code list",
        description="The inspector's catalogs: packaged files, then yours in "
        "~/.config/noc-console/catalogs/, then [errors] catalog_dirs from the config.",
    )
    catalog_sub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    imp = catalog_sub.add_parser(
        "import",
        help="import a code list (XML or CSV of code + template); used from then on",
        description="Read the vendor's application error list (CSV: code,template rows, with "
        "or without a header; XML: elements with a code and a template) and store it in your "
        "catalog folder, replacing an earlier import. Exit 0 when codes were imported, 2 when "
        "the file gives none.",
    )
    imp.add_argument("system", choices=["sbc"], help="whose codes (only sbc for now)")
    imp.add_argument("file", type=Path, metavar="FILE")
    listing = catalog_sub.add_parser("list", help="the catalog files loaded and any problems")
    listing.add_argument("--config", type=Path, metavar="FILE", help="config file to use")


BROWSE_EPILOG = """\
examples:
  noc-console browse --target edge1 /rest/sipsg/1
  noc-console browse --json --target edge1 sipsg --details
  noc-console browse --kind cue --user admin --password-env CUE_PW http://cue1/rest/voicemail/users
  noc-console browse --json --kind mws --token-env MWS_TOKEN https://mws.example.net/v1/sockets

exit status: 0 good answer, 1 the target answered with an error or was unreachable, 2 bad usage."""


def _add_browse(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    browse = sub.add_parser(
        "browse",
        help="print one SBC, CUE or MWS resource (text or --json)",
        description="Fetch one resource of a configured target (--target NAME PATH) or of any "
        "URL (--kind sbc|cue|mws URL) and print it. PATH may be a path (/rest/sipsg/1) or an "
        "alias (sipsg, users, sockets).",
        epilog=BROWSE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    browse.add_argument("where", metavar="PATH|URL", help="a path for --target, a URL for --kind")
    which = browse.add_mutually_exclusive_group(required=True)
    which.add_argument("--target", metavar="NAME", help="a target from the config file")
    which.add_argument(
        "--kind", choices=("sbc", "cue", "mws"), help="ad hoc: the kind of box at URL"
    )
    browse.add_argument("--json", action="store_true", help="print JSON for scripts and tickets")
    browse.add_argument("--config", type=Path, metavar="FILE", help="config file with the targets")
    browse.add_argument("--user", metavar="USER", help="ad hoc: the SBC/CUE user")
    secret = browse.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-env", metavar="VAR", help="ad hoc: variable holding the password"
    )
    secret.add_argument("--token-env", metavar="VAR", help="ad hoc: variable holding the MWS token")
    browse.add_argument("--insecure", action="store_true", help="do not verify the TLS certificate")
    browse.add_argument("--details", action="store_true", help="SBC lists: details=true")
    browse.add_argument(
        "--filter",
        choices=("configuration", "runtime", "statistics", "inventory"),
        help="SBC: one attribute category",
    )
    browse.add_argument("--fields", metavar="A,B", help="CUE: only these fields")
    browse.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="ad hoc: seconds for the whole request (10)",
    )


def _fail(message: str) -> int:
    print(f"noc-console: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from tui.config.problems import ConfigError, UsageError

    try:
        return _dispatch(args)
    except ConfigError as exc:
        return _fail(f"config problem:\n{exc}")
    except UsageError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from tui.cli import commands

    command = args.command
    if command is None:
        return commands.bare()
    if command == "demo":
        return commands.demo(args.config, tap=args.tap, seed=args.seed, query=args.filter)
    if command == "run":
        return commands.run(args.config, query=args.filter)
    if command == "tail":
        return commands.tail(args)
    if command == "config":
        if args.config_command == "check":
            return commands.config_check(args.file)
        return commands.config_path()
    if command == "screenshots":
        return commands.screenshots(args.out, args.size or [(120, 40), (80, 24)])
    if command == "themes":
        return commands.themes()
    if command == "decode":
        return commands.decode(args.text, as_json=args.json, config=args.config)
    if command == "catalog":
        if args.catalog_command == "import":
            return commands.catalog_import(args.system, args.file)
        return commands.catalog_list(args.config)
    if command == "browse":
        return commands.browse(args)
    return _fail(f"unknown command {command!r}")  # pragma: no cover - argparse rejects it first


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
