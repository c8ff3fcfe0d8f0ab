"""The store stands alone: importing it pulls in no UI, and no store module imports the UI."""

import ast
import pathlib
import subprocess
import sys

STORE = pathlib.Path(__file__).resolve().parents[2] / "store"


def test_importing_store_does_not_import_textual():
    code = "import sys, store; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_store_module_names_the_ui():
    for path in STORE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("textual", "tui", "rich"), (
                    f"{path.name} imports {name}"
                )
