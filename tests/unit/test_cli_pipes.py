"""Every printing command ends quietly when the reader of its output goes away (`| head -1`).

A real process each time: the pipe is closed either before the command writes anything (so its
output, written when it ends, fails every time) or after the reader took one line, as `head -1`
does. Either way stderr stays empty and the exit status is the command's own.
"""

from __future__ import annotations

import argparse
import errno
import os
import pty
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.fixtures import config_text
from tests.unit.test_cli_calls import FAILED_ID
from tests.unit.test_cli_calls import _journal as write_journal
from tests.unit.test_cli_import import _write_log as write_wcs_log
from tui.cli.parser import build_parser


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def commands(tmp: Path) -> list[tuple[list[str], int]]:
    """(arguments, expected exit status) for each command that prints to stdout."""
    config = tmp / "config.toml"
    config.write_text(config_text("full.toml"), encoding="utf-8")
    codes = tmp / "codes.csv"
    codes.write_text("code,template\n31003,Invalid value %1 for %2\n", encoding="utf-8")
    journal = write_journal(tmp)
    wcs_log = tmp / "flashphoner.log"
    wcs_log.write_text(write_wcs_log(), encoding="utf-8")
    browse_unreachable = [
        "browse", "--kind", "mws", "--token-env", "NOC_TEST_TOKEN",
        f"http://127.0.0.1:{closed_port()}/v1/sockets",
    ]  # fmt: skip
    return [
        (["--help"], 0),
        (["--version"], 0),
        (["decode", "--help"], 0),
        (["collect", "--help"], 0),  # it logs to stderr only: its help is what it prints
        (["decode", "486"], 0),
        (["decode", "--json", "486"], 0),
        (["decode", "zz-not-an-error-zz"], 1),
        (["catalog", "list"], 0),
        (["catalog", "import", "sbc", str(codes)], 0),
        (["themes"], 0),
        (["config", "path"], 0),
        (["config", "check", str(config)], 0),
        (browse_unreachable, 1),
        # one screenshot: the command's printing is what is tested, not each screen
        (
            [
                "screenshots",
                "--out",
                str(tmp / "shots"),
                "--size",
                "80x24",
                "--screen",
                "inspector",
            ],
            0,
        ),
        (["calls", "--journal", str(journal)], 0),
        (["calls", "--journal", str(journal), "--json"], 0),
        (["ladder", "--journal", str(journal), FAILED_ID, "--width", "80"], 0),
        (["import", "wcs-log", str(wcs_log), "--journal", str(tmp / "imported.sqlite")], 0),
        (["export", str(journal)], 0),
        (["export", str(journal), "--format", "csv"], 0),
        (["export", str(journal), "--format", "har"], 0),
    ]


def run_into_closed_pipe(argv: list[str], *, after_first_line: bool) -> tuple[int, str]:
    env = {**os.environ, "NOC_TEST_TOKEN": "t0ken"}
    if after_first_line:  # unbuffered: each print is its own write, so later ones find it closed
        env["PYTHONUNBUFFERED"] = "1"
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", *argv],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read()
        return process.wait(timeout=60), err.decode()
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tui", *argv],
            stdout=write_end, stderr=subprocess.PIPE, env=env, timeout=60, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    return result.returncode, result.stderr.decode()


@pytest.mark.parametrize("after_first_line", [False, True], ids=["closed-at-once", "head-1"])
def test_every_printing_command_exits_quietly_on_a_closed_pipe(
    tmp_path: Path, after_first_line: bool
) -> None:
    cases = commands(tmp_path)
    if after_first_line:  # a command that prints one line has nothing to write after it
        cases = [case for case in cases if case[0] not in ONE_LINE]
    # Several at once: each process spends most of its life starting Python and importing.
    with ThreadPoolExecutor(4) as pool:
        results = pool.map(
            lambda case: run_into_closed_pipe(case[0], after_first_line=after_first_line), cases
        )
        failures = [
            (" ".join(argv), status, err[-300:])
            for (argv, expected), (status, err) in zip(cases, results, strict=True)
            if status != expected or err
        ]
    assert failures == []


ONE_LINE = (["--version"], ["decode", "zz-not-an-error-zz"])


# The console itself; tail has its own test below; serve (a server until stopped) has tests/serve.
INTERACTIVE = {"demo", "run", "open", "tail", "serve"}


def test_every_command_is_in_the_closed_pipe_test(tmp_path: Path) -> None:
    """A command added later must join the list above (or be named interactive here)."""
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    tested = {argv[0] for argv, _ in commands(tmp_path)}
    assert set(sub.choices) - INTERACTIVE - tested == set()


def test_tail_stops_by_itself_when_its_reader_goes_away() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "tail", "--listen", "127.0.0.1:0", "--no-journal"],
        stdout=write_end, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    os.close(write_end)
    assert process.stderr is not None
    line = process.stderr.readline()
    url = line.split("listening on ", 1)[1].split(" ", 1)[0]
    with httpx.Client() as client:
        client.post(url + "/apps/EchoApp/CallStatusEvent", json={"callId": "c1"})
    status = process.wait(timeout=20)
    rest = process.stderr.read()
    assert status == 0
    assert "Traceback" not in rest and "Error" not in rest, rest


def test_tail_stops_by_itself_when_its_terminal_hangs_up() -> None:
    """A terminal that hung up (its SSH session gone) fails writes with EIO, not EPIPE: tail
    stops as when its pipe closes, instead of a traceback on every flush, running on."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "tail", "--listen", "127.0.0.1:0", "--no-journal"],
        stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # the pty is not its controlling terminal: no SIGHUP comes
    )  # fmt: skip
    os.close(slave)
    assert process.stderr is not None
    line = process.stderr.readline()
    url = line.split("listening on ", 1)[1].split(" ", 1)[0]
    os.close(master)
    try:
        with httpx.Client() as client:
            client.post(url + "/apps/EchoApp/CallStatusEvent", json={"callId": "c1"})
        status = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    rest = process.stderr.read()
    assert status == 0
    assert "Traceback" not in rest and "Error" not in rest, rest


def test_eio_is_a_reader_gone_only_when_the_terminal_hung_up(tmp_path: Path) -> None:
    """A disk that fails a read gives EIO as a hung-up terminal does: that one is an error."""
    from tui.cli.common import reader_gone

    eio = OSError(errno.EIO, "Input/output error")
    assert reader_gone(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    with (tmp_path / "out.txt").open("w") as regular:
        assert not reader_gone(eio, regular)
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        assert not reader_gone(eio, terminal)  # still there
        os.close(master)
        assert reader_gone(eio, terminal)  # hung up
