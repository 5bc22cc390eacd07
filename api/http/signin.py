"""Sign-in state: challenges to sign, bearer tokens, and the keyring read afresh.

See :mod:`api.http.auth` for the flow and who sees what. This module holds the
mechanics: the domain-separated message an officer signs, the single-use
challenges (2 minutes, bound to one key), the tokens (15 minutes), both
random, kept by their SHA-256 in the ledger's database
(:mod:`api.http.signin_store`, bounded), and the check, on every use, that the
key is still registered and not revoked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import HTTPException

from api.http.signin_store import SignInStore
from ledger.application import LedgerApplication
from ledger.domain.charter import CHARTER_ID, Charter, KeyRecord
from ledger.errors import BadSignature, InvalidField, KeyRevoked, LedgerError, UnknownKey
from ledger.formats.keys import SIGNATURE_BYTES, verify_signature

SIGNIN_PREFIX = "ansinh signin v1"
CHALLENGE_BYTES = 32
TOKEN_BYTES = 32
CHALLENGE_TTL = timedelta(minutes=2)
TOKEN_TTL = timedelta(minutes=15)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """A time as the API writes it: UTC, seconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signin_message(ledger_id: str, challenge: str) -> str:
    """The exact text an officer signs to sign in (why this text: :mod:`api.http.auth`)."""
    return f"{SIGNIN_PREFIX}\n{ledger_id}\n{challenge}\n"


class BadChallenge(LedgerError):
    """A challenge never issued, already used, issued to another key, or expired."""

    code = "BAD_CHALLENGE"
    status = 401


@dataclass(frozen=True)
class Officer:
    """Whoever a bearer token stands for, with the roles their key holds now."""

    key_id: str
    holder_id: str
    holder_name: str
    roles: frozenset[str]
    expires_at: datetime

    def may(self, allowed: frozenset[str]) -> bool:
        """Whether one of the officer's roles is among ``allowed``."""
        return not self.roles.isdisjoint(allowed)


def current_key(ledger: LedgerApplication, key_id: str) -> KeyRecord:
    """The key as the ledger holds it now: registered, and not revoked.

    The application caches its keyring and does not see keys registered or
    revoked by another writer (another server process, the CLI), so the
    charter's newer events, if any, are applied to a copy first.
    """
    charter: Charter = ledger.charter()  # a copy of the cached one: ours to bring up to date
    for event in ledger.events.get(CHARTER_ID, gt=charter.version):
        event.mutate(charter)  # type: ignore[attr-defined]
    record = charter.keys.get(key_id)
    if record is None:
        raise UnknownKey(f"key_id: {key_id} is not registered in this ledger", field="key_id")
    if record.revoked:
        raise KeyRevoked(
            f"key_id: {key_id} was revoked at entry {record.revoked_index}", field="key_id"
        )
    return record


def unauthenticated(code: str, message: str) -> HTTPException:
    return HTTPException(
        401, detail={"code": code, "message": message}, headers={"WWW-Authenticate": "Bearer"}
    )


class SignIn:
    """Pending challenges and live sessions, kept in the ledger's database.

    ``store`` holds them (:mod:`api.http.signin_store`: a restart signs no one
    out); ``clock`` is injectable so tests can let challenges and tokens
    expire. Challenges and tokens are stored by their SHA-256 only.
    """

    def __init__(
        self,
        store: SignInStore,
        clock: Clock = utc_now,
        *,
        challenge_ttl: timedelta = CHALLENGE_TTL,
        token_ttl: timedelta = TOKEN_TTL,
    ) -> None:
        self.store = store
        self.clock = clock
        self.challenge_ttl, self.token_ttl = challenge_ttl, token_ttl

    def challenge(
        self, ledger: LedgerApplication, key_id: str, client: str
    ) -> tuple[str, datetime, str]:
        """A new challenge for ``key_id``, asked for from ``client`` (an address):
        (challenge, expires_at, message to sign)."""
        current_key(ledger, key_id)
        challenge = base64.b64encode(secrets.token_bytes(CHALLENGE_BYTES)).decode()
        now = self.clock()
        expires_at = now + self.challenge_ttl
        self.store.add_challenge(
            _digest(challenge), key_id, client, _microseconds(expires_at), _microseconds(now)
        )
        return challenge, expires_at, signin_message(ledger.charter().ledger_id, challenge)

    def token(
        self, ledger: LedgerApplication, key_id: str, challenge: str, signature: str
    ) -> tuple[str, Officer]:
        """A bearer token for the holder of ``key_id``, who signed ``challenge``'s message."""
        now = self.clock()
        issued = self.store.take_challenge(_digest(challenge))  # used up, whatever follows
        if issued is None:
            raise BadChallenge(
                "challenge: not issued by this server, or already used", field="challenge"
            )
        issued_to, expires_at = issued[0], _moment(issued[1])
        if issued_to != key_id:
            raise BadChallenge("challenge: issued to another key", field="challenge")
        if now >= expires_at:
            raise BadChallenge(
                f"challenge: expired at {iso(expires_at)}; ask for a new one", field="challenge"
            )
        record = current_key(ledger, key_id)
        message = signin_message(ledger.charter().ledger_id, challenge).encode()
        try:
            verify_signature(
                base64.b64decode(record.public_key), message, _signature_bytes(signature)
            )
        except BadSignature:
            raise BadSignature(
                "signature: does not verify over the challenge's message with this key",
                field="signature",
            ) from None
        token = secrets.token_urlsafe(TOKEN_BYTES)
        until = now + self.token_ttl
        self.store.add_session(_digest(token), key_id, _microseconds(now), _microseconds(until))
        return token, Officer(
            key_id, record.holder_id, record.holder_name, frozenset(record.roles), until
        )

    def officer(self, ledger: LedgerApplication, token: str) -> Officer:
        """Who ``token`` stands for now; 401 when unknown or expired, 403 when revoked."""
        now = self.clock()
        found = self.store.session(_digest(token))
        if found is None:
            raise unauthenticated("INVALID_TOKEN", "Authorization: unknown or signed-out token")
        key_id, expires_at = found[0], _moment(found[1])
        if now >= expires_at:
            self.sign_out(token)
            raise unauthenticated(
                "TOKEN_EXPIRED", f"Authorization: token expired at {iso(expires_at)}"
            )
        try:
            record = current_key(ledger, key_id)
        except LedgerError:
            self.sign_out(token)
            raise
        return Officer(
            key_id, record.holder_id, record.holder_name, frozenset(record.roles), expires_at
        )

    def sign_out(self, token: str) -> bool:
        return self.store.drop_session(_digest(token))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _microseconds(moment: datetime) -> int:
    """A time as the store keeps it: microseconds since 1970-01-01 UTC."""
    return (moment - _EPOCH) // _MICROSECOND


def _moment(microseconds: int) -> datetime:
    return _EPOCH + timedelta(microseconds=microseconds)


def _digest(text: str) -> bytes:
    """What the store keeps of a challenge or token: its SHA-256."""
    return hashlib.sha256(text.encode()).digest()


def _signature_bytes(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidField("signature", "must be base64 (standard alphabet, padded)") from None
    if len(raw) != SIGNATURE_BYTES:
        raise InvalidField("signature", f"must be {SIGNATURE_BYTES} bytes (an Ed25519 signature)")
    return raw
