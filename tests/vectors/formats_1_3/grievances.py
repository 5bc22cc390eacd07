"""Write ``formats-1.3-grievances.json``, the vectors of docs/formats.md 11.5 (run from the root).

    .venv/bin/python tests/vectors/formats_1_3/grievances.py

Keys come from fixed seeds, vault salts from fixed bytes and Ed25519 is
deterministic, so the same code writes the same bytes;
``tests/ledger/formats/test_grievance_vectors.py`` rebuilds the file byte
for byte, submits every case to a ledger holding the log, and has both
verifiers check the log.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from api.demo import statements as st
from projections.reports.receipts import receipt_code

if not __package__:  # run as a file: the project root holds the shared maker
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.vectors.maker import LEDGER, Logged, Signers, document, write

OUT = Path(__file__).parent.parent / "formats-1.3-grievances.json"
SEEDS = {"authority": 1, "notary": 2, "registrar": 3, "approver": 4, "cashier": 5, "intake": 6}
SIGNERS = Signers(SEEDS, hour=4)
KEYS = SIGNERS.keys
statement = SIGNERS.statement
HOLDERS = {
    "registrar": ("can-bo-ldtbxh", ["registrar"]),
    "approver": ("chu-tich", ["approver"]),
    "cashier": ("ke-toan", ["cashier"]),
}
HOUSEHOLD = "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e02"
PERSON = "00000000-0000-4000-8000-00000000000a"  # generated: Lò Văn Minh
PROGRAM = "11111111-2222-4333-8444-555555555555"
BENEFIT = "22222222-3333-4444-8555-666666666666"
PAYMENT = "33333333-4444-4555-8666-777777777777"
LODGED = "44444444-5555-4666-8777-000000000001"  # lodged, assigned, answered, closed
RECEIVED = "44444444-5555-4666-8777-000000000002"  # a confirmation of receipt
DISPUTED = "44444444-5555-4666-8777-000000000003"  # a complaint from the page, open
CODE_PAID = receipt_code(LEDGER, BENEFIT, "2022-01")
CODE_DUE = receipt_code(LEDGER, BENEFIT, "2022-02")


def lodged(gid: str, n: int, **change: Any) -> dict[str, Any]:
    body = {
        "grievance_id": gid,
        "subject": {"kind": "payment", "code": CODE_PAID},
        "channel": "in_person",
        "lodged_on": "2022-01-20",
        "due": "2022-02-19",
        "summary": "Hộ trình bày nhận thiếu tiền trợ cấp tháng 01/2022",
    } | change
    return statement("registrar", "grievance.lodged", body, n)


def confirmed(cid: str, code: str, outcome: str, n: int, who: str = "intake") -> dict[str, Any]:
    body = {"confirmation_id": cid, "code": code, "outcome": outcome, "confirmed_on": "2022-01-25"}
    return statement(who, "receipt.confirmed", body, n)


def step(who: str, type_: str, gid: str, n: int, **body: Any) -> dict[str, Any]:
    return statement(who, type_, {"grievance_id": gid, **body}, n)


def log() -> list[Logged]:
    """The statements of the log, in order, each with the vault records it commits to."""
    out: list[Logged] = [(statement("authority", "ledger.opened", SIGNERS.opened(), 1), ())]
    for n, (name, (holder, roles)) in enumerate(HOLDERS.items(), 3):
        body = st.key_registered(KEYS[name], holder, f"Cán bộ {holder}", roles)
        out.append((statement("authority", "key.registered", body, n), ()))
    household = st.household_registered(HOUSEHOLD, "CE-12", "Bản Huổi Pao")
    out.append((statement("registrar", "household.registered", household, 7), ()))
    person = (PERSON, "Lò Văn Minh", "000000000101")
    out.append(SIGNERS.person(person, HOUSEHOLD, "m", 1956, 8, relation="head"))
    program = st.program_defined(PROGRAM, "NCC", "Trợ cấp người có công", "meritorious", "monthly")
    out.append((statement("authority", "program.defined", program, 9), ()))
    benefit = st.benefit_proposed(
        BENEFIT, PROGRAM, {"person_id": PERSON}, 1_624_000, "2022-01", "Thương binh 61%"
    )
    out.append((statement("registrar", "benefit.proposed", benefit, 10), ()))
    approval = st.benefit_approved(BENEFIT, "15/QĐ-UBND", "2022-01-06")
    out.append((statement("approver", "benefit.approved", approval, 11), ()))
    paid = st.payment_recorded(
        PAYMENT, BENEFIT, 1_624_000, PERSON, ("thumbprint", "ab" * 32), "2022-01-10", "2022-01"
    )
    out.append((statement("cashier", "payment.recorded", paid, 12), ()))
    # the intake key may be registered only once the ledger follows 1.3: it comes after
    out.append((statement("authority", "ledger.formats.adopted", {"formats": "1.3"}, 2), ()))
    intake = st.key_registered(
        KEYS["intake"], "trang-tra-cuu", "Trang tra cứu công khai", ["intake"]
    )
    out.append((statement("authority", "key.registered", intake, 19), ()))
    out.append((lodged(LODGED, 13), ()))
    out.append((step("approver", "grievance.assigned", LODGED, 14, to="can-bo-ldtbxh"), ()))
    answer = "Đã đối chiếu danh sách chi trả: hộ đã điểm chỉ nhận đủ 1.624.000 đ"
    out.append(
        (
            step(
                "registrar",
                "grievance.answered",
                LODGED,
                15,
                answer=answer,
                answered_on="2022-01-27",
            ),
            (),
        )
    )
    out.append(
        (
            step(
                "approver",
                "grievance.closed",
                LODGED,
                16,
                outcome="unfounded",
                closed_on="2022-01-28",
            ),
            (),
        )
    )
    out.append((confirmed(RECEIVED, CODE_PAID, "received", 17), ()))
    out.append((confirmed(DISPUTED, CODE_DUE, "not_received", 18), ()))
    return out


ADOPTION = 10  # the index of ledger.formats.adopted in the log


def cases() -> list[dict[str, Any]]:
    new = "44444444-5555-4666-8777-0000000000f"
    case = SIGNERS.case
    answer = {"answer": "Đã chi bổ sung", "answered_on": "2022-01-30"}
    return [
        case("a grievance before 1.3 is adopted", "before_adoption", lodged(new + "1", 101),
             "INVALID_FIELD", "type"),
        case("a grievance lodged in person", "whole", lodged(new + "2", 102)),
        case("a due date before the lodging", "whole", lodged(new + "3", 103, due="2022-01-19"),
             "INVALID_FIELD", "body.due"),
        case("a due date 61 days after the lodging", "whole",
             lodged(new + "4", 104, due="2022-03-22"), "INVALID_FIELD", "body.due"),
        case("a lookup code on a subject that is not a payment", "whole",
             lodged(new + "5", 105, subject={"kind": "list", "code": CODE_PAID}),
             "INVALID_FIELD", "body.subject.code"),
        case("a confirmation signed by the registrar", "whole",
             confirmed(new + "6", CODE_PAID, "received", 106, who="registrar"),
             "ROLE_NOT_ALLOWED", "by"),
        case("a confirmation of another line", "whole",
             confirmed(new + "7", CODE_DUE, "wrong_amount", 107)),
        case("answering the page's complaint before it is assigned", "whole",
             step("registrar", "grievance.answered", DISPUTED, 108, **answer),
             "RULE_VIOLATION", "body.grievance_id"),
        case("assigning it to the cashier", "whole",
             step("approver", "grievance.assigned", DISPUTED, 109, to="ke-toan"),
             "RULE_VIOLATION", "body.to"),
        case("assigning it to the registrar", "whole",
             step("approver", "grievance.assigned", DISPUTED, 110, to="can-bo-ldtbxh")),
        case("closing it unanswered as resolved", "whole",
             step("approver", "grievance.closed", DISPUTED, 111, outcome="resolved",
                  closed_on="2022-01-30"), "RULE_VIOLATION", "body.outcome"),
        case("closing the closed grievance again", "whole",
             step("approver", "grievance.closed", LODGED, 112, outcome="resolved",
                  closed_on="2022-01-30"), "ALREADY_DECIDED", "body.grievance_id"),
        case("assigning a confirmation of receipt", "whole",
             step("approver", "grievance.assigned", RECEIVED, 113, to="can-bo-ldtbxh"),
             "RULE_VIOLATION", "body.grievance_id"),
        case("a grievance about an unknown grievance id", "whole",
             step("approver", "grievance.assigned", new + "8", 114, to="can-bo-ldtbxh"),
             "UNKNOWN_ENTITY", "body.grievance_id"),
    ]  # fmt: skip


def build() -> str:
    """The whole file, as text."""
    about = (
        "Vectors for docs/formats.md section 11.5 (FORMATS 1.3: grievances and "
        "beneficiaries' confirmations). Keys are made from 32-byte seeds (the seed byte "
        "repeated); vault salts are fixed bytes; signatures are deterministic. Cases are "
        "sent to a ledger holding the log up to its adoption of 1.3 (state before_adoption) "
        "or the whole log (whole)."
    )
    codes = {"paid": CODE_PAID, "due": CODE_DUE}
    return document(
        SIGNERS.head(about)
        | {"codes": codes, "log": SIGNERS.log(log(), ADOPTION), "cases": cases()}
    )


def main() -> None:
    write(OUT, build())


if __name__ == "__main__":
    main()
