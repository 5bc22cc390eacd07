"""FORMATS 1.2 (docs/formats.md section 10): adopting it, and deciding suspected duplicates.

A 1.1 ledger adopts 1.2 once, upward, by the admin role; until then an
``identity.reviewed`` is refused naming ``type``. A pair of people is
decided once, in either order. The verifier holds a log to the same rules,
and a ledger that never adopts keeps verifying as before.
"""

from __future__ import annotations

import pytest

from ledger.application import LedgerApplication
from ledger.audit.adoption import Versions
from ledger.audit.ledger import verify_ledger
from ledger.audit.verifier import VerificationFailed
from ledger.domain.charter import Charter
from ledger.domain.registry import IdentityReview, pair_id
from ledger.errors import LedgerError
from ledger.formats.versions import V1_1, V1_2
from ledger.tlog.merkle_log import MerkleLog
from tests.conftest import Officers, Story, new_id
from tests.ledger.domain.refusals import refused
from tests.support.drafts import Draft, adopted, identity_reviewed


def test_a_review_before_the_ledger_adopts_1_2_is_refused_naming_type(story: Story) -> None:
    household = story.household()
    body = {
        "person_id": story.person(household),
        "other_person_id": story.person(household),
        "outcome": "same_person",
        "basis": "Cùng số căn cước",
    }
    err = refused(story, story.o.sub("approver", "identity.reviewed", body), "INVALID_FIELD")
    assert err.field == "type"
    assert "identity.reviewed needs FORMATS 1.2" in err.message
    assert "this ledger follows FORMATS 1.1" in err.message
    story.submit(adopted(story).sub(story.o))
    assert story.app.charter().formats == V1_2
    assert story.submit(story.o.sub("approver", "identity.reviewed", body)).created


def test_an_adoption_and_a_review_in_one_batch_are_recorded_together(story: Story) -> None:
    """The review, later in the same batch, sees the adoption before it."""
    household = story.household()
    body = {
        "person_id": story.person(household),
        "other_person_id": story.person(household),
        "outcome": "different_people",
        "basis": "Khác cha mẹ, khác quê",
    }
    size = story.app.size()
    review = story.o.sub("approver", "identity.reviewed", body)
    accepted = story.app.submit_batch([adopted(story).sub(story.o), review])
    assert [a.index for a in accepted] == [size, size + 1]
    assert story.app.charter().formats == V1_2


def test_a_batch_with_the_review_before_the_adoption_is_refused_whole(story: Story) -> None:
    household = story.household()
    body = {
        "person_id": story.person(household),
        "other_person_id": story.person(household),
        "outcome": "same_person",
        "basis": "Cùng số căn cước",
    }
    size = story.app.size()
    review = story.o.sub("approver", "identity.reviewed", body)
    with pytest.raises(LedgerError) as err:
        story.app.submit_batch([review, adopted(story).sub(story.o)])
    assert (err.value.code, err.value.field) == ("INVALID_FIELD", "type")
    assert story.app.size() == size
    assert story.app.charter().formats == V1_1


def test_a_ledger_adopts_1_2_once_and_only_upward(story: Story) -> None:
    assert story.app.charter().formats == V1_1
    story.submit(adopted(story).sub(story.o))
    err = refused(story, adopted(story).sub(story.o), "RULE_VIOLATION")
    assert err.field == "body.formats"
    assert "already follows FORMATS 1.2" in err.message


def test_an_unknown_version_cannot_be_adopted(story: Story) -> None:
    draft = Draft("authority", "ledger.formats.adopted", {"formats": "1.4"})
    with pytest.raises(LedgerError) as err:
        draft.sub(story.o)
    assert err.value.code == "INVALID_FIELD"
    assert err.value.field == "body.formats"


def test_a_v1_ledger_cannot_adopt_1_2(app: LedgerApplication, officers: Officers) -> None:
    story = Story(app, officers)
    story.submit(officers.opened(formats=None))
    err = refused(story, adopted(story).sub(officers), "INVALID_FIELD")
    assert err.field == "type"
    assert "needs FORMATS 1.1; this ledger follows FORMATS 1" in err.message


def test_only_the_admin_role_adopts_a_version(story: Story) -> None:
    err = refused(story, adopted(story).sub(story.o, who="registrar"), "ROLE_NOT_ALLOWED")
    assert err.field == "by"


