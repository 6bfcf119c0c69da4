"""The browser's writes: delete, edit a value, SBC actions, create, MWS push.

Every write goes the same way: build the exact request (:mod:`tui.core.resource_writes`),
refuse at once if the target is read-only, show the request in :class:`ConfirmWrite`, and only
on "Send" hand it to the client. The answer (success, or the app error with its links) is
shown in the table like any page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from typing import cast

from textual.notifications import SeverityLevel
from textual.worker import Worker

from tui.core.resource_writes import (
    WriteNotPossible,
    WriteRequest,
    parse_assignments,
    plan_action,
    plan_create,
    plan_delete,
    plan_modify,
    plan_push,
)
from tui.net.rest_client import Fetched, WritesDisabled
from tui.ui.models.browser.rows import DIVIDER, ENTRY, ERROR, RUNTIME, TableModel, model_for
from tui.ui.models.browser.target_view import TargetView
from tui.ui.screens.base import NocScreen
from tui.ui.text import display_path
from tui.ui.widgets.browser.dialogs import ConfirmWrite, ValuePrompt
from tui.ui.widgets.browser.resource_table import ResourceTable


class BrowserWrites(NocScreen):
    """Write actions of :class:`~tui.ui.screens.browser.BrowserScreen` (kept apart for size)."""

    active: TargetView | None

    @property
    def table(self) -> ResourceTable:
        raise NotImplementedError

    def _show(
        self, view: TargetView, fetched: Fetched, model: TableModel, *, keep_place: bool
    ) -> None:
        raise NotImplementedError

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications here quote paths, values and server text: never read them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def start_job(
        self, job: Callable[[], Awaitable[None]], group: str, *, exclusive: bool = True
    ) -> Worker[None]:
        """Run ``job`` as a worker; a job cancelled before it starts never creates its coroutine."""
        work = cast("Callable[[], Coroutine[None, None, None]]", job)
        return self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)

    # -- the common path --------------------------------------------------------------------

    def confirm_and_send(self, request: WriteRequest) -> None:
        view = self.active
        if view is None:
            return
        if not view.target.allow_writes:
            path = display_path(self.context.config_path)
            self.notify(
                f"{view.name} is read-only. To allow writes, set allow_writes = true "
                f"for it in {path}.",
                title="Read-only",
                severity="warning",
                timeout=8,
            )
            return
        text = view.client.describe(request)

        def answered(send: bool | None) -> None:
            if send:
                self.start_job(partial(self._send, view, request), "write", exclusive=False)
            else:
                self.notify("Not sent.", timeout=2)

        self.app.push_screen(ConfirmWrite(view.name, request.summary, text), answered)

    async def _send(self, view: TargetView, request: WriteRequest) -> None:
        try:
            fetched = await view.client.write(request)
        except WritesDisabled as exc:
            self.notify(str(exc), severity="warning")
            return
        if view is self.active:
            self._show(view, fetched, model_for(fetched.resource), keep_place=False)
        if fetched.ok:
            self.notify(
                f"{request.summary}: done (HTTP {fetched.status}). r reloads the page.", timeout=5
            )
        else:
            code = fetched.failure or fetched.resource.http_code
            self.notify(
                f"{request.summary}: refused ({code}); see the errors on the page.",
                severity="error",
            )

    def _plan(self, build: Callable[[], WriteRequest]) -> None:
        """Run a planner and send its request, turning a WriteNotPossible into a notice."""
        try:
            request = build()
        except WriteNotPossible as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        self.confirm_and_send(request)

    # -- the writes -------------------------------------------------------------------------

    def _subject(self) -> tuple[str, str]:
        """What a delete applies to: the row's resource on a list, else the page's."""
        view = self.active
        assert view is not None
        resource = view.fetched.resource if view.fetched else None
        row = self.table.current_row
        if resource is not None and resource.is_list and row is not None and row.href:
            return view.paths.from_href(row.href, view.location), f"{resource.name} {row.key}"
        label = f"{resource.name} {resource.id}".strip() if resource is not None else ""
        return view.location, label

    def action_delete(self) -> None:
        view = self.active
        if view is None:
            return
        location, label = self._subject()
        self._plan(lambda: plan_delete(view.kind, location, label))

    def action_edit(self) -> None:
        view = self.active
        row = self.table.current_row
        resource = view.fetched.resource if view and view.fetched else None
        if view is None or resource is None or resource.shape != "resource":
            self.notify("Open a resource to edit one of its attributes.", timeout=3)
            return
        if row is None or row.kind in (DIVIDER, ENTRY, ERROR) or len(row.cells) != 4:
            self.notify("Put the cursor on an attribute to edit it.", timeout=3)
            return
        if row.kind == RUNTIME:
            self.notify("Runtime and statistics values come from the box; they cannot be set.")
            return
        name = row.key

        def edited(value: str | None) -> None:
            if value is not None and value != row.value:
                self._plan(
                    lambda: plan_modify(view.kind, view.location, resource.name, {name: value})
                )

        self.app.push_screen(
            ValuePrompt(f"New value for {name} on {view.location}", row.value), edited
        )

    def run_write_command(self, name: str, argument: str) -> None:
        view = self.active
        if view is None:
            return
        resource = view.fetched.resource if view.fetched else None
        resource_name = resource.name if resource is not None else ""
        if name == "set":
            self._plan(
                lambda: plan_modify(
                    view.kind, view.location, resource_name, parse_assignments(argument)
                )
            )
        elif name == "action":
            self._plan(lambda: plan_action(view.kind, view.location, argument.strip()))
        elif name == "create":
            self._plan(lambda: self._create_request(view, argument))
        elif name == "push":
            self._plan(lambda: self._push_request(view, argument))

    def _create_request(self, view: TargetView, argument: str) -> WriteRequest:
        fields = parse_assignments(argument)
        location = view.location
        if view.kind == "sbc":  # PUT at the new resource's own id
            new_id = fields.pop("id", "")
            if new_id:
                location = f"{location.split('?')[0].rstrip('/')}/{new_id}"
        return plan_create(view.kind, location, fields)

    def _push_request(self, view: TargetView, text: str) -> WriteRequest:
        if view.kind != "mws":
            raise WriteNotPossible(":push sends an MWS message; switch to an MWS target")
        resource = view.fetched.resource if view.fetched else None
        row = self.table.current_row
        if resource is not None and resource.shape == "resource" and resource.name == "sockets":
            sockets = [resource.id]
        elif resource is not None and resource.is_list and row is not None:
            sockets = [row.key]
        else:
            sockets = ["*"]
        return plan_push(view.paths.api_root, sockets, text or "hello from noc-console")
