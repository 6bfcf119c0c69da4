"""From a Resource to the rows of the browser's table (no Textual here: built in a worker thread
for big lists, and unit-testable).

- a resource: one row per attribute — configuration first, then a divider, then runtime and
  statistics (the ``rt_`` attributes) — with ``→`` on links and one ``↳`` row per entry of an
  attribute list;
- a list: id, label and link per item, or one column per attribute with ``details=true``;
- a bare status (errors, DELETE, actions): one row per application error, then a ``→`` row
  per resource the error names (31003 → the signaling group that uses the mapping).

While watching, :func:`mark_changes` compares with the previous rows and marks changed cells.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tui.core.errors.sbc_values import ValueReader
from tui.core.resources import Attribute, Resource
from tui.core.resources.paths import Rebaser
from tui.core.sanitize import clean_line
from tui.core.targets import kind_of

MAX_COLUMNS = 64  # of a list's fields; a list whose entries differ in more shows the first ones
MAX_CELL = 48  # a column never grows wider than this; the full value is one keypress away
MAX_FLEX = 400  # the value or message column may use the whole width
DIVIDER = "divider"
LINK = "link"
RUNTIME = "runtime"
ERROR = "error"
ENTRY = "entry"
PLAIN = ""
_SHORT = {"configuration": "config", "statistics": "stats"}


class Row(NamedTuple):
    """One table row: cells already made safe to draw, where enter leads, what to copy."""

    cells: tuple[str, ...]
    href: str = ""  # the href as the server wrote it ("" when the row leads nowhere)
    kind: str = PLAIN  # drawing hint: link, runtime, error, entry, divider
    key: str = ""  # stable identity for change tracking (attribute name, item id)
    value: str = ""  # what "copy value" copies (the raw value, cleaned)
    changed: tuple[int, ...] = ()  # cells that changed since the previous refresh
    delta: str = ""  # for a changed number: how much it moved ("+5")


class TableModel(NamedTuple):
    """What the table shows: column titles, their widths and the rows."""

    columns: tuple[str, ...]
    widths: tuple[int, ...]
    rows: list[Row]
    runtime_columns: frozenset[int] = frozenset()
    empty: str = ""  # what to say when there are no rows
    flex: int = -1  # the column that takes the width left over (a value, a message)


def fit_widths(widths: tuple[int, ...], room: int, floor: int = 16) -> tuple[int, ...]:
    """Narrow the widest columns, one cell at a time, until they fit ``room`` or reach ``floor``.

    A list of 64-character socket ids beside their tags fits 80 columns this way: the ids keep
    a prefix (enough to tell them apart) and the tags stay on screen. What still does not fit
    scrolls sideways.
    """
    fitted = list(widths)
    excess = sum(fitted) - room
    while excess > 0:
        widest = max(range(len(fitted)), key=fitted.__getitem__, default=-1)
        if widest < 0 or fitted[widest] <= floor:
            break
        fitted[widest] -= 1
        excess -= 1
    return tuple(fitted)


class Shown(NamedTuple):
    """What the rows need beside the resource: where its hrefs lead on the configured target
    (the same :class:`~tui.core.resources.paths.Rebaser` ``browse`` prints with) and what its
    enumerated values mean (``2 (Down)``; None: shown as sent)."""

    links: Rebaser
    values: ValueReader | None = None

    def value_of(self, resource: Resource, owner: str, attribute: Attribute) -> str:
        """An attribute's value as the table shows it (the copy keeps the value as sent)."""
        reader = self.values
        if reader is None or not reader.reads(resource.kind, owner, attribute.name):
            return attribute.value
        return reader.shown(owner, attribute.name, attribute.value)


def _widths(
    columns: tuple[str, ...], rows: list[Row], flex: int = -1, sample: int = 5000
) -> tuple[int, ...]:
    """Content widths: capped at MAX_CELL, except the flex column (its content, to MAX_FLEX)."""
    widths = [len(c) for c in columns]
    for row in rows[:sample]:
        for index, cell in enumerate(row.cells):
            if index < len(widths) and len(cell) > widths[index]:
                widths[index] = len(cell)
    return tuple(min(w, MAX_FLEX if i == flex else MAX_CELL) for i, w in enumerate(widths))


