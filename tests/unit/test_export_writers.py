"""The export writers (JSON lines, CSV, HAR) and the JSON-lines reader, without a journal."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.core.export import (
    CSV_COLUMNS,
    ExportedEvent,
    JsonlReader,
    Utf8Out,
    event_from_json,
    export_line,
    neutralise,
    read_jsonl,
    write_csv,
    write_har,
    write_jsonl,
)
from tui.core.export.fast_line import event_line, iso_ms
from tui.core.export.jsonl import NotAnEvent, exported_from_json
from tui.core.feed import (
    BLANK_FIELDS,
    FLAG_DELTA,
    FLAG_TAP,
    SEV_ERROR,
    SOURCE_CONSOLE,
    SOURCE_ICWS,
    SOURCE_WCS,
    FeedEvent,
    blank_event,
    iso_time,
)
from tui.core.redact import decode_body, redact_json_bytes, redact_text

TEXT_FIELDS = [name for name, blank in BLANK_FIELDS.items() if isinstance(blank, str)]

# Every field set: text never empty (an empty one is "not present" and prints as null).
texts = st.text(min_size=1, max_size=12)
events = st.builds(
    lambda source, fields, **numbers: FeedEvent(source=source, **fields, **numbers),
    source=st.sampled_from([SOURCE_WCS, SOURCE_ICWS, SOURCE_CONSOLE]),
    fields=st.fixed_dictionaries({name: texts for name in TEXT_FIELDS if name != "source"}),
    seq=st.integers(0, 2**53),
    # Times are printed to the millisecond: the round trip keeps exactly those.
    ts=st.integers(0, 4_102_444_800_000).map(lambda ms: ms / 1000),
    sip_status=st.integers(1, 699),
    reply_status=st.integers(1, 599),
    latency_ms=st.one_of(
        st.just(-1.0), st.just(0.0), st.integers(0, 10**9).map(lambda us: us / 1000)
    ),
    severity=st.integers(0, 3),
    flags=st.integers(0, 31),
)
EVENT = blank_event(
    seq=3, ts=1_700_000_000.25, source=SOURCE_WCS, kind="event", node="n1@10.0.0.1",
    app="/apps/EchoApp", method="CallStatusEvent", call="c1", status="FAILED",
    info="SIP 503 SERVICE UNAVAILABLE", sip_status=503, reply_status=200, latency_ms=0.4,
    severity=SEV_ERROR, flags=FLAG_TAP,
)  # fmt: skip


def written(write: Any, items: list[ExportedEvent], tmp_path: Path, name: str) -> Path:
    """What ``write`` makes of ``items`` in a file, through the command's UTF-8 output."""
    path = tmp_path / name
    with path.open("wb") as binary:
        write(items, Utf8Out(binary))
    return path


@given(events)
@example(blank_event(seq=1, ts=0.0, source=SOURCE_ICWS, latency_ms=0.0, flags=FLAG_DELTA))
@example(blank_event(seq=2, ts=1.5, source=SOURCE_WCS, call="\udcff lone", latency_ms=0.0))
def test_an_event_reads_back_as_itself(event: FeedEvent) -> None:
    assert event_from_json(json.loads(export_line(ExportedEvent(event)))) == event


def test_a_file_of_events_of_both_sources_reads_back_in_order(tmp_path: Path) -> None:
    icws = blank_event(seq=4, ts=1_700_000_001.0, source=SOURCE_ICWS, kind="queueContents",
                       method="QueueContentsMessage", call="1001", queue="Support",
                       flags=FLAG_DELTA, node="cic1")  # fmt: skip
    console = blank_event(seq=5, ts=1_700_000_002.0, source=SOURCE_CONSOLE, status="ERROR",
                          info="upstream down \udc80", severity=SEV_ERROR)  # fmt: skip
    items = [ExportedEvent(EVENT), ExportedEvent(icws), ExportedEvent(console)]
    path = written(write_jsonl, items, tmp_path, "events.jsonl")
    path.read_text(encoding="utf-8")  # valid UTF-8 even with a lone surrogate inside
    problems: list[Any] = []
    assert [item.event for item in read_jsonl(path, problems)] == [EVENT, icws, console]
    assert problems == []


def test_a_line_without_bodies_is_what_tail_prints() -> None:
    assert export_line(ExportedEvent(EVENT)) == json.dumps(EVENT.to_json(), ensure_ascii=False)


JSON_BODIES = st.dictionaries(
    st.text(max_size=8), st.one_of(st.integers(), st.text(max_size=8)), max_size=4
).map(lambda d: json.dumps(d).encode())


def _plain_text(blob: bytes) -> bool:
    """Not JSON, not UTF-16/32, and nothing in it to hide."""
    value, is_json = decode_body(blob)
    return b"\x00" not in blob and not is_json and redact_text(value) == value


