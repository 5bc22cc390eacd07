"""Every JSON shape the HTTP API reads or answers (pydantic models, shown at ``/docs``).

Every read names what it was computed from: ``as_of`` (entries of the log,
and when the last of them was recorded), ``checkpoint`` (the Merkle root of
the log at that size, and whether the notary signed a checkpoint of exactly
that size) and ``projection`` (how far the read models are behind the log).
Fields holding personal data are left out, not nulled, for callers whose
roles do not allow them (``disclosed`` lists those that are in); a
personal-data field that is there but ``null`` means the vault holds no
record (erased).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from api.http import examples

MAX_SIZE = 2**53 - 1  # integers JSON carries exactly
KEY_ID_PATTERN = r"^[0-9a-f]{64}$"


# -- refusals ---------------------------------------------------------------------------
class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine code, e.g. MALFORMED, BAD_SIGNATURE")
    message: str = Field(description="What was wrong, naming the field or line")


class ErrorResponse(BaseModel):
    """Every refusal: ``{"error": {"code", "message"}}``."""

    error: ErrorDetail


# -- statements --------------------------------------------------------------------------
class Recorded(BaseModel):
    """Where a statement is in the log."""

    index: int = Field(ge=0, description="The entry's index in the log")
    leaf_hash: str = Field(description="hex SHA-256(0x00 || leaf bytes), FORMATS §4")


class RecordedEntry(Recorded):
    created: bool = Field(description="False when the statement was already recorded")


class BatchRecorded(BaseModel):
    """A batch's entries, in the order of its lines."""

    entries: list[RecordedEntry]


# -- the transparency log ----------------------------------------------------------------
class CheckpointOut(BaseModel):
    size: int = Field(description="Tree size: the entries the checkpoint covers")
    root: str = Field(description="base64 Merkle root hash")
    issued_at: str = Field(description="When the notary signed it (UTC)")
    note: str = Field(description="The signed note, with any witnesses' cosignatures")


class InclusionProof(BaseModel):
    index: int
    tree_size: int
    leaf_hash: str = Field(description="base64 SHA-256(0x00 || leaf bytes)")
    proof: list[str] = Field(description="RFC 9162 §2.1.3 inclusion proof, base64 hashes")


class ConsistencyProof(BaseModel):
    first: int
    second: int
    proof: list[str] = Field(description="RFC 9162 §2.1.4 consistency proof, base64 hashes")


class CosignatureIn(BaseModel):
    """A witness's cosignature of a checkpoint the server issued."""

    model_config = ConfigDict(extra="forbid")
    tree_size: int = Field(ge=1, le=MAX_SIZE, description="The checkpoint's tree size")
    cosignature: str = Field(
        min_length=1,
        max_length=1000,
        description="One C2SP tlog-cosignature v1 line: `— <name> base64(keyid4||time||sig)`",
    )
    vkey: str | None = Field(
        default=None,
        max_length=1000,
        description="The witness's verifier key `name+keyid+base64`; checked when given",
    )


class CosignatureOut(BaseModel):
    tree_size: int
    witness: str = Field(description="The key name on the cosignature line")
    verified: bool = Field(
        description="Checked against the vkey given or a registered key; false when neither"
    )
    created: bool = Field(description="False when the note already carried this line")
    note: str = Field(description="The checkpoint note as now stored")


# -- keys and sign-in ----------------------------------------------------------------------
class Holder(BaseModel):
    id: str
    name: str


class KeyOut(BaseModel):
    id: str = Field(description="hex SHA-256 of the public key")
    public_key: str = Field(description="base64 Ed25519 public key")
    holder: Holder
    roles: list[str]
    registered_index: int
    revoked_index: int | None
    revoked_reason: str | None


class ChallengeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key_id: str = Field(pattern=KEY_ID_PATTERN, description="hex SHA-256 of the public key")


class ChallengeOut(BaseModel):
    challenge: str = Field(description="base64 of 32 random bytes")
    expires_at: str = Field(description="UTC; a challenge lives 2 minutes and is used once")
    message: str = Field(description="the exact text to sign (UTF-8), domain-separated")

    model_config = ConfigDict(json_schema_extra={"example": examples.CHALLENGE})


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key_id: str = Field(pattern=KEY_ID_PATTERN)
    challenge: str = Field(min_length=1, max_length=100)
    signature: str = Field(
        min_length=1, max_length=200, description="base64 Ed25519 signature of `message`"
    )


class SessionOut(BaseModel):
    expires_at: str = Field(description="UTC; a token lives 15 minutes, then sign in again")
    key_id: str
    holder: Holder
    roles: list[str]


class TokenOut(SessionOut):
    token: str = Field(description="send as `Authorization: Bearer <token>`")


