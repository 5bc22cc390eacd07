"""Suspected duplicate identities, and what the officers decided of them (FORMATS 1.2).

Two people are *suspected* to be one when they share a national id, or the
same full name (compared in NFC, case and spacing ignored), birth year and
village. Each later-registered person of such a group pairs with the first.
An ``identity.reviewed`` decides a pair (docs/formats.md section 10.3):

- ``different_people``: no longer a finding;
- ``same_person``: DUPLICATE_IDENTITY, confirmed, so payments to both show;
- not decided: DUPLICATE_IDENTITY for a shared national id (as before the
  reviews existed), UNRESOLVED_DUPLICATE for the same name, year and village.

National ids and names come from the vault; they never enter a finding.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from projections.model import Snapshot
from projections.reports import wording as say
from projections.reports.codes import person_codes

Pair = tuple[str, str]
"""Two person ids, sorted."""
Anomaly = dict[str, Any]


def pair(a: str, b: str) -> Pair:
    first, second = sorted((a, b))
    return first, second


def name_key(name: str) -> str:
    """A name as compared: NFC, case and spacing ignored (diacritics count)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def suspected_pairs(
    snap: Snapshot, identities: Mapping[str, str], names: Mapping[str, str] | None = None
) -> dict[Pair, tuple[str, str, str]]:
    """Each suspected pair: (why, first registered, later registered); why is
    ``national_id`` or ``name`` (the same full name, birth year and village)."""
    by_id: dict[str, list[str]] = defaultdict(list)
    for person_id, national_id in identities.items():
        if person_id in snap.people and national_id and national_id.strip():
            by_id[national_id.strip()].append(person_id)
    by_name: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for person_id, name in (names or {}).items():
        person = snap.people.get(person_id)
        if person is None or not name or not name.strip():
            continue
        village = snap.households[person.household_id].village
        by_name[(name_key(name), person.birth_year, name_key(village))].append(person_id)
    found: dict[Pair, tuple[str, str, str]] = {}
    for why, groups in (("national_id", by_id.values()), ("name", by_name.values())):
        for people in groups:
            first, *rest = sorted(people, key=lambda pid: (snap.people[pid].index, pid))
            for later in rest:
                found.setdefault(pair(first, later), (why, first, later))
    return found


def duplicate_findings(
    snap: Snapshot,
    identities: Mapping[str, str],
    names: Mapping[str, str] | None,
    reviews: Mapping[Pair, str],
    anomaly: Callable[..., Anomaly],
) -> list[Anomaly]:
    """The findings of the suspected pairs, less those decided ``different_people``."""
    codes = person_codes(snap)
    out = []
    for key, (why, first, later) in suspected_pairs(snap, identities, names).items():
        decided = reviews.get(key)
        if decided == "different_people":
            continue
        first_code = codes.get(first, first)
        if decided == "same_person":
            code, detail = "DUPLICATE_IDENTITY", say.same_person_decided(first, first_code)
        elif why == "national_id":
            code, detail = "DUPLICATE_IDENTITY", say.same_identity(first, first_code)
        else:
            code, detail = "UNRESOLVED_DUPLICATE", say.unresolved_duplicate(first, first_code)
        out.append(
            anomaly(
                code,
                detail,
                person_id=later,
                household_id=snap.people[later].household_id,
                first_person_id=first,
            )
        )
    return out
