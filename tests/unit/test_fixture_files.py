"""The config fixtures are valid TOML and each is used by a test."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.fixtures import FIXTURES, config_text

TESTS = FIXTURES.parent
FILES = sorted(FIXTURES.glob("*.toml"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture_is_toml_and_used(path: Path) -> None:
    tomllib.loads(path.read_text(encoding="utf-8"))
    users = [
        test
        for test in TESTS.rglob("test_*.py")
        if test != Path(__file__) and f'"{path.name}"' in test.read_text("utf-8")
    ]
    assert users, f"no test reads {path.name}"


def test_placeholders_must_all_be_given() -> None:
    assert "url='http://x/rest'" in config_text("browse-lab.toml", sbc_url="s", cue_url="http://x")
    with pytest.raises(KeyError):
        config_text("browse-lab.toml", sbc_url="s")
