"""Ribbon/Sonus SBC Edge application errors: codes with ``|``-separated params into templates.

Two places carry them (docs/protocols.md §3.5): an ``<app_status_entry code="…" params="…"/>`` in
the status block, and a resource's ``app_code_<category>`` / ``app_params_<category>`` attributes
when a GET failed for that category (config, runtime, statistics, inventory). The params go in order
into the template's ``%1%``, ``%2%`` … tokens; the vendor's own example shows a parenthesised token
``(%1%)`` replaced whole ("mapping (%1%)" + ``1`` → "mapping 1"). Extra or missing params are shown,
never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tui.core.errors.catalog import Catalogs
from tui.core.errors.context import Context, parse_int
from tui.core.errors.entries import SbcCode
from tui.core.errors.http import http_line
from tui.core.errors.result import KNOWN, PLAUSIBLE, SHAPE, Decoded, Item, Tone
from tui.core.protocols.xml import Element, local
from tui.core.resources.model import unknown_code_message
from tui.core.sanitize import clean_line

TOKEN = re.compile(r"\(%(\d{1,3})%\)|%(\d{1,3})%")
CATEGORIES = ("config", "runtime", "statistics", "inventory")
MAX_ENTRIES = 200


@dataclass(frozen=True)
class Substitution:
    """A template with its params put in: the message and what did not fit."""

    message: str
    missing: tuple[int, ...] = ()  # token numbers with no param
    unused: tuple[int, ...] = ()  # param positions (1-based) no token asked for


def split_params(params: str) -> list[str]:
    return params.split("|") if params else []


def substitute(template: str, params: list[str]) -> Substitution:
    """Put ``params`` into ``template`` in order; ``(%n%)`` and ``%n%`` are both tokens."""
    used: set[int] = set()
    missing: list[int] = []

    def put(match: re.Match[str]) -> str:
        number = int(match.group(1) or match.group(2))
        if 1 <= number <= len(params):
            used.add(number)
            return params[number - 1]
        if number not in missing:
            missing.append(number)
        return f"‹%{number}% missing›"

    message = TOKEN.sub(put, template)
    unused = tuple(n for n in range(1, len(params) + 1) if n not in used)
    return Substitution(message, tuple(missing), unused)


@dataclass(frozen=True)
class AppEntry:
    """One application error: a code (as sent) and its params, and where it was found."""

    code: str
    params: list[str] = field(default_factory=list)
    where: str = "status"  # status | config | runtime | statistics | inventory
    href: str = ""
    resource: str = ""


def _entry_json(entry: AppEntry, message: str, known: bool) -> dict[str, Any]:
    code = parse_int(entry.code)
    out: dict[str, Any] = {
        "code": code if code is not None else entry.code,
        "params": entry.params,
        "message": message,
        "known": known,
    }
    if entry.where != "status":
        out["category"] = entry.where
    if entry.href:
        out["href"] = entry.href
    return out


def _mismatch(sub: Substitution) -> str:
    parts = []
    if sub.missing:
        parts.append(f"{len(sub.missing)} param{'s' if len(sub.missing) > 1 else ''} missing")
    if sub.unused:
        parts.append(f"{len(sub.unused)} extra param{'s' if len(sub.unused) > 1 else ''}")
    return f" [{', '.join(parts)}]" if parts else ""


SIMULATOR_MARK = "[simulator code] "
SIMULATOR_NOTE = (
    "a code of noc-console's own SBC simulator, sent where no public Ribbon code was found; "
    "not one of Ribbon's"
)
UNKNOWN_NOTE = (
    "code not in the catalog: import the vendor list with `noc-console catalog import sbc FILE`"
)


@dataclass(frozen=True)
class AppCodeReading:
    """What the catalogs make of one code and its params: the one reading of an SBC app code.

    The browser's error line and status table, ``noc-console browse``, the inspector and the
    errors-seen counts all take their text from here, so they cannot disagree.
    """

    message: str  # the line to show (a simulator code carries SIMULATOR_MARK in front)
    tone: Tone
    entry: SbcCode | None = None  # the catalog entry, when the code is in it
    substitution: Substitution | None = None  # when the entry has a template
    links: tuple[tuple[str, str], ...] = ()  # (label, path) of the resources the params name

    @property
    def known(self) -> bool:
        return self.entry is not None

    @property
    def simulator(self) -> bool:
        return self.entry is not None and self.entry.simulator


def _fill(pattern: str, params: list[str]) -> str | None:
    """``{1}`` … in a link pattern from the params; None when a param it names is missing."""
    missing = False

    def put(match: re.Match[str]) -> str:
        nonlocal missing
        number = int(match.group(1))
        if 1 <= number <= len(params) and params[number - 1]:
            return params[number - 1]
        missing = True
        return ""

    filled = re.sub(r"\{(\d{1,3})\}", put, pattern)
    return None if missing else filled


def _links(entry: SbcCode, params: list[str]) -> tuple[tuple[str, str], ...]:
    found = []
    for label, href in entry.links:
        path = _fill(href, params)
        if path is not None and "//" not in path and not path.endswith("/"):
            found.append((_fill(label, params) or label, path))
    return tuple(found)


def read_app_code(catalogs: Catalogs, code: str, params: list[str]) -> AppCodeReading:
    """One app code with its params, read in the catalogs (template, meaning, links, marks)."""
    number = parse_int(code)
    params_text = "|".join(params)
    entry = catalogs.sbc_codes.get(number) if number else None
    sub: Substitution | None = None
    tone: Tone = "bad"
    if number is None:
        message, tone = f"code {code!r} is not a number", "warn"
    elif number == 0:
        message, tone = "code 0: success", "good"
    elif entry is None:
        message = unknown_code_message(code, params)
    elif entry.template:
        sub = substitute(entry.template, params)
        message = sub.message
    else:
        message = (entry.title or entry.meaning) + (f" (params: {params_text})" if params else "")
    if entry is not None and entry.simulator:
        message = SIMULATOR_MARK + message
    message = clean_line(message, 400, say_cut=True)
    links = _links(entry, params) if entry is not None else ()
    return AppCodeReading(message, tone, entry, sub, links)


def code_meaning(entry: SbcCode) -> str:
    """A catalog entry in one line, without params (the errors-seen view's meaning column)."""
    text = entry.template or entry.title or entry.meaning
    return SIMULATOR_MARK + text if entry.simulator else text


def _decode_entry(ctx: Context, entry: AppEntry) -> tuple[str, Item, dict[str, Any], Tone]:
    reading = read_app_code(ctx.catalogs, entry.code, entry.params)
    known, sub, tone = reading.entry, reading.substitution, reading.tone
    children: list[Item] = []
    note = _mismatch(sub) if sub is not None else ""
    if known and known.template and sub is not None:
        children.append(Item("template", known.template, tone="code"))
        if sub.missing:
            nums = ", ".join(f"%{n}%" for n in sub.missing)
            children.append(Item("missing params", f"the template asks for {nums}", tone="warn"))
        if sub.unused:
            extra = ", ".join(f"#{n} {entry.params[n - 1]!r}" for n in sub.unused)
            children.append(Item("extra params", f"not used by the template: {extra}", tone="warn"))
    elif known:
        children.append(Item("template", "not published; meaning from sources", tone="muted"))
    elif tone == "bad":
        children.append(Item("catalog", UNKNOWN_NOTE, tone="warn"))
    message = reading.message
    shown = message + note
    if known:
        if known.simulator:
            children.insert(0, Item("simulator code", SIMULATOR_NOTE, tone="warn"))
        if known.meaning and (known.template or known.title):
            children.append(Item("meaning", known.meaning))
        if known.action:
            children.append(Item("what to do", known.action, tone="info"))
        for label, path in reading.links:
            children.append(Item("names", f"{label}: {path}", tone="code"))
        if known.source:
            children.append(Item("source", known.source, tone="muted"))
        if known.origin != "packaged":
            children.append(Item("catalog", known.origin, tone="muted"))
    params_shown = " | ".join(repr(p) for p in entry.params) if entry.params else "(none)"
    head = [Item("params", clean_line(params_shown, 300, say_cut=True))]
    if entry.where != "status":
        head.insert(0, Item("category", f"{entry.where} attributes (app_code_{entry.where})"))
    if entry.resource:
        head.insert(0, Item("resource", clean_line(entry.resource, 200, say_cut=True), tone="code"))
    if entry.href:
        head.append(Item("href", clean_line(entry.href, 300, say_cut=True), tone="code"))
    item = Item(f"app code {entry.code}", shown, tone=tone, children=(*head, *children))
    out = _entry_json(entry, message, known is not None)
    if reading.simulator:
        out["simulator_code"] = True
    if sub is not None and (sub.missing or sub.unused):
        out["missing_tokens"] = [f"%{n}%" for n in sub.missing]
        out["extra_params"] = [entry.params[n - 1] for n in sub.unused]
    return shown, item, out, tone


def decode_entries(
    ctx: Context,
    entries: list[AppEntry],
    *,
    http_code: int | None = None,
    app_href: str = "",
    confidence: int = SHAPE,
    total: int | None = None,
) -> Decoded:
    """SBC application errors (possibly several) with the status block's http_code.

    ``total`` is how many the document held when only the first ``MAX_ENTRIES`` were kept.
    """
    total = max(total or 0, len(entries))
    entries = entries[:MAX_ENTRIES]
    items: list[Item] = []
    if total > len(entries):
        shown = f"{total:,} application errors; the first {len(entries)} are decoded below"
        items.append(Item("note", shown, tone="warn"))
    if http_code is not None:
        items.append(Item("http_code", http_line(ctx, http_code, "sbc")))
    if app_href:
        items.append(Item("request", clean_line(app_href, 300, say_cut=True), tone="code"))
    decoded = [_decode_entry(ctx, e) for e in entries]
    items.extend(item for _, item, _, _ in decoded)
    real = [(e, d) for e, d in zip(entries, decoded, strict=True) if d[3] != "good"]
    if not entries:
        summary = f"SBC status: http_code {http_code}, no application error"
        tone: Tone = "good" if http_code in (None, 200) else "bad"
    elif len(real) == 1:
        entry, (message, _, _, tone) = real[0]
        summary = f"SBC {entry.code}: {message}"
    elif not real:
        summary, tone = "SBC status: app code 0 (success)", "good"
    else:
        parts = "; ".join(f"{e.code}: {d[0]}" for e, d in real[:3])
        count = len(real) + (total - len(entries))
        more = f" (+{count - 3:,} more)" if count > 3 else ""
        summary, tone = f"SBC: {count:,} application errors — {parts}{more}", "bad"
    fields: dict[str, Any] = {"entries": [j for _, _, j, _ in decoded], "http_code": http_code}
    if total > len(entries):
        fields["total_entries"] = total
    return Decoded("sbc", summary, tuple(items), fields, confidence, tone)


# -- finding entries in XML ----------------------------------------------------------------------


def _http_code(root: Element) -> int | None:
    for element in root.iter():
        if local(element) == "http_code":
            return parse_int("".join(element.itertext()))
    return None


def _attrs(element: Element) -> dict[str, str]:
    return {str(k).rsplit("}", 1)[-1]: str(v) for k, v in element.attrib.items()}


def find_in_xml(root: Element) -> tuple[list[AppEntry], int, int | None, str, bool]:
    """(entries kept, entries in all, http_code, app_status href, is_sbc_shape)."""
    entries: list[AppEntry] = []
    total = 0
    app_href = ""
    shape = local(root) in ("root", "status", "app_status", "app_status_entry")
    for element in root.iter():
        name = local(element)
        attrs = _attrs(element)
        if name == "app_status":
            app_href = attrs.get("href", app_href)
            shape = True
        elif name == "app_status_entry":
            shape = True
            total += 1
            if len(entries) < MAX_ENTRIES:
                params = split_params(attrs.get("params", ""))
                entries.append(AppEntry(attrs.get("code", ""), params))
        for category in CATEGORIES:
            code = attrs.get(f"app_code_{category}")
            if code is None:
                continue
            shape = True
            total += 1
            if len(entries) < MAX_ENTRIES:
                label = f"{name} {attrs['id']}" if "id" in attrs else name
                params = split_params(attrs.get(f"app_params_{category}", ""))
                entries.append(AppEntry(code, params, category, attrs.get("href", ""), label))
    http_code = _http_code(root)
    shape = shape or (local(root) == "root" and http_code is not None)
    return entries, total, http_code, app_href, shape


def decode_xml(ctx: Context, root: Element) -> Decoded | None:
    entries, total, http_code, app_href, shape = find_in_xml(root)
    if not shape:
        return None
    return decode_entries(ctx, entries, http_code=http_code, app_href=app_href, total=total)


# -- text forms ----------------------------------------------------------------------------------

_KEYED = re.compile(
    r"""(?ix)
    (?:app_)?code(?:_(?P<cat>config|runtime|statistics|inventory))?\s*[=:]\s*["']?(?P<code>-?\d{1,9})["']?
    (?:[\s,;]+(?:app_)?params(?:_(?:config|runtime|statistics|inventory))?\s*[=:]\s*
       (?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S*)))?
    """
)


def decode_text(
    ctx: Context, text: str, *, prefixed: bool = False, confidence: int | None = None
) -> Decoded | None:
    """``31003 3|2``, ``code=31003 params="3|2"``, ``app_code_config=… app_params_config=…``,
    or (after an ``sbc`` prefix) a bare code."""
    text = text.strip()
    match = _KEYED.fullmatch(text)
    if match:
        params = match.group("dq") or match.group("sq") or match.group("bare") or ""
        where = (match.group("cat") or "status").lower()
        return decode_entries(ctx, [AppEntry(match.group("code"), split_params(params), where)])
    head, _, rest = text.partition(" ")
    code = parse_int(head)
    if code is None or code < 0 or len(head) > 9:
        return None
    rest = rest.strip().strip("'\"")
    known = code in ctx.catalogs.sbc_codes
    if rest and "|" not in rest and not prefixed and not known:
        return None  # "486 Busy Here" is not an SBC error
    if prefixed or "|" in rest:
        conf = SHAPE
    elif known:
        conf = KNOWN
    elif 1000 <= code <= 99999 and not rest:
        conf = PLAUSIBLE
    else:
        return None
    conf = confidence if confidence is not None else conf
    return decode_entries(ctx, [AppEntry(head, split_params(rest))], confidence=conf)
