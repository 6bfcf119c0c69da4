"""The [errors] config section: handling rules and catalog folders, validated with clear errors."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from tests.fixtures import config_text
from tui.config import ErrorRule, load_config
from tui.config.problems import ConfigError
from tui.core.errors.rules import RULE_SEVERITIES

RULES = config_text("error-rules.toml")


def problems(error: ConfigError) -> dict[str, str]:
    return {p.location: p.message for p in error.problems}


def test_rules_and_relative_catalog_dirs(write_config, tmp_path: Path) -> None:
    (tmp_path / "catalogs").mkdir()
    errors = load_config(write_config(RULES)).config.errors
    assert errors.catalog_dirs == [tmp_path / "catalogs"]
    rules = errors.handling_rules()
    assert [(r.prefix, r.severity, r.label) for r in rules] == [
        ("error.request.connection", "warning", "Session lost"),
        ("error", "error", "Any ICWS error"),
    ]
    assert rules[0].runbook == "https://wiki.example.net/icws-session"


@pytest.mark.parametrize(
    ("rule", "location", "fragment"),
    [
        ('prefix = "error..x"\nlabel = "x"', "errors.rules[0].prefix", "not an errorId prefix"),
        ('prefix = "request.x"\nlabel = "x"', "errors.rules[0].prefix", "can never match"),
        ('prefix = "error"\nlabel = ""', "errors.rules[0].label", "at least 1 character"),
        ('prefix = "error"\nlabel = "x"\nseverity = "loud"', "errors.rules[0].severity", "'info'"),
        ('prefix = "error"\nlabel = "x"\nrunbook = "wiki"', "errors.rules[0].runbook", "URL"),
        ('prefix = "error"\nlabel = "x"\ncolour = "red"', "errors.rules[0].colour", "unknown"),
    ],
)
def test_bad_rules_name_the_field(write_config, rule, location, fragment) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write_config(f"[[errors.rules]]\n{rule}\n"))
    found = problems(info.value)
    assert location in found, found
    assert fragment in found[location]


def test_duplicate_prefixes_and_missing_folder(write_config) -> None:
    rule = '[[errors.rules]]\nprefix = "error"\nlabel = "{}"\n'
    text = rule.format("a") + rule.format("b")
    with pytest.raises(ConfigError) as info:
        load_config(write_config(text))
    assert "two rules for prefix 'error'" in str(info.value)
    with pytest.raises(ConfigError) as info:
        load_config(write_config('[errors]\ncatalog_dirs = ["nowhere"]\n'))
    assert "errors.catalog_dirs[0]" in problems(info.value)


def test_rules_from_the_environment(write_config, monkeypatch) -> None:
    monkeypatch.setenv("NOC_ERRORS__RULES", '[{"prefix": "error.server", "label": "Switchover?"}]')
    rules = load_config(write_config("")).config.errors.handling_rules()
    assert [(r.prefix, r.label) for r in rules] == [("error.server", "Switchover?")]


def test_config_severities_are_the_core_ones() -> None:
    literal = ErrorRule.model_fields["severity"].annotation
    assert typing.get_args(literal) == RULE_SEVERITIES


def test_config_check_mentions_the_rules(write_config, capsys) -> None:
    from tui.cli import main

    path = write_config('[[errors.rules]]\nprefix = "error"\nlabel = "any"\n')
    assert main(["config", "check", str(path)]) == 0
    assert "errors: 1 handling rule(s), 0 extra catalog folder(s)" in capsys.readouterr().out
