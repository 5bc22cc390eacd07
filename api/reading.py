"""What every reader computes, apart from how it answers: the CLI's reports, the
HTTP reads and the public pages all read the ledger here.

:func:`read_at` takes ``as_of`` (an entry count, or an ISO 8601 time; read by
:func:`projections.query.resolve_as_of`, the one reading of it) and returns
the snapshot with what it was computed from: its checkpoint (the Merkle root
of the log at that size, and whether the notary signed a checkpoint of
exactly that size) and how far the read models are behind the log. A served
ledger keeps its recent snapshots (:class:`api.service.LedgerService`); a
command reads its ledger once (:class:`Direct`).

Personal data comes from the vault record that the snapshot's commitment
names: a report as of N entries names people as the ledger knew them then,
so an inspector who draws it again later, by whatever means, reads the same
names. It is read for many people in one query; a person whose record was
erased has none. The reports (reconciliation, the approved lists, the
payroll) are assembled here, once, for whoever serves them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ledger.application import LedgerApplication
from ledger.errors import VaultKeyMissing
from ledger.formats.vault import SealedRecord, VaultRecord
from ledger.tlog.merkle_log import MerkleLog
from projections import query
from projections.model import Person, Snapshot
from projections.reports import codes as entity_codes
from projections.reports.agents import TYPES as AGENT_TYPES
from projections.reports.basis import basis
from projections.reports.duplicates import Pair, suspected_pairs
from projections.reports.entitlements import check_date, snapshot_date, status_book, status_on
from projections.reports.lists import lists
from projections.reports.payroll import payroll
from projections.reports.reconciliation import reconcile
from projections.reports.reviews import TYPES as REVIEW_TYPES
from projections.reports.reviews import ReviewLog, review_log

FAR_FUTURE = "9999-12-31"
MEMBER_DETAIL = ("sex", "birth_year", "died_on")  # a member's fields kept in the log, not the vault


class Source(Protocol):
    """Where reads come from: a served ledger (snapshots kept) or one opened for a command."""

    @property
    def ledger(self) -> LedgerApplication: ...

    def snapshot(self, end: int) -> Snapshot: ...

    def merkle(self) -> MerkleLog: ...

    def lag(self) -> tuple[int, int]: ...


@dataclass(frozen=True)
class Direct:
    """A ledger read as it is, nothing kept: what one command reads."""

    ledger: LedgerApplication

    def snapshot(self, end: int) -> Snapshot:
        return query.snapshot(self.ledger, end)

    def merkle(self) -> MerkleLog:
        mlog = MerkleLog(self.ledger)
        mlog.catch_up()
        return mlog

    def lag(self) -> tuple[int, int]:
        return query.projection_lag(self.ledger)


@dataclass(frozen=True)
class Read:
    """A snapshot, the ledger it was read from, and what it was computed from."""

    ledger: LedgerApplication
    snap: Snapshot
    checkpoint: dict[str, Any]
    projection: dict[str, int]

    def meta(self) -> dict[str, Any]:
        return basis(self.snap, self.checkpoint) | {"projection": self.projection}

    def headers(self) -> dict[str, str]:
        return {
            "X-Ansinh-Log-Size": str(self.projection["log_size"]),
            "X-Ansinh-Projection-Behind": str(self.projection["behind"]),
        }


def read_at(source: Source, as_of: str | int | None) -> Read:
    """The snapshot after ``as_of`` (default: everything), its checkpoint and the lag.

    An ``as_of`` that names no point of the log is refused,
    ``InvalidField("as_of")``.
    """
    snap = source.snapshot(query.resolve_as_of(source.ledger, as_of))
    position, size = source.lag()
    projection = {"position": position, "log_size": size, "behind": max(0, size - position)}
    return Read(source.ledger, snap, checkpoint_of(source.merkle(), snap.as_of), projection)


def checkpoint_of(mlog: MerkleLog, size: int) -> dict[str, Any]:
    """The Merkle root at ``size`` (base64), and whether a checkpoint of that size is signed."""
    return {
        "tree_size": size,
        "root": base64.b64encode(mlog.root(size)).decode(),
        "signed": is_signed(mlog, size),
    }


def is_signed(mlog: MerkleLog, size: int) -> bool:
    """Whether the notary signed a checkpoint of exactly ``size`` entries."""
    return mlog.checkpoint_at(size) is not None


def day_of(snap: Snapshot, on: str | None) -> str:
    """The business date ``on`` (checked), by default the end of the period the
    ledger covers (:func:`~projections.reports.entitlements.snapshot_date`)."""
    if on is not None:
        return check_date(on, "on")
    return snapshot_date(snap) or FAR_FUTURE


# -- the vault ----------------------------------------------------------------------------
def vault_records(read: Read, person_ids: Iterable[str]) -> dict[str, VaultRecord | None]:
    """Each person's vault record as the snapshot commits to it (None: not held, erased)."""
    snap, ledger = read.snap, read.ledger
    wanted = {pid: snap.people[pid].pii for pid in person_ids if pid in snap.people}
    if not wanted:
        return {}
    found: dict[str, VaultRecord | None] = dict.fromkeys(wanted)
    recorder = ledger.recorder
    one = next(iter(wanted)) if len(wanted) == 1 else None  # one person: their rows only
    stored: list[SealedRecord] = recorder.vault_select(one) if one else recorder.vault_all()
    for sealed in stored:
        if sealed.sealed and wanted.get(sealed.person_id) == sealed.commitment:
            found[sealed.person_id] = ledger.vault_key.open(sealed)
    return found


