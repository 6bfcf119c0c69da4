"""ICWS enumerations and bit-flag enumerations: integers on the wire, names for the operator.

A plain enumeration maps one integer to one name. A bit-flags enumeration is the OR of its
values: ``6`` in ``emailSignatureStatus`` is CertificateNotTrusted | EmailHeaderMismatch, and
bits no value names are reported as unknown leftovers rather than ignored.
"""

from __future__ import annotations

import re
from typing import Any

from tui.core.errors.context import Context, parse_int
from tui.core.errors.entries import EnumDef
from tui.core.errors.result import KNOWN, SHAPE, Decoded, Item, branch

NAME_VALUE = re.compile(r"(?P<name>[A-Za-z_][\w.:]{0,120})\s*[=: ]\s*(?P<value>[-+]?\w{1,20})")
MAX_FOUND = 100
MAX_DEPTH = 12


def split_flags(enum: EnumDef, value: int) -> tuple[list[str], int]:
    """(names of the set flags, leftover bits no name covers)."""
    if value == 0:
        return ([enum.values[0]] if 0 in enum.values else []), 0
    names, covered = [], 0
    for bit, name in sorted(enum.values.items()):
        if bit > 0 and value & bit == bit:
            names.append(name)
            covered |= bit
    return names, value & ~covered


def describe_value(enum: EnumDef, value: int) -> tuple[str, dict[str, Any], bool]:
    """(text, JSON fields, known) for one value of one enumeration."""
    if enum.flags:
        if value < 0:
            return f"{value}: negative, not a bit-flags value", {"flags": []}, False
        names, leftover = split_flags(enum, value)
        text = " | ".join(names) if names else "(no named flags)"
        if leftover:
            text += f" + unknown bits 0x{leftover:X} ({leftover})"
        return text, {"flags": names, "unknown_bits": leftover}, not leftover
    name = enum.values.get(value)
    if name is None:
        known = ", ".join(f"{k} {v}" for k, v in sorted(enum.values.items()))
        return f"{value}: not a value of {enum.name} (known: {known})", {"name": None}, False
    meaning = enum.meanings.get(value, "")
    return name + (f" — {meaning}" if meaning else ""), {"name": name}, True


def _urn(enum: EnumDef) -> str:
    return enum.name if enum.name.startswith("example:") else f"urn:inin.com:{enum.name}"


def _values_branch(enum: EnumDef) -> Item:
    rows = [
        Item(f"{k}" if not enum.flags else f"{k} (0x{k:X})", v)
        for k, v in sorted(enum.values.items())
    ]
    return branch("all values", rows, expanded=False)


def decode_value(ctx: Context, enum: EnumDef, value: int) -> Decoded:
    text, extra, known = describe_value(enum, value)
    kind = "flags" if enum.flags else "enum"
    items = [
        Item("enumeration", _urn(enum), tone="code"),
        Item("value", f"{value}" + (f" (0x{value:X})" if enum.flags and value >= 0 else "")),
        Item("flags set" if enum.flags else "name", text, tone="good" if known else "warn"),
        _values_branch(enum),
    ]
    if enum.note:
        items.insert(1, Item("note", enum.note, tone="warn"))
    fields = {"enum": enum.name, "value": value, **extra}
    summary = f"{enum.name} {value} = {text}"
    if enum.note.startswith("ILLUSTRATIVE"):
        summary += " [illustrative]"
    return Decoded(kind, summary, tuple(items), fields, SHAPE, "info" if known else "warn")


def decode_listing(enum: EnumDef) -> Decoded:
    """An enumeration's name alone: list its values."""
    items = (Item("enumeration", _urn(enum), tone="code"), _values_branch(enum))
    kind = "bit flags" if enum.flags else "enumeration"
    summary = f"{enum.name}: {kind} of {len(enum.values)} values"
    fields = {"enum": enum.name, "values": {str(k): v for k, v in enum.values.items()}}
    return Decoded("flags" if enum.flags else "enum", summary, items, fields, KNOWN, "info")


def decode_text(ctx: Context, text: str) -> Decoded | None:
    """``licenseStatus 2``, ``licenses:licenseStatus=2``, ``emailSignatureStatus 0x86``."""
    text = text.strip()
    match = NAME_VALUE.fullmatch(text)
    if match:
        enum = ctx.catalogs.enum(match.group("name"))
        value = parse_int(match.group("value"))
        if enum is not None and value is not None:
            return decode_value(ctx, enum, value)
        return None
    enum = ctx.catalogs.enum(text) if " " not in text else None
    return decode_listing(enum) if enum else None


def find_in_json(ctx: Context, obj: Any) -> list[tuple[str, EnumDef, int]]:
    """(path, enumeration, value) for every known enum field in a JSON value."""
    by_field: dict[str, list[EnumDef]] = {}
    for enum in ctx.catalogs.icws_enums.values():
        for name in enum.fields:
            by_field.setdefault(name, []).append(enum)
    found: list[tuple[str, EnumDef, int]] = []
    stack: list[tuple[Any, str, str, int]] = [(obj, "", "", 0)]
    while stack and len(found) < MAX_FOUND:
        node, path, msg_type, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            own_type = node.get("__type")
            msg_type = own_type if isinstance(own_type, str) else msg_type
            for key, value in list(node.items())[:500]:
                sub = f"{path}.{key}" if path else str(key)
                for enum in by_field.get(str(key), []):
                    if enum.types and msg_type not in enum.types:
                        continue
                    values = value if isinstance(value, list) else [value]
                    for item in values[:50]:
                        if isinstance(item, int) and not isinstance(item, bool):
                            found.append((sub, enum, item))
                    break
                if isinstance(value, dict | list):
                    stack.append((value, sub, msg_type, depth + 1))
        elif isinstance(node, list):
            for index, value in enumerate(node[:500]):
                if isinstance(value, dict | list):
                    stack.append((value, f"{path}[{index}]", msg_type, depth + 1))
    found.sort(key=lambda f: f[0])
    return found


def json_items(found: list[tuple[str, EnumDef, int]]) -> list[Item]:
    items = []
    for path, enum, value in found:
        text, _, known = describe_value(enum, value)
        items.append(
            Item(
                f"{path} = {value}",
                f"{enum.name}: {text}",
                tone="info" if known else "warn",
            )
        )
    return items


def decode_json(ctx: Context, obj: Any) -> Decoded | None:
    """A JSON message whose only interesting content is enumeration values."""
    found = find_in_json(ctx, obj)
    if not found:
        return None
    path, enum, value = found[0]
    first, _, _ = describe_value(enum, value)
    more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
    summary = f"{path} = {value}: {enum.name} {first}{more}"
    values = []
    for p, e, v in found:
        _, extra, _ = describe_value(e, v)
        values.append({"path": p, "enum": e.name, "value": v, **extra})
    items = (branch("enumeration values", json_items(found)),)
    return Decoded("enum", summary, items, {"values": values}, SHAPE, "info")
