"""A one-line meaning for an errors-seen key (``error.server``, ``31003``, ``503``…)."""

from __future__ import annotations

from tui.core.errors.catalog import Catalogs
from tui.core.errors.context import parse_int
from tui.core.errors.sbc import code_meaning
from tui.core.errors.tally import GROUP_HTTP, GROUP_ICWS, GROUP_SBC, GROUP_SIP, GROUP_WCS


def meaning_of(catalogs: Catalogs, group: str, key: str) -> str:
    """What the catalogs say about one tally key; '' when they say nothing."""
    if group == GROUP_ICWS:
        entry = catalogs.icws_ids.get(key)
        return entry.title if entry else ""
    if group == GROUP_SBC:
        code = parse_int(key)
        sbc = catalogs.sbc_codes.get(code) if code is not None else None
        return code_meaning(sbc) if sbc else "not in the catalog"
    if group == GROUP_SIP:
        code = parse_int(key)
        sip = catalogs.sip.get(code) if code is not None else None
        return f"{sip.reason}: {sip.meaning}" if sip else ""
    if group == GROUP_WCS:
        info = catalogs.wcs_info.get(key.strip().casefold())
        if info:
            return info.meaning
        if key[:4].upper() == "SIP " and (code := parse_int(key[4:7])) in catalogs.sip:
            return catalogs.sip[code].meaning
        return ""
    if group == GROUP_HTTP:
        system, _, status = key.partition(" ")
        code = parse_int(status)
        http = catalogs.http.get(code) if code is not None else None
        if http is None:
            return ""
        return f"{http.reason}: {http.systems.get(system, http.generic)}"
    return ""