def test_a_pair_is_decided_once_in_either_order(story: Story) -> None:
    first = identity_reviewed(story, "different_people")
    story.submit(first.sub(story.o))
    swapped = dict(first.body)
    swapped["person_id"], swapped["other_person_id"] = (
        first.body["other_person_id"],
        first.body["person_id"],
    )
    swapped["outcome"] = "same_person"
    again = Draft("approver", "identity.reviewed", swapped)
    err = refused(story, again.sub(story.o), "ALREADY_DECIDED")
    assert err.field == "body.other_person_id"
    review = story.app.repository.get(
        pair_id(first.body["person_id"], first.body["other_person_id"])
    )
    assert isinstance(review, IdentityReview)
    assert review.outcome == "different_people"
    assert review.person_ids == sorted([first.body["person_id"], first.body["other_person_id"]])


@pytest.mark.parametrize("field", ["person_id", "other_person_id"])
def test_a_review_of_an_unknown_person_names_the_field(story: Story, field: str) -> None:
    draft = identity_reviewed(story)
    draft.body[field] = new_id()
    err = refused(story, draft.sub(story.o), "UNKNOWN_ENTITY")
    assert err.field == f"body.{field}"


def test_a_person_cannot_be_reviewed_against_themself(story: Story) -> None:
    draft = identity_reviewed(story)
    draft.body["other_person_id"] = draft.body["person_id"]
    with pytest.raises(LedgerError) as err:
        draft.sub(story.o)
    assert err.value.code == "INVALID_FIELD"
    assert err.value.field == "body.other_person_id"


def test_an_unknown_outcome_is_refused_naming_outcome(story: Story) -> None:
    draft = identity_reviewed(story)
    draft.body["outcome"] = "maybe"
    with pytest.raises(LedgerError) as err:
        draft.sub(story.o)
    assert err.value.field == "body.outcome"


def test_only_an_approver_decides_a_pair(story: Story) -> None:
    draft = identity_reviewed(story)
    err = refused(story, draft.sub(story.o, who="registrar"), "ROLE_NOT_ALLOWED")
    assert err.field == "by"


def test_a_ledger_with_an_adoption_and_reviews_verifies(story: Story) -> None:
    story.submit(identity_reviewed(story).sub(story.o))
    story.submit(identity_reviewed(story, "same_person").sub(story.o))
    MerkleLog(story.app).issue(story.o.keys["notary"])
    verify_ledger(story.app)


def test_the_verifier_fails_a_review_recorded_before_the_adoption(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log written by software that skipped the version check still fails verification."""
    monkeypatch.setattr(Charter, "check_type_allowed", lambda self, statement_type: None)
    household = story.household()
    body = {
        "person_id": story.person(household),
        "other_person_id": story.person(household),
        "outcome": "same_person",
        "basis": "Cùng số căn cước",
    }
    index = story.submit(story.o.sub("approver", "identity.reviewed", body)).index
    with pytest.raises(VerificationFailed) as failed:
        verify_ledger(story.app)
    assert failed.value.index == index
    assert failed.value.reason == (
        "INVALID_FIELD: type: identity.reviewed needs FORMATS 1.2; the ledger follows FORMATS 1.1"
    )


def test_the_verifier_fails_a_second_decision_on_a_pair_and_a_second_adoption() -> None:
    """What the replay applies entry by entry (acceptance never records either)."""
    versions = Versions(V1_1)
    a, b = new_id(), new_id()
    review = {"person_id": a, "other_person_id": b, "outcome": "same_person", "basis": "x"}
    assert versions.problem("identity.reviewed", review) is not None
    assert versions.problem("ledger.formats.adopted", {"formats": V1_2}) is None
    assert versions.formats == V1_2
    assert versions.problem("identity.reviewed", review) is None
    swapped = review | {"person_id": b, "other_person_id": a}
    assert versions.problem("identity.reviewed", swapped) == (
        "ALREADY_DECIDED: body.other_person_id: these two people have been reviewed already"
    )
    assert versions.problem("ledger.formats.adopted", {"formats": V1_2}) == (
        "RULE_VIOLATION: body.formats: the ledger already follows FORMATS 1.2"
    )
    assert versions.problem("household.registered", {"village": "Bản Huổi"}) is None
