"""The queue of suspected duplicate identities, as an officer reviews it (FORMATS 1.2)."""

from __future__ import annotations

from typing import Any

from api.reading import Read, identity_reviews, vault_field
from projections.reports.codes import person_codes
from projections.reports.duplicates import suspected_pairs


def duplicate_queue(read: Read) -> list[dict[str, Any]]:
    """Each suspected pair (docs/formats.md 10.3), oldest first: the later person, the
    first, why they are suspected (``national_id`` or ``name``), and the decision
    recorded (``same_person``, ``different_people``, or None: still to review)."""
    ids = {p: v for p, v in vault_field(read, read.snap.people, "national_id").items() if v}
    names = {p: v for p, v in vault_field(read, read.snap.people, "full_name").items() if v}
    pairs = suspected_pairs(read.snap, ids, names)
    reviews = identity_reviews(read, pairs)
    codes = person_codes(read.snap)
    rows = [
        {
            "person_id": later,
            "person_code": codes.get(later),
            "first_person_id": first,
            "first_person_code": codes.get(first),
            "why": why,
            "decision": reviews.get(key),
        }
        for key, (why, first, later) in pairs.items()
    ]
    return sorted(rows, key=lambda r: (read.snap.people[r["person_id"]].index, r["person_id"]))
