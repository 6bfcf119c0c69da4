"""What `--feed URL` and `--since WHEN` mean for a console reading the stream."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from tui.config import NatsConfig
from tui.config.jetstream import feed_settings
from tui.core.problems import UsageError
from tui.core.since import since_time


def test_a_feed_url_names_the_server_and_the_stream() -> None:
    settings = feed_settings(None, "nats://nats1.lan:4222/SITE_A")
    assert settings.urls == ["nats://nats1.lan:4222"] and settings.stream == "SITE_A"
    assert feed_settings(None, "tls://nats1.lan:4222").stream == "NOC"


def test_the_section_gives_what_the_url_does_not() -> None:
    base = NatsConfig(urls=["nats://a:1"], stream="OPS", user="noc", password_env="NATS_PW",
                      subject_prefix="noc.site")  # fmt: skip
    assert feed_settings(base, "") is base
    other = feed_settings(base, "nats://b:2")
    assert other.urls == ["nats://b:2"] and other.stream == "OPS"
    assert (other.user, other.password_env, other.subject_prefix) == ("noc", "NATS_PW", "noc.site")


@pytest.mark.parametrize(
    "url", ["", "http://a:1", "nats://a:1/two/parts", "nats://a:1/S?x=1", "nats://u:p@a:1/S"]
)
def test_feed_urls_that_do_not_read(url: str) -> None:
    with pytest.raises(ValueError):
        feed_settings(None, url)


NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", NOW - 900),
        ("2h", NOW - 7200),
        ("1d", NOW - 86_400),
        ("30s", NOW - 30),
        ("start", -math.inf),
        ("now", math.inf),
        ("13:40", datetime(2026, 12, 1, 13, 40, tzinfo=UTC).timestamp()),
        ("16:10", datetime(2026, 11, 30, 16, 10, tzinfo=UTC).timestamp()),  # still to come today
        ("2026-11-30 13:40", datetime(2026, 11, 30, 13, 40, tzinfo=UTC).timestamp()),
        ("-5m", NOW - 300),
    ],
)
def test_since(text: str, expected: float) -> None:
    assert since_time(text, now=NOW) == expected


def test_since_that_does_not_read() -> None:
    with pytest.raises(UsageError, match="15m"):
        since_time("yesterday-ish", now=NOW)
