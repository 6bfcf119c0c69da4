"""Every committed snapshot belongs to a test that exists.

syrupy reports (and with ``--snapshot-update`` deletes) unused snapshots only in a run of one
process; ``make test`` runs on several workers, so this check stands in for it there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent / "__snapshots__"
REPO = SNAPSHOTS.parents[2]


def test_no_snapshot_is_left_without_its_test() -> None:
    modules = sorted(f"tests/ui/{folder.name}.py" for folder in SNAPSHOTS.iterdir())
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist",
         "-p", "no:cacheprovider", *modules],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    tests = {
        (Path(path).stem, name)
        for line in collected.stdout.splitlines()
        if "::" in line
        for path, name in [line.split("::", 1)]
    }
    assert tests, collected.stdout + collected.stderr
    files = {(svg.parent.name, svg.stem) for svg in SNAPSHOTS.glob("*/*.svg")}
    assert sorted(files - tests) == [], "snapshots without a test: delete or rename them"
