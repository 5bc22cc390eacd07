"""The house itself: floors, packages, no import loops, files a reader can hold.

Three floors: ``ledger`` imports neither ``projections`` nor ``api``;
``projections`` imports only ``ledger``; ``api`` may import both. Some
packages are held closer (``MAY_IMPORT``): the formats are pure, the domain
knows no storage, the read models' tables and the reports do not read
through ``projections.query``. Inside the floors, modules import each other
without loops, counting imports made inside functions too (an import moved
into a function to dodge a loop is still a loop). No file is over 400
lines, and no filename prefix stands in for a package.
"""

from __future__ import annotations

import ast
from collections import Counter, defaultdict
from pathlib import Path

from tests.support.paths import ROOT

FLOORS = ("ledger", "projections", "api")
MAX_LINES = 400


def modules() -> dict[str, Path]:
    """Every first-party module, by dotted name."""
    found: dict[str, Path] = {}
    for floor in FLOORS:
        for path in sorted((ROOT / floor).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The first-party modules ``name`` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in known else base)
    return {t for t in targets if t in known and t != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, name, known) for name, path in known.items()}


def loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_loops_finds_a_loop_through_three_modules_and_none_in_a_chain() -> None:
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert loops({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_module_imports_itself_back_through_others() -> None:
    assert loops(graph()) == []


# What each floor or package may import of the house (the longest prefix that
# names a module decides). Formats are pure: no storage, no domain state.
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "ledger": ("ledger",),
    "ledger.formats": ("ledger.formats", "ledger.errors"),
    "ledger.domain": ("ledger.domain", "ledger.formats", "ledger.errors"),
    "projections": ("ledger", "projections"),
    "projections.tables": ("ledger", "projections.model", "projections.tables"),
    "projections.reports": ("ledger", "projections.model", "projections.reports"),
    "api": ("ledger", "projections", "api"),
}


def rule_of(name: str) -> tuple[str, ...]:
    owner = max((p for p in MAY_IMPORT if name == p or name.startswith(p + ".")), key=len)
    return MAY_IMPORT[owner]


def test_each_package_imports_only_what_it_may() -> None:
    breaking = sorted(
        f"{name} -> {target}"
        for name, targets in graph().items()
        for target in targets
        if not any(target == p or target.startswith(p + ".") for p in rule_of(name))
    )
    assert breaking == []


def test_the_rules_refuse_an_upward_import() -> None:
    assert rule_of("ledger.formats.dsse") == ("ledger.formats", "ledger.errors")
    assert not any("ledger.storage.sqlite".startswith(p) for p in rule_of("ledger.formats.vault"))
    assert not any("api.reading".startswith(p) for p in rule_of("projections.query"))


def test_no_file_is_over_400_lines() -> None:
    roots = [ROOT / floor for floor in (*FLOORS, "tests")]
    long = sorted(
        f"{path.relative_to(ROOT)}: {lines}"
        for root in roots
        for path in root.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    )
    assert long == []


def test_no_filename_prefix_stands_in_for_a_package() -> None:
    prefixes: Counter[tuple[Path, str]] = Counter()
    folders = defaultdict(list)
    for root in (*(ROOT / floor for floor in FLOORS), ROOT / "tests"):
        for path in root.rglob("*.py"):
            stem = path.stem.removeprefix("test_")
            if "_" in stem:
                prefixes[(path.parent, stem.split("_")[0])] += 1
                folders[(path.parent, stem.split("_")[0])].append(path.name)
    crowded = sorted(
        f"{folder.relative_to(ROOT)}/{prefix}_*: {sorted(folders[(folder, prefix)])}"
        for (folder, prefix), count in prefixes.items()
        if count >= 3
    )
    assert crowded == []
