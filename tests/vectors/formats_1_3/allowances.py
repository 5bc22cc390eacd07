"""Write ``formats-1.3-allowances.json``, the vectors of docs/formats.md 11.2 (run from the root).

    .venv/bin/python tests/vectors/formats_1_3/allowances.py

Keys come from fixed seeds, vault salts from fixed bytes and Ed25519 is
deterministic, so the same code writes the same bytes;
``tests/ledger/formats/test_allowance_vectors.py`` rebuilds the file byte
for byte and submits every case to a ledger holding the log.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from api.demo import statements as st

if not __package__:  # run as a file: the project root holds the shared maker
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.vectors.maker import Logged, Signers, document, write

OUT = Path(__file__).parent.parent / "formats-1.3-allowances.json"
# "deputy" is a second key of the registrar's holder, with the role approver: the
# maker-checker case (one holder may not propose and approve).
SEEDS = {"authority": 1, "notary": 2, "registrar": 3, "approver": 4, "deputy": 5}
SIGNERS = Signers(SEEDS, hour=6)
KEYS = SIGNERS.keys
statement = SIGNERS.statement
HOLDERS = {
    "registrar": ("can-bo-ldtbxh", ["registrar"]),
    "approver": ("chu-tich", ["approver"]),
    "deputy": ("can-bo-ldtbxh", ["approver"]),
}
HOUSEHOLD = "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e03"
PEOPLE = {  # generated people
    "a": ("00000000-0000-4000-8000-0000000000a1", "Lò Thị Dung", "000000000301"),
    "b": ("00000000-0000-4000-8000-0000000000b1", "Quàng Văn Sơn", "000000000302"),
}
SOCIAL, MERITORIOUS = "10000000-0000-4000-8000-000000000001", "10000000-0000-4000-8000-000000000002"
BENEFIT, OTHER = "20000000-0000-4000-8000-000000000001", "20000000-0000-4000-8000-000000000002"
REBASE, SUSPEND, RESUME = (f"30000000-0000-4000-8000-00000000000{n}" for n in (1, 2, 3))
UNKNOWN = "00000000-0000-4000-8000-0000000000ff"
DECISION = {"number": "52/QĐ-UBND", "date": "2024-07-05"}
REASONS = {
    "rebase": "Mức chuẩn trợ giúp xã hội theo Nghị định 76/2024/NĐ-CP, hệ số 1,5",
    "suspend": "Tạm dừng: không nhận trợ cấp 3 tháng liên tục",
    "resume": "Tiếp tục chi trả theo đơn đề nghị",
}


def person(key: str, n: int) -> Logged:
    return SIGNERS.person(PEOPLE[key], HOUSEHOLD, "f", 1950, n)


def level(amount: int, effective: str, category: str = "social_protection") -> dict[str, Any]:
    law = "Nghị định 20/2021/NĐ-CP" if effective < "2024-07" else "Nghị định 76/2024/NĐ-CP"
    return {"category": category, "effective": effective, "amount": amount, "legal_basis": law}


def change(
    change_id: str, kind: str, start: str, coefficient: int | None = None, benefit: str = BENEFIT
) -> dict[str, Any]:
    body: dict[str, Any] = {"change_id": change_id, "benefit_id": benefit, "kind": kind}
    body["from"] = start
    if coefficient is not None:
        body["coefficient"] = coefficient
    return body | {"reason": REASONS[kind]}


def approval(change_id: str, benefit: str = BENEFIT) -> dict[str, Any]:
    return {"change_id": change_id, "benefit_id": benefit, "decision": DECISION}


def log() -> list[Logged]:
    """The statements of the log, in order, each with the vault records it commits to."""
    out: list[Logged] = [(statement("authority", "ledger.opened", SIGNERS.opened(), 1), ())]
    for n, (name, (holder, roles)) in enumerate(HOLDERS.items(), 2):
        body = st.key_registered(KEYS[name], holder, f"Cán bộ {name}", roles)
        out.append((statement("authority", "key.registered", body, n), ()))
    household = st.household_registered(HOUSEHOLD, "CE-31", "Bản Nà Sản")
    out.append((statement("registrar", "household.registered", household, 5), ()))
    out += [person(key, n) for n, key in enumerate("ab", 6)]
    programs = [
        (SOCIAL, "BTXH", "Trợ cấp xã hội hằng tháng", "social_protection"),
        (MERITORIOUS, "NCC", "Trợ cấp người có công", "meritorious"),
    ]
    for n, (pid, code, name, category) in enumerate(programs, 8):
        body = st.program_defined(pid, code, name, category, "monthly")
        out.append((statement("authority", "program.defined", body, n), ()))
    a = {"person_id": PEOPLE["a"][0]}
    benefits = [(BENEFIT, SOCIAL, 540_000, "Người cao tuổi"), (OTHER, MERITORIOUS, 2_055_000, "")]
    for n, (bid, pid, amount, basis) in enumerate(benefits, 10):
        body = st.benefit_proposed(bid, pid, a, amount, "2024-01", basis or "Thân nhân liệt sĩ")
        out.append((statement("registrar", "benefit.proposed", body, n), ()))
        approved = st.benefit_approved(bid, "03/QĐ-UBND", "2024-01-04")
        out.append((statement("approver", "benefit.approved", approved, n + 10), ()))
    out.append((statement("authority", "ledger.formats.adopted", {"formats": "1.3"}, 30), ()))
    left = {"person_id": PEOPLE["b"][0], "date": "2024-10-05", "to": "xã Mường Bú"}
    steps = [
        ("authority", "allowance.level.set", level(360_000, "2021-07")),
        ("authority", "allowance.level.set", level(500_000, "2024-07")),
        ("registrar", "benefit.change.proposed", change(REBASE, "rebase", "2024-07", 150)),
        ("approver", "benefit.change.approved", approval(REBASE)),
        ("registrar", "benefit.change.proposed", change(SUSPEND, "suspend", "2024-09")),
        ("approver", "benefit.change.approved", approval(SUSPEND)),
        ("registrar", "benefit.change.proposed", change(RESUME, "resume", "2024-12")),
        ("registrar", "person.left", left),
    ]
    out += [(statement(who, kind, body, n), ()) for n, (who, kind, body) in enumerate(steps, 31)]
    return out


ADOPTION = 13  # the index of ledger.formats.adopted in the log
REBASE_APPROVAL = 17  # the index of the rebase's approval


def cases() -> list[dict[str, Any]]:
    b = PEOPLE["b"][0]
    case = SIGNERS.case

    def proposed(n: int, body: dict[str, Any], who: str = "registrar") -> dict[str, Any]:
        return statement(who, "benefit.change.proposed", body, n)

    new = "30000000-0000-4000-8000-0000000000f0"
    return [
        case("a level before the adoption", "before_adoption",
             statement("authority", "allowance.level.set", level(360_000, "2021-07"), 101),
             "INVALID_FIELD", "type"),
        case("a level of another month", "adopted",
             statement("authority", "allowance.level.set", level(2_789_000, "2024-07",
                                                                 "meritorious"), 102)),
        case("a second level for one category and month", "adopted",
             statement("authority", "allowance.level.set", level(510_000, "2024-07"), 103),
             "DUPLICATE", "body.effective"),
        case("a level set by the registrar", "adopted",
             statement("registrar", "allowance.level.set", level(500_000, "2025-01"), 104),
             "ROLE_NOT_ALLOWED", "by"),
        case("a rebase where the category has no level", "adopted",
             proposed(105, change(new, "rebase", "2024-07", 100, OTHER)),
             "RULE_VIOLATION", "body.from"),
        case("a rebase without a coefficient", "adopted",
             proposed(106, change(new, "rebase", "2024-08")), "INVALID_FIELD", "body.coefficient"),
        case("a suspension with a coefficient", "adopted",
             proposed(107, change(new, "suspend", "2024-10", 150)),
             "INVALID_FIELD", "body.coefficient"),
        case("a coefficient over 10", "adopted",
             proposed(108, change(new, "rebase", "2024-08", 1001)),
             "INVALID_FIELD", "body.coefficient"),
        case("a change before the benefit starts", "adopted",
             proposed(109, change(new, "rebase", "2023-12", 150, OTHER)),
             "RULE_VIOLATION", "body.from"),
        case("a suspension of a suspended benefit", "adopted",
             proposed(110, change(new, "suspend", "2024-11")), "RULE_VIOLATION", "body.kind"),
        case("a resumption before the suspension", "adopted",
             proposed(111, change(new, "resume", "2024-08")), "RULE_VIOLATION", "body.from"),
        case("a change of an unknown benefit", "adopted",
             proposed(112, change(new, "suspend", "2024-11", benefit=UNKNOWN)),
             "UNKNOWN_ENTITY", "body.benefit_id"),
        case("a change proposed by the approver", "adopted",
             proposed(113, change(new, "suspend", "2024-11", benefit=OTHER), "approver"),
             "ROLE_NOT_ALLOWED", "by"),
        case("a suspension of another benefit", "adopted",
             proposed(114, change(new, "suspend", "2024-11", benefit=OTHER))),
        case("the open resumption approved", "adopted",
             statement("approver", "benefit.change.approved", approval(RESUME), 115)),
        case("the open resumption approved by its proposer's holder", "adopted",
             statement("deputy", "benefit.change.approved", approval(RESUME), 116),
             "SELF_APPROVAL", "by"),
        case("the open resumption naming another benefit", "adopted",
             statement("approver", "benefit.change.approved", approval(RESUME, OTHER), 117),
             "RULE_VIOLATION", "body.benefit_id"),
        case("the rebase approved again", "adopted",
             statement("approver", "benefit.change.approved", approval(REBASE), 118),
             "ALREADY_DECIDED", "body.change_id"),
        case("the rebase rejected after its approval", "adopted",
             statement("approver", "benefit.change.rejected",
                       {"change_id": REBASE, "benefit_id": BENEFIT, "reason": "Sai hệ số"}, 119),
             "ALREADY_DECIDED", "body.change_id"),
        case("a decision on no change", "adopted",
             statement("approver", "benefit.change.approved", approval(UNKNOWN), 120),
             "UNKNOWN_ENTITY", "body.change_id"),
        case("a person who left, leaving again", "adopted",
             statement("registrar", "person.left",
                       {"person_id": b, "date": "2024-11-01", "to": "xã Mường Lầm"}, 121),
             "RULE_VIOLATION", "body.person_id"),
        case("an unknown person leaving", "adopted",
             statement("registrar", "person.left",
                       {"person_id": UNKNOWN, "date": "2024-11-01", "to": "xã Mường Lầm"}, 122),
             "UNKNOWN_ENTITY", "body.person_id"),
    ]  # fmt: skip


def build() -> str:
    """The whole file, as text."""
    about = (
        "Vectors for docs/formats.md section 11.2 (FORMATS 1.3 allowance changes: standard "
        "levels, benefit changes, leaving the commune). Keys are made from 32-byte seeds "
        "(the seed byte repeated); vault salts are fixed bytes; signatures are deterministic."
    )
    return document(SIGNERS.head(about) | {"log": SIGNERS.log(log(), ADOPTION), "cases": cases()})


def main() -> None:
    write(OUT, build())


if __name__ == "__main__":
    main()
