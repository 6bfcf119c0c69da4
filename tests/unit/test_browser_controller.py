"""The browser controller without Textual or a network: keys, ``:`` commands and writes in, the
effects the screen must carry out back."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.browser_tables import table
from tui.config import Target
from tui.core.resources import AppError, Attribute, Item, Resource
from tui.core.resources.paths import TargetPaths
from tui.net.rest.base import Fetched, Query
from tui.ui.models.browser.controller import BrowserController
from tui.ui.models.browser.effects import (
    Confirm,
    Copy,
    CopyUrl,
    Effect,
    Fetch,
    Inspect,
    Loading,
    Notify,
    Prompt,
    RefreshBars,
    RememberPlace,
    RestartWatch,
    Send,
    ShowPage,
    Suggest,
    ToggleRaw,
)
from tui.ui.models.browser.rows import LINK, RUNTIME, Row
from tui.ui.models.browser.target_view import TargetView

CONFIG_PATH = "~/.config/noc-console/config.toml"


def target(kind: str, name: str, **changes: Any) -> Target:
    auth = {"sbc": {"user": "admin"}, "cue": {"user": "admin"}, "mws": {}}[kind]
    return Target(
        name=name,
        kind=kind,
        url=f"https://{name}.example",
        secret_env="SECRET",
        **auth,
        **changes,
    )


def view_of(config: Target, history_dir: Path | None = None) -> TargetView:
    paths = TargetPaths(config.kind, str(config.url))
    return TargetView(config, lambda: paths, history_dir)


def browser(*configs: Target, history_dir: Path | None = None) -> BrowserController:
    if not configs:
        configs = (
            target("sbc", "edge1", start_path="/rest/sipsg/1", allow_writes=True),
            target("cue", "cue1"),
            target("mws", "mws1", allow_writes=True),
        )
    views = [view_of(c, history_dir) for c in configs]
    return BrowserController(views, config_path=CONFIG_PATH)


E = TypeVar("E", bound=Effect)


def of(kind: type[E], effects: list[Effect]) -> list[E]:
    return [e for e in effects if isinstance(e, kind)]


def fetch_of(effects: list[Effect]) -> Fetch:
    (fetch,) = of(Fetch, effects)
    return fetch


def notice(effects: list[Effect]) -> Notify:
    (found,) = of(Notify, effects)
    return found


def sbc_resource(**changes: Any) -> Resource:
    fields: dict[str, Any] = {
        "kind": "sbc",
        "shape": "resource",
        "name": "sipsg",
        "id": "1",
        "http_code": 200,
        "attributes": (
            Attribute("Description", "Carrier A", "", "configuration"),
            Attribute("ServerClusterId", "1", "/rest/sipservertable/1", "configuration"),
            Attribute("rt_ActiveCalls", "4", "", "runtime"),
        ),
    }
    return Resource(**(fields | changes))


def sbc_list() -> Resource:
    items = tuple(Item(str(n), f"https://10.1.1.1/rest/sipsg/{n}", "sipsg") for n in (1, 2))
    return Resource(kind="sbc", shape="list", name="sipsg", http_code=200, items=items)


def answer(
    controller: BrowserController, effects: list[Effect], resource: Resource, **changes: Any
) -> list[Effect]:
    """The screen's part: the fetch the effects asked for comes back with ``resource``."""
    fetch = fetch_of(effects)
    fields: dict[str, Any] = {"status": 200, "body": b"<root/>"} | changes
    fetched = Fetched(resource, fetch.location, f"https://x{fetch.location}", **fields)
    controller.load_ended()
    return controller.loaded(fetch.target, fetched, table(resource), watch=fetch.watch)


def opened(controller: BrowserController, resource: Resource | None = None) -> list[Effect]:
    effects = controller.open_active()
    answer(controller, effects, resource or sbc_resource())
    return effects


def row(key: str, value: str = "", href: str = "", kind: str = "") -> Row:
    return Row(("", key, value, "config"), href, kind, key, value)


# -- opening and moving ---------------------------------------------------------------------


