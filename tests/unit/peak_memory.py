"""The memory a parse takes at its peak, measured in a fresh process.

``ru_maxrss`` will not do: a child started by ``fork`` inherits its parent's high-water mark
(pytest's, here). The kernel's ``VmHWM`` belongs to the new address space, and writing ``5`` to
``/proc/self/clear_refs`` resets it, so the child resets it after reading the body, parses, and
reports the peak above what it held before.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
from tui.core.resources.parse import parse_response

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)

kind, path, shape = sys.argv[1:4]
body = open(path, "rb").read()
parse_response(kind, b"<root/>" if kind != "mws" else b"{}", transport_status=200)
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")
before = status("VmRSS")
result = parse_response(kind, body, transport_status=200, location="/v1/sockets")
assert shape in ("any", result.shape), (result.shape, result.problem)
print(status("VmHWM") - before)
"""

REPO = Path(__file__).resolve().parents[2]


def parse_peak(kind: str, body: bytes, shape: str, folder: Path) -> int:
    """Bytes of memory above the body itself that parsing ``body`` took at its peak."""
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("needs Linux's /proc/self/clear_refs to reset the peak")
    path = folder / "body"
    path.write_bytes(body)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, kind, str(path), shape],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(REPO),
    )
    return int(out.stdout.strip())
