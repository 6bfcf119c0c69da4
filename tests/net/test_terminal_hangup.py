"""The console leaves when its terminal hangs up, even when no SIGHUP reaches it.

A real console in a real pty, started in a session of its own so the pty is not its controlling
terminal: closing the pty's other side then hangs up its terminal without a signal, as it was
under ``make demo`` in a tmux pane whose server was killed. It used to read end-of-file for
ever, a core at 100 %, with its screen frozen and its hook port held.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

HANG_S = 30.0  # bounds on waits that only a hang would reach


def test_the_console_leaves_when_its_terminal_hangs_up(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[hooks]\nport = 0\n", encoding="utf-8")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "demo", "--config", str(config)],
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )  # fmt: skip
    os.close(slave)
    seen = bytearray()
    drawn = threading.Event()

    def drain() -> None:  # the console's output, so its writes never block on a full pty
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)
            if b"Feed" in seen:
                drawn.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        assert drawn.wait(HANG_S), bytes(seen[-400:])
        time.sleep(1.0)  # its services start after the first frame: hang up with them running
        os.close(master)
        master = -1
        status = process.wait(timeout=HANG_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if master != -1:
            os.close(master)
    assert status == 128 + 1  # as SIGHUP would have ended it
