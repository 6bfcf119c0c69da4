"""Error decoding and the catalogs it reads (data files beside the code).

The front door is :class:`ErrorDecoder` (``inspect(text)`` → :class:`Inspection`), built over
the packaged catalogs, the operator's catalog folder and the config's handling rules (the
console and the CLI build it with ``tui.config.errors.build_decoder``, which knows the folder).
:class:`ErrorTally` counts the errors the feed and the browser see.

The names below load on first use, so importing one submodule (the config imports ``rules``)
does not load every decoder and catalog.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.errors.detect import ErrorDecoder
    from tui.core.errors.handoff import inspect_text_for
    from tui.core.errors.result import Decoded, Inspection, Item
    from tui.core.errors.rules import HandlingRule, is_prefix_match, matching_rules
    from tui.core.errors.tally import ErrorTally, TallyRow

_WHERE = {
    "ErrorDecoder": "detect",
    "inspect_text_for": "handoff",
    "Decoded": "result",
    "Inspection": "result",
    "Item": "result",
    "HandlingRule": "rules",
    "is_prefix_match": "rules",
    "matching_rules": "rules",
    "ErrorTally": "tally",
    "TallyRow": "tally",
}

__all__ = [
    "Decoded",
    "ErrorDecoder",
    "ErrorTally",
    "HandlingRule",
    "Inspection",
    "Item",
    "TallyRow",
    "inspect_text_for",
    "is_prefix_match",
    "matching_rules",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
