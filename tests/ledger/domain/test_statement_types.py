"""Each of the 21 statement types: accepted when valid, refused by the ledger's rules."""

from __future__ import annotations

import pytest

from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.domain.catalog import CATALOG
from ledger.formats.vault import VaultRecord
from tests.conftest import Officers, Story, new_id
from tests.ledger.domain.refusals import refused
from tests.support.drafts import (
    BUILDERS,
    DECISION,
    RECORD,
    Draft,
    benefit_proposed,
    inspection,
    key_registered,
    payment,
    proposal,
)

# For each role, a registered key that lacks it.
WRONG_KEY = {
    "admin": "registrar",
    "registrar": "cashier",
    "approver": "cashier",
    "cashier": "registrar",
    "inspector": "cashier",
    "agent": "cashier",  # FORMATS 1.3: paying agents (docs/formats.md 11.3)
}


# The fields naming an entity that must already exist.
REFERENCES = [
    ("key.revoked", "key_id"),
    ("person.registered", "household_id"),
    ("person.pii.updated", "person_id"),
    ("person.moved", "person_id"),
    ("person.moved", "household_id"),
    ("person.died", "person_id"),
    ("household.status.proposed", "household_id"),
    ("household.status.approved", "proposal_id"),
    ("household.status.rejected", "proposal_id"),
    ("fund.received", "program_id"),
    ("fund.returned", "program_id"),
    ("benefit.proposed", "program_id"),
    ("benefit.proposed", "person_id"),
    ("benefit.approved", "benefit_id"),
    ("benefit.rejected", "benefit_id"),
    ("benefit.ended", "benefit_id"),
    ("payment.recorded", "benefit_id"),
    ("payment.recorded", "recipient"),
    ("payment.reversed", "payment_id"),
]
# The fields that name a new entity, so must not reuse an id.
NEW_IDS = [
    ("household.registered", "household_id"),
    ("person.registered", "person_id"),
    ("household.status.proposed", "proposal_id"),
    ("program.defined", "program_id"),
    ("fund.received", "receipt_id"),
    ("fund.returned", "return_id"),
    ("benefit.proposed", "benefit_id"),
    ("payment.recorded", "payment_id"),
]


def test_the_ledger_opened_statement_is_accepted_as_entry_zero(
    app: LedgerApplication, officers: Officers
) -> None:
    accepted = app.submit(officers.opened())
    assert (accepted.index, accepted.created) == (0, True)
    assert app.charter().ledger_id == officers.ledger_id
    refused(Story(app, officers), officers.opened(), "RULE_VIOLATION")


@pytest.mark.parametrize("statement_type", sorted(BUILDERS))
def test_a_valid_statement_of_each_type_is_accepted(story: Story, statement_type: str) -> None:
    sub = BUILDERS[statement_type](story).sub(story.o)
    size = story.app.size()
    accepted = story.submit(sub)
    assert (accepted.index, accepted.created) == (size, True)
    assert story.app.size() == size + 1
    recorded = story.app.entry(size)
    assert recorded.envelope == sub.signed.envelope
    assert recorded.leaf_hash.hex() == accepted.leaf_hash


@pytest.mark.parametrize(("statement_type", "field_name"), REFERENCES)
def test_a_statement_naming_an_unknown_entity_is_refused_naming_the_field(
    story: Story, statement_type: str, field_name: str
) -> None:
    draft = BUILDERS[statement_type](story)
    draft.body[field_name] = "0" * 64 if field_name == "key_id" else new_id()
    err = refused(story, draft.sub(story.o), "UNKNOWN_ENTITY")
    assert err.field == f"body.{field_name}"
    assert field_name in err.message


def test_a_benefit_for_a_household_needs_a_known_household(story: Story) -> None:
    draft = benefit_proposed(story)
    del draft.body["person_id"]
    draft.body["household_id"] = new_id()
    assert refused(story, draft.sub(story.o), "UNKNOWN_ENTITY").field == "body.household_id"
    draft.body["household_id"] = story.household()
    assert story.submit(draft.sub(story.o)).created


def test_an_entity_of_the_wrong_kind_is_an_unknown_entity(story: Story) -> None:
    hid, pid, _ = story.beneficiary()
    err = refused(
        story,
        story.o.sub("cashier", "payment.recorded", story.payment_body(hid, pid)),
        "UNKNOWN_ENTITY",
    )
    assert err.field == "body.benefit_id"
    assert "household" in err.message


