"""Handling rules for ICWS errorIds, matched the way ICWS prescribes: by prefix, whole segments.

ICWS (Design Principles, Error Responses): a prefix matches an errorId when it is equal to it,
or when the errorId starts with the prefix followed by ``.`` — so ``error.foo`` matches
``error.foo.bar`` but ``error.f`` does not. The operator's rules (config ``[[errors.rules]]``)
say what to do about a class of errors; the most specific matching rule comes first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

RULE_SEVERITIES = ("info", "notice", "warning", "error", "critical")


def is_prefix_match(prefix: str, error_id: str) -> bool:
    """True when ``prefix`` matches ``error_id`` by ICWS prefix matching."""
    return error_id == prefix or error_id.startswith(prefix + ".")


def hierarchy(error_id: str) -> list[str]:
    """Every level of an errorId, shortest first: ``a.b.c`` → ``["a", "a.b", "a.b.c"]``."""
    parts = error_id.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


@dataclass(frozen=True)
class HandlingRule:
    """An operator's rule for a class of ICWS errors."""

    prefix: str
    severity: str = "error"
    label: str = ""
    runbook: str = ""

    @property
    def depth(self) -> int:
        return self.prefix.count(".") + 1

    def to_json(self) -> dict[str, str]:
        out = {"prefix": self.prefix, "severity": self.severity, "label": self.label}
        if self.runbook:
            out["runbook"] = self.runbook
        return out


def matching_rules(error_id: str, rules: Iterable[HandlingRule]) -> list[HandlingRule]:
    """The rules that match ``error_id``, most specific (longest prefix) first."""
    found = [rule for rule in rules if is_prefix_match(rule.prefix, error_id)]
    found.sort(key=lambda rule: -rule.depth)  # stable: equal depths keep the config's order
    return found
