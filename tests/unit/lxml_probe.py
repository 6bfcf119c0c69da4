"""Counting how a parser reads lxml elements, to test the shape of its work without a clock.

lxml's ``items()`` and ``values()`` look every attribute up by name again, so on an element with
n attributes they cost n² steps, while ``get()`` costs at most n and ``keys()`` n. Patching the
hardened parser factory of ``tui.core.protocols.xml`` to build :class:`CountingElement` proxies lets a test
count those calls for a body of size n and of size 10n.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]

from tui.core.protocols import xml as device_xml

COUNTS: Counter[str] = Counter()


class CountingAttrib:
    """Stands in for ``element.attrib`` and counts what is asked of it."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __len__(self) -> int:
        COUNTS["attrib.len"] += 1
        return len(self._real)

    def __iter__(self) -> Iterator[str]:
        COUNTS["attrib.iter"] += 1
        return iter(self._real)

    def __contains__(self, key: object) -> bool:
        COUNTS["get"] += 1
        return key in self._real

    def __getitem__(self, key: str) -> str:
        COUNTS["get"] += 1
        return str(self._real[key])

    def get(self, key: str, default: Any = None) -> Any:
        COUNTS["get"] += 1
        return self._real.get(key, default)

    def keys(self) -> list[str]:
        COUNTS["keys"] += 1
        return list(self._real.keys())

    def items(self) -> list[tuple[str, str]]:
        COUNTS["items"] += 1
        return list(self._real.items())

    def values(self) -> list[str]:
        COUNTS["values"] += 1
        return list(self._real.values())


class CountingElement(etree.ElementBase):  # type: ignore[misc]
    """An lxml element whose attribute accessors are counted in :data:`COUNTS`."""

    def get(self, key: str, default: Any = None) -> Any:
        COUNTS["get"] += 1
        return super().get(key, default)

    def items(self) -> Any:
        COUNTS["items"] += 1
        return super().items()

    def values(self) -> Any:
        COUNTS["values"] += 1
        return super().values()

    def keys(self) -> Any:
        COUNTS["keys"] += 1
        return super().keys()

    @property
    def attrib(self) -> CountingAttrib:
        return CountingAttrib(super().attrib)


def counting_parsers(monkeypatch: pytest.MonkeyPatch) -> Callable[[], Counter[str]]:
    """Make ``tui.core.protocols.xml`` build counting elements; returns a function that resets the counts."""
    original = device_xml._hardened_parser
    lookup = etree.ElementDefaultClassLookup(element=CountingElement)

    def counting(*args: Any, **kwargs: Any) -> Any:
        parser = original(*args, **kwargs)
        parser.set_element_class_lookup(lookup)
        return parser

    monkeypatch.setattr(device_xml, "_hardened_parser", counting)

    def reset() -> Counter[str]:
        COUNTS.clear()
        return COUNTS

    return reset
