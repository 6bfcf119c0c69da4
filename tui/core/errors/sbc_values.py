"""What an SBC's enumerated values mean: ``rt_OperationalState 2`` → ``2 (Down)``.

An SBC sends every enumeration as its bare number. The meanings below are the ones Ribbon's
resource pages (and the lookup tables of scripts written against real boxes) document, by
resource and attribute; the few the console only infers are marked so, and show as
``1 (Up, inferred)``. Attributes that carry a SIP status or a Q.850 cause are read in the
inspector's catalogs (the same entries ``e`` and ``noc-console decode`` read), so the browser
and the inspector never disagree on what 503 means.
"""

from __future__ import annotations

from typing import NamedTuple

from tui.core.errors.catalog import Catalogs
from tui.core.errors.sip import status_reason

ANY = "*"  # an attribute that means the same on every resource


class Enumeration(NamedTuple):
    """The meanings of one attribute's numbers, and whether the console only infers them."""

    names: dict[int, str]
    inferred: bool = False


def _enum(*names: str, inferred: bool = False) -> Enumeration:
    return Enumeration(dict(enumerate(names)), inferred)


BOOLEAN = _enum("False", "True")  # btFalse / btTrue
ENABLED = _enum("Disabled", "Enabled")  # esDISABLED / esENABLED

# (resource, attribute) → meanings; ANY for the resource matches every one.
ENUMERATIONS: dict[tuple[str, str], Enumeration] = {
    (ANY, "ConfigIEState"): ENABLED,
    (ANY, "customAdminState"): _enum("Disabled", "Enabled", "Drain"),
    ("sipsg", "ServerSelection"): _enum("Round robin", "Priority", "First available", "DNS SRV"),
    ("sipsg", "RTPProxyMode"): BOOLEAN,
    ("system", "IsNtp1Enabled"): BOOLEAN,
    ("sipserver", "ServerLookup"): _enum("IP/FQDN", "SRV"),
    ("sipserver", "ServerType"): _enum("Conventional", "SRV record template", "SRV record"),
    ("sipserver", "HostIpVersion"): _enum("Prefer IPv4", "Prefer IPv6"),
    ("siptrunkgroup", "Type"): _enum("DTG/OTG", "TGRP"),
    ("routingentry", "CallPriority"): _enum("Non-urgent", "Standard", "Urgent", "Emergency"),
    ("telcobriport", "rt_PortOperatorStatus"): _enum("Up", "Down"),
    ("telcobriport", "rt_PortAlarmStatus"): _enum(
        "Normal", "Yellow", "Blue", "Red (LOS)", "Red (LOF)", "Relay pass-through"
    ),
    ("activealarm", "aSeverity"): _enum("Event", "Warning", "Minor", "Major", "Critical"),
    ("activealarm", "aCategory"): _enum(
        "None",
        "Communication",
        "Equipment",
        "Processing",
        "General",
        "Environmental",
        "QoS",
        "Security",
    ),
    ("activealarm", "aState"): _enum("None", "Acknowledged", "Unacknowledged", "Cancelled"),
    ("domaincontroller", "rt_ADStatus"): _enum("Up", "Down"),
    ("domaincontroller", "rt_CacheStatus"): _enum(
        "Disabled",
        "Building",
        "Updating",
        "Active",
        "Failed",
        "Backup",
        "Truncated",
        "Not applicable",
        "Incomplete",
    ),
    ("domaincontroller", "rt_BackupStatus"): _enum(
        "Successful", "Failed", "Disabled", "Not applicable", "Truncated", "Updating"
    ),
    # No public page gives these values: 1 Up and 2 Down is the console's reading.
    (ANY, "rt_OperationalState"): Enumeration({1: "Up", 2: "Down"}, inferred=True),
}

# Attributes holding a SIP status (inferred from their values) or a Q.850 cause (documented).
SIP_STATUSES = frozenset({"rt_LastFailureCause"})
Q850_CAUSES = frozenset({"DenyCauseCode"})


def _number(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.isdigit() and len(text) <= 6 else None


class ValueReader:
    """Reads SBC attribute values against the tables above and the inspector's catalogs."""

    kind = "sbc"  # the only kind whose values are bare enumeration numbers

    def __init__(self, catalogs: Catalogs) -> None:
        self.catalogs = catalogs

    def reads(self, kind: str, resource: str, attribute: str) -> bool:
        """Whether values of ``attribute`` on ``resource`` (of a target of ``kind``) have a
        meaning to look up (a big list decodes only those columns)."""
        return kind == self.kind and (
            attribute in SIP_STATUSES
            or attribute in Q850_CAUSES
            or (resource, attribute) in ENUMERATIONS
            or (ANY, attribute) in ENUMERATIONS
        )

    def meaning(self, resource: str, attribute: str, value: str) -> str:
        """What ``value`` of ``attribute`` on ``resource`` means; "" when nothing is known."""
        number = _number(value)
        if number is None:
            return ""
        if attribute in SIP_STATUSES:
            reason = status_reason(self.catalogs, number)  # as decode_status reads it
            return f"SIP {reason}" if reason else ""
        if attribute in Q850_CAUSES:
            cause = self.catalogs.q850.get(number, "")  # as decode_q850 reads it
            return f"Q.850 {cause}" if cause else ""
        found = ENUMERATIONS.get((resource, attribute)) or ENUMERATIONS.get((ANY, attribute))
        name = found.names.get(number, "") if found else ""
        if name and found is not None and found.inferred:
            return f"{name}, inferred"
        return name

    def shown(self, resource: str, attribute: str, value: str) -> str:
        """``2 (Down)``: the number as sent, its meaning beside it."""
        meaning = self.meaning(resource, attribute, value)
        return f"{value.strip()} ({meaning})" if meaning else value
