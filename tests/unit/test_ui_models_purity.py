"""tui/ui/models stays Textual-free: the screens' models are built and tested without an app."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import tui.ui.models
from tests.unit.test_core_purity import banned_imports

MODELS_DIR = Path(tui.ui.models.__file__).parent


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
