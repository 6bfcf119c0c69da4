"""What every decoder is given: the catalogs and the operator's handling rules."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.errors.catalog import Catalogs
from tui.core.errors.rules import HandlingRule
from tui.core.targets import KINDS

# The hook listener, ICWS, then every target kind: ``sbc 404`` reads as the SBC's HTTP 404.
SYSTEM_TITLES = {"wcs": "WCS", "icws": "ICWS", **{name: k.title for name, k in KINDS.items()}}
SYSTEMS = tuple(SYSTEM_TITLES)


@dataclass(frozen=True)
class Context:
    """Catalogs plus rules; built once at start (and again when the config changes)."""

    catalogs: Catalogs
    rules: tuple[HandlingRule, ...] = ()


def parse_int(text: str) -> int | None:
    """A decimal (optionally signed) or ``0x`` hex integer of sane length, else None.

    Hex values above 0x7FFFFFFF are read as signed 32-bit (HRESULTs: ``0x80040001``).
    """
    text = text.strip()
    if not text or len(text) > 24:
        return None
    try:
        if text.lower().startswith("0x"):
            value = int(text, 16)
            return value - (1 << 32) if 0x80000000 <= value <= 0xFFFFFFFF else value
        if text.lstrip("+-").isdigit() and text.lstrip("+-").isascii():
            return int(text)
    except ValueError:
        return None
    return None


def hresult(code: int) -> str:
    """``-2147221503`` → ``0x80040001`` (how Windows-born codes are usually written)."""
    return f"0x{code & 0xFFFFFFFF:08X}"
