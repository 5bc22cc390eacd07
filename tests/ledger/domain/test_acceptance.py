"""The ledger refuses what is malformed or unauthorised, and records what happened."""

from __future__ import annotations

import pytest

from ledger.errors import (
    AlreadyDecided,
    BadSignature,
    Duplicate,
    KeyRevoked,
    LedgerError,
    NotOpened,
    ReplayedNonce,
    RoleNotAllowed,
    SelfApproval,
    UnknownEntity,
    UnknownKey,
    WrongLedger,
)
from tests.conftest import Officers, Story, new_id


def test_entries_get_dense_indexes_from_zero(story: Story) -> None:
    hid = story.household()
    story.person(hid)
    assert [e.index for e in story.app.entries()] == list(range(story.app.size()))
    assert story.app.size() == 7


def test_statement_refused_before_ledger_is_opened(app, officers: Officers) -> None:
    with pytest.raises(NotOpened):
        app.submit(officers.register("registrar"))


def test_unregistered_key_refused(story: Story) -> None:
    sub = story.o.sub(
        "registrar2",
        "household.registered",
        {"household_id": new_id(), "code": "X", "village": "Bản Mé"},
    )
    with pytest.raises(UnknownKey) as err:
        story.submit(sub)
    assert err.value.code == "UNKNOWN_KEY"


def test_revoked_key_refused(story: Story) -> None:
    story.submit(
        story.o.sub(
            "authority",
            "key.revoked",
            {"key_id": story.o.keys["registrar"].key_id, "reason": "chuyển công tác"},
        )
    )
    with pytest.raises(KeyRevoked):
        story.household()


def test_key_without_the_role_refused(story: Story) -> None:
    sub = story.o.sub(
        "cashier",
        "household.registered",
        {"household_id": new_id(), "code": "X", "village": "Bản Mé"},
    )
    with pytest.raises(RoleNotAllowed) as err:
        story.submit(sub)
    assert err.value.code == "ROLE_NOT_ALLOWED"


def test_self_approval_refused_when_one_holder_has_two_keys(story: Story) -> None:
    # The registrar's holder registers a second key with the approver role.
    story.submit(story.o.register("registrar2", ["approver"], holder="staff-registrar"))
    _, pid, _ = story.beneficiary()
    bid = story.benefit(story.program(), pid, approve=False)
    with pytest.raises(SelfApproval) as err:
        story.submit(
            story.o.sub(
                "registrar2",
                "benefit.approved",
                {"benefit_id": bid, "decision": {"number": "1/QĐ", "date": "2022-01-06"}},
            )
        )
    assert err.value.code == "SELF_APPROVAL"


def test_approving_a_benefit_twice_is_refused(story: Story) -> None:
    _, _, bid = story.beneficiary()
    with pytest.raises(AlreadyDecided):
        story.submit(
            story.o.sub(
                "approver",
                "benefit.approved",
                {"benefit_id": bid, "decision": {"number": "2/QĐ", "date": "2022-01-07"}},
            )
        )


def test_replayed_nonce_refused(story: Story) -> None:
    nonce = "ab" * 16
    story.submit(
        story.o.sub(
            "registrar",
            "household.registered",
            {"household_id": new_id(), "code": "A", "village": "Bản Mé"},
            nonce=nonce,
        )
    )
    with pytest.raises(ReplayedNonce) as err:
        story.submit(
            story.o.sub(
                "registrar",
                "household.registered",
                {"household_id": new_id(), "code": "B", "village": "Bản Mé"},
                nonce=nonce,
            )
        )
    assert err.value.code == "REPLAYED_NONCE"


def test_identical_resubmission_returns_the_recorded_entry(story: Story) -> None:
    sub = story.o.sub(
        "registrar",
        "household.registered",
        {"household_id": new_id(), "code": "A", "village": "Bản Mé"},
    )
    first = story.submit(sub)
    size = story.app.size()
    again = story.submit(sub)
    assert (again.index, again.leaf_hash) == (first.index, first.leaf_hash)
    assert first.created and not again.created
    assert story.app.size() == size


