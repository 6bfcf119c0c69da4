"""`noc-console tail` as a user runs it: a real process, real hooks, JSON lines out."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import httpx

from tests.fixtures import config_text


def start_tail(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "tail", "--listen", "127.0.0.1:0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    )  # fmt: skip
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
    assert match, line
    return process, match.group(1)


def read_until(
    process: subprocess.Popen[str], done: Callable[[str], bool], timeout: float = 20.0
) -> list[str]:
    """The lines ``tail`` prints until one satisfies ``done`` (a deadline, not a sleep: it
    returns as soon as the line is there)."""
    assert process.stdout is not None
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if done(line):
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    assert found.wait(timeout), lines[-5:]
    return lines


def stop(process: subprocess.Popen[str]) -> tuple[str, int]:
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=10)
    return out, process.returncode


def test_jsonl_with_filter_and_clean_exit() -> None:
    process, url = start_tail("--jsonl", "--filter", "status:FAILED,BUSY")
    try:
        with httpx.Client() as client:
            client.post(
                url + "/apps/EchoApp/CallStatusEvent",
                json={
                    "nodeId": "n@10.0.0.1",
                    "callId": "c1",
                    "status": "BUSY",
                    "info": "SIP 486 BUSY HERE",
                },
            )
            client.post(
                url + "/apps/EchoApp/CallStatusEvent",
                json={"callId": "c2", "status": "ESTABLISHED"},
            )
            client.post(
                url + "/apps/EchoApp/StreamStatusEvent",
                json={"name": "cam1", "status": "FAILED", "info": "Failed by ICE timeout"},
            )
        time.sleep(0.3)
    finally:
        out, code = stop(process)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(e["method"], e["status"]) for e in lines] == [
        ("CallStatusEvent", "BUSY"), ("StreamStatusEvent", "FAILED"),
    ]  # fmt: skip
    busy = lines[0]
    for key in ("time", "node", "app", "method", "type", "session", "call", "stream", "status",
                "info", "sip_status", "reply_status", "latency_ms"):  # fmt: skip
        assert key in busy
    assert (busy["node"], busy["app"], busy["type"], busy["call"]) == (
        "n@10.0.0.1",
        "/apps/EchoApp",
        "event",
        "c1",
    )
    assert (busy["sip_status"], busy["reply_status"]) == (486, 200)
    assert lines[1]["stream"] == "cam1"


def test_human_lines_and_rejections() -> None:
    process, url = start_tail()
    try:
        with httpx.Client() as client:
            client.post(url + "/call", json={"callId": "c9", "callee": "1001", "status": "PENDING"})
            client.post(
                url + "/call", content=b"{oops", headers={"Content-Type": "application/json"}
            )
        time.sleep(0.3)
    finally:
        out, code = stop(process)
    assert code == 0
    first, second = out.splitlines()
    assert (
        "wcs" in first
        and "call" in first
        and "PENDING" in first
        and "c9" in first
        and "200" in first
    )
    assert "REJECTED" in second and "400" in second and "body is not JSON" in second


def test_missing_hook_key_is_a_clear_error(tmp_path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(config_text("hook-key-missing.toml"))
    result = subprocess.run(
        [sys.executable, "-m", "tui", "tail", "--config", str(config), "--listen", "127.0.0.1:0"],
        capture_output=True, text=True, timeout=20,
    )  # fmt: skip
    assert result.returncode == 2
    assert "NOC_TEST_MISSING_KEY, which is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_icws_messages_beside_hooks() -> None:
    from tui.sim.host import SimHost
    from tui.sim.icws.demo import DEMO_PASSWORD_ENV, DEMO_USER, start_icws_demo

    with SimHost("icws-for-tail") as host:
        demo = start_icws_demo(host, cycle=False)
        process, url = start_tail(
            "--jsonl", "--icws", str(demo.server.url), "--icws-user", DEMO_USER,
            "--icws-password-env", DEMO_PASSWORD_ENV, "--icws-queue", "workgroup:Support",
            "--icws-user-status", "k.okafor",
            env={DEMO_PASSWORD_ENV: os.environ[DEMO_PASSWORD_ENV]},
        )  # fmt: skip
        try:
            with httpx.Client() as client:
                client.post(
                    url + "/CallStatusEvent", json={"callId": "c1", "status": "ESTABLISHED"}
                )
            wanted = {'"user": "k.okafor"', '"queue": "Support"', '"source": "wcs"'}

            def all_seen(line: str) -> bool:
                wanted.difference_update({w for w in wanted if w in line})
                return not wanted

            seen = read_until(process, all_seen)
        finally:
            out, code = stop(process)
    assert code == 0
    events = [json.loads(line) for line in seen + out.splitlines()]
    icws = [e for e in events if e["source"] == "icws"]
    wcs = [e for e in events if e["source"] == "wcs"]
    assert len(wcs) == 1 and icws
    queue = [e for e in icws if e["queue"] == "Support"]
    assert queue, icws[:3]
    first = queue[0]
    for key in ("server", "type", "subscription", "is_delta", "interaction", "queue", "user",
                "status", "error_id"):  # fmt: skip
        assert key in first
    assert first["type"] == "queues:queueContentsMessage"
    assert first["is_delta"] is False  # the first message of a subscription is the full picture
    assert any(e["user"] == "k.okafor" for e in icws)
    assert "not-a-secret" not in out


def test_a_line_the_output_cannot_encode_is_printed_escaped() -> None:
    import io

    from tui.cli.tail import Printer
    from tui.core.feed import blank_event

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    printer = Printer(out, jsonl=False, query=None, on_closed=lambda: None)
    printer(blank_event(source="wcs", method="CallStatusEvent", call="sur\ud800x", status="ÉTAT"))
    printer.flush()
    text = raw.getvalue().decode("ascii")
    assert "sur\\ud800x" in text and "\\xc9TAT" in text


def test_lines_go_out_in_one_write_as_soon_as_the_printing_work_is_done() -> None:
    """A drained batch is one write and one flush, scheduled when its first line waits; an
    event published on its own (an ICWS message, outside the drain clock) goes out too."""
    import io

    from tui.cli.tail import Printer
    from tui.core.feed import blank_event

    class Out(io.StringIO):
        writes = flushes = 0

        def write(self, text: str) -> int:
            self.writes += 1
            return super().write(text)

        def flush(self) -> None:
            self.flushes += 1

    out, scheduled = Out(), list[Callable[[], None]]()
    printer = Printer(out, jsonl=True, query=None, on_closed=lambda: None,
                      schedule=scheduled.append)  # fmt: skip
    for n in range(3):
        printer(blank_event(seq=n + 1, source="wcs", method="CallStatusEvent", call=f"c{n}"))
    assert out.getvalue() == "" and len(scheduled) == 1
    scheduled.pop()()
    assert [json.loads(line)["call"] for line in out.getvalue().splitlines()] == ["c0", "c1", "c2"]
    assert (out.writes, out.flushes) == (1, 1)
    printer(blank_event(seq=4, source="icws", method="login", status="logged in"))
    assert len(scheduled) == 1
    scheduled.pop()()
    assert out.getvalue().splitlines()[-1].startswith('{"seq": 4') and out.writes == 2
