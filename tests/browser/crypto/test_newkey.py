"""A key made in the browser: saved as a key file Python reads, its private key never readable.

``createKey`` gives the signer, the NAME.pub text `ansinh keys new` would
write, and ``pem(passphrase)``: the PKCS#8 file, encrypted with PBES2
(PBKDF2-HMAC-SHA256, at least 100,000 rounds, AES-256-CBC) when a
passphrase is given.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import nacl.signing
from playwright.sync_api import Page

from ledger.formats.keys import decode_public_key, key_id, read_key_file
from tests.browser.conftest import Live
from tests.browser.crypto.modules import open_console, run

PASSPHRASE = "Mật khẩu: bản Huổi Một 1975"
PBKDF2_OID = bytes.fromhex("06092a864886f70d01050c")

CREATE = """
async function exportable(key) {
  const refused = [];
  for (const format of ["pkcs8", "jwk"]) {
    try { await crypto.subtle.exportKey(format, key); }
    catch (e) { refused.push(`${format}: ${e.name}`); }
  }
  return refused;
}
const made = await keys.createKey(arg.name);
const before = await exportable(made.signer.privateKey);
const encrypted = await made.pem(arg.passphrase);
const plain = await made.pem();
const after = await exportable(made.signer.privateKey);
const reloaded = await keys.loadKeyFile(encrypted, arg.passphrase);
const sig = await made.signer.sign(bytes.utf8("ansinh"));
made.forget();
let forgotten = null;
try { await made.pem(); } catch (e) { forgotten = e.message; }
return {key_id: made.signer.keyId, public_key: made.signer.publicKey,
        public_file: made.publicFile, encrypted, plain, before, after, forgotten,
        extractable: made.signer.privateKey.extractable,
        reloaded: reloaded.keyId, sig: bytes.b64encode(sig)};
"""


def _create(live: Live, page: Page, name: str) -> dict[str, Any]:
    found: dict[str, Any] = run(
        open_console(live, page), CREATE, {"name": name, "passphrase": PASSPHRASE}
    )
    return found


def test_a_key_made_in_the_browser_saved_encrypted_loads_in_python_with_the_same_key_id(
    live: Live, page: Page, tmp_path: Path
) -> None:
    made = _create(live, page, "can-bo-xuan")
    encrypted, plain = tmp_path / "encrypted.key", tmp_path / "plain.key"
    encrypted.write_text(made["encrypted"], "ascii")
    plain.write_text(made["plain"], "ascii")
    assert made["encrypted"].startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    assert made["plain"].startswith("-----BEGIN PRIVATE KEY-----\n")
    from_encrypted = read_key_file(encrypted, PASSPHRASE.encode())
    from_plain = read_key_file(plain)
    assert from_encrypted.key_id == from_plain.key_id == made["key_id"] == made["reloaded"]
    assert from_encrypted.public_key_b64 == made["public_key"]
    assert key_id(decode_public_key(made["public_key"])) == made["key_id"]
    nacl.signing.VerifyKey(from_plain.public_key).verify(b"ansinh", base64.b64decode(made["sig"]))


def _pbkdf2_rounds(pem: str) -> int:
    der = base64.b64decode("".join(pem.splitlines()[1:-1]))
    at = der.index(PBKDF2_OID) + len(PBKDF2_OID)
    assert der[at] == 0x30 and der[at + 2 : at + 4] == b"\x04\x10"  # params: 16-byte salt first
    at += 4 + 16
    assert der[at] == 0x02  # INTEGER iterationCount
    return int.from_bytes(der[at + 2 : at + 2 + der[at + 1]], "big")


def test_the_encrypted_file_uses_at_least_100000_pbkdf2_rounds(live: Live, page: Page) -> None:
    made = _create(live, page, "thu-quy")
    assert _pbkdf2_rounds(made["encrypted"]) >= 100_000


def test_the_private_key_is_never_extractable_before_or_after_saving(
    live: Live, page: Page
) -> None:
    made = _create(live, page, "ke-toan")
    assert made["extractable"] is False
    refused = ["pkcs8: InvalidAccessError", "jwk: InvalidAccessError"]
    assert made["before"] == made["after"] == refused
    assert made["forgotten"] == "pem: the key was forgotten; it cannot be saved now"


def test_the_public_file_is_what_ansinh_keys_new_writes(live: Live, page: Page) -> None:
    made = _create(live, page, "Cán bộ Lò Thị Xuân")
    expected = {
        "name": "Cán bộ Lò Thị Xuân",
        "id": made["key_id"],
        "public_key": made["public_key"],
    }
    assert made["public_file"] == json.dumps(expected) + "\n"
    assert json.loads(made["public_file"]) == expected
