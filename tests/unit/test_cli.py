from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import config_text
from tui.cli import main

SUBCOMMANDS = [
    ["demo"],
    ["run"],
    ["config"],
    ["config", "check"],
    ["config", "path"],
    ["screenshots"],
    ["themes"],
    ["browse"],
]


def test_top_level_help_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("demo", "run", "config", "screenshots", "themes", "browse"):
        assert command in out
    assert "NOC_HOOKS__PORT" in out


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_has_help(argv, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--help"])
    assert info.value.code == 0
    assert "usage: noc-console" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["config"], "required: ACTION"),
        (["config", "check"], "required: FILE"),
        (["screenshots", "--size", "big"], "'big' is not WIDTHxHEIGHT"),
        (["screenshots", "--size", "10x10"], "width 40-400"),
        (["run", "--nope"], "unrecognized arguments: --nope"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(argv, fragment, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert "Traceback" not in err


def test_config_check_accepts_a_good_file(write_config, capsys, monkeypatch) -> None:
    monkeypatch.setenv("EDGE1_PASSWORD", "s3cret-value")
    path = write_config(config_text("config-check.toml"))
    assert main(["config", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: OK" in out
    assert (
        "SBC edge1: https://10.0.0.20/ (session auth as admin), secret from $EDGE1_PASSWORD (set)"
        in out
    )
    assert "TLS verification OFF" in out
    assert "warning: environment variable MWS_TOKEN is not set" in out
    assert "s3cret-value" not in out


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[hooks]\nport = 'x'\n", "hooks.port: Input should be a valid integer"),
        ("[ui]\ntheme = 'nope'\n", "ui.theme: unknown theme 'nope'; known: "),
        ("[keymap]\n'app.nothing' = 'x'\n", "keymap.app.nothing: unknown binding id"),
        ("[keymap]\n'app.quit' = ' '\n", "keymap.app.quit: no keys given"),
        ("[hooks\n", "not valid TOML"),
    ],
)
def test_config_check_rejects_with_file_and_field(write_config, capsys, text, fragment) -> None:
    path = write_config(text)
    assert main(["config", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: " in err
    assert fragment in err
    assert "Traceback" not in err


def test_config_check_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["config", "check", str(tmp_path / "none.toml")]) == 2
    assert "none.toml: file not found" in capsys.readouterr().err


def test_run_with_bad_config_exits_2_before_starting_the_ui(write_config, capsys) -> None:
    path = write_config("[hooks]\nport = -1\n")
    assert main(["run", "--config", str(path)]) == 2
    assert "hooks.port" in capsys.readouterr().err


def test_themes_lists_the_packaged_ones(capsys) -> None:
    assert main(["themes"]) == 0
    out = capsys.readouterr().out
    for name in ("noc-dark", "noc-light", "noc-high-contrast"):
        assert name in out


def test_python_dash_m_tui_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("noc-console ")


def test_cli_import_stays_light() -> None:
    """`noc-console --help` must not pay for Textual, httpx or lxml."""
    heavy = {"textual", "httpx", "lxml", "uvicorn", "pydantic"}
    script = (
        f"import sys, tui.cli; print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("command", ["demo", "run"])
def test_bad_filter_on_the_command_line_is_a_usage_error(command, capsys) -> None:
    assert main([command, "--filter", "colour:red"]) == 2
    err = capsys.readouterr().err
    assert "--filter: unknown field 'colour'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        ([], "tui.cli.run"),
        (["demo"], "tui.cli.run"),
        (["run"], "tui.cli.run"),
        (["tail"], "tui.cli.tail"),
        (["config", "check", "x.toml"], "tui.cli.config"),
        (["config", "path"], "tui.cli.config"),
        (["screenshots"], "tui.cli.screenshots"),
        (["themes"], "tui.cli.themes"),
        (["decode", "486"], "tui.cli.decode"),
        (["catalog", "import", "sbc", "codes.csv"], "tui.cli.catalog"),
        (["catalog", "list"], "tui.cli.catalog"),
        (["browse", "--kind", "sbc", "https://x"], "tui.cli.browse"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_every_command_runs_through_the_handler_of_its_own_module(argv, module) -> None:
    from tui.cli.parser import build_parser

    handler = build_parser().parse_args(argv).handler
    assert callable(handler)
    assert handler.__module__ == module


def test_browse_raises_the_one_usage_error() -> None:
    from tui.cli.browse import build_request
    from tui.config import UsageError

    with pytest.raises(UsageError, match="no target named 'x'"):
        build_request(None, target_name="x", kind=None, where="/")
    with pytest.raises(UsageError, match="not an http"):
        build_request(None, target_name=None, kind="sbc", where="ftp://x")
