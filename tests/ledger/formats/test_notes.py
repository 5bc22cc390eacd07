"""C2SP signed notes, checkpoints and cosignatures (ledger.formats.notes)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from ledger.formats.merkle import MemoryTree, leaf_hash
from ledger.formats.notes import (
    SIG_COSIGNATURE_V1,
    NoteError,
    checkpoint_body,
    cosign,
    cosignature_message,
    key_id4,
    open_checkpoint,
    parse_note,
    parse_signed_note,
    sign_checkpoint,
    sign_note,
    signature_line,
    verify_cosignature,
    verify_note_signature,
)
from tests.support.vectors import load_formats

ORIGIN = "example.org/test-log"
ROOT = hashlib.sha256(b"root").digest()
NOTARY = SigningKey(bytes(range(32)))
WITNESS = SigningKey(bytes(range(32, 64)))
STRANGER = SigningKey(bytes(range(64, 96)))


def seed_key(formats: dict[str, Any], role: str) -> SigningKey:
    return SigningKey(bytes.fromhex(formats["keys"][role]["seed_hex"]))


def vector_root(formats: dict[str, Any]) -> bytes:
    tree = MemoryTree(leaf_hash(entry["leaf"].encode("utf-8")) for entry in formats["entries"])
    return tree.root()


def replace_line(note: str, number: int, new: str) -> str:
    lines = note.split("\n")
    lines[number] = new
    return "\n".join(lines)


# Vectors -------------------------------------------------------------------


@pytest.mark.vectors
def test_notary_key_id4_matches_the_vector() -> None:
    formats = load_formats()
    notary = seed_key(formats, "notary")
    assert base64.b64decode(formats["keys"]["notary"]["public_key"]) == bytes(notary.verify_key)
    expected = formats["checkpoint_notary_key_id4_hex"]
    assert key_id4(formats["ledger_id"], notary.verify_key).hex() == expected
    raw = bytes(notary.verify_key)
    assert key_id4(formats["ledger_id"], raw, 0x01).hex() == expected


@pytest.mark.vectors
def test_checkpoint_is_reproduced_byte_for_byte_from_the_vector_entries() -> None:
    formats = load_formats()
    ledger_id = formats["ledger_id"]
    size = len(formats["entries"])
    note = sign_checkpoint(
        ledger_id, size, vector_root(formats), ledger_id, seed_key(formats, "notary")
    )
    assert note == formats["checkpoint"]


@pytest.mark.vectors
def test_checkpoint_vector_parses_and_verifies_with_the_notary_key() -> None:
    formats = load_formats()
    ledger_id = formats["ledger_id"]
    notary = seed_key(formats, "notary").verify_key
    checkpoint = parse_note(formats["checkpoint"])
    assert checkpoint.origin == ledger_id
    assert checkpoint.size == len(formats["entries"])
    assert checkpoint.root.hex() == formats["entries"][-1]["root_after"]
    assert checkpoint.body == checkpoint_body(ledger_id, checkpoint.size, checkpoint.root)
    assert checkpoint.extensions == ()
    [signature] = checkpoint.signatures
    assert signature.name == ledger_id
    assert signature.key_id.hex() == formats["checkpoint_notary_key_id4_hex"]
    assert formats["checkpoint"].endswith(signature.line)
    assert verify_note_signature(formats["checkpoint"], ledger_id, notary)
    assert open_checkpoint(formats["checkpoint"], ledger_id, notary, origin=ledger_id) == checkpoint


@pytest.mark.vectors
def test_cosignature_line_is_reproduced_byte_for_byte() -> None:
    formats = load_formats()
    vector = formats["cosignature"]
    inspector = seed_key(formats, "inspector")
    line = cosign(formats["checkpoint"], vector["name"], inspector, vector["timestamp"])
    assert line == vector["line"]
    key_id = key_id4(vector["name"], inspector.verify_key, SIG_COSIGNATURE_V1)
    assert key_id.hex() == vector["key_id4_hex"]


@pytest.mark.vectors
def test_cosigned_checkpoint_verifies_for_both_the_notary_and_the_inspector() -> None:
    formats = load_formats()
    vector = formats["cosignature"]
    cosigned = formats["checkpoint"] + vector["line"]
    inspector = seed_key(formats, "inspector").verify_key
    notary = seed_key(formats, "notary").verify_key
    assert verify_cosignature(cosigned, vector["name"], inspector) == vector["timestamp"]
    assert verify_note_signature(cosigned, formats["ledger_id"], notary)
    assert not verify_note_signature(cosigned, vector["name"], inspector)
    assert len(parse_note(cosigned).signatures) == 2


@pytest.mark.vectors
def test_tampered_vector_checkpoints_fail_verification() -> None:
    formats = load_formats()
    ledger_id = formats["ledger_id"]
    notary = seed_key(formats, "notary").verify_key
    inspector = seed_key(formats, "inspector").verify_key
    note = formats["checkpoint"] + formats["cosignature"]["line"]
    other_root = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    tampered = [
        replace_line(note, 1, "13"),
        replace_line(note, 1, "11"),
        replace_line(note, 2, other_root),
        replace_line(note, 0, "ansinh.vn/son-la/song-ma/other"),
    ]
    for bad in tampered:
        parse_note(bad)
        assert not verify_note_signature(bad, ledger_id, notary)
        with pytest.raises(NoteError):
            open_checkpoint(bad, ledger_id, notary)
        with pytest.raises(NoteError, match="does not verify"):
            verify_cosignature(bad, formats["cosignature"]["name"], inspector)
    assert not verify_note_signature(note, ledger_id, inspector)
    assert not verify_note_signature(note, ledger_id, seed_key(formats, "authority").verify_key)
    assert not verify_note_signature(note, "ansinh.vn/other", notary)
    with pytest.raises(NoteError, match="no cosignature"):
        verify_cosignature(note, formats["cosignature"]["name"], notary)


# Signing and verifying -----------------------------------------------------


def test_checkpoint_body_is_origin_size_and_base64_root_on_three_lines() -> None:
    body = checkpoint_body(ORIGIN, 42, ROOT)
    assert body == f"{ORIGIN}\n42\n{base64.b64encode(ROOT).decode()}\n"
    assert checkpoint_body(ORIGIN, 0, ROOT).split("\n")[1] == "0"


def test_signed_checkpoint_has_one_em_dash_signature_line_over_the_body() -> None:
    note = sign_checkpoint(ORIGIN, 7, ROOT, ORIGIN, NOTARY)
    body = checkpoint_body(ORIGIN, 7, ROOT)
    assert note.startswith(body + "\n\u2014 " + ORIGIN + " ")
    blob = base64.b64decode(note[len(body) + 1 :].split(" ")[2])
    assert blob[:4] == key_id4(ORIGIN, NOTARY.verify_key)
    assert len(blob) == 4 + 64
    NOTARY.verify_key.verify(body.encode(), blob[4:])


def test_key_id4_commits_to_name_type_and_key() -> None:
    key = bytes(NOTARY.verify_key)
    expected = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + key).digest()[:4]
    assert key_id4(ORIGIN, key) == expected
    assert key_id4(ORIGIN, key, SIG_COSIGNATURE_V1) != expected
    assert key_id4(ORIGIN + "x", key) != expected


def test_a_wrong_key_or_a_bad_signature_from_the_known_key_fails_verification() -> None:
    note = sign_checkpoint(ORIGIN, 7, ROOT, ORIGIN, NOTARY)
    assert verify_note_signature(note, ORIGIN, NOTARY.verify_key)
    assert not verify_note_signature(note, ORIGIN, STRANGER.verify_key)
    forged = sign_checkpoint(ORIGIN, 8, ROOT, ORIGIN, NOTARY).split("\n\n")[1]
    assert not verify_note_signature(note + forged, ORIGIN, NOTARY.verify_key)


def test_unknown_signature_lines_are_ignored() -> None:
    note = sign_checkpoint(ORIGIN, 7, ROOT, ORIGIN, NOTARY)
    body = checkpoint_body(ORIGIN, 7, ROOT)
    stranger = signature_line("other.example/key", b"\x01\x02\x03\x04", b"\x00" * 64)
    same_name_other_id = signature_line(ORIGIN, b"\xff\xff\xff\xff", b"\x00" * 64)
    noisy = body + "\n" + stranger + note[len(body) + 1 :] + same_name_other_id
    assert verify_note_signature(noisy, ORIGIN, NOTARY.verify_key)
    assert open_checkpoint(noisy, ORIGIN, NOTARY.verify_key).size == 7


def test_open_checkpoint_refuses_a_checkpoint_for_another_origin() -> None:
    note = sign_checkpoint(ORIGIN, 7, ROOT, ORIGIN, NOTARY)
    with pytest.raises(NoteError, match="origin"):
        open_checkpoint(note, ORIGIN, NOTARY.verify_key, origin="example.org/another-log")


def test_extension_lines_are_parsed_signed_and_cosigned() -> None:
    body = checkpoint_body(ORIGIN, 3, ROOT) + "extension one\nextension two\n"
    note = sign_note(body, ORIGIN, NOTARY)
    checkpoint = parse_note(note)
    assert checkpoint.extensions == ("extension one", "extension two")
    assert verify_note_signature(note, ORIGIN, NOTARY.verify_key)
    line = cosign(note, "witness.example/w1", WITNESS, 1_700_000_000)
    assert (
        verify_cosignature(note + line, "witness.example/w1", WITNESS.verify_key) == 1_700_000_000
    )


def test_cosignature_signs_the_v1_header_the_timestamp_and_the_body() -> None:
    note = sign_checkpoint(ORIGIN, 7, ROOT, ORIGIN, NOTARY)
    body = checkpoint_body(ORIGIN, 7, ROOT)
    line = cosign(note, "witness.example/w1", WITNESS, 1679315147)
    assert line.startswith("\u2014 witness.example/w1 ") and line.endswith("\n")
    blob = base64.b64decode(line.split(" ")[2])
    assert blob[:4] == key_id4("witness.example/w1", WITNESS.verify_key, 0x04)
    assert int.from_bytes(blob[4:12], "big") == 1679315147
    message = f"cosignature/v1\ntime 1679315147\n{body}".encode()
    assert cosignature_message(body, 1679315147) == message
    WITNESS.verify_key.verify(message, blob[12:])


def test_cosignature_fails_on_another_checkpoint_a_changed_timestamp_or_a_wrong_key() -> None:
    name = "witness.example/w1"
    note = sign_checkpoint(ORIGIN, 7, ROOT, ORIGIN, NOTARY)
    line = cosign(note, name, WITNESS, 1000)
    other = sign_checkpoint(ORIGIN, 8, ROOT, ORIGIN, NOTARY)
    with pytest.raises(NoteError, match="does not verify"):
        verify_cosignature(other + line, name, WITNESS.verify_key)
    blob = bytearray(base64.b64decode(line.split(" ")[2]))
    blob[11] ^= 1
    edited = signature_line(name, bytes(blob[:4]), bytes(blob[4:]))
    with pytest.raises(NoteError, match="does not verify"):
        verify_cosignature(note + edited, name, WITNESS.verify_key)
    with pytest.raises(NoteError, match="no cosignature"):
        verify_cosignature(note + line, name, STRANGER.verify_key)
    short = signature_line(name, bytes(blob[:4]), bytes(blob[4:70]))
    with pytest.raises(NoteError, match="timestamp and a signature"):
        verify_cosignature(note + short, name, WITNESS.verify_key)


def test_a_note_signature_is_not_a_cosignature_and_vice_versa() -> None:
    note = sign_checkpoint(ORIGIN, 7, ROOT, ORIGIN, NOTARY)
    with pytest.raises(NoteError, match="no cosignature"):
        verify_cosignature(note, ORIGIN, NOTARY.verify_key)
    cosigned_only = checkpoint_body(ORIGIN, 7, ROOT) + "\n" + cosign(note, ORIGIN, NOTARY, 5)
    assert not verify_note_signature(cosigned_only, ORIGIN, NOTARY.verify_key)
    assert verify_cosignature(cosigned_only, ORIGIN, NOTARY.verify_key) == 5


def test_signing_refuses_bad_inputs() -> None:
    with pytest.raises(NoteError):
        checkpoint_body("", 1, ROOT)
    with pytest.raises(NoteError):
        checkpoint_body("a\nb", 1, ROOT)
    with pytest.raises(NoteError):
        checkpoint_body(ORIGIN, -1, ROOT)
    with pytest.raises(NoteError):
        checkpoint_body(ORIGIN, 1, ROOT[:31])
    with pytest.raises(NoteError):
        sign_checkpoint(ORIGIN, 1, ROOT, "bad name", NOTARY)
    with pytest.raises(NoteError):
        sign_checkpoint(ORIGIN, 1, ROOT, "bad+name", NOTARY)
    with pytest.raises(NoteError):
        sign_note("no final newline", ORIGIN, NOTARY)
    note = sign_checkpoint(ORIGIN, 1, ROOT, ORIGIN, NOTARY)
    with pytest.raises(NoteError):
        cosign(note, "witness.example/w1", WITNESS, -1)
    with pytest.raises(NoteError):
        cosign(note, "witness.example/w1", WITNESS, 2**63)


# Malformed notes -----------------------------------------------------------

_GOOD = sign_checkpoint(ORIGIN, 7, ROOT, ORIGIN, NOTARY)
_BODY = checkpoint_body(ORIGIN, 7, ROOT)
_SIG = _GOOD[len(_BODY) + 1 :]
_ROOT64 = base64.b64encode(ROOT).decode()

MALFORMED = {
    "no blank line": (_BODY + _SIG, "blank line"),
    "no signature lines": (_BODY + "\n", "no signature"),
    "no final newline": (_GOOD[:-1], "newline"),
    "signature without em dash": (_BODY + "\n- " + _SIG[2:], "em dash"),
    "name with a plus": (_BODY + "\n" + _SIG.replace(ORIGIN, "a+b", 1), "key name"),
    "empty name": (_BODY + "\n\u2014  " + _SIG.split(" ")[2], "key name"),
    "missing signature": (_BODY + "\n\u2014 " + ORIGIN + "\n", "no signature"),
    "bad base64": (_BODY + "\n\u2014 " + ORIGIN + " !!!!\n", "base64"),
    "unpadded base64": (_BODY + "\n" + _SIG.rstrip("\n").rstrip("=") + "\n", "base64"),
    "signature too short": (_BODY + "\n\u2014 " + ORIGIN + " AAAAAA==\n", "too short"),
    "control character": (_GOOD.replace("\n7\n", "\n7\t\n"), "control"),
    "too few lines": (f"{ORIGIN}\n7\n\n{_SIG}", "origin, a tree size"),
    "empty origin": (f"\n7\n{_ROOT64}\n\n{_SIG}", "origin"),
    "size with leading zero": (f"{ORIGIN}\n07\n{_ROOT64}\n\n{_SIG}", "tree size"),
    "negative size": (f"{ORIGIN}\n-7\n{_ROOT64}\n\n{_SIG}", "tree size"),
    "size with a plus": (f"{ORIGIN}\n+7\n{_ROOT64}\n\n{_SIG}", "tree size"),
    "size beyond 64 bits": (f"{ORIGIN}\n{2**64}\n{_ROOT64}\n\n{_SIG}", "64 bits"),
    "root of 31 bytes": (f"{ORIGIN}\n7\n{base64.b64encode(ROOT[:31]).decode()}\n\n{_SIG}", "bytes"),
    "root not base64": (f"{ORIGIN}\n7\n{_ROOT64[:-2]}*=\n\n{_SIG}", "root hash"),
    "root in urlsafe base64": (f"{ORIGIN}\n7\n_{_ROOT64[1:]}\n\n{_SIG}", "root hash"),
    "empty extension line": (f"{_BODY}ext\n\n\n{_SIG}", "empty extension"),
    "blank line inside the body": (f"{_BODY}\next\n\n{_SIG}", "extension"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_notes_are_refused_with_a_reason(case: str) -> None:
    text, reason = MALFORMED[case]
    with pytest.raises(NoteError, match=reason):
        parse_note(text)


def test_notes_that_are_not_utf8_are_refused() -> None:
    with pytest.raises(NoteError, match="UTF-8"):
        parse_signed_note(_GOOD.encode() + b"\xff\n")
    with pytest.raises(NoteError, match="UTF-8"):
        parse_signed_note(_GOOD.replace("7", "\udc80"))
    assert parse_note(_GOOD.encode()).size == 7


def test_a_root_with_non_canonical_base64_padding_bits_is_refused() -> None:
    root64 = _ROOT64[:-2] + chr(ord(_ROOT64[-2]) + 1) + "="
    assert base64.b64decode(root64) == ROOT
    with pytest.raises(NoteError, match="canonical"):
        parse_note(f"{ORIGIN}\n7\n{root64}\n\n{_SIG}")


@given(
    origin=st.from_regex(r"[a-z0-9.\-/]{1,40}", fullmatch=True),
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
)
@settings(max_examples=50, deadline=None)
def test_any_signed_checkpoint_round_trips_through_parse_and_verify(
    origin: str, size: int, root: bytes
) -> None:
    note = sign_checkpoint(origin, size, root, origin, NOTARY)
    checkpoint = open_checkpoint(note, origin, NOTARY.verify_key, origin=origin)
    assert (checkpoint.origin, checkpoint.size, checkpoint.root) == (origin, size, root)
    line = cosign(note, "witness.example/w1", WITNESS, size % 2**63)
    assert verify_cosignature(note + line, "witness.example/w1", WITNESS.verify_key) == size % 2**63


def test_a_witness_verifier_key_with_plus_in_its_base64_is_read_whole() -> None:
    from ledger.audit.verifier import parse_vkey
    from ledger.formats.keys import KeyPair
    from ledger.tlog.witness import verifier_key

    for seed in range(256):
        key = KeyPair.from_seed(bytes([seed]) * 32)
        vkey = verifier_key("witness.example/inspector", key)
        if "+" in vkey.split("+", 2)[2]:
            break
    else:
        raise AssertionError("no seed gave a key whose base64 holds '+'")
    assert parse_vkey(vkey) == ("witness.example/inspector", key.public_key)
