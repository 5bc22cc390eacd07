"""Officer sign-in over HTTP: a challenge signed with the officer's registered key.

The sign-in state runs on an injected clock here, so challenges and tokens
expire when a test moves the clock, never by waiting.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.http.deps import signin_state
from api.http.signin import SIGNIN_PREFIX, SignIn, signin_message
from api.http.signin_store import Bounds, open_store
from ledger.formats.keys import KeyPair
from tests.conftest import LEDGER_ID as OUR_LEDGER
from tests.conftest import Officers, Story


class Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2022, 1, 10, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(client: Any) -> Clock:
    """The app's sign-in state, on a clock the test moves."""
    moved = Clock()
    signin_state(client.app).clock = moved
    return moved


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def challenge(client: Any, key: KeyPair) -> dict[str, Any]:
    response = client.post("/v1/auth/challenge", json={"key_id": key.key_id})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def answer(client: Any, key: KeyPair, issued: dict[str, Any], signer: KeyPair | None = None) -> Any:
    """Sign the challenge's message (with ``signer``, default the key) and ask for a token."""
    signature = (signer or key).sign(issued["message"].encode())
    body = {"key_id": key.key_id, "challenge": issued["challenge"], "signature": b64(signature)}
    return client.post("/v1/auth/token", json=body)


def sign_in(client: Any, key: KeyPair) -> str:
    """A bearer token for the holder of ``key``."""
    response = answer(client, key, challenge(client, key))
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def error(response: Any, status: int) -> tuple[str, str]:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    return body["code"], body["message"]


def revoke(story: Story, name: str) -> None:
    key = story.o.keys[name]
    body = {"key_id": key.key_id, "reason": "chuyển công tác"}
    story.submit(story.o.sub("authority", "key.revoked", body))


# -- the flow ----------------------------------------------------------------------------
def test_officer_signs_in_by_signing_the_challenge_message(
    client: Any, officers: Officers, clock: Clock
) -> None:
    key = officers.keys["cashier"]
    issued = challenge(client, key)
    assert len(base64.b64decode(issued["challenge"], validate=True)) == 32
    assert issued["message"] == f"ansinh signin v1\n{OUR_LEDGER}\n{issued['challenge']}\n"
    assert issued["expires_at"] == "2022-01-10T02:02:00Z"
    response = answer(client, key, issued)
    assert response.status_code == 200, response.text
    got = response.json()
    assert got["key_id"] == key.key_id
    assert got["holder"] == {"id": "staff-cashier", "name": "Cán bộ cashier"}
    assert got["roles"] == ["cashier"]
    assert got["expires_at"] == "2022-01-10T02:15:00Z"
    assert len(base64.urlsafe_b64decode(got["token"] + "=")) == 32
    me = client.get("/v1/auth/me", headers=bearer(got["token"]))
    assert me.status_code == 200
    assert me.json()["holder"]["id"] == "staff-cashier"


def test_each_sign_in_gets_its_own_challenge_and_token(client: Any, officers: Officers) -> None:
    key = officers.keys["inspector"]
    assert challenge(client, key)["challenge"] != challenge(client, key)["challenge"]
    assert sign_in(client, key) != sign_in(client, key)


def test_the_authority_key_signs_in_with_its_roles(client: Any, officers: Officers) -> None:
    token = sign_in(client, officers.keys["authority"])
    me = client.get("/v1/auth/me", headers=bearer(token)).json()
    assert me["roles"] == ["admin", "approver"]


def test_signed_message_cannot_be_a_checkpoint_statement_or_cosignature() -> None:
    message = signin_message(OUR_LEDGER, "A" * 43 + "=")
    first_line = message.split("\n")[0]
    assert first_line == SIGNIN_PREFIX
    assert re.fullmatch(r"[a-z0-9.\-/]+", first_line) is None  # never a checkpoint's origin
    assert not message.startswith(("DSSEv1 ", "cosignature/v1"))
    assert message.endswith("\n") and OUR_LEDGER in message.split("\n")


