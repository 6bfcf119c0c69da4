"""The browser's per-target options: start_path, watch, cache and body limits."""

from __future__ import annotations

import pytest

from tests.fixtures import config_text
from tui.config import load_config
from tui.config.problems import ConfigError

BASE = config_text("target-sbc.toml")


def test_defaults_and_values(write_config) -> None:
    target = load_config(write_config(BASE)).config.targets[0]
    assert (target.start_path, target.watch_interval_s, target.cache_ttl_s, target.max_body_mb) == (
        None,
        2.0,
        30.0,
        32,
    )
    text = BASE + "start_path='/rest/sipsg'\nwatch_interval_s=5\ncache_ttl_s=0\nmax_body_mb=64\n"
    target = load_config(write_config(text)).config.targets[0]
    assert target.start_path == "/rest/sipsg"
    assert target.max_body_mb == 64


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (
            "start_path='rest/sipsg'",
            "targets[0].start_path: start_path 'rest/sipsg' must start with '/'",
        ),
        (
            "watch_interval_s=0.1",
            "targets[0].watch_interval_s: Input should be greater than or equal to 0.5",
        ),
        ("max_body_mb=0", "targets[0].max_body_mb: Input should be greater than or equal to 1"),
        ("cache_ttl_s=-1", "targets[0].cache_ttl_s"),
    ],
)
def test_bad_values_name_the_field(write_config, line: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write_config(BASE + line + "\n"))
    assert fragment in str(info.value)
