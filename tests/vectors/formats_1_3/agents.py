"""Write ``formats-1.3-agents.json``, the vectors of docs/formats.md section 11.3 (run from
the root).

    .venv/bin/python tests/vectors/formats_1_3/agents.py

Keys come from the seeds of the 1.1 vectors (and three more), vault salts
from fixed bytes and Ed25519 is deterministic, so the same code writes the
same bytes; ``tests/ledger/formats/test_agents_vectors.py`` rebuilds the
file byte for byte, submits every case to a ledger holding the log and has
both verifiers check it.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from api.demo import statements as st
from projections.reports.receipts import receipt_code

if not __package__:  # run as a file: the project root holds the shared maker
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.vectors.maker import LEDGER, Logged, Signers, document, write

OUT = Path(__file__).parent.parent / "formats-1.3-agents.json"
SEEDS = {"authority": 1, "notary": 2, "registrar": 3, "approver": 4, "cashier": 5}
SEEDS |= {"agent": 6, "other_agent": 7}
SIGNERS = Signers(SEEDS, hour=6)
KEYS = SIGNERS.keys
statement = SIGNERS.statement
submission = SIGNERS.submission
HOLDERS = {
    "registrar": "can-bo-ldtbxh",
    "approver": "chu-tich",
    "cashier": "ke-toan",
    "agent": "buu-dien-song-ma",
    "other_agent": "ngan-hang-csxh",
}
HOUSEHOLD = "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e02"
PROGRAM = "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e03"
# Generated people, each with a monthly allowance from January 2027.
PEOPLE = {
    "a": ("00000000-0000-4000-8000-00000000000a", "Lò Văn Minh", "000000000101"),
    "b": ("00000000-0000-4000-8000-00000000000b", "Quàng Thị Xuân", "000000000202"),
}
BENEFITS = {
    "a": ("00000000-0000-4000-8000-0000000000ba", 1_624_000),
    "b": ("00000000-0000-4000-8000-0000000000bb", 2_179_000),
}
SENDING = "00000000-0000-4000-8000-0000000005e1"
SECOND = "00000000-0000-4000-8000-0000000005e2"  # February's list, not settled in the log
MONTH, SECOND_MONTH = "2027-01", "2027-02"
FILE_SHA256 = hashlib.sha256(b"agent settlement file").hexdigest()


def list_bytes(month: str) -> bytes:
    """The list of ``month`` (docs/formats.md 11.3): both allowances, by lookup code."""
    lines = sorted(
        (receipt_code(LEDGER, benefit_id, month), benefit_id, amount)
        for benefit_id, amount in BENEFITS.values()
    )
    return ("code,benefit_id,amount\n" + "".join(f"{c},{b},{a}\n" for c, b, a in lines)).encode()


def sent(sending_id: str, month: str, sent_on: str, n: int, **more: Any) -> dict[str, Any]:
    data = list_bytes(month)
    body = {"sending_id": sending_id, "agent": HOLDERS["agent"], "month": month}
    body |= {"sent_on": sent_on, "lines": 2, "total": sum(a for _, a in BENEFITS.values())}
    body |= {"list_sha256": hashlib.sha256(data).hexdigest()} | more
    return statement("cashier", "payroll.sent", body, n)


def line(who: str, key: str, outcome: str, n: int, sending: str = SENDING, **more: Any) -> Any:
    kind = "payroll.settled" if who.endswith("agent") else "payroll.settlement.recorded"
    benefit_id, amount = BENEFITS[key]
    body: dict[str, Any] = {"sending_id": sending, "benefit_id": benefit_id, "amount": amount}
    body |= {"outcome": outcome}
    body |= {"paid_on": "2027-01-08"} if outcome == "paid" else {"reason": "Người hưởng đi vắng"}
    if kind == "payroll.settlement.recorded":
        body["source"] = FILE_SHA256
    return statement(who, kind, body | more, n)


def refund(refund_id: str, sending: str, amount: int, n: int) -> dict[str, Any]:
    body = {"refund_id": refund_id, "sending_id": sending, "amount": amount}
    body |= {"date": "2027-02-03", "reference": "GNT-0203"}
    return statement("cashier", "agent.refunded", body, n)


def log() -> list[Logged]:
    """The statements of the log, in order, each with the vault records it commits to."""
    out: list[Logged] = [(statement("authority", "ledger.opened", SIGNERS.opened(), 1), ())]
    for n, name in enumerate(("registrar", "approver", "cashier"), 2):
        body = st.key_registered(KEYS[name], HOLDERS[name], f"Cán bộ {name}", [name])
        out.append((statement("authority", "key.registered", body, n), ()))
    out.append((statement("authority", "ledger.formats.adopted", {"formats": "1.3"}, 5), ()))
    for n, name in enumerate(("agent", "other_agent"), 6):
        body = st.key_registered(KEYS[name], HOLDERS[name], "Tổ chức dịch vụ chi trả", ["agent"])
        out.append((statement("authority", "key.registered", body, n), ()))
    household = st.household_registered(HOUSEHOLD, "CE-12", "Bản Huổi Pao")
    out.append((statement("registrar", "household.registered", household, 8), ()))
    program = st.program_defined(PROGRAM, "TB", "Trợ cấp thương binh", "meritorious", "monthly")
    out.append((statement("authority", "program.defined", program, 9), ()))
    n = 10
    for key, person in PEOPLE.items():
        out.append(SIGNERS.person(person, HOUSEHOLD, "m", 1951, n))
        benefit_id, amount = BENEFITS[key]
        proposed = st.benefit_proposed(
            benefit_id, PROGRAM, {"person_id": person[0]}, amount, MONTH, "Thương binh"
        )
        out.append((statement("registrar", "benefit.proposed", proposed, n + 1), ()))
        approved = st.benefit_approved(benefit_id, "31/QĐ-UBND", "2026-12-01")
        out.append((statement("approver", "benefit.approved", approved, n + 2), ()))
        n += 3
    out.append((sent(SENDING, MONTH, "2026-12-20", 16), ()))
    out.append((line("agent", "a", "paid", 17), ()))
    out.append((line("cashier", "b", "not_paid", 18), ()))
    out.append((refund("00000000-0000-4000-8000-0000000000f1", SENDING, 2_179_000, 19), ()))
    out.append((sent(SECOND, SECOND_MONTH, "2027-01-26", 20), ()))  # late: a finding
    return out


ADOPTION = 4  # the index of ledger.formats.adopted in the log


def cases() -> list[dict[str, Any]]:
    case = SIGNERS.case
    unsent = "00000000-0000-4000-8000-0000000005e9"
    return [
        case("a list before the adoption", "before_adoption",
             sent(unsent, MONTH, "2026-12-20", 101), "INVALID_FIELD", "type"),
        case("a list sent to a holder without an agent key", "log",
             sent(unsent, MONTH, "2026-12-20", 102, agent=HOLDERS["cashier"]),
             "RULE_VIOLATION", "body.agent"),
        case("a list sent to a holder no key names", "log",
             sent(unsent, MONTH, "2026-12-20", 103, agent="buu-dien-khac"),
             "UNKNOWN_ENTITY", "body.agent"),
        case("a line settled by another agent", "log",
             line("other_agent", "a", "paid", 104, SECOND), "RULE_VIOLATION", "by"),
        case("a line settled twice", "log",
             line("agent", "a", "returned", 105), "ALREADY_DECIDED", "body.benefit_id"),
        case("a paid line without its day", "log",
             {**(s := line("agent", "b", "paid", 106, SECOND)),
              "body": {k: v for k, v in s["body"].items() if k != "paid_on"}},
             "INVALID_FIELD", "body.paid_on"),
        case("a paid line dated before the list was sent", "log",
             line("agent", "b", "paid", 107, SECOND, paid_on="2027-01-20"),
             "RULE_VIOLATION", "body.paid_on"),
        case("a cashier's line without the agent's file", "log",
             {**(s := line("cashier", "a", "not_paid", 108, SECOND)),
              "body": {k: v for k, v in s["body"].items() if k != "source"}},
             "INVALID_FIELD", "body.source"),
        case("an agent refunding", "log",
             {**refund("00000000-0000-4000-8000-0000000000f2", SECOND, 1, 109),
              "by": KEYS["agent"].key_id}, "ROLE_NOT_ALLOWED", "by"),
        case("a refund beyond what the agent holds", "log",
             refund("00000000-0000-4000-8000-0000000000f3", SENDING, 1, 110),
             "RULE_VIOLATION", "body.amount"),
        case("a valid line of February's list", "log",
             line("agent", "b", "paid", 111, SECOND, paid_on="2027-02-06")),
        case("a valid refund of February's list", "log",
             refund("00000000-0000-4000-8000-0000000000f4", SECOND, 3_803_000, 112)),
    ]  # fmt: skip


def build() -> str:
    """The whole file, as text."""
    statements = log()
    data = list_bytes(MONTH)
    about = (
        "Vectors for docs/formats.md section 11.3 (FORMATS 1.3: paying agents). Keys are "
        "made from 32-byte seeds (the seed byte repeated); vault salts are fixed bytes; "
        "signatures are deterministic."
    )
    listed = {
        "month": MONTH,
        "bytes": data.decode(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "sent_index": next(
            i for i, (s, _) in enumerate(statements) if s["body"].get("sending_id") == SENDING
        ),
    }
    return document(
        SIGNERS.head(about)
        | {"list": listed, "log": SIGNERS.log(statements, ADOPTION), "cases": cases()}
    )


def main() -> None:
    write(OUT, build())


if __name__ == "__main__":
    main()
