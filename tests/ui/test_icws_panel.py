"""The ICWS state panel: content, redraw on change only, keys, narrow layout, snapshots."""

from __future__ import annotations

import pytest

from tests.ui.icws_panel_host import NOW, QUEUE, PanelHost, surge_board, surge_state
from tui.ui.bindings import ui_bindings
from tui.ui.widgets.icws import IcwsStatePanel


def shown(app: PanelHost, part: str) -> str:
    return app.query_one(IcwsStatePanel).section_text(part)


async def test_queues_agents_statistics_alerts_are_shown() -> None:
    app = PanelHost()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        queues = shown(app, "queues")
        assert "Support  3 waiting · 2 talking · 5 in queue · longest 1m55s" in queues
        assert "1001234561 Alerting" in queues
        assert "Outbound  2 waiting" in queues
        assert "Proceeding" in queues
        assert "[b]Globex" in queues, "remote text shows literally, never as markup"
        assert "\x1b" not in queues
        agents = shown(app, "agents")
        assert "⊘ a.moreau" in agents
        assert "Do Not Disturb" in agents
        assert "○ d.osei" in agents
        assert "phone" in agents
        assert "Waiting" in shown(app, "statistics")
        assert "inin.workgroup:InteractionsWaiting [Support] = 12" in shown(app, "alerts")
        assert "cic1 up · event stream" in shown(app, "sources")
        assert not app.query_one(IcwsStatePanel).has_class("-narrow")


async def test_redraws_only_when_something_moved() -> None:
    app = PanelHost()
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.query_one(IcwsStatePanel)
        await pilot.pause(0.3)
        settled = panel.redraws
        await pilot.pause(0.6)  # several 4 Hz ticks with nothing new: no redraw
        assert panel.redraws == settled
        app.state.apply(
            "cic1",
            {
                "__type": QUEUE,
                "isDelta": True,
                "subscriptionId": "noc-1-workgroup-support",
                "interactionsRemoved": ["1001234539"],
            },
        )
        await pilot.pause(0.4)
        assert panel.redraws == settled + 1
        assert "1001234539" not in shown(app, "queues")


async def test_stale_caches_are_marked_until_fresh_snapshots() -> None:
    app = PanelHost()
    async with app.run_test(size=(120, 40)) as pilot:
        app.state.session_lost("cic1", "session lost at 09:26:50Z: waiting for fresh snapshots")
        await pilot.pause(0.4)
        assert "stale: waiting for a fresh snapshot" in shown(app, "queues")
        assert "stale" in shown(app, "agents")
        assert "session lost at 09:26:50Z" in shown(app, "sources")
        app.state.apply(
            "cic1", {"__type": QUEUE, "isDelta": False, "subscriptionId": "noc-1-workgroup-support"}
        )
        await pilot.pause(0.4)
        support = shown(app, "queues").splitlines()[1]
        assert support.startswith("Support  0 waiting")
        assert "stale" not in support


async def test_keys_hide_details_filter_waiting_and_pick_a_server() -> None:
    state = surge_state()
    state.apply(
        "cic2",
        {"__type": QUEUE, "isDelta": False, "subscriptionId": "q", "interactionsAdded": []},
    )
    app = PanelHost(state)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        queues = shown(app, "queues")
        assert "1001234564" in queues
        assert "1001234539" not in queues
        assert "2 answered not shown" in queues
        await pilot.press("d")
        assert "1001234564" not in shown(app, "queues")
        await pilot.press("s")
        assert "@cic2" not in shown(app, "queues")
        assert app.query_one(IcwsStatePanel).border_subtitle == "server: cic1"
        await pilot.press("s", "s")
        assert "@cic2" in shown(app, "queues"), "back to all servers"


async def test_narrow_terminal_stacks_the_sections() -> None:
    app = PanelHost()
    async with app.run_test(size=(80, 24)):
        panel = app.query_one(IcwsStatePanel)
        assert panel.has_class("-narrow")
        lines = panel.lines_text()
        assert max(len(line) for line in lines) <= panel.scrollable_content_region.width
        assert lines[1] == "QUEUES"
        assert any(line.startswith("AGENTS") for line in lines), "stacked below the queues"


async def test_no_server_configured_says_so() -> None:
    from tui.core.icws_state import IcwsState
    from tui.core.sources import SourceBoard

    app = PanelHost(IcwsState(clock=lambda: NOW), SourceBoard())
    async with app.run_test(size=(80, 24)):
        assert "add an [[icws]] block" in shown(app, "sources")
        assert "no queue subscriptions yet" in shown(app, "queues")


def test_binding_ids_are_icws_and_unique() -> None:
    ids = [b.id for _, b in ui_bindings()]
    mine = [b.id for owner, b in ui_bindings() if owner == "IcwsStatePanel"]
    assert len(mine) == 3
    assert all(i and i.startswith("icws.") for i in mine)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_panel_snapshot(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(PanelHost(surge_state(), surge_board()), terminal_size=size)
