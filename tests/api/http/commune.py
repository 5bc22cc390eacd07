"""The small commune the read endpoints' tests read, and how they ask.

A poor household in Bản Huổi whose head holds an approved allowance paid in
January (to her son, of the same household), a household in Bản Mé with no
benefit. Names and national ids are generated, and live in the vault only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.formats.vault import VaultRecord
from tests.api.http.test_auth import bearer, sign_in
from tests.conftest import Officers, Story, new_id
from tests.projections.verbs import fund, pay, set_status

AMOUNT = 1_624_000
HEAD_NAME, HEAD_ID = "Lò Thị Xuân", "014150000101"
SON_NAME, SON_ID = "Lò Văn Thắng", "014180000102"
OTHER_NAME, OTHER_ID = "Quàng Văn Bình", "014160000103"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def person(
    story: Story, household_id: str, name: str, national_id: str, relation: str = "head"
) -> str:
    pid = new_id()
    record = VaultRecord.new(pid, {"full_name": name, "national_id": national_id})
    body: dict[str, Any] = {"person_id": pid, "household_id": household_id, "relation": relation}
    body |= {"sex": "f", "birth_year": 1950, "pii": record.commitment}
    story.submit(story.o.sub("registrar", "person.registered", body, vault=(record,)))
    return pid


@dataclass
class Commune:
    poor: str  # household ids
    other: str
    head: str  # person ids
    son: str
    neighbour: str
    program: str
    benefit: str
    payment: str
    approved_at: int  # the entry that approved the benefit


def make_commune(story: Story) -> Commune:
    poor, other = story.household("Bản Huổi"), story.household("Bản Mé")
    head = person(story, poor, HEAD_NAME, HEAD_ID)
    son = person(story, poor, SON_NAME, SON_ID, relation="member")
    neighbour = person(story, other, OTHER_NAME, OTHER_ID)
    set_status(story, poor, "poor", "2022-01-01")
    program = story.program()
    fund(story, program)
    benefit = new_id()
    body = {"benefit_id": benefit, "program_id": program, "person_id": head, "amount": AMOUNT}
    story.submit(
        story.o.sub(
            "registrar", "benefit.proposed", body | {"start": "2022-01", "basis": "Thương binh"}
        )
    )
    decision = {"number": "15/QĐ-UBND", "date": "2022-01-06"}
    approved = story.submit(
        story.o.sub("approver", "benefit.approved", {"benefit_id": benefit, "decision": decision})
    )
    payment = pay(story, benefit, son)
    return Commune(poor, other, head, son, neighbour, program, benefit, payment, approved.index)


def get(client: Any, url: str, who: str | None = None, officers: Officers | None = None) -> Any:
    headers = bearer(sign_in(client, officers.keys[who])) if who and officers else {}
    return client.get(url, headers=headers)


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def members_of(doc: dict[str, Any], household_id: str) -> list[dict[str, Any]]:
    return next(h for h in doc["households"] if h["household_id"] == household_id)["members"]
