from __future__ import annotations

import pytest

from tui.core.errors.catalog import packaged_only
from tui.core.errors.context import Context
from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.rules import HandlingRule

PACKAGED = packaged_only()


@pytest.fixture
def decoder() -> ErrorDecoder:
    """Packaged catalogs, no rules."""
    return ErrorDecoder(Context(PACKAGED))


@pytest.fixture
def ruled() -> ErrorDecoder:
    """Packaged catalogs and a few operator rules."""
    rules = (
        HandlingRule("error", "notice", "Any ICWS error"),
        HandlingRule("error.request.connection", "warning", "Session lost", "https://wiki/s"),
        HandlingRule("error.foo", "error", "Foo class"),
    )
    return ErrorDecoder(Context(PACKAGED, rules))


def labels(items) -> list[str]:
    return [item.label for item in items]


def find(items, label: str):
    """The first item with this label, searching the whole tree."""
    for item in items:
        if item.label == label:
            return item
        found = find(item.children, label)
        if found is not None:
            return found
    return None
