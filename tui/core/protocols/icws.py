"""ICWS messages → FeedEvents.

One message may stand for many things (a queue snapshot lists every interaction in the queue,
a user-status message every user that changed), and the operator filters the feed by
interaction, queue and user. So a message gives one event per item it carries, each with a
raw slice: the message's own fields plus that one item, as compact JSON, for the journal.
A queue snapshot (``isDelta: false``) also gives a summary event, because "the view was
replaced" matters even when the queue is empty. Every message gives at least one event;
unknown types and things that are not messages are kept, explained, with their raw.

Field use (``tui.core.feed._icws_json`` prints them for ``noc-console tail``): ``node`` server
name, ``method`` the ``__type`` without ``urn:inin.com:``, ``kind`` the message class
(``queueContents``…), ``app`` the subscription, ``call`` the interaction, ``queue``, ``user``,
``status``, ``info``, ``error_id``, ``FLAG_DELTA`` when ``isDelta`` is true. Every text field
is one clean line (:mod:`tui.core.sanitize`); the raw slice is exact JSON with unsafe characters
escaped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from tui.core.feed import (
    BLANK_FIELDS,
    FLAG_DELTA,
    SEV_ERROR,
    SEV_NOTICE,
    SEV_OK,
    SEV_WARNING,
    SOURCE_ICWS,
    FeedEvent,
    StringPool,
)
from tui.core.protocols.icws_wire import (
    CONNECTION_STATES,
    SUBSCRIPTION_STATES,
    T_ALERT_NOTIFICATION,
    T_ASYNC_COMPLETED,
    T_CONNECTION_STATE,
    T_ERROR,
    T_INTERACTION_CHANGED,
    T_QUEUE_CONTENTS,
    T_QUEUE_SUBSCRIPTION_STATE,
    T_STATISTIC_VALUE,
    T_STATUS_MESSAGES,
    T_SUBSCRIPTION_STATE,
    T_USER_STATUS,
    casefolded,
    decode_eic_state,
    format_statistic_value,
    kind_of,
    parameter_value,
    parse_icws_time,
    short_type,
    statistic_key_text,
)
from tui.core.sanitize import clean_line, escape_json, text_of

# Subscriptions without an id are one per session; the feed names them by their resource.
SUB_USER_STATUSES = "user-statuses"
SUB_STATUS_MESSAGES = "status-messages"
SUB_STATISTICS = "statistic-values"
SUB_ALERTS = "alert-notifications"

Emitted = tuple[FeedEvent, bytes]


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)


def _raw(value: Any) -> bytes:
    """The raw slice as JSON, exact: unsafe characters (a lone surrogate too) are escaped."""
    try:
        return escape_json(_ENCODER.encode(value)).encode()
    except (ValueError, RecursionError):
        return repr(value).encode("utf-8", "replace")[:65536]


def _envelope(message: Mapping[str, Any], *lists: str) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k not in lists}


def _clock_text(stamp: float | None) -> str:
    return time.strftime("%H:%M:%SZ", time.gmtime(stamp)) if stamp is not None else ""


def looks_do_not_disturb(status_id: str) -> bool:
    """Without the status catalogue, ICWS's usual "Do Not Disturb" id is the best guess."""
    return "do not disturb" in status_id.casefold()


