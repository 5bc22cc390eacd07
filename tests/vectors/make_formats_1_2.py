"""Write ``formats-1.2.json``, the vectors of docs/formats.md section 10 (run from the root).

    .venv/bin/python tests/vectors/make_formats_1_2.py

Keys come from the seeds of the 1.1 vectors, vault salts from fixed bytes
and Ed25519 is deterministic, so the same code writes the same bytes;
``tests/ledger/formats/test_adoption_vectors.py`` rebuilds the file byte for
byte and submits every case to a ledger holding the log.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from api.demo import statements as st
from ledger.domain.log import Entry
from ledger.formats.dsse import make_statement, sign_statement
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import leaf_hash, root_hash
from ledger.formats.notes import sign_checkpoint
from ledger.formats.vault import VaultRecord

OUT = Path(__file__).parent / "formats-1.2.json"
LEDGER = "ansinh.vn/son-la/song-ma/chieng-en"
SEEDS = {"authority": 1, "notary": 2, "registrar": 3, "approver": 4}
KEYS = {name: KeyPair.from_seed(bytes([n]) * 32) for name, n in SEEDS.items()}
HOUSEHOLD = "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e02"
# Generated people: A and B share a national id (a suspected pair); C does not.
PEOPLE = {
    "a": ("00000000-0000-4000-8000-00000000000a", "Lò Văn Minh", "000000000101"),
    "b": ("00000000-0000-4000-8000-00000000000b", "Lò Văn Mính", "000000000101"),
    "c": ("00000000-0000-4000-8000-00000000000c", "Quàng Thị Xuân", "000000000202"),
}
UNKNOWN = "00000000-0000-4000-8000-0000000000ff"


def statement(who: str, type_: str, body: dict[str, Any], n: int) -> dict[str, Any]:
    at = f"2026-12-04T04:{n // 60:02d}:{n % 60:02d}Z"
    return make_statement(LEDGER, type_, body, KEYS[who].key_id, at=at, nonce=f"{n:032x}")


def text(value: Any) -> str:
    """A submission as a client sends it: compact JSON, UTF-8 not escaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def submission(s: dict[str, Any], vault: tuple[VaultRecord, ...] = ()) -> str:
    by = next(k for k in KEYS.values() if k.key_id == s["by"])
    env = sign_statement(s, by, validate=False)
    if not vault:
        return text(env)
    return text({"envelope": env, "vault": [r.to_json() for r in vault]})


def person(key: str, n: int) -> tuple[dict[str, Any], tuple[VaultRecord, ...]]:
    person_id, name, national_id = PEOPLE[key]
    record = VaultRecord(
        person_id, bytes([n]) * 32, {"full_name": name, "national_id": national_id}
    )
    body = st.person_registered(person_id, HOUSEHOLD, "member", "m", 1961, record)
    return statement("registrar", "person.registered", body, n), (record,)


def review(first: str, second: str, outcome: str, n: int, **extra: Any) -> dict[str, Any]:
    body = {"person_id": first, "other_person_id": second, "outcome": outcome}
    body |= {"basis": "Đối chiếu căn cước và sổ hộ khẩu"} | extra
    return statement("approver", "identity.reviewed", body, n)


def log() -> list[tuple[dict[str, Any], tuple[VaultRecord, ...]]]:
    """The statements of the log, in order, each with the vault records it commits to."""
    opened = st.ledger_opened("UBND xã Chiềng En", KEYS["authority"], KEYS["notary"], "1.1")
    out: list[tuple[dict[str, Any], tuple[VaultRecord, ...]]] = [
        (statement("authority", "ledger.opened", opened, 1), ()),
    ]
    for n, (name, holder) in enumerate(
        (("registrar", "can-bo-ldtbxh"), ("approver", "chu-tich")), 2
    ):
        body = st.key_registered(KEYS[name], holder, f"Cán bộ {name}", [name])
        out.append((statement("authority", "key.registered", body, n), ()))
    household = st.household_registered(HOUSEHOLD, "CE-12", "Bản Huổi Pao")
    out.append((statement("registrar", "household.registered", household, 4), ()))
    out += [person(key, n) for n, key in enumerate("abc", 5)]
    out.append((statement("authority", "ledger.formats.adopted", {"formats": "1.2"}, 8), ()))
    decision = {"number": "27/QĐ-UBND", "date": "2026-12-03"}
    a, b = PEOPLE["a"][0], PEOPLE["b"][0]
    out.append((review(a, b, "same_person", 9, decision=decision), ()))
    return out


