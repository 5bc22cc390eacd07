"""One hierarchy of ledger errors, each with a stable machine code.

The code is what the API returns in ``{"error": {"code", "message"}}`` and
what the CLI prints on stderr; ``status`` is the HTTP status DESIGN.md
assigns to that kind of refusal. Messages name the offending field.
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every refusal the ledger gives. Never raised directly."""

    code = "LEDGER_ERROR"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


# 400: malformed input ------------------------------------------------------
class MalformedError(LedgerError):
    """The bytes are not a well-formed statement or envelope."""

    code = "MALFORMED"
    status = 400


class InvalidField(MalformedError):
    """A field is missing, unknown, of the wrong type or out of range."""

    code = "INVALID_FIELD"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}", field=field)


class NonCanonicalPayload(MalformedError):
    code = "NON_CANONICAL"


class WrongLedger(MalformedError):
    code = "WRONG_LEDGER"


class VaultRecordMismatch(MalformedError):
    """A personal-data record does not match the commitment it claims."""

    code = "VAULT_MISMATCH"


class VaultKeyMissing(LedgerError):
    code = "VAULT_KEY_MISSING"
    status = 400


# 401: authentication -------------------------------------------------------
class BadSignature(LedgerError):
    code = "BAD_SIGNATURE"
    status = 401


class UnknownKey(LedgerError):
    code = "UNKNOWN_KEY"
    status = 401


class BadPublicKey(LedgerError):
    """A public key that is not a canonical point of prime order."""

    code = "BAD_PUBLIC_KEY"
    status = 400


# 403: authorisation --------------------------------------------------------
class KeyRevoked(LedgerError):
    code = "KEY_REVOKED"
    status = 403


class RoleNotAllowed(LedgerError):
    code = "ROLE_NOT_ALLOWED"
    status = 403


class SelfApproval(LedgerError):
    code = "SELF_APPROVAL"
    status = 403


# 404: references -----------------------------------------------------------
class UnknownEntity(LedgerError):
    code = "UNKNOWN_ENTITY"
    status = 404


# 409: conflicts ------------------------------------------------------------
class Duplicate(LedgerError):
    """An entity id already used (by this or another kind of entity)."""

    code = "DUPLICATE"
    status = 409


class ReplayedNonce(LedgerError):
    code = "REPLAYED_NONCE"
    status = 409


class Busy(LedgerError):
    """Too many concurrent writers: the statement was not recorded; retry."""

    code = "BUSY"
    status = 409


# 422: rule violations ------------------------------------------------------
class RuleViolation(LedgerError):
    """Well-formed and authorised, but not allowed in the entity's state."""

    code = "RULE_VIOLATION"
    status = 422


class AlreadyDecided(RuleViolation):
    code = "ALREADY_DECIDED"


class DatabaseUnreachable(LedgerError):
    """The database server named by ``--db`` cannot be reached or refuses the connection."""

    code = "DB_UNREACHABLE"
    status = 503

    def __init__(self, message: str) -> None:
        super().__init__(f"db: {message}", field="db")


class NotOpened(LedgerError):
    """The database holds no ledger yet (run ``ansinh init``)."""

    code = "NOT_OPENED"
    status = 404


class BatchError(LedgerError):
    """One statement of a batch was refused, so the whole batch was."""

    def __init__(self, position: int, cause: LedgerError) -> None:
        super().__init__(f"batch item {position}: {cause.message}", field=cause.field)
        self.position = position
        self.cause = cause
        self.code = cause.code
        self.status = cause.status


# The transparency log ---------------------------------------------------------
class LogInconsistent(LedgerError):
    """The log disagrees with itself or with a checkpoint: never sign over this."""

    code = "LOG_INCONSISTENT"
    status = 409


class LogTampered(LogInconsistent):
    """The stored log fails verification: the notary refuses to sign, the ledger to write.

    Only a change made behind the ledger's back (in the database itself)
    leads here; the message names the entry or table as ``verify`` would.
    """

    code = "LOG_TAMPERED"
    status = 503


class NoCheckpoint(LedgerError):
    code = "NO_CHECKPOINT"
    status = 404


class WrongNotaryKey(LedgerError):
    code = "WRONG_NOTARY_KEY"
    status = 403
