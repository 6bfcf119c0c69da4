"""The ``noc-console`` argument parser: each command module adds its own subcommand, with the
function that runs it as ``handler`` (``set_defaults``), and :func:`main` calls that handler.

Imports stay light here: Textual and the rest load only inside the command that needs them,
so ``--help`` and ``config check`` answer at once and the console's first frame comes sooner.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from tui import __version__
from tui.cli import (
    browse,
    calls,
    catalog,
    collect,
    config,
    decode,
    export,
    import_log,
    replay,
    run,
    screenshots,
    serve,
    tail,
    themes,
)
from tui.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    drop_stdout,
    fail,
    reader_gone,
    reader_may_leave,
)

DESCRIPTION = """\
A terminal console for voice/video NOCs: a live feed of Flashphoner WCS REST hooks and
Genesys ICWS messages, a browser for Ribbon SBC, Cisco Unity Express and MWS resource trees,
and an inspector that decodes their errors.

With no config file (or one that names nothing to watch), a bare `noc-console` runs the demo."""

EPILOG = """\
config file: --config FILE, else $NOC_CONFIG, else $XDG_CONFIG_HOME/noc-console/config.toml.
environment: NOC_<SECTION>__<KEY> overrides the file, e.g. NOC_HOOKS__PORT=9000."""

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noc-console",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"noc-console {__version__}")
    parser.set_defaults(handler=run.bare)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run.add_demo(sub)
    run.add_run(sub)
    tail.add_tail(sub)
    collect.add_collect(sub)
    config.add_config(sub)
    screenshots.add_screenshots(sub)
    themes.add_themes(sub)
    decode.add_decode(sub)
    catalog.add_catalog(sub)
    browse.add_browse(sub)
    calls.add_calls(sub)
    calls.add_ladder(sub)
    replay.add_open(sub)
    import_log.add_import(sub)
    export.add_export(sub)
    serve.add_serve(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status.

    Every command ends quietly when the reader of its output goes away (``| head -1``): what
    could not be written is dropped, with no traceback, and the status is the command's own.
    """
    with reader_may_leave():
        try:
            return _run(argv)
        except OSError as exc:  # written around the guard (tail's own stream): it has stopped
            if not reader_gone(exc):
                raise
            drop_stdout()
            return EXIT_OK


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from tui.core.problems import ConfigError, UsageError

    handler: Handler = args.handler
    try:
        return handler(args)
    except ConfigError as exc:
        return fail(f"config problem:\n{exc}")
    except UsageError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
