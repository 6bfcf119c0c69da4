"""Snapshots of the inspector with a decoded error and with errors seen, at 80x24 and 120x40.

Deterministic: fixed clock, packaged catalogs only (XDG isolated), fixed event times.
Update after an intended change: .venv/bin/python -m pytest tests/ui --snapshot-update
"""

from __future__ import annotations

import pytest

from tui.core.errors.examples import EXAMPLES
from tui.core.feed import SEV_ERROR, SEV_WARNING, blank_event
from tui.ui.screenshots import deterministic_app
from tui.ui.widgets.inspector.seen import ErrorsSeen

SIZES = [(80, 24), (120, 40)]
T0 = 1_773_480_000.0  # 2026-03-14 09:20:00Z, a few minutes before the fixed clock


def seed_tally(app) -> None:
    tally = app.errors_seen
    tally.add_events(
        [
            blank_event(seq=i, ts=T0 + i, source="icws", severity=SEV_ERROR, error_id=error_id)
            for i, error_id in enumerate(
                ["error.request.connection.authenticationFailure"] * 4
                + ["error.server.notAcceptingConnections"] * 2
            )
        ]
    )
    tally.add_events(
        [
            blank_event(
                seq=100 + i,
                ts=T0 + 60 + i,
                source="wcs",
                status="FAILED",
                info=info,
                sip_status=sip,
                severity=SEV_ERROR,
            )
            for i, (info, sip) in enumerate(
                [("SIP 503 SERVICE UNAVAILABLE", 503)] * 5
                + [("SIP 408 REQUEST TIMEOUT", 408)] * 2
                + [("Failed by ICE timeout", 0)] * 3
            )
        ]
    )
    tally.add_events(
        [
            blank_event(
                seq=200,
                ts=T0 + 90,
                source="wcs",
                method="call",
                reply_status=403,
                severity=SEV_WARNING,
            )
        ]
        + [  # the ICWS client's own reports: a lost session, a host not accepting connections
            blank_event(
                seq=300 + i,
                ts=T0 + 100 + i,
                source="console",
                kind="icws",
                method="login",
                status=str(status),
                info=info,
                reply_status=status,
                severity=SEV_WARNING,
            )
            for i, (status, info) in enumerate(
                [(401, "session lost (401); logging in again and re-subscribing")] * 2
                + [(503, "cic1 is not accepting connections (503); trying cic2")]
            )
        ]
    )
    tally.add_resource_error(
        "sbc",
        31003,
        ["3", "2"],
        ts=T0 + 120,
        ref="https://10.0.0.5/rest/sipq850map/3",
        http_status=409,
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_decoded_sbc_error(snap_compare, size) -> None:
    async def go(pilot) -> None:
        pilot.app.inspect(EXAMPLES[0][1], origin="browser")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(deterministic_app(), terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_decoded_failed_call(snap_compare, size) -> None:
    async def go(pilot) -> None:
        pilot.app.inspect(EXAMPLES[1][1], origin="feed")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(deterministic_app(), terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_errors_seen(snap_compare, size) -> None:
    async def go(pilot) -> None:
        seed_tally(pilot.app)
        pilot.app.switch_mode("inspector")
        await pilot.pause()
        await pilot.press("f8")
        pilot.app.screen.query_one(ErrorsSeen).refresh_counts(force=True)
        await pilot.pause()

    assert snap_compare(deterministic_app(), terminal_size=size, run_before=go)


def test_history(snap_compare) -> None:
    async def go(pilot) -> None:
        for _, text in EXAMPLES[:4]:
            pilot.app.inspect(text, origin="feed")
            await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()

    assert snap_compare(deterministic_app(), terminal_size=(80, 24), run_before=go)
