"""`noc-console decode` and `noc-console catalog`: output, JSON fields, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import config_text
from tui.cli import main

SBC_XML = (
    '<?xml version="1.0"?><root><status><http_code>409</http_code>'
    '<app_status href="https://10.0.0.5/rest/sipq850map/3">'
    '<app_status_entry code="31003" params="3|2"/></app_status></status></root>'
)


def run_json(capsys, *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["decode", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    "argv", [["decode"], ["catalog"], ["catalog", "import"], ["catalog", "list"]]
)
def test_help(argv, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--help"])
    assert info.value.code == 0
    assert "usage: noc-console" in capsys.readouterr().out


def test_icws_json_fields(capsys) -> None:
    code, doc = run_json(capsys, "error.request.connection.authenticationFailure")
    assert code == 0
    assert doc["kind"] == "icws"
    assert doc["error_id"] == "error.request.connection.authenticationFailure"
    assert doc["hierarchy"][0] == "error"
    assert doc["rules"] == []
    assert doc["summary"]


def test_sbc_json_fields_from_stdin(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SBC_XML))
    code, doc = run_json(capsys, "-")
    assert code == 0
    assert doc["kind"] == "sbc"
    assert doc["entries"] == [
        {
            "code": 31003,
            "params": ["3", "2"],
            "message": "Cannot delete SIP to Q.850 mapping 3. It is in use by SG 2.",
            "known": True,
        }
    ]


def test_mws_and_sip_json_fields(capsys) -> None:
    code, doc = run_json(capsys, '{"error":{"reason":"notFound","message":"no such socket"}}')
    assert code == 0
    assert (doc["kind"], doc["reason"], doc["message"], doc["errors"]) == (
        "mws",
        "notFound",
        "no such socket",
        [],
    )
    code, doc = run_json(capsys, "SIP", "486", "BUSY", "HERE")  # words are joined
    assert (code, doc["kind"], doc["code"], doc["reason"]) == (0, "sip", 486, "Busy Here")


def test_text_output(capsys) -> None:
    assert main(["decode", "31003 3|2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[sbc] SBC 31003: Cannot delete SIP to Q.850 mapping 3.")
    assert "  app code 31003: Cannot delete" in out


def test_ambiguous_input_exits_0_and_lists_readings(capsys) -> None:
    code, doc = run_json(capsys, "503")
    assert code == 0
    assert doc["ambiguous"] is True
    assert [r["kind"] for r in doc["readings"]] == ["sip", "http"]


def test_nothing_matched_exits_1(capsys) -> None:
    code, doc = run_json(capsys, "the printer is on fire")
    assert code == 1
    assert doc["kind"] == "unknown"
    assert main(["decode", "still nothing"]) == 1
    assert capsys.readouterr().out.startswith("not recognised: expected")


@pytest.mark.parametrize(
    ("argv", "stdin", "fragment"),
    [
        (["decode", "-", "extra"], "", "use - alone"),
        (["decode", "-"], "   \n", "nothing to decode"),
        (["decode", "  "], "", "nothing to decode"),
    ],
)
def test_bad_usage_exits_2(argv, stdin, fragment, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(argv) == 2
    assert fragment in capsys.readouterr().err


def test_no_text_is_an_argparse_error(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["decode"])
    assert info.value.code == 2
    assert "TEXT" in capsys.readouterr().err


def test_rules_from_config_change_the_match(write_config, capsys) -> None:
    path = write_config(config_text("rule-switchover.toml"))
    code, doc = run_json(capsys, "--config", str(path), "error.server.unavailable")
    assert code == 0
    assert doc["rules"] == [
        {"prefix": "error.server", "severity": "critical", "label": "Switchover"}
    ]
    assert doc["summary"].endswith("→ critical: Switchover")


def test_catalog_import_then_decode_uses_it(tmp_path: Path, capsys) -> None:
    source = tmp_path / "vendor.csv"
    source.write_text("code,message\n42001,Trunk group %1% has no free channel\nx,y\n")
    assert main(["catalog", "import", "sbc", str(source)]) == 0
    captured = capsys.readouterr()
    assert "imported 1 SBC codes from" in captured.out
    assert "row 3: code 'x' is not a number" in captured.err
    code, doc = run_json(capsys, "42001 7")
    assert code == 0
    assert doc["entries"][0]["message"] == "Trunk group 7 has no free channel"
    assert main(["catalog", "list"]) == 0
    listing = capsys.readouterr().out
    assert "sbc-app-codes" in listing
    assert "imported" in listing


def test_catalog_import_refusals_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["catalog", "import", "sbc", str(tmp_path / "missing.csv")]) == 2
    assert "file not found" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["catalog", "import", "cue", "x.csv"])
    assert info.value.code == 2