def test_opening_fetches_where_the_first_target_starts_and_shows_it() -> None:
    controller = browser()
    effects = controller.open_active()
    assert controller.active is not None and controller.active.name == "edge1"
    first, then = of(Suggest, effects)  # the location bar's words, then with the new visit
    assert ":sipsg" in first.words and "/rest/sipsg/1" not in first.words
    assert then.words[-1] == "/rest/sipsg/1"
    assert of(RestartWatch, effects) == [RestartWatch(None)]
    assert of(Loading, effects) == [Loading()]
    assert fetch_of(effects) == Fetch("edge1", "/rest/sipsg/1", Query())
    assert controller.loading
    assert controller.active.history.entries == ["/rest/sipsg/1"]
    shown = answer(controller, effects, sbc_resource())
    assert shown == [ShowPage(keep_place=False)]
    assert not controller.loading
    assert controller.active.fetched is not None


def test_no_targets_means_nothing_to_do() -> None:
    controller = BrowserController([], config_path=CONFIG_PATH)
    assert controller.active is None
    for effects in (
        controller.open_active(),
        controller.back(),
        controller.typed(":sipsg"),
        controller.watch(),
        controller.delete(None),
        controller.copy_url(),
    ):
        assert effects == []
    assert controller.bar_state() is None


def test_follow_a_link_rebased_on_the_target() -> None:
    controller = browser()
    opened(controller)
    effects = controller.follow(
        row("ServerClusterId", "1", "https://10.1.1.1/rest/sipservertable/1")
    )
    assert effects[0] == RememberPlace("edge1")  # the row left, for coming back to it
    assert fetch_of(effects).location == "/rest/sipservertable/1"
    assert notice(controller.follow(row("Description", "Carrier A"))).message == (
        "This row does not link anywhere."
    )
    assert controller.follow(None) == []


def test_back_forward_and_up_walk_the_history() -> None:
    controller = browser()
    opened(controller)
    view = controller.active
    assert view is not None
    controller.go_to("/rest/sipservertable/1")
    controller.go_to("/rest/sipservertable/1/sipserver/2")
    back = controller.back()
    assert fetch_of(back).location == "/rest/sipservertable/1"
    assert not of(Suggest, back)  # going back is no new visit
    assert fetch_of(controller.forward()).location == "/rest/sipservertable/1/sipserver/2"
    assert notice(controller.forward()).message == "Nothing further forward."
    assert fetch_of(controller.up()).location == "/rest/sipservertable/1/sipserver"
    assert not view.history.can_forward  # a new visit dropped the forward entry
    controller.back()
    controller.back()
    controller.back()
    assert view.location == "/rest/sipsg/1"
    assert notice(controller.back()).message == "Nothing further back on this target."
    refresh = fetch_of(controller.refresh())
    assert (refresh.location, refresh.refresh) == ("/rest/sipsg/1", True)


def test_a_target_opens_again_on_the_page_it_showed() -> None:
    controller = browser()
    opened(controller)
    to_cue = controller.typed(":users")
    assert to_cue[0] == RememberPlace("edge1")
    assert fetch_of(to_cue) == Fetch("cue1", "/rest/voicemail/users", Query())
    answer(controller, to_cue, Resource(kind="cue", shape="list", http_code=200))
    back_to_sbc = controller.typed(":t edge")  # a prefix of the name is enough
    assert back_to_sbc[0] == RememberPlace("cue1")
    assert ShowPage(keep_place=False) in back_to_sbc  # the page it had: no new fetch
    assert not of(Fetch, back_to_sbc)
    assert controller.active is not None and controller.active.location == "/rest/sipsg/1"
    assert controller.next_target()[0] == RememberPlace("edge1")
    assert controller.active.name == "cue1"


def test_history_is_saved_per_target_and_a_failure_to_save_is_said(tmp_path: Path) -> None:
    controller = browser(history_dir=tmp_path)
    opened(controller)
    controller.go_to("/rest/routingtable/1")
    again = browser(history_dir=tmp_path)
    assert again.active is not None
    assert again.active.location == "/rest/routingtable/1"
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    broken = browser(history_dir=blocked)
    found = notice(broken.open_active())
    assert (found.severity, found.timeout) == ("warning", 6)
    assert "cannot save the browser history" in found.message


# -- what is typed --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "location"),
    [
        ("/rest/sipsg", "/rest/sipsg"),
        ("2", "/rest/sipsg/1/2"),  # relative to where the browser is
        ("..", "/rest/sipsg"),
        ("https://edge1.example/rest/routingtable", "/rest/routingtable"),
        ("sipsg", "/rest/sipsg"),  # an alias without the colon
        (":sst", "/rest/sipservertable"),
    ],
)
def test_locations_typed_on_the_active_target(typed: str, location: str) -> None:
    controller = browser()
    opened(controller)
    assert fetch_of(controller.typed(typed)).location == location


