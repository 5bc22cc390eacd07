"""Reads: the registry, the approved lists, the payroll, reconciliation, the vault, histories.

Each read takes ``on=YYYY-MM-DD`` (the business date: what was in force that
day; default the day of the last entry) and ``as_of=`` (what the ledger knew:
its first N entries, or the entries recorded by an ISO 8601 time), and
answers with what it was computed from (``as_of``, ``checkpoint``,
``projection``; headers ``X-Ansinh-Log-Size`` and
``X-Ansinh-Projection-Behind``). Personal data is shown by the roles of the
signed-in officer (:mod:`api.http.auth`); without a token the answers are public,
and carry only what DESIGN's disclosure rules allow (the rule, written
down: :mod:`api.reading`).
"""

from __future__ import annotations

import base64
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response

from api.http import wire
from api.http.auth import (
    DETAIL_ROLES,
    IDENTITY_ROLES,
    NAME_ROLES,
    PAYROLL_ROLES,
    Officer,
    OfficerDep,
    require_roles,
)
from api.http.deps import ServiceDep
from api.http.models import (
    BeneficiariesOut,
    HistoryOut,
    HouseholdsOut,
    PayrollOut,
    ReconciliationOut,
    VaultOut,
)
from api.reading import (
    MEMBER_DETAIL,
    Read,
    day_of,
    heads,
    read_at,
    registry,
    unmask_payroll,
    vault_field,
    vault_record,
    withhold_deaths,
    withhold_detail,
)
from ledger.errors import UnknownEntity
from ledger.formats.versions import exact_json
from projections.query import history
from projections.reports.entitlements import check_month
from projections.reports.export import (
    View,
    payroll_views,
    reconciliation_views,
    stamp_of,
    summary,
    to_csv,
    to_xlsx,
)
from projections.reports.lists import lists
from projections.reports.payroll import payroll
from projections.reports.reconciliation import reconcile

