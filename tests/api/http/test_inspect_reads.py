"""``GET /v1/inspect/log`` and ``/v1/inspect/evidence``: the inspector's questions over HTTP."""

from __future__ import annotations

import json
from typing import Any

from ledger.audit.evidence import verify_evidence
from tests.api.http.test_auth import bearer, error, sign_in
from tests.conftest import Officers, Story


def _inspector(client: Any, officers: Officers) -> dict[str, str]:
    return bearer(sign_in(client, officers.keys["inspector"]))


def _households(story: Story) -> list[str]:
    return [story.household("Bản Huổi"), story.household("Bản Mòng")]


def test_the_log_filtered_by_signer_type_and_entity(
    client: Any, story: Story, officers: Officers
) -> None:
    first, second = _households(story)
    auth = _inspector(client, officers)
    answer = client.get("/v1/inspect/log?type=household.registered", headers=auth).json()
    assert [r["by"] for r in answer["rows"]] == ["staff-registrar"] * 2
    indexes = [r["index"] for r in answer["rows"]]
    code = f"CE-{second[:6]}"  # the code the story gives a household
    by_code = client.get("/v1/inspect/log", params={"entity": code}, headers=auth).json()
    assert [r["index"] for r in by_code["rows"]] == [indexes[1]]
    by_id = client.get("/v1/inspect/log", params={"entity": first}, headers=auth).json()
    assert [r["index"] for r in by_id["rows"]] == [indexes[0]]
    nobody = client.get("/v1/inspect/log?by=staff-approver&type=household.registered", headers=auth)
    assert nobody.json()["rows"] == []


def test_the_log_comes_a_page_at_a_time(client: Any, story: Story, officers: Officers) -> None:
    _households(story)
    auth = _inspector(client, officers)
    page = client.get("/v1/inspect/log?limit=2", headers=auth).json()
    assert [r["index"] for r in page["rows"]] == [0, 1] and page["more"] and page["next"] == 2
    rest = client.get("/v1/inspect/log?start=2&limit=5000", headers=auth).json()
    assert rest["rows"][0]["index"] == 2 and not rest["more"]
    assert len(page["rows"]) + len(rest["rows"]) == story.app.size()


def test_the_inspector_screen_needs_an_inspector(
    client: Any, story: Story, officers: Officers
) -> None:
    assert error(client.get("/v1/inspect/log"), 401)[0] == "UNAUTHENTICATED"
    cashier = bearer(sign_in(client, officers.keys["cashier"]))
    assert error(client.get("/v1/inspect/log", headers=cashier), 403)[0] == "ROLE_NOT_ALLOWED"
    assert error(client.get("/v1/inspect/evidence?index=1", headers=cashier), 403)[0] == (
        "ROLE_NOT_ALLOWED"
    )


def test_bad_filters_are_refused_naming_them(client: Any, story: Story, officers: Officers) -> None:
    auth = _inspector(client, officers)
    code, message = error(client.get("/v1/inspect/log?type=household.registred", headers=auth), 400)
    assert code == "INVALID_FIELD" and "did you mean household.registered" in message
    code, message = error(client.get("/v1/inspect/log?from=2022-02-30", headers=auth), 400)
    assert code == "INVALID_FIELD" and message.startswith("from:")
    code, message = error(client.get("/v1/inspect/evidence", headers=auth), 400)
    assert message.startswith("entity:")


def test_evidence_of_a_household_verifies_offline(
    client: Any, story: Story, officers: Officers
) -> None:
    _, second = _households(story)
    auth = _inspector(client, officers)
    answer = client.get("/v1/inspect/evidence", params={"entity": f"CE-{second[:6]}"}, headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"].startswith('attachment; filename="bang-chung-CE-')
    outcome = verify_evidence(answer.text, authority=officers.keys["authority"].key_id)
    assert len(outcome.asked) == 1 and outcome.checkpoint_size == story.app.size()
    doc: dict[str, Any] = json.loads(answer.text)
    assert [e["why"] for e in doc["entries"]][-1] == "asked"
