"""The reads the officer console needs: programs, proposals waiting, benefits, a search.

- ``GET /v1/programs`` (public): the programs defined, for choosing one.
- ``GET /v1/proposals`` (signed in): the maker-checker queue, household
  status proposals and benefit proposals not yet decided, each with who
  proposed it, the household, the beneficiary (of a status, the household's
  head; named for roles that may see names), the grounds as signed and where
  its history is. ``own`` marks the
  reader's own proposals, which the ledger will not let them decide.
- ``GET /v1/benefits`` (signed in): benefits by state, household, village
  or program, for the pickers of decisions and payments.
- ``GET /v1/search`` (signed in): households by code, village or a
  member's name (names for roles that may see them), with their members,
  for the pickers of households and people. Matching ignores case and
  Vietnamese diacritics ("lo thi xuan" finds "Lò Thị Xuân").

Everything is read through :mod:`api.reading` (the snapshot as of ``as_of``,
names from the vault as the snapshot commits to them), as every other read.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.http.answers import PUBLIC, SIGNED, answer
from api.http.console_models import BenefitsOut, ProgramsOut, ProposalsOut, SearchOut
from api.http.deps import AsOfQ, ServiceDep, SignedInDep
from api.http.roles import NAME_ROLES
from api.http.signin import Officer
from api.reading import Read, day_of, heads, read_at, registry, vault_field
from ledger.domain.base import read_statement
from projections.model import Benefit, Program, Snapshot

router = APIRouter(prefix="/v1", tags=["console"])
SEARCH_LIMIT = 50  # households listed by one search
BenefitState = Literal["proposed", "approved", "rejected", "ended"]
Text = Annotated[str | None, Query(max_length=200)]


def _program(program: Program) -> dict[str, Any]:
    return {
        "program_id": program.program_id,
        "code": program.code,
        "name": program.name,
        "category": program.category,
        "kind": program.kind,
    }


def _household(snap: Snapshot, household_id: str | None) -> dict[str, Any] | None:
    found = snap.households.get(household_id or "")
    if found is None:
        return None
    return {"household_id": found.household_id, "code": found.code, "village": found.village}


def _names(read: Read, officer: Officer, person_ids: set[str]) -> dict[str, str | None]:
    """Each person's name when the officer may see names; nothing otherwise."""
    if not officer.may(NAME_ROLES):
        return {}
    return vault_field(read, person_ids, "full_name")


def _person(pid: str | None, names: dict[str, str | None], officer: Officer) -> Any:
    if pid is None:
        return None
    shown: dict[str, Any] = {"person_id": pid}
    if officer.may(NAME_ROLES):
        shown["full_name"] = names.get(pid)
    return shown


def _benefit_household(snap: Snapshot, benefit: Benefit) -> str | None:
    if benefit.household_id is not None:
        return benefit.household_id
    person = snap.people.get(benefit.person_id or "")
    return person.household_id if person is not None else None


def _holder(snap: Snapshot, holder_id: str) -> dict[str, Any]:
    return {"holder_id": holder_id, "name": snap.holder_names.get(holder_id)}


@router.get("/programs", response_model=ProgramsOut, responses=PUBLIC)
def programs(service: ServiceDep, response: Response, as_of: AsOfQ = None) -> dict[str, Any]:
    """The programs defined (chương trình), in the order they were defined."""
    read = read_at(service, as_of)
    found = sorted(read.snap.programs.values(), key=lambda p: p.index)
    return answer(read, response, {"programs": [_program(p) for p in found]})


@router.get(
    "/proposals",
    response_model=ProposalsOut,
    response_model_exclude_unset=True,
    responses=SIGNED,
)
def proposals(
    service: ServiceDep, officer: SignedInDep, response: Response, as_of: AsOfQ = None
) -> dict[str, Any]:
    """The proposals waiting for a decision (đề nghị chờ phê duyệt), oldest first.

    Household status proposals and benefit proposals not yet approved or
    rejected, with the grounds (`basis`) as signed. `own`: proposed by the
    signed-in holder, who may not approve or reject it (maker-checker).
    """
    read = read_at(service, as_of)
    snap = read.snap
    waiting_status = [p for p in snap.proposals.values() if p.state == "proposed"]
    waiting_benefits = [b for b in snap.benefits.values() if b.state == "proposed"]
    head_of = heads(snap, day_of(snap, None))
    household_heads = {p.household_id: head_of.get(p.household_id) for p in waiting_status}
    people = {b.person_id for b in waiting_benefits if b.person_id}
    people |= {h.person_id for h in household_heads.values() if h is not None}
    names = _names(read, officer, people)
    status_basis = _bases(read, [p.index for p in waiting_status])
    items: list[dict[str, Any]] = []
    for p in waiting_status:
        head = household_heads[p.household_id]
        items.append(
            {
                "kind": "household_status",
                "id": p.proposal_id,
                "index": p.index,
                "proposed_by": _holder(snap, p.proposed_by),
                "own": p.proposed_by == officer.holder_id,
                "household": _household(snap, p.household_id),
                "beneficiary": _person(head.person_id if head else None, names, officer),
                "program": None,
                "status": p.status,
                "effective": p.effective,
                "amount": None,
                "start": None,
                "end": None,
                "basis": status_basis.get(p.index, {}),
                "history": f"/v1/entities/{p.proposal_id}/history",
            }
        )
    for b in waiting_benefits:
        items.append(
            {
                "kind": "benefit",
                "id": b.benefit_id,
                "index": b.index,
                "proposed_by": _holder(snap, b.proposed_by),
                "own": b.proposed_by == officer.holder_id,
                "household": _household(snap, _benefit_household(snap, b)),
                "beneficiary": _person(b.person_id, names, officer),
                "program": _program(snap.programs[b.program_id]),
                "status": None,
                "effective": None,
                "amount": b.amount,
                "start": b.start,
                "end": b.end,
                "basis": b.basis,
                "history": f"/v1/entities/{b.benefit_id}/history",
            }
        )
    items.sort(key=lambda item: item["index"])
    return answer(read, response, {"proposals": items})


