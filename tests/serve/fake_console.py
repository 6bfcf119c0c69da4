"""A stand-in for a tab's console in the server's tests: it speaks Textual's web-driver
protocol (the prelude line, then type + length + payload packets) and starts at once.

It writes one data packet naming what the server gave it (``read_only=…``, whether the
password variable reached it), then echoes each key it gets back as data. Asked to quit it
exits, unless started with ``--stubborn`` (then only a signal ends it).
"""

from __future__ import annotations

import json
import os
import sys

PASSWORD_ENV = "NOC_TEST_SERVE_PASSWORD"


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def main() -> None:
    stubborn = "--stubborn" in sys.argv
    out = sys.stdout.buffer
    out.write(b"__GANGLION__\n")
    said = (
        f"hello pid={os.getpid()} read_only={os.environ.get('NOC_UI__READ_ONLY', '')} "
        f"password_seen={PASSWORD_ENV in os.environ}"
    )
    out.write(packet(b"D", said.encode()))
    out.flush()
    stdin = sys.stdin.buffer
    while True:
        head = stdin.read(5)
        if len(head) < 5:
            return
        payload = stdin.read(int.from_bytes(head[1:], "big"))
        if head[:1] == b"D":
            out.write(packet(b"D", b"key:" + payload))
            out.flush()
        elif head[:1] == b"M" and json.loads(payload).get("type") == "quit" and not stubborn:
            return


if __name__ == "__main__":
    main()
