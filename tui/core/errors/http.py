"""HTTP statuses, with what each system means by them."""

from __future__ import annotations

from tui.core.errors.context import SYSTEM_TITLES, Context
from tui.core.errors.result import KNOWN, PLAUSIBLE, SHAPE, Decoded, Item, Tone, branch

HTTP_CLASSES = {
    1: "Informational",
    2: "Success",
    3: "Redirection",
    4: "Client error: the request was refused as sent",
    5: "Server error: the server failed a request that may be valid",
}


def http_tone(code: int) -> Tone:
    return "good" if code < 300 else "info" if code < 400 else "bad"


def http_line(ctx: Context, code: int, system: str | None = None) -> str:
    """``401 Unauthorized — no session …``: one line for another decoder's tree."""
    entry = ctx.catalogs.http.get(code)
    reason = entry.reason if entry else HTTP_CLASSES.get(code // 100, "")
    meaning = ""
    if entry:
        meaning = entry.systems.get(system or "", "") or entry.generic
    return f"{code} {reason}" + (f" — {meaning}" if meaning else "")


def decode_http_status(
    ctx: Context,
    code: int,
    *,
    system: str | None = None,
    reason_text: str = "",
    confidence: int | None = None,
    body_note: str = "",
) -> Decoded | None:
    """An HTTP status, and what it means at ``system`` (or at each system when not known)."""
    if not 100 <= code <= 599:
        return None
    entry = ctx.catalogs.http.get(code)
    reason = entry.reason if entry and entry.reason else reason_text or "(no standard reason)"
    items = [Item("status", f"{code} {reason}", tone=http_tone(code), children=())]
    if reason_text and reason_text.casefold() != reason.casefold():
        items.append(Item("reason as received", reason_text))
    items.append(Item("class", f"{code // 100}xx {HTTP_CLASSES.get(code // 100, '')}"))
    systems: dict[str, str] = dict(entry.systems) if entry else {}
    if entry and entry.generic:
        items.append(Item("meaning", entry.generic))
    title = SYSTEM_TITLES.get(system or "", "")
    if system and system in systems:
        items.append(Item(f"at {title}", systems.pop(system), tone="info"))
    elif system:
        items.append(Item(f"at {title}", "no specific meaning documented", tone="muted"))
    if systems:
        others = [Item(SYSTEM_TITLES.get(k, k), v) for k, v in systems.items()]
        label = "at the other systems" if system else "per system"
        items.append(branch(label, others, expanded=not system))
    if body_note:
        items.append(Item("body", body_note, tone="muted"))
    where = f" at {title}" if system else ""
    meaning = ""
    if entry:
        meaning = (entry.systems.get(system, "") if system else "") or entry.generic
    summary = f"HTTP {code} {reason}{where}" + (f": {meaning}" if meaning else "")
    if confidence is None:
        confidence = SHAPE if system else KNOWN if entry else PLAUSIBLE
    fields = {
        "code": code,
        "reason": reason,
        "system": system,
        "meaning": meaning or None,
        "systems": dict(entry.systems) if entry else {},
    }
    return Decoded("http", summary, tuple(items), fields, confidence, http_tone(code))
