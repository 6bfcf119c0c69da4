"""``noc-console import wcs-log``: a log written as the simulated WCS writes it, imported, then
read with ``calls`` and ``ladder``."""

from __future__ import annotations

import gzip
import io
import json
import random
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.unit.test_correlate import SESSION
from tui.cli.parser import main
from tui.sim.wcs.bodies import call_body, sip_response
from tui.sim.wcs.rest_log import RestLog

APP = "http://127.0.0.1:8081/apps/EchoApp"
CALL = "4b35c0de-1111-4000-8000-00000000cafe"
START = datetime(2026, 11, 30, 23, 59, 59, 950_000, tzinfo=UTC).timestamp()


class Ticks:
    """A clock that moves 7 ms each time it is read."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        self.now += 0.007
        return self.now


def _write_log() -> str:
    out = io.StringIO()
    log = RestLog(out, clock=Ticks(), tz=UTC)
    sip = sip_response(random.Random(3), 503, CALL, "1001", "5551234567", "10.0.0.9")
    states = [
        ("call", call_body(SESSION, CALL, "5551234567", "PENDING")),
        ("CallStatusEvent", call_body(SESSION, CALL, "5551234567", "TRYING", sip_status=100)),
        ("CallStatusEvent", call_body(SESSION, CALL, "5551234567", "FAILED", sip_status=503,
                                      info="SIP 503 SERVICE UNAVAILABLE", sip_message=sip)),
    ]  # fmt: skip
    log.session_opened(SESSION.session_id)
    for method, body in states:
        one, two = log.take_thread(), log.take_thread()  # another hook in flight meanwhile
        raw = json.dumps(body).encode()
        log.send(one, f"{APP}/{method}", raw)
        other = json.dumps({**SESSION.base(), "status": "ESTABLISHED"}).encode()
        log.send(two, f"{APP}/ConnectionStatusEvent", other)
        log.answer(two, f"{APP}/ConnectionStatusEvent", 200, other)
        log.answer(one, f"{APP}/{method}", 200, raw)
        log.free_thread(one)
        log.free_thread(two)
    refused = log.take_thread()
    premium = json.dumps(call_body(SESSION, "premium-1", "9001234", "PENDING")).encode()
    log.send(refused, f"{APP}/call", premium)
    log.answer(refused, f"{APP}/call", 403, b'{"error":"refused"}')
    log.media_warning("cam-1")
    log.send(refused, f"{APP}/CallStatusEvent", b'{"callId" : "cut-short", "status" :')
    log.session_closed(SESSION.session_id)
    return out.getvalue()


def test_import_then_calls_and_ladder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _write_log()
    assert "API-ASYNC-pool-13-thread-2 SEND REST OBJECT ==>" in text
    log = tmp_path / "flashphoner.log.1"
    log.write_bytes(gzip.compress(text.encode()))  # rotated and gzipped, not named .gz
    out = tmp_path / "incident"
    args = ["import", "wcs-log", str(log), "--date", "2026-11-30", "--tz", "UTC"]
    assert main([*args, "--journal", str(out)]) == 0
    said = capsys.readouterr().out
    journal = tmp_path / "incident.sqlite"
    assert f"imported 7 events from 1 file ({len(text.splitlines())} lines) into {journal}" in said
    assert "time span: 2026-11-30 23:59:59.964+00:00 → 2026-12-01 00:00:00." in said
    assert "hooks without an answer: 1 (1 with an exception logged, 0 with nothing)" in said
    assert "lines skipped (not REST objects): 6" in said  # session lines and the stack trace
    line = 1 + next(i for i, t in enumerate(text.splitlines()) if "cut-short" in t) - 3
    assert f"{log}:{line}: SEND object truncated or not JSON" in said
    assert f"noc-console calls --journal {shlex.quote(str(journal))}" in said
    assert f"noc-console open {shlex.quote(str(journal))}" in said

    assert main(["calls", "--journal", str(journal), "--kind", "call", "--json"]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert set(rows) == {CALL, "premium-1"}
    assert (rows[CALL]["final_status"], rows[CALL]["sip_status"], rows[CALL]["events"]) == (
        "FAILED", 503, 3,
    )  # fmt: skip
    assert (rows["premium-1"]["refused"], rows["premium-1"]["last_reply"]) == (1, 403)

    assert main(["ladder", CALL, "--journal", str(journal), "--width", "100"]) == 0
    ladder = capsys.readouterr().out
    assert "SIP peer" in ladder and "FAILED 503" in ladder  # the SIP message was read too
    assert "─call─" in ladder and "200 " in ladder


def test_the_default_journal_goes_into_the_journal_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "flashphoner.log.2026-11-30"
    log.write_text(_write_log())
    config = tmp_path / "config.toml"
    config.write_text(f'[journal]\ndir = "{tmp_path / "journals"}"\n')
    assert main(["import", "wcs-log", str(log), "--config", str(config), "--tz", "UTC"]) == 0
    made = list((tmp_path / "journals").glob("*.sqlite"))
    assert len(made) == 1 and made[0].name.endswith("-wcs-log-flashphoner-log-2026-11-30.sqlite")
    assert str(made[0]) in capsys.readouterr().out
    assert main(["calls", "--config", str(config), "--kind", "call"]) == 0  # the newest journal
    assert CALL in capsys.readouterr().out


def test_nothing_to_import_fails_and_leaves_no_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "server.log"
    log.write_text("12:00:00,000 INFO  Server - started\nnot a log line\n")
    out = tmp_path / "out.sqlite"
    assert main(["import", "wcs-log", str(log), "--date", "2026-11-30", "--journal", str(out)]) == 1
    assert "nothing imported: no REST hook could be read from 1 file (2 lines)" in (
        capsys.readouterr().out
    )
    assert not out.exists()


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "flashphoner.log"
    log.write_text(_write_log())
    assert main(["import", "wcs-log", str(tmp_path / "missing.log")]) == 2
    assert "missing.log: no such file" in capsys.readouterr().err
    taken = tmp_path / "taken.sqlite"
    taken.write_text("something")
    assert main(["import", "wcs-log", str(log), "--journal", str(taken)]) == 2
    assert "never appended to" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["import", "wcs-log", str(log), "--date", "30/11/2026"])
    assert "is not a date" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["import", "wcs-log", str(log), "--tz", "Mars/Olympus"])
    assert "is no time zone" in capsys.readouterr().err
