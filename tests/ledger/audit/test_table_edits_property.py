"""Any single edit of a stored table that changes an answer of the ledger is found by verify.

A small ledger (every kind of statement the tables hold) is built once on
SQLite, checkpointed, its node cache and read models caught up. Hypothesis
then makes one random edit of one row of one table (delete it, change one
column, or copy it under a changed key) on a copy of the file, and asks
the ledger everything it answers from its tables: the state acceptance
decides from (every aggregate, every nonce claim), the log and its proofs,
every read-model table, the vault's records. Whenever any answer differs
from the untouched ledger's, ``verify --db`` must fail, and fail only with
:class:`VerificationFailed`.

Three things are left out on purpose, and the README says so: a vault
record deleted (the right to erasure: the log keeps the commitment), a
stored checkpoint deleted (the others still verify; a checkpoint kept by an
inspector or a witness proves the log extends it: ``verify --since``), and
the times stored beside what is signed (a checkpoint's ``issued_at``, a
sealed record's ``recorded_at``, an event's ``timestamp``), which no answer
uses.
"""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ledger.application import LedgerApplication
from ledger.audit.verifier import VerificationFailed
from ledger.domain.log import LOG_ID, claim_key
from ledger.formats.vault import VaultKey
from ledger.tlog.merkle_log import MerkleLog
from projections.tables.audit import verify_database
from projections.tables.runner import Projections
from projections.tables.schema import TABLES
from tests.conftest import Officers, Story, new_id

VAULT_KEY = VaultKey(b"\x07" * 32)
# A deleted vault record is an erasure, which the ledger allows; a deleted
# checkpoint leaves the others valid (a kept one or a witness proves it: --since).
FORGETTABLE = {"ansinh_vault", "ansinh_checkpoints"}
UNSIGNED_TIMES = {("ansinh_checkpoints", "issued_at"), ("ansinh_vault", "recorded_at")}
# The ledger's own tables more often than each read model's: they hold more kinds of row.
EDITED_TABLES = [
    *["stored_events"] * 6,
    *["ansinh_nonces", "ansinh_vault", "ansinh_merkle_nodes", "ansinh_checkpoints"] * 2,
    *["tracking", "proj_position"] * 2,
    *TABLES,
]


@dataclass(frozen=True)
class Built:
    path: Path
    aggregates: tuple[str, ...]  # every aggregate id (hex), as stored
    claims: tuple[tuple[str, str], ...]  # (by, nonce) of every entry
    people: tuple[str, ...]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    path = tmp_path_factory.mktemp("edits") / "ledger.db"
    app = LedgerApplication(str(path), vault_key=VAULT_KEY)
    officers = Officers()
    app.submit(officers.opened())
    for name in ("registrar", "approver", "cashier", "inspector", "registrar2"):
        app.submit(officers.register(name))
    story = Story(app, officers)
    hid, other = story.household(), story.household("Bản Mòn")
    people = [story.person(hid), story.person(hid), story.person(other)]
    program = story.program()
    paid = story.benefit(program, people[0])
    story.benefit(program, people[1], approve=False)
    story.submit(
        officers.sub("approver", "benefit.rejected", {"benefit_id": story.benefit(
            program, people[2], approve=False), "reason": "không đủ điều kiện"})
    )  # fmt: skip
    payments = [story.pay(paid, people[0], month=f"2022-0{m}") for m in (1, 2, 3)]
    first = app.entry(payments[0].index)
    payment_id = json.loads(base64.b64decode(first.envelope["payload"]))["body"]["payment_id"]
    story.submit(
        officers.sub("cashier", "payment.reversed", {"payment_id": payment_id, "reason": "sai"})
    )
    story.submit(
        officers.sub("registrar", "person.moved", {"person_id": people[1], "household_id": other})
    )
    story.submit(
        officers.sub("registrar", "person.died", {"person_id": people[2], "date": "2022-03-02"})
    )
    proposal = new_id()
    story.submit(
        officers.sub(
            "registrar",
            "household.status.proposed",
            {"proposal_id": proposal, "household_id": hid, "status": "poor",
             "effective": "2022-01-01", "basis": {"note": "rà soát"}},
        )
    )  # fmt: skip
    story.submit(
        officers.sub(
            "approver",
            "household.status.approved",
            {"proposal_id": proposal, "decision": {"number": "3/QĐ", "date": "2022-01-05"}},
        )
    )
    mlog = MerkleLog(app)
    mlog.issue(officers.keys["notary"])
    story.household("Bản Lả")
    mlog.issue(officers.keys["notary"])
    Projections(app).catch_up()
    claims = []
    for entry in app.entries():
        statement = json.loads(base64.b64decode(entry.envelope["payload"]))
        claims.append((statement["by"], statement["nonce"]))
    app.close()
    with closing(sqlite3.connect(path)) as conn:
        aggregates = tuple(
            r[0]
            for r in conn.execute("SELECT DISTINCT originator_id FROM stored_events")
            if r[0] != LOG_ID.hex
        )
    return Built(path, aggregates, tuple(claims), tuple(people))


