"""The ``[[icws]]`` sections: which CIC servers to log in to and what to subscribe to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal, Self

from pydantic import (
    Field,
    HttpUrl,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from tui.config.base import EnvVarName, Name, Section, TlsSettings

IcwsQueueType = Literal["workgroup", "user", "station", "system"]
# ICWS queueType enum on the wire (urn:inin.com:queues:queueType).
ICWS_QUEUE_TYPE_CODES: dict[str, int] = {"system": 0, "user": 1, "workgroup": 2, "station": 3}
# What a queue subscription asks for when the config names no attributes. Eic_State is always
# added: the state panel decodes it (A Alerting, C Connected, H Held...).
ICWS_DEFAULT_QUEUE_ATTRIBUTES: tuple[str, ...] = (
    "Eic_State",
    "Eic_ObjectType",
    "Eic_CallDirection",
    "Eic_RemoteName",
    "Eic_RemoteTn",
    "Eic_WorkgroupName",
    "Eic_UserName",
    "Eic_InitiationTime",
    "Eic_CallStateString",
)
# Shorthands for the statistic parameter types NOC statistics use most.
ICWS_STAT_PARAMETER_TYPES: dict[str, str] = {
    "workgroup": "ININ.People.WorkgroupStats:Workgroup",
    "user": "ININ.People.AgentStats:User",
    "interval": "ININ.Queue:Interval",
}

AttributeName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,79}$")]
IcwsText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def _casefold_duplicates(values: list[str]) -> list[str]:
    seen: set[str] = set()
    twice: list[str] = []
    for value in values:
        folded = value.casefold()
        if folded in seen and value not in twice:
            twice.append(value)
        seen.add(folded)
    return twice


def _with_eic_state(attributes: list[str]) -> list[str]:
    dupes = _casefold_duplicates(attributes)
    if dupes:
        raise ValueError(
            f"attribute names are case-insensitive in ICWS; listed twice: {', '.join(dupes)}"
        )
    if not any(a.casefold() == "eic_state" for a in attributes):
        attributes = ["Eic_State", *attributes]
    return attributes


class IcwsQueue(Section):
    """A queue to watch: ``{ type = "workgroup", name = "Support" }`` (+ optional attributes)."""

    type: IcwsQueueType = "workgroup"
    """workgroup, user, station or system."""
    name: IcwsText
    """The queue's name, e.g. ``Support``."""
    attributes: list[AttributeName] | None = None
    """The interaction attributes to watch on this queue (default: the server's
    ``queue_attributes``); ``Eic_State`` is always added."""

    @field_validator("attributes")
    @classmethod
    def _attributes(cls, attributes: list[str] | None) -> list[str] | None:
        return None if attributes is None else _with_eic_state(attributes)

    @property
    def type_code(self) -> int:
        return ICWS_QUEUE_TYPE_CODES[self.type]

    @property
    def label(self) -> str:
        return self.name if self.type == "workgroup" else f"{self.type}:{self.name}"


