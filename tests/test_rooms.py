"""The rooms of macros/ import each other without a cycle (read from the source, so the test
runs even when a cycle would stop the modules from importing)."""

from __future__ import annotations

import ast
from pathlib import Path

MACROS = Path(__file__).resolve().parents[1] / "macros"


def _imports(path: Path) -> set[str]:
    """The project modules a file imports when it is imported (not those imported in functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) else []:
            if isinstance(sub, ast.ImportFrom) and sub.module and sub.module.startswith("preparedness_handbook.macros"):
                found.add(sub.module)
                for alias in sub.names:
                    found.add(f"{sub.module}.{alias.name}")
    return found


def test_macros_has_no_import_cycles() -> None:
    modules = {}
    for path in MACROS.rglob("*.py"):
        rel = path.relative_to(MACROS).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        modules[".".join(("preparedness_handbook", "macros", *parts))] = path
    graph = {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}
    state: dict[str, int] = {}

    def visit(m: str, trail: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle = [*trail[trail.index(n):], n] if n in trail else [m, n]
                raise AssertionError("import cycle: " + " → ".join(x.split(".", 2)[2] for x in cycle))
            if n not in state:
                visit(n, [*trail, n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