# -- refusals -------------------------------------------------------------------------------
def test_an_unknown_key_cannot_ask_for_a_challenge_nor_a_token(client: Any) -> None:
    stranger = KeyPair.from_seed(b"\x42" * 32)
    code, message = error(client.post("/v1/auth/challenge", json={"key_id": stranger.key_id}), 401)
    assert code == "UNKNOWN_KEY" and message.startswith("key_id:")
    fake = {"challenge": b64(b"\x00" * 32), "message": "anything"}
    code, _ = error(answer(client, stranger, fake), 401)
    assert code == "BAD_CHALLENGE"


def test_a_revoked_key_cannot_sign_in(client: Any, story: Story, officers: Officers) -> None:
    issued = challenge(client, officers.keys["registrar"])
    revoke(story, "registrar")
    code, _ = error(answer(client, officers.keys["registrar"], issued), 403)
    assert code == "KEY_REVOKED"
    body = {"key_id": officers.keys["registrar"].key_id}
    code, _ = error(client.post("/v1/auth/challenge", json=body), 403)
    assert code == "KEY_REVOKED"


def test_revoking_a_key_stops_its_token_at_once(
    client: Any, story: Story, officers: Officers
) -> None:
    token = sign_in(client, officers.keys["inspector"])
    assert client.get("/v1/auth/me", headers=bearer(token)).status_code == 200
    revoke(story, "inspector")  # recorded by another writer than the server
    # Not a masked answer, as if anonymous: a refusal, then the token is gone.
    code, _ = error(client.get("/v1/payroll?month=2022-01", headers=bearer(token)), 403)
    assert code == "KEY_REVOKED"
    code, _ = error(client.get("/v1/auth/me", headers=bearer(token)), 401)
    assert code == "INVALID_TOKEN"
    other = sign_in(client, officers.keys["cashier"])  # others' tokens still work
    assert client.get("/v1/auth/me", headers=bearer(other)).status_code == 200


def test_a_challenge_is_used_once(client: Any, officers: Officers) -> None:
    key = officers.keys["approver"]
    issued = challenge(client, key)
    assert answer(client, key, issued).status_code == 200
    code, message = error(answer(client, key, issued), 401)
    assert code == "BAD_CHALLENGE" and message.startswith("challenge:")


def test_a_failed_answer_uses_up_the_challenge(client: Any, officers: Officers) -> None:
    key = officers.keys["approver"]
    issued = challenge(client, key)
    code, _ = error(answer(client, key, issued, signer=officers.keys["cashier"]), 401)
    assert code == "BAD_SIGNATURE"
    code, _ = error(answer(client, key, issued), 401)
    assert code == "BAD_CHALLENGE"


def test_a_challenge_expires_after_two_minutes(
    client: Any, officers: Officers, clock: Clock
) -> None:
    key = officers.keys["cashier"]
    in_time = challenge(client, key)
    clock.advance(seconds=119)
    assert answer(client, key, in_time).status_code == 200
    late = challenge(client, key)
    clock.advance(seconds=120)
    code, message = error(answer(client, key, late), 401)
    assert code == "BAD_CHALLENGE" and "expired" in message


def test_a_challenge_issued_to_one_key_does_not_sign_in_another(
    client: Any, officers: Officers
) -> None:
    issued = challenge(client, officers.keys["cashier"])
    code, message = error(answer(client, officers.keys["inspector"], issued), 401)
    assert code == "BAD_CHALLENGE" and "another key" in message


def test_a_signature_by_another_key_is_refused(client: Any, officers: Officers) -> None:
    key = officers.keys["registrar"]
    code, message = error(
        answer(client, key, challenge(client, key), signer=officers.keys["registrar2"]), 401
    )
    assert code == "BAD_SIGNATURE" and message.startswith("signature:")


