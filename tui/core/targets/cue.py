"""Cisco Unity Express: HTTP Basic, XML documents under ``/rest``, ``PI-Version`` headers."""

from __future__ import annotations

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
    from tui.core.protocols.cue import parse_cue

    return parse_cue(body, transport_status=transport_status, meta=meta, max_bytes=max_bytes)


KIND = TargetKind(
    name="cue",
    field_selection=True,
    title="CUE",
    api_suffix="/rest",
    home="/voicemail/users",
    auth_kinds=("basic",),
    parse=parse,
    writes=WriteRules(
        create="xml-post",
        modify="xml-put",
        singular={
            "users": "user",
            "groups": "group",
            "mailboxes": "mailbox",
            "privileges": "privilege",
        },
    ),
    aliases={
        "users": "/rest/voicemail/users",
        "groups": "/rest/voicemail/groups",
        "mailboxes": "/rest/voicemail/mailboxes",
        "mb": "/rest/voicemail/mailboxes",
        "privileges": "/rest/privileges",
    },
    not_pages=("/voicemail",),
    status_hints={
        401: "CUE refused the Basic credentials: check user and secret_env.",
        403: "The CUE REST PI needs a user with the superuser privilege.",
        404: "No such resource: CUE URIs live under /rest, e.g. /rest/voicemail/users.",
        409: "The resource already exists (or is in use): open it instead of creating it.",
    },
)
