"""`noc-console demo --targets`: the command lines it prints work, as printed, from a shell."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

SHELL_ENV = {  # the printed lines run in a POSIX shell that finds the installed noc-console
    **os.environ,
    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
}


class Lines:
    """A process's stdout, line by line, with a limit on the wait for each (a thread reads)."""

    def __init__(self, stream: IO[str]) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put("")  # the end

    def next(self, timeout_s: float = 30.0) -> str:
        return self._lines.get(timeout=timeout_s)


@pytest.fixture
def demo_targets():
    """The headless demo, and the lines it printed (up to its last, the WCS note)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "demo", "--targets"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=SHELL_ENV,
    )  # fmt: skip
    assert process.stdout is not None
    out = Lines(process.stdout)
    lines: list[str] = []
    try:
        while not lines or not lines[-1].startswith("# WCS"):
            line = out.next()
            assert line, process.stderr.read() if process.stderr else ""
            lines.append(line.rstrip("\n"))
        yield process, lines
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=15)


def commands(lines: list[str], word: str) -> list[str]:
    return [line for line in lines if f" noc-console {word} " in line]


def test_each_printed_browse_command_reaches_its_simulator(demo_targets) -> None:
    process, lines = demo_targets
    headings = [line for line in lines if line.startswith("# ")]
    assert [h.split()[1] for h in headings[:4]] == ["sbc", "cue", "mws", "icws"]
    browse = commands(lines, "browse")
    assert len(browse) == 3
    for line in browse:
        done = subprocess.run(
            ["sh", "-c", line], capture_output=True, text=True, env=SHELL_ENV, timeout=60
        )
        first = done.stdout.splitlines()[0] if done.stdout else ""
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        assert first.startswith("GET http://127.0.0.1:") and "→ 200" in first, first
    process.send_signal(signal.SIGINT)  # Ctrl+C: the simulators stop, quietly
    assert process.wait(timeout=15) == 0
    assert process.stderr is not None and process.stderr.read() == ""


def test_the_printed_tail_command_logs_in_to_the_icws_simulator(demo_targets) -> None:
    process, lines = demo_targets
    (line,) = commands(lines, "tail")
    tail = subprocess.Popen(
        ["sh", "-c", line], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=SHELL_ENV, start_new_session=True,
    )  # fmt: skip
    assert tail.stdout is not None
    try:
        first = Lines(tail.stdout).next()
        assert " login  logged in " in first and "as noc-demo" in first, first
        assert "queue Support" in first
    finally:
        os.killpg(tail.pid, signal.SIGTERM)  # the shell and the tail it started
        _, err = tail.communicate(timeout=15)  # the pipes close when tail has ended too
    assert "Traceback" not in err, err
    process.send_signal(signal.SIGTERM)  # as a service manager stops it
    assert process.wait(timeout=15) == 0
