"""tui/ui/models stays Textual-free (the screens' models are built and tested without an app),
and tui/ui uses Textual's public API only (no ``textual.widgets._footer``-style imports)."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import tui.ui
import tui.ui.models
from tests.unit.test_core_purity import banned_imports

MODELS_DIR = Path(tui.ui.models.__file__).parent
UI_DIR = Path(tui.ui.__file__).parent


def private_textual_imports(path: Path) -> list[str]:
    """Imports of Textual modules whose names say they are private (a part starting with _)."""
    textual = [name for name in _imported(path) if name.split(".")[0] == "textual"]
    return [name for name in textual if any(part.startswith("_") for part in name.split("."))]


def _imported(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_the_private_import_scanner_flags_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from textual.widgets import Footer\nfrom textual.widgets._footer import FooterKey\n"
    )
    assert private_textual_imports(bad) == ["textual.widgets._footer"]


def test_the_ui_imports_no_private_textual_module() -> None:
    files = list(UI_DIR.rglob("*.py"))
    offenders = {str(p.relative_to(UI_DIR)): private_textual_imports(p) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_textual_import_statement_in_the_models() -> None:
    files = list(MODELS_DIR.rglob("*.py"))
    assert len(files) >= 5
    offenders = {str(p.relative_to(MODELS_DIR)): banned_imports(p) for p in files}
    textual = {k: [n for n in v if n.split(".")[0] == "textual"] for k, v in offenders.items()}
    assert {k: v for k, v in textual.items() if v} == {}


def test_importing_the_models_loads_no_textual() -> None:
    modules = ["tui.ui.models"] + [
        info.name for info in pkgutil.walk_packages([str(MODELS_DIR)], prefix="tui.ui.models.")
    ]
    assert "tui.ui.models.browser.rows" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []
