"""One reading of an SBC app code: the browser, ``browse``, the inspector and the errors-seen
counts say the same thing for every answer the SBC simulator gives, and the simulator's own
codes are marked as such wherever they show."""

from __future__ import annotations

import pytest

from tests.unit.errors.conftest import PACKAGED, find
from tui.core.errors.context import Context
from tui.core.errors.describe import meaning_of
from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.explain import explain_errors
from tui.core.errors.tally import GROUP_SBC
from tui.core.protocols.sbc import parse_sbc
from tui.core.resources import AppError, Resource
from tui.sim.asgi import Request
from tui.sim.sbc.server import SbcSimulator

SESSION = {"cookie": "PHPSESSID=s"}


def simulator() -> SbcSimulator:
    sim = SbcSimulator(password="pw")
    sim.sessions["s"] = (sim.clock(), "")
    return sim


def errors_of(resource: Resource) -> list[AppError]:
    return [*resource.errors, *(e for item in resource.items for e in item.errors)]


def answer(
    method: str, path: str, query: str = "", body: str = "", *, incident: bool = False
) -> bytes:
    sim = simulator()
    sim.set_incident(True if incident else None)
    params = dict(part.split("=", 1) for part in query.split("&") if part)
    headers = SESSION if path != "/rest/login" else {}
    request = Request(method, path, query, headers, body.encode(), query=params)
    status, data, _ = sim.handle(request)
    assert status == 200  # the outcome travels in <http_code>
    return data


# every app code the simulator sends, and what the catalog makes of it
ANSWERS = {
    "missing resource": (answer("GET", "/rest/foo"), "99101"),
    "bad login": (answer("POST", "/rest/login", body="Username=x&Password=y"), "99102"),
    "silent SIP server": (
        answer("GET", "/rest/sipservertable/1/sipserver/2", incident=True),
        "99103",
    ),
    "create over an existing id": (answer("PUT", "/rest/sipsg/1", body="Description=x"), "99104"),
    "method not allowed": (answer("PATCH", "/rest/sipsg/1"), "99105"),
    "unknown attribute": (answer("POST", "/rest/sipsg/1", body="Nope=1"), "99106"),
    "case-sensitive details": (answer("GET", "/rest/sipsg", "details=True"), "20035"),
    "mapping in use": (answer("DELETE", "/rest/sipq850map/3"), "31003"),
}


@pytest.mark.parametrize("case", list(ANSWERS))
def test_the_browser_and_the_inspector_read_every_simulator_code_alike(case: str) -> None:
    body, code = ANSWERS[case]
    shown = explain_errors(parse_sbc(body), PACKAGED)  # what the browser and browse show
    (error,) = errors_of(shown)
    assert error.code == code
    inspection = ErrorDecoder(Context(PACKAGED)).inspect(body.decode())  # what `e` shows
    assert inspection.primary.kind == "sbc"
    (entry,) = inspection.primary.fields["entries"]
    assert entry["message"] == error.message
    assert entry["known"], f"{code} is not in the packaged catalog"
    assert not error.message.startswith("Application error")


@pytest.mark.parametrize("case", [c for c, (_, code) in ANSWERS.items() if code.startswith("99")])
def test_simulator_codes_are_marked_everywhere_they_show(case: str) -> None:
    body, code = ANSWERS[case]
    (error,) = errors_of(explain_errors(parse_sbc(body), PACKAGED))
    assert error.message.startswith("[simulator code] ")  # browser, browse
    inspection = ErrorDecoder(Context(PACKAGED)).inspect(body.decode())
    assert inspection.summary.startswith(f"SBC {code}: [simulator code] ")  # inspector
    assert "not one of Ribbon's" in find(inspection.primary.items, "simulator code").value
    assert inspection.primary.fields["entries"][0]["simulator_code"] is True  # decode --json
    assert meaning_of(PACKAGED, GROUP_SBC, code).startswith("[simulator code] ")  # F8
    assert PACKAGED.sbc_codes[int(code)].simulator


def test_ribbon_codes_are_not_marked_and_keep_their_links() -> None:
    body, _ = ANSWERS["mapping in use"]
    (error,) = explain_errors(parse_sbc(body), PACKAGED).errors
    assert error.message == "Cannot delete SIP to Q.850 mapping 3. It is in use by SG 2."
    assert [(link.label, link.href) for link in error.links] == [
        ("SIP to Q.850 mapping 3", "/rest/sipq850map/3"),
        ("signaling group 2", "/rest/sipsg/2"),
    ]
    assert not PACKAGED.sbc_codes[31003].simulator
    assert not PACKAGED.sbc_codes[20035].simulator


def test_an_imported_template_changes_the_browser_and_the_inspector_alike(tmp_path) -> None:
    from tui.core.errors.catalog import load_catalogs

    (tmp_path / "mine.toml").write_text(
        'catalog = "sbc-app-codes"\n[[codes]]\ncode = 20035\ntemplate = "Bad value %1%"\n'
    )
    catalogs = load_catalogs(None, [tmp_path])
    body, _ = ANSWERS["case-sensitive details"]
    (error,) = explain_errors(parse_sbc(body), catalogs).errors
    assert error.message == "Bad value details=True"
    inspection = ErrorDecoder(Context(catalogs)).inspect(body.decode())
    assert inspection.primary.fields["entries"][0]["message"] == "Bad value details=True"
