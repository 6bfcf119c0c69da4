"""A Cisco Unity Express REST PI on loopback: Basic auth, XML documents, ``fields=``, PI-Version.

What it copies (docs/protocols.md §4): resources under ``/rest`` with URIs
published without it; each resource carries its ``uri``; collections; associations in the URI
(``/voicemail/groups/sales/users``); ``fields=a,b`` selection (``fields=%`` or empty: the uri
only; unknown names ignored); Basic credentials on every request, superuser required (401 /
403 with an XML error document); ``PI-Version`` on every response; POST creates (201 +
``location``), PUT updates only the fields sent, DELETE deletes. With ``https_url`` set, plain
HTTP requests are redirected there (:meth:`CueSimulator.redirector`).

The mailbox part of story 5 (docs/architecture.md §11.5) is built in: user ``eve`` of group
``sales`` has no mailbox, and creating a mailbox for an owner that already has one answers 409 with
an error document.
"""

from __future__ import annotations

import base64
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from tui.core.protocols.xml import XmlRefused, local_name, parse_device_xml
from tui.sim.asgi import Receive, Request, Scope, Send, read_request, reject_non_http, respond

XML = "application/xml"
PI_VERSION = "8.6.1"
NS = {
    "user": "http://user.model.rest.aesop.cisco.com",
    "group": "http://group.model.rest.aesop.cisco.com",
    "mailbox": "http://mailbox.model.rest.voicemail.aesop.cisco.com",
    "privilege": "http://privilege.model.rest.aesop.cisco.com",
}
Fields = dict[str, str | Callable[[float], str]]

_PEOPLE = (
    # userId, first, last, extension, groups, has a mailbox
    ("ann", "Ann", "Ambler", "2001", ("sales",), True),
    ("bob", "Bob", "Baird", "2002", ("sales",), True),
    ("eve", "Eve", "Ellis", "2003", ("sales",), False),
    ("carol", "Carol", "Cho", "2101", ("support",), True),
    ("dan", "Dan", "Dorsey", "2102", ("support",), True),
    ("frank", "Frank", "Fuller", "2201", ("noc",), True),
    ("grace", "Grace", "Gupta", "2202", ("noc",), True),
    ("heidi", "Heidi", "Holm", "2203", ("noc", "support"), True),
    ("cueadmin", "CUE", "Administrator", "2999", ("administrators",), False),
)
_GROUPS = {
    "sales": ("Sales team", ("ann",), True),
    "support": ("Customer support", ("carol",), True),
    "noc": ("Network operations", ("frank",), False),
    "administrators": ("System administrators", ("cueadmin",), False),
}
_PRIVILEGES = {
    "superuser": ("Full system access", ("system.read", "system.write")),
    "ManagePrompts": ("Record and upload prompts", ("prompt.read", "prompt.write")),
    "ManagePublicLists": ("Edit public distribution lists", ("list.read", "list.write")),
    "ViewHistoricalReports": ("Read call and mailbox reports", ("report.read",)),
}


@dataclass
class Group:
    """A CUE group: its members and owners are user ids."""

    description: str
    owners: list[str]
    members: list[str]


def _doc(tag: str, ns: str, uri: str, fields: Fields, t: float, only: set[str] | None) -> str:
    parts = [f'<{tag} xmlns="{ns}"><uri>{escape(uri)}</uri>']
    for name, value in fields.items():
        if only is not None and name not in only:
            continue
        text = value(t) if callable(value) else value
        parts.append(f"<{name}>{escape(text)}</{name}>" if not text.startswith("<") else text)
    parts.append(f"</{tag}>")
    return "".join(parts)


def error_document(code: str, message: str, **details: str) -> bytes:
    extra = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in details.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<error><code>{code}</code><message>{escape(message)}</message>{extra}</error>"
    ).encode()


