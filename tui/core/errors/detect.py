"""Auto-detection: whatever is pasted, run the decoders that fit and rank their readings.

Shapes decide first (XML, JSON, a SIP message, an HTTP response); a bare value is offered to
every decoder whose format it fits, and when several fit equally (``503`` is a SIP and an HTTP
status) the inspection says it is ambiguous and lists them. Anything else is "not recognised",
with what would have been.
"""

from __future__ import annotations

import json
from typing import Any

from tui.core.errors import cue, enums, http, icws, mws, sbc, sip, wcs
from tui.core.errors.context import SYSTEMS, Context, parse_int
from tui.core.errors.envelope import Envelope
from tui.core.errors.envelope import parse as parse_envelope
from tui.core.errors.result import KNOWN, PLAUSIBLE, SHAPE, Decoded, Inspection
from tui.core.protocols.xml import XmlRefused, local, parse_xml_text
from tui.core.sanitize import NestedTooDeeply, clean_block, clean_value

MAX_INPUT_CHARS = 512 * 1024
"""Longer input is refused with a message: paste the error itself, not a whole log."""

MAX_XML_BYTES = 1024 * 1024
"""An XML error document larger than this (in UTF-8) is refused before it is parsed."""

ACCEPTED = (
    "an ICWS errorId (error.request…) or error body, an SBC app code (31003 3|2, or the "
    "<app_status_entry/> XML), a CUE XML error document, an MWS JSON error, a WCS info "
    "(Failed by ICE timeout) or event body, SIP 486 or a SIP message, an HTTP status, "
    "or an enumeration value (licenseStatus 2)"
)
NOT_RECOGNISED = f"expected {ACCEPTED}"


class _Why:
    """The first reason a shape-specific decoder gave up, for the 'not recognised' text."""

    def __init__(self) -> None:
        self.reason = ""

    def __call__(self, reason: str) -> None:
        if not self.reason:
            self.reason = reason


def parse_json(text: str) -> tuple[Any, str]:
    """Parse JSON and clean every string in it, keys too: ``\\u001b`` and ``\\ud800``
    escapes become unsafe characters only once parsed, after the input text was cleaned."""
    try:
        return clean_value(json.loads(text)), ""
    except (RecursionError, NestedTooDeeply):
        return None, "JSON nested too deeply"
    except ValueError as exc:
        return None, f"JSON, but not valid: {exc}"


def _xml_readings(ctx: Context, body: str, env: Envelope, why: _Why) -> list[Decoded]:
    try:
        root, _ = parse_xml_text(body, max_bytes=MAX_XML_BYTES)
    except XmlRefused as refused:
        why(str(refused))
        return []
    readings = []
    reading = sbc.decode_xml(ctx, root)
    if reading is not None:
        readings.append(reading)
    reading = cue.decode_xml(ctx, root, env.http_status)
    if reading is not None:
        readings.append(reading)
    if not readings:
        name = local(root)
        why(f"XML, but neither an SBC status block nor a CUE error document (<{name}>)")
    return readings


def _json_readings(ctx: Context, body: str, env: Envelope, why: _Why) -> list[Decoded]:
    obj, problem = parse_json(body)
    if problem:
        why(problem)
        return []
    readings: list[Decoded] = []
    found = icws.find_error_body(obj)
    if found is not None:
        error, carrier = found
        icws_reading = icws.decode_error_body(
            ctx, error, carrier=carrier, http_status=env.http_status
        )
        enum_found = enums.find_in_json(ctx, obj)
        if enum_found:
            extra = enums.json_items(enum_found)
            icws_reading = Decoded(
                icws_reading.kind,
                icws_reading.summary,
                (*icws_reading.items, *extra),
                icws_reading.fields,
                icws_reading.confidence,
                icws_reading.tone,
            )
        readings.append(icws_reading)
    if isinstance(obj, dict) and mws.matches(obj):
        readings.append(mws.decode(ctx, obj, env.http_status))
    if isinstance(obj, dict) and (wcs.matches_event(obj) or (env.method and "status" in obj)):
        readings.append(
            wcs.decode_event(ctx, obj, method=env.method, reply_status=env.reply_status)
        )
    if not readings:
        reading = enums.decode_json(ctx, obj)
        if reading is not None:
            readings.append(reading)
    if not readings:
        why("JSON, but not an ICWS, MWS or WCS error body, and no known enumeration field")
    return readings


