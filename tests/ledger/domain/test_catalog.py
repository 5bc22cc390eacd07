"""The statement-type catalog is the one list of types: every table keyed by type follows it."""

from __future__ import annotations

from collections.abc import Collection

import pytest

from ledger.domain.catalog import CATALOG, footprint
from ledger.formats.schemas import BODY_TYPES, ROLES
from ledger.formats.versions import TYPES_1_3
from projections.tables.meanings import MEANINGS
from tests.ledger.audit.independent import ROLE as INDEPENDENT_ROLES
from tests.support.drafts import BUILDERS

# Every table keyed by statement type, with the types it may leave out (and why).
TABLES: dict[str, tuple[Collection[str], frozenset[str]]] = {
    "ledger.formats.schemas (bodies)": (BODY_TYPES, frozenset()),
    # what each type means for the read models (replay and tables alike)
    "projections.tables.meanings.MEANINGS": (MEANINGS, frozenset()),
    # the independent verifier's own roles (written from FORMATS.md); the opening is self-signed
    "tests.ledger.audit.independent.ROLE": (INDEPENDENT_ROLES, frozenset({"ledger.opened"})),
    # the ledger is opened by the story itself, not by a draft
    "tests.support.drafts.BUILDERS": (BUILDERS, frozenset({"ledger.opened"})),
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_keyed_by_statement_type_covers_the_catalog(table: str) -> None:
    keys, left_out = TABLES[table]
    assert set(keys) | left_out == set(CATALOG), f"{table} does not follow the catalog"
    assert not set(keys) & left_out


def test_the_independent_verifier_gives_each_type_the_catalog_s_role() -> None:
    for name, role in INDEPENDENT_ROLES.items():
        assert CATALOG[name].roles == {role}


def test_the_catalog_lists_the_twenty_three_types_with_their_roles() -> None:
    assert len(CATALOG) == 23 + sum(len(kinds) for kinds in TYPES_1_3.values())
    assert CATALOG["ledger.opened"].roles is None
    assert CATALOG["ledger.opened"].rule is None
    for name, row in CATALOG.items():
        assert row.name == name
        if name != "ledger.opened":
            assert row.roles and row.roles <= ROLES
            assert row.rule is not None


def test_a_statement_leaves_its_event_on_the_aggregate_its_row_names() -> None:
    statement = {
        "type": "payment.reversed",
        "body": {"payment_id": "0a6f0d2e-55a6-4bd4-9d2b-8c0f3e6b1a11", "reason": "x"},
    }
    aggregate_id, topic = footprint(statement)
    assert aggregate_id.hex == "0a6f0d2e55a64bd49d2b8c0f3e6b1a11"
    assert topic.endswith("Payment.Reversed")