router = APIRouter(prefix="/v1", tags=["reads"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

OnQ = Annotated[
    str | None,
    Query(description="Business date YYYY-MM-DD (default: the day of the last entry)"),
]
AsOfQ = Annotated[
    str | None,
    Query(
        max_length=40,
        description="What the ledger knew: its first N entries, or an ISO 8601 time (UTC if "
        "no zone). Default: everything.",
        examples=["120", "2022-01-31T00:00:00Z"],
    ),
]


class Format(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


FormatQ = Annotated[Format, Query(alias="format", description="json, or a file: csv, xlsx")]
LangQ = Annotated[Literal["vi", "en"], Query(description="Headings of csv/xlsx files")]
FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "JSON, or with `format=csv|xlsx` a file to download",
    }
}
PUBLIC = wire.error_responses(400, 404)
SIGNED = wire.error_responses(400, 401, 403, 404)  # a token, when given, must be good
ERASED: dict[int | str, dict[str, Any]] = {
    410: {"model": wire.ErrorResponse, "description": "ERASED: the log keeps only the commitment"}
}
HouseholdStatus = Literal["poor", "near_poor", "not_poor", "none"]
VaultReader = Annotated[Officer, Depends(require_roles(*IDENTITY_ROLES))]


def _file(doc: dict[str, Any], views: list[View], fmt: Format, lang: str, name: str) -> Response:
    """A report as a CSV or XLSX download."""
    if fmt is Format.csv:
        data, media, suffix = to_csv(views).encode(), CSV, "csv"
    else:
        stamp = stamp_of(doc["as_of"]["recorded_at"])
        data, media, suffix = to_xlsx(views, summary(doc, lang), stamp, lang), XLSX, "xlsx"
    disposition = f'attachment; filename="{name}.{suffix}"'
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


def _answer(read: Read, response: Response, doc: dict[str, Any]) -> dict[str, Any]:
    read.stamp(response)
    return {**doc, **read.meta()}


# A token is optional here: without one the answer is masked. In OpenAPI, an
# empty requirement beside the bearer one says so.
ANONYMOUS_TOO: dict[str, Any] = {"security": [{}]}


@router.get(
    "/households",
    response_model=HouseholdsOut,
    response_model_exclude_unset=True,
    responses=SIGNED,
    openapi_extra=ANONYMOUS_TOO,
)
def households(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    on: OnQ = None,
    as_of: AsOfQ = None,
    village: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[HouseholdStatus | None, Query(description="`none`: never rated")] = None,
) -> dict[str, Any]:
    """The registry: each household, its status on `on`, its members.

    Anonymously a member is its `person_id` and `relation` only. Signed in
    (any role), members also carry `sex`, `birth_year` and `died_on`; as
    registrar, approver, cashier, inspector or admin, `full_name`;
    registrar, approver, inspector and admin also see `national_id` (from
    the vault; `null` when erased). `disclosed` names the fields included.
    """
    read = read_at(service, as_of)
    day = day_of(read.snap, on)
    fields: tuple[str, ...] = ()
    if officer is not None and officer.may(DETAIL_ROLES):
        fields += MEMBER_DETAIL
    if officer is not None and officer.may(NAME_ROLES):
        fields += ("full_name",)
    if officer is not None and officer.may(IDENTITY_ROLES):
        fields += ("national_id",)
    rows = registry(service.ledger, read.snap, day, fields, village, status)
    return _answer(read, response, {"on": day, "disclosed": list(fields), "households": rows})


@router.get("/beneficiaries", response_model=BeneficiariesOut, responses=PUBLIC)
def beneficiaries(
    service: ServiceDep,
    response: Response,
    on: OnQ = None,
    as_of: AsOfQ = None,
    village: Annotated[str | None, Query(max_length=200)] = None,
    program: Annotated[str | None, Query(max_length=200, description="id or code")] = None,
) -> dict[str, Any]:
    """The approved lists: poor and near-poor households, each program's beneficiaries.

    Public, as the law allows: name, village, category, amount; never the
    national id, ethnicity, health detail or bank account.
    """
    read = read_at(service, as_of)
    doc = lists(read.snap, day_of(read.snap, on))
    listed = [r for r in doc["households"] if village in (None, r["village"])]
    benefits = [
        r
        for r in doc["beneficiaries"]
        if village in (None, r["village"]) and program in (None, r["program_id"], r["program_code"])
    ]
    snap, head_of = read.snap, heads(read.snap)
    person_of = {}
    for row in benefits:
        benefit = snap.benefits[row["benefit_id"]]
        person_of[row["benefit_id"]] = benefit.person_id or head_of.get(benefit.household_id or "")
    for row in listed:
        person_of[row["household_id"]] = head_of.get(row["household_id"])
    names = vault_field(service.ledger, snap, {p for p in person_of.values() if p}, "full_name")
    for row in listed:
        row["head_name"] = names.get(person_of[row["household_id"]] or "")
    for row in benefits:
        row["full_name"] = names.get(person_of[row["benefit_id"]] or "")
    doc = {"on": doc["on"], "households": listed, "beneficiaries": benefits}
    return _answer(read, response, doc)


@router.get(
    "/payroll",
    response_model=PayrollOut,
    response_model_exclude_unset=True,
    responses={**FILES, **SIGNED},
    openapi_extra=ANONYMOUS_TOO,
)
def payroll_sheet(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    month: Annotated[str, Query(description="YYYY-MM")],
    on: OnQ = None,
    as_of: AsOfQ = None,
    fmt: FormatQ = Format.json,
    lang: LangQ = "vi",
) -> Any:
    """The payroll of `month` (danh sách chi trả): who is due what, what was paid.

    Without a token, or with a role that may not see it, the sheet is masked:
    household codes, amounts, paid or not; no names, person ids or
    recipients. Cashier, approver, inspector and admin see those too.
    """
    check_month(month, "month")
    read = read_at(service, as_of)
    snap = read.snap
    unmasked = officer is not None and officer.may(PAYROLL_ROLES)
    doc = payroll(snap, month, day_of(snap, on) if on is not None else None)
    if unmasked:
        unmask_payroll(service.ledger, snap, doc["rows"])
    else:
        for row in doc["rows"]:
            del row["person_id"]
    doc = {**doc, **read.meta(), "masked": not unmasked}
    if fmt is not Format.json:
        out = _file(doc, payroll_views(doc, lang), fmt, lang, f"chi-tra-{month}")
        read.stamp(out)
        return out
    read.stamp(response)
    return exact_json(doc)  # sums beyond 2^53 - 1 as decimal strings


@router.get(
    "/reports/reconciliation",
    response_model=ReconciliationOut,
    response_model_exclude_unset=True,
    responses={**FILES, **SIGNED},
    openapi_extra=ANONYMOUS_TOO,
)
def reconciliation(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    from_: Annotated[str, Query(alias="from", description="First month YYYY-MM")],
    to: Annotated[str, Query(description="Last month YYYY-MM")],
    on: OnQ = None,
    as_of: AsOfQ = None,
    fmt: FormatQ = Format.json,
    lang: LangQ = "vi",
) -> Any:
    """Đối soát: entitled, paid, unpaid, overpaid per program and month; funds; anomalies.

    Anonymously, a PAID_AFTER_DEATH anomaly does not give the date of the
    death (`masked`); signed in, it does. Signed in with a role that sees
    national ids, duplicate national ids (DUPLICATE_IDENTITY) are looked for
    in the vault too.
    """
    check_month(from_, "from")
    check_month(to, "to")
    read = read_at(service, as_of)
    snap = read.snap
    identities = None
    if officer is not None and officer.may(IDENTITY_ROLES):
        found = vault_field(service.ledger, snap, snap.people, "national_id")
        identities = {pid: value for pid, value in found.items() if value}
    day = day_of(snap, on) if on is not None else None
    doc = reconcile(snap, from_, to, day, identities, read.checkpoint)
    masked = officer is None or not officer.may(DETAIL_ROLES)
    if masked:
        withhold_deaths(doc["anomalies"])
    doc = {**doc, **read.meta(), "masked": masked}
    if fmt is not Format.json:
        out = _file(doc, reconciliation_views(doc, lang), fmt, lang, f"doi-soat-{from_}-{to}")
        read.stamp(out)
        return out
    read.stamp(response)
    return exact_json(doc)  # sums beyond 2^53 - 1 as decimal strings


@router.get(
    "/vault/{person_id}",
    response_model=VaultOut,
    responses={**SIGNED, **ERASED},
)
def vault(
    service: ServiceDep,
    _: VaultReader,
    response: Response,
    person_id: Annotated[str, Path(max_length=64)],
    as_of: AsOfQ = None,
) -> dict[str, Any]:
    """A person's personal-data record (registrar, approver, inspector, admin only).

    The record the log commits to (as of `as_of`), with its salt, so that
    the commitment can be checked (FORMATS §5).
    """
    read = read_at(service, as_of)
    person = read.snap.people.get(person_id)
    if person is None:
        raise UnknownEntity(f"person_id: no person {person_id}", field="person_id")
    record = vault_record(service.ledger, read.snap, person_id)
    if record is None:
        raise HTTPException(
            410,
            detail={
                "code": "ERASED",
                "message": f"person_id: the personal data of {person_id} was erased; "
                "the log keeps only its commitment",
            },
        )
    return _answer(
        read,
        response,
        {
            "person_id": person_id,
            "household_id": person.household_id,
            "commitment": person.pii,
            "salt": base64.b64encode(record.salt).decode(),
            "record": record.record,
        },
    )


@router.get(
    "/entities/{entity_id}/history",
    response_model=HistoryOut,
    response_model_exclude_unset=True,
    responses=SIGNED,
    openapi_extra=ANONYMOUS_TOO,
)
def entity_history(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    entity_id: Annotated[str, Path(min_length=1, max_length=200)],
    as_of: AsOfQ = None,
) -> dict[str, Any]:
    """Every statement naming an entity (household, person, benefit, payment, key ...).

    The signed bodies carry ids and commitments, never names or national
    ids. Anonymously, a person's sex, birth year and date of death, and the
    grounds of a benefit or of a household's rating, are left out of them
    (each entry's `withheld` names those fields); signed in, bodies are whole.
    """
    read = read_at(service, as_of)
    end = read.snap.as_of
    whole = officer is not None and officer.may(DETAIL_ROLES)
    items = []
    for index, at, kind, by, body in history(service.ledger, entity_id):
        if index >= end:
            continue
        item = {"index": index, "recorded_at": at, "type": kind, "by": by, "body": body}
        shown, withheld = (body, []) if whole else withhold_detail(kind, body)
        if withheld:
            item |= {"body": shown, "withheld": withheld}
        items.append(item)
    if not items:
        raise UnknownEntity(
            f"entity_id: no entry names {entity_id} (as of {end} entries)", field="entity_id"
        )
    return _answer(read, response, {"entity_id": entity_id, "entries": items})
