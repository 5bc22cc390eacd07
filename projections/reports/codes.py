"""The codes people use for households and persons, and what they stand for.

A household's code is the one it was registered with (``CE-10-001``): it is
printed on the public lists. A person's code is their household's code, a
slash and the order in which they were registered in it, from 1
(``CE-10-001/2``: the second person registered in household CE-10-001). The
household is the one they were first registered in: a person who moves keeps
their code, so a code once printed always names the same person.
"""

from __future__ import annotations

from projections.model import Person, Snapshot


def first_household(person: Person) -> str:
    """The household a person was registered in."""
    return person.moves[0][0] if person.moves else person.household_id


def person_codes(snap: Snapshot) -> dict[str, str]:
    """Every person's code, by person id."""
    counts: dict[str, int] = {}
    codes: dict[str, str] = {}
    for person in sorted(snap.people.values(), key=lambda p: (p.index, p.person_id)):
        home = first_household(person)
        counts[home] = counts.get(home, 0) + 1
        household = snap.households.get(home)
        if household is not None:
            codes[person.person_id] = f"{household.code}/{counts[home]}"
    return codes


def household_by_code(snap: Snapshot, code: str) -> str | None:
    """The id of the household registered with ``code`` (the earliest, should two share it)."""
    found = [h for h in snap.households.values() if h.code == code]
    return min(found, key=lambda h: h.index).household_id if found else None


def resolve(snap: Snapshot, argument: str) -> tuple[str, str] | None:
    """``("household", id)`` or ``("person", id)`` for a household or person code; else None."""
    household_id = household_by_code(snap, argument)
    if household_id is not None:
        return "household", household_id
    if "/" in argument:
        for person_id, code in person_codes(snap).items():
            if code == argument:
                return "person", person_id
    return None


def belonging(snap: Snapshot, kind: str, entity_id: str) -> list[str]:
    """The ids whose statements make up the history of what a code names: a household, its
    status proposals (their decisions name only the proposal) and its household benefits;
    a person and their benefits (approvals, ends and payments name only the benefit)."""
    ids = [entity_id]
    if kind == "household":
        ids += sorted(p.proposal_id for p in snap.proposals.values() if p.household_id == entity_id)
        ids += sorted(b.benefit_id for b in snap.benefits.values() if b.household_id == entity_id)
    else:
        ids += sorted(b.benefit_id for b in snap.benefits.values() if b.person_id == entity_id)
    return ids


def members(snap: Snapshot, household_id: str) -> list[Person]:
    """The people living in a household (as of the snapshot), in order of registration."""
    return sorted(
        (p for p in snap.people.values() if p.household_id == household_id),
        key=lambda p: (p.index, p.person_id),
    )
