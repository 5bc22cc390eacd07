"""`serve --policy`: the API and the public pages say whether enough witnesses cosigned."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from nacl.signing import SigningKey

from api.pages import cache
from ledger.formats.notes import cosign
from ledger.tlog.policy import note_vkey, parse_policy
from ledger.tlog.witness import verifier_key
from tests.conftest import LEDGER_ID, Officers, Story
from tests.vectors.witness_policy import spoiled

WITNESSES = {"thanh-tra-tinh": "inspector", "kiem-toan": "registrar2"}


def policy_text(officers: Officers) -> str:
    lines = [f"log {note_vkey(LEDGER_ID, officers.keys['notary'].public_key)}"]
    for name, key in WITNESSES.items():
        lines.append(f"witness {name} {verifier_key(name, officers.keys[key])}")
    return "\n".join([*lines, "group ca-hai all thanh-tra-tinh kiem-toan", "quorum ca-hai", ""])


def cosign_latest(service: Any, officers: Officers, name: str, spoil: bool = False) -> None:
    latest = service.merkle().latest()
    line = cosign(latest.note, name, SigningKey(officers.keys[WITNESSES[name]].seed), 1_790_000_000)
    if spoil:  # the signature's last byte changed: it no longer verifies
        line = spoiled(line)
    service.merkle().add_cosignature(latest.size, line)


def test_the_checkpoint_endpoints_say_whether_the_policy_is_met(
    story: Story, service: Any, client: TestClient, officers: Officers
) -> None:
    story.beneficiary()
    service.policy = parse_policy(policy_text(officers))
    first = client.get("/v1/log/checkpoint")
    assert first.headers["X-Ansinh-Policy"] == "not-satisfied"
    cosign_latest(service, officers, "thanh-tra-tinh")
    status = client.get("/v1/log/policy").json()
    assert status["checkpoint"]["satisfied"] is False
    assert status["checkpoint"]["signed"] == ["thanh-tra-tinh"]
    assert status["checkpoint"]["missing"] == ["kiem-toan"]
    assert (status["checkpoint"]["met"], status["checkpoint"]["needed"]) == (1, 2)
    assert status["satisfied_size"] is None
    cosign_latest(service, officers, "kiem-toan")
    status = client.get("/v1/log/policy").json()
    assert status["checkpoint"]["satisfied"] is True
    assert status["satisfied_size"] == status["checkpoint"]["tree_size"]
    assert client.get("/v1/log/checkpoint").headers["X-Ansinh-Policy"] == "satisfied"


def test_a_server_without_a_policy_says_so(story: Story, client: TestClient) -> None:
    story.beneficiary()
    answer = client.get("/v1/log/policy")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NO_POLICY"
    assert "X-Ansinh-Policy" not in client.get("/v1/log/checkpoint").headers


def test_a_cosignature_that_does_not_verify_is_not_counted(
    story: Story, service: Any, client: TestClient, officers: Officers
) -> None:
    story.beneficiary()
    service.policy = parse_policy(policy_text(officers))
    client.get("/v1/log/checkpoint")
    cosign_latest(service, officers, "thanh-tra-tinh")
    cosign_latest(service, officers, "kiem-toan", spoil=True)
    found = client.get("/v1/log/policy").json()["checkpoint"]
    assert (found["satisfied"], found["signed"], found["bad"]) == (
        False,
        ["thanh-tra-tinh"],
        ["kiem-toan"],
    )
    page = client.get("/checkpoints").text
    assert "mới được 1/2 bên chứng kiến ký xác nhận: chưa đủ theo quy định" in page
    assert "Chữ ký không hợp lệ, không được tính: kiem-toan." in page


def test_the_public_pages_say_in_plain_words_how_many_witnesses_cosigned(
    story: Story, service: Any, client: TestClient, officers: Officers
) -> None:
    story.beneficiary()
    service.policy = parse_policy(policy_text(officers))
    client.get("/v1/log/checkpoint")
    cosign_latest(service, officers, "thanh-tra-tinh")
    home = client.get("/").text
    assert (
        "mới được 1/2 bên chứng kiến ký xác nhận: chưa đủ theo quy định. Chưa ký: kiem-toan."
        in (home)
    )
    cosign_latest(service, officers, "kiem-toan")
    page = client.get("/checkpoints").text
    assert "đã được 2/2 bên chứng kiến ký xác nhận (thanh-tra-tinh, kiem-toan)" in page
    english = client.get("/checkpoints?lang=en").text
    assert "has been cosigned by 2 of 2 witnesses" in english


def test_a_page_waiting_for_cosignatures_shows_them_as_soon_as_they_come(
    story: Story,
    service: Any,
    client: TestClient,
    officers: Officers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cache, "UNSETTLED_S", 0.0)  # (kept a second otherwise)
    story.beneficiary()
    service.policy = parse_policy(policy_text(officers))
    client.get("/v1/log/checkpoint")
    assert "mới được 0/2 bên chứng kiến" in client.get("/checkpoints").text
    cosign_latest(service, officers, "thanh-tra-tinh")
    cosign_latest(service, officers, "kiem-toan")
    assert "đã được 2/2 bên chứng kiến ký xác nhận" in client.get("/checkpoints").text


def test_pages_without_a_policy_say_nothing_of_witnesses(story: Story, client: TestClient) -> None:
    story.beneficiary()
    client.get("/v1/log/checkpoint")
    assert "bên chứng kiến" not in client.get("/checkpoints").text