def _number_readings(ctx: Context, value: int, rest: str) -> list[Decoded]:
    """A bare number (maybe with a reason phrase): every system it could belong to."""
    readings: list[Decoded] = []
    phrase = rest.strip().casefold()
    sip_entry = ctx.catalogs.sip.get(value)
    http_entry = ctx.catalogs.http.get(value)
    if 100 <= value <= 699:
        conf = KNOWN if sip_entry else PLAUSIBLE
        if phrase and sip_entry and sip_entry.reason.casefold() == phrase:
            conf = SHAPE
        reading = sip.decode_status(ctx, value, reason_text=rest.strip(), confidence=conf)
        if reading is not None and (not phrase or conf == SHAPE):
            readings.append(reading)
    if 100 <= value <= 599:
        conf = KNOWN if http_entry else PLAUSIBLE
        if phrase and http_entry and http_entry.reason.casefold() == phrase:
            conf = SHAPE
        reading = http.decode_http_status(ctx, value, reason_text=rest.strip(), confidence=conf)
        if reading is not None and (not phrase or conf == SHAPE):
            readings.append(reading)
    if value in ctx.catalogs.icws_codes and (value < 0 or value > 7) and not phrase:
        readings.append(icws.decode_error_code(ctx, value, confidence=KNOWN))
    elif value < -(1 << 30) and not phrase:
        readings.append(icws.decode_error_code(ctx, value, confidence=PLAUSIBLE))
    return readings


def _prefixed(ctx: Context, head: str, rest: str) -> list[Decoded]:
    """``sbc 31003 3|2``, ``icws 401``, ``mws 422``, ``http 503``, ``q850 17``, ``cause=17``."""
    key = head.casefold().rstrip(":")
    if key == "sbc":
        if rest.casefold().startswith("http "):
            rest = rest[5:].strip()
            status = parse_int(rest)
            reading = http.decode_http_status(ctx, status, system="sbc") if status else None
            return [reading] if reading else []
        status = parse_int(rest)
        if status is not None and 100 <= status <= 599 and status not in ctx.catalogs.sbc_codes:
            # an http_code rather than an app code (those are 5 digits): offer both
            found = [
                http.decode_http_status(ctx, status, system="sbc"),
                sbc.decode_text(ctx, rest, prefixed=True, confidence=PLAUSIBLE),
            ]
            return [r for r in found if r is not None]
        reading = sbc.decode_text(ctx, rest, prefixed=True)
        return [reading] if reading else []
    value = parse_int(rest.split(" ", 1)[0]) if rest else None
    if key in ("q.850", "q850", "cause") and value is not None:
        reading = sip.decode_q850(ctx, value, rest.partition(" ")[2])
        return [reading] if reading else []
    if key == "http" and value is not None:
        reading = http.decode_http_status(
            ctx, value, reason_text=rest.partition(" ")[2].strip(), confidence=SHAPE
        )
        return [reading] if reading else []
    if key in SYSTEMS and value is not None:
        readings = []
        if key == "icws" and value in ctx.catalogs.icws_codes:
            readings.append(icws.decode_error_code(ctx, value, confidence=SHAPE))
        reading = http.decode_http_status(ctx, value, system=key)
        if reading is not None:
            readings.append(reading)
        return readings
    if key == "icws" and rest:
        reading = icws.decode_bare(ctx, rest)
        return [reading] if reading else []
    if key == "wcs" and rest:
        reading = wcs.decode_info(ctx, rest)
        return [reading] if reading else []
    return []