def test_a_url_of_another_target_switches_to_it() -> None:
    controller = browser()
    opened(controller)
    effects = controller.typed("https://mws1.example/v1/sockets/abc")
    assert fetch_of(effects) == Fetch("mws1", "/v1/sockets/abc", Query())
    assert controller.active is not None and controller.active.name == "mws1"


def test_unknown_commands_targets_and_missing_kinds_are_refused_with_the_reason() -> None:
    controller = browser()
    opened(controller)
    unknown = notice(controller.typed(":bogus"))
    assert unknown.severity == "error" and ":t NAME switch target" in unknown.message
    no_target = notice(controller.typed(":t nothere"))
    assert no_target.message == "No target named 'nothere'; targets: edge1, cue1, mws1"
    sbc_only = browser(target("sbc", "edge1"))
    opened(sbc_only)
    missing = notice(sbc_only.typed(":sockets"))
    assert missing.message == ":sockets needs a MWS target; none is configured."


def test_details_category_and_fields_shape_the_next_request() -> None:
    controller = browser()
    opened(controller)
    details = fetch_of(controller.typed(":d"))
    assert details.query == Query(details=True)
    assert not of(Suggest, controller.details())  # toggled back, same place: no new visit
    cycle = [fetch_of(controller.category()).query.category for _ in range(5)]
    assert cycle == ["configuration", "runtime", "statistics", "inventory", ""]
    assert fetch_of(controller.typed(":f runtime")).query.category == "runtime"
    assert fetch_of(controller.typed(":f all")).query.category == ""
    assert notice(controller.typed(":f bogus")).severity == "error"
    controller.typed(":t cue1")
    assert "SBC option" in notice(controller.details()).message
    assert "no categories" in notice(controller.category()).message
    assert fetch_of(controller.typed(":fields ownerId, mailboxUri")).query.fields == (
        "ownerId,mailboxUri"
    )
    assert fetch_of(controller.typed(":fields all")).query.fields is None


def test_the_plain_commands() -> None:
    controller = browser()
    opened(controller)
    controller.go_to("/rest/routingtable")
    assert fetch_of(controller.typed(":home")).location == "/rest/sipsg/1"
    assert controller.typed(":raw") == [ToggleRaw()]
    assert controller.typed(":copy") == [CopyUrl("edge1", "/rest/sipsg/1", Query())]
    assert notice(controller.typed(":help")).title == "Commands"
    assert fetch_of(controller.typed(":back")).location == "/rest/routingtable"
    assert fetch_of(controller.typed(":fwd")).location == "/rest/sipsg/1"
    assert fetch_of(controller.typed(":r")).refresh
    assert fetch_of(controller.typed(":up")).location == "/rest/sipsg"
    assert controller.typed("   ") == []


# -- watching -------------------------------------------------------------------------------


def test_watch_toggles_the_timer_and_refreshes_without_a_visit() -> None:
    controller = browser()
    opened(controller)
    assert controller.watch_tick() == []  # not watching
    on = controller.watch()
    assert on == [RestartWatch(2.0), RefreshBars(), Notify("Watching edge1: every 2 s", timeout=2)]
    bars = controller.bar_state()
    assert bars is not None and bars.watch_s == 2.0
    tick = controller.watch_tick()
    assert tick == [Fetch("edge1", "/rest/sipsg/1", Query(), refresh=True, watch=True)]
    assert controller.watch_tick() == []  # the last refresh has not answered yet
    moved = sbc_resource(
        attributes=(*sbc_resource().attributes[:2], Attribute("rt_ActiveCalls", "9", "", "runtime"))
    )
    assert answer(controller, tick, moved) == [ShowPage(keep_place=True)]
    assert controller.changes == 1
    assert controller.active is not None
    assert controller.active.history.entries == ["/rest/sipsg/1"]
    off = controller.typed(":w")
    assert off[0] == RestartWatch(None)
    assert notice(off).message == "Watching edge1: off"


