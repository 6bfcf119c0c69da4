"""Subjects of published events: ``<prefix>.<source>.<node>.<method>``, each token subject-safe.

A NATS subject token may not hold ``.``, ``*``, ``>`` or whitespace, and a node is often a host
name full of dots. A value is lowercased first, because the feed's filter matches fields in any
case and a subject filter must find what the filter finds: ``node:WCS1`` and ``node:wcs1`` both
narrow to the token ``wcs1``. Then letters, digits, ``_`` and ``-`` pass as they are and every
other character becomes ``%XX`` per UTF-8 byte (``%`` itself too), so a consumer builds the same
token from what an operator typed (``node:wcs1.example.net``). The message itself carries the
values as they were.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tui.core.feed import FeedEvent

EMPTY_TOKEN = "%"
"""The token of an empty field (a lone ``%`` is never produced by an encoded value)."""
MAX_TOKEN_CHARS = 120
"""Longer encoded tokens are cut (their subject still names the event's place well enough)."""

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _escape(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8", "surrogatepass"))


def subject_token(value: str) -> str:
    """``value`` as one subject token: lowercased, safe characters kept, the others
    ``%XX``-escaped."""
    if not value:
        return EMPTY_TOKEN
    return _UNSAFE.sub(_escape, value.lower())[:MAX_TOKEN_CHARS]


def event_subject(prefix: str, event: FeedEvent) -> str:
    """Where ``event`` is published under ``prefix`` (``noc.wcs.wcs1%2Eexample.call``)."""
    tokens = (event.source, event.node, event.method)
    return ".".join((prefix, *(subject_token(token) for token in tokens)))


SUBJECT_FIELDS = ("source", "node", "method")
"""The event fields a subject holds, in its order after the prefix."""


def filter_subject(prefix: str, pinned: Mapping[str, Sequence[str]]) -> str:
    """The one subject a consumer subscribes to for a filter that pins ``pinned`` (see
    :func:`tui.core.query.pinned_values`): a field pinned to one value is its token, any other
    field is ``*``; with nothing pinned, everything under the prefix (``<prefix>.>``)."""
    tokens = []
    for name in SUBJECT_FIELDS:
        values = pinned.get(name, ())
        tokens.append(subject_token(values[0]) if len(values) == 1 else "*")
    if all(token == "*" for token in tokens):
        return f"{prefix}.>"
    return ".".join((prefix, *tokens))


def subject_within(inner: str, outer: str) -> bool:
    """Whether every subject ``inner`` (a filter subject) matches is matched by ``outer`` too."""
    if outer.endswith(".>"):
        head = outer[:-1]
        return inner.startswith(head)
    wanted, given = outer.split("."), inner.split(".")
    if len(wanted) != len(given):
        return False
    return all(w == "*" or w == g for w, g in zip(wanted, given, strict=True))


def query_subject(prefix: str, query: str) -> str:
    """The subject a console whose filter is ``query`` reads (see :func:`filter_subject`)."""
    from tui.core.query import pinned_values

    return filter_subject(prefix, pinned_values(query, SUBJECT_FIELDS))
