"""Write ``formats-1.1.json``, the vectors of docs/formats.md (run from the project root).

    .venv/bin/python tests/vectors/make_formats_1_1.py

Keys come from fixed seeds and Ed25519 is deterministic, so the same code
writes the same bytes; ``tests/test_formats_1_1_vectors.py`` rebuilds every
byte it can from the inputs stored beside them and checks each outcome.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

from api.demo import statements as st
from ledger.formats.dsse import PAYLOAD_TYPE, jcs, pae
from ledger.formats.merkle import leaf_hash

if not __package__:  # run as a file: the project root holds the shared maker
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.vectors.maker import LEDGER, Signers, document, root_of, text, write

OUT = Path(__file__).parent / "formats-1.1.json"
SEEDS = {"authority": 1, "notary": 2, "registrar": 3, "approver": 4, "cashier": 5}
SIGNERS = Signers(SEEDS, hour=2)
KEYS = SIGNERS.keys
statement = SIGNERS.statement
envelope = SIGNERS.envelope
PROGRAM = "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e01"
ZWSP = "\u200b"


def uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def registration(name: str, holder: str, roles: list[str]) -> dict[str, Any]:
    return st.key_registered(KEYS[name], holder, f"Cán bộ {name}", roles)


def log(statements: list[dict[str, Any]]) -> dict[str, Any]:
    """Entries (statement, payload, envelope, leaf, leaf hash) and a checkpoint of them all."""
    entries, leaves = [], []
    for i, s in enumerate(statements):
        env = envelope(s)
        leaf = SIGNERS.leaf(i, env)
        leaves.append(leaf.decode())
        entries.append(
            {
                "statement": s,
                "payload_jcs": jcs(s).decode(),
                "envelope": env,
                "leaf": leaf.decode(),
                "leaf_hash": leaf_hash(leaf).hex(),
            }
        )
    root = base64.b64encode(root_of(leaves)).decode()
    return {"entries": entries, "root": root, "checkpoint": SIGNERS.checkpoint(leaves)}


def household(village: str, n: int) -> dict[str, Any]:
    return statement(
        "registrar",
        "household.registered",
        {"household_id": uuid(n), "code": "CE-1", "village": village},
        n,
    )


def fund(amount: int, n: int) -> dict[str, Any]:
    body = {"receipt_id": uuid(n), "program_id": PROGRAM, "amount": amount, "date": "2026-12-01"}
    body |= {"source": "Phòng LĐ-TB&XH huyện Sông Mã", "reference": "UNC 12/2026"}
    return statement("cashier", "fund.received", body, n)


def case(
    name: str, submission: str, code: str | None = None, field: str | None = None
) -> dict[str, Any]:
    return {"name": name, "submission": submission, "code": code, "field": field}


def signed_case(
    name: str, s: dict[str, Any], code: str | None = None, field: str | None = None
) -> dict[str, Any]:
    return case(name, text(envelope(s)), code, field) | {"statement": s}


def cases() -> list[dict[str, Any]]:
    holder = "pho-chu-tich"
    out = [
        signed_case("Vietnamese text in NFC", household("Bản Huổi Pao", 101)),
        signed_case("text of digits only", household("3", 102)),
        signed_case(
            "a holder id with a dot and an underscore",
            statement(
                "authority",
                "key.registered",
                registration("approver", holder + ".2_b", ["approver"]),
                103,
            ),
        ),
        signed_case("an amount of 10^12", fund(10**12, 104)),
        signed_case("0 dong", fund(0, 105)),
        signed_case(
            "a zero-width space (Cf)",
            household("Bản" + ZWSP + " Huổi", 111),
            "INVALID_FIELD",
            "body.village",
        ),
        signed_case(
            "a Hangul filler alone", household("\u3164", 112), "INVALID_FIELD", "body.village"
        ),
        signed_case(
            "text not in NFC",
            household("Ba\u0309n Huo\u0302\u0309i", 113),
            "INVALID_FIELD",
            "body.village",
        ),
        signed_case(
            "a line separator (Zl)",
            household("Bản\u2028Huổi", 114),
            "INVALID_FIELD",
            "body.village",
        ),
        signed_case(
            "a private-use character (Co)",
            household("Bản \ue000", 115),
            "INVALID_FIELD",
            "body.village",
        ),
        signed_case(
            "an unassigned code point (Cn)",
            household("Bản \u0378", 116),
            "INVALID_FIELD",
            "body.village",
        ),
        signed_case(
            "punctuation only",
            statement(
                "registrar",
                "household.registered",
                {"household_id": uuid(117), "code": "--", "village": "Bản Huổi"},
                117,
            ),
            "INVALID_FIELD",
            "body.code",
        ),
    ]
    look_alikes = {
        "with a zero-width space": holder + ZWSP,
        "in capitals": "Pho-Chu-Tich",
        "starting with a hyphen": "-pho",
        "of 65 characters": "p" * 65,
        "with a Vietnamese letter": "phó",
    }
    for n, (why, bad) in enumerate(look_alikes.items(), 121):
        body = registration("approver", bad, ["approver"])
        out.append(
            signed_case(
                f"a holder id {why}",
                statement("authority", "key.registered", body, n),
                "INVALID_FIELD",
                "body.holder.id",
            )
        )
    out += [
        signed_case(
            "an amount of 10^12 + 1", fund(10**12 + 1, 131), "INVALID_FIELD", "body.amount"
        ),
        signed_case(
            "an amount of 2^53 - 1 (v1 allowed it)",
            fund(2**53 - 1, 132),
            "INVALID_FIELD",
            "body.amount",
        ),
    ]
    shown, kept = envelope(household("Bản Huổi", 141)), envelope(household("Bản Pao", 142))
    repeated = text(shown)[:-1] + ',"payload":' + json.dumps(kept["payload"]) + "}"
    out.append(case("the envelope repeats payload", repeated, "MALFORMED", "payload"))
    two = envelope(household("Bản Huổi", 143))
    cosigner = KEYS["cashier"].sign(pae(PAYLOAD_TYPE, base64.b64decode(two["payload"])))
    two["signatures"].append(
        {"keyid": KEYS["cashier"].key_id, "sig": base64.b64encode(cosigner).decode()}
    )
    out.append(case("two signatures, both valid", text(two), "MALFORMED", "signatures"))
    payload = jcs(household("Bản Huổi", 144)).replace(
        b'"village":', '"village":"Bản Pao","village":'.encode()
    )
    signature = KEYS["registrar"].sign(pae(PAYLOAD_TYPE, payload))
    in_payload = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [
            {"keyid": KEYS["registrar"].key_id, "sig": base64.b64encode(signature).decode()}
        ],
    }
    out.append(
        case("the payload repeats body.village", text(in_payload), "MALFORMED", "body.village")
    )
    wrapped = (
        text({"envelope": envelope(household("Bản Huổi", 145)), "vault": []})[:-1] + ',"vault":[]}'
    )
    out.append(case("the submission repeats vault", wrapped, "MALFORMED", "vault"))
    return out


def main() -> None:
    prefix = [
        statement("authority", "ledger.opened", SIGNERS.opened("1.1"), 1),
        statement(
            "authority",
            "key.registered",
            registration("registrar", "can-bo-ldtbxh", ["registrar"]),
            2,
        ),
        statement(
            "authority", "key.registered", registration("cashier", "ke-toan", ["cashier"]), 3
        ),
        statement(
            "authority",
            "program.defined",
            {
                "program_id": PROGRAM,
                "code": "TB",
                "name": "Thương binh",
                "category": "meritorious",
                "kind": "monthly",
            },
            4,
        ),
    ]
    look_alike = statement(
        "authority",
        "key.registered",
        registration("approver", "can-bo-ldtbxh" + ZWSP, ["approver"]),
        5,
    )
    v1 = [statement("authority", "ledger.opened", SIGNERS.opened(None), 1), *prefix[1:], look_alike]
    doc = {
        "about": (
            "Vectors for docs/formats.md (FORMATS 1.1 as ansinh declares and applies it). Keys "
            "are made from 32-byte seeds (the seed byte repeated); signatures are deterministic."
        ),
        "ledger_id": LEDGER,
        "keys": {
            name: {
                "seed_hex": (bytes([n]) * 32).hex(),
                "public_key": KEYS[name].public_key_b64,
                "key_id": KEYS[name].key_id,
            }
            for name, n in SEEDS.items()
        },
        "opened_1_1": log(prefix),
        "cases": cases(),
        "sums": {
            "document": {"rows": [{"paid": 2**53 - 1}, {"paid": 2**53}], "balance": -(2**60)},
            "jcs": jcs(
                {"rows": [{"paid": 2**53 - 1}, {"paid": str(2**53)}], "balance": str(-(2**60))}
            ).decode(),
        },
        "verify": {
            "v1": log(v1)
            | {"expect": {"verifies": True, "warnings": [[4, "INVALID_FIELD", "body.holder.id"]]}},
            "declared_1_1": log([*prefix, look_alike])
            | {
                "expect": {
                    "verifies": False,
                    "fails_at": 4,
                    "code": "INVALID_FIELD",
                    "field": "body.holder.id",
                }
            },
        },
    }
    # ASCII, escaped: the invisible characters stay visible, and no editor changes them.
    write(OUT, document(doc))


if __name__ == "__main__":
    main()
