"""The ICWS state model: isDelta false replaces, true merges; staleness; views."""

from __future__ import annotations

from typing import Any

from tui.core.icws_state import IcwsState

QUEUE = "urn:inin.com:queues:queueContentsMessage"
USERS = "urn:inin.com:status:userStatusMessage"
CATALOGUE = "urn:inin.com:status:statusMessagesMessage"
STATS = "urn:inin.com:statistics:statisticValueMessage"
ALERTS = "urn:inin.com:alerts:alertNotificationMessage"


def queue_message(delta: bool, sub: str = "q1", **lists: Any) -> dict[str, Any]:
    return {"__type": QUEUE, "isDelta": delta, "subscriptionId": sub, **lists}


def added(interaction_id: str, **attributes: str) -> dict[str, Any]:
    return {"interactionId": interaction_id, "attributes": attributes}


def ids(state: IcwsState, server: str = "cic1") -> dict[str, str]:
    (queue,) = state.queues(server)
    return {i.interaction_id: i.state for i in queue.interactions}


def test_snapshot_then_deltas_merge() -> None:
    state = IcwsState(clock=lambda: 100.0)
    state.watch_queue("cic1", "q1", "Support")
    assert state.queues()[0].stale
    state.apply(
        "cic1",
        queue_message(
            False,
            interactionsAdded=[
                added("1", Eic_State="O", Eic_RemoteName="ACME"),
                added("2", Eic_State="C"),
            ],
        ),
    )
    (queue,) = state.queues()
    assert not queue.stale
    assert queue.label == "Support"
    assert ids(state) == {"1": "O", "2": "C"}
    state.apply(
        "cic1",
        queue_message(
            True,
            interactionsChanged=[{"interactionId": "1", "attributes": {"eic_state": "A"}}],
            interactionsAdded=[added("3", Eic_State="R")],
            interactionsRemoved=["2"],
        ),
    )
    assert ids(state) == {"1": "A", "3": "R"}
    one = next(i for i in state.queues()[0].interactions if i.interaction_id == "1")
    assert one.remote == "ACME", "a delta keeps the attributes it does not mention"
    assert one.state_name == "Alerting"


def test_is_delta_false_replaces_the_cache() -> None:
    state = IcwsState()
    state.apply("cic1", queue_message(False, interactionsAdded=[added("1"), added("2")]))
    state.apply("cic1", queue_message(False, interactionsAdded=[added("3", Eic_State="C")]))
    assert ids(state) == {"3": "C"}
    state.apply("cic1", queue_message(False))
    assert ids(state) == {}


def test_snapshot_resets_only_its_own_subscription_and_server() -> None:
    state = IcwsState()
    state.apply("cic1", queue_message(False, "q1", interactionsAdded=[added("1")]))
    state.apply("cic1", queue_message(False, "q2", interactionsAdded=[added("2")]))
    state.apply("cic2", queue_message(False, "q1", interactionsAdded=[added("3")]))
    state.apply("cic1", queue_message(False, "q1"))
    found = {(q.server, q.subscription): len(q.interactions) for q in state.queues()}
    assert found == {("cic1", "q1"): 0, ("cic1", "q2"): 1, ("cic2", "q1"): 1}


def test_session_lost_marks_stale_until_fresh_snapshot_without_leftovers() -> None:
    state = IcwsState()
    state.watch_queue("cic1", "q1", "Support")
    state.apply("cic1", queue_message(False, interactionsAdded=[added("1"), added("2")]))
    state.apply(
        "cic1",
        {
            "__type": USERS,
            "isDelta": False,
            "userStatusList": [{"userId": "a", "statusId": "Available"}],
        },
    )
    state.session_lost("cic1", "401: session expired; logging in again")
    assert state.queues()[0].stale
    assert state.agents()[0].stale
    assert state.note("cic1").startswith("401")
    # interaction 2 ended while the session was down: the fresh snapshot does not list it
    state.apply("cic1", queue_message(False, interactionsAdded=[added("1", Eic_State="C")]))
    assert ids(state) == {"1": "C"}
    assert not state.queues()[0].stale
    assert state.agents()[0].stale, "users are stale until their own snapshot"


def test_delta_about_an_unknown_interaction_is_kept_and_counted() -> None:
    state = IcwsState()
    state.apply("cic1", queue_message(False))
    state.apply(
        "cic1",
        queue_message(
            True, interactionsChanged=[{"interactionId": 7, "attributes": {"Eic_State": "H"}}]
        ),
    )
    assert ids(state) == {"7": "H"}
    state.apply("cic1", queue_message(True, interactionsRemoved=[7, True, None]))
    assert ids(state) == {}


def test_waiting_and_longest_wait() -> None:
    state = IcwsState()
    state.apply(
        "cic1",
        queue_message(
            False,
            interactionsAdded=[
                added("1", Eic_State="O", Eic_InitiationTime="20260314T092600Z"),
                added("2", Eic_State="A", Eic_InitiationTime="20260314T092630Z"),
                added("3", Eic_State="C", Eic_InitiationTime="20260314T092000Z"),
            ],
        ),
    )
    (queue,) = state.queues()
    assert queue.waiting == 2
    assert queue.count("C") == 1
    now = 1773480413.0  # 2026-03-14T09:26:53Z
    assert queue.longest_wait(now) == 53.0
    assert [i.interaction_id for i in queue.interactions] == ["3", "1", "2"]


