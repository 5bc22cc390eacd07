"""Signing in from the browser: challenge, signature over the text built in the page, token.

The page builds the sign-in text from the ledger id and the challenge
(``dsse.signinMessage``), never from the server's ``message`` field, and
signs it with the officer's key loaded from their key file.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from api.http.signin import signin_message
from ledger.formats.keys import write_key_file
from tests.browser.conftest import Live
from tests.browser.crypto.modules import open_console, run
from tests.conftest import LEDGER_ID, Officers

SIGN_IN = """
const signer = await keys.loadKeyFile(arg.pem, arg.passphrase);
async function postJson(path, body) {
  const answer = await fetch(path, {method: "POST",
    headers: {"content-type": "application/json"}, body: JSON.stringify(body)});
  return {status: answer.status, body: await answer.json()};
}
const asked = await postJson("/v1/auth/challenge", {key_id: signer.keyId});
const challenge = asked.body.challenge;
const signature = await dsse.signIn(signer, arg.ledger, challenge);
const token = await postJson("/v1/auth/token", {key_id: signer.keyId, challenge, signature});
const me = await fetch("/v1/auth/me", {headers: {authorization: `Bearer ${token.body.token}`}});
return {asked, built: dsse.signinMessage(arg.ledger, challenge), token, me: await me.json(),
        me_status: me.status};
"""


def test_a_registered_officer_signs_in_from_the_browser_and_gets_a_working_token(
    live: Live, page: Page, officers: Officers, tmp_path: Path
) -> None:
    path = tmp_path / "cashier.key"
    write_key_file(path, officers.keys["cashier"], "sổ quỹ".encode())
    found = run(
        open_console(live, page),
        SIGN_IN,
        {"pem": path.read_text("ascii"), "passphrase": "sổ quỹ", "ledger": LEDGER_ID},
    )
    assert found["asked"]["status"] == 200
    challenge = found["asked"]["body"]["challenge"]
    assert (
        found["built"] == signin_message(LEDGER_ID, challenge) == found["asked"]["body"]["message"]
    )
    assert found["token"]["status"] == 200, found["token"]
    assert found["token"]["body"]["key_id"] == officers.keys["cashier"].key_id
    assert found["me_status"] == 200
    assert found["me"]["roles"] == ["cashier"]
    assert found["me"]["holder"] == {"id": "staff-cashier", "name": "Cán bộ cashier"}


def test_a_sign_in_signed_for_another_ledger_is_refused(
    live: Live, page: Page, officers: Officers, tmp_path: Path
) -> None:
    path = tmp_path / "registrar.key"
    write_key_file(path, officers.keys["registrar"])
    found = run(
        open_console(live, page),
        SIGN_IN,
        {"pem": path.read_text("ascii"), "passphrase": None, "ledger": "ansinh.vn/other/commune"},
    )
    assert found["token"]["status"] == 401, found["token"]
    assert found["token"]["body"]["error"]["code"] == "BAD_SIGNATURE", found["token"]
    assert found["me_status"] == 401


def test_the_sign_in_text_is_the_servers_for_any_challenge_and_refuses_other_input(
    live: Live, page: Page
) -> None:
    challenges = ["AAAA", "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=", "+/+/"]
    found = run(
        open_console(live, page),
        """
        const refused = [];
        for (const [ledger, challenge] of [["Ansinh.vn", "AAAA"], [arg.ledger, "a b"],
                                           [arg.ledger, "AA\\nDSSEv1"], [arg.ledger, ""]]) {
          try { dsse.signinMessage(ledger, challenge); } catch (e) { refused.push(e.message); }
        }
        return {texts: arg.challenges.map((c) => dsse.signinMessage(arg.ledger, c)), refused};
        """,
        {"ledger": LEDGER_ID, "challenges": challenges},
    )
    assert found["texts"] == [signin_message(LEDGER_ID, c) for c in challenges]
    assert found["refused"] == [
        "ledger_id: must be a ledger id",
        "challenge: must be the base64 challenge the server gave",
        "challenge: must be the base64 challenge the server gave",
        "challenge: must be the base64 challenge the server gave",
    ]