class CueSimulator:
    """The ASGI app for one CUE module."""

    def __init__(
        self,
        *,
        seed: int = 4,
        clock: Callable[[], float] = time.monotonic,
        superuser: str = "cueadmin",
        password: str = "",
        plain_user: tuple[str, str] = ("helpdesk", "helpdesk"),
    ) -> None:
        self.rng = random.Random(seed)
        self.clock = clock
        self.started = clock()
        self.accounts = {superuser: (password, True), plain_user[0]: (plain_user[1], False)}
        self.users: dict[str, Fields] = {}
        self.groups: dict[str, Group] = {}
        self.mailboxes: dict[str, Fields] = {}
        self.requests: list[tuple[str, str, str]] = []  # (method, path?query, Authorization)
        self._build()

    # -- data -------------------------------------------------------------------------------

    def _build(self) -> None:
        for user_id, first, last, ext, _groups, has_mailbox in _PEOPLE:
            self.users[user_id] = {
                "userId": user_id,
                "firstName": first,
                "lastName": last,
                "displayName": f"{first} {last}",
                "nickName": first.lower(),
                "phoneNumber": ext,
                "phoneNumberE164": f"4085552{ext[1:]}",
                "language": "en_US",
            }
            if has_mailbox:
                self._add_mailbox(user_id, personal=True)
        for group_id, (description, owners, general_delivery) in _GROUPS.items():
            members = [p[0] for p in _PEOPLE if group_id in p[4]]
            self.groups[group_id] = Group(description, list(owners), members)
            if general_delivery:
                self._add_mailbox(group_id, personal=False)

    def _add_mailbox(self, owner: str, *, personal: bool, description: str = "") -> None:
        base_messages = self.rng.randint(0, 30)
        period = 20.0 + self.rng.random() * 20

        def messages(t: float, base: int = base_messages, period: float = period) -> str:
            return str(base + int(t // period))

        def new_messages(t: float, base: int = base_messages, period: float = period) -> str:
            return str(max(0, round(3 + 3 * math.sin(t / period))))

        kind = "Personal" if personal else "General delivery"
        self.mailboxes[owner] = {
            "ownerId": owner,
            "ownerUri": f"/voicemail/{'users' if personal else 'groups'}/{owner}",
            "description": description or f"{kind} mailbox of {owner}",
            "enabled": "true",
            "announcementOnly": "false",
            "faxEnabled": "false",
            "mailboxSize": str(self.rng.choice((1200, 1800, 3600))),
            "messageExpiry": "30",
            "messageSize": "300",
            "playTutorial": "false" if personal else "true",
            "secureMsgIncoming": "false",
            "secureMsgOutgoing": "global",
            "messageCount": messages,
            "newMessageCount": new_messages,
        }

    def _user_fields(self, user_id: str) -> Fields:
        fields = dict(self.users[user_id])
        if user_id in self.mailboxes:
            fields["mailboxUri"] = f"/voicemail/mailboxes/{user_id}"
        groups = [g for g, info in self.groups.items() if user_id in info.members]
        fields["groupIds"] = ",".join(groups)
        return fields

    def _group_fields(self, group_id: str) -> Fields:
        info = self.groups[group_id]
        fields: Fields = {
            "groupId": group_id,
            "description": info.description,
            "membersUri": f"/voicemail/groups/{group_id}/users",
            "ownersUri": f"/voicemail/groups/{group_id}/owners",
            "memberCount": str(len(info.members)),
        }
        if group_id in self.mailboxes:
            fields["mailboxUri"] = f"/voicemail/mailboxes/{group_id}"
        return fields

    @staticmethod
    def _privilege_fields(name: str) -> Fields:
        description, operations = _PRIVILEGES[name]
        ops = "".join(
            f"<operation><name>{escape(op)}</name>"
            f"<description>{escape(op.replace('.', ' '))}</description></operation>"
            for op in operations
        )
        return {
            "name": name,
            "description": description,
            "operations": f"<operations>{ops}</operations>",
        }

    # -- ASGI -------------------------------------------------------------------------------

    def redirector(self, https_url: str) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
        """An app that sends every plain-HTTP request to ``https_url`` (same path and query)."""

        async def redirect(scope: Scope, receive: Receive, send: Send) -> None:
            if reject_non_http(scope):
                return
            request = await read_request(scope, receive)
            query = f"?{request.raw_query}" if request.raw_query else ""
            await respond(
                send,
                302,
                b"",
                "text/plain",
                [
                    ("location", f"{https_url.rstrip('/')}{request.path}{query}"),
                    ("pi-version", PI_VERSION),
                ],
            )

        return redirect

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if reject_non_http(scope):
            return
        request = await read_request(scope, receive)
        query = f"?{request.raw_query}" if request.raw_query else ""
        self.requests.append(
            (request.method, request.path + query, request.headers.get("authorization", ""))
        )
        status, body, headers = self.handle(request)
        headers = [*headers, ("pi-version", PI_VERSION)]
        await respond(send, status, body, XML, headers)

    def _auth(self, request: Request) -> tuple[int, bytes, list[tuple[str, str]]] | None:
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except ValueError:
            user = password = ""
        account = self.accounts.get(user) if scheme.lower() == "basic" else None
        if account is None or account[0] != password:
            challenge = [("www-authenticate", 'Basic realm="CUE REST PI"')]
            return (
                401,
                error_document(
                    "4010",
                    "Authentication failed: send a superuser's name and password (HTTP Basic)",
                ),
                challenge,
            )
        if not account[1]:
            return (
                403,
                error_document(
                    "4030", f"User {user} does not have the superuser privilege", user=user
                ),
                [],
            )
        return None

    def handle(self, request: Request) -> tuple[int, bytes, list[tuple[str, str]]]:
        refused = self._auth(request)
        if refused is not None:
            return refused
        path = request.path.rstrip("/")
        if not path.startswith("/rest/"):
            return 404, error_document("4040", f"No resource at {path or '/'}", uri=path or "/"), []
        path = path[len("/rest") :]
        if request.method == "GET":
            return self._get(path, request)
        if request.method == "POST":
            return self._create(path, request)
        if request.method == "PUT":
            return self._update(path, request)
        if request.method == "DELETE":
            return self._delete(path)
        return 405, error_document("4050", f"Method {request.method} is not supported"), []

    # -- reads ------------------------------------------------------------------------------

    @staticmethod
    def _only(request: Request) -> set[str] | None:
        if "fields" not in request.query:
            return None
        wanted = request.query["fields"].strip()
        if wanted in ("", "%"):
            return set()
        return {name.strip() for name in wanted.split(",")}

    def _one(self, tag: str, uri: str, fields: Fields, request: Request) -> str:
        return _doc(tag, NS[tag], uri, fields, self.clock() - self.started, self._only(request))

    def _get(self, path: str, request: Request) -> tuple[int, bytes, list[tuple[str, str]]]:
        parts = [p for p in path.split("/") if p]
        found = self._find(parts)
        if found is None:
            if (
                parts[:2] == ["voicemail", "mailboxes"]
                and len(parts) == 3
                and parts[2] in self.users
            ):
                owner = parts[2]
                return (
                    404,
                    error_document("4041", f"User {owner} has no mailbox", ownerId=owner),
                    [],
                )
            return 404, error_document("4040", f"No resource at {path or '/'}", uri=path or "/"), []
        if isinstance(found, list):
            docs = [self._one(tag, uri, fields, request) for tag, uri, fields in found]
            head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<baseElementList>'
            return 200, (head + "".join(docs) + "</baseElementList>").encode(), []
        tag, uri, fields = found
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        return 200, (head + self._one(tag, uri, fields, request)).encode(), []

    def _users(self, ids: list[str]) -> list[tuple[str, str, Fields]]:
        return [
            ("user", f"/voicemail/users/{u}", self._user_fields(u)) for u in ids if u in self.users
        ]

    def _find(
        self, parts: list[str]
    ) -> list[tuple[str, str, Fields]] | tuple[str, str, Fields] | None:
        """What a GET path names: a list of (tag, uri, fields), one such triple, or nothing."""
        uri = "/" + "/".join(parts)
        if parts == ["voicemail", "users"]:
            return self._users(list(self.users))
        if parts[:2] == ["voicemail", "users"] and len(parts) == 3 and parts[2] in self.users:
            return "user", uri, self._user_fields(parts[2])
        if parts == ["voicemail", "groups"]:
            return [("group", f"/voicemail/groups/{g}", self._group_fields(g)) for g in self.groups]
        if (
            parts[:2] == ["voicemail", "groups"]
            and len(parts) in (3, 4)
            and parts[2] in self.groups
        ):
            if len(parts) == 3:
                return "group", uri, self._group_fields(parts[2])
            group = self.groups[parts[2]]
            if parts[3] == "users":
                return self._users(group.members)
            if parts[3] == "owners":
                return self._users(group.owners)
            return None
        if parts == ["voicemail", "mailboxes"]:
            return [("mailbox", f"/voicemail/mailboxes/{o}", f) for o, f in self.mailboxes.items()]
        if (
            parts[:2] == ["voicemail", "mailboxes"]
            and len(parts) == 3
            and parts[2] in self.mailboxes
        ):
            return "mailbox", uri, self.mailboxes[parts[2]]
        if parts == ["privileges"]:
            return [
                ("privilege", f"/privileges/{p}", self._privilege_fields(p)) for p in _PRIVILEGES
            ]
        if len(parts) == 2 and parts[0] == "privileges" and parts[1] in _PRIVILEGES:
            return "privilege", uri, self._privilege_fields(parts[1])
        return None

    # -- writes -----------------------------------------------------------------------------

    @staticmethod
    def _body_fields(request: Request) -> dict[str, str] | bytes:
        try:
            root, _ = parse_device_xml(request.body, max_bytes=64 * 1024)
        except XmlRefused as refused:
            return error_document("4000", f"The request body is not a valid document: {refused}")
        return {local_name(c.tag): (c.text or "").strip() for c in root if local_name(c.tag)}

    def _create(self, path: str, request: Request) -> tuple[int, bytes, list[tuple[str, str]]]:
        fields = self._body_fields(request)
        if isinstance(fields, bytes):
            return 400, fields, []
        if path == "/voicemail/mailboxes":
            owner = fields.get("ownerId", "")
            if not owner:
                return 400, error_document("4001", "ownerId is required", field="ownerId"), []
            if owner in self.mailboxes:
                return (
                    409,
                    error_document(
                        "4090",
                        f"A mailbox already exists for owner {owner}",
                        field="ownerId",
                        ownerId=owner,
                    ),
                    [],
                )
            if owner not in self.users and owner not in self.groups:
                return (
                    404,
                    error_document(
                        "4042", f"No user or group named {owner}", field="ownerId", ownerId=owner
                    ),
                    [],
                )
            self._add_mailbox(
                owner, personal=owner in self.users, description=fields.get("description", "")
            )
            return 201, b"", [("location", f"/voicemail/mailboxes/{owner}")]
        if path == "/voicemail/users":
            user_id = fields.get("userId", "")
            if not (2 <= len(user_id) <= 31 and user_id[:1].isalpha()):
                return (
                    400,
                    error_document(
                        "4002",
                        "userId must be 2-31 characters and start with a letter",
                        field="userId",
                    ),
                    [],
                )
            if user_id in self.users:
                return (
                    409,
                    error_document("4091", f"User {user_id} already exists", field="userId"),
                    [],
                )
            self.users[user_id] = {k: v for k, v in fields.items() if k != "password"}
            return 201, b"", [("location", f"/voicemail/users/{user_id}")]
        return 405, error_document("4050", f"POST is not supported on {path}"), []

    def _update(self, path: str, request: Request) -> tuple[int, bytes, list[tuple[str, str]]]:
        fields = self._body_fields(request)
        if isinstance(fields, bytes):
            return 400, fields, []
        parts = [p for p in path.split("/") if p]
        if parts[:2] == ["voicemail", "users"] and len(parts) == 3 and parts[2] in self.users:
            self.users[parts[2]].update(
                {k: v for k, v in fields.items() if k not in ("userId", "password")}
            )
            return 200, b"", []
        return 404, error_document("4040", f"No resource at {path}", uri=path), []

    def _delete(self, path: str) -> tuple[int, bytes, list[tuple[str, str]]]:
        parts = [p for p in path.split("/") if p]
        if (
            parts[:2] == ["voicemail", "mailboxes"]
            and len(parts) == 3
            and parts[2] in self.mailboxes
        ):
            del self.mailboxes[parts[2]]
            return 200, b"", []
        if parts[:2] == ["voicemail", "users"] and len(parts) == 3 and parts[2] in self.users:
            del self.users[parts[2]]
            self.mailboxes.pop(parts[2], None)
            return 200, b"", []
        return 404, error_document("4040", f"No resource at {path}", uri=path), []