def test_user_statuses_merge_and_catalogue_decodes() -> None:
    state = IcwsState()
    state.apply(
        "cic1",
        {
            "__type": CATALOGUE,
            "isDelta": False,
            "statusMessagesAdded": [
                {"statusId": "DND", "messageText": "Do Not Disturb", "isDoNotDisturbStatus": True},
                {"statusId": "Available", "messageText": "Available", "isAcdStatus": True},
            ],
        },
    )
    state.apply(
        "cic1",
        {
            "__type": USERS,
            "isDelta": False,
            "userStatusList": [
                {"userId": "J.Chen", "statusId": "available", "loggedIn": True, "onPhone": True},
                {"userId": "a.moreau", "statusId": "Available", "loggedIn": True},
            ],
        },
    )
    state.apply(
        "cic1",
        {
            "__type": USERS,
            "isDelta": True,
            "userStatusList": [
                {"userId": "j.chen", "statusId": "dnd", "statusChanged": "20260314T092000Z"},
                {"userId": "a.moreau", "onPhone": None},
            ],
        },
    )
    agents = {a.user: a for a in state.agents()}
    assert set(agents) == {"J.Chen", "a.moreau"}
    chen = agents["J.Chen"]
    assert (chen.status_text, chen.do_not_disturb, chen.on_phone) == ("Do Not Disturb", True, True)
    assert chen.since == 1773480000.0
    assert agents["a.moreau"].acd
    state.apply("cic1", {"__type": USERS, "isDelta": False, "userStatusList": []})
    assert state.agents() == []


def test_without_catalogue_do_not_disturb_is_guessed_from_the_id() -> None:
    state = IcwsState()
    state.apply(
        "cic1",
        {
            "__type": USERS,
            "isDelta": False,
            "userStatusList": [{"userId": "x", "statusId": "Do Not Disturb"}],
        },
    )
    assert state.agents()[0].do_not_disturb


def stat(workgroup: str, name: str, value: int) -> dict[str, Any]:
    return {
        "statisticKey": {
            "statisticIdentifier": f"inin.workgroup:{name}",
            "parameterValueItems": [
                {"parameterTypeId": "ININ.People.WorkgroupStats:Workgroup", "value": workgroup}
            ],
        },
        "statisticValue": {"__type": "urn:inin.com:statistics:statisticIntValue", "value": value},
    }


def test_statistics_replace_and_merge() -> None:
    state = IcwsState(clock=lambda: 5.0)
    state.apply(
        "cic1",
        {
            "__type": STATS,
            "isDelta": False,
            "statisticValueChanges": [
                stat("Support", "InteractionsWaiting", 3),
                stat("Sales", "LoggedIn", 4),
            ],
        },
    )
    state.apply(
        "cic1",
        {
            "__type": STATS,
            "isDelta": True,
            "statisticValueChanges": [stat("Support", "InteractionsWaiting", 9)],
        },
    )
    values = {(s.where, s.name): s.value for s in state.statistics()}
    assert values == {("Sales", "LoggedIn"): "4", ("Support", "InteractionsWaiting"): "9"}
    state.apply(
        "cic1",
        {
            "__type": STATS,
            "isDelta": False,
            "statisticValueChanges": [stat("Sales", "LoggedIn", 2)],
        },
    )
    assert [(s.where, s.value) for s in state.statistics()] == [("Sales", "2")]


def test_alerts_raise_and_clear() -> None:
    state = IcwsState(clock=lambda: 7.0)
    raised = {
        "alertDefinitionId": "waiting",
        "alertRuleId": "over-10",
        "cleared": False,
        "timeStamp": "bad",
        **stat("Support", "InteractionsWaiting", 12),
    }
    state.apply("cic1", {"__type": ALERTS, "isDelta": True, "alertNotificationList": [raised]})
    (alert,) = state.alerts()
    assert (alert.value, alert.raised) == ("12", 7.0)
    assert alert.statistic == "inin.workgroup:InteractionsWaiting [Support]"
    cleared = {**raised, "cleared": True}
    state.apply("cic1", {"__type": ALERTS, "isDelta": True, "alertNotificationList": [cleared]})
    assert state.alerts() == []


def test_version_moves_only_on_change() -> None:
    state = IcwsState()
    start = state.version
    assert not state.apply("cic1", {"__type": "urn:inin.com:licenses:licenseMessage"})
    assert not state.apply("cic1", "junk")
    assert state.version == start
    assert state.apply("cic1", queue_message(False))
    assert state.version > start
    seen = state.version
    state.set_note("cic1", "x")
    state.set_note("cic1", "x")
    assert state.version == seen + 1
    state.forget("cic1")
    assert state.servers == []


def test_a_type_that_is_not_a_string_is_ignored_not_raised() -> None:
    state = IcwsState(clock=lambda: 0.0)
    messages: list[dict[str, Any]] = [{"__type": []}, {"__type": {"a": 1}}, {"__type": 7}]
    for message in messages:
        assert state.apply("cic1", message) is False
    assert state.version == 0