def answers(path: Path, built: Built) -> dict[str, Any]:
    """Everything the ledger answers from its tables, each answer or the error it gives."""
    out: dict[str, Any] = {}
    app = LedgerApplication(str(path), vault_key=VAULT_KEY)
    try:

        def ask(name: str, question: Any) -> None:
            try:
                out[name] = question()
            except Exception as exc:  # an answer too: what the ledger would say
                out[name] = f"error {type(exc).__name__}"

        # What a server does first: bring the node cache and the read models up to date
        # (a moved tracking position shows here).
        ask("merkle catch-up", lambda: MerkleLog(app).catch_up())
        ask("projections catch-up", lambda: Projections(app).catch_up())
        ask("size", app.size)
        ask("log", lambda: [e.leaf for e in app.entries()])
        for aggregate in built.aggregates:
            ask(f"aggregate {aggregate}", lambda a=aggregate: _state(app, a))
        for by, nonce in built.claims:
            ask(f"claim {by[:8]}/{nonce}", lambda b=by, n=nonce: app._claim(claim_key(b, n)))
        for person in built.people:
            ask(f"vault {person}", lambda p=person: app.vault_record(p))
        ask("checkpoints", lambda: [(c.size, c.root, c.note) for c in MerkleLog(app).checkpoints()])
        ask("proofs", lambda: _proofs(MerkleLog(app)))
        ask("positions", lambda: Projections(app).store.positions())
        for table in TABLES:
            ask(table, lambda t=table: Projections(app).store.dump(t))
    finally:
        app.close()
    return out


def _state(app: LedgerApplication, aggregate: str) -> dict[str, Any]:
    from uuid import UUID

    found = app.repository.get(UUID(aggregate))
    return {k: v for k, v in vars(found).items() if not k.startswith("_")} | {
        "class": type(found).__name__,
        "version": found.version,
    }


def _proofs(mlog: MerkleLog) -> list[Any]:
    size = mlog.size()
    out: list[Any] = [size, mlog.root(size)]
    out += [mlog.inclusion_proof(i, size) for i in range(size)]
    out += [mlog.consistency_proof(m, size) for m in range(1, size + 1)]
    return out


def verified(path: Path) -> bool:
    app = LedgerApplication(str(path), vault_key=VAULT_KEY)
    try:
        verify_database(app, processes=1, vault_key=VAULT_KEY)
        return True
    except VerificationFailed:
        return False
    finally:
        app.close()


