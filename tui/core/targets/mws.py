"""Managed WebSocket: a bearer token, JSON under ``/v1``, a public root document at ``/``."""

from __future__ import annotations

from tui.core.resources.clean import with_meta
from tui.core.resources.model import Resource
from tui.core.targets.spec import TargetKind, WriteRules


def parse(
    body: bytes,
    *,
    transport_status: int,
    location: str,
    filter_category: str,
    meta: tuple[tuple[str, str], ...],
    max_bytes: int,
) -> Resource:
    from tui.core.protocols.mws import parse_mws

    resource = parse_mws(
        body, transport_status=transport_status, path=location, max_bytes=max_bytes
    )
    return with_meta(resource, meta)


KIND = TargetKind(
    name="mws",
    messages=True,
    title="MWS",
    api_suffix="/v1",
    home="/sockets",
    auth_kinds=("bearer",),
    parse=parse,
    writes=WriteRules(create="json-post"),
    aliases={
        "sockets": "/v1/sockets",
        "ws": "/v1/sockets",
        "websocket_uri": "/v1/websocket_uri",
        "wsuri": "/v1/websocket_uri",
        "mws": "/",
    },
    root_document=True,
    body_format="json",
    status_hints={
        401: "MWS wants a bearer token: check secret_env.",
        403: "The token has no permission here (read for GET, write for POST/DELETE).",
        404: "No such resource: a socket disappears when its client disconnects.",
        422: "MWS rejected the data: the errors name the property at fault.",
    },
)
