"""The ``noc-console`` command line: :func:`main` parses and runs one command.

Imports stay light here: Textual and the rest load only inside the command that needs them,
so ``--help`` and ``config check`` answer at once and the console's first frame comes sooner.
"""

from tui.cli.parser import build_parser, main

__all__ = ["build_parser", "main"]