def test_statement_for_another_ledger_refused(story: Story) -> None:
    other = Officers("ansinh.vn/son-la/song-ma/muong-lat")
    sub = other.sub(
        "registrar",
        "household.registered",
        {"household_id": new_id(), "code": "A", "village": "Bản Mé"},
    )
    with pytest.raises(WrongLedger):
        story.submit(sub)


def test_payment_on_unknown_benefit_refused(story: Story) -> None:
    _, pid, _ = story.beneficiary()
    with pytest.raises(UnknownEntity) as err:
        story.pay(new_id(), pid)
    assert err.value.field == "body.benefit_id"


def test_person_in_unknown_household_refused(story: Story) -> None:
    sub, _ = story.person_sub(new_id())
    with pytest.raises(UnknownEntity) as err:
        story.submit(sub)
    assert err.value.field == "body.household_id"


def test_id_reused_for_a_different_entity_refused(story: Story) -> None:
    hid = story.household()
    with pytest.raises(Duplicate) as err:
        story.submit(
            story.o.sub(
                "authority",
                "program.defined",
                {
                    "program_id": hid,
                    "code": "P",
                    "name": "Quà Tết",
                    "category": "tet_gift",
                    "kind": "one_off",
                },
            )
        )
    assert "household" in err.value.message


def test_payment_id_reused_is_a_duplicate(story: Story) -> None:
    _, pid, bid = story.beneficiary()
    payment_id = new_id()
    story.pay(bid, pid, payment_id=payment_id)
    with pytest.raises(Duplicate) as err:
        story.pay(bid, pid, payment_id=payment_id, month="2022-02")
    assert err.value.field == "body.payment_id"


def test_irregular_payments_are_recorded_as_evidence(story: Story) -> None:
    _hid, pid, bid = story.beneficiary()
    story.submit(story.o.sub("registrar", "person.died", {"person_id": pid, "date": "2022-01-20"}))
    unapproved = story.benefit(story.program(), pid, approve=False)
    before = story.app.size()
    story.pay(bid, pid, month="2022-03")  # after death
    story.pay(bid, pid, month="2022-03")  # a second payment for the month
    story.pay(unapproved, pid)  # on a benefit not approved
    assert story.app.size() == before + 3


def test_bad_signature_refused_and_nothing_recorded(story: Story) -> None:
    env = story.o.envelope(
        "registrar",
        "household.registered",
        {"household_id": new_id(), "code": "A", "village": "Bản Mé"},
    )
    env["signatures"][0]["sig"] = story.o.envelope(
        "registrar",
        "household.registered",
        {"household_id": new_id(), "code": "B", "village": "Bản Mé"},
    )["signatures"][0]["sig"]
    from ledger.domain.acceptance import submission_from_json

    size = story.app.size()
    with pytest.raises(BadSignature):
        story.submit(submission_from_json(env))
    assert story.app.size() == size


def test_batch_with_one_bad_statement_leaves_nothing_behind(story: Story) -> None:
    size = story.app.size()
    good = [
        story.o.sub(
            "registrar",
            "household.registered",
            {"household_id": new_id(), "code": f"H{i}", "village": "Bản Mé"},
        )
        for i in range(5)
    ]
    bad = story.o.sub(
        "cashier",
        "household.registered",
        {"household_id": new_id(), "code": "X", "village": "Bản Mé"},
    )
    with pytest.raises(LedgerError) as err:
        story.app.submit_batch([*good[:3], bad, *good[3:]])
    assert err.value.code == "ROLE_NOT_ALLOWED"
    assert "batch item 3" in err.value.message
    assert story.app.size() == size
    results = story.app.submit_batch(good)
    assert [r.index for r in results] == list(range(size, size + 5))


def test_vault_record_reads_back_and_erasure_keeps_the_log(story: Story) -> None:
    hid = story.household()
    sub, record = story.person_sub(hid)
    story.submit(sub)
    assert story.app.vault_record(record.person_id) == record
    assert story.app.erase_vault(record.person_id) == 1
    assert story.app.vault_record(record.person_id) is None
    assert story.app.size() == 7