def test_watch_with_seconds_sets_the_interval() -> None:
    controller = browser()
    opened(controller)
    assert controller.typed(":w 5")[0] == RestartWatch(5.0)
    assert controller.typed(":w 0.1")[0] == RestartWatch(0.5)  # no faster than twice a second
    assert notice(controller.typed(":w soon")).message == ":watch takes seconds, not 'soon'"
    assert of(RestartWatch, controller.typed(":t cue1")) == [RestartWatch(None)]  # not watched
    assert of(RestartWatch, controller.typed(":t edge1")) == [RestartWatch(0.5)]


def test_an_answer_for_a_target_left_behind_is_kept_not_shown() -> None:
    controller = browser()
    effects = controller.open_active()
    controller.typed(":t cue1")
    assert answer(controller, effects, sbc_resource()) == []
    assert controller.views["edge1"].fetched is not None


# -- writes ---------------------------------------------------------------------------------


def test_delete_is_confirmed_then_sent_or_not() -> None:
    controller = browser()
    opened(controller, sbc_list())
    on_row = row("2", href="https://10.1.1.1/rest/sipsg/2", kind=LINK)
    (confirm,) = controller.delete(on_row)
    assert isinstance(confirm, Confirm)
    assert (confirm.request.method, confirm.request.location) == ("DELETE", "/rest/sipsg/2")
    assert confirm.request.summary == "delete sipsg 2"
    assert controller.answer(False) == [Notify("Not sent.", timeout=2)]
    assert controller.answer(True) == []  # nothing is pending any more
    controller.delete(on_row)
    assert controller.answer(True) == [Send("edge1", confirm.request)]


def test_delete_without_a_row_deletes_the_page_resource() -> None:
    controller = browser()
    opened(controller)
    (confirm,) = controller.typed(":delete")
    assert isinstance(confirm, Confirm)
    assert (confirm.request.location, confirm.request.summary) == (
        "/rest/sipsg/1",
        "delete sipsg 1",
    )


def test_a_read_only_target_refuses_before_any_dialog() -> None:
    controller = browser(target("sbc", "edge1"))
    opened(controller)
    refused = notice(controller.delete(None))
    assert (refused.title, refused.severity) == ("Read-only", "warning")
    assert f"set allow_writes = true for it in {CONFIG_PATH}" in refused.message
    assert controller.writes.pending_write is None
    assert controller.answer(True) == []


def test_edit_asks_for_a_value_then_confirms_the_change() -> None:
    controller = browser()
    opened(controller)
    assert notice(controller.edit(row("rt_ActiveCalls", "4", kind=RUNTIME))).message.startswith(
        "Runtime and statistics values"
    )
    assert notice(controller.edit(None)).message == "Put the cursor on an attribute to edit it."
    prompt = controller.edit(row("Description", "Carrier A"))
    assert prompt == [Prompt("New value for Description on /rest/sipsg/1", "Carrier A")]
    assert controller.edited("Carrier A") == []  # unchanged: nothing to send
    controller.edit(row("Description", "Carrier A"))
    assert controller.edited(None) == []  # cancelled
    controller.edit(row("Description", "Carrier A"))
    (confirm,) = controller.edited("Carrier A & B")
    assert isinstance(confirm, Confirm)
    assert (confirm.request.method, confirm.request.body) == (
        "POST",
        b"Description=Carrier+A+%26+B",
    )


def test_edit_needs_a_resource_page() -> None:
    controller = browser()
    opened(controller, sbc_list())
    assert notice(controller.edit(row("1"))).message == (
        "Open a resource to edit one of its attributes."
    )


def test_write_commands_build_their_requests() -> None:
    controller = browser()
    opened(controller)
    (create,) = controller.typed(":create id=7 Description=new")
    assert isinstance(create, Confirm)
    assert (create.request.method, create.request.location) == ("PUT", "/rest/sipsg/1/7")
    (action,) = controller.typed(":action reset")
    assert isinstance(action, Confirm)
    assert action.request.location == "/rest/sipsg/1?action=reset"
    assert notice(controller.typed(":action Reset")).severity == "error"
    (modify,) = controller.typed(":set Description=x")
    assert isinstance(modify, Confirm) and modify.request.body == b"Description=x"
    refused = notice(controller.typed(":push hello"))
    assert refused.message == ":push sends an MWS message; switch to an MWS target"