@pytest.mark.parametrize("statement_type", sorted(BUILDERS))
def test_a_statement_signed_by_a_key_without_its_role_is_refused(
    story: Story, statement_type: str
) -> None:
    (role,) = CATALOG[statement_type].roles or ()
    draft = BUILDERS[statement_type](story)
    err = refused(story, draft.sub(story.o, who=WRONG_KEY[role]), "ROLE_NOT_ALLOWED")
    assert err.field == "by"


@pytest.mark.parametrize(("statement_type", "field_name"), NEW_IDS)
def test_reusing_an_entity_id_is_refused_as_a_duplicate(
    story: Story, statement_type: str, field_name: str
) -> None:
    first = BUILDERS[statement_type](story)
    story.submit(first.sub(story.o))
    second = BUILDERS[statement_type](story)
    second.body[field_name] = first.body[field_name]
    err = refused(story, second.sub(story.o), "DUPLICATE")
    assert err.field == f"body.{field_name}"


@pytest.mark.parametrize(("statement_type", "field_name"), NEW_IDS)
def test_an_id_already_used_by_another_kind_of_entity_is_a_duplicate(
    story: Story, statement_type: str, field_name: str
) -> None:
    draft = BUILDERS[statement_type](story)
    draft.body[field_name] = _any_other_entity(story, statement_type)
    err = refused(story, draft.sub(story.o), "DUPLICATE")
    assert err.field == f"body.{field_name}"


def _any_other_entity(s: Story, statement_type: str) -> str:
    """The id of an existing entity of another kind than the type creates."""
    return s.program() if statement_type == "household.registered" else s.household()


def test_registering_the_same_key_twice_is_a_duplicate(story: Story) -> None:
    story.submit(key_registered(story).sub(story.o))
    err = refused(story, key_registered(story).sub(story.o), "DUPLICATE")
    assert err.field == "body.key.id"


@pytest.mark.parametrize("kind", ["benefit", "household.status"])
@pytest.mark.parametrize(
    ("first", "second"),
    [("approved", "approved"), ("rejected", "approved"), ("approved", "rejected")],
)
def test_a_decision_on_an_already_decided_proposal_is_refused(
    story: Story, kind: str, first: str, second: str
) -> None:
    draft = BUILDERS[f"{kind}.{first}"](story)
    story.submit(draft.sub(story.o))
    id_field = "benefit_id" if kind == "benefit" else "proposal_id"
    extra = {"decision": DECISION} if second == "approved" else {"reason": "Xem lại"}
    again = Draft("approver", f"{kind}.{second}", {id_field: draft.body[id_field], **extra})
    err = refused(story, again.sub(story.o), "ALREADY_DECIDED")
    assert err.field == f"body.{id_field}"


@pytest.mark.parametrize("state", ["proposed", "rejected", "ended"])
def test_only_an_approved_benefit_can_end(story: Story, state: str) -> None:
    _, pid, _ = story.beneficiary()
    bid = story.benefit(story.program(), pid, approve=state == "ended")
    if state == "rejected":
        story.submit(
            story.o.sub("approver", "benefit.rejected", {"benefit_id": bid, "reason": "Không"})
        )
    end = {"benefit_id": bid, "last_month": "2022-06", "reason": "Hết hạn"}
    if state == "ended":
        story.submit(story.o.sub("approver", "benefit.ended", end))
    err = refused(story, story.o.sub("approver", "benefit.ended", end), "RULE_VIOLATION")
    assert err.field == "body.benefit_id"


def test_a_benefit_cannot_end_before_it_starts(story: Story) -> None:
    _, _, bid = story.beneficiary()  # starts 2022-01
    end = {"benefit_id": bid, "last_month": "2021-12", "reason": "Nhầm"}
    err = refused(story, story.o.sub("approver", "benefit.ended", end), "RULE_VIOLATION")
    assert err.field == "body.last_month"


def test_a_payment_is_reversed_at_most_once(story: Story) -> None:
    body = {"payment_id": payment(story), "reason": "Chi nhầm"}
    story.submit(story.o.sub("cashier", "payment.reversed", body))
    err = refused(story, story.o.sub("cashier", "payment.reversed", body), "RULE_VIOLATION")
    assert err.field == "body.payment_id"


def test_a_death_is_recorded_at_most_once(story: Story) -> None:
    pid = story.person(story.household())
    story.submit(story.o.sub("registrar", "person.died", {"person_id": pid, "date": "2022-02-01"}))
    again = story.o.sub("registrar", "person.died", {"person_id": pid, "date": "2022-02-02"})
    assert refused(story, again, "RULE_VIOLATION").field == "body.person_id"


