"""Statements signed in the browser with officers' key files are recorded by the live server,
and the ledger they make verifies with the project's verifier and an independent one.

The officers' keys are the story's (``tests.conftest.Officers``), written as
key files by ``write_key_file`` (the authority's and approver's under a
passphrase); the page loads them, signs a household, a person with personal
data, a program, a benefit, its approval and a payment, and posts each to
``/v1/statements`` as the console does.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from ledger.audit.bundle import export_bundle
from ledger.audit.ledger import verify_bundle
from ledger.formats.keys import write_key_file
from ledger.formats.vault import commitment
from tests.browser.conftest import Live
from tests.browser.crypto.modules import open_console, run
from tests.conftest import LEDGER_ID, Officers
from tests.ledger.audit.independent import verify_independently

PASSPHRASE = "Chiềng En 2022"
ENCRYPTED = ("authority", "approver")

SIGN_AND_POST = """
const signers = {};
for (const [name, file] of Object.entries(arg.keys)) {
  signers[name] = await keys.loadKeyFile(file.pem, file.passphrase);
}
async function post(submission) {
  const answer = await fetch("/v1/statements", {method: "POST",
    headers: {"content-type": "application/json"}, body: JSON.stringify(submission)});
  return {status: answer.status, answer: await answer.json()};
}
const sent = [];
async function submit(who, type, body, vaultItems) {
  const signer = signers[who];
  const envelope = await dsse.signStatement(signer,
    dsse.statement({ledger: arg.ledger, type, by: signer.keyId, body}));
  const posted = await post(vaultItems ? {envelope, vault: vaultItems} : envelope);
  sent.push({type, envelope, ...posted});
  return envelope;
}
const [hid, pid, prog, bid] = [dsse.newId(), dsse.newId(), dsse.newId(), dsse.newId()];
await submit("registrar", "household.registered",
  {household_id: hid, code: "CE-9", village: "Bản Huổi Một"});
const person = await vault.vaultRecord(pid,
  {full_name: "Lò Thị Xuân", national_id: "000000000042", birth_date: "1951-07-02"});
await submit("registrar", "person.registered", {person_id: pid, household_id: hid,
  relation: "head", sex: "f", birth_year: 1951, pii: person.pii}, [person.record]);
await submit("authority", "program.defined", {program_id: prog, code: "TB",
  name: "Trợ cấp thương binh", category: "meritorious", kind: "monthly"});
await submit("registrar", "benefit.proposed", {benefit_id: bid, program_id: prog,
  person_id: pid, amount: 1624000, start: "2022-01", basis: "Thương binh 61%"});
await submit("approver", "benefit.approved",
  {benefit_id: bid, decision: {number: "15/QĐ-UBND", date: "2022-01-06"}});
const scan = new Blob([bytes.utf8("ảnh chụp biên nhận có chữ ký")], {type: "image/png"});
const paid = await submit("cashier", "payment.recorded", {payment_id: dsse.newId(),
  benefit_id: bid, month: "2022-01", amount: 1624000, paid_on: "2022-01-10",
  method: "cash", recipient: pid,
  receipt: {kind: "signature", evidence: await vault.evidenceOf(scan)}});
const again = await post(paid);
return {sent, again, person: person.record};
"""


def _key_files(officers: Officers, tmp_path: Path) -> dict[str, dict[str, Any]]:
    files = {}
    for name in ("authority", "registrar", "approver", "cashier"):
        passphrase = PASSPHRASE if name in ENCRYPTED else None
        path = tmp_path / f"{name}.key"
        write_key_file(path, officers.keys[name], passphrase.encode() if passphrase else None)
        files[name] = {"pem": path.read_text("ascii"), "passphrase": passphrase}
    return files


def _signed_in_browser(
    live: Live, page: Page, officers: Officers, tmp_path: Path
) -> dict[str, Any]:
    found: dict[str, Any] = run(
        open_console(live, page),
        SIGN_AND_POST,
        {"keys": _key_files(officers, tmp_path), "ledger": LEDGER_ID},
    )
    return found


def test_statements_signed_in_the_browser_are_recorded_as_signed(
    live: Live, page: Page, officers: Officers, tmp_path: Path
) -> None:
    found = _signed_in_browser(live, page, officers, tmp_path)
    sent = found["sent"]
    assert [(s["type"], s["status"]) for s in sent] == [
        ("household.registered", 201),
        ("person.registered", 201),
        ("program.defined", 201),
        ("benefit.proposed", 201),
        ("benefit.approved", 201),
        ("payment.recorded", 201),
    ], sent
    first = sent[0]["answer"]["index"]
    assert [s["answer"]["index"] for s in sent] == list(range(first, first + 6))
    recorded = list(live.service.ledger.entries(first, first + 6))
    assert [e.envelope for e in recorded] == [s["envelope"] for s in sent]
    # resubmitting the same bytes is no error and records nothing new
    assert found["again"] == {"status": 200, "answer": sent[-1]["answer"]}
    person = found["person"]
    statement = json.loads(base64.b64decode(sent[1]["envelope"]["payload"]))
    assert statement["body"]["pii"] == commitment(
        base64.b64decode(person["salt"]), person["record"]
    )


def test_the_ledger_the_browser_wrote_verifies_with_both_verifiers(
    live: Live, page: Page, officers: Officers, tmp_path: Path
) -> None:
    sent = _signed_in_browser(live, page, officers, tmp_path)["sent"]
    size = sent[-1]["answer"]["index"] + 1
    note = page.evaluate(
        "async () => (await fetch('/v1/log/checkpoint')).text()"
    )  # the server signs one covering every entry
    assert note.split("\n")[1] == str(size)
    authority = officers.keys["authority"].key_id
    bundle = tmp_path / "bundle"
    export_bundle(live.service.ledger, bundle, as_of=size, with_vault=True)
    outcome = verify_bundle(bundle, authority=authority, processes=1)
    assert (outcome.entries, outcome.checkpoint_size, outcome.vault_records) == (size, size, 1)
    entries = (bundle / "entries.jsonl").read_bytes()
    warnings: list[str] = []
    checked, root = verify_independently(entries, note, authority, warnings)
    assert (checked, root, warnings) == (size, outcome.root, [])
