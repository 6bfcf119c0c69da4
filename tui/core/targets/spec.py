"""What a target kind declares: the shape of one module under :mod:`tui.core.targets`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from tui.core.resources.model import Resource

AuthKind = Literal["session", "basic", "bearer"]
ModifyStyle = Literal["form-post", "xml-put"]
CreateStyle = Literal["form-put", "xml-post", "json-post"]


class Parser(Protocol):
    """A response body into a Resource. Each kind takes the options it uses, ignores the rest."""

    def __call__(
        self,
        body: bytes,
        *,
        transport_status: int,
        location: str,
        filter_category: str,
        meta: tuple[tuple[str, str], ...],
        max_bytes: int,
    ) -> Resource: ...


@dataclass(frozen=True)
class WriteRules:
    """How a kind's REST API writes (each write is built as an exact request and confirmed)."""

    create: CreateStyle
    """``form-put``: PUT form fields at the new resource's own path; ``xml-post``: POST an XML
    document to the collection; ``json-post``: POST a JSON object to the collection."""
    modify: ModifyStyle | None = None
    """``form-post``: POST the changed fields as a form; ``xml-put``: PUT a partial XML
    document; None: the API cannot change an object."""
    actions: bool = False
    """``POST <path>?action=NAME`` runs an action."""
    singular: Mapping[str, str] = field(default_factory=dict)
    """XML documents: the element name of one member of a collection (``users`` → ``user``)."""


@dataclass(frozen=True)
class TargetKind:
    """One kind of REST box the browser walks: everything the console does differently for it.

    Paths here are relative to the target's configured origin (below any proxy prefix).
    """

    name: str
    """The config's ``kind = ...`` and the ``browse --kind`` value."""
    title: str
    """How the console names it (``SBC``)."""
    api_suffix: str
    """The API root below the origin (``/rest``)."""
    home: str
    """Where the browser opens, below the API root."""
    auth_kinds: tuple[AuthKind, ...]
    """The ``auth`` values it accepts; the first is the default."""
    parse: Parser
    """Its answers' parser."""
    writes: WriteRules
    aliases: Mapping[str, str] = field(default_factory=dict)
    """``:name`` shortcuts of the location bar (and ``browse``): name → path."""
    not_pages: tuple[str, ...] = ()
    """Path segments below the API root that group resources but are no page: "up" steps
    over them."""
    root_document: bool = False
    """The origin's ``/`` answers with a document of its own (outside the API root)."""
    body_format: Literal["xml", "json"] = "xml"
    status_hints: Mapping[int, str] = field(default_factory=dict)
    """What to try next after an answer with this HTTP status (or ``http_code``)."""
    list_details: bool = False
    """Lists come as links unless asked for ``details=true`` (the browser's ``d``)."""
    categories: bool = False
    """Attributes fall into categories (configuration, runtime, statistics, inventory) that a
    request may filter on, and the browser shows apart."""
    field_selection: bool = False
    """A request may ask for some fields only (``fields=``)."""
    messages: bool = False
    """It relays messages to connected clients (the browser's ``:push``)."""
    app_codes: bool = False
    """Its errors are bare codes with params (the SBC): their text and the resources they name
    come from the error catalogs (:func:`tui.core.errors.explain.explain_errors`)."""

    @property
    def default_auth(self) -> AuthKind:
        return self.auth_kinds[0]