def vault_record(read: Read, person_id: str) -> VaultRecord | None:
    """One person's record as the snapshot commits to it (None: erased)."""
    return vault_records(read, [person_id]).get(person_id)


def field_of(record: VaultRecord | None, field: str) -> str | None:
    """One text field of a record; None when erased, absent or empty."""
    value = record.record.get(field) if record is not None else None
    return value if isinstance(value, str) and value else None


def vault_field(read: Read, person_ids: Iterable[str], field: str) -> dict[str, str | None]:
    """One field of each person's record (None when erased or absent).

    A server started without the vault key answers None for everyone rather
    than refusing a public list.
    """
    ids = list(person_ids)
    try:
        records = vault_records(read, ids)
    except VaultKeyMissing:
        return dict.fromkeys(ids)
    return {pid: field_of(records.get(pid), field) for pid in ids}


def heads(snap: Snapshot, on: str) -> dict[str, Person]:
    """Each household's head on ``on``: the first registered as ``head`` not dead by then."""
    found: dict[str, Person] = {}
    for person in sorted(snap.people.values(), key=lambda p: p.index):
        if person.relation != "head" or (person.died_on is not None and person.died_on <= on):
            continue
        found.setdefault(person.household_id, person)
    return found


# -- the reports --------------------------------------------------------------------------
def approved_lists(read: Read, on: str | None, *, named: bool) -> dict[str, Any]:
    """The approved lists of ``on``; ``named``: with names from the vault.

    Named, each listed household carries its head's name (``head_name``) and
    each beneficiary row the beneficiary's (``full_name``; of a household
    benefit, its head's).
    """
    doc = lists(read.snap, on, read.checkpoint)
    if not named:
        return doc
    return name_lists(read.snap, doc, lambda people: vault_field(read, people, "full_name"))


Names = Callable[[set[str]], dict[str, str | None]]
"""Each person's full name (None: withheld), for a set of person ids."""


def name_lists(snap: Snapshot, doc: dict[str, Any], names_of: Names) -> dict[str, Any]:
    """Put the names in the approved lists ``doc``: what :func:`approved_lists` does with
    the vault, whatever the names come from (a bundle's vault records, say)."""
    head_of = {hid: p.person_id for hid, p in heads(snap, doc["on"]).items()}
    person_of: dict[str, str | None] = {}
    for row in doc["beneficiaries"]:
        benefit = snap.benefits[row["benefit_id"]]
        person_of[row["benefit_id"]] = benefit.person_id or head_of.get(benefit.household_id or "")
    for row in doc["households"]:
        person_of[row["household_id"]] = head_of.get(row["household_id"])
    names = names_of({p for p in person_of.values() if p})
    for row in doc["households"]:
        row["head_name"] = names.get(person_of[row["household_id"]] or "")
    for row in doc["beneficiaries"]:
        row["full_name"] = names.get(person_of[row["benefit_id"]] or "")
    return doc


def payroll_sheet(read: Read, month: str, on: str | None, *, named: bool) -> dict[str, Any]:
    """The payroll of ``month``; ``named``: each row's beneficiary name and who received
    its payments (``recipients``), from the vault."""
    snap = read.snap
    doc = payroll(snap, month, on, checkpoint=read.checkpoint)
    if not named:
        return doc
    rows = doc["rows"]
    recipients = {
        r["benefit_id"]: [snap.payments[p].recipient for p in r["payment_ids"]] for r in rows
    }
    people = {r["person_id"] for r in rows if r["person_id"]}
    people |= {p for found in recipients.values() for p in found}
    names = vault_field(read, people, "full_name")
    for row in rows:
        row["name"] = names.get(row["person_id"]) if row["person_id"] else None
        row["recipients"] = [
            {"person_id": p, "full_name": names.get(p)}
            for p in dict.fromkeys(recipients[row["benefit_id"]])
        ]
    return doc


