"""Write ``formats-1.3-reviews.json``, the vectors of docs/formats.md 11.4 (run from the root).

    .venv/bin/python tests/vectors/formats_1_3/reviews.py

A 1.1 ledger adopts 1.3 and runs one periodic poverty review round of 2024
in one village: two households assessed, the village meeting's votes, the
results posted 14 to 20 October, an objection lodged and dismissed, both
households recognised. Keys come from the seeds of the 1.1 vectors and
Ed25519 is deterministic, so the same code writes the same bytes;
``tests/ledger/formats/test_review_vectors.py`` rebuilds the file byte for
byte and submits every case to a ledger holding the part of the log its
``state`` names.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from api.demo import statements as st

if not __package__:  # run as a file: the project root holds the shared maker
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.vectors.maker import Signers, document, write

OUT = Path(__file__).parent.parent / "formats-1.3-reviews.json"
SEEDS = {"authority": 1, "notary": 2, "registrar": 3, "approver": 4}
SIGNERS = Signers(SEEDS, hour=6)
KEYS = SIGNERS.keys
statement = SIGNERS.statement
VILLAGE = "Bản Huổi Pao"
H1, H2 = "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e01", "6f1c2a40-7a0e-4e0b-9c51-0d5c1b2a3e02"
ROUND = "a1000000-0000-4000-8000-000000000001"
A1, A2 = "a2000000-0000-4000-8000-000000000001", "a2000000-0000-4000-8000-000000000002"
MEETING = "a3000000-0000-4000-8000-000000000001"
POSTING = "a4000000-0000-4000-8000-000000000001"
OBJECTION = "a5000000-0000-4000-8000-000000000001"
DECISION = {"number": "245/QĐ-UBND", "date": "2024-10-28"}
STATES = {"before_adoption": 5, "objection_open": 14, "recognized": 17}
"""Each state a case is submitted in: how many entries of the log the ledger holds."""


def opened(n: int, **changes: Any) -> dict[str, Any]:
    plan = {"number": "112/KH-UBND", "date": "2024-08-20"}
    body = {"round_id": ROUND, "kind": "periodic", "from": "2024-09-01", "to": "2024-12-14"}
    return statement("approver", "review.opened", {**body, "plan": plan, **changes}, n)


def assessed(assessment_id: str, household_id: str, n: int, **changes: Any) -> dict[str, Any]:
    body = {
        "assessment_id": assessment_id,
        "round_id": ROUND,
        "household_id": household_id,
        "request": "none",
        "area": "rural",
        "income_per_capita_month": 1_100_000,
        "deprivations": ["health_insurance", "housing_quality", "sanitation", "drinking_water"],
        "result": "poor",
    }
    return statement("registrar", "household.assessed", {**body, **changes}, n)


def voted(assessment_id: str, agree: int, n: int) -> dict[str, Any]:
    body = {"assessment_id": assessment_id, "meeting_id": MEETING, "agree": agree}
    return statement("registrar", "assessment.voted", body, n)


def posted(n: int, start: str = "2024-10-14", end: str = "2024-10-20") -> dict[str, Any]:
    body = {
        "posting_id": POSTING,
        "round_id": ROUND,
        "village": VILLAGE,
        "place": "Nhà văn hóa bản Huổi Pao",
        "from": start,
        "to": end,
    }
    return statement("registrar", "review.posted", body, n)


def lodged(n: int, lodged_on: str = "2024-10-16", objection_id: str = OBJECTION) -> dict[str, Any]:
    body = {
        "objection_id": objection_id,
        "assessment_id": A2,
        "lodged_on": lodged_on,
        "summary": "Hộ mới mua máy cày, đề nghị xem lại thu nhập",
    }
    return statement("registrar", "objection.lodged", body, n)


def answered(n: int, answered_on: str = "2024-10-23") -> dict[str, Any]:
    body = {
        "objection_id": OBJECTION,
        "assessment_id": A2,
        "outcome": "dismissed",
        "answer": "Máy cày đi mượn của họ hàng; thu nhập không đổi",
        "answered_on": answered_on,
    }
    return statement("approver", "objection.answered", body, n)


def recognized(assessment_id: str, n: int, date: str = DECISION["date"]) -> dict[str, Any]:
    household, result = {A1: (H1, "poor"), A2: (H2, "near_poor")}[assessment_id]
    body = {"assessment_id": assessment_id, "household_id": household, "result": result}
    body["decision"] = {**DECISION, "date": date}
    return statement("approver", "review.recognized", body, n)


def log() -> list[dict[str, Any]]:
    """The statements of the log, in order."""
    out = [statement("authority", "ledger.opened", SIGNERS.opened(), 1)]
    for n, (name, holder) in enumerate(
        (("registrar", "can-bo-ldtbxh"), ("approver", "chu-tich")), 2
    ):
        body = st.key_registered(KEYS[name], holder, f"Cán bộ {name}", [name])
        out.append(statement("authority", "key.registered", body, n))
    for n, (household, code) in enumerate(((H1, "HP-01"), (H2, "HP-02")), 4):
        body = st.household_registered(household, code, VILLAGE)
        out.append(statement("registrar", "household.registered", body, n))
    out.append(statement("authority", "ledger.formats.adopted", {"formats": "1.3"}, 6))
    meeting = {
        "meeting_id": MEETING,
        "round_id": ROUND,
        "village": VILLAGE,
        "date": "2024-10-10",
        "chair": "Trưởng bản Lò Văn Piêng",
        "supervisor": "Ban công tác Mặt trận bản Huổi Pao",
        "present": 42,
        "minutes_sha256": "5e" * 32,
    }
    near_poor = {"request": "form_01", "deprivations": ["health_insurance"], "result": "near_poor"}
    out += [
        opened(7),
        assessed(A1, H1, 8),
        assessed(A2, H2, 9, **near_poor),
        statement("registrar", "village.meeting.held", meeting, 10),
        voted(A1, 35, 11),
        voted(A2, 30, 12),
        posted(13),
        lodged(14),
        answered(15),
        recognized(A1, 16),
        recognized(A2, 17),
    ]
    return out


def cases() -> list[dict[str, Any]]:
    case = SIGNERS.case
    return [
        case("a round before the adoption", "before_adoption", opened(101),
             "INVALID_FIELD", "type"),
        case("a periodic round opening in August", "objection_open",
             opened(102, round_id="a1000000-0000-4000-8000-000000000002", **{"from": "2024-08-01"}),
             "RULE_VIOLATION", "body.from"),
        case("a round opened by the registrar", "objection_open",
             {**opened(103), "by": KEYS["registrar"].key_id}, "ROLE_NOT_ALLOWED", "by"),
        case("a result that is not the standard's", "objection_open",
             assessed("a2000000-0000-4000-8000-000000000003", H1, 104, result="near_poor"),
             "RULE_VIOLATION", "body.result"),
        case("more agreeing than were present", "objection_open", voted(A1, 43, 105),
             "RULE_VIOLATION", "body.agree"),
        case("a posting window closing before it opens", "objection_open",
             posted(106, "2024-10-20", "2024-10-14"), "INVALID_FIELD", "body.to"),
        case("an objection before the window opens", "objection_open",
             lodged(107, "2024-10-13", "a5000000-0000-4000-8000-000000000002"),
             "RULE_VIOLATION", "body.lodged_on"),
        case("an objection after the window closes", "objection_open",
             lodged(108, "2024-10-22", "a5000000-0000-4000-8000-000000000003")),
        case("an answer before the objection", "objection_open", answered(109, "2024-10-15"),
             "RULE_VIOLATION", "body.answered_on"),
        case("recognition on the last day of the window", "objection_open",
             recognized(A1, 110, "2024-10-20"), "RULE_VIOLATION", "body.decision.date"),
        case("recognition the day after the window", "objection_open",
             recognized(A1, 111, "2024-10-21")),
        case("recognition with an objection unanswered", "objection_open", recognized(A2, 112),
             "RULE_VIOLATION", "body.assessment_id"),
        case("a second recognition", "recognized", recognized(A1, 113),
             "ALREADY_DECIDED", "body.assessment_id"),
        case("a second answer", "recognized", answered(114),
             "ALREADY_DECIDED", "body.objection_id"),
    ]  # fmt: skip


def leaves(statements: list[dict[str, Any]]) -> list[str]:
    """The leaves of a log of these statements, as text."""
    return SIGNERS.leaves([(s, ()) for s in statements])


def build() -> str:
    """The whole file, as text."""
    about = (
        "Vectors for docs/formats.md section 11.4 (FORMATS 1.3: poverty review rounds). "
        "Keys are made from 32-byte seeds (the seed byte repeated); signatures are "
        "deterministic. A case is submitted to a ledger holding the first "
        "states[case.state] entries of the log."
    )
    statements = [(s, ()) for s in log()]
    return document(
        SIGNERS.head(about) | {"states": STATES, "log": SIGNERS.log(statements), "cases": cases()}
    )


def main() -> None:
    write(OUT, build())


if __name__ == "__main__":
    main()
