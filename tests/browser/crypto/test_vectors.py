"""Every case of shared/vectors/formats-v1.json a browser computes, reproduced in the browser.

JCS bytes, PAE bytes, key ids, DSSE envelopes (Ed25519 is deterministic:
signing a vector's statement with its key gives its envelope byte for
byte), the personal-data commitment and the leaf bytes, computed by the
console's modules in Chromium and compared with the vectors' bytes.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from playwright.sync_api import Page

from ledger.formats.keys import KeyPair
from tests.browser.conftest import Live
from tests.browser.crypto.modules import open_console, run
from tests.support.vectors import load_formats

pytestmark = pytest.mark.vectors


def _entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = load_formats()["entries"]
    return entries


def _key_files() -> dict[str, str]:
    """Each vector key as the PKCS#8 PEM text `ansinh keys new` would write."""
    return {
        name: KeyPair.from_seed(bytes.fromhex(key["seed_hex"])).to_pem().decode()
        for name, key in load_formats()["keys"].items()
    }


def test_key_files_of_the_vector_seeds_give_the_vector_key_ids_and_public_keys(
    live: Live, page: Page
) -> None:
    found = run(
        open_console(live, page),
        """
        const out = {};
        for (const [name, pem] of Object.entries(arg)) {
          const signer = await keys.loadKeyFile(pem);
          out[name] = {key_id: signer.keyId, public_key: signer.publicKey,
                       id_of_public: await bytes.sha256Hex(bytes.b64decode(signer.publicKey))};
        }
        return out;
        """,
        _key_files(),
    )
    for name, key in load_formats()["keys"].items():
        assert found[name]["key_id"] == key["key_id"], name
        assert found[name]["id_of_public"] == key["key_id"], name
        assert found[name]["public_key"] == key["public_key"], name


def test_payload_bytes_and_pae_of_each_statement_match_the_vectors(live: Live, page: Page) -> None:
    statements = json.dumps([e["statement"] for e in _entries()], ensure_ascii=False)
    found = run(
        open_console(live, page),
        """
        return JSON.parse(arg).map((statement) => {
          const payload = jcs.canonicalBytes(statement);
          return {text: jcs.canonicalize(statement), payload: bytes.b64encode(payload),
                  pae: bytes.hex(dsse.pae(dsse.PAYLOAD_TYPE, payload))};
        });
        """,
        statements,
    )
    assert len(found) == len(_entries()) == 12
    for i, (got, entry) in enumerate(zip(found, _entries(), strict=True)):
        assert got["text"] == entry["payload_jcs"], i
        assert got["payload"] == entry["envelope"]["payload"], i
        assert base64.b64decode(got["payload"]) == entry["payload_jcs"].encode("utf-8"), i
        assert got["pae"] == entry["pae_hex"], i


def test_signing_each_vector_statement_in_the_browser_gives_its_envelope_byte_for_byte(
    live: Live, page: Page
) -> None:
    found = run(
        open_console(live, page),
        """
        const signers = {};
        for (const pem of Object.values(arg.keys)) {
          const signer = await keys.loadKeyFile(pem);
          signers[signer.keyId] = signer;
        }
        const out = [];
        for (const statement of JSON.parse(arg.statements)) {
          const envelope = await dsse.signStatement(signers[statement.by], statement);
          out.push({envelope, jcs: jcs.canonicalize(envelope)});
        }
        return out;
        """,
        {
            "keys": _key_files(),
            "statements": json.dumps([e["statement"] for e in _entries()], ensure_ascii=False),
        },
    )
    for i, (got, entry) in enumerate(zip(found, _entries(), strict=True)):
        assert got["envelope"] == entry["envelope"], i
        assert got["jcs"] == json.dumps(entry["envelope"], sort_keys=True, separators=(",", ":"))


def test_leaf_bytes_of_each_entry_are_the_jcs_of_the_entry(live: Live, page: Page) -> None:
    leaves = [e["leaf"] for e in _entries()]
    found = run(
        open_console(live, page),
        "return arg.map((leaf) => jcs.canonicalize(JSON.parse(leaf)));",
        leaves,
    )
    assert found == leaves


def test_the_pii_commitment_of_the_vector_record_and_salt_matches(live: Live, page: Page) -> None:
    pii = load_formats()["pii"]
    person = next(e for e in _entries() if e["statement"]["type"] == "person.registered")
    found = run(
        open_console(live, page),
        """
        const {salt, record} = JSON.parse(arg);
        return await vault.commitment(bytes.b64decode(salt), record);
        """,
        json.dumps({"salt": pii["salt"], "record": pii["record"]}, ensure_ascii=False),
    )
    assert found == pii["commitment"] == person["statement"]["body"]["pii"]
