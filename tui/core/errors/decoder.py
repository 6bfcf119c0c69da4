"""Building the decoder the console and the CLI use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from tui.core.errors.catalog import default_user_dir, load_catalogs
from tui.core.errors.context import Context
from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.rules import HandlingRule


def build_decoder(
    rules: Sequence[HandlingRule] = (),
    *,
    user_dir: Path | bool | None = True,
    extra_dirs: Iterable[Path] = (),
) -> ErrorDecoder:
    """A decoder over the packaged catalogs, the operator's folder (``user_dir=True``: the
    default ``~/.config/noc-console/catalogs``; ``None``/``False``: none) and ``extra_dirs``."""
    folder = default_user_dir() if user_dir is True else (user_dir or None)
    catalogs = load_catalogs(folder, extra_dirs)
    return ErrorDecoder(Context(catalogs, tuple(rules)))
