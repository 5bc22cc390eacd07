"""The read models' tables: the same snapshot as a replay at every past size of the log,
time travel by index and by time, and each entity's history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.domain.base import read_statement
from ledger.errors import InvalidField
from ledger.formats.vault import VaultRecord
from projections import query
from projections.query import history, index_at, projection_lag, resolve_as_of, snapshot
from projections.tables.meanings import MEANINGS, named_ids
from projections.tables.replay import replay
from projections.tables.runner import Projections
from projections.tables.schema import TABLES
from tests.conftest import Story, new_id
from tests.support.drafts import BUILDERS, RECORD

DECISION = {"number": "15/QĐ-UBND", "date": "2022-01-06"}


def grow(s: Story, after: Callable[[], object] = lambda: None) -> dict[str, str]:
    """Every statement type, some in one batch, with later changes that a past
    ``as_of`` must undo; ``after`` runs after each of these submissions."""
    o = s.o

    def submit(sub: Submission) -> None:
        s.submit(sub)
        after()

    for kind in BUILDERS:
        if kind != "key.revoked":
            submit(BUILDERS[kind](s).sub(o))
    h1, h2, h3 = s.household(), s.household("Bản Mé"), s.household("Bản Púng")
    person = s.person(h1)
    for household in (h2, h3):
        submit(o.sub("registrar", "person.moved", {"person_id": person, "household_id": household}))
    for _ in range(2):
        record = VaultRecord.new(person, RECORD)
        body = {"person_id": person, "pii": record.commitment}
        submit(o.sub("registrar", "person.pii.updated", body, (record,)))
    poverty = s.program(category="poverty")
    household_benefit = new_id()
    benefit: dict[str, object] = {"benefit_id": household_benefit, "program_id": poverty}
    benefit |= {
        "household_id": h3,
        "amount": 400_000,
        "start": "2022-01",
        "end": "2022-12",
        "basis": "Hộ nghèo",
    }
    submit(o.sub("registrar", "benefit.proposed", benefit))
    approval = {"benefit_id": household_benefit, "decision": DECISION}
    submit(o.sub("approver", "benefit.approved", approval))
    s.pay(household_benefit, person, amount=400_000)
    gift = s.benefit(s.program(kind="one_off", category="tet_gift"), person, amount=500_000)
    submit(o.sub("cashier", "payment.recorded", s.payment_body(gift, person, month=None)))
    households = [new_id() for _ in range(3)]
    batch = [
        o.sub(
            "registrar", "household.registered", {"household_id": h, "code": h[:6], "village": "B"}
        )
        for h in households
    ]
    s.app.submit_batch(batch)
    after()
    submit(BUILDERS["key.revoked"](s).sub(o))
    return {"person": person, "household": h3, "household_benefit": household_benefit, "gift": gift}


def dump(projections: Projections) -> dict[str, list[tuple[object, ...]]]:
    return {table: projections.store.dump(table) for table in TABLES}


@pytest.fixture
def grown(story: Story) -> tuple[Story, dict[str, str]]:
    return story, grow(story)


def test_load_snapshot_equals_a_replay_at_every_size_of_the_log(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]]
) -> None:
    projections = Projections(app)
    assert projections.catch_up() == app.size()
    entries = list(app.entries())
    assert {read_statement(e.envelope)["type"] for e in entries} >= set(BUILDERS)
    for as_of in range(app.size() + 2):
        assert projections.load_snapshot(as_of) == replay(entries, as_of), as_of
    assert projections.load_snapshot() == replay(entries)


def test_a_past_as_of_leaves_out_later_rows_and_undoes_later_changes(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]]
) -> None:
    _, ids = grown
    projections = Projections(app)
    projections.catch_up()
    now = projections.load_snapshot()
    ended = next(b for b in now.benefits.values() if b.state == "ended")
    assert ended.approved_index is not None and ended.ended_index is not None
    at = projections.load_snapshot
    assert ended.benefit_id not in at(ended.index).benefits
    assert at(ended.approved_index).benefits[ended.benefit_id].state == "proposed"
    assert at(ended.ended_index).benefits[ended.benefit_id].state == "approved"
    assert at(ended.ended_index).benefits[ended.benefit_id].last_month is None
    reversed_ = next(p for p in now.payments.values() if p.reversed_index is not None)
    assert reversed_.reversed_index is not None
    assert not at(reversed_.reversed_index).payments[reversed_.payment_id].reversed
    assert at(reversed_.reversed_index + 1).payments[reversed_.payment_id].reversed
    person = now.people[ids["person"]]
    (first, _), (second, moved_at), (third, last_move) = person.moves
    assert person.household_id == third
    assert at(last_move).people[person.person_id].household_id == second
    assert at(moved_at).people[person.person_id].household_id == first
    assert at(moved_at).people[person.person_id].moves == [person.moves[0]]
    assert at(last_move + 1).people[person.person_id].pii != person.pii
    death = next(e for e in app.entries() if read_statement(e.envelope)["type"] == "person.died")
    dead = read_statement(death.envelope)["body"]["person_id"]
    assert at(death.index).people[dead].died_on is None
    assert at(death.index + 1).people[dead].died_on == now.people[dead].died_on is not None
    decided = next(p for p in now.proposals.values() if p.decided_index is not None)
    assert decided.decided_index is not None
    assert at(decided.decided_index).proposals[decided.proposal_id].state == "proposed"


def test_snapshot_catches_up_before_reading_and_the_lag_says_how_far_behind_it_was(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]]
) -> None:
    story, _ = grown
    size = app.size()
    assert projection_lag(app) == (0, size)
    assert snapshot(app) == replay(app.entries())
    assert projection_lag(app) == (size, size)
    household = story.household()
    assert projection_lag(app) == (size, size + 1)
    assert household in snapshot(app).households
    assert household not in snapshot(app, size).households
    assert projection_lag(app) == (size + 1, size + 1)


def test_snapshot_replays_when_the_tables_cannot_answer(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    projections = query.projections(app)
    projections.catch_up()
    projections.store.clear(["payments"], app.name)  # as a rebuild elsewhere would
    monkeypatch.setattr(projections, "catch_up", lambda progress=None: 0)
    assert projections.position() == 0
    assert snapshot(app).payments == replay(app.entries()).payments
    assert len(snapshot(app).payments) > 0


def test_as_of_a_time_counts_the_entries_recorded_by_then(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]]
) -> None:
    entries = list(app.entries())
    times = [datetime.fromisoformat(e.recorded_at) for e in entries]
    middle = entries[len(entries) // 2]
    expected = sum(1 for t in times if t <= times[len(entries) // 2])
    assert expected > len(entries) // 2
    assert index_at(app, middle.recorded_at) == expected
    in_hanoi = times[len(entries) // 2].astimezone(timezone(timedelta(hours=7)))
    assert index_at(app, in_hanoi.isoformat()) == expected
    assert index_at(app, times[0] - timedelta(seconds=1)) == 0
    assert index_at(app, "2999-01-01T00:00:00Z") == len(entries)
    assert snapshot(app, middle.recorded_at) == replay(entries, expected)


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ("-1", "must not be negative"),
        ("1000000", "beyond the log"),
        ("9" * 40, "9" * 40 + " is beyond the log"),
        ("yesterday", "not an ISO 8601 time"),
        ("99999-01-01", "not an ISO 8601 time"),
    ],
)
def test_resolve_as_of_refuses_what_names_no_point_of_the_log(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]], given: str, named: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        resolve_as_of(app, given)
    assert refused.value.field == "as_of"
    assert named in refused.value.message


def test_resolve_as_of_reads_counts_times_and_nothing_alike(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]]
) -> None:
    entries = list(app.entries())
    middle = entries[len(entries) // 2]
    assert resolve_as_of(app, None) == resolve_as_of(app, "") == len(entries)
    assert resolve_as_of(app, "7") == resolve_as_of(app, 7) == 7
    assert resolve_as_of(app, str(len(entries))) == len(entries)
    assert resolve_as_of(app, middle.recorded_at) == index_at(app, middle.recorded_at)


def test_history_lists_every_statement_naming_an_entity(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]]
) -> None:
    story, ids = grown
    snap = snapshot(app)
    payment = next(p for p in snap.payments.values() if p.reversed)
    named = [
        ids["person"],
        ids["household_benefit"],
        payment.payment_id,
        payment.benefit_id,
        ids["household"],
        story.o.keys["cashier"].key_id,
    ]
    for entity_id in named:
        found = history(app, entity_id)
        expected = _entries_naming(app, entity_id)
        assert [item[0] for item in found] == [e.index for e in expected], entity_id
        assert len(found) >= 2
        for (_, recorded_at, type_, holder, body), entry in zip(found, expected, strict=True):
            statement = read_statement(entry.envelope)
            assert (recorded_at, type_, body) == (
                entry.recorded_at,
                statement["type"],
                statement["body"],
            )
            assert holder == snap.holders[statement["by"]]
    assert history(app, new_id()) == []


def test_the_ids_each_statement_type_names_are_every_id_field_of_its_body(
    app: LedgerApplication, grown: tuple[Story, dict[str, str]]
) -> None:
    seen = set()
    for entry in app.entries():
        statement = read_statement(entry.envelope)
        kind, body = statement["type"], statement["body"]
        assert kind in MEANINGS
        assert sorted(named_ids(kind, body)) == sorted(named_ids("(any type)", body)), kind
        seen.add(kind)
    assert seen == set(MEANINGS)


def _entries_naming(app: LedgerApplication, entity_id: str) -> list[Any]:
    """Every entry whose statement body holds ``entity_id``, by a scan of the whole log."""

    def names(value: object) -> bool:
        if isinstance(value, dict):
            return any(names(v) for v in value.values())
        if isinstance(value, list):
            return any(names(v) for v in value)
        return value == entity_id

    return [e for e in app.entries() if names(read_statement(e.envelope)["body"])]
