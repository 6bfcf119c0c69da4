from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import config_text
from tui.config import AppConfig, load_config, sources_from_config
from tui.config.problems import ConfigError
from tui.core.sources import SourceKind

REPO = Path(__file__).resolve().parents[2]

FULL = config_text("full.toml")


def problems(error: ConfigError) -> dict[str, str]:
    return {p.location: p.message for p in error.problems}


def test_missing_default_file_gives_defaults() -> None:
    loaded = load_config()
    assert not loaded.file_exists
    assert not loaded.watches_something
    assert loaded.config.hooks.port == 8081
    assert loaded.config.hooks.bind == "127.0.0.1"
    assert loaded.config.ui.theme == "noc-dark"
    assert loaded.path.name == "config.toml"
    assert "xdg-config" in str(loaded.path)


def test_full_file_is_read(write_config) -> None:
    loaded = load_config(write_config(FULL))
    config = loaded.config
    assert loaded.watches_something
    assert config.ui.theme == "noc-light"
    assert config.feed.default_filter == "status:FAILED"
    assert config.hooks.app_paths == ["/apps/EchoApp"]
    assert str(config.hooks.allow_from[0]) == "10.1.0.0/16"
    assert config.icws[0].queues[0].name == "Support"
    assert config.targets[0].auth == "session"  # defaulted by kind
    assert config.targets[1].auth == "bearer"
    assert config.keymap == {"app.screen.feed": "f5"}
    sources = sources_from_config(config)
    assert [(s.kind, s.name, s.insecure) for s in sources] == [
        (SourceKind.WCS, "hooks", False),
        (SourceKind.ICWS, "cic1", True),
        (SourceKind.SBC, "edge1", False),
        (SourceKind.MWS, "mws", False),
    ]


def test_environment_overrides_file_with_nesting(write_config, monkeypatch) -> None:
    monkeypatch.setenv("NOC_HOOKS__PORT", "9999")
    monkeypatch.setenv("NOC_UI__THEME", "noc-high-contrast")
    config = load_config(write_config(FULL)).config
    assert config.hooks.port == 9999
    assert config.hooks.mode == "tap"  # the rest of [hooks] still comes from the file
    assert config.ui.theme == "noc-high-contrast"


def test_config_env_var_names_the_file(write_config, monkeypatch) -> None:
    path = write_config('[ui]\ntheme = "noc-light"\n', name="elsewhere.toml")
    monkeypatch.setenv("NOC_CONFIG", str(path))
    loaded = load_config()
    assert loaded.path == path
    assert loaded.config.ui.theme == "noc-light"


def test_only_ui_settings_do_not_count_as_watching(write_config) -> None:
    assert not load_config(write_config('[ui]\ntheme = "noc-light"\n')).watches_something
    assert load_config(write_config("[hooks]\nport = 8082\n")).watches_something


def test_what_the_config_watches_is_decided_once_by_the_loader(write_config) -> None:
    """The config object has no answer of its own that could change once loading is over."""
    loaded = load_config(write_config("[hooks]\nport = 8082\n"))
    assert loaded.watches_something
    assert not hasattr(loaded.config, "watches_something")
    assert loaded.model_copy().watches_something


@pytest.mark.parametrize(
    ("text", "location", "fragment"),
    [
        ("[hooks]\nport = 70000\n", "hooks.port", "less than or equal to 65535 (got 70000)"),
        ("[hooks]\nmode = 'tap'\n", "hooks", "set hooks.upstream"),
        ("[hooks]\nmode = 'mirror'\n", "hooks.mode", "'backend' or 'tap'"),
        ("[hooks]\napp_paths = ['apps/x']\n", "hooks.app_paths", "must start with '/'"),
        ("[hooks]\nprot = 1\n", "hooks.prot", "unknown setting"),
        ("colour = 'red'\n", "colour", "unknown setting"),
        (
            "[[targets]]\nname='a'\nkind='sbc'\nurl='https://a'\nuser='u'\npassword='x'\n",
            "targets[0].password",
            "name that variable with 'secret_env'",
        ),
        (
            "[[targets]]\nname='a'\nkind='cue'\nurl='https://a'\nauth='bearer'\nsecret_env='X'\n",
            "targets[0]",
            "does not fit kind 'cue'; allowed: basic",
        ),
        (
            "[[targets]]\nname='a'\nkind='sbc'\nurl='https://a'\nsecret_env='X'\n",
            "targets[0]",
            "needs a user",
        ),
        (
            "[[targets]]\nname='a'\nkind='mws'\nurl='https://a'\n",
            "targets[0]",
            "secret_env must name",
        ),
        (
            "[[targets]]\nname='a'\nkind='mws'\nurl='https://a'\nsecret_env='not a name'\n",
            "targets[0].secret_env",
            "should match pattern",
        ),
        (
            "[[icws]]\nname='a'\nurl='https://a'\nuser='u'\npassword_env='P'\n"
            "[[targets]]\nname='a'\nkind='mws'\nurl='https://b'\nsecret_env='T'\n",
            "",
            "name 'a' is used twice",
        ),
        ("[feed]\nbuffer_size = 10\n", "feed.buffer_size", "greater than or equal to 1000"),
    ],
)
def test_bad_values_name_file_field_and_rule(write_config, text, location, fragment) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    found = problems(info.value)
    assert location in found, found
    assert fragment in found[location]
    assert str(info.value).startswith(f"{path}: ")


def test_several_problems_are_all_reported(write_config) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write_config("[hooks]\nport = -1\nbind = 3\n[feed]\nbuffer_size = 'x'\n"))
    assert set(problems(info.value)) == {"hooks.port", "hooks.bind", "feed.buffer_size"}


def test_environment_problem_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("NOC_HOOKS__PORT", "eighty")
    with pytest.raises(ConfigError) as info:
        load_config()
    assert "[set by environment variable NOC_HOOKS__PORT]" in problems(info.value)["hooks.port"]


def test_toml_syntax_error_names_file_and_line(write_config) -> None:
    path = write_config("[hooks]\nport = \n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}: not valid TOML")
    assert "line 2" in str(info.value)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_ca_file_must_exist_and_needs_verification(write_config, tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    base = config_text("target-mws.toml")
    with pytest.raises(ConfigError, match="does not point to a file"):
        load_config(write_config(base + "ca_file='/nonexistent/ca.pem'\n"))
    with pytest.raises(ConfigError, match="pick one"):
        load_config(write_config(base + f"ca_file='{ca}'\nverify_tls=false\n"))
    assert load_config(write_config(base + f"ca_file='{ca}'\n")).config.targets[0].ca_file == ca
    # a relative path is taken from the config file's folder, wherever the console starts
    assert load_config(write_config(base + "ca_file='ca.pem'\n")).config.targets[0].ca_file == ca


def test_ipv6_endpoint_is_bracketed() -> None:
    config = AppConfig.model_validate({"hooks": {"bind": "::1", "port": 8081}})
    assert config.hooks.endpoint == "http://[::1]:8081/"


def test_example_config_in_repo_is_valid() -> None:
    loaded = load_config(REPO / "config.example.toml")
    assert loaded.config.hooks.mode == "backend"
