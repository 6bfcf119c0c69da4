"""Every setting of every section has a docstring and appears in config.example.toml."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from tui.config import AppConfig

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"
HEADER = re.compile(r"^#?\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(?:#.*)?$")


def _models_in(annotation: object) -> list[tuple[type[BaseModel], bool]]:
    """The models an annotation holds: (model, True) inside a dict (keyed by any name)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, False)]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict:
        return [(model, True) for model, _ in _models_in(args[1])]
    if origin in (list, typing.Union, types.UnionType) or origin is typing.Annotated:
        return [found for arg in args for found in _models_in(arg)]
    return []


def settings(model: type[BaseModel], table: str = "") -> list[tuple[str, str, type[BaseModel]]]:
    """(table, key, model) for every field of ``model`` and of every model below it."""
    out = []
    for key, field in model.model_fields.items():
        out.append((table, key, model))
        below = f"{table}.{key}" if table else key
        for sub, keyed in _models_in(field.annotation):
            out += settings(sub, f"{below}.*" if keyed else below)
    return out


SETTINGS = settings(AppConfig)


def regions(text: str) -> dict[str, str]:
    """The example's text under each table header (commented-out headers count)."""
    found: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        match = HEADER.match(line.strip())
        if match:
            current = match.group(1)
            found.setdefault(current, [])
        else:
            found[current].append(line)
    return {name: "\n".join(lines) for name, lines in found.items()}


def _path(table: str) -> re.Pattern[str]:
    """Table names matching ``table`` or below it (a ``*`` stands for any one name)."""
    return re.compile("^" + re.escape(table).replace(r"\*", "[^.]+") + r"(\..+)?$")


def written(key: str, table: str, parts: dict[str, str]) -> bool:
    """``key = ...`` appears under ``table``, under a table below it, or inline under a table
    above it (``queues = [{ type = ... }]``); or the example has a table of that name."""
    own = f"{table}.{key}" if table else key
    if any(_path(own).match(name) for name in parts):
        return True
    pattern = re.compile(rf'(?:^|[\s{{,#])"?{re.escape(key)}"?\s*=', re.M)
    wanted = _path(table)
    for name, body in parts.items():
        inline_above = bool(name) and table.startswith(name + ".")
        if (wanted.match(name) or inline_above) and pattern.search(body):
            return True
    return False


def test_the_walk_reaches_nested_tables() -> None:
    found = {(table, key) for table, key, _ in SETTINGS}
    for expected in [
        ("", "icws"),
        ("icws", "queues"),
        ("icws.queues", "attributes"),
        ("icws.statistics", "parameters"),
        ("targets", "ca_file"),
        ("hooks.rules", "match"),
        ("hooks.rest_client_config.*", "restPolicy"),
        ("errors.rules", "runbook"),
    ]:
        assert expected in found
    assert len(SETTINGS) > 90


def test_the_check_sees_a_missing_key() -> None:
    parts = regions("[hooks]\nport = 1\n# [[hooks.rules]]\n# name = 'x'\n")
    assert written("port", "hooks", parts)
    assert written("name", "hooks.rules", parts)
    assert written("rules", "hooks", parts)
    assert not written("bind", "hooks", parts)
    assert not written("port", "ui", parts)
    assert not written("ui", "", parts)


@pytest.mark.parametrize(("table", "key", "model"), SETTINGS, ids=lambda v: str(v))
def test_every_setting_has_a_docstring(table, key, model) -> None:
    assert (model.model_fields[key].description or "").strip(), f"{model.__name__}.{key}"


def test_every_setting_is_in_the_example() -> None:
    parts = regions(EXAMPLE.read_text(encoding="utf-8"))
    missing = [f"{t}.{k}" if t else k for t, k, _ in SETTINGS if not written(k, t, parts)]
    assert missing == []
