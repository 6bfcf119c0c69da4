"""ErrorTally: counts per hierarchy level, per code, status and info; bounded; seq lists."""

from __future__ import annotations

from tui.core.errors.tally import (
    GROUP_HTTP,
    GROUP_ICWS,
    GROUP_SBC,
    GROUP_SIP,
    GROUP_WCS,
    Count,
    ErrorTally,
)
from tui.core.feed import SEV_ERROR, SEV_OK, SEV_WARNING, blank_event


def count_of(tally: ErrorTally, group: str, key: str) -> Count:
    found = tally.get(group, key)
    assert found is not None, (group, key)
    return found


def icws(seq: int, error_id: str, ts: float = 100.0):
    return blank_event(seq=seq, ts=ts, source="icws", error_id=error_id, severity=SEV_ERROR)


def wcs(seq: int, ts: float = 100.0, **fields):
    return blank_event(seq=seq, ts=ts, source="wcs", **fields)


def test_each_event_counts_once_at_every_level() -> None:
    tally = ErrorTally()
    counted = tally.add_events(
        [
            icws(1, "error.request.connection.authenticationFailure", 10.0),
            icws(2, "error.request.accessDenied.httpMethodNotAllowed", 11.0),
            icws(3, "error.request.connection.authenticationFailure", 12.0),
            icws(4, "error.server.unavailable", 13.0),
        ]
    )
    assert counted == 4
    assert tally.events == 4
    counts = {k: c.count for k, c in tally.groups[GROUP_ICWS].items()}
    assert counts == {
        "error": 4,
        "error.request": 3,
        "error.request.connection": 2,
        "error.request.connection.authenticationFailure": 2,
        "error.request.accessDenied": 1,
        "error.request.accessDenied.httpMethodNotAllowed": 1,
        "error.server": 1,
        "error.server.unavailable": 1,
    }
    top = count_of(tally, GROUP_ICWS, "error")
    assert (top.first_seen, top.last_seen, list(top.seqs)) == (10.0, 13.0, [1, 2, 3, 4])


def test_rows_are_a_tree_busiest_first() -> None:
    tally = ErrorTally()
    tally.add_events(
        [icws(1, "error.server.unavailable")]
        + [icws(i, "error.request.connection.authenticationFailure") for i in range(2, 5)]
    )
    rows = [(r.depth, r.key, r.count) for r in tally.rows() if r.group == GROUP_ICWS]
    assert rows == [
        (0, "error", 4),
        (1, "error.request", 3),
        (2, "error.request.connection", 3),
        (3, "error.request.connection.authenticationFailure", 3),
        (1, "error.server", 1),
        (2, "error.server.unavailable", 1),
    ]


def test_wcs_sip_status_info_and_reply_status() -> None:
    tally = ErrorTally()
    events = [
        wcs(
            1,
            status="FAILED",
            info="SIP 503 SERVICE UNAVAILABLE",
            sip_status=503,
            severity=SEV_ERROR,
        ),
        wcs(2, status="FAILED", info="SIP 408 REQUEST TIMEOUT", severity=SEV_ERROR),  # no sipStatus
        wcs(3, status="FAILED", info="Failed by ICE timeout", severity=SEV_ERROR),
        wcs(4, status="STOPPED", info="Stopped by publisher stop", severity=SEV_WARNING),
        wcs(5, status="FINISH", info="Normal call clearing", severity=SEV_OK),  # not an error
        wcs(6, method="call", reply_status=403, severity=SEV_WARNING),
        wcs(7, status="ESTABLISHED", sip_status=200),  # not an error
        wcs(8, status="BUSY", info="SIP 486 BUSY HERE", sip_status=486),
    ]
    assert tally.add_events(events) == 6
    assert {k: c.count for k, c in tally.groups[GROUP_SIP].items()} == {
        "503": 1,
        "408": 1,
        "486": 1,
    }
    assert count_of(tally, GROUP_SIP, "408").sample == "SIP 408 REQUEST TIMEOUT"
    # a "SIP 503 …" info is the SIP status counted above, not a second WCS info
    assert set(tally.groups[GROUP_WCS]) == {"Failed by ICE timeout", "Stopped by publisher stop"}
    assert list(count_of(tally, GROUP_HTTP, "wcs 403").seqs) == [6]