def test_moving_a_person_to_the_household_they_live_in_is_refused(story: Story) -> None:
    hid = story.household()
    pid = story.person(hid)
    move = story.o.sub("registrar", "person.moved", {"person_id": pid, "household_id": hid})
    assert refused(story, move, "RULE_VIOLATION").field == "body.household_id"


def test_a_payment_of_a_monthly_program_must_name_its_month(story: Story) -> None:
    _, pid, bid = story.beneficiary()
    sub = story.o.sub("cashier", "payment.recorded", story.payment_body(bid, pid, month=None))
    err = refused(story, sub, "INVALID_FIELD")
    assert err.field == "body.month"


@pytest.mark.parametrize("kind", ["one_off", "in_kind"])
def test_a_payment_of_a_one_off_or_in_kind_program_must_not_name_a_month(
    story: Story, kind: str
) -> None:
    pid = story.person(story.household())
    bid = story.benefit(story.program(kind=kind, category="tet_gift"), pid)
    err = refused(
        story,
        story.o.sub("cashier", "payment.recorded", story.payment_body(bid, pid)),
        "INVALID_FIELD",
    )
    assert err.field == "body.month"
    story.pay(bid, pid, month=None)  # the same payment without a month is recorded


@pytest.mark.parametrize("decision", ["approved", "rejected"])
def test_the_proposers_holder_cannot_decide_a_status_proposal(story: Story, decision: str) -> None:
    story.submit(story.o.register("registrar2", ["approver"], holder="staff-registrar"))
    proposal_id = proposal(story)
    extra = {"decision": DECISION} if decision == "approved" else {"reason": "Không"}
    sub = story.o.sub(
        "registrar2", f"household.status.{decision}", {"proposal_id": proposal_id, **extra}
    )
    if decision == "approved":
        assert refused(story, sub, "SELF_APPROVAL").field == "by"
    else:
        story.submit(sub)  # maker-checker binds approvals; a rejection may come from anyone


def test_an_inspection_cannot_attest_to_more_entries_than_the_log_holds(story: Story) -> None:
    draft = inspection(story)
    draft.body["tree_size"] = story.app.size() + 1
    assert refused(story, draft.sub(story.o), "RULE_VIOLATION").field == "body.tree_size"
    draft.body["tree_size"] = story.app.size()
    assert story.submit(draft.sub(story.o)).created


def test_the_authority_key_cannot_be_revoked(story: Story) -> None:
    body = {"key_id": story.o.keys["authority"].key_id, "reason": "Thử"}
    err = refused(story, story.o.sub("authority", "key.revoked", body), "RULE_VIOLATION")
    assert err.field == "body.key_id"


def test_a_key_is_revoked_at_most_once(story: Story) -> None:
    body = {"key_id": story.o.keys["cashier"].key_id, "reason": "Nghỉ hưu"}
    story.submit(story.o.sub("authority", "key.revoked", body))
    again = story.o.sub("authority", "key.revoked", {**body, "reason": "Lần nữa"})
    assert refused(story, again, "RULE_VIOLATION").field == "body.key_id"


@pytest.mark.parametrize("statement_type", ["person.registered", "person.pii.updated"])
def test_personal_data_must_come_with_its_vault_record(story: Story, statement_type: str) -> None:
    draft = BUILDERS[statement_type](story)
    sub = draft.sub(story.o)
    bare = Submission(sub.signed, ())
    assert refused(story, bare, "INVALID_FIELD").field == "vault"
    other = VaultRecord.new(new_id(), RECORD)
    assert refused(story, Submission(sub.signed, (other,)), "INVALID_FIELD").field == "vault"


@pytest.mark.parametrize("statement_type", ["person.registered", "person.pii.updated"])
def test_a_vault_record_not_matching_the_commitment_is_refused(
    story: Story, statement_type: str
) -> None:
    sub = BUILDERS[statement_type](story).sub(story.o)
    (record,) = sub.vault
    changed = VaultRecord(record.person_id, record.salt, {**record.record, "national_id": "1"})
    resalted = VaultRecord.new(record.person_id, record.record)
    for wrong in (changed, resalted):
        err = refused(story, Submission(sub.signed, (wrong,)), "VAULT_MISMATCH")
        assert err.field == "vault.record"
    assert story.submit(sub).created