# -- reads ---------------------------------------------------------------------------------
VND = "đồng; a sum beyond 2^53 - 1 is a decimal string, so no reader rounds it (FORMATS 1.1)"
Vnd = Annotated[int | str, Field(description=VND)]


class LedgerRef(BaseModel):
    id: str = Field(description="the ledger id (log origin)")
    name: str


class AsOf(BaseModel):
    entries: int = Field(description="the first N entries of the log were read")
    recorded_at: str = Field(description="when the last of them was recorded (UTC)")


class CheckpointRef(BaseModel):
    tree_size: int
    root: str = Field(description="base64 Merkle root of the log at tree_size (RFC 9162)")
    signed: bool = Field(description="whether the notary signed a checkpoint of this size")


class ProjectionState(BaseModel):
    position: int = Field(description="entries the read models hold")
    log_size: int = Field(description="entries in the log")
    behind: int = Field(description="log_size - position")


class ReadMeta(BaseModel):
    """What every read was computed from."""

    ledger: LedgerRef
    as_of: AsOf
    checkpoint: CheckpointRef
    projection: ProjectionState


# -- the registry ---------------------------------------------------------------------
class Member(BaseModel):
    person_id: str
    relation: str = Field(description="head | member")
    sex: str | None = Field(default=None, description="f | m | x; only signed in")
    birth_year: int | None = Field(default=None, description="only signed in")
    died_on: str | None = Field(
        default=None, description="date of death, null if none recorded; only signed in"
    )
    full_name: str | None = Field(
        default=None, description="only for registrar, approver, cashier, inspector, admin"
    )
    national_id: str | None = Field(
        default=None, description="only for registrar, approver, inspector, admin"
    )


class RegisteredHousehold(BaseModel):
    household_id: str
    code: str
    village: str
    status: str | None = Field(
        description="approved status in force on `on`: poor | near_poor | "
        "not_poor, or null when none was ever approved"
    )
    registered_index: int = Field(description="the entry that registered the household")
    members: list[Member]


class HouseholdsOut(ReadMeta):
    on: str
    disclosed: list[str] = Field(description="the personal-data fields included, by role")
    households: list[RegisteredHousehold]

    model_config = examples.read(examples.HOUSEHOLDS)


# -- the approved lists ------------------------------------------------------------------
class ListedHousehold(BaseModel):
    village: str
    household_code: str
    household_id: str
    status: str = Field(description="poor | near_poor")
    effective: str = Field(description="the date the status took effect")
    head_name: str | None = Field(description="the head of household's name (vault)")


class Beneficiary(BaseModel):
    program_id: str
    program_code: str
    program_name: str
    category: str
    village: str
    household_code: str
    benefit_id: str
    amount: int = Field(description="đồng (per month for a monthly program)")
    start: str
    end: str | None
    full_name: str | None = Field(
        description="the beneficiary's name (a household benefit: its head's), from the vault"
    )


class BeneficiariesOut(ReadMeta):
    on: str
    households: list[ListedHousehold]
    beneficiaries: list[Beneficiary]

    model_config = examples.read(examples.BENEFICIARIES)


# -- the payroll --------------------------------------------------------------------------
class Recipient(BaseModel):
    person_id: str
    full_name: str | None


class PayrollRow(BaseModel):
    program_id: str
    program_code: str
    program_name: str
    village: str
    household_code: str
    benefit_id: str
    receipt_code: str | None = Field(
        default=None,
        description="the line's lookup code (mã tra cứu), checked at /xac-nhan/{code}",
    )
    due: Vnd
    paid: Vnd
    status: str = Field(description="paid | unpaid | underpaid | overpaid | not_due")
    payment_ids: list[str]
    paid_on: list[str]
    paid_by: list[str] = Field(description="holder ids of the officers who recorded payments")
    person_id: str | None = Field(default=None, description="unmasked sheets only")
    name: str | None = Field(default=None, description="unmasked sheets only (vault)")
    recipients: list[Recipient] | None = Field(default=None, description="unmasked sheets only")


class PayrollTotals(BaseModel):
    due: Vnd
    paid: Vnd
    unpaid: Vnd
    rows: int


class PayrollOut(ReadMeta):
    month: str
    on: str
    masked: bool = Field(description="true: no names, person ids or recipients")
    rows: list[PayrollRow]
    holders: dict[str, str] = Field(description="officer holder id -> name")
    totals: PayrollTotals

    model_config = examples.read(examples.PAYROLL)


# -- the vault and histories --------------------------------------------------------------
class VaultOut(ReadMeta):
    person_id: str
    household_id: str
    commitment: str = Field(description="the `pii` the log holds for this person")
    salt: str = Field(description="base64: with the record, opens the commitment (FORMATS §5)")
    record: dict[str, Any] = Field(description="the personal data: full_name, national_id ...")

    model_config = examples.read(examples.VAULT)