def test_browser_resource_errors() -> None:
    tally = ErrorTally()
    tally.add_resource_error(
        "sbc", 31003, ["3", "2"], ts=5.0, ref="https://sbc/rest/sipq850map/3", http_status=409
    )
    tally.add_resource_error("sbc", "31003", ["4", "2"], ts=6.0)
    tally.add_resource_error("mws", "notFound", ts=7.0)
    count = count_of(tally, GROUP_SBC, "31003")
    assert count.count == 2
    assert count.sample == "31003 3|2"
    assert list(count.refs) == ["https://sbc/rest/sipq850map/3"]
    assert count_of(tally, "mws", "notFound").count == 1
    assert count_of(tally, GROUP_HTTP, "sbc 409").count == 1
    assert list(count.seqs) == []  # browser errors are not feed events


def test_bounded_keys_and_seqs() -> None:
    tally = ErrorTally(max_seqs=3, max_keys=2)
    tally.add_events(
        [wcs(i, status="FAILED", info=f"Failed by thing {i}", severity=SEV_ERROR) for i in range(5)]
    )
    assert set(tally.groups[GROUP_WCS]) == {"Failed by thing 0", "Failed by thing 1", "(other)"}
    assert count_of(tally, GROUP_WCS, "(other)").count == 3
    assert list(count_of(tally, GROUP_WCS, "(other)").seqs) == [2, 3, 4]


def test_version_moves_only_on_change_and_reset() -> None:
    tally = ErrorTally()
    seen = []
    tally.add_events([wcs(1, status="ESTABLISHED")])
    seen.append((tally.version, tally.empty))
    tally.add_events([icws(2, "error")])
    seen.append((tally.version, tally.empty))
    tally.reset()
    seen.append((tally.version, tally.empty))
    assert seen == [(0, True), (1, False), (2, True)]
    assert tally.events == 0


def test_console_error_codes_are_other() -> None:
    tally = ErrorTally()
    tally.add_event(
        blank_event(
            seq=1, ts=1.0, source="console", error_id="hooks.upstream.timeout", severity=SEV_ERROR
        )
    )
    assert count_of(tally, "other", "console: hooks.upstream.timeout").count == 1


def icws_console(seq: int, status: str, info: str, reply_status: int = 0, error_id: str = ""):
    """What the ICWS client reports about its own login and session (source console)."""
    return blank_event(
        seq=seq, ts=100.0 + seq, source="console", kind="icws", node="icws1", method="login",
        status=status, info=info, reply_status=reply_status, error_id=error_id,
        severity=SEV_WARNING,
    )  # fmt: skip


def test_icws_login_failures_are_icws_and_count_once() -> None:
    tally = ErrorTally()
    events = [
        icws_console(1, "401", "session lost (401 Unauthorized); logging in again", 401),
        icws_console(2, "switchover", "cic1 is not accepting connections (503); trying cic2", 503),
        icws_console(3, "unreachable", "login at cic2 failed: connection refused"),
        icws_console(
            4,
            "400",
            "login at cic1 failed: bad password",
            400,
            "error.request.connection.authenticationFailure",
        ),
    ]
    assert tally.add_events(events) == 4
    assert tally.groups[GROUP_WCS] == {}  # was: every info line under "WCS info"
    http = {k: c.count for k, c in tally.groups[GROUP_HTTP].items()}
    assert http == {"icws 401": 1, "icws 503": 1}  # was "wcs 401", "wcs 503"
    assert count_of(tally, "other", "icws login: unreachable").count == 1
    assert count_of(tally, GROUP_ICWS, "error.request.connection.authenticationFailure").count == 1
    rows = [(r.group, r.key) for r in tally.rows() if r.depth == 0]
    assert len(rows) == 4  # one reading per event: no event filed twice
    assert tally.events == 4
