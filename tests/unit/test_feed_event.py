from __future__ import annotations

import gc
import json

from tui.core.feed import (
    BLANK_FIELDS,
    FLAG_DELTA,
    FLAG_DUPLICATE,
    SEV_ERROR,
    SOURCE_WCS,
    FeedEvent,
    StringPool,
    as_row,
    blank_event,
    from_row,
)


def test_blank_event_fills_every_field() -> None:
    event = blank_event(source=SOURCE_WCS, method="CallStatusEvent", status="FAILED")
    assert isinstance(event, FeedEvent)
    assert event.latency_ms == -1.0
    assert event.sip_status == 0
    assert event.method == "CallStatusEvent"


def test_json_form_for_tail() -> None:
    event = blank_event(
        seq=7,
        ts=1_700_000_000.5,
        source="wcs",
        kind="event",
        node="n@10.0.0.1",
        method="CallStatusEvent",
        call="c1",
        status="FAILED",
        info="SIP 486 BUSY HERE",
        sip_status=486,
        reply_status=200,
        latency_ms=0.4567,
        severity=SEV_ERROR,
        flags=FLAG_DUPLICATE | FLAG_DELTA,
    )
    out = event.to_json()
    assert out["time"] == "2023-11-14T22:13:20.500+00:00"
    assert out["type"] == "event"
    assert out["sip_status"] == 486
    assert out["latency_ms"] == 0.457
    assert out["stream"] is None
    assert out["severity"] == "error"
    assert out["flags"] == ["duplicate", "delta"]
    json.dumps(out)


def test_rows_of_atomic_values_leave_gc_tracking() -> None:
    """Why stores keep plain tuples: the named tuple stays tracked, its row does not."""
    event = blank_event(source="wcs", method="x", ts=1.0)
    row = as_row(event)
    gc.collect()
    assert gc.is_tracked(event)
    assert not gc.is_tracked(row)
    assert from_row(row) == event
    assert from_row(row).method == "x"


def test_string_pool_shares_and_stays_bounded() -> None:
    pool = StringPool(limit=3)
    a = pool("".join(["Call", "StatusEvent"]))
    b = pool("".join(["CallStatus", "Event"]))
    assert a is b
    for i in range(10):
        pool(f"id-{i}")
    assert len(pool._pool) <= 3


def test_icws_json_uses_icws_names() -> None:
    event = blank_event(
        seq=3,
        ts=0.0,
        source="icws",
        node="cic1",
        method="message:QueueContentsMessage",
        app="q-support",
        call="1001234567",
        queue="Support",
        status="C",
        flags=FLAG_DELTA,
        error_id="error.request.connection",
    )
    out = event.to_json()
    assert out["server"] == "cic1"
    assert out["type"] == "message:QueueContentsMessage"
    assert out["subscription"] == "q-support"
    assert out["is_delta"] is True
    assert out["interaction"] == "1001234567"
    assert out["error_id"] == "error.request.connection"
    assert "node" not in out


def _every_field_set(source: str) -> FeedEvent:
    """An event with every field holding a value of its own, so each can be found in the JSON."""
    values: dict[str, object] = {}
    for i, name in enumerate(FeedEvent._fields):
        blank = BLANK_FIELDS[name]
        if isinstance(blank, str):
            values[name] = f"v-{name}"
        elif isinstance(blank, float):
            values[name] = 1000.0 + i
        else:
            values[name] = 100 + i
    values.update(source=source, severity=SEV_ERROR, flags=FLAG_DUPLICATE)
    return FeedEvent(**values)  # type: ignore[arg-type]


def test_every_field_reaches_the_json_of_tail() -> None:
    """``tail --jsonl`` prints every field the feed has (mediaSessionId went missing once)."""
    for source in ("wcs", "icws", "console"):
        event = _every_field_set(source)
        printed = set(map(str, event.to_json().values()))
        for name in FeedEvent._fields:
            if name in ("source", "severity", "flags", "ts"):
                continue
            assert str(getattr(event, name)) in printed, (source, name)


def test_the_media_session_id_is_printed_for_wcs_streams() -> None:
    event = blank_event(source="wcs", method="StreamStatusEvent", stream="s", media="m-1")
    assert event.to_json()["media_session"] == "m-1"
