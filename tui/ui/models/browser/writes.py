"""The browser's writes: delete, edit a value, SBC actions, create, MWS push.

Every write goes the same way: build the exact request (:mod:`tui.core.resources.writes`) from
the page shown and the row under the cursor, refuse at once if the target is read-only, have the
request confirmed (the screen shows it as it will go out), and only then send it. The answer
(success, or the app error with its links) is shown in the table like any page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tui.core.resources.writes import (
    WriteNotPossible,
    WriteRequest,
    parse_assignments,
    plan_action,
    plan_create,
    plan_delete,
    plan_modify,
    plan_push,
)
from tui.core.targets import kind_of
from tui.net.rest.base import Fetched
from tui.ui.models.browser.effects import Confirm, Effects, Notify, Prompt, Send, ShowPage
from tui.ui.models.browser.rows import DIVIDER, ENTRY, ERROR, RUNTIME, Row, TableModel
from tui.ui.models.browser.target_view import TargetView

WRITE_COMMANDS = ("set", "action", "create", "push")


class Edit(NamedTuple):
    """An attribute the operator is giving a new value: where, which, and what it was."""

    view: TargetView
    location: str
    resource: str
    name: str
    old: str


def delete_request(view: TargetView, row: Row | None) -> WriteRequest:
    """Delete the row's resource on a list, else the page's own resource."""
    resource = view.fetched.resource if view.fetched else None
    if resource is not None and resource.is_list and row is not None and row.href:
        location = view.paths.from_href(row.href, view.location)
        return plan_delete(view.kind, location, f"{resource.name} {row.key}")
    label = f"{resource.name} {resource.id}".strip() if resource is not None else ""
    return plan_delete(view.kind, view.location, label)


def edit_of(view: TargetView | None, row: Row | None) -> Edit | Notify:
    """The attribute on the row to edit, or the notice saying why there is none here."""
    resource = view.fetched.resource if view is not None and view.fetched else None
    if view is None or resource is None or resource.shape != "resource":
        return Notify("Open a resource to edit one of its attributes.", timeout=3)
    if row is None or row.kind in (DIVIDER, ENTRY, ERROR) or len(row.cells) != 4:
        return Notify("Put the cursor on an attribute to edit it.", timeout=3)
    if row.kind == RUNTIME:
        return Notify("Runtime and statistics values come from the box; they cannot be set.")
    return Edit(view, view.location, resource.name, row.key, row.value)


def modify_request(view: TargetView, edit: Edit, value: str) -> WriteRequest:
    return plan_modify(view.kind, edit.location, edit.resource, {edit.name: value})


def command_request(view: TargetView, name: str, argument: str, row: Row | None) -> WriteRequest:
    """``:set NAME=VALUE…``, ``:action NAME``, ``:create NAME=VALUE…`` or ``:push TEXT``."""
    resource = view.fetched.resource if view.fetched else None
    if name == "set":
        resource_name = resource.name if resource is not None else ""
        return plan_modify(view.kind, view.location, resource_name, parse_assignments(argument))
    if name == "action":
        return plan_action(view.kind, view.location, argument.strip())
    if name == "create":
        return _create_request(view, argument)
    if name == "push":
        return _push_request(view, argument, row)
    raise WriteNotPossible(f"no write is called {name!r}")


def _create_request(view: TargetView, argument: str) -> WriteRequest:
    fields = parse_assignments(argument)
    location = view.location
    if kind_of(view.kind).writes.create == "form-put":  # PUT at the new resource's own id
        new_id = fields.pop("id", "")
        if new_id:
            location = f"{location.split('?')[0].rstrip('/')}/{new_id}"
    return plan_create(view.kind, location, fields)


def _push_request(view: TargetView, text: str, row: Row | None) -> WriteRequest:
    if not kind_of(view.kind).messages:
        raise WriteNotPossible(":push sends an MWS message; switch to an MWS target")
    resource = view.fetched.resource if view.fetched else None
    if resource is not None and resource.shape == "resource" and resource.name == "sockets":
        sockets = [resource.id]
    elif resource is not None and resource.is_list and row is not None:
        sockets = [row.key]
    else:
        sockets = ["*"]
    return plan_push(view.paths.api_root, sockets, text or "hello from noc-console")


class WriteFlow:
    """The writes in flight: the one asked for a value, the one shown for confirmation."""

    def __init__(self, config_path: str, *, read_only: bool = False) -> None:
        """``config_path``: the config file as hints show it (where ``allow_writes`` goes);
        ``read_only``: the console refuses every write, whatever the target allows."""
        self.config_path = config_path
        self.read_only = read_only
        self.pending_edit: Edit | None = None  # asked for a value, not planned yet
        self.pending_write: Send | None = None  # shown for confirmation, not sent yet

    def plan(self, view: TargetView, build: Callable[[], WriteRequest]) -> Effects:
        """Build the request; refuse it on a read-only target, else have it confirmed."""
        try:
            request = build()
        except WriteNotPossible as exc:
            return [Notify(str(exc), severity="error", timeout=6)]
        if self.read_only:
            notice = (
                "This console is read-only: it sends no writes to any target "
                "(a browser tab of `noc-console serve` without --allow-writes)."
            )
            return [Notify(notice, title="Read-only", severity="warning", timeout=8)]
        if not view.target.allow_writes:
            notice = (
                f"{view.name} is read-only. To allow writes, set allow_writes = true "
                f"for it in {self.config_path}."
            )
            return [Notify(notice, title="Read-only", severity="warning", timeout=8)]
        self.pending_write = Send(view.name, request)
        return [Confirm(view.name, request)]

    def edit(self, view: TargetView | None, row: Row | None) -> Effects:
        """Ask for a new value of the attribute on the row; ``edited`` takes the answer."""
        found = edit_of(view, row)
        if isinstance(found, Notify):
            return [found]
        self.pending_edit = found
        return [Prompt(f"New value for {found.name} on {found.location}", found.old)]

    def edited(self, value: str | None) -> Effects:
        """The value prompt closed (None: cancelled); an unchanged value sends nothing."""
        edit, self.pending_edit = self.pending_edit, None
        if edit is None or value is None or value == edit.old:
            return []
        return self.plan(edit.view, lambda: modify_request(edit.view, edit, value))

    def answer(self, send: bool | None) -> Effects:
        """The confirmation closed: send the pending write, or say it was not."""
        pending, self.pending_write = self.pending_write, None
        if pending is None:
            return []
        return [pending] if send else [Notify("Not sent.", timeout=2)]

    @staticmethod
    def written(
        view: TargetView, request: WriteRequest, fetched: Fetched, model: TableModel, *, shown: bool
    ) -> Effects:
        """The target answered: show the answer when its target is ``shown``, and say so."""
        effects: Effects = []
        if shown:
            view.fetched, view.model = fetched, model
            effects.append(ShowPage(keep_place=False))
        if fetched.ok:
            made = fetched.resource.href if fetched.status == 201 else ""
            where = f", created {made}" if made and made != request.location else ""
            notice = f"{request.summary}: done (HTTP {fetched.status}{where}). r reloads the page."
            return [*effects, Notify(notice, timeout=5)]
        code = fetched.failure or fetched.resource.http_code
        notice = f"{request.summary}: refused ({code}); see the errors on the page."
        return [*effects, Notify(notice, severity="error")]