def _bases(read: Read, indexes: list[int]) -> dict[int, dict[str, Any]]:
    """The signed ``basis`` of the status proposals recorded at these entries."""
    found: dict[int, dict[str, Any]] = {}
    for index in indexes:
        for entry in read.ledger.entries(index, index + 1):
            found[index] = dict(read_statement(entry.envelope)["body"].get("basis", {}))
    return found


@router.get(
    "/benefits",
    response_model=BenefitsOut,
    response_model_exclude_unset=True,
    responses=SIGNED,
)
def benefits(
    service: ServiceDep,
    officer: SignedInDep,
    response: Response,
    state: Annotated[BenefitState | None, Query()] = None,
    household: Annotated[str | None, Query(max_length=64, description="a household id")] = None,
    village: Text = None,
    program: Annotated[str | None, Query(max_length=64, description="a program id")] = None,
    as_of: AsOfQ = None,
) -> dict[str, Any]:
    """Benefits (chế độ), oldest first, chosen by state, household, village or program.

    A person's benefit belongs to the household the person lives in now.
    """
    read = read_at(service, as_of)
    snap = read.snap
    rows = []
    for b in sorted(snap.benefits.values(), key=lambda b: b.index):
        home = _household(snap, _benefit_household(snap, b))
        if state is not None and b.state != state:
            continue
        if program is not None and b.program_id != program:
            continue
        if household is not None and (home is None or home["household_id"] != household):
            continue
        if village is not None and (home is None or home["village"] != village):
            continue
        rows.append((b, home))
    names = _names(read, officer, {b.person_id for b, _ in rows if b.person_id})
    out = [
        {
            "benefit_id": b.benefit_id,
            "program": _program(snap.programs[b.program_id]),
            "household": home,
            "beneficiary": _person(b.person_id, names, officer),
            "amount": b.amount,
            "start": b.start,
            "end": b.end,
            "last_month": b.last_month,
            "state": b.state,
            "proposed_by": b.proposed_by,
            "decision_number": b.decision_number,
        }
        for b, home in rows
    ]
    return answer(read, response, {"benefits": out})


def folded(text: str) -> str:
    """Text for matching: lowercase, without Vietnamese diacritics (đ as d)."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@router.get(
    "/search", response_model=SearchOut, response_model_exclude_unset=True, responses=SIGNED
)
def search(
    service: ServiceDep,
    officer: SignedInDep,
    response: Response,
    q: Annotated[str, Query(max_length=200, description="code, village or name")] = "",
    village: Text = None,
    as_of: AsOfQ = None,
) -> dict[str, Any]:
    """Households whose code, village or a member's name contains every word of `q`.

    Each with its status today and members (names for registrar, approver,
    cashier, inspector and admin). At most 50 households; `more` says when
    more matched. An empty `q` lists the first households (of `village`).
    """
    read = read_at(service, as_of)
    fields: tuple[str, ...] = ("birth_year", "died_on")
    if officer.may(NAME_ROLES):
        fields += ("full_name",)
    rows = registry(read, day_of(read.snap, None), fields, village)
    words = folded(q).split()
    found = []
    for row in rows:
        names = " ".join(m.get("full_name") or "" for m in row["members"])
        haystack = folded(f"{row['code']} {row['village']} {names}")
        if all(word in haystack for word in words):
            found.append(row)
    shown = [
        {k: v for k, v in row.items() if k != "registered_index"} for row in found[:SEARCH_LIMIT]
    ]
    villages = sorted({h.village for h in read.snap.households.values()})
    doc = {"q": q, "villages": villages, "households": shown, "more": len(found) > SEARCH_LIMIT}
    return answer(read, response, doc)
