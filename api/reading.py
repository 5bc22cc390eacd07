"""What the read endpoints compute, apart from HTTP: the snapshot they read,
its checkpoint, the vault look-ups, the registry of households, and what an
anonymous reader is not shown.

:func:`read_at` takes ``as_of`` (an entry count, or an ISO 8601 time) and
returns the snapshot with what it was computed from. Personal data comes
from the vault record that the snapshot's commitment names (what the ledger
knew as of then), read for many people in one query; a person whose record
was erased has none.

**What an anonymous reader sees** (DESIGN.md, "Rules of the domain": public
lists show name, village, category and amount; never the national id,
ethnicity, health or disability detail, or bank account). Without signing
in, a reader gets what the approved lists may show, and the ids, codes,
statuses and amounts that tie them to the log and let anyone check the
money; never a person's own attributes: sex, birth year, date of death,
national id, or the grounds of a benefit or of a household's rating
(disability and health detail, income, deprivations). So, anonymously,
a registry member is only its ``person_id`` and ``relation``
(:data:`MEMBER_DETAIL` left out); a history leaves out the fields of
:data:`STATEMENT_DETAIL` and says which (``withheld``); a reconciliation
anomaly found by a death does not give its date (:func:`withhold_deaths`).
Any signed-in officer or inspector sees all of these. The log itself
(``/v1/log/entries``, bundles) is public whole by design (FORMATS §5) and
carries the signed bodies: these views do not add to it by joining them up.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import Response

from api.service import LedgerService
from ledger.application import LedgerApplication
from ledger.errors import VaultKeyMissing
from ledger.formats.vault import SealedRecord, VaultRecord
from projections.model import Snapshot
from projections.reports.entitlements import check_date, snapshot_date, status_book, status_on

FAR_FUTURE = "9999-12-31"
MEMBER_DETAIL = ("sex", "birth_year", "died_on")
# A signed statement's fields that describe a person or a household's circumstances.
STATEMENT_DETAIL: dict[str, tuple[str, ...]] = {
    "person.registered": ("sex", "birth_year"),
    "person.died": ("date",),
    "benefit.proposed": ("basis",),
    "household.status.proposed": ("basis",),
}
DEATH_WITHHELD = "paid after a death; the date is shown to signed-in officers"


@dataclass(frozen=True)
class Read:
    """A snapshot and what it was computed from, as every read states it."""

    snap: Snapshot
    checkpoint: dict[str, Any]
    projection: dict[str, int]

    def meta(self) -> dict[str, Any]:
        return {
            "ledger": {"id": self.snap.ledger_id, "name": self.snap.name},
            "as_of": {"entries": self.snap.as_of, "recorded_at": self.snap.last_recorded_at},
            "checkpoint": self.checkpoint,
            "projection": self.projection,
        }

    def headers(self) -> dict[str, str]:
        return {
            "X-Ansinh-Log-Size": str(self.projection["log_size"]),
            "X-Ansinh-Projection-Behind": str(self.projection["behind"]),
        }

    def stamp(self, response: Response) -> None:
        """Set the headers that say how current the answer is."""
        response.headers.update(self.headers())


def parse_as_of(value: str | None) -> int | str | None:
    """An entry count (digits) or a time (left for the snapshot to parse and refuse).

    A count beyond any log (more than 18 digits) means the whole log, as any
    count past its end does.
    """
    if value is None or value == "":
        return None
    if value.isascii() and value.isdigit():
        return int(value) if len(value) <= 18 else None
    return value


def read_at(service: LedgerService, as_of: str | None) -> Read:
    """The snapshot after ``as_of`` (default: everything), its checkpoint and the lag."""
    snap = service.snapshot(parse_as_of(as_of))
    mlog = service.merkle()
    checkpoint = {
        "tree_size": snap.as_of,
        "root": base64.b64encode(mlog.root(snap.as_of)).decode(),
        "signed": mlog.checkpoint_at(snap.as_of) is not None,
    }
    position, size = service.lag()
    projection = {"position": position, "log_size": size, "behind": max(0, size - position)}
    return Read(snap, checkpoint, projection)


def day_of(snap: Snapshot, on: str | None) -> str:
    """The business date ``on`` (checked), by default the day of the last entry."""
    if on is not None:
        return check_date(on, "on")
    return snapshot_date(snap) or FAR_FUTURE


# -- the vault ----------------------------------------------------------------------------
def vault_records(
    ledger: LedgerApplication, snap: Snapshot, person_ids: Iterable[str]
) -> dict[str, VaultRecord | None]:
    """Each person's vault record as the snapshot commits to it (None: not held, erased)."""
    wanted = {pid: snap.people[pid].pii for pid in person_ids if pid in snap.people}
    if not wanted:
        return {}
    found: dict[str, VaultRecord | None] = dict.fromkeys(wanted)
    sealed_all: list[SealedRecord] = ledger.recorder.vault_all()
    for sealed in sealed_all:
        if sealed.sealed and wanted.get(sealed.person_id) == sealed.commitment:
            found[sealed.person_id] = ledger.vault_key.open(sealed)
    return found


