"""The target kinds the browser knows, one module each, declaring everything that differs.

A kind (:class:`TargetKind`) says how its paths run, how it logs in, how its answers are parsed,
how it writes, its ``:`` aliases and its hints. Everything that differs between kinds reads it
here: the config's auth table, the parse dispatch, the path rules and aliases, the hints, the
write rules, ``browse --kind`` and the client factory (a kind's client is
``tui.net.rest.<name>``: the core names no network code).

Adding a kind: its module here (listed in :data:`KINDS`), its parser in ``tui.core.protocols``
and its client in ``tui.net.rest``.
"""

from __future__ import annotations

from tui.core.targets import cue, mws, sbc
from tui.core.targets.spec import AuthKind, Parser, TargetKind, WriteRules

KINDS: dict[str, TargetKind] = {spec.name: spec for spec in (sbc.KIND, cue.KIND, mws.KIND)}
NAMES: tuple[str, ...] = tuple(KINDS)
AUTH_KINDS: tuple[AuthKind, ...] = tuple(
    dict.fromkeys(auth for spec in KINDS.values() for auth in spec.auth_kinds)
)

__all__ = [
    "AUTH_KINDS",
    "KINDS",
    "NAMES",
    "AuthKind",
    "Parser",
    "TargetKind",
    "WriteRules",
    "kind_of",
]


def kind_of(name: str) -> TargetKind:
    """The kind called ``name``; ValueError naming the known ones otherwise."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown target kind {name!r} (known: {', '.join(NAMES)})") from None
