"""Write ``formats-1.2.json``, the vectors of docs/formats.md section 10 (run from the root).

    .venv/bin/python tests/vectors/make_formats_1_2.py

Keys come from the seeds of the 1.1 vectors, vault salts from fixed bytes
and Ed25519 is deterministic, so the same code writes the same bytes;
``tests/ledger/formats/test_adoption_vectors.py`` rebuilds the file byte for
byte and submits every case to a ledger holding the log.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from api.demo import statements as st

if not __package__:  # run as a file: the project root holds the shared maker
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.vectors.maker import Logged, Signers, document, write

OUT = Path(__file__).parent / "formats-1.2.json"
SEEDS = {"authority": 1, "notary": 2, "registrar": 3, "approver": 4}
SIGNERS = Signers(SEEDS, hour=4)
KEYS = SIGNERS.keys
statement = SIGNERS.statement
submission = SIGNERS.submission
HOUSEHOLD = "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e02"
# Generated people: A and B share a national id (a suspected pair); C does not.
PEOPLE = {
    "a": ("00000000-0000-4000-8000-00000000000a", "Lò Văn Minh", "000000000101"),
    "b": ("00000000-0000-4000-8000-00000000000b", "Lò Văn Mính", "000000000101"),
    "c": ("00000000-0000-4000-8000-00000000000c", "Quàng Thị Xuân", "000000000202"),
}
UNKNOWN = "00000000-0000-4000-8000-0000000000ff"


def person(key: str, n: int) -> Logged:
    return SIGNERS.person(PEOPLE[key], HOUSEHOLD, "m", 1961, n)


def review(first: str, second: str, outcome: str, n: int, **extra: Any) -> dict[str, Any]:
    body = {"person_id": first, "other_person_id": second, "outcome": outcome}
    body |= {"basis": "Đối chiếu căn cước và sổ hộ khẩu"} | extra
    return statement("approver", "identity.reviewed", body, n)


def log() -> list[Logged]:
    """The statements of the log, in order, each with the vault records it commits to."""
    out: list[Logged] = [(statement("authority", "ledger.opened", SIGNERS.opened(), 1), ())]
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
    case = SIGNERS.case
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
    about = (
        "Vectors for docs/formats.md section 10 (FORMATS 1.2: adoption, identity.reviewed). "
        "Keys are made from 32-byte seeds (the seed byte repeated); vault salts are fixed "
        "bytes; signatures are deterministic."
    )
    return document(SIGNERS.head(about) | {"log": SIGNERS.log(log(), ADOPTION), "cases": cases()})


def main() -> None:
    write(OUT, build())


if __name__ == "__main__":
    main()