def vault_record(ledger: LedgerApplication, snap: Snapshot, person_id: str) -> VaultRecord | None:
    """One person's record as the snapshot commits to it (None: erased)."""
    commitment = snap.people[person_id].pii
    rows: list[SealedRecord] = ledger.recorder.vault_select(person_id)
    for sealed in rows:
        if sealed.commitment == commitment:
            return ledger.vault_key.open(sealed)
    return None


def vault_field(
    ledger: LedgerApplication, snap: Snapshot, person_ids: Iterable[str], field: str
) -> dict[str, str | None]:
    """One field of each person's record (None when erased or absent).

    A server started without the vault key answers None for everyone rather
    than refusing a public list.
    """
    ids = list(person_ids)
    try:
        records = vault_records(ledger, snap, ids)
    except VaultKeyMissing:
        return dict.fromkeys(ids)
    out: dict[str, str | None] = {}
    for pid in ids:
        record = records.get(pid)
        value = record.record.get(field) if record is not None else None
        out[pid] = value if isinstance(value, str) else None
    return out


def heads(snap: Snapshot) -> dict[str, str]:
    """Each household's head (the first registered with relation ``head``), by household id."""
    found: dict[str, str] = {}
    for person in sorted(snap.people.values(), key=lambda p: p.index):
        if person.relation == "head":
            found.setdefault(person.household_id, person.person_id)
    return found


def unmask_payroll(ledger: LedgerApplication, snap: Snapshot, rows: list[dict[str, Any]]) -> None:
    """Each payroll row's beneficiary name, and who received its payments (vault names)."""
    recipients = {
        r["benefit_id"]: [snap.payments[p].recipient for p in r["payment_ids"]] for r in rows
    }
    people = {r["person_id"] for r in rows if r["person_id"]}
    people |= {p for found in recipients.values() for p in found}
    names = vault_field(ledger, snap, people, "full_name")
    for row in rows:
        row["name"] = names.get(row["person_id"]) if row["person_id"] else None
        row["recipients"] = [
            {"person_id": p, "full_name": names.get(p)}
            for p in dict.fromkeys(recipients[row["benefit_id"]])
        ]


# -- the registry ---------------------------------------------------------------------------
def registry(
    ledger: LedgerApplication,
    snap: Snapshot,
    on: str,
    fields: tuple[str, ...],
    village: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Households with their status on ``on`` and members; ``fields`` from the vault
    and of :data:`MEMBER_DETAIL` (a member is its id and relation, and these).

    ``status`` ``none`` selects households that never had a status approved.
    """
    book = status_book(snap)
    members: dict[str, list[str]] = {}
    for person in sorted(snap.people.values(), key=lambda p: p.index):
        members.setdefault(person.household_id, []).append(person.person_id)
    rows = []
    for household in snap.households.values():
        if village is not None and household.village != village:
            continue
        current = status_on(snap, household.household_id, on, on, book)
        if status is not None and (current or "none") != status:
            continue
        rows.append((household, current))
    rows.sort(key=lambda r: (r[0].village, r[0].code, r[0].household_id))
    shown = [pid for household, _ in rows for pid in members.get(household.household_id, [])]
    vaulted = [f for f in fields if f not in MEMBER_DETAIL]
    records = vault_records(ledger, snap, shown) if vaulted else {}
    out = []
    for household, current in rows:
        people = []
        for pid in members.get(household.household_id, []):
            person = snap.people[pid]
            row: dict[str, Any] = {"person_id": pid, "relation": person.relation}
            record = records.get(pid)
            for field in fields:
                if field in MEMBER_DETAIL:
                    row[field] = getattr(person, field)
                    continue
                value = record.record.get(field) if record is not None else None
                row[field] = value if isinstance(value, str) else None
            people.append(row)
        out.append(
            {
                "household_id": household.household_id,
                "code": household.code,
                "village": household.village,
                "status": current,
                "registered_index": household.index,
                "members": people,
            }
        )
    return out


# -- what anonymous readers are not shown ---------------------------------------------------
def withhold_detail(kind: str, body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A statement's body without the fields of :data:`STATEMENT_DETAIL`, and their names."""
    withheld = [f for f in STATEMENT_DETAIL.get(kind, ()) if f in body]
    if not withheld:
        return body, []
    return {k: v for k, v in body.items() if k not in withheld}, withheld


def withhold_deaths(anomalies: list[dict[str, Any]]) -> None:
    """Anomalies without the date of a death in their detail (``PAID_AFTER_DEATH``)."""
    for anomaly in anomalies:
        if anomaly["code"] == "PAID_AFTER_DEATH":
            anomaly["detail"] = DEATH_WITHHELD
