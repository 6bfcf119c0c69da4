"""The SBC simulator's configuration tree: resources, their fields, links and moving counters.

One lab SBC ("edge1-lab") carrying the stories of docs/architecture.md §11.5: a carrier trunk
(signaling group 1 → SIP server table 1, whose server 2 stops answering during the trunk-failure
incident), a Teams trunk (SG 2, which uses SIP-to-Q.850 mapping 3), a PBX, routing and
transformation tables, an ISDN group, alarms and license statistics. Runtime values are functions of
the time since start, so they move while watched and stand still under a frozen clock (snapshots).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from tui.core.resources import CONFIGURATION, INVENTORY, RUNTIME, STATISTICS


@dataclass(frozen=True)
class Moment:
    """What moving values depend on: seconds since start and the incident state."""

    t: float
    incident: bool = False
    incident_for: float = 0.0  # seconds since the incident began (0 when none)


Value = str | Callable[[Moment], str]


@dataclass
class SimField:
    """One attribute: a value (fixed or moving), its category and what it links to."""

    name: str
    value: Value
    category: str = CONFIGURATION
    href: str = ""  # a path such as /rest/sipservertable/1; the simulator adds its address
    raw_href: bool = False  # written without escaping "&" (a quirk real boxes show)
    entries: tuple[tuple[str, str], ...] = ()  # resource_attr_list: (value, path)

    def text(self, moment: Moment) -> str:
        return self.value(moment) if callable(self.value) else self.value


@dataclass
class SimResource:
    """A resource of the tree; ``id`` is empty for singletons and composite for child rows."""

    name: str
    id: str
    path: str
    fields: list[SimField]
    runtime_error: Callable[[Moment], tuple[str, str] | None] | None = None

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.fields}

    def field(self, name: str) -> SimField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass
class SbcTree:
    """Every resource by path, and every collection's member paths in order."""

    resources: dict[str, SimResource] = field(default_factory=dict)
    collections: dict[str, list[str]] = field(default_factory=dict)

    def add(self, resource: SimResource, collection: str = "") -> SimResource:
        self.resources[resource.path] = resource
        if collection:
            self.collections.setdefault(collection, []).append(resource.path)
        return resource

    def remove(self, path: str) -> None:
        self.resources.pop(path, None)
        for members in self.collections.values():
            if path in members:
                members.remove(path)
        for child in [p for p in self.collections if p.startswith(path + "/")]:
            for member in self.collections.pop(child):
                self.resources.pop(member, None)


def _wave(base: int, swing: int, period: float, phase: float = 0.0) -> Callable[[Moment], str]:
    return lambda m: str(max(0, base + round(swing * math.sin(m.t / period + phase))))


def _counter(base: int, per_s: float, incident_per_s: float = 0.0) -> Callable[[Moment], str]:
    return lambda m: str(base + int(m.t * per_s + m.incident_for * incident_per_s))


SG_SPECS = (
    # id, description, server table, routing table, q850 map, channels, base calls
    (1, "Carrier A SIP trunk", 1, 1, 1, 120, 38),
    (2, "Teams Direct Routing", 2, 2, 3, 200, 51),
    (3, "PBX (Avaya CM)", 3, 3, 1, 60, 12),
    (4, "Carrier B backup", 4, 1, 1, 30, 0),
)
SERVER_SPECS = {
    1: (
        "Carrier A proxies",
        [("sip1.carrier-a.example", "10.20.0.11"), ("sip2.carrier-a.example", "10.20.0.12")],
    ),
    2: (
        "Microsoft Teams",
        [
            ("sip.pstnhub.microsoft.com", ""),
            ("sip2.pstnhub.microsoft.com", ""),
            ("sip3.pstnhub.microsoft.com", ""),
        ],
    ),
    3: ("PBX", [("cm1.pbx.lab", "10.1.1.20")]),
    4: ("Carrier B", [("sbc.carrier-b.example", "10.30.0.5")]),
}
DEAD_SERVER = (1, 2)  # table 1, server 2 stops answering in the trunk-failure incident
SERVER_SILENT = "99103"  # the simulator's own app code for it (see sim/sbc/server.py)


