"""A tiny app hosting the ICWS state panel over a fixed, hand-fed state (tests and snapshots)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Footer

from tui.core.icws_state import IcwsState
from tui.core.sources import LinkState, SourceBoard, SourceKind, SourceStatus
from tui.ui.themes import load_themes
from tui.ui.widgets.icws import IcwsStatePanel

NOW = 1_773_480_413.0  # 2026-03-14T09:26:53Z, the screenshots' fixed time
QUEUE = "urn:inin.com:queues:queueContentsMessage"


def interaction(iid: str, state: str, remote: str, started: str, **more: str) -> dict[str, Any]:
    attributes = {
        "Eic_State": state,
        "Eic_RemoteName": remote,
        "Eic_ObjectType": more.pop("media", "Call"),
        "Eic_CallDirection": more.pop("direction", "I"),
        "Eic_InitiationTime": started,
        **more,
    }
    return {"interactionId": iid, "attributes": attributes}


def surge_state() -> IcwsState:
    """Story 4 mid-surge: Support filling up, agents on Do Not Disturb, an alert raised."""
    state = IcwsState(clock=lambda: NOW)
    for sub, label in (
        ("noc-1-workgroup-support", "Support"),
        ("noc-2-workgroup-outbound", "Outbound"),
    ):
        state.watch_queue("cic1", sub, label)
    state.apply(
        "cic1",
        {
            "__type": QUEUE,
            "isDelta": False,
            "subscriptionId": "noc-1-workgroup-support",
            "interactionsAdded": [
                interaction(
                    "1001234539",
                    "C",
                    "Northwind Traders",
                    "20260314T092101Z",
                    Eic_UserName="k.okafor",
                ),
                interaction(
                    "1001234561",
                    "A",
                    "[b]Globex",
                    "20260314T092540Z",
                    Eic_UserName="m.rossi",
                ),
                interaction("1001234564", "O", "Cyberdyne Care", "20260314T092458Z", media="Chat"),
                interaction("1001234570", "O", "Hooli\x1b[2J", "20260314T092611Z"),
                interaction(
                    "1001234575", "H", "Initech", "20260314T091902Z", Eic_UserName="s.novak"
                ),
            ],
        },
    )
    state.apply(
        "cic1",
        {
            "__type": QUEUE,
            "isDelta": False,
            "subscriptionId": "noc-2-workgroup-outbound",
            "interactionsAdded": [
                interaction(
                    "1001234580", "R", "Stark Logistics", "20260314T092300Z", direction="O"
                ),
                interaction("1001234584", "R", "Wayne Foods", "20260314T092330Z", direction="O"),
            ],
        },
    )
    state.apply(
        "cic1",
        {
            "__type": "urn:inin.com:status:statusMessagesMessage",
            "isDelta": False,
            "statusMessagesAdded": [
                {"statusId": "Available", "messageText": "Available", "isAcdStatus": True},
                {
                    "statusId": "Do Not Disturb",
                    "messageText": "Do Not Disturb",
                    "isDoNotDisturbStatus": True,
                },
                {"statusId": "Gone Home", "messageText": "Gone Home"},
            ],
        },
    )
    state.apply(
        "cic1",
        {
            "__type": "urn:inin.com:status:userStatusMessage",
            "isDelta": False,
            "userStatusList": [
                {
                    "userId": "a.moreau",
                    "statusId": "Do Not Disturb",
                    "statusChanged": "20260314T092400Z",
                    "loggedIn": True,
                },
                {
                    "userId": "k.okafor",
                    "statusId": "Available",
                    "statusChanged": "20260314T090000Z",
                    "loggedIn": True,
                    "onPhone": True,
                },
                {
                    "userId": "d.osei",
                    "statusId": "Gone Home",
                    "statusChanged": "20260314T080000Z",
                    "loggedIn": False,
                },
            ],
        },
    )
    waiting_key = {
        "statisticIdentifier": "inin.workgroup:InteractionsWaiting",
        "parameterValueItems": [
            {"parameterTypeId": "ININ.People.WorkgroupStats:Workgroup", "value": "Support"}
        ],
    }
    state.apply(
        "cic1",
        {
            "__type": "urn:inin.com:statistics:statisticValueMessage",
            "isDelta": False,
            "statisticValueChanges": [
                {
                    "statisticKey": waiting_key,
                    "statisticValue": {
                        "__type": "urn:inin.com:statistics:statisticIntValue",
                        "value": 12,
                    },
                },
            ],
        },
    )
    state.apply(
        "cic1",
        {
            "__type": "urn:inin.com:alerts:alertNotificationMessage",
            "isDelta": True,
            "alertNotificationList": [
                {
                    "alertDefinitionId": "waiting-high",
                    "alertRuleId": "over-8",
                    "cleared": False,
                    "timeStamp": "20260314T092500Z",
                    "statisticKey": waiting_key,
                    "statisticValue": {
                        "__type": "urn:inin.com:statistics:statisticIntValue",
                        "value": 12,
                    },
                }
            ],
        },
    )
    return state


def surge_board() -> SourceBoard:
    board = SourceBoard(clock=lambda: NOW)
    board.add(SourceStatus("cic1", SourceKind.ICWS, "https://cic1.example.net:8019"))
    board.set_state("cic1", LinkState.UP, "event stream at cic1.example.net:8019")
    return board


class PanelHost(App[None]):
    """Just the panel and a footer, in the packaged noc-dark theme."""

    def __init__(self, state: IcwsState | None = None, board: SourceBoard | None = None) -> None:
        super().__init__()
        self.state = surge_state() if state is None else state
        self.board = surge_board() if board is None else board

    def compose(self) -> ComposeResult:
        yield IcwsStatePanel(self.state, self.board, clock=lambda: NOW)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for entry in load_themes(include_user=False).entries.values():
            self.register_theme(entry.theme)
        self.theme = "noc-dark"
        self.query_one(IcwsStatePanel).focus()
