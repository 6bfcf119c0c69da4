"""The ``[nats]`` section: absent by default, validated strictly, secrets only by variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import load_config
from tui.config.problems import ConfigError


def problems(error: ConfigError) -> dict[str, str]:
    return {p.location: p.message for p in error.problems}


def test_absent_section_means_no_nats(write_config) -> None:
    assert load_config(write_config("[hooks]\nport = 1\n")).config.nats is None
    assert load_config().config.nats is None


def test_defaults_and_subjects(write_config) -> None:
    nats = load_config(write_config("[nats]\n")).config.nats
    assert nats is not None
    assert nats.urls == ["nats://127.0.0.1:4222"]
    assert (nats.stream, nats.subject_prefix, nats.subjects) == ("NOC", "noc", "noc.>")
    assert not nats.tls


def test_a_full_section_is_read(write_config, tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("x")
    text = (
        "[nats]\nurls = ['tls://n1:4222', 'tls://n2:4222']\nstream = 'SITE-A'\n"
        "subject_prefix = 'noc.site-a'\nmax_age_days = 1.5\nmax_bytes_mb = 10\n"
        "user = 'collector'\npassword_env = 'NATS_PW'\nca_file = 'ca.pem'\n"
    )
    nats = load_config(write_config(text)).config.nats
    assert nats is not None
    assert nats.tls and nats.subjects == "noc.site-a.>"
    assert nats.ca_file == tmp_path / "ca.pem"  # next to the config file
    assert (nats.user, nats.password_env) == ("collector", "NATS_PW")


@pytest.mark.parametrize(
    ("body", "location", "fragment"),
    [
        ("password = 'x'", "nats.password", "name that variable with 'password_env'"),
        ("token = 'x'", "nats.token", "secrets are never written in the config"),
        ("urls = ['nats://u:p@h:4222']", "nats.urls", "credentials are never written"),
        ("urls = ['http://h:4222']", "nats.urls", "is not nats://HOST:PORT"),
        ("urls = ['nats://h:port']", "nats.urls", "nats://h:port"),
        ("urls = []", "nats.urls", "at least 1 item"),
        ("urls = ['nats://a:1', 'tls://b:1']", "nats.urls", "mixing nats:// and tls://"),
        ("stream = 'a.b'", "nats.stream", "should match pattern"),
        ("subject_prefix = 'noc.>'", "nats.subject_prefix", "should match pattern"),
        ("user = 'u'", "nats", "user and password_env go together"),
        ("token_env = 'T'\nnkey_seed_env = 'S'", "nats", "choose one way to log in"),
        ("verify_tls = false", "nats", "apply to tls:// servers"),
        ("nkey_seed_file = 'missing.nk'", "nats.nkey_seed_file", "does not point to a file"),
        ("max_age_days = 0", "nats.max_age_days", "greater than 0"),
    ],
)
def test_bad_values_are_named(write_config, body: str, location: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write_config(f"[nats]\n{body}\n"))
    found = problems(info.value)
    assert location in found, found
    assert fragment in found[location]


def test_a_secret_value_is_never_shown(write_config) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write_config("[nats]\npassword = 'hunter2-very-secret'\n"))
    assert "hunter2" not in str(info.value)