def test_push_goes_to_the_socket_on_the_row() -> None:
    controller = browser()
    sockets = Resource(kind="mws", shape="list", name="sockets", http_code=200)
    answer(controller, controller.typed(":sockets"), sockets)
    (push,) = controller.typed(":push are you there?", row("k1"))
    assert isinstance(push, Confirm)
    assert push.request.location == "/v1/messages"
    assert b'"sockets": ["k1"]' in push.request.body


def test_the_answer_to_a_write_is_shown_and_said() -> None:
    controller = browser()
    opened(controller)
    (confirm,) = controller.delete(None)
    assert isinstance(confirm, Confirm)
    refusal = Resource(
        kind="sbc",
        shape="status",
        http_code=409,
        errors=(AppError("31003", ("3", "2"), "in use"),),
    )
    fetched = Fetched(refusal, "/rest/sipsg/1", "https://x", method="DELETE", status=200)
    effects = controller.written("edge1", confirm.request, fetched, table(refusal))
    assert effects[0] == ShowPage(keep_place=False)
    said = notice(effects)
    assert said.severity == "error"
    assert said.message == "delete sipsg 1: refused (409); see the errors on the page."
    done = Fetched(
        Resource(kind="sbc", shape="status", http_code=200), "/rest/sipsg/1", "u", status=200
    )
    controller.typed(":t cue1")
    elsewhere = controller.written("edge1", confirm.request, done, table(done.resource))
    assert elsewhere == [Notify("delete sipsg 1: done (HTTP 200). r reloads the page.", timeout=5)]
    assert controller.not_written("edge1 is read-only") == [
        Notify("edge1 is read-only", severity="warning")
    ]


# -- copy, inspect and the bars -------------------------------------------------------------


def test_copy_the_value_on_the_row() -> None:
    controller = browser()
    assert controller.copy_value(row("Description", "Carrier A")) == [
        Copy("Carrier A", "the value Carrier A")
    ]
    long = "x" * 80
    assert controller.copy_value(row("Long", long)) == [Copy(long, f"the value {'x' * 57}...")]
    assert notice(controller.copy_value(None)).message == "Nothing to copy on this row."


def test_inspect_hands_over_the_body_of_a_failed_answer() -> None:
    controller = browser()
    effects = controller.open_active()
    assert notice(controller.inspect()).message == "No error on this page to inspect."
    failed = Resource(
        kind="sbc", shape="status", http_code=400, errors=(AppError("20035", (), "bad"),)
    )
    answer(controller, effects, failed, body=b'<root code="20035"/>')
    assert controller.inspect() == [Inspect('<root code="20035"/>')]


def test_what_the_bars_say() -> None:
    controller = browser(
        target("sbc", "edge1", verify_tls=False, allow_writes=True), target("cue", "cue1")
    )
    opened(controller)
    bars = controller.bar_state()
    assert bars is not None
    assert [(c.name, c.active, c.insecure) for c in bars.targets] == [
        ("edge1", True, True),
        ("cue1", False, False),
    ]
    assert (bars.kind, bars.writes, bars.watch_s) == ("sbc", True, 0.0)
    crumbs = controller.crumb_state(2, loading=False, timings=False)
    assert crumbs is not None
    assert [c.label for c in crumbs.crumbs] == ["rest", "system"]
    assert crumbs.summary == "200 · 2/4 rows"  # 3 attributes and a divider
    assert not crumbs.problem
    loading = controller.crumb_state(3, loading=True, timings=False)
    assert loading is not None and loading.summary == "" and loading.loading


def test_a_created_socket_is_named_by_its_own_path() -> None:
    from tui.core.protocols.mws import parse_mws

    controller = browser()
    sockets = Resource(kind="mws", shape="list", name="sockets", http_code=200)
    answer(controller, controller.typed(":sockets"), sockets)
    (create,) = controller.typed(":create tags=kiosk")
    assert isinstance(create, Confirm)
    assert (create.request.method, create.request.location) == ("POST", "/v1/sockets")
    body = b'{"id": "k9", "uri": "wss://m/?token=k9", "tags": ["kiosk"]}'
    made = parse_mws(body, transport_status=201, path="/v1/sockets")
    fetched = Fetched(made, "/v1/sockets", "https://m/v1/sockets", method="POST", status=201)
    said = notice(controller.written("mws1", create.request, fetched, table(made)))
    assert "created /v1/sockets/k9" in said.message
