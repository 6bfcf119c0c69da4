"""Subjects of published events: ``<prefix>.<source>.<node>.<method>``, each token subject-safe.

A NATS subject token may not hold ``.``, ``*``, ``>`` or whitespace, and a node is often a host
name full of dots. Letters, digits, ``_`` and ``-`` pass as they are; every other character
becomes ``%XX`` per UTF-8 byte (``%`` itself too), so the mapping is one-to-one and a consumer
can build the same token from what an operator typed (``node:wcs1.example.net``).
"""

from __future__ import annotations

import re

from tui.core.feed import FeedEvent

EMPTY_TOKEN = "%"
"""The token of an empty field (a lone ``%`` is never produced by an encoded value)."""
MAX_TOKEN_CHARS = 120
"""Longer encoded tokens are cut (their subject still names the event's place well enough)."""

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _escape(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8", "surrogatepass"))


def subject_token(value: str) -> str:
    """``value`` as one subject token: safe characters kept, the others ``%XX``-escaped."""
    if not value:
        return EMPTY_TOKEN
    return _UNSAFE.sub(_escape, value)[:MAX_TOKEN_CHARS]


def event_subject(prefix: str, event: FeedEvent) -> str:
    """Where ``event`` is published under ``prefix`` (``noc.wcs.wcs1%2Eexample.call``)."""
    tokens = (event.source, event.node, event.method)
    return ".".join((prefix, *(subject_token(token) for token in tokens)))