def reconciliation(
    read: Read, first: str, last: str, on: str | None, *, identities: bool, named: bool = False
) -> dict[str, Any]:
    """Đối soát of ``first..last``; ``identities``: duplicate national ids looked for too;
    ``named``: each finding with the ``name`` of the person it names (of a finding about a
    household, its head's), from the vault."""
    found: dict[str, str] | None = None
    names_of: dict[str, str] | None = None
    reviews: dict[Pair, str] = {}
    if identities:
        ids = vault_field(read, read.snap.people, "national_id")
        found = {pid: value for pid, value in ids.items() if value}
        full_names = vault_field(read, read.snap.people, "full_name")
        names_of = {pid: value for pid, value in full_names.items() if value}
        reviews = identity_reviews(read, suspected_pairs(read.snap, found, names_of))
    cases = query.grievance_cases(read.ledger, read.snap.as_of)  # FORMATS 1.3 (11.5)
    rounds = review_rounds(read)  # FORMATS 1.3 (11.4)
    sendings = query.of_types(read.ledger, AGENT_TYPES, read.snap.as_of)  # FORMATS 1.3 (11.3)
    args = (read.snap, first, last, on, found, read.checkpoint, names_of, reviews)
    doc = reconcile(*args, cases=cases, rounds=rounds, sendings=sendings)
    if named:
        snap = read.snap
        head_of = {
            hid: p.person_id for hid, p in heads(snap, doc["period"]["on"] or FAR_FUTURE).items()
        }
        person_of = {
            a["finding_id"]: a.get("person_id") or head_of.get(a.get("household_id", ""))
            for a in doc["anomalies"]
        }
        names = vault_field(read, {p for p in person_of.values() if p}, "full_name")
        for a in doc["anomalies"]:
            person = person_of[a["finding_id"]]
            if person is not None:
                a["name"] = names.get(person)
    return doc


def review_rounds(read: Read) -> ReviewLog:
    """The poverty review rounds recorded within the snapshot (FORMATS 1.3, 11.4)."""
    return review_log(query.entries_of(read.ledger, REVIEW_TYPES, read.snap.as_of))


def identity_reviews(read: Read, pairs: Iterable[Pair]) -> dict[Pair, str]:
    """The outcome of each pair's ``identity.reviewed`` recorded within the snapshot (FORMATS 1.2).

    A review's id is the pair's (``LedgerApplication.identity_review``), so only
    the suspected pairs are looked up, never the whole log.
    """
    out = {}
    for first, second in pairs:
        review = read.ledger.identity_review(first, second)
        if review is not None and review.created_index < read.snap.as_of:
            out[(first, second)] = review.outcome
    return out


# -- entities by code ----------------------------------------------------------------------
def entity_of(read: Read, argument: str, *, national_ids: bool) -> tuple[str, str] | None:
    """``(kind, id)`` of the household or person a code names (:mod:`projections.reports.codes`:
    ``CE-10-001``, ``CE-10-001/2``); ``national_ids``: a national id (CCCD) too, read in the
    vault (none found without its key). None when nothing matches."""
    found = entity_codes.resolve(read.snap, argument)
    if found is not None or not national_ids or not argument.strip():
        return found
    ids = vault_field(read, read.snap.people, "national_id")
    holders = sorted(
        (read.snap.people[pid].index, pid) for pid, value in ids.items() if value == argument
    )
    return ("person", holders[0][1]) if holders else None


def code_history(read: Read, kind: str, entity_id: str) -> list[query.HistoryItem]:
    """The statements about what a code names (:func:`projections.reports.codes.belonging`),
    in log order, each once, up to the read's size."""
    found: dict[int, query.HistoryItem] = {}
    for one in entity_codes.belonging(read.snap, kind, entity_id):
        for item in query.history(read.ledger, one):
            if item[0] < read.snap.as_of:
                found.setdefault(item[0], item)
    return [found[index] for index in sorted(found)]


def household_members(read: Read, household_id: str) -> list[dict[str, Any]]:
    """A household's people as of the read: id, code, relation, whether they died."""
    codes = entity_codes.person_codes(read.snap)
    return [
        {
            "person_id": p.person_id,
            "person_code": codes.get(p.person_id),
            "relation": p.relation,
            "died": p.died_on is not None,
        }
        for p in entity_codes.members(read.snap, household_id)
    ]


# -- the registry ---------------------------------------------------------------------------
def registry(
    read: Read,
    on: str,
    fields: tuple[str, ...],
    village: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Households with their status on ``on`` and members; ``fields`` from the vault
    and of :data:`MEMBER_DETAIL` (a member is its id and relation, and these).

    ``status`` ``none`` selects households that never had a status approved.
    """
    snap = read.snap
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
    records = vault_records(read, shown) if vaulted else {}
    out = []
    for household, current in rows:
        people = []
        for pid in members.get(household.household_id, []):
            person = snap.people[pid]
            row: dict[str, Any] = {"person_id": pid, "relation": person.relation}
            for field in fields:
                if field in MEMBER_DETAIL:
                    row[field] = getattr(person, field)
                else:
                    row[field] = field_of(records.get(pid), field)
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