def _sipsg(
    sg_id: int, spec: tuple[int, str, int, int, int, int, int], rng: random.Random
) -> SimResource:
    _, description, table, routing, q850, channels, calls = spec
    carrier = sg_id == 1
    fields = [
        SimField("Description", description),
        SimField("customAdminState", "1"),
        SimField("ProfileID", str(1 + sg_id % 2), href=f"/rest/sipprofile/{1 + sg_id % 2}"),
        SimField("Channels", str(channels)),
        SimField("ServerSelection", "1"),
        SimField("ServerClusterId", str(table), href=f"/rest/sipservertable/{table}"),
        SimField("RouteTableID", str(routing), href=f"/rest/routingtable/{routing}"),
        SimField("SIPtoQ850MapTableID", str(q850), href=f"/rest/sipq850map/{q850}"),
        SimField("MediaConfigID", "1"),
        SimField("ListenPort_1", "5061" if sg_id == 2 else "5060"),
        SimField("Protocol_1", "4" if sg_id == 2 else "1"),
        SimField("RTPMode", "1"),
        SimField("RTPProxyMode", "1"),
        SimField(
            "rt_ActiveCalls",
            _wave(calls, max(2, calls // 4), 9.0 + sg_id, rng.random() * 6),
            RUNTIME,
        ),
        SimField("rt_ChannelsInUse", _wave(calls, max(2, calls // 4), 9.0 + sg_id, 0.3), RUNTIME),
        SimField(
            "rt_OperationalState",
            (lambda m: "2" if m.incident else "1") if carrier else "1",
            RUNTIME,
        ),
        SimField("rt_TotalCalls", _counter(rng.randint(20_000, 90_000), calls / 20), STATISTICS),
        SimField(
            "rt_FailedCalls",
            _counter(rng.randint(50, 400), 0.02, 1.7 if carrier else 0.0),
            STATISTICS,
        ),
        SimField(
            "rt_LastFailureCause",
            (lambda m: "503" if m.incident else "486") if carrier else "0",
            STATISTICS,
        ),
    ]
    return SimResource("sipsg", str(sg_id), f"/rest/sipsg/{sg_id}", fields)


def bulk_sipsg(sg_id: int, rng: random.Random) -> SimResource:
    """A generated signaling group (big-list benchmarks): same fields as the real ones."""
    spec = (sg_id, f"Generated trunk {sg_id}", 1 + sg_id % 4, 1, 1, 30, rng.randint(0, 20))
    return _sipsg(sg_id, spec, rng)


def _sipserver(table: int, row: int, host: str, ip: str) -> SimResource:
    dead = (table, row) == DEAD_SERVER

    def status(m: Moment) -> str:
        return "1" if dead and m.incident else "0"

    def last_reply(m: Moment) -> str:
        return str(int(m.incident_for)) if dead and m.incident else str(int(m.t) % 30)

    def runtime_error(m: Moment) -> tuple[str, str] | None:
        if dead and m.incident:
            return SERVER_SILENT, f"{table}|{row}|{int(m.incident_for)}"
        return None

    fields = [
        SimField("ServerLookup", "0"),
        SimField("ServerType", "0"),
        SimField("Host", host),
        SimField("HostIpVersion", "0"),
        SimField("DomainName", host.partition(".")[2]),
        SimField("Port", "5061" if "pstnhub" in host else "5060"),
        SimField("Protocol", "4" if "pstnhub" in host else "1"),
        SimField("Priority", str(row)),
        SimField("Weight", "0"),
        SimField("Monitor", "1"),
        SimField("TLSProfileID", "1" if "pstnhub" in host else "0"),
        SimField("rt_ResolvedAddress", ip or f"52.114.{row}.{10 + row}", RUNTIME),
        SimField("rt_MonitorStatus", status, RUNTIME),
        SimField("rt_SecondsSinceLastReply", last_reply, RUNTIME),
    ]
    return SimResource(
        "sipserver",
        f"{table}:{row}",
        f"/rest/sipservertable/{table}/sipserver/{row}",
        fields,
        runtime_error,
    )


def _routing(tree: SbcTree) -> None:
    tables = {
        1: ("From Teams", [("To Carrier A, Carrier B on failure", [1, 4], 4)]),
        2: ("From carriers", [("To Teams", [2], 1)]),
        3: ("From PBX", [("PBX to carrier", [1, 4], 4), ("PBX to Teams users", [2], 1)]),
    }
    for table_id, (description, entries) in tables.items():
        sequence = ",".join(str(i + 1) for i in range(len(entries)))
        tree.add(
            SimResource(
                "routingtable",
                str(table_id),
                f"/rest/routingtable/{table_id}",
                [SimField("Description", description), SimField("Sequence", sequence)],
            ),
            "/rest/routingtable",
        )
        for row, (text, groups, transformation) in enumerate(entries, start=1):
            path = f"/rest/routingtable/{table_id}/routingentry/{row}"
            fields = [
                SimField("ConfigIEState", "1"),
                SimField("Description", text),
                SimField("RoutePriority", str(row)),
                SimField("CallPriority", "1"),
                SimField(
                    "TransformationTable",
                    str(transformation),
                    href=f"/rest/transformationtable/{transformation}",
                ),
                SimField(
                    "SignalingGroupList",
                    ",".join(map(str, groups)),
                    entries=tuple((str(g), f"/rest/sipsg/{g}") for g in groups),
                ),
                SimField("DenyCauseCode", "16"),
                SimField("QualityMetricCalls", "10"),
                SimField("QualityMinASRThreshold", "0"),
                SimField("MaximumCallDuration", "0"),
            ]
            tree.add(
                SimResource("routingentry", f"{table_id}:{row}", path, fields),
                f"/rest/routingtable/{table_id}/routingentry",
            )


def _transformations(tree: SbcTree) -> None:
    tables = {
        1: ("Teams inbound: strip +", [("0", r"\+(.*)", "0", r"\1"), ("3", r"\+(.*)", "3", r"\1")]),
        4: ("E.164 to national", [("0", r"\+44(.*)", "0", r"0\1"), ("3", r"(.*)", "3", r"+44\1")]),
    }
    for table_id, (description, rows) in tables.items():
        tree.add(
            SimResource(
                "transformationtable",
                str(table_id),
                f"/rest/transformationtable/{table_id}",
                [
                    SimField("Description", description),
                    SimField("Sequence", ",".join(str(i + 1) for i in range(len(rows)))),
                ],
            ),
            "/rest/transformationtable",
        )
        for row, (input_field, match, output_field, output) in enumerate(rows, start=1):
            fields = [
                SimField("ConfigIEState", "1"),
                SimField("Description", f"rule {row}"),
                SimField("InputField", input_field),
                SimField("InputFieldValue", match),
                SimField("OutputField", output_field),
                SimField("OutputFieldValue", output),
                SimField("MatchType", "0"),
            ]
            path = f"/rest/transformationtable/{table_id}/transformationentry/{row}"
            tree.add(
                SimResource("transformationentry", f"{table_id}:{row}", path, fields),
                f"/rest/transformationtable/{table_id}/transformationentry",
            )


def build_sbc_tree(rng: random.Random, *, bulk_sipsg_count: int = 0) -> SbcTree:
    """The lab SBC's tree (see the module docstring)."""
    tree = SbcTree()
    tree.add(
        SimResource(
            "system",
            "",
            "/rest/system",
            [
                SimField("NodeName", "edge1-lab"),
                SimField("DomainName", "lab.example"),
                SimField("PrimaryDNSServer", "10.0.0.53"),
                SimField("SecondaryDNSServer", "10.0.1.53"),
                SimField("TimeZoneGeoName", "UTC"),
                SimField("IsNtp1Enabled", "1"),
                SimField(
                    "ActiveAlarms",
                    "runtime view",
                    href="/rest/activealarm?details=true&filter=runtime",
                    raw_href=True,
                ),
                SimField("rt_DomainName", "lab.example", RUNTIME),
                SimField("rt_DNSServer1IP", "10.0.0.53", RUNTIME),
                SimField("rt_CPUUptime", lambda m: str(86_400 * 12 + int(m.t)), RUNTIME),
                SimField("rt_Software_Base_Version", "12.0.1", INVENTORY),
                SimField("rt_Software_Base_BuildNumber", "512", INVENTORY),
                SimField("rt_SerialNumber", f"SBC2K-{rng.randint(0, 999_999):06d}", INVENTORY),
            ],
        )
    )
    tree.add(
        SimResource(
            "systemcallstats",
            "",
            "/rest/systemcallstats",
            [
                SimField("rt_CallsAttempted", _counter(183_402, 4.2, 0.9), STATISTICS),
                SimField("rt_CallsSucceeded", _counter(179_950, 4.1), STATISTICS),
                SimField("rt_CallsFailed", _counter(3_452, 0.1, 0.9), STATISTICS),
                SimField("rt_CallsCurrentlyUp", _wave(101, 12, 11.0), RUNTIME),
            ],
        )
    )
    for spec in SG_SPECS:
        tree.add(_sipsg(spec[0], spec, rng), "/rest/sipsg")
    for sg_id in range(1000, 1000 + bulk_sipsg_count):
        tree.add(bulk_sipsg(sg_id, rng), "/rest/sipsg")
    for profile_id, text in ((1, "Carrier default"), (2, "Teams profile")):
        tree.add(
            SimResource(
                "sipprofile",
                str(profile_id),
                f"/rest/sipprofile/{profile_id}",
                [
                    SimField("Description", text),
                    SimField("StaticHost", "edge1-lab.lab.example" if profile_id == 2 else ""),
                    SimField("FQDNinFromHeader", str(profile_id - 1)),
                    SimField("FQDNinContactHeader", str(profile_id - 1)),
                ],
            ),
            "/rest/sipprofile",
        )
    for table_id, (description, servers) in SERVER_SPECS.items():
        sequence = ",".join(str(i + 1) for i in range(len(servers)))
        tree.add(
            SimResource(
                "sipservertable",
                str(table_id),
                f"/rest/sipservertable/{table_id}",
                [
                    SimField("Description", description),
                    SimField("Sequence", sequence),
                ],
            ),
            "/rest/sipservertable",
        )
        for row, (host, ip) in enumerate(servers, start=1):
            tree.add(
                _sipserver(table_id, row, host, ip), f"/rest/sipservertable/{table_id}/sipserver"
            )
    for map_id, text in (
        (1, "Default SIP to Q.850"),
        (3, "Carrier A overrides"),
        (5, "Unused test map"),
    ):
        tree.add(
            SimResource(
                "sipq850map",
                str(map_id),
                f"/rest/sipq850map/{map_id}",
                [
                    SimField("Description", text),
                    SimField("SIPResponseCode", "503"),
                    SimField("Q850Cause", "34"),
                ],
            ),
            "/rest/sipq850map",
        )
    _routing(tree)
    _transformations(tree)
    tree.add(
        SimResource(
            "isdnsg",
            "10001",
            "/rest/isdnsg/10001",
            [
                SimField("Description", "PRI to legacy PBX"),
                SimField("ActionsetTableNumber", "0"),
                SimField("ApplyToChannelList", ""),
                SimField(
                    "ApplyToPortName", "1.1", href="/linecard/1/telcods1port/1"
                ),  # no /rest/: as printed by Ribbon
                SimField("rt_ChannelsInUse", _wave(9, 4, 13.0), RUNTIME),
            ],
        ),
        "/rest/isdnsg",
    )
    for bucket in range(1, 4):
        tree.add(
            SimResource(
                "historicalstatistics",
                f"10001:{bucket}",
                f"/rest/isdnsg/10001/historicalstatistics/{bucket}",
                [
                    SimField("rt_PeakChannelUsage", str(rng.randint(8, 23)), STATISTICS),
                    SimField("rt_CompletedCalls", str(rng.randint(200, 900)), STATISTICS),
                    SimField("rt_IncompleteCalls", str(rng.randint(0, 12)), STATISTICS),
                ],
            ),
            "/rest/isdnsg/10001/historicalstatistics",
        )
    for bucket in range(1, 26):
        tree.add(
            SimResource(
                "historicalstatistics",
                str(bucket),
                f"/rest/license/historicalstatistics/{bucket}",
                [
                    SimField(
                        "rt_PeakSIPCall",
                        _wave(140, 20, 17.0) if bucket == 1 else str(rng.randint(60, 180)),
                        STATISTICS,
                    ),
                    SimField("rt_PeakSIPRegistration", str(rng.randint(10, 40)), STATISTICS),
                    SimField("rt_PeakTDMChannel", str(rng.randint(5, 23)), STATISTICS),
                    SimField("rt_PeakDSP", str(rng.randint(0, 30)), STATISTICS),
                ],
            ),
            "/rest/license/historicalstatistics",
        )
    for index, (severity, text) in enumerate(
        ((1, "NTP server 2 unreachable"), (2, "Certificate expires in 21 days")), start=1
    ):
        tree.add(
            _alarm(index, severity, text, 1_773_000_000_000 + index * 3_600_000),
            "/rest/activealarm",
        )
    return tree


def _alarm(index: int, severity: int, text: str, first_ms: int) -> SimResource:
    return SimResource(
        "activealarm",
        str(index),
        f"/rest/activealarm/{index}",
        [
            SimField("AlmIndex", str(index), RUNTIME),
            SimField("EventID", str(20 + index), RUNTIME),
            SimField("aSeverity", str(severity), RUNTIME),
            SimField("aCategory", "1", RUNTIME),
            SimField("aState", "2", RUNTIME),
            SimField("Count", "1", RUNTIME),
            SimField("FirstOccur", str(first_ms), RUNTIME),
            SimField("LastOccur", str(first_ms), RUNTIME),
            SimField("Desc", text, RUNTIME),
        ],
    )


def incident_alarm(moment: Moment, started_ms: int) -> SimResource:
    """The alarm the trunk-failure incident raises while it lasts."""
    alarm = _alarm(
        9, 3, "SIP server sip2.carrier-a.example (10.20.0.12) not responding", started_ms
    )
    count = next(f for f in alarm.fields if f.name == "Count")
    count.value = lambda m: str(1 + int(m.incident_for // 30))
    return alarm
