"""``noc-console calls`` and ``ladder`` over a journal written by the real Journal, and what
they say about a file that is not one."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from tests.journal_support import schema2_journal
from tests.unit.test_correlate import SESSION, incoming_answered_then_hung_up, outgoing_failed_503
from tui.cli.parser import main
from tui.core.feed import as_row
from tui.core.journal import Journal
from tui.sim.wcs.bodies import call_body, sip_response

FAILED_ID = "4b35c0de-1111-4000-8000-00000000cafe"


def _journal(tmp_path: Path) -> Path:
    path = tmp_path / "incident.sqlite"
    journal = Journal(path).open()
    events = outgoing_failed_503(call_id=FAILED_ID, t0=1_700_000_000.0)
    sip = sip_response(random.Random(3), 503, FAILED_ID, "1001", "5551234567", "10.0.0.9")
    bodies = [
        call_body(SESSION, FAILED_ID, "5551234567", "PENDING"),
        call_body(SESSION, FAILED_ID, "5551234567", "TRYING", sip_status=100),
        call_body(SESSION, FAILED_ID, "5551234567", "FAILED", sip_status=503,
                  info="SIP 503 SERVICE UNAVAILABLE", sip_message=sip),
    ]  # fmt: skip
    ok = incoming_answered_then_hung_up(call_id="in-ok-1", t0=1_700_000_100.0)
    pairs = [*zip(events, bodies, strict=True), *((e, {}) for e in ok)]
    for seq, (event, body) in enumerate(pairs, start=1):
        raw = json.dumps(body).encode()
        assert journal.append(as_row(event._replace(seq=seq)), raw, raw)
    assert journal.flush()
    journal.close()
    return path


def test_calls_lists_each_group_once_with_its_story(tmp_path: Path, capsys) -> None:
    path = _journal(tmp_path)
    assert main(["calls", "--journal", str(path), "--kind", "call", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {FAILED_ID, "in-ok-1"}
    failed = by_id[FAILED_ID]
    assert (failed["kind"], failed["final_status"], failed["sip_status"]) == ("call", "FAILED", 503)
    assert failed["events"] == 3 and failed["first"].startswith("2023-11-14T22:13:20")
    assert by_id["in-ok-1"]["final_status"] == "FINISH"
    assert main(["calls", "--journal", str(path), "--failed"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and FAILED_ID in lines[0] and "FAILED" in lines[0] and "503" in lines[0]
    assert main(["calls", "--journal", str(path), "--filter", "sip:5xx kind:call"]) == 0
    assert [FAILED_ID in line for line in capsys.readouterr().out.splitlines()] == [True]
    assert main(["calls", "--journal", str(path), "--filter", "colour:red"]) == 2
    assert "--filter" in capsys.readouterr().err


def test_ladder_draws_one_call_with_its_sip_message(tmp_path: Path, capsys) -> None:
    path = _journal(tmp_path)
    assert main(["ladder", "--journal", str(path), FAILED_ID, "--width", "140"]) == 0
    text = capsys.readouterr().out
    assert "SIP peer" in text.splitlines()[0] and "console" in text.splitlines()[0]
    assert "503 Service Unavailable" in text and "FAILED 503" in text
    assert "22:13:21.200" in text and "+1.100" in text
    assert main(["ladder", "--journal", str(path), FAILED_ID, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [lane["lane"] for lane in doc["lanes"]] == ["sip", "client", "wcs", "backend"]
    assert doc["arrows"][0]["label"] == "call" and doc["arrows"][0]["from"] == "client"
    assert main(["ladder", "--journal", str(path), "no-such-call"]) == 1
    assert "no call, stream, session" in capsys.readouterr().err


def test_a_file_that_is_not_a_journal_is_named_and_explained(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    assert main(["calls", "--journal", str(junk)]) == 2
    err = capsys.readouterr().err
    assert str(junk) in err and "not a journal" in err and "Traceback" not in err
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert main(["ladder", "--journal", str(other), "x"]) == 2
    assert "not a noc-console journal" in capsys.readouterr().err
    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, ts REAL)")
        conn.execute("CREATE TABLE journal_info (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO journal_info VALUES ('schema', '1')")
    assert main(["calls", "--journal", str(old)]) == 2
    assert "schema version 1" in capsys.readouterr().err
    assert main(["calls", "--journal", str(tmp_path / "missing.sqlite")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_journal_is_never_appended_to(tmp_path: Path) -> None:
    path = _journal(tmp_path)
    with pytest.raises(FileExistsError):
        Journal(path).open()
    from tui.cli.journal_option import with_journal_file
    from tui.config import AppConfig, UsageError

    with pytest.raises(UsageError, match="never appended"):
        with_journal_file(AppConfig(), tmp_path / "incident")  # .sqlite is added
    config = with_journal_file(AppConfig(), tmp_path / "next")
    assert config.journal.file == (tmp_path / "next.sqlite").resolve()


def test_the_ladder_of_a_call_shows_its_b_legs(tmp_path: Path, capsys) -> None:
    path = tmp_path / "legs.sqlite"
    journal = Journal(path).open()
    a = outgoing_failed_503(call_id="a-1", t0=1_700_000_000.0)[:2]
    b = [
        e._replace(call="b-1", parent="a-1", ts=e.ts + 1)
        for e in outgoing_failed_503(call_id="b-1", t0=1_700_000_000.0)[:2]
    ]
    for seq, event in enumerate([*a, *b], start=1):
        assert journal.append(as_row(event._replace(seq=seq)), b"{}", b"{}")
    assert journal.flush()
    journal.close()
    assert main(["ladder", "--journal", str(path), "a-1", "--json"]) == 0
    labels = [a["label"] for a in json.loads(capsys.readouterr().out)["arrows"]]
    assert "call" in labels and "B call" in labels  # the A-leg's and its B-leg's invocations


def test_a_journal_of_the_previous_schema_still_reads(tmp_path: Path, capsys) -> None:

    event = outgoing_failed_503(call_id="old-1", t0=1_700_000_000.0)[2]._replace(seq=1)
    old = schema2_journal(tmp_path / "v2.sqlite", [event])
    assert main(["calls", "--journal", str(old), "--json", "--kind", "call"]) == 0
    (doc,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert doc["id"] == "old-1" and doc["final_status"] == "FAILED"
    assert main(["ladder", "--journal", str(old), "old-1"]) == 0
    assert "FAILED 503" in capsys.readouterr().out
