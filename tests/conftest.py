"""Every test runs with its own empty config and data directories and no NOC_* variables.

Hypothesis runs derandomised in CI: the ``ci`` profile below is loaded when ``CI`` is set (as
``.ci/run`` is run), so a commit passes or fails for its code, never for the draw, and a red run
is red again when repeated. Elsewhere the default profile searches afresh on every run (that is
how new cases turn up); what it finds is replayed from the local ``.hypothesis`` database until
it is fixed, and belongs in the test as an ``@example``. ``HYPOTHESIS_PROFILE=ci`` reproduces the
CI run anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,  # examples follow from each test itself: the same on every run
    database=None,  # a fresh clone has no database, and the run must not depend on one
    max_examples=200,  # tests that set their own count keep it
    deadline=None,  # per-example timing on a shared machine would make the run flaky
    print_blob=True,  # a failure prints the line that replays it
    suppress_health_check=[HealthCheck.too_slow],
)


def _hypothesis_profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE", "")
    if chosen:
        return chosen
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return "ci" if in_ci else "default"


settings.load_profile(_hypothesis_profile())


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("NOC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return tmp_path


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a TOML config file and return its path."""

    def write(text: str, name: str = "config.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
