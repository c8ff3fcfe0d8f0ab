"""The layers hold: the store stands alone (no UI), has no import circles (local imports count),
and the UI reaches the store only through its public surface."""

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
STORE = ROOT / "store"
TUI = ROOT / "tui"


def imports_of(path: pathlib.Path, *, names: bool = True) -> list[tuple[str, int]]:
    """Every module `path` imports (absolute names), at any depth of the file, with its line;
    with `names`, also `package.name` for each `from package import name` (it may be a module)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            found.append((module, node.lineno))
            for alias in (
                node.names if names else ()
            ):  # `from . import audit` imports the submodule store.audit
                found.append((f"{module}.{alias.name}", node.lineno))
    return found


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def store_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in STORE.rglob("*.py")}
    return {
        name: {target for target, _ in imports_of(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def test_importing_store_does_not_import_textual():
    code = "import sys, store; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui', 'rich')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_store_module_names_the_ui():
    for path in STORE.rglob("*.py"):
        for name, line in imports_of(path):
            assert name.split(".")[0] not in ("textual", "tui", "rich"), f"{path}:{line} {name}"


def test_the_store_has_no_import_circles():
    graph = store_graph()
    path: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in path:
            circle = [*path[path.index(module) :], module]
            raise AssertionError("import circle: " + " → ".join(circle))
        if module in done:
            return
        path.append(module)
        for target in sorted(graph[module]):
            visit(target)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_the_ui_imports_only_the_stores_public_surface():
    forbidden = ("peewee", "playhouse", "apsw", "sqlite3")
    for path in TUI.rglob("*.py"):
        for name, line in imports_of(path, names=False):
            top = name.split(".")[0]
            assert top not in forbidden, f"{path.relative_to(ROOT)}:{line} imports {name}"
            assert not name.startswith("store."), (
                f"{path.relative_to(ROOT)}:{line} imports {name}; add it to store's surface"
            )
