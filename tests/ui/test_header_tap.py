"""Tap mode in the header: the hooks chip says TAP, and turns to "upstream failing" while the
backend behind the console fails (a reverse proxy's 502 for a dead application included)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tui.sim.host import SimHost
from tui.sim.wcs.backend import BackendBehaviour, WcsBackend
from tui.ui.widgets.header import NocHeader


@pytest.fixture
def backend() -> Iterator[tuple[BackendBehaviour, str]]:
    behaviour = BackendBehaviour()
    with SimHost("tap-backend") as host:
        yield behaviour, host.serve(WcsBackend(behaviour), name="backend") + "/apps/EchoApp"


def sources_line(app) -> str:
    return str(app.screen.query_one(NocHeader).render()).splitlines()[1]


async def post_hook(app, call: str) -> int:
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            f"{app.services.hook_url}/apps/EchoApp/CallStatusEvent",
            json={"callId": call, "status": "ESTABLISHED"},
        )
    return reply.status_code


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_tap_mode_and_the_upstreams_health_show_in_the_header(
    make_app, backend, size: tuple[int, int]
) -> None:
    behaviour, upstream = backend
    app, _ = make_app(f"[hooks]\nmode = 'tap'\nupstream = '{upstream}'\nport = 0\n", demo=False)
    async with app.run_test(size=size) as pilot:
        for _ in range(200):
            if app.services.hook_url:
                break
            await pilot.pause(0.05)
        assert await post_hook(app, "c1") == 200
        line = sources_line(app)
        assert line.startswith(" ● wcs:hooks TAP") and "upstream failing" not in line, line
        behaviour.down = True  # the application died; its proxy answers 502
        assert await post_hook(app, "c2") == 502
        line = sources_line(app)
        assert line.startswith(" ◐ wcs:hooks TAP upstream failing"), line
        assert len(line) <= size[0]
        assert "HTTP 502" in app.sources.get("hooks").detail
        behaviour.down = False
        assert await post_hook(app, "c3") == 200
        assert sources_line(app).startswith(" ● wcs:hooks TAP"), sources_line(app)


async def test_backend_mode_has_no_badge(make_app) -> None:
    app, _ = make_app(demo=False)
    async with app.run_test(size=(80, 24)):
        line = sources_line(app)
        assert "wcs:hooks" in line and "TAP" not in line
