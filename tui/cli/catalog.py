"""``noc-console catalog``: the error catalogs loaded, and importing the vendor's SBC list."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, EXIT_USAGE, load

if TYPE_CHECKING:
    from tui.cli.common import Subparsers


def add_catalog(sub: Subparsers) -> None:
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
    imp.set_defaults(handler=lambda args: catalog_import(args.system, args.file))
    listing = catalog_sub.add_parser("list", help="the catalog files loaded and any problems")
    listing.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    listing.set_defaults(handler=lambda args: catalog_list(args.config))


def catalog_import(system: str, path: Path) -> int:
    """``noc-console catalog import sbc FILE``: store the vendor list where decoding reads it."""
    from tui.config.location import user_catalogs_dir
    from tui.core.errors.importer import ImportProblem, read_sbc_list, write_imported

    try:
        result = read_sbc_list(path)
    except ImportProblem as exc:
        print(f"noc-console: cannot import {path}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    stored = write_imported(result, user_catalogs_dir(), path.name)
    dupes = (
        f", {result.duplicates} duplicate codes (the last one kept)" if result.duplicates else ""
    )
    print(f"imported {len(result.codes)} {system.upper()} codes from {path} ({result.fmt}){dupes}")
    print(f"stored in {stored}; `noc-console decode` and the inspector use it from now on")
    if result.skipped:
        print(f"skipped {len(result.skipped)}:", file=sys.stderr)
        for reason in result.skipped[:20]:
            print(f"  {reason}", file=sys.stderr)
        if len(result.skipped) > 20:
            print(f"  … and {len(result.skipped) - 20} more", file=sys.stderr)
    return EXIT_OK


def catalog_list(config: Path | None) -> int:
    """``noc-console catalog list``: which catalog files were read, and what was skipped."""
    from tui.config.location import user_catalogs_dir
    from tui.core.errors.catalog import describe, load_catalogs

    errors = load(config).config.errors
    user_dir = user_catalogs_dir()
    catalogs = load_catalogs(user_dir, errors.catalog_dirs)
    print(f"{'kind':<17} {'count':>5}  {'origin':<8}  file")
    for line in describe(catalogs):
        print(line)
    print(
        f"your catalog folder: {user_dir} ({'exists' if user_dir.is_dir() else 'not created yet'})"
    )
    for problem in catalogs.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return EXIT_OK