def _attribute_rows(attribute: Attribute, categories: bool, shown_value: str) -> list[Row]:
    value = clean_line(attribute.value)  # what "copy value" copies: as sent
    mark = (
        "→"
        if attribute.href
        else ("≡" if attribute.entries else ("rt" if attribute.is_runtime else ""))
    )
    kind = LINK if attribute.href else (RUNTIME if attribute.is_runtime else PLAIN)
    rows = [
        Row(
            (
                mark,
                clean_line(attribute.name),
                clean_line(shown_value),
                _SHORT.get(attribute.category, attribute.category) if categories else "",
            ),
            attribute.href,
            kind,
            attribute.name,
            value,
        )
    ]
    for number, entry in enumerate(attribute.entries, start=1):
        label = clean_line(entry.label)
        rows.append(
            Row(
                ("↳", f"  {attribute.name}[{number}]", label, ""),
                entry.href,
                ENTRY,
                f"{attribute.name}[{number}]",
                label,
            )
        )
    return rows


def resource_rows(resource: Resource, shown: Shown) -> TableModel:
    config = [a for a in resource.attributes if not a.is_runtime]
    runtime = [a for a in resource.attributes if a.is_runtime]
    rows: list[Row] = [
        Row(
            ("↓", clean_line(child.label), "rows of this table", ""),
            child.href,
            LINK,
            f"↓{child.label}",
            clean_line(shown.links.url(child.href)),
        )
        for child in resource.children
    ]
    categories = kind_of(resource.kind).categories
    for attribute in config:
        rows += _attribute_rows(
            attribute, categories, shown.value_of(resource, resource.name, attribute)
        )
    if config and runtime:
        rows.append(Row(("", "── runtime / statistics", "", ""), kind=DIVIDER, key="--runtime--"))
    for attribute in runtime:
        rows += _attribute_rows(
            attribute, categories, shown.value_of(resource, resource.name, attribute)
        )
    columns = ("", "attribute", "value", "category" if categories else "")
    return TableModel(
        columns, _widths(columns, rows, 2), rows, empty="this resource has no attributes", flex=2
    )


def list_rows(resource: Resource, shown: Shown) -> TableModel:
    links = shown.links
    if not resource.details:
        labelled = any(item.label for item in resource.items)
        rows = []
        for item in resource.items:
            where = clean_line(links.location(item.href))
            head: tuple[str, ...] = (clean_line(item.id),)
            if labelled:
                head += (clean_line(item.label),)
            url = clean_line(links.url(item.href))
            rows.append(Row((*head, where), item.href, LINK, item.id, url))
        columns: tuple[str, ...] = ("id", "label", "link") if labelled else ("id", "link")
        flex = len(columns) - 1
        return TableModel(
            columns, _widths(columns, rows, flex), rows, empty="the list is empty", flex=flex
        )
    names: dict[str, None] = {}
    last: tuple[str, ...] = ()
    for item in resource.items:
        if item.names is not last:  # items of one list share their names tuple
            names.update(dict.fromkeys(item.names))
            last = item.names
            if len(names) > MAX_COLUMNS:
                break
    names.pop("id", None)  # the first column already is the id (MWS objects carry it too)
    order = tuple(names)[:MAX_COLUMNS]
    rows = []
    reader = shown.values
    decoded: dict[str, tuple[int, ...]] = {}  # entry type → the columns with meanings to read
    readings: dict[tuple[str, int, str], str] = {}
    for item in resource.items:
        if item.names == order:
            values = item.values
        else:  # one lookup table per entry, not a search of its names per column
            by_name = dict(zip(item.names, item.values, strict=False))
            values = tuple(by_name.get(name, "") for name in order)
        columns_read = decoded.get(item.name)
        if columns_read is None:
            columns_read = decoded[item.name] = tuple(
                i
                for i, name in enumerate(order)
                if reader is not None and reader.reads(resource.kind, item.name, name)
            )
        if columns_read and reader is not None:
            listed = list(values)
            for i in columns_read:
                key = (item.name, i, listed[i])  # a column holds few distinct numbers
                found = readings.get(key)
                if found is None:
                    found = readings[key] = reader.shown(item.name, order[i], listed[i])
                listed[i] = found
            values = tuple(listed)
        cells = (clean_line(item.id), *(clean_line(v, MAX_CELL * 2) for v in values))
        url = clean_line(links.url(item.href))
        rows.append(Row(cells, item.href, LINK if item.href else PLAIN, item.id, url))
    columns = ("id", *order)
    runtime = frozenset(i + 1 for i, name in enumerate(order) if name.startswith("rt_"))
    return TableModel(columns, _widths(columns, rows), rows, runtime, empty="the list is empty")