TEXT_BODIES = st.binary(max_size=40).filter(_plain_text)  # not UTF-8 even, often
bodies = st.one_of(JSON_BODIES, TEXT_BODIES)


@given(bodies, bodies)
@example(b'{"key": "1"}', b"x")  # a key that names a secret: it reads back hidden
def test_bodies_read_back_as_the_same_values(raw: bytes, reply: bytes) -> None:
    line = export_line(ExportedEvent(EVENT, raw, reply, {"path": "/apps/EchoApp/x"}))
    doc = json.loads(line)
    item = exported_from_json(doc)
    assert item.event == EVENT and item.meta == {"path": "/apps/EchoApp/x"}
    assert item.raw is not None and item.reply is not None
    for sent, got in ((raw, item.raw), (reply, item.reply)):
        value, is_json = decode_body(redact_json_bytes(sent))
        assert decode_body(got) == (value, is_json)
        if not is_json:
            assert got == sent  # text bodies come back byte for byte


def _merged_line(item: ExportedEvent) -> str:
    """The line as one ``json.dumps`` of the event's object and its bodies writes it."""
    doc = json.loads(export_line(ExportedEvent(item.event)))
    for blob, keys in ((item.raw, ("raw", "raw_text")), (item.reply, ("reply", "reply_text"))):
        if blob is not None:
            value, is_json = decode_body(redact_json_bytes(blob))
            doc[keys[0] if is_json else keys[1]] = value
    if item.meta is not None:
        doc["meta"] = item.meta
    return json.dumps(doc, ensure_ascii=False)


@given(bodies, bodies, st.booleans())
def test_a_line_with_bodies_is_the_text_of_one_object(raw: bytes, reply: bytes, echo: bool) -> None:
    """Each body is encoded once (an echo's once for both keys), and the line is still the
    text ``json.dumps`` gives the whole object."""
    item = ExportedEvent(EVENT, raw, raw if echo else reply, {"path": "/apps/EchoApp/x"})
    assert export_line(item) == _merged_line(item)


def test_a_body_json_cannot_spell_goes_as_its_text() -> None:
    raw = b'{"level": NaN, "callId": "c1"}'
    doc = json.loads(export_line(ExportedEvent(EVENT, raw, raw, {"path": "/x"})))
    assert doc["raw_text"] == doc["reply_text"] == '{"level": NaN, "callId": "c1"}'
    assert doc["meta"] == {"path": "/x"} and "raw" not in doc


def test_a_json_string_body_and_a_text_body_stay_apart() -> None:
    doc = json.loads(export_line(ExportedEvent(EVENT, b'"hello"', b"hello", {})))
    assert doc["raw"] == "hello" and doc["reply_text"] == "hello"
    assert "raw_text" not in doc and "reply" not in doc


def test_bodies_and_headers_are_redacted_even_from_a_live_store() -> None:
    raw = json.dumps({"sipLogin": "1001", "sipPassword": "hunter2", "sipMessageRaw":
                      "INVITE sip:x SIP/2.0\r\nAuthorization: Digest username=1001, "
                      'response="abc123"\r\n'}).encode()  # fmt: skip
    reply = b"token=s3cret&user=1001"
    meta = {
        "path": "/apps/EchoApp/connect",
        "headers": {"authorization": "WCS 0123abcd", "content-type": "application/json"},
    }
    line = export_line(ExportedEvent(EVENT, raw, reply, meta))
    for secret in ("hunter2", "abc123", "s3cret", "0123abcd"):
        assert secret not in line
    doc = json.loads(line)
    assert doc["raw"]["sipPassword"] == "***" and doc["raw"]["sipLogin"] == "1001"
    assert doc["reply_text"] == "token=***&user=1001"
    assert doc["meta"]["headers"]["authorization"] == "WCS ***"


