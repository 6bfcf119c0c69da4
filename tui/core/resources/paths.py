"""Where a link leads: paths inside one target's tree, and how the browser moves between them.

A *location* is a path with its query (``/rest/sipsg/2``), relative to the target's origin, so
history survives an address change. Links from the server are re-based on the target the
operator configured: an SBC writes its own (often internal) address into every ``href`` and
sometimes forgets the ``/rest`` segment; CUE publishes URIs without ``/rest`` at all; MWS gives
no links, only ids.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from tui.core.resources.model import Item, Kind, Resource
from tui.core.targets import KINDS, kind_of

# The ``:`` aliases of every kind (kind → name → path below the origin), as the kinds declare.
ALIASES = {name: dict(spec.aliases) for name, spec in KINDS.items()}


class Crumb(NamedTuple):
    """One step of the breadcrumb trail: what to show and where it leads."""

    label: str
    path: str


def split_location(path: str) -> tuple[str, str]:
    """``/a/b?x=1`` → (``/a/b``, ``x=1``)."""
    bare, _, query = path.partition("?")
    return bare, query


class TargetPaths:
    """Path arithmetic for one target (of ``kind``, at ``base_url``)."""

    def __init__(self, kind: str, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.kind = kind
        self.spec = kind_of(kind)
        self.scheme = parts.scheme or "https"
        self.netloc = parts.netloc
        prefix = parts.path.rstrip("/")
        suffix = self.spec.api_suffix
        # the configured URL may or may not already end with the API root
        self.prefix = prefix.removesuffix(suffix) if prefix.endswith(suffix) else prefix
        self.api_root = self.prefix + suffix

    @property
    def origin(self) -> str:
        return urlunsplit((self.scheme, self.netloc, "", "", ""))

    @property
    def home(self) -> str:
        return self.api_root + self.spec.home

    def absolute(self, path: str) -> str:
        """The full URL of a location."""
        return self.origin + path

    def alias(self, name: str) -> str | None:
        """The location a ``:name`` alias leads to (aliases are paths below the origin)."""
        found = self.spec.aliases.get(name.lower())
        if found is None:
            return None
        return self.prefix + found if found != "/" else (self.prefix or "/")

    def _inside(self, path: str) -> str:
        """Put a server path under the API root when the server left the root out."""
        suffix = self.api_root[len(self.prefix) :]  # "/rest" or "/v1"
        if path == self.api_root or path.startswith(self.api_root + "/"):
            return path
        if path == suffix or path.startswith(suffix + "/"):
            return self.prefix + path  # the box's own address had no proxy prefix
        if self.spec.root_document and path in ("/", self.prefix, self.prefix + "/"):
            return self.prefix or "/"  # the origin's own document (MWS)
        return self.api_root + path  # SBC hrefs without /rest, CUE's published URIs

    def from_href(self, href: str, current: str = "") -> str:
        """The location a server ``href`` leads to, re-based on this target."""
        href = href.strip()
        if "://" in href:
            parts = urlsplit(href)
            path = parts.path or "/"
            query = parts.query
        elif href.startswith("/"):
            path, query = split_location(href)
        else:
            base = split_location(current or self.api_root)[0].rstrip("/")
            path, query = split_location(f"{base}/{href}")
        path = self._inside(path)
        return f"{path}?{query}" if query else path

    def from_input(self, text: str, current: str = "") -> str:
        """What the operator typed in the location bar: a URL, an absolute or relative path."""
        text = text.strip()
        if text in ("..", "../"):
            return self.up(current)
        return self.from_href(text, current)

    def up(self, location: str) -> str:
        """One level up, never above the API root; the query is dropped."""
        path = split_location(location)[0].rstrip("/")
        if not path or path == self.api_root or len(path) <= len(self.api_root):
            return self.api_root
        parent = path.rpartition("/")[0]
        if len(parent) < len(self.api_root):
            return self.api_root
        if parent[len(self.api_root) :] in self.spec.not_pages:
            return self.api_root
        return parent

    def crumbs(self, location: str) -> list[Crumb]:
        """``/rest/sipservertable/1/sipserver/2`` → sipservertable › 1 › sipserver › 2."""
        path = split_location(location)[0]
        trail = [Crumb(self.api_root.rsplit("/", 1)[-1] or "/", self.api_root)]
        if not path.startswith(self.api_root):
            return [Crumb(path, location)]
        walked = self.api_root
        for segment in path[len(self.api_root) :].split("/"):
            if segment:
                walked = f"{walked}/{segment}"
                trail.append(Crumb(segment, walked))
        return trail

    def same_target(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.netloc == self.netloc and (parts.scheme or self.scheme) == self.scheme


INDEX_NOTE = "the box has no page here: this index of known resources is the console's own"


def index_resource(kind: Kind, paths: TargetPaths) -> Resource:
    """What the browser shows at the API root (``/rest``, ``/v1``), where the box has nothing."""
    seen: dict[str, str] = {}
    for name in kind_of(kind).aliases:
        location = paths.alias(name)
        if location and location not in seen.values() and location != paths.api_root:
            seen[name] = location
    items = tuple(Item(name, location, "index") for name, location in seen.items())
    return Resource(
        kind=kind,
        shape="list",
        name="index",
        http_code=200,
        items=items,
        count=len(items),
        notes=(INDEX_NOTE,),
    )
