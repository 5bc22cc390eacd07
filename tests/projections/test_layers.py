"""How projections is layered: it imports ledger and never api, its modules import
no loop (function-level imports count), and query.py is the one way in for reads."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from tests.support.paths import ROOT

PACKAGE = ROOT / "projections"


def modules() -> dict[str, set[str]]:
    """Each module of projections, and every module name it imports, anywhere in it."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[name] = imported
    return found


def loops(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Each chain of imports that comes back to where it started."""
    done: set[str] = set()

    def walk(name: str, path: list[str]) -> Iterator[list[str]]:
        for target in sorted(graph[name] & graph.keys()):
            if target in path:
                yield [*path[path.index(target) :], target]
            elif target not in done:
                yield from walk(target, [*path, target])
        done.add(name)

    for name in sorted(graph):
        if name not in done:
            yield from walk(name, [name])


def test_projections_imports_no_loop() -> None:
    graph = modules()
    assert "projections.query" in graph and len(graph) > 10
    assert list(loops(graph)) == []


def test_a_loop_is_found_however_deep_the_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert list(loops(graph)) == [["a", "b", "c", "a"]]


def test_projections_imports_ledger_and_never_api() -> None:
    ours = {t.split(".")[0] for names in modules().values() for t in names}
    assert "ledger" in ours
    assert "api" not in ours


def test_tables_and_reports_do_not_import_the_read_entry_point() -> None:
    found = {
        name
        for name, imported in modules().items()
        if name.startswith(("projections.tables", "projections.reports"))
        and any(t == "projections.query" or t.startswith("projections.query.") for t in imported)
    }
    assert found == set()