@pytest.mark.parametrize(
    "message",
    [
        "ansinh signin v1\nansinh.vn/son-la/song-ma/other\n{c}\n",  # another ledger
        "ansinh-signin-v1\n" + OUR_LEDGER + "\n{c}\n",  # another prefix
        "{c}",  # the bare challenge
        "ansinh signin v1\n" + OUR_LEDGER + "\n{c}",  # no final newline
    ],
)
def test_a_signature_over_another_message_is_refused(
    client: Any, officers: Officers, message: str
) -> None:
    key = officers.keys["cashier"]
    issued = challenge(client, key)
    forged = {**issued, "message": message.format(c=issued["challenge"])}
    code, _ = error(answer(client, key, forged), 401)
    assert code == "BAD_SIGNATURE"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"key_id": "not-hex"}, "key_id"),
        ({"key_id": "AB" * 32}, "key_id"),
        ({}, "key_id"),
        ({"key_id": "ab" * 32, "extra": 1}, "extra"),
    ],
)
def test_a_malformed_challenge_request_names_the_field(
    client: Any, body: dict[str, Any], field: str
) -> None:
    code, message = error(client.post("/v1/auth/challenge", json=body), 400)
    assert code == "INVALID_FIELD" and message.startswith(f"{field}:")


@pytest.mark.parametrize(
    ("signature", "why"),
    [("not base64!", "base64"), (b64(b"\x01" * 63), "64 bytes")],
)
def test_a_malformed_signature_names_the_field(
    client: Any, officers: Officers, signature: str, why: str
) -> None:
    key = officers.keys["cashier"]
    issued = challenge(client, key)
    body = {"key_id": key.key_id, "challenge": issued["challenge"], "signature": signature}
    code, message = error(client.post("/v1/auth/token", json=body), 400)
    assert code == "INVALID_FIELD" and message.startswith("signature:") and why in message


# -- tokens -----------------------------------------------------------------------------------
def test_a_token_lasts_fifteen_minutes(client: Any, officers: Officers, clock: Clock) -> None:
    token = sign_in(client, officers.keys["cashier"])
    clock.advance(minutes=14, seconds=59)
    assert client.get("/v1/auth/me", headers=bearer(token)).status_code == 200
    clock.advance(seconds=1)
    response = client.get("/v1/auth/me", headers=bearer(token))
    code, _ = error(response, 401)
    assert code == "TOKEN_EXPIRED"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    code, _ = error(client.get("/v1/auth/me", headers=bearer(token)), 401)
    assert code == "INVALID_TOKEN"  # forgotten once found expired


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "UNAUTHENTICATED"),
        ("Bearer not-a-token", "INVALID_TOKEN"),
        ("Basic Y2FzaGllcjpwYXNz", "INVALID_TOKEN"),
        ("Bearer", "INVALID_TOKEN"),
    ],
)
def test_a_missing_or_wrong_token_is_refused_with_a_bearer_challenge(
    client: Any, header: str | None, code: str
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/v1/auth/me", headers=headers)
    assert error(response, 401)[0] == code
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_signing_out_ends_the_token(client: Any, officers: Officers) -> None:
    token = sign_in(client, officers.keys["cashier"])
    assert client.delete("/v1/auth/token", headers=bearer(token)).status_code == 204
    code, _ = error(client.get("/v1/auth/me", headers=bearer(token)), 401)
    assert code == "INVALID_TOKEN"


def bounded(client: Any, **bounds: int) -> None:
    """The app's sign-in state, in the same tables, with smaller bounds."""
    store = open_store(client.app.state.service.ledger, Bounds(**bounds))
    client.app.state.signin = SignIn(store)


def test_held_tokens_are_bounded_and_the_oldest_go_first(client: Any, officers: Officers) -> None:
    bounded(client, sessions=2)
    first, second, third = (sign_in(client, officers.keys[n]) for n in ("cashier",) * 3)
    assert error(client.get("/v1/auth/me", headers=bearer(first)), 401)[0] == "INVALID_TOKEN"
    for token in (second, third):
        assert client.get("/v1/auth/me", headers=bearer(token)).status_code == 200


def test_outstanding_challenges_are_bounded(client: Any, officers: Officers) -> None:
    bounded(client, challenges=2)
    key = officers.keys["cashier"]
    oldest, *newer = (challenge(client, key) for _ in range(3))
    assert error(answer(client, key, oldest), 401)[0] == "BAD_CHALLENGE"
    assert all(answer(client, key, issued).status_code == 200 for issued in newer)
