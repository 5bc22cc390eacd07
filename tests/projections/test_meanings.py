"""Every table in projections keyed by statement type knows every type the ledger accepts,
so a new statement type cannot be forgotten by one read model and not by another."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from typing import Any

import projections
from ledger.domain.catalog import CATALOG
from ledger.formats.versions import TYPES_1_3
from projections.tables.meanings import MEANINGS, Meaning


def keyed_by_statement_type() -> Iterator[tuple[str, Mapping[Any, Any]]]:
    """(where, table) for each module-level mapping in projections keyed by statement type."""
    seen: set[int] = {id(CATALOG)}
    for info in pkgutil.walk_packages(projections.__path__, "projections."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if not isinstance(value, Mapping) or id(value) in seen:
                continue
            seen.add(id(value))
            if any(isinstance(key, str) and key in CATALOG for key in value):
                yield f"{info.name}.{name}", value


def missing(table: Mapping[Any, Any]) -> set[str]:
    return set(CATALOG) - set(table)


def test_every_table_keyed_by_statement_type_holds_every_type_the_ledger_accepts() -> None:
    found = dict(keyed_by_statement_type())
    assert "projections.tables.meanings.MEANINGS" in found
    assert {where: missing(table) for where, table in found.items()} == {w: set() for w in found}


def test_a_table_that_forgets_a_type_is_caught() -> None:
    forgetful = {kind: meaning for kind, meaning in MEANINGS.items() if kind != "person.died"}
    assert missing(forgetful) == {"person.died"}
    assert missing({**forgetful, "person.died": Meaning()}) == set()


def test_each_type_that_changes_a_snapshot_also_writes_rows_of_one_read_model() -> None:
    for kind, meaning in MEANINGS.items():
        changes = (meaning.snapshot is not None, meaning.rows is not None)
        assert changes in {(True, True), (False, False)}, kind
        assert (meaning.model is not None) == changes[0], kind
    assert {k for k, m in MEANINGS.items() if m.model is None} == {
        "key.revoked",
        "inspection.attested",
        "ledger.formats.adopted",
        "identity.reviewed",
    } | set(TYPES_1_3["agents"])  # paying agents: read from the log (docs/formats.md 11.3)
