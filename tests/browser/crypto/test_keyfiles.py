"""Key files in the browser: the files `ansinh` writes load, the files the page writes load
in Python, and every refusal carries its stable code.

The private key a page holds is never extractable, whether loaded from a
file or made in the page.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import nacl.signing
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from playwright.sync_api import Page

from ledger.formats.keys import KeyPair, write_key_file
from tests.browser.conftest import Live
from tests.browser.crypto.modules import open_console, run

PASSPHRASE = "mật khẩu của Lò Thị Xuân"

KEY_ERROR = """
async function keyError(promise) {
  try { await promise; return null; }
  catch (e) { return {name: e.name, code: e.code ?? null, message: e.message,
                      isKeyFileError: e instanceof keys.KeyFileError}; }
}
"""


def _python_key_file(tmp_path: Path, passphrase: str | None) -> tuple[KeyPair, str]:
    pair = KeyPair.generate()
    path = tmp_path / ("encrypted.key" if passphrase else "plain.key")
    write_key_file(path, pair, passphrase.encode() if passphrase else None)
    return pair, path.read_text("ascii")


LOAD_AND_SIGN = """
const signer = await keys.loadKeyFile(arg.pem, arg.passphrase);
const message = bytes.utf8("chữ ký thử");
let exported = "allowed";
try { await crypto.subtle.exportKey("pkcs8", signer.privateKey); }
catch (e) { exported = e.name; }
return {key_id: signer.keyId, public_key: signer.publicKey, exported,
        extractable: signer.privateKey.extractable, frozen: Object.isFrozen(signer),
        sig: bytes.b64encode(await signer.sign(message))};
"""


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_a_key_file_python_wrote_loads_with_its_key_id_and_signs_for_that_key(
    live: Live, page: Page, tmp_path: Path, passphrase: str | None
) -> None:
    pair, pem = _python_key_file(tmp_path, passphrase)
    found = run(open_console(live, page), LOAD_AND_SIGN, {"pem": pem, "passphrase": passphrase})
    assert found["key_id"] == pair.key_id
    assert found["public_key"] == pair.public_key_b64
    assert (found["extractable"], found["exported"], found["frozen"]) == (
        False,
        "InvalidAccessError",
        True,
    )
    verify_key = nacl.signing.VerifyKey(pair.public_key)
    verify_key.verify("chữ ký thử".encode(), base64.b64decode(found["sig"]))


def _load_error(page: Page, pem: str, passphrase: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = run(
        page,
        KEY_ERROR + "return await keyError(keys.loadKeyFile(arg.pem, arg.passphrase));",
        {"pem": pem, "passphrase": passphrase},
    )
    assert found is not None, "the key file was accepted"
    assert found["isKeyFileError"] and found["name"] == "KeyFileError", found
    return found


def test_a_wrong_passphrase_is_refused_as_wrong_passphrase(
    live: Live, page: Page, tmp_path: Path
) -> None:
    _, pem = _python_key_file(tmp_path, PASSPHRASE)
    open_console(live, page)
    for wrong in ("mat khau cua Lo Thi Xuan", PASSPHRASE + " ", "x"):
        assert _load_error(page, pem, wrong)["code"] == "WRONG_PASSPHRASE", wrong


def test_an_encrypted_file_without_its_passphrase_needs_one(
    live: Live, page: Page, tmp_path: Path
) -> None:
    _, pem = _python_key_file(tmp_path, PASSPHRASE)
    open_console(live, page)
    for missing in (None, ""):
        error = _load_error(page, pem, missing)
        assert error["code"] == "NEEDS_PASSPHRASE"
        assert "passphrase" in error["message"]


def _pem_of(key: Any, fmt: Any = serialization.PrivateFormat.PKCS8, passphrase: str = "") -> str:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    text: bytes = key.private_bytes(serialization.Encoding.PEM, fmt, encryption)
    return text.decode()


def test_keys_of_other_algorithms_are_refused_as_not_ed25519(live: Live, page: Page) -> None:
    p256 = ec.generate_private_key(ec.SECP256R1())
    files = {
        "P-256 PKCS#8": (_pem_of(p256), None),
        "P-256 PKCS#8, encrypted": (_pem_of(p256, passphrase="pw"), "pw"),
        "P-256, OpenSSL's own format": (
            _pem_of(p256, serialization.PrivateFormat.TraditionalOpenSSL),
            None,
        ),
        "X25519 PKCS#8": (_pem_of(x25519.X25519PrivateKey.generate()), None),
    }
    open_console(live, page)
    for what, (pem, passphrase) in files.items():
        assert _load_error(page, pem, passphrase)["code"] == "NOT_ED25519", what


def test_anything_but_a_pem_private_key_is_refused_as_not_pem(live: Live, page: Page) -> None:
    pair = KeyPair.generate()
    public_pem = (
        serialization.load_pem_private_key(pair.to_pem(), None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    body = pair.to_pem().decode().splitlines()[1]
    files = {
        "text": "xin chào, đây không phải là khoá",
        "empty": "",
        "the .pub file": json.dumps({"name": "x", "id": pair.key_id, "public_key": "AA=="}),
        "a public key": public_pem,
        "broken base64": f"-----BEGIN PRIVATE KEY-----\n{body[:-3]}!!\n-----END PRIVATE KEY-----\n",
        "truncated DER": f"-----BEGIN PRIVATE KEY-----\n{body[:40]}\n-----END PRIVATE KEY-----\n",
    }
    open_console(live, page)
    for what, pem in files.items():
        assert _load_error(page, pem)["code"] == "NOT_PEM", what


def _swap(pem: str, old_hex: str, new_hex: str) -> str:
    """The encrypted key file with one algorithm identifier replaced (same length)."""
    der = base64.b64decode("".join(pem.splitlines()[1:-1]))
    assert der.count(bytes.fromhex(old_hex)) == 1
    changed = base64.b64encode(der.replace(bytes.fromhex(old_hex), bytes.fromhex(new_hex)))
    label = "ENCRYPTED PRIVATE KEY"
    return f"-----BEGIN {label}-----\n{changed.decode()}\n-----END {label}-----\n"


def test_encryption_other_than_pbes2_with_aes_cbc_is_refused_as_unsupported(
    live: Live, page: Page, tmp_path: Path
) -> None:
    _, pem = _python_key_file(tmp_path, PASSPHRASE)
    pbes2, pbes1 = "2a864886f70d01050d", "2a864886f70d01050a"  # pbeWithSHA1AndDES-CBC
    aes256, aes192 = "60864801650304012a", "608648016503040116"
    sha256, md5 = "2a864886f70d0209", "2a864886f70d0205"  # hmacWithSHA256 -> md5
    open_console(live, page)
    for what, changed in {
        "PBES1": _swap(pem, pbes2, pbes1),
        "AES-192-CBC": _swap(pem, aes256, aes192),
        "MD5 as the PBKDF2 function": _swap(pem, sha256, md5),
    }.items():
        error = _load_error(page, changed, PASSPHRASE)
        assert error["code"] == "UNSUPPORTED_ENCRYPTION", what
