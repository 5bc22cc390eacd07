"""Sign-in state: challenges to sign, bearer tokens, and the keyring read afresh.

See :mod:`api.auth` for the flow and who sees what. This module holds the
mechanics: the domain-separated message an officer signs, the single-use
challenges (2 minutes, bound to one key), the tokens (15 minutes), both
random, in memory and bounded, and the check, on every use, that the key is
still registered and not revoked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import HTTPException

from ledger.application import LedgerApplication
from ledger.domain.charter import CHARTER_ID, Charter, KeyRecord
from ledger.errors import BadSignature, InvalidField, KeyRevoked, LedgerError, UnknownKey
from ledger.keys import SIGNATURE_BYTES, verify_signature

SIGNIN_PREFIX = "ansinh signin v1"
CHALLENGE_BYTES = 32
TOKEN_BYTES = 32
CHALLENGE_TTL = timedelta(minutes=2)
TOKEN_TTL = timedelta(minutes=15)
MAX_CHALLENGES = 10_000
MAX_CHALLENGES_PER_KEY = 16
MAX_TOKENS = 10_000

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """A time as the API writes it: UTC, seconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signin_message(ledger_id: str, challenge: str) -> str:
    """The exact text an officer signs to sign in (why this text: :mod:`api.auth`)."""
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


@dataclass(frozen=True)
class _Challenge:
    key_id: str
    expires_at: datetime


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
    """Outstanding challenges and live tokens, in memory, bounded; thread-safe.

    ``clock`` is injectable so tests can let challenges and tokens expire.
    Tokens are held by their SHA-256, so a lookup's timing says nothing of
    the token.
    """

    def __init__(
        self,
        clock: Clock = utc_now,
        *,
        challenge_ttl: timedelta = CHALLENGE_TTL,
        token_ttl: timedelta = TOKEN_TTL,
        max_challenges: int = MAX_CHALLENGES,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        assert max_challenges > 0 and max_tokens > 0
        self.clock = clock
        self.challenge_ttl, self.token_ttl = challenge_ttl, token_ttl
        self.max_challenges, self.max_tokens = max_challenges, max_tokens
        self._challenges: OrderedDict[str, _Challenge] = OrderedDict()
        self._tokens: OrderedDict[str, Officer] = OrderedDict()
        self._lock = threading.Lock()

    def challenge(self, ledger: LedgerApplication, key_id: str) -> tuple[str, datetime, str]:
        """A new challenge for ``key_id``: (challenge, expires_at, message to sign)."""
        current_key(ledger, key_id)
        challenge = base64.b64encode(secrets.token_bytes(CHALLENGE_BYTES)).decode()
        now = self.clock()
        expires_at = now + self.challenge_ttl
        with self._lock:
            _drop_expired(self._challenges, now)
            mine = [c for c, v in self._challenges.items() if v.key_id == key_id]
            for old in mine[: max(0, len(mine) - MAX_CHALLENGES_PER_KEY + 1)]:
                del self._challenges[old]
            while len(self._challenges) >= self.max_challenges:
                self._challenges.popitem(last=False)
            self._challenges[challenge] = _Challenge(key_id, expires_at)
        return challenge, expires_at, signin_message(ledger.charter().ledger_id, challenge)

    def token(
        self, ledger: LedgerApplication, key_id: str, challenge: str, signature: str
    ) -> tuple[str, Officer]:
        """A bearer token for the holder of ``key_id``, who signed ``challenge``'s message."""
        now = self.clock()
        with self._lock:
            issued = self._challenges.pop(challenge, None)  # used up, whatever follows
        if issued is None:
            raise BadChallenge(
                "challenge: not issued by this server, or already used", field="challenge"
            )
        if issued.key_id != key_id:
            raise BadChallenge("challenge: issued to another key", field="challenge")
        if now >= issued.expires_at:
            raise BadChallenge(
                f"challenge: expired at {iso(issued.expires_at)}; ask for a new one",
                field="challenge",
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
        officer = Officer(
            key_id,
            record.holder_id,
            record.holder_name,
            frozenset(record.roles),
            now + self.token_ttl,
        )
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._lock:
            _drop_expired(self._tokens, now)
            while len(self._tokens) >= self.max_tokens:
                self._tokens.popitem(last=False)
            self._tokens[_digest(token)] = officer
        return token, officer

    def officer(self, ledger: LedgerApplication, token: str) -> Officer:
        """Who ``token`` stands for now; 401 when unknown or expired, 403 when revoked."""
        now = self.clock()
        digest = _digest(token)
        with self._lock:
            officer = self._tokens.get(digest)
        if officer is None:
            raise unauthenticated("INVALID_TOKEN", "Authorization: unknown or signed-out token")
        if now >= officer.expires_at:
            self.sign_out(token)
            raise unauthenticated(
                "TOKEN_EXPIRED", f"Authorization: token expired at {iso(officer.expires_at)}"
            )
        try:
            record = current_key(ledger, officer.key_id)
        except LedgerError:
            self.sign_out(token)
            raise
        return Officer(
            officer.key_id,
            record.holder_id,
            record.holder_name,
            frozenset(record.roles),
            officer.expires_at,
        )

    def sign_out(self, token: str) -> bool:
        with self._lock:
            return self._tokens.pop(_digest(token), None) is not None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _drop_expired(items: OrderedDict[str, Any], now: datetime) -> None:
    for key in [k for k, v in items.items() if now >= v.expires_at]:
        del items[key]


def _signature_bytes(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidField("signature", "must be base64 (standard alphabet, padded)") from None
    if len(raw) != SIGNATURE_BYTES:
        raise InvalidField("signature", f"must be {SIGNATURE_BYTES} bytes (an Ed25519 signature)")
    return raw
