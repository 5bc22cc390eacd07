"""The ledger's modules import without loops, formats import no layer above, files stay short."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEDGER = ROOT / "ledger"
MAX_LINES = 400


def _module(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _imports() -> dict[str, set[str]]:
    """Each ledger module and the ledger modules it imports, at any level of the code."""
    modules = {_module(p): p for p in LEDGER.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    found.add(child if child in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The modules that reach themselves through their imports, grouped (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                loops.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return loops


def test_no_ledger_module_imports_itself_back_through_others() -> None:
    assert _loops(_imports()) == []


def test_the_formats_import_nothing_but_the_formats_and_the_errors() -> None:
    allowed = ("ledger.formats", "ledger.errors")
    for name, imported in _imports().items():
        if name.startswith("ledger.formats"):
            assert all(m.startswith(allowed) for m in imported), (name, imported)


def test_the_domain_imports_no_storage_signatures_or_application() -> None:
    for name, imported in _imports().items():
        if name.startswith("ledger.domain"):
            assert all(
                m.startswith(("ledger.domain", "ledger.formats", "ledger.errors")) for m in imported
            ), (name, imported)


def test_no_file_of_the_ledger_or_its_tests_passes_four_hundred_lines() -> None:
    long = [
        str(p.relative_to(ROOT))
        for folder in (LEDGER, ROOT / "tests" / "ledger")
        for p in folder.rglob("*.py")
        if len(p.read_text().splitlines()) > MAX_LINES
    ]
    assert long == []
