"""Ribbon (Sonus) SBC Edge: a form login and session cookie, the XML envelope under ``/rest``."""

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
    from tui.core.protocols.sbc import parse_sbc

    resource = parse_sbc(
        body,
        transport_status=transport_status,
        filter_category=filter_category,
        max_bytes=max_bytes,
        path=location,
    )
    return with_meta(resource, meta)


ALIASES: dict[str, str] = {
    "system": "/rest/system",
    "systemcallstats": "/rest/systemcallstats",
    "callstats": "/rest/systemcallstats",
    "sipsg": "/rest/sipsg",
    "sg": "/rest/sipsg",
    "isdnsg": "/rest/isdnsg",
    "sipservertable": "/rest/sipservertable",
    "sst": "/rest/sipservertable",
    "servers": "/rest/sipservertable",
    "routingtable": "/rest/routingtable",
    "routing": "/rest/routingtable",
    "transformationtable": "/rest/transformationtable",
    "tt": "/rest/transformationtable",
    "sipprofile": "/rest/sipprofile",
    "sipq850map": "/rest/sipq850map",
    "q850": "/rest/sipq850map",
    "activealarm": "/rest/activealarm",
    "alarms": "/rest/activealarm",
    "license": "/rest/license/historicalstatistics",
}

KIND = TargetKind(
    name="sbc",
    list_details=True,
    categories=True,
    app_codes=True,
    title="SBC",
    api_suffix="/rest",
    home="/system",
    auth_kinds=("session", "basic"),
    parse=parse,
    writes=WriteRules(create="form-put", modify="form-post", actions=True),
    aliases=ALIASES,
    not_pages=("/license",),
    status_hints={
        401: "The SBC refused the session: check user and secret_env; the user needs the "
        "REST access level (ordinary admin accounts are refused). The console re-logs in once.",
        403: "The SBC user may not do this: check its access level.",
        404: "No such resource: names are case-sensitive; call routing lives in "
        "routingtable/routingentry (there is no callroutetable) and alarms in activealarm.",
        400: "details takes exactly 'true'; filter one of configuration, runtime, "
        "statistics, inventory that this resource has (case-sensitive).",
        409: "The change conflicts with something that uses this resource: follow the "
        "links in the error to it.",
    },
)