class IcwsStatistic(Section):
    """A statistic value to watch, e.g. ``{ id = "inin.workgroup:InteractionsWaiting",
    workgroup = "Support" }``. ``parameters`` takes any other parameterTypeId = value."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.]*:[A-Za-z0-9_]+$")]
    """The statistic identifier, e.g. ``inin.workgroup:InteractionsWaiting``."""
    workgroup: IcwsText | None = None
    """Shorthand for the ``ININ.People.WorkgroupStats:Workgroup`` parameter."""
    user: IcwsText | None = None
    """Shorthand for the ``ININ.People.AgentStats:User`` parameter."""
    interval: IcwsText | None = None
    """Shorthand for the ``ININ.Queue:Interval`` parameter, e.g. ``CurrentShift``."""
    parameters: dict[str, IcwsText] = Field(default_factory=dict)
    """Any other parameterTypeId = value."""

    @model_validator(mode="after")
    def _no_parameter_twice(self) -> Self:
        for short, type_id in ICWS_STAT_PARAMETER_TYPES.items():
            if getattr(self, short) is not None and type_id in self.parameters:
                raise ValueError(f"{short!r} and parameters[{type_id!r}] say the same thing")
        return self

    def parameter_items(self) -> list[tuple[str, str]]:
        """(parameterTypeId, value) pairs, shorthands first, in a stable order."""
        items = [
            (type_id, value)
            for short, type_id in ICWS_STAT_PARAMETER_TYPES.items()
            if (value := getattr(self, short)) is not None
        ]
        return items + sorted(self.parameters.items())


class IcwsServer(TlsSettings):
    """One ICWS (CIC / PureConnect) server the console logs in to.

    ``url`` is the server's base (``https://cic1:8019``), or a reverse proxy's base that has
    ``/icws/...`` below it. Each queue gets its own subscription, so every queue message says
    which queue it is about.
    """

    name: Name
    """The server's name in the header and the feed."""
    url: HttpUrl
    """The server's base, or a proxy's base with ``/icws/...`` below it."""
    user: IcwsText
    """The CIC user the console logs in as."""
    password_env: EnvVarName
    """The variable holding that user's password."""
    application_name: IcwsText = "noc-console"
    """Shown in CIC's session list."""
    language: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")] = (
        "en-us"
    )
    """The session's Accept-Language, fixed at login."""
    poll_interval_s: float = Field(1.0, ge=0.1, le=60)
    """Short polling's pace (one request in flight), when there are no server-sent events."""
    use_sse: bool = True
    """Read server-sent events when the server offers messaging version 2 or later."""
    request_timeout_s: float = Field(30.0, ge=1, le=300)
    """How long one request may take."""
    reconnect_initial_s: float = Field(1.0, ge=0.01, le=60)
    """The first wait, with jitter, while the server is down..."""
    reconnect_max_s: float = Field(60.0, ge=0.05, le=900)
    """...doubling up to this."""
    keep_session_s: float = Field(120.0, ge=1, le=3600)
    """How long reads may keep failing (5xx, timeouts, refused or reset connections, a hang)
    before the client gives its session up and logs in anew, trying the alternate hosts too.
    Until then it backs off and reads again on the same session, which still holds the
    messages queued meanwhile. The server's own word ends a session at once: 401, a session
    errorId, or a 503 switchover. 120 s rides out a hung or restarting server and stays within
    the 90-150 s a CIC client normally takes to follow a switchover to a host that died."""
    sse_keepalive_s: float = Field(15.0, ge=0.1, le=300)
    """How often the server is expected to send a keep-alive on the event stream when nothing
    else happens. ICWS does not announce it: the client starts from this value, then follows
    the pace of the keep-alives it sees. A stream silent for about twice the interval is taken
    for dead and reopened on the same session."""
    queue_attributes: list[AttributeName] = Field(
        default_factory=lambda: list(ICWS_DEFAULT_QUEUE_ATTRIBUTES), min_length=1
    )
    """The interaction attributes a queue subscription asks for when the queue names none
    (``Eic_State`` is always added)."""
    link_attribute: AttributeName | None = None
    """An interaction attribute that holds the WCS call's ``callId`` (for an incoming call, its
    SIP Call-ID; or a custom attribute your IVR sets), like sngrep's ``sip.xcid``: an
    interaction and the WCS call it names are linked by it, before any match of their phone
    numbers. Every queue subscription asks for it."""
    queues: list[IcwsQueue] = Field(default_factory=list)
    """Queues to watch, each on its own subscription."""
    user_statuses: list[IcwsText] = Field(default_factory=list)
    """Users whose status to watch."""
    status_messages: bool = True
    """Subscribe to the status catalogue (texts, Do Not Disturb flags)."""
    statistics: list[IcwsStatistic] = Field(default_factory=list)
    """Statistic values to watch."""
    alert_notifications: bool = False
    """Subscribe to the alerts configured on the CIC server."""

    @field_validator("queue_attributes")
    @classmethod
    def _queue_attributes(cls, attributes: list[str]) -> list[str]:
        return _with_eic_state(attributes)

    @field_validator("user_statuses")
    @classmethod
    def _users_once(cls, users: list[str]) -> list[str]:
        dupes = _casefold_duplicates(users)
        if dupes:
            raise ValueError(f"user ids are case-insensitive; listed twice: {', '.join(dupes)}")
        return users

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        labels = [f"{q.type}:{q.name}" for q in self.queues]
        dupes = _casefold_duplicates(labels)
        if dupes:
            raise ValueError(f"queue listed twice: {', '.join(dupes)}")
        keys = [f"{s.id}|{s.parameter_items()}" for s in self.statistics]
        if len(set(keys)) != len(keys):
            raise ValueError("the same statistic (id and parameters) is listed twice")
        if self.reconnect_max_s < self.reconnect_initial_s:
            raise ValueError(
                f"reconnect_max_s ({self.reconnect_max_s}) is below reconnect_initial_s "
                f"({self.reconnect_initial_s})"
            )
        if self.url.scheme == "http" and not self.verify_tls:
            raise ValueError("verify_tls = false only makes sense for an https:// url")
        return self

    @property
    def base_url(self) -> str:
        """The url without a trailing slash: ``/icws/...`` paths are appended to it."""
        return str(self.url).rstrip("/")

    def attributes_for(self, queue: IcwsQueue) -> list[str]:
        names = queue.attributes if queue.attributes is not None else self.queue_attributes
        link = self.link_attribute
        if link and not any(name.casefold() == link.casefold() for name in names):
            names = [*names, link]
        return names

    @property
    def subscribes_to_something(self) -> bool:
        return bool(
            self.queues
            or self.user_statuses
            or self.statistics
            or self.status_messages
            or self.alert_notifications
        )


_ICWS_FLAGS = {
    "url": "--icws",
    "user": "--icws-user",
    "password_env": "--icws-password-env",
    "queues": "--icws-queue",
    "user_statuses": "--icws-user-status",
}


def icws_server_from_flags(
    url: str,
    user: str,
    password_env: str,
    *,
    queues: Sequence[str] = (),
    user_statuses: Sequence[str] = (),
    use_sse: bool = True,
) -> IcwsServer:
    """The ``[[icws]]`` entry that ``tail --icws URL --icws-user USER --icws-password-env VAR
    [--icws-queue workgroup:NAME]... [--icws-user-status USER]...`` stands for.

    A queue is ``TYPE:NAME`` (workgroup, user, station, system) or a bare workgroup name.
    Raises ValueError with a message that names the flag at fault.
    """
    parsed: list[dict[str, str]] = []
    for spec in queues:
        kind, colon, name = spec.partition(":")
        if not colon:
            kind, name = "workgroup", spec
        if kind not in ICWS_QUEUE_TYPE_CODES:
            raise ValueError(
                f"--icws-queue {spec!r}: the type must be workgroup, user, station or system "
                "(e.g. workgroup:Support)"
            )
        parsed.append({"type": kind, "name": name})
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    name = host[:40] if host and host[0].isalnum() else "icws"
    try:
        return IcwsServer.model_validate(
            {
                "name": "".join(c if c.isalnum() or c in "_.-" else "-" for c in name),
                "url": url,
                "user": user,
                "password_env": password_env,
                "use_sse": use_sse,
                "queues": parsed,
                "user_statuses": list(user_statuses),
            }
        )
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = error["loc"]
        flag = _ICWS_FLAGS.get(str(loc[0]), "--icws") if loc else "--icws"
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        raise ValueError(f"{flag}: {message}") from None