def status_rows(resource: Resource, shown: Shown) -> TableModel:
    rows: list[Row] = []
    for error in resource.errors:
        where = f"{error.category}" if error.category else (error.field or "")
        message = clean_line(error.message)
        rows.append(
            Row(
                ("✕", clean_line(error.code), message, where),
                "",
                ERROR,
                f"error {error.code}",
                message,
            )
        )
        for link in error.links:
            url = clean_line(shown.links.url(link.href))
            rows.append(Row(("→", "", clean_line(link.label), ""), link.href, LINK, link.href, url))
    columns = ("", "code", "message", "about")
    empty = (
        "done: the server answered with a status only"
        if resource.ok
        else "no details in the answer"
    )
    return TableModel(columns, _widths(columns, rows, 2), rows, empty=empty, flex=2)


def model_for(resource: Resource, shown: Shown) -> TableModel:
    """The table for any resource shape (``shown``: its links re-based on the target)."""
    if resource.shape == "list":
        return list_rows(resource, shown)
    if resource.shape == "resource":
        model = resource_rows(resource, shown)
        if resource.errors:  # per-category errors sit above the attributes
            errors = status_rows(resource, shown).rows
            return model._replace(rows=errors + model.rows)
        return model
    if resource.shape == "status":
        return status_rows(resource, shown)
    columns = ("", "code", "message", "about")
    return TableModel(
        columns, (1, 4, 7, 5), [], empty="nothing to show: " + clean_line(resource.problem)
    )


def _delta(before: str, after: str) -> str:
    try:
        change = int(after) - int(before)
    except ValueError:
        return ""
    return f"{change:+d}" if change else ""


def mark_changes(model: TableModel, previous: TableModel | None) -> tuple[TableModel, int]:
    """Mark the cells that differ from ``previous`` (same row key, same column)."""
    if previous is None or previous.columns != model.columns:
        return model, 0
    before = {row.key: row.cells for row in previous.rows if row.key}
    changed_count = 0
    rows = []
    for row in model.rows:
        old = before.get(row.key)
        if old is None or old == row.cells:
            rows.append(row)
            continue
        changed = tuple(i for i, (a, b) in enumerate(zip(old, row.cells, strict=False)) if a != b)
        changed_count += len(changed)
        value_column = 2 if len(row.cells) == 4 else (changed[0] if changed else 0)
        delta = _delta(old[value_column], row.cells[value_column]) if changed else ""
        rows.append(row._replace(changed=changed, delta=delta))
    return model._replace(rows=rows), changed_count


RowFilter = Callable[[Row], bool]


def row_filter(text: str) -> RowFilter | None:
    """``/text`` keeps rows containing text (any cell, any case); ``/!text`` drops them."""
    text = text.strip()
    if not text or text == "!":
        return None
    inverse = text.startswith("!")
    needle = (text[1:] if inverse else text).lower()

    def keep(row: Row) -> bool:
        if row.kind == DIVIDER:
            return False
        found = any(needle in cell.lower() for cell in row.cells)
        return found != inverse

    return keep