def _token_readings(ctx: Context, text: str, env: Envelope, why: _Why) -> list[Decoded]:
    line = " ".join(text.split())
    unquoted = line.strip("'\"`")
    reading = icws.decode_bare(ctx, unquoted)
    if reading is not None:
        return [reading]
    reading = sip.decode_info_form(ctx, line)
    if reading is not None:
        return [reading]
    reading = wcs.decode_info(ctx, unquoted)
    if reading is not None:
        return [reading]
    head, _, rest = line.partition(" ")
    if head.casefold().startswith("cause="):
        head, rest = "cause", head.split("=", 1)[1] + " " + rest
    readings = _prefixed(ctx, head, rest.strip())
    if readings:
        return readings
    if line.casefold().startswith("q.850;"):  # a bare Reason header value
        _, records = sip.reason_items(ctx, line)
        cause = records[0].get("cause") if records else None
        if cause is not None:
            reading = sip.decode_q850(ctx, cause, records[0].get("text", ""))
            return [reading] if reading else []
    reading = enums.decode_text(ctx, unquoted)
    if reading is not None:
        return [reading]
    readings = []
    reading = sbc.decode_text(ctx, line)
    if reading is not None:
        readings.append(reading)
    value = parse_int(head)
    if value is not None:
        readings.extend(_number_readings(ctx, value, rest))
    if not readings and env.method and env.reply_status:
        reading = wcs.decode_hook_answer(ctx, env.method, env.reply_status)
        if reading is not None:
            readings.append(reading)
    if not readings and (found := icws.find_error_id(text)):
        reading = icws.decode_error_id(ctx, found, confidence=PLAUSIBLE)
        readings.append(reading)
    return readings


class ErrorDecoder:
    """Auto-detecting front door to every decoder: ``inspect(text)`` → :class:`Inspection`."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def inspect(self, text: str, origin: str = "") -> Inspection:
        """Decode ``text`` (anything pasted); never raises."""
        if len(text) > MAX_INPUT_CHARS:
            return Inspection(
                text[:2000],
                problem=f"input is {len(text):,} characters; the limit is {MAX_INPUT_CHARS:,}: "
                "paste the error itself, not a whole log",
                origin=origin,
            )
        clean = clean_block(text).strip()
        if not clean:
            return Inspection(clean, problem="nothing to decode: paste an error", origin=origin)
        why = _Why()
        try:
            readings = self._readings(clean, why)
        except Exception as exc:  # a decoder bug must never take the console down
            return Inspection(
                clean,
                problem=f"internal decoder error ({type(exc).__name__}: {exc}); "
                "please report it with this input",
                origin=origin,
            )
        readings.sort(key=lambda r: -r.confidence)
        return Inspection(
            clean, tuple(readings), "" if readings else why.reason or NOT_RECOGNISED, origin
        )

    def _readings(self, text: str, why: _Why) -> list[Decoded]:
        ctx = self.context
        env = parse_envelope(text)
        body = env.body
        readings: list[Decoded] = []
        if body.startswith("<"):
            readings = _xml_readings(ctx, body, env, why)
        elif body[:1] in ("{", "["):
            readings = _json_readings(ctx, body, env, why)
        elif sip.STATUS_LINE.match(body) or sip.REQUEST_LINE.match(body):
            reading = sip.decode_message(ctx, body)
            readings = [reading] if reading else []
        elif body:
            readings = _token_readings(ctx, body, env, why)
        if env.http_status is not None and not any(r.confidence == SHAPE for r in readings):
            note = "" if not body else "not recognised: " + (why.reason or "unknown format")
            reading = http.decode_http_status(
                ctx,
                env.http_status,
                system=env.system,
                reason_text=env.http_reason,
                confidence=SHAPE,
                body_note=note,
            )
            readings = [reading] if reading else readings
        elif env.method and env.reply_status and not readings:
            reading = wcs.decode_hook_answer(ctx, env.method, env.reply_status)
            readings = [reading] if reading else []
        return readings
