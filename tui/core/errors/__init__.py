"""Error decoding and the catalogs it reads (data files beside the code).

The front door is :class:`ErrorDecoder` (``inspect(text)`` → :class:`Inspection`), built by
:func:`build_decoder` from the packaged catalogs, the operator's catalog folder and the config's
handling rules. :class:`ErrorTally` counts the errors the feed and the browser see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from tui.core.errors.catalog import Catalogs, default_user_dir, load_catalogs
from tui.core.errors.context import Context
from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.handoff import inspect_text_for
from tui.core.errors.result import Decoded, Inspection, Item
from tui.core.errors.rules import HandlingRule, is_prefix_match, matching_rules
from tui.core.errors.tally import ErrorTally, TallyRow

__all__ = [
    "Catalogs",
    "Decoded",
    "ErrorDecoder",
    "ErrorTally",
    "HandlingRule",
    "Inspection",
    "Item",
    "TallyRow",
    "build_decoder",
    "inspect_text_for",
    "is_prefix_match",
    "matching_rules",
]


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
