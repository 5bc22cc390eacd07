"""The duplicates queue worked through, in the demo's later years (docs/formats.md 10.3).

Chiềng En has namesakes: people of one village with the same full name and
birth year, whom the reconciliation suspects to be one person registered
twice until an approver decides. In June 2024, the ledger following 1.3 and
so 1.2, the approver compares their papers and records each pair as two
different people (``identity.reviewed``), so the reconciliation of the
later years no longer lists them (``UNRESOLVED_DUPLICATE``).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from api.demo.data import Member
from api.demo.later.years import LaterYears
from projections.reports.duplicates import name_key

DECIDED_ON = "2024-06-10"
BASIS = "Đối chiếu căn cước công dân và sổ hộ khẩu: khác số định danh, khác cha mẹ"


def review_namesakes(later: LaterYears) -> int:
    """Decide every pair of namesakes (same name, birth year and village); returns how
    many pairs. Every pair of a group is decided, so whichever was registered first."""
    groups: dict[tuple[str, int, str], list[Member]] = defaultdict(list)
    for home in later.c.homes:
        for m in home.members:
            groups[(name_key(m.record["full_name"]), m.birth_year, home.village)].append(m)
    pairs = 0
    for members in groups.values():
        for first, second in combinations(members, 2):
            later.s.add(DECIDED_ON, "approver", "identity.reviewed", person_id=second.person_id,
                        other_person_id=first.person_id, outcome="different_people",
                        basis=BASIS)  # fmt: skip
            pairs += 1
    return pairs
