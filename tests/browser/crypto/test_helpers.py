"""The small pieces the console builds statements from: bytes, ids, nonces, times, the vault.

Each is compared with what the ledger's Python code computes or accepts.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re

from playwright.sync_api import Page

from ledger.formats.dsse import make_statement
from ledger.formats.vault import commitment
from tests.browser.conftest import Live
from tests.browser.crypto.modules import open_console, run
from tests.conftest import LEDGER_ID

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
KEY_ID = "ab" * 32


def test_bytes_round_trip_as_python_encodes_them_and_bad_base64_is_refused(
    live: Live, page: Page
) -> None:
    data = os.urandom(100_003)
    found = run(
        open_console(live, page),
        """
        const raw = bytes.b64decode(arg.b64);
        const refused = [];
        for (const text of ["QUJD", "QUI", "QU I=", "QUJ=", "QUI-", "QUJD\\n"]) {
          try { bytes.b64decode(text); } catch (e) { refused.push(text); }
        }
        let surrogate = null;
        try { bytes.utf8("a\\ud800"); } catch (e) { surrogate = e.message; }
        return {b64: bytes.b64encode(raw), hex: bytes.hex(raw.subarray(0, 8)),
                sha: await bytes.sha256Hex(raw), text: await bytes.sha256Hex("Sông Mã"),
                refused, surrogate};
        """,
        {"b64": base64.b64encode(data).decode()},
    )
    assert found["b64"] == base64.b64encode(data).decode()
    assert found["hex"] == data[:8].hex()
    assert found["sha"] == hashlib.sha256(data).hexdigest()
    assert found["text"] == hashlib.sha256("Sông Mã".encode()).hexdigest()
    # "QUJ=" decodes but its last character carries bits base64 of those bytes never has
    assert found["refused"] == ["QUI", "QU I=", "QUJ=", "QUI-", "QUJD\n"]
    assert found["surrogate"] == "utf8: the text holds a lone surrogate (not Unicode)"


def test_a_statement_gets_a_uuid_a_nonce_and_a_time_in_the_ledgers_formats(
    live: Live, page: Page
) -> None:
    found = run(
        open_console(live, page),
        """
        const made = dsse.statement({ledger: arg.ledger, type: "household.registered",
          by: arg.by, body: {household_id: dsse.newId(), code: "CE-1", village: "Bản Huổi"}});
        return {made, ids: [dsse.newId(), dsse.newId()], nonces: [dsse.newNonce(), dsse.newNonce()],
                fixed: dsse.timestamp(new Date(Date.UTC(2022, 0, 10, 4, 5, 6, 789)))};
        """,
        {"ledger": LEDGER_ID, "by": KEY_ID},
    )
    made = found["made"]
    python = make_statement(LEDGER_ID, made["type"], made["body"], KEY_ID)
    assert set(made) == set(python) == {"ledger", "type", "by", "at", "nonce", "body"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", made["at"])
    assert found["fixed"] == "2022-01-10T04:05:06Z"
    assert all(re.fullmatch(r"[0-9a-f]{32}", n) for n in [*found["nonces"], made["nonce"]])
    assert all(UUID4.fullmatch(i) for i in [*found["ids"], made["body"]["household_id"]])
    assert len(set(found["nonces"])) == len(set(found["ids"])) == 2


def test_a_statement_with_a_bad_field_is_refused_naming_the_field(live: Live, page: Page) -> None:
    found = run(
        open_console(live, page),
        """
        const good = {ledger: arg.ledger, type: "person.died", by: arg.by, body: {}};
        const bad = {ledger: "Chiềng En", type: "died", by: "AB", body: [], at: "2022-01-10",
                     nonce: "xyz", extra: 1};
        const refused = {};
        for (const field of Object.keys(bad)) {
          try { dsse.statement({...good, [field]: bad[field]}); refused[field] = null; }
          catch (e) { refused[field] = e.message; }
        }
        const signer = {keyId: "cd".repeat(32), sign: async () => new Uint8Array(64)};
        try { await dsse.signStatement(signer, dsse.statement(good)); }
        catch (e) { refused.signer = e.message; }
        return refused;
        """,
        {"ledger": LEDGER_ID, "by": KEY_ID},
    )
    assert {field: message.split(":")[0] for field, message in found.items()} == {
        "ledger": "ledger",
        "type": "type",
        "by": "by",
        "body": "body",
        "at": "at",
        "nonce": "nonce",
        "extra": "statement",
        "signer": "statement.by",
    }


def test_a_vault_record_opens_the_commitment_python_computes(live: Live, page: Page) -> None:
    record = {"full_name": "Lò Văn Pọm", "national_id": "014090001234", "phone": "0912 000 111"}
    found = run(
        open_console(live, page),
        """
        const person = dsse.newId();
        const made = await vault.vaultRecord(person, arg);
        const refused = [];
        for (const [id, rec] of [["NOT-A-UUID", arg], [person, {}], [person, [1]]]) {
          try { await vault.vaultRecord(id, rec); } catch (e) { refused.push(e.message); }
        }
        const salts = [bytes.b64encode(vault.newSalt()), bytes.b64encode(vault.newSalt())];
        return {person, made, salts, refused};
        """,
        record,
    )
    made = found["made"]
    assert set(made["record"]) == {"person_id", "salt", "record"}
    assert made["record"]["person_id"] == found["person"]
    assert made["record"]["record"] == record
    salt = base64.b64decode(made["record"]["salt"])
    assert len(salt) == 32
    assert made["pii"] == commitment(salt, record)
    assert len({*found["salts"], made["record"]["salt"]}) == 3
    assert found["refused"] == [
        "person_id: must be a lowercase UUID",
        "record: must be a non-empty object of personal data",
        "record: must be a non-empty object of personal data",
    ]


def test_receipt_evidence_is_the_sha256_of_the_file_or_of_the_trimmed_number(
    live: Live, page: Page
) -> None:
    scan = os.urandom(5000)
    found = run(
        open_console(live, page),
        """
        const file = new File([bytes.b64decode(arg)], "bien-nhan.jpg", {type: "image/jpeg"});
        const refused = [];
        for (const bad of ["   ", new Blob([]), 42]) {
          try { await vault.evidenceOf(bad); } catch (e) { refused.push(e.message); }
        }
        return {file: await vault.evidenceOf(file), number: await vault.evidenceOf("  BL-0042\\n"),
                refused};
        """,
        base64.b64encode(scan).decode(),
    )
    assert found["file"] == hashlib.sha256(scan).hexdigest()
    assert found["number"] == hashlib.sha256(b"BL-0042").hexdigest()
    assert found["refused"] == [
        "receipt.evidence: the reference number is empty",
        "receipt.evidence: the file is empty",
        "receipt.evidence: give a file or a reference number",
    ]
