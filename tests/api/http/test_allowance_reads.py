"""What an anonymous reader is shown of allowance changes (docs/formats.md 11.2).

Where and when a person moved, and why a benefit is suspended, describe the
person: a history withholds them, and a PAID_AFTER_LEAVING finding says only
that the payment came after leaving, until an officer signs in.
"""

from __future__ import annotations

from typing import Any

from projections.query import snapshot
from tests.api.http.test_auth import bearer, sign_in
from tests.conftest import Story
from tests.projections.verbs import fund, pay
from tests.support.drafts import Draft
from tests.support.steps.allowances import change, social_benefit


def test_leaving_is_withheld_from_an_anonymous_reader(
    story: Story, client: Any, officers: Any
) -> None:
    bid = social_benefit(story)
    benefit = snapshot(story.app).benefits[bid]
    pid = benefit.person_id or ""
    fund(story, benefit.program_id)
    body = {"person_id": pid, "date": "2022-02-14", "to": "xã Mường Lầm"}
    left = story.submit(Draft("registrar", "person.left", body).sub(story.o)).index
    story.submit(change(story, bid, "suspend", "2022-02").sub(story.o))
    pay(story, bid, pid, month="2022-03", amount=540_000)
    history = client.get(f"/v1/entities/{pid}/history").json()["entries"]
    leaving = next(e for e in history if e["type"] == "person.left")
    assert leaving["withheld"] == ["date", "to"] and leaving["body"] == {"person_id": pid}
    changes = client.get(f"/v1/entities/{bid}/history").json()["entries"]
    proposed = next(e for e in changes if e["type"] == "benefit.change.proposed")
    assert proposed["withheld"] == ["reason"]
    url = "/v1/reports/reconciliation?from=2022-03&to=2022-03"
    (public,) = [
        a for a in client.get(url).json()["anomalies"] if a["code"] == "PAID_AFTER_LEAVING"
    ]
    assert "Mường Lầm" not in public["detail"] + public["detail_vi"]
    assert left not in public["evidence"]
    signed = client.get(url, headers=bearer(sign_in(client, officers.keys["cashier"]))).json()
    (found,) = [a for a in signed["anomalies"] if a["code"] == "PAID_AFTER_LEAVING"]
    assert "left the commune in 2022-02 (to xã Mường Lầm)" in found["detail"]
    assert left in found["evidence"]
