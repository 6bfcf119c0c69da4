"""Where a link leads: paths inside one target's tree, and how the browser moves between them.

A *location* is a path with its query (``/rest/sipsg/2``), relative to the target's origin, so
history survives an address change. Links from the server are re-based on the target the
operator configured: an SBC writes its own (often internal) address into every ``href`` and
sometimes forgets the ``/rest`` segment; CUE publishes URIs without ``/rest`` at all; MWS gives
no links, only ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from tui.core.resources.model import AppError, Attribute, Item, Kind, Link, Resource
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
            try:
                parts = urlsplit(href)
                path, query = parts.path or "/", parts.query
            except ValueError:  # a broken address (``https://[::1/x``): its path still leads
                rest = href.partition("://")[2]
                slash = rest.find("/")
                path, query = split_location(rest[slash:] if slash >= 0 else "/")
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
        try:
            parts = urlsplit(url)
        except ValueError:  # not an address at all (an unclosed IPv6 bracket)
            return False
        return parts.netloc == self.netloc and (parts.scheme or self.scheme) == self.scheme


class Rebaser(NamedTuple):
    """Where the hrefs of one answer lead on the configured target: what the browser's rows
    show and follow, and what ``noc-console browse`` prints (text and ``--json``).

    ``current`` is the location the answer came from (relative hrefs are read from there).
    """

    paths: TargetPaths
    current: str = ""

    def location(self, href: str) -> str:
        """The href as a location of the target (``/rest/sipsg/1``); "" for no href."""
        return self.paths.from_href(href, self.current) if href.strip() else ""

    def url(self, href: str) -> str:
        """The href as a full URL on the configured target; "" for no href."""
        location = self.location(href)
        return self.paths.absolute(location) if location else ""

    def resource(self, resource: Resource, *, as_url: bool = True) -> Resource:
        """The resource with every href re-based: full URLs (``as_url``) or locations."""
        return rebase_hrefs(resource, self.url if as_url else self.location)


def _links(links: tuple[Link, ...], to: Callable[[str], str]) -> tuple[Link, ...]:
    return tuple(link._replace(href=to(link.href)) for link in links)


def _errors(errors: tuple[AppError, ...], to: Callable[[str], str]) -> tuple[AppError, ...]:
    return tuple(e._replace(links=_links(e.links, to)) if e.links else e for e in errors)


def _attribute(attribute: Attribute, to: Callable[[str], str]) -> Attribute:
    return attribute._replace(href=to(attribute.href), entries=_links(attribute.entries, to))


def _item(item: Item, to: Callable[[str], str]) -> Item:
    return item._replace(
        href=to(item.href),
        links=tuple((index, to(href)) for index, href in item.links),
        entries=tuple((index, _links(links, to)) for index, links in item.entries),
        errors=_errors(item.errors, to),
    )


def rebase_hrefs(resource: Resource, to: Callable[[str], str]) -> Resource:
    """Every href of ``resource`` (items, attributes, entries, children, error links) through
    ``to``: what ``noc-console browse`` prints, so it leads where the browser's rows lead."""
    return replace(
        resource,
        href=to(resource.href),
        status_href=to(resource.status_href),
        errors=_errors(resource.errors, to),
        attributes=tuple(_attribute(a, to) for a in resource.attributes),
        items=tuple(_item(i, to) for i in resource.items),
        children=_links(resource.children, to),
    )


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
