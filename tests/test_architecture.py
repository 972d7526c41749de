"""The house: each stage of kg is one folder, imports run one way (commands -> stages -> basics), no circles.

Issue 13. The imports are read from the source with ``ast`` (every ``import kg...`` and ``from kg... import``,
also those inside functions), so a lazy import counts as much as one at the top.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import kg

PACKAGE = Path(kg.__file__).parent
MAX_LINES = 500

# The floors, lowest first: a module may import its own floor and those below it, never one above.
FLOORS = ["core", "sources", "extract", "review", "graph", "query", "view analysis", "serve", "bench", "cli"]
FLOOR = {stage: n for n, names in enumerate(FLOORS) for stage in names.split()}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """The kg modules a file imports (``from kg.x import y`` counts kg.x.y when that is a module)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name == "kg" or a.name.startswith("kg.")}
        elif isinstance(node, ast.ImportFrom) and node.module and (node.module + ".").startswith("kg."):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                names.add(child if child in MODULES else node.module)
    return names


GRAPH = {name: {i for i in _imports(path) if i in MODULES and i != name} for name, path in MODULES.items()}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.endswith("__main__")))
def test_every_module_imports(module):
    importlib.import_module(module)


def test_every_module_lives_in_a_stage_folder():
    loose = [m for m in MODULES if m != "kg" and _stage(m) not in FLOOR]
    assert loose == [], "modules outside the stage folders (FLOORS in this test names them)"


def test_imports_run_downward_only():
    upward = []
    for module, imported in GRAPH.items():
        stage = _stage(module)
        for other in imported:
            if stage and _stage(other) and FLOOR[_stage(other)] > FLOOR[stage]:
                upward.append(f"{module} -> {other}")
    assert upward == []


def test_no_import_circles():
    """Within a stage too: a module and the modules it imports never lead back to it."""
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for other in sorted(GRAPH[module]):
            if other == path[0]:
                circles.append(" -> ".join([*path, other]))
            elif other not in path and len(path) < 12:
                visit(other, [*path, other])

    for module in sorted(GRAPH):
        if module != "kg":  # kg/__init__ imports nothing at import time; its exports are looked up on use
            visit(module, [module])
    assert circles == []


def test_no_module_is_over_500_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_top_package_exports_resolve():
    for name in kg.__all__:
        assert getattr(kg, name) is not None
