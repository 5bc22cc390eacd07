"""Suspected duplicate identities and the officers' decisions (FORMATS 1.2, identity.reviewed).

A shared national id, or the same name, birth year and village, makes a
suspected pair; ``different_people`` clears it, ``same_person`` keeps it as a
confirmed DUPLICATE_IDENTITY, and a name match nobody decided is an
UNRESOLVED_DUPLICATE. ``api.reading`` finds the decisions in the ledger.
"""

from __future__ import annotations

from typing import Any

from api.reading import Direct, identity_reviews, read_at, reconciliation
from projections.query import snapshot
from projections.reports.duplicates import pair, suspected_pairs
from tests.conftest import Story
from tests.projections.verbs import codes, only, report
from tests.support.drafts import Draft, adopted


def _two_namesakes(story: Story) -> tuple[str, str]:
    """Two people of one village and birth year (the story registers them born 1950)."""
    first = story.person(story.household("Bản Huổi Pao"))
    second = story.person(story.household("Bản  huổi pao"))  # spacing and case differ
    return first, second


def test_the_same_name_birth_year_and_village_is_an_unresolved_duplicate(story: Story) -> None:
    first, second = _two_namesakes(story)
    names = {first: "Lò Văn Minh", second: "lò  văn minh"}
    found = only(
        report(story, identities={}, names=names),
        "UNRESOLVED_DUPLICATE",
        person_id=second,
        first_person_id=first,
    )
    assert "Lò Văn Minh" not in found["detail"]  # names stay out of reports
    assert "chưa kết luận" in found["detail_vi"]


def test_another_village_or_birth_year_is_not_suspected(story: Story) -> None:
    first = story.person(story.household("Bản Huổi Pao"))
    second = story.person(story.household("Bản Mé"))
    names = {first: "Lò Văn Minh", second: "Lò Văn Minh"}
    assert suspected_pairs(snapshot(story.app), {}, names) == {}
    assert codes(report(story, identities={}, names=names)) == []


def test_a_pair_decided_different_people_is_no_longer_a_finding(story: Story) -> None:
    first, second = _two_namesakes(story)
    names = {first: "Lò Văn Minh", second: "Lò Văn Minh"}
    ids = {first: "014190009876", second: "014190009876"}
    reviews = {pair(second, first): "different_people"}
    assert codes(report(story, identities=ids, names=names, reviews=reviews)) == []
    assert codes(report(story, identities=ids, names=names)) == ["DUPLICATE_IDENTITY"]


def test_a_pair_decided_the_same_person_stays_a_confirmed_duplicate(story: Story) -> None:
    first, second = _two_namesakes(story)
    names = {first: "Lò Văn Minh", second: "Lò Văn Minh"}
    reviews = {pair(first, second): "same_person"}
    found = only(
        report(story, identities={}, names=names, reviews=reviews),
        "DUPLICATE_IDENTITY",
        person_id=second,
        first_person_id=first,
    )
    assert "decided to be the same person" in found["detail"]


def _review(story: Story, first: str, second: str, outcome: str) -> None:
    story.submit(adopted(story).sub(story.o))
    body = {"person_id": second, "other_person_id": first, "outcome": outcome}
    body["basis"] = "Đối chiếu sổ hộ khẩu"
    story.submit(Draft("approver", "identity.reviewed", body).sub(story.o))


def _read(story: Story, as_of: int | None = None) -> Any:
    return read_at(Direct(story.app), as_of)


def test_the_reading_finds_each_suspected_pair_s_decision_in_the_ledger(story: Story) -> None:
    first, second = _two_namesakes(story)
    before = story.app.size()
    _review(story, first, second, "different_people")
    assert identity_reviews(_read(story), [pair(first, second)]) == {
        pair(first, second): "different_people"
    }
    # a snapshot from before the review does not see it
    assert identity_reviews(_read(story, before), [pair(first, second)]) == {}


def test_a_reconciliation_with_identities_drops_a_pair_decided_different(
    story: Story, monkeypatch: Any
) -> None:
    first, second = _two_namesakes(story)
    vault = {
        "national_id": {first: "014190009876", second: "014190009876"},
        "full_name": {first: "Lò Văn Minh", second: "Lò Văn Minh"},
    }
    monkeypatch.setattr("api.reading.vault_field", lambda read, people, field: dict(vault[field]))
    doc = reconciliation(_read(story), "2022-01", "2022-01", None, identities=True)
    assert codes(doc) == ["DUPLICATE_IDENTITY"]
    _review(story, first, second, "different_people")
    doc = reconciliation(_read(story), "2022-01", "2022-01", None, identities=True)
    assert codes(doc) == []
