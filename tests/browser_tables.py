"""The browser's table for a parsed resource, as the screen builds it for a target at a fixed
address (tests and benchmarks build rows without a running client)."""

from __future__ import annotations

from tui.core.errors.catalog import packaged_only
from tui.core.errors.sbc_values import ValueReader
from tui.core.resources import Resource
from tui.core.resources.paths import Rebaser, TargetPaths
from tui.ui.models.browser.rows import Shown, TableModel, model_for

# Where each kind of test target is configured: the box's own hrefs are re-based on these.
BASE_URLS = {"sbc": "https://127.0.0.1:8443", "cue": "http://127.0.0.1:8080/rest"}
OTHER = "http://127.0.0.1:9001"
CATALOGS = packaged_only()


def shown_on(kind: str, current: str = "") -> Shown:
    """How rows of an answer from ``current`` on the test target of ``kind`` are shown."""
    paths = TargetPaths(kind, BASE_URLS.get(kind, OTHER))
    return Shown(Rebaser(paths, current), ValueReader(CATALOGS))


def table(resource: Resource, current: str = "") -> TableModel:
    """The rows of ``resource`` as the browser shows them."""
    return model_for(resource, shown_on(resource.kind, current))
