"""Every setting of every section has a docstring and appears in config.example.toml."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
import types
import typing
from functools import cache
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


@cache
def attribute_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """The string right under each annotated field of ``model`` and of the models it derives
    from (the config does not have pydantic read them: see tui/config/base.py)."""
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is BaseModel:
            continue
        try:
            source = textwrap.dedent(inspect.getsource(cls))
        except (OSError, TypeError):  # pydantic's own bases
            continue
        body = ast.parse(source).body[0]
        assert isinstance(body, ast.ClassDef)
        for field, after in zip(body.body, body.body[1:], strict=False):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                found[field.target.id] = after.value.value
    return found


@pytest.mark.parametrize(("table", "key", "model"), SETTINGS, ids=lambda v: str(v))
def test_every_setting_has_a_docstring(table, key, model) -> None:
    assert attribute_docstrings(model).get(key, "").strip(), f"{model.__name__}.{key}"


def test_the_docstring_reader_sees_a_missing_one() -> None:
    class Documented(BaseModel):
        port: int = 1
        """The port."""
        bind: str = ""
        other: int = 2
        """Another."""

    assert attribute_docstrings(Documented) == {"port": "The port.", "other": "Another."}


def test_every_setting_is_in_the_example() -> None:
    parts = regions(EXAMPLE.read_text(encoding="utf-8"))
    missing = [f"{t}.{k}" if t else k for t, k, _ in SETTINGS if not written(k, t, parts)]
    assert missing == []