# -- the edits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    table: str
    row: int  # which row, by position in the table's natural order
    action: str  # delete | change | copy
    column: int
    mutation: int

    def apply(self, path: Path) -> str | None:
        """Make the edit; a description, or None when it changes nothing or is out of scope."""
        with closing(sqlite3.connect(path)) as conn, conn:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({self.table})")]
            rows = conn.execute(f"SELECT * FROM {self.table}").fetchall()
            if not rows:
                return None
            row = rows[self.row % len(rows)]
            where = " AND ".join(f"{c} IS ?" for c in columns)
            column = columns[self.column % len(columns)]
            if self.action == "delete":
                if self.table in FORGETTABLE:
                    return None
                conn.execute(f"DELETE FROM {self.table} WHERE {where}", row)
                return f"delete {self.table} row {row!r:.80}"
            if (self.table, column) in UNSIGNED_TIMES:
                return None
            value = row[columns.index(column)]
            new = mutate(value, self.mutation, [r[columns.index(column)] for r in rows])
            if new == value:
                return None
            if self.action == "change":
                try:
                    conn.execute(f"UPDATE {self.table} SET {column}=? WHERE {where}", (new, *row))
                except sqlite3.IntegrityError:
                    return None  # the table's own keys refuse it
                return f"change {self.table}.{column} of {row!r:.80} to {new!r:.80}"
            copy = list(row)
            copy[columns.index(column)] = new
            try:
                conn.execute(
                    f"INSERT INTO {self.table} VALUES ({', '.join('?' * len(copy))})", copy
                )
            except sqlite3.IntegrityError:
                return None  # the table's own keys refuse it
            return f"copy {self.table} row as {copy!r:.80}"


def mutate(value: Any, how: int, others: list[Any]) -> Any:
    """Another value of the same kind: nearby, another row's, or bent out of shape."""
    choice = how % 5
    if choice == 0 and others:
        return others[how % len(others)]
    if value is None:
        return [0, "x", b"\x00"][how % 3]
    if isinstance(value, int):
        return value + (1, -1, 7, -value - 1)[how % 4]
    if isinstance(value, bytes):
        if value.startswith(b"{") and choice in (1, 2):
            try:
                return _json_mutation(value.decode(), how).encode()
            except ValueError:
                pass  # binary that happens to start with "{"
        if not value:
            return b"\x01"
        flipped = bytearray(value)
        flipped[how % len(flipped)] ^= 1 << (how % 8)
        return bytes(flipped)
    if isinstance(value, str):
        if value.startswith("{"):
            try:
                return _json_mutation(value, how)
            except ValueError:
                pass
        return value[:-1] + chr(ord(value[-1]) ^ 1) if value else "x"
    return value


def _json_mutation(text: str, how: int) -> str:
    fields = json.loads(text)
    if not isinstance(fields, dict) or not fields:
        raise ValueError("not a JSON object")
    key = sorted(fields)[how % len(fields)]
    if isinstance(fields[key], int):
        fields[key] += 1
    else:
        fields[key] = "x"
    return json.dumps(fields)


edits = st.builds(
    Edit,
    table=st.sampled_from(EDITED_TABLES),
    row=st.integers(0, 10_000),
    action=st.sampled_from(["delete", "change", "change", "copy"]),
    column=st.integers(0, 30),
    mutation=st.integers(0, 10_000),
)


def test_the_untouched_ledger_gives_the_same_answers_twice_and_verifies(built: Built) -> None:
    assert answers(built.path, built) == answers(built.path, built)
    assert verified(built.path)


@settings(
    max_examples=int(__import__("os").environ.get("EDIT_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edit=edits)
def test_verify_finds_every_single_edit_that_changes_an_answer(
    built: Built, tmp_path_factory: pytest.TempPathFactory, edit: Edit
) -> None:
    path = tmp_path_factory.mktemp("edit") / "ledger.db"
    shutil.copyfile(built.path, path)
    before = answers(path, built)
    done = edit.apply(path)
    if done is None:
        event("no edit")
        return
    after = answers(path, built)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    event(f"{edit.table}: {'an answer changed' if changed else 'no answer changed'}")
    if changed:
        assert not verified(path), f"{done} changed {changed[:5]} and verify said OK"