def test_lines_that_are_no_events_are_reported_with_their_number(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = export_line(ExportedEvent(EVENT))
    bad_severity = good.replace('"severity": "error"', '"severity": "dire"')
    path.write_bytes(
        "\n".join([good, "{not json", "[1, 2]", '{"seq": 1}', "", bad_severity,
                   good.replace('"sip_status": 503', '"sip_status": "503"'), good]).encode()
        + b"\n\xff\xfe{\n"
    )  # fmt: skip
    reader = JsonlReader(path)
    assert [item.event for item in reader] == [EVENT, EVENT]
    assert [(p.line, p.message.split(" ")[0]) for p in reader.problems] == [
        (2, "not"), (3, "a"), (4, "no"), (6, "severity"), (7, "sip_status"), (9, "not"),
    ]  # fmt: skip
    assert reader.bad_lines == 6 and reader.events == 2
    assert str(reader.problems[2]) == "line 4: no time: not an exported event"


def test_a_known_field_of_the_wrong_type_is_no_event() -> None:
    doc = EVENT.to_json()
    for key, value in (("latency_ms", "fast"), ("call", 7), ("flags", ["shiny"]),
                       ("time", "yesterday"), ("seq", True)):  # fmt: skip
        with pytest.raises(NotAnEvent):
            event_from_json({**doc, key: value})


# -- CSV ---------------------------------------------------------------------------------------


def test_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd",
               "\uff1d1+1"]  # fmt: skip
    items = [ExportedEvent(EVENT._replace(seq=n, info=text, caller=text))
             for n, text in enumerate(hostile)]  # fmt: skip
    path = written(write_csv, items, tmp_path, "events.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["info"] for row in rows] == ["'" + text for text in hostile]
    assert [row["caller"] for row in rows] == ["'" + text for text in hostile]
    assert neutralise("plain -1") == "plain -1" and neutralise("") == ""


def test_quotes_and_line_breaks_stay_inside_their_cell(tmp_path: Path) -> None:
    info = 'said "no",\r\nthen\nleft\r'
    path = written(write_csv, [ExportedEvent(EVENT._replace(info=info))], tmp_path, "q.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        header, row = list(csv.reader(handle))
    assert tuple(header) == CSV_COLUMNS
    assert row[header.index("info")] == info and len(row) == len(header)


def test_our_numbers_stay_numbers_and_absent_ones_are_empty(tmp_path: Path) -> None:
    quiet = EVENT._replace(seq=9, sip_status=0, latency_ms=-1.0, flags=0)
    path = written(write_csv, [ExportedEvent(EVENT), ExportedEvent(quiet)], tmp_path, "n.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].endswith(",503,200,0.4,,tap") and ",3," in lines[1]
    assert lines[2].endswith(",,200,,,")
    assert lines[1].startswith(iso_time(EVENT.ts) + ",3,wcs,error,n1@10.0.0.1,")


# -- HAR ---------------------------------------------------------------------------------------


def test_hooks_become_har_entries_and_other_events_are_counted(tmp_path: Path) -> None:
    raw = b'{"callId":"c1","sipPassword":"hunter2"}'
    meta = {"path": "/apps/EchoApp/CallStatusEvent", "peer": "10.0.0.1",
            "headers": {"content-type": "application/json", "authorization": "WCS 99ff"},
            "upstream_url": "http://backend/apps/EchoApp/CallStatusEvent",
            "upstream_status": 200}  # fmt: skip
    icws = blank_event(seq=4, ts=1.0, source=SOURCE_ICWS, method="QueueContentsMessage")
    rejected = EVENT._replace(seq=5, reply_status=499, latency_ms=-1.0)
    items = (item for item in [  # a generator: the writer takes items as they come
        ExportedEvent(EVENT, raw, b"not json", meta), ExportedEvent(icws),
        ExportedEvent(rejected, b"", b"", {}),
    ])  # fmt: skip
    out = io.StringIO()
    counts = write_har(items, out, creator_version="9.9")
    assert (counts.written, counts.skipped) == (2, 1)
    text = out.getvalue()
    assert "hunter2" not in text and "99ff" not in text
    log = json.loads(text)["log"]
    assert log["version"] == "1.2" and log["creator"] == {"name": "noc-console", "version": "9.9"}
    first, second = log["entries"]
    assert datetime.fromisoformat(first["startedDateTime"]).timestamp() == EVENT.ts
    assert first["time"] == 0.4 and first["timings"] == {"send": 0, "wait": 0.4, "receive": 0}
    request, response = first["request"], first["response"]
    assert request["method"] == "POST"
    assert request["url"] == "http://wcs-hooks/apps/EchoApp/CallStatusEvent"
    assert {"name": "authorization", "value": "WCS ***"} in request["headers"]
    assert json.loads(request["postData"]["text"]) == {"callId": "c1", "sipPassword": "***"}
    assert request["postData"]["mimeType"] == "application/json"
    assert (response["status"], response["statusText"]) == (200, "OK")
    assert response["content"] == {"size": 8, "mimeType": "text/plain", "text": "not json"}
    assert first["_upstream"]["upstream_status"] == 200 and first["_peer"] == "10.0.0.1"
    assert second["response"]["statusText"] == "Client Closed Request" and second["time"] == 0
    assert second["request"]["url"] == "http://wcs-hooks/apps/EchoApp/CallStatusEvent"
    for entry in log["entries"]:  # what HAR 1.2 requires of every entry
        assert {"startedDateTime", "time", "request", "response", "cache", "timings"} <= set(entry)
        assert {"method", "url", "httpVersion", "cookies", "headers", "queryString",
                "headersSize", "bodySize"} <= set(entry["request"])  # fmt: skip
        assert {"status", "statusText", "httpVersion", "cookies", "headers", "content",
                "redirectURL", "headersSize", "bodySize"} <= set(entry["response"])  # fmt: skip
        assert {"size", "mimeType"} <= set(entry["response"]["content"])


def test_an_export_without_hooks_is_still_a_har_document() -> None:
    out = io.StringIO()
    counts = write_har(iter([]), out)
    assert json.loads(out.getvalue())["log"]["entries"] == [] and counts.written == 0


# -- the fast line is the ordinary one ---------------------------------------------------------

odd_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=6)
any_events = st.builds(
    lambda source, fields, **numbers: FeedEvent(source=source, **fields, **numbers),
    source=st.sampled_from([SOURCE_WCS, SOURCE_ICWS, SOURCE_CONSOLE, "", "other"]),
    fields=st.fixed_dictionaries({name: odd_text for name in TEXT_FIELDS if name != "source"}),
    seq=st.integers(0, 2**63),
    ts=st.floats(-1e10, 1e11, allow_nan=False),
    sip_status=st.integers(-1, 999),
    reply_status=st.integers(0, 599),
    latency_ms=st.floats(allow_nan=True, allow_infinity=True),
    severity=st.integers(0, 3),
    flags=st.integers(0, 64),
)


@given(any_events)
@example(blank_event(source=SOURCE_ICWS, latency_ms=0.0))
@example(blank_event(source=SOURCE_WCS, latency_ms=-0.0, call="\udcff\x00\u2028\x1b[2J"))
@example(blank_event(source=SOURCE_WCS, latency_ms=float("inf"), flags=32))
@example(blank_event(source=SOURCE_WCS, ts=1_700_000_000.9999996))
@example(blank_event(source=SOURCE_WCS, ts=0.0000005))
@example(blank_event(source=SOURCE_WCS, sip_status="503"))
def test_the_fast_line_is_exactly_the_ordinary_one(event: FeedEvent) -> None:
    assert event_line(event) == json.dumps(event.to_json(), ensure_ascii=False)


@given(st.floats(0, 4e9) | st.integers(0, 4 * 10**15).map(lambda us: us / 1e6))
@example(1.0000005)
@example(1.0000015)
@example(1_700_000_000.0004995)
@example(59.9999999)
def test_times_are_printed_as_datetime_prints_them(ts: float) -> None:
    assert iso_ms(ts) == iso_time(ts)


@given(st.lists(st.text(max_size=10), min_size=16, max_size=16))
@example(["=1+1", "+", "-", "@", "\t", "\r", "\n=x", '"', ",", "\r\n", "a\x00b", "\u2028",
          "'=", " =1", "\uff20", ""])  # fmt: skip
def test_any_text_reads_back_from_the_csv_as_the_neutralised_cell(texts: list[str]) -> None:
    names = ("node", "app", "kind", "method", "status", "info", "session", "call", "parent",
             "stream", "media", "caller", "callee", "queue", "user", "error_id")  # fmt: skip
    fields: dict[str, Any] = dict(zip(names, texts, strict=True))
    out = io.StringIO(newline="")
    write_csv([ExportedEvent(EVENT._replace(**fields))], out)
    header, row = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    cells = dict(zip(header, row, strict=True))
    for name, text in fields.items():
        assert cells[name] == neutralise(text)
        assert not cells[name] or cells[name][0] not in "=+-@\t\r"


def test_a_line_too_long_is_skipped_without_being_held(tmp_path, monkeypatch) -> None:
    from tui.core.export import jsonl

    good = '{"seq": 1, "time": "2026-03-14T06:00:00.000+00:00", "source": "wcs", "severity": "ok"}'
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", len(good) + 1)
    path = tmp_path / "long.jsonl"
    path.write_text(good + "\n" + "x" * 10_000 + "\n" + good.replace('"seq": 1', '"seq": 2') + "\n")
    reader = jsonl.JsonlReader(path)
    assert [item.event.seq for item in reader] == [1, 2]
    bound = len(good) + 1
    assert [str(p) for p in reader.problems] == [f"line 2: longer than {bound:,} bytes: skipped"]


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({"latency_ms": float("nan")}, "finite"),
        ({"latency_ms": float("inf")}, "finite"),
        ({"sip_status": 10**400}, "out of range"),
        ({"seq": 2**63}, "out of range"),
        ({"seq": -1}, "out of range"),
    ],
)
def test_numbers_no_journal_or_json_line_can_hold_are_not_an_event(
    extra: dict[str, Any], why: str
) -> None:
    """Read back from a file or a stream, a NaN would print as invalid JSON and an integer past
    64 bits would stop a journal's write: such an object is not an exported event."""
    doc = {"seq": 1, "time": "2026-12-01T10:00:00Z", "source": "wcs", **extra}
    with pytest.raises(NotAnEvent, match=why):
        exported_from_json(doc)
