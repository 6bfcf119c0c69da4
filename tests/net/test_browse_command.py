"""``noc-console browse`` against the simulators: the JSON shape, text output, exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import config_text
from tui.cli import main
from tui.sim.cue.server import CueSimulator
from tui.sim.host import SimHost
from tui.sim.mws.server import MwsSimulator, SimSocket
from tui.sim.sbc.server import SbcSimulator


@pytest.fixture(scope="module")
def lab(host: SimHost) -> dict[str, str]:
    return {
        "sbc": host.serve(SbcSimulator(password="sbc-pw")),
        "cue": host.serve(CueSimulator(password="cue-pw")),
        "mws": host.serve(MwsSimulator(token="mws-tok")),
    }


@pytest.fixture
def config(lab: dict[str, str], write_config, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SBC_PW", "sbc-pw")
    monkeypatch.setenv("CUE_PW", "cue-pw")
    return write_config(config_text("browse-lab.toml", sbc_url=lab["sbc"], cue_url=lab["cue"]))


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_json_for_a_resource_has_the_issue_shape(config: Path, lab, capsys) -> None:
    code, data = run_json(
        ["browse", "--json", "--config", str(config), "--target", "edge1", "/rest/sipsg/1"], capsys
    )
    assert code == 0
    assert data["kind"] == "sbc"
    assert data["http_code"] == 200
    assert data["errors"] == []
    assert data["url"] == f"{lab['sbc']}/rest/sipsg/1"
    cluster = next(a for a in data["attributes"] if a["name"] == "ServerClusterId")
    assert cluster == {
        "name": "ServerClusterId",
        "value": "1",
        "href": f"{lab['sbc']}/rest/sipservertable/1",  # not the box's own 10.0.0.5
        "category": "configuration",
    }
    assert {a["category"] for a in data["attributes"]} == {"configuration", "runtime"}


def test_json_for_a_list_by_alias_with_details(config: Path, lab, capsys) -> None:
    code, data = run_json(
        ["browse", "--json", "--config", str(config), "--target", "edge1", "sipsg", "--details"],
        capsys,
    )
    assert code == 0
    assert data["url"].endswith("/rest/sipsg?details=true")
    assert data["count"] == 4
    first = data["items"][0]
    assert (first["id"], first["label"]) == ("1", "Carrier A SIP trunk")
    assert first["href"] == f"{lab['sbc']}/rest/sipsg/1"
    assert any(a["name"] == "rt_ActiveCalls" for a in first["attributes"])


def test_json_errors_carry_code_params_message_and_exit_1(config: Path, capsys) -> None:
    code, data = run_json(
        [
            "browse",
            "--json",
            "--config",
            str(config),
            "--target",
            "edge1",
            "/rest/sipsg?details=True",
        ],
        capsys,
    )
    assert code == 1
    assert data["http_code"] == 400
    (error,) = data["errors"]
    assert error["code"] == 20035
    assert error["params"] == ["details=True"]
    assert error["message"] == (
        "Query parameter value not accepted (values are case-sensitive) (params: details=True)"
    )
    assert "case-sensitive" in data["hint"]


def test_text_output_for_cue_with_fields(config: Path, capsys) -> None:
    code = main(
        [
            "browse",
            "--config",
            str(config),
            "--target",
            "cue1",
            "/rest/voicemail/users/ann",
            "--fields",
            "displayName,mailboxUri",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("GET http://127.0.0.1:")
    assert "/rest/voicemail/users/ann?fields=displayName%2CmailboxUri → 200 (" in first
    assert "displayName  Ann Ambler" in out
    assert "→ /rest/voicemail/mailboxes/ann" in out  # CUE's published URI, under /rest
    assert "note: " not in out


def test_browse_rebases_hrefs_as_the_browser_does(config: Path, lab, capsys) -> None:
    """The box writes its own address (10.0.0.5) into hrefs and leaves /rest out of one: the
    text prints paths of the target asked, --json full URLs on it, as the browser's rows do."""
    argv = ["browse", "--config", str(config), "--target", "edge1", "/rest/isdnsg/10001"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "10.0.0.5" not in out
    assert "→ /rest/linecard/1/telcods1port/1" in out
    code, data = run_json(["browse", "--json", *argv[1:]], capsys)
    assert code == 0
    port = next(a for a in data["attributes"] if a["name"] == "ApplyToPortName")
    assert port["href"] == f"{lab['sbc']}/rest/linecard/1/telcods1port/1"
    code, data = run_json(["browse", "--json", *argv[1:-1], "sipservertable"], capsys)
    assert "10.0.0.5" not in json.dumps(data)
    assert all(i["href"].startswith(f"{lab['sbc']}/rest/sipservertable/") for i in data["items"])


def test_browse_shows_enumerated_values_as_the_browser_does(config: Path, capsys) -> None:
    argv = ["browse", "--config", str(config), "--target", "edge1", "/rest/sipsg/1"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert re.search(r"customAdminState +1 \(Enabled\)$", out, re.M)
    assert re.search(r"rt_OperationalState +1 \(Up, inferred\)$", out, re.M)
    assert re.search(r"rt_LastFailureCause +486 \(SIP Busy Here\)$", out, re.M)
    code, data = run_json(["browse", "--json", *argv[1:]], capsys)
    assert code == 0
    state = next(a for a in data["attributes"] if a["name"] == "customAdminState")
    assert (state["value"], state["meaning"]) == ("1", "Enabled")
    channels = next(a for a in data["attributes"] if a["name"] == "Channels")
    assert "meaning" not in channels


def test_adhoc_kind_url_with_a_token(lab, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_TOKEN", "mws-tok")
    code, data = run_json(
        [
            "browse",
            "--json",
            "--kind",
            "mws",
            "--token-env",
            "MY_TOKEN",
            f"{lab['mws']}/v1/sockets",
        ],
        capsys,
    )
    assert code == 0
    assert data["kind"] == "mws"
    assert data["items"][0]["href"].startswith(f"{lab['mws']}/v1/sockets/")


def test_unreachable_secret_missing_and_usage_errors(lab, capsys, config: Path) -> None:
    code, data = run_json(
        [
            "browse",
            "--json",
            "--kind",
            "mws",
            "--token-env",
            "NOT_SET_ANYWHERE",
            f"{lab['mws']}/v1/sockets",
        ],
        capsys,
    )
    assert code == 1
    assert data["failure"] == "secret"
    assert "NOT_SET_ANYWHERE is not set" in data["problem"]
    for argv, fragment in [
        (
            ["browse", "--kind", "sbc", "http://x/rest"],
            "--kind sbc needs --user USER and --password-env VAR",
        ),
        (["browse", "--kind", "mws", "ftp://x"], "'ftp://x' is not an http(s) URL"),
        (
            ["browse", "--config", str(config), "--target", "nope", "/"],
            "no target named 'nope' in the config (targets: edge1, cue1)",
        ),
    ]:
        assert main(argv) == 2
        assert fragment in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["browse", "/rest/x"])
    assert info.value.code == 2
    assert "one of the arguments --target --kind is required" in capsys.readouterr().err


@pytest.mark.slow
def test_the_real_command_line(lab) -> None:
    env = dict(os.environ, MY_TOKEN="mws-tok")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "browse",
            "--json",
            "--kind",
            "mws",
            "--token-env",
            "MY_TOKEN",
            f"{lab['mws']}/",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["attributes"] == [
        {"name": "name", "value": "MWS", "href": None, "category": "configuration"}
    ]


# -- hostile text from the device ------------------------------------------------------------

# RLO, 8-bit CSI, OSC and ST, an isolate (XML 1.0 cannot carry ESC; JSON can)
HOSTILE = "Carrier \u202eA\x9b31m\x9d0;t\x9c \u2066x"
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


@pytest.fixture(scope="module")
def hostile_lab(host: SimHost) -> dict[str, str]:
    sbc = SbcSimulator(password="sbc-pw")
    found = sbc.tree.resources["/rest/sipsg/1"].field("Description")
    assert found is not None
    found.value = HOSTILE
    mws = MwsSimulator(token="mws-tok")
    mws.sockets.append(SimSocket("hostile", ["sur\ud800x", "\u202eevil", "\x9b31m"], -10.0))
    return {"sbc": host.serve(sbc), "mws": host.serve(mws)}


def sbc_args(url: str) -> list[str]:
    return ["--kind", "sbc", "--user", "restuser", "--password-env", "SBC_PW", url]


def test_bidi_and_c1_from_an_sbc_do_not_reach_browse_text(
    hostile_lab: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SBC_PW", "sbc-pw")
    assert main(["browse", *sbc_args(f"{hostile_lab['sbc']}/rest/sipsg/1")]) == 0
    out = capsys.readouterr().out
    assert not UNSAFE.search(out), repr(out)
    assert "Carrier \ufffdA\ufffd31m" in out  # shown, inert


def test_c1_and_bidi_from_an_sbc_do_not_reach_browse_json(
    hostile_lab: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SBC_PW", "sbc-pw")
    argv = ["browse", "--json", *sbc_args(f"{hostile_lab['sbc']}/rest/sipsg/1")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert not UNSAFE.search(out), repr(out)
    data = json.loads(out)
    value = next(a["value"] for a in data["attributes"] if a["name"] == "Description")
    assert value == "Carrier \ufffdA\ufffd31m\ufffd0;t\ufffd \ufffdx"


def test_c1_and_bidi_from_mws_do_not_reach_browse_json(
    hostile_lab: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_TOKEN", "mws-tok")
    argv = ["browse", "--json", "--kind", "mws", "--token-env", "MY_TOKEN"]
    main([*argv, f"{hostile_lab['mws']}/v1/sockets/hostile"])
    out = capsys.readouterr().out
    assert not UNSAFE.search(out), repr(out)
    data = json.loads(out)
    tags = next(a["value"] for a in data["attributes"] if a["name"] == "tags")
    assert tags == "sur\ufffdx, \ufffdevil, \ufffd31m"


@pytest.mark.slow
def test_browse_mws_prints_a_lone_surrogate_without_a_traceback(
    hostile_lab: dict[str, str],
) -> None:
    env = dict(os.environ, MY_TOKEN="mws-tok", PYTHONIOENCODING="utf-8")
    for extra in ([], ["--json"]):
        result = subprocess.run(
            [
                sys.executable, "-m", "tui", "browse", *extra, "--kind", "mws", "--token-env",
                "MY_TOKEN", f"{hostile_lab['mws']}/v1/sockets/hostile",
            ],
            capture_output=True,
            env=env,
            check=False,
            timeout=30,
        )  # fmt: skip
        assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
        assert result.returncode == 0
        text = result.stdout.decode("utf-8")  # strictly: valid UTF-8 all through
        assert not UNSAFE.search(text), repr(text)
        assert "sur\ufffdx" in text
