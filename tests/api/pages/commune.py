"""The small commune the public pages' tests read, and how they read a page."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from ledger.formats.vault import VaultRecord
from tests.conftest import Story, new_id
from tests.projections.verbs import set_status

AMOUNT = 1_624_000
NATIONAL_ID = "014062009137"
ETHNICITY = "Xinh Mun"
BANK_ACCOUNT = "VBARD-7301-2055-9981"
SECRETS = (NATIONAL_ID, ETHNICITY, BANK_ACCOUNT, "nhiễm chất độc")


def person(story: Story, household_id: str, name: str, relation: str = "head") -> str:
    """A person with a full vault record: a name, and personal data no page may show."""
    pid = new_id()
    record = VaultRecord.new(
        pid,
        {
            "full_name": name,
            "national_id": NATIONAL_ID,
            "ethnicity": ETHNICITY,
            "bank_account": BANK_ACCOUNT,
            "health": "nhiễm chất độc hóa học, mất sức lao động 61%",
        },
    )
    body = {"person_id": pid, "household_id": household_id, "relation": relation, "sex": "m"}
    body |= {"birth_year": 1948, "pii": record.commitment}
    story.submit(story.o.sub("registrar", "person.registered", body, vault=(record,)))
    return pid


def benefit(
    story: Story, program_id: str, person_id: str, decision: str | None = "approved", **kw: int
) -> str:
    """A benefit proposed by the registrar, then approved, rejected or (None) left waiting."""
    bid = new_id()
    body = {"benefit_id": bid, "program_id": program_id, "person_id": person_id}
    body |= {"amount": kw.get("amount", AMOUNT), "start": "2022-01", "basis": "Thương binh 61%"}
    story.submit(story.o.sub("registrar", "benefit.proposed", body))
    if decision == "approved":
        body = {"benefit_id": bid, "decision": {"number": "15/QĐ-UBND", "date": "2022-01-06"}}
        story.submit(story.o.sub("approver", "benefit.approved", body))
    elif decision == "rejected":
        body = {"benefit_id": bid, "reason": "không đủ điều kiện"}
        story.submit(story.o.sub("approver", "benefit.rejected", body))
    return bid


def program(story: Story, code: str) -> str:
    pid = new_id()
    body = {"program_id": pid, "code": code, "name": "Trợ cấp hằng tháng thương binh"}
    body |= {"category": "meritorious", "kind": "monthly"}
    story.submit(story.o.sub("authority", "program.defined", body))
    return pid


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def shown(text: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', text)
    assert found is not None, f"no #{element_id} on the page"
    return html.unescape(found.group(1))


def attribute(text: str, element_id: str, name: str) -> str:
    tag = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*>', text)
    assert tag is not None, f"no #{element_id} on the page"
    found = re.search(rf'{name}="([^"]+)"', tag.group(0))
    assert found is not None, f"#{element_id} has no {name}"
    return html.unescape(found.group(1))


def qr_modules(svg: str) -> str:
    """The QR symbol's path (in modules), independent of scale and title."""
    found = re.search(r'<path[^>]* d="([^"]+)"', svg)
    assert found is not None
    return found.group(1)


def make_commune(story: Story) -> dict[str, Any]:
    """Two villages: an approved war invalid heading a poor household; a proposed and a
    rejected benefit."""
    meritorious = program(story, "NCC-TB")
    huoi = story.household("Bản Huổi")
    invalid = person(story, huoi, "Quàng Văn Pọm")
    approved = benefit(story, meritorious, invalid)
    set_status(story, huoi, "poor", "2022-01-01")
    pao = story.household("Bản Huổi Pao")
    waiting = person(story, pao, "Lường Văn Chăn")
    benefit(story, meritorious, waiting, None, amount=2_436_000)
    refused = person(story, pao, "Tòng Thị Ọc", relation="member")
    benefit(story, meritorious, refused, "rejected", amount=3_248_000)
    return {"program": meritorious, "huoi": huoi, "invalid": invalid, "benefit": approved}