ADOPTION = 7  # the index of ledger.formats.adopted in the log


def cases() -> list[dict[str, Any]]:
    a, b, c = (PEOPLE[k][0] for k in "abc")

    def case(
        name: str, state: str, s: dict[str, Any], code: str | None = None, field: str | None = None
    ) -> dict[str, Any]:
        return {
            "name": name,
            "state": state,
            "submission": submission(s),
            "code": code,
            "field": field,
        }

    adopt = statement("authority", "ledger.formats.adopted", {"formats": "1.2"}, 108)
    return [
        case("a review before the adoption", "before_adoption",
             review(a, c, "different_people", 101), "INVALID_FIELD", "type"),
        case("the adoption", "before_adoption", adopt),
        case("a second adoption of 1.2", "adopted", adopt, "RULE_VIOLATION", "body.formats"),
        case("adopting an unknown version", "before_adoption",
             statement("authority", "ledger.formats.adopted", {"formats": "2.0"}, 109),
             "INVALID_FIELD", "body.formats"),
        case("a registrar adopting", "before_adoption",
             statement("registrar", "ledger.formats.adopted", {"formats": "1.2"}, 110),
             "ROLE_NOT_ALLOWED", "by"),
        case("a review of another pair", "adopted", review(c, a, "different_people", 102)),
        case("an outcome that is not one of the two", "adopted", review(a, c, "unsure", 103),
             "INVALID_FIELD", "body.outcome"),
        case("the same person twice", "adopted", review(a, a, "same_person", 104),
             "INVALID_FIELD", "body.other_person_id"),
        case("an unknown person", "adopted", review(a, UNKNOWN, "different_people", 105),
             "UNKNOWN_ENTITY", "body.other_person_id"),
        case("the decided pair again, in the other order", "adopted",
             review(b, a, "different_people", 106), "ALREADY_DECIDED", "body.other_person_id"),
        case("a review signed by the registrar", "adopted",
             statement("registrar", "identity.reviewed",
                       {"person_id": b, "other_person_id": c, "outcome": "different_people",
                        "basis": "Khác năm sinh"}, 107),
             "ROLE_NOT_ALLOWED", "by"),
    ]  # fmt: skip


def build() -> str:
    """The whole file, as text."""
    statements = log()
    entries, hashes = [], []
    for i, (s, vault) in enumerate(statements):
        sub = submission(s, vault)
        env = json.loads(sub)["envelope"] if vault else json.loads(sub)
        leaf = Entry(index=i, recorded_at=f"2026-12-04T05:00:{i:02d}.000000Z", envelope=env).leaf
        hashes.append(leaf_hash(leaf))
        entries.append({"type": s["type"], "submission": sub, "leaf": leaf.decode()})
    root = root_hash(hashes)
    notary = SigningKey(bytes([SEEDS["notary"]]) * 32)
    doc = {
        "about": (
            "Vectors for docs/formats.md section 10 (FORMATS 1.2: adoption, identity.reviewed). "
            "Keys are made from 32-byte seeds (the seed byte repeated); vault salts are fixed "
            "bytes; signatures are deterministic."
        ),
        "ledger_id": LEDGER,
        "keys": {
            name: {"seed_hex": (bytes([n]) * 32).hex(), "key_id": KEYS[name].key_id}
            for name, n in SEEDS.items()
        },
        "log": {
            "adoption_index": ADOPTION,
            "entries": entries,
            "root": base64.b64encode(root).decode(),
            "checkpoint": sign_checkpoint(LEDGER, len(hashes), root, LEDGER, notary),
        },
        "cases": cases(),
    }
    # ASCII, escaped, as the 1.1 vectors: no editor changes a byte.
    return json.dumps(doc, indent=1) + "\n"


def main() -> None:
    OUT.write_text(build(), encoding="ascii")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