class IcwsNormaliser:
    """Turns the messages of one ICWS server into FeedEvents with their raw slices.

    ``queue_labels`` maps a queue subscription id to the queue it watches (the client
    subscribes one queue per subscription): queue messages do not name their queue.
    """

    def __init__(
        self,
        server: str,
        *,
        clock: Callable[[], float] = time.time,
        pool: StringPool | None = None,
        link_attribute: str = "",
    ) -> None:
        """``link_attribute``: the interaction attribute holding the WCS call's callId (put in
        the event's ``session``, which ICWS interactions have no other use for)."""
        self.server = server
        self.link_attribute = link_attribute.casefold()
        self.clock = clock
        self.pool = pool or StringPool()
        self.queue_labels: dict[str, str] = {}
        self._handlers: dict[str, Callable[[Mapping[str, Any], dict[str, Any]], list[Emitted]]] = {
            T_QUEUE_CONTENTS: self._queue_contents,
            T_USER_STATUS: self._user_status,
            T_STATISTIC_VALUE: self._statistics,
            T_ALERT_NOTIFICATION: self._alerts,
            T_STATUS_MESSAGES: self._status_messages,
            T_QUEUE_SUBSCRIPTION_STATE: self._subscription_state,
            T_SUBSCRIPTION_STATE: self._subscription_state,
            T_CONNECTION_STATE: self._connection_state,
            T_ASYNC_COMPLETED: self._async_completed,
            T_INTERACTION_CHANGED: self._interaction_changed,
            T_ERROR: self._error,
        }

    # -- entry point --------------------------------------------------------------------

    def normalise(self, message: Any) -> list[Emitted]:
        """Events for one message, never raising: bad input becomes an explained event."""
        base = {"ts": self.clock(), "source": SOURCE_ICWS, "node": self.server}
        if not isinstance(message, Mapping):
            return [self._invalid(base, message, f"not a message object: {type(message).__name__}")]
        type_urn = message.get("__type")
        if not isinstance(type_urn, str) or not type_urn.strip():
            return [self._invalid(base, message, "message without a __type")]
        type_urn = clean_line(type_urn, 160)
        pool = self.pool
        base["method"] = pool(short_type(type_urn))
        base["kind"] = pool(kind_of(type_urn))
        if message.get("isDelta") is True:
            base["flags"] = FLAG_DELTA
        handler = self._handlers.get(type_urn)
        if handler is None:
            return [self._unknown(base, message)]
        try:
            events = handler(message, base)
        except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
            problem = f"could not decode {base['method']}: {clean_line(str(exc), 120)}"
            return [self._invalid(base, message, problem)]
        if events:
            return events
        app, noun = _EMPTY.get(type_urn, ("", "items"))
        app = self._subscription(message, app)
        if message.get("isDelta") is True:
            return [self._event(base, message, app=app, status="empty", info=f"no {noun} in it")]
        return [
            self._event(base, message, app=app, status="snapshot", info=f"no {noun} at present")
        ]

    # -- helpers ------------------------------------------------------------------------

    def _event(self, base: dict[str, Any], raw: Any, **fields: Any) -> Emitted:
        values = {**_BLANK, **base, **fields}
        for name, value in values.items():  # the fields were cleaned as read; this is the
            if value.__class__ is str and not value.isprintable():  # model's own guarantee
                values[name] = clean_line(value)
        pool = self.pool
        for name in ("status", "queue", "user", "app"):
            if values[name]:
                values[name] = pool(values[name])
        return FeedEvent(**values), _raw(raw)

    def _link_key(self, attrs: Mapping[str, Any]) -> str:
        if not self.link_attribute:
            return ""
        value = attrs.get(self.link_attribute, "")
        return clean_line(value, 200) if isinstance(value, str) else ""

    def _invalid(self, base: dict[str, Any], message: Any, problem: str) -> Emitted:
        fields = {**base, "kind": "invalid", "method": base.get("method", "")}
        fields.pop("flags", None)
        return self._event(fields, message, status="invalid", info=problem, severity=SEV_WARNING)

    def _unknown(self, base: dict[str, Any], message: Mapping[str, Any]) -> Emitted:
        sub = text_of(message.get("subscriptionId"), 120)
        keys = ", ".join(sorted(str(k) for k in message if k not in ("__type", "isDelta")))
        info = f"not decoded by the console; fields: {clean_line(keys, 160) or '-'}"
        return self._event(
            base, message, app=sub, status="undecoded", info=info, severity=SEV_NOTICE
        )

    def _subscription(self, message: Mapping[str, Any], default: str) -> str:
        sub = message.get("subscriptionId")
        return text_of(sub, 120) if sub is not None else default

    # -- queues -------------------------------------------------------------------------

    def _queue_contents(self, message: Mapping[str, Any], base: dict[str, Any]) -> list[Emitted]:
        sub = self._subscription(message, "")
        queue = self.queue_labels.get(sub, "")
        envelope = _envelope(
            message, "interactionsAdded", "interactionsChanged", "interactionsRemoved"
        )
        added = _list(message.get("interactionsAdded"))
        changed = _list(message.get("interactionsChanged"))
        removed = _list(message.get("interactionsRemoved"))
        out: list[Emitted] = []
        is_delta = message.get("isDelta") is True
        if not is_delta:
            out.append(
                self._event(
                    base,
                    envelope,
                    app=sub,
                    queue=queue,
                    status="snapshot",
                    info=f"{len(added)} interactions; replaces this subscription's view",
                )
            )
        if message.get("queueResultLimitExceeded") is True:
            out.append(
                self._event(
                    base,
                    envelope,
                    app=sub,
                    queue=queue,
                    status="limit exceeded",
                    info="the server capped the queue's result list: the view is incomplete",
                    severity=SEV_WARNING,
                )
            )
        for verb, items in (("added", added), ("changed", changed)):
            for item in items:
                raw = envelope | {f"interactions{verb.title()}": [item]}
                out.append(self._interaction(base, raw, sub, queue, verb, item))
        for item in removed:
            interaction = text_of(item, 64)
            raw = envelope | {"interactionsRemoved": [item]}
            out.append(
                self._event(
                    base,
                    raw,
                    app=sub,
                    queue=queue,
                    call=interaction,
                    status="Removed",
                    info="removed from the queue",
                )
            )
        return out

    def _interaction(
        self,
        base: dict[str, Any],
        raw: Mapping[str, Any],
        sub: str,
        queue: str,
        verb: str,
        item: object,
    ) -> Emitted:
        if not isinstance(item, Mapping):
            return self._event(
                base,
                raw,
                kind="invalid",
                app=sub,
                queue=queue,
                status="invalid",
                info=f"interaction entry is not an object: {text_of(item, 60)}",
                severity=SEV_WARNING,
            )
        interaction = text_of(item.get("interactionId"), 64)
        attrs = casefolded(item.get("attributes"))
        letter, state = decode_eic_state(attrs.get("eic_state"))
        workgroup = clean_line(attrs.get("eic_workgroupname", ""), 80)
        parts = [verb]
        if state:
            parts.append(state)
        remote = clean_line(attrs.get("eic_remotename", ""), 60)
        number = clean_line(attrs.get("eic_remotetn", "") or attrs.get("eic_remoteaddress", ""), 40)
        if remote or number:
            parts.append(f"{remote} <{number}>" if remote and number else remote or number)
        media = clean_line(attrs.get("eic_objecttype", ""), 20)
        direction = attrs.get("eic_calldirection", "")
        if media or direction:
            way = {"I": "in", "O": "out"}.get(direction.upper(), clean_line(direction, 8))
            parts.append(" ".join(p for p in (media, way) if p))
        if verb == "changed" and not state:
            names = ", ".join(sorted(attrs)) or "nothing"
            parts.append(f"attributes: {clean_line(names, 120)}")
        if not interaction:
            return self._event(
                base,
                raw,
                app=sub,
                queue=workgroup or queue,
                status="invalid",
                info="interaction without an interactionId",
                severity=SEV_WARNING,
            )
        return self._event(
            base,
            raw,
            app=sub,
            queue=workgroup or queue,
            call=interaction,
            # The remote party's number, on the side it is on: what links an interaction to the
            # WCS call it met (the correlator compares the last digits).
            caller=number if direction.upper() != "O" else "",
            callee=number if direction.upper() == "O" else "",
            session=self._link_key(attrs),
            user=clean_line(attrs.get("eic_username", ""), 80),
            status=state if letter != "?" else "unknown",
            info=" · ".join(parts),
            severity=SEV_NOTICE if letter == "?" else SEV_OK,
        )

    def _entries(
        self,
        message: Mapping[str, Any],
        key: str,
        base: dict[str, Any],
        what: str,
        out: list[Emitted],
    ) -> Iterator[tuple[Mapping[str, Any], dict[str, Any]]]:
        """Each object of the list ``key`` with its own raw message (the envelope and that one
        entry); an entry that is not an object becomes an explained event in ``out``."""
        envelope = _envelope(message, key)
        for item in _list(message.get(key)):
            raw = envelope | {key: [item]}
            if isinstance(item, Mapping):
                yield item, raw
            else:
                out.append(self._invalid(base, raw, f"{what} is not an object"))

    # -- status -------------------------------------------------------------------------

    def _user_status(self, message: Mapping[str, Any], base: dict[str, Any]) -> list[Emitted]:
        out: list[Emitted] = []
        for item, raw in self._entries(message, "userStatusList", base, "userStatus entry", out):
            user = text_of(item.get("userId"), 80)
            status = text_of(item.get("statusId"), 80)
            parts: list[str] = []
            if "loggedIn" in item:
                parts.append("logged in" if item.get("loggedIn") is True else "logged out")
            if item.get("onPhone") is True:
                parts.append("on phone")
            since = _clock_text(parse_icws_time(item.get("statusChanged")))
            if since:
                parts.append(f"since {since}")
            notes = text_of(item.get("notes"), 80)
            if notes:
                parts.append(f"notes: {notes}")
            away = item.get("loggedIn") is False or looks_do_not_disturb(status)
            out.append(
                self._event(
                    base,
                    raw,
                    app=SUB_USER_STATUSES,
                    user=user,
                    status=status,
                    info=" · ".join(parts),
                    severity=SEV_NOTICE if away else SEV_OK,
                )
            )
        return out

    def _status_messages(self, message: Mapping[str, Any], base: dict[str, Any]) -> list[Emitted]:
        counts = [
            f"{len(_list(message.get(key)))} {word}"
            for key, word in (
                ("statusMessagesAdded", "added"),
                ("statusMessagesChanged", "changed"),
                ("statusMessagesRemoved", "removed"),
            )
        ]
        status = "delta" if message.get("isDelta") is True else "snapshot"
        info = f"status catalogue: {', '.join(counts)}"
        return [self._event(base, message, app=SUB_STATUS_MESSAGES, status=status, info=info)]

    # -- statistics and alerts ----------------------------------------------------------

    def _statistics(self, message: Mapping[str, Any], base: dict[str, Any]) -> list[Emitted]:
        out: list[Emitted] = []
        changes = self._entries(message, "statisticValueChanges", base, "statistic change", out)
        for item, raw in changes:
            identifier, params = statistic_key_text(item.get("statisticKey"))
            value, failed = format_statistic_value(item.get("statisticValue"))
            where = ", ".join(v for _, v in params)
            label = f"{identifier} [{where}]" if where else identifier
            out.append(
                self._event(
                    base,
                    raw,
                    app=SUB_STATISTICS,
                    queue=parameter_value(params, ":Workgroup"),
                    user=parameter_value(params, ":User"),
                    status=value,
                    info=f"{label} = {value}",
                    severity=SEV_WARNING if failed else SEV_OK,
                )
            )
        return out

    def _alerts(self, message: Mapping[str, Any], base: dict[str, Any]) -> list[Emitted]:
        out: list[Emitted] = []
        alerts = self._entries(message, "alertNotificationList", base, "alert notification", out)
        for item, raw in alerts:
            cleared = item.get("cleared") is True
            identifier, params = statistic_key_text(item.get("statisticKey"))
            value, _ = format_statistic_value(item.get("statisticValue"))
            definition = text_of(item.get("alertDefinitionId"), 80)
            rule = text_of(item.get("alertRuleId"), 80)
            where = ", ".join(v for _, v in params)
            info = f"alert {definition} rule {rule}"
            if identifier:
                info += f": {identifier}" + (f" [{where}]" if where else "") + f" = {value}"
            out.append(
                self._event(
                    base,
                    raw,
                    app=SUB_ALERTS,
                    queue=parameter_value(params, ":Workgroup"),
                    user=parameter_value(params, ":User"),
                    status="cleared" if cleared else "raised",
                    info=info,
                    severity=SEV_OK if cleared else SEV_WARNING,
                )
            )
        return out

    # -- connection, subscriptions, errors ----------------------------------------------

    def _connection_state(self, message: Mapping[str, Any], base: dict[str, Any]) -> list[Emitted]:
        new = _enum_name(message.get("newConnectionState"), CONNECTION_STATES)
        old = _enum_name(message.get("previousConnectionState"), CONNECTION_STATES)
        info = f"{old} → {new}"
        reason = text_of(message.get("reason"), 200)
        if reason:
            info += f": {reason}"
        if message.get("shouldReconnect") is True:
            info += " (server says: reconnect)"
        severity = SEV_ERROR if new == "down" else SEV_OK
        return [self._event(base, message, status=new, info=info, severity=severity)]

    def _subscription_state(
        self, message: Mapping[str, Any], base: dict[str, Any]
    ) -> list[Emitted]:
        state = _enum_name(message.get("state"), SUBSCRIPTION_STATES)
        error = message.get("error")
        error_id, text = _error_fields(error)
        severity = {"normal": SEV_OK, "suspended": SEV_WARNING, "faulted": SEV_ERROR}.get(
            state, SEV_NOTICE
        )
        info = f"subscription {state}" + (f": {text}" if text else "")
        return [
            self._event(
                base,
                message,
                app=self._subscription(message, ""),
                status=state,
                info=info,
                error_id=error_id,
                severity=severity,
            )
        ]

    def _async_completed(self, message: Mapping[str, Any], base: dict[str, Any]) -> list[Emitted]:
        error_id, text = _error_fields(message.get("error"))
        failed = bool(error_id or text)
        request = text_of(message.get("requestId"), 80)
        info = f"request {request} " + (f"failed: {text}" if failed else "completed")
        return [
            self._event(
                base,
                message,
                status="failed" if failed else "completed",
                info=info,
                error_id=error_id,
                severity=SEV_ERROR if failed else SEV_OK,
            )
        ]

    def _interaction_changed(
        self, message: Mapping[str, Any], base: dict[str, Any]
    ) -> list[Emitted]:
        interaction = text_of(message.get("interactionID", message.get("interactionId")), 64)
        attrs = casefolded(message.get("attributes"))
        _, state = decode_eic_state(attrs.get("eic_state"))
        names = clean_line(", ".join(sorted(attrs)), 160)
        return [
            self._event(
                base,
                message,
                call=interaction,
                status=state,
                queue=clean_line(attrs.get("eic_workgroupname", ""), 80),
                user=clean_line(attrs.get("eic_username", ""), 80),
                info=f"changed: {names or '-'}",
            )
        ]

    def _error(self, message: Mapping[str, Any], base: dict[str, Any]) -> list[Emitted]:
        error_id, text = _error_fields(message)
        return [
            self._event(
                base,
                message,
                status="error",
                info=text or "error without a message",
                error_id=error_id,
                severity=SEV_ERROR,
            )
        ]


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _enum_name(value: object, names: tuple[str, ...]) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    return f"unknown ({text_of(value, 20)})"


def _error_fields(error: object) -> tuple[str, str]:
    if not isinstance(error, Mapping):
        return "", ""
    return text_of(error.get("errorId"), 160), text_of(error.get("message"), 300)


# What an item-less message of each type is about: (subscription, what it would have listed).
_EMPTY: dict[str, tuple[str, str]] = {
    T_USER_STATUS: (SUB_USER_STATUSES, "user statuses"),
    T_STATISTIC_VALUE: (SUB_STATISTICS, "statistic values"),
    T_ALERT_NOTIFICATION: (SUB_ALERTS, "alerts raised"),
}

_BLANK: dict[str, Any] = {**BLANK_FIELDS, "source": SOURCE_ICWS}
