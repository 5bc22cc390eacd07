"""A Python client for an ansinh server (``ansinh serve``): submit, sign in, read, witness.

:class:`AnsinhClient` speaks the HTTP contract of DESIGN.md "Interfaces"
over one pooled ``httpx`` connection. Statements are signed here, with the
officer's own key, never on the server: :meth:`AnsinhClient.sign_and_submit`
learns the ledger id from the log's first entry (the authority's signed
``ledger.opened``, FORMATS §3), which every opened ledger has, whether or not
a checkpoint was signed yet, and whatever else the server publishes.

A refusal by the server is raised as the :class:`~ledger.errors.LedgerError`
subclass its code names (``UNKNOWN_KEY`` as :class:`~ledger.errors.UnknownKey`,
and so on), which is also a :class:`ClientError` carrying the code, the
message and the HTTP status; codes the ledger does not define (``UNAUTHENTICATED``)
are plain :class:`ClientError`. A server that cannot be reached is
:class:`ServerUnreachable`. The command line prints either as ``CODE: message``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from api.client.errors import ClientError, ServerUnreachable, refusal
from ledger.domain.acceptance import Accepted, Submission
from ledger.errors import InvalidField, LogInconsistent
from ledger.formats.dsse import make_statement, open_envelope, sign_statement
from ledger.formats.keys import KeyPair, decode_public_key
from ledger.formats.vault import VaultRecord
from ledger.formats.versions import V1

DEFAULT_TIMEOUT_S = 60.0
ENTRIES_PAGE = 1000  # the server's limit on one /v1/log/entries call
JSON_LINES = "application/jsonl"

Document = dict[str, Any]


# -- answers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class InclusionProof:
    """``GET /v1/log/proof/inclusion``, decoded."""

    index: int
    tree_size: int
    leaf_hash: bytes
    proof: list[bytes]


def document_of(item: Submission | Document) -> Document:
    """The JSON a submission travels as: its envelope, or ``{"envelope", "vault"}``."""
    if not isinstance(item, Submission):
        return item
    envelope = dict(item.signed.envelope)
    if not item.vault:
        return envelope
    return {"envelope": envelope, "vault": [v.to_json() for v in item.vault]}


def _accepted(answer: Any, created: bool) -> Accepted:
    return Accepted(
        index=int(answer["index"]),
        leaf_hash=str(answer["leaf_hash"]),
        created=bool(answer.get("created", created)),
    )


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


# -- the client ------------------------------------------------------------------------
class AnsinhClient:
    """One server, one connection pool; signs with ``key`` when it has one.

    ``transport`` replaces the network (tests pass FastAPI's ``TestClient``
    transport or an ``httpx.MockTransport``).
    """

    def __init__(
        self,
        url: str,
        *,
        key: KeyPair | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise InvalidField("url", f"{url!r} is not an http:// or https:// address")
        self.url = url.rstrip("/")
        self.key = key
        self.token: str | None = None
        self._opening: dict[str, Any] | None = None
        self._http = httpx.Client(
            base_url=self.url,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"User-Agent": "ansinh-client/1", "Accept": "application/json"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AnsinhClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- the wire ----------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        content_type: str = "application/json",
    ) -> httpx.Response:
        """Send one request; an error answer or a failed connection raises."""
        headers = {}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        if json_body is not None:
            content = orjson.dumps(json_body)
        if content is not None:
            headers["Content-Type"] = content_type
        try:
            response = self._http.request(
                method, path, params=params, content=content, headers=headers
            )
        except httpx.TimeoutException:
            raise ServerUnreachable(f"{self.url}: no answer to {method} {path} in time") from None
        except httpx.TransportError as exc:
            raise ServerUnreachable(
                f"cannot reach {self.url} ({exc}): is `ansinh serve` running there?"
            ) from None
        if response.status_code >= 400:
            raise refusal(response.status_code, response.content)
        return response

    def get_json(self, path: str, **params: Any) -> Any:
        """``GET path`` with the parameters that are not None; the JSON answer."""
        return self.request("GET", path, params=_params(**params)).json()

    # -- writing -----------------------------------------------------------------------
    def submit(self, item: Submission | Document) -> Accepted:
        """Record one statement: a Submission, an envelope, or ``{"envelope", "vault"}``."""
        (accepted,) = self.submit_body(orjson.dumps(document_of(item)), json_lines=False)
        return accepted

    def submit_batch(self, items: Sequence[Submission | Document]) -> list[Accepted]:
        """Record statements in order in one transaction (a JSON-lines body), or none."""
        if not items:
            return []
        body = b"".join(orjson.dumps(document_of(item)) + b"\n" for item in items)
        accepted = self.submit_body(body, json_lines=True)
        if len(accepted) != len(items):
            raise ClientError(
                "BAD_ANSWER", f"sent {len(items)} statements, got {len(accepted)} answers", 502
            )
        return accepted

    def submit_body(self, body: bytes, *, json_lines: bool) -> list[Accepted]:
        """Send a body as it is: one JSON document, or JSON lines (a batch)."""
        response = self.request(
            "POST",
            "/v1/statements",
            content=body,
            content_type=JSON_LINES if json_lines else "application/json",
        )
        answer = response.json()
        if "entries" in answer:
            return [_accepted(e, True) for e in answer["entries"]]
        return [_accepted(answer, response.status_code == 201)]

    def sign(
        self,
        type_: str,
        body: dict[str, Any],
        vault: Sequence[VaultRecord] = (),
        *,
        pii: dict[str, Any] | None = None,
    ) -> Submission:
        """A statement of this ledger signed with the client's key.

        ``pii``: a person's record to keep in the vault; the body then commits
        to it (``body.pii``), as ``ansinh sign --pii`` does.
        """
        key = self._require_key()
        records = list(vault)
        if pii is not None:
            if "person_id" not in body:
                raise InvalidField("pii", "only for a statement with body.person_id")
            record = VaultRecord.new(str(body["person_id"]), pii)
            body = {**body, "pii": record.commitment}
            records.append(record)
        statement = make_statement(self.ledger_id(), type_, body, key.key_id)
        return Submission(open_envelope(sign_statement(statement, key)), tuple(records))

    def sign_and_submit(
        self,
        type_: str,
        body: dict[str, Any],
        vault: Sequence[VaultRecord] = (),
        *,
        pii: dict[str, Any] | None = None,
    ) -> Accepted:
        """Sign a statement here and record it there."""
        return self.submit(self.sign(type_, body, vault, pii=pii))

    # -- signing in ----------------------------------------------------------------------
    def sign_in(self) -> str:
        """Prove we hold the key (challenge, signature, token); later requests carry the token."""
        from api.http.signin import signin_message

        key = self._require_key()
        challenge = self.request("POST", "/v1/auth/challenge", json_body={"key_id": key.key_id})
        asked = challenge.json()
        # Sign only the sign-in text we expect: a server that asked us to sign
        # anything else (a statement's bytes, a checkpoint) would get a signature
        # it could use as ours.
        expected = signin_message(self.ledger_id(), str(asked["challenge"]))
        if asked["message"] != expected:
            raise ClientError(
                "UNSAFE_CHALLENGE",
                f"message: not the sign-in text for {self.ledger_id()}; refusing to sign it",
                502,
            )
        signature = key.sign(expected.encode("utf-8"))
        answer = {
            "key_id": key.key_id,
            "challenge": asked["challenge"],
            "signature": base64.b64encode(signature).decode(),
        }
        token = str(self.request("POST", "/v1/auth/token", json_body=answer).json()["token"])
        self.token = token
        return token

    def me(self) -> Any:
        """Who the token stands for: key, holder, roles, when it expires."""
        return self.get_json("/v1/auth/me")

    def sign_out(self) -> None:
        """End the session on the server and forget the token (later reads are the public's)."""
        if self.token is not None:
            try:
                self.request("DELETE", "/v1/auth/token")
            finally:
                self.token = None

    def _require_key(self) -> KeyPair:
        if self.key is None:
            raise InvalidField("key", "this needs the officer's key: AnsinhClient(url, key=...)")
        return self.key

    # -- reads: each takes on=YYYY-MM-DD and as_of=N|TIME, and the route's own filters ----
    def households(self, **params: Any) -> Any:
        """The registry (``village``, ``status``); names once signed in as an officer."""
        return self.get_json("/v1/households", **params)

    def beneficiaries(self, **params: Any) -> Any:
        """The approved lists (``village``, ``program``), public as the law allows."""
        return self.get_json("/v1/beneficiaries", **params)

    def payroll(self, month: str, **params: Any) -> Any:
        """A month's payroll: due and paid (masked unless signed in as cashier or inspector)."""
        return self.get_json("/v1/payroll", month=month, **params)

    def reconciliation(self, from_: str, to: str, **params: Any) -> Any:
        """Entitled, paid, funds and anomalies per program, months ``from_`` to ``to``."""
        return self.get_json("/v1/reports/reconciliation", **{"from": from_, "to": to, **params})

    def vault(self, person_id: str, **params: Any) -> Any:
        """A person's personal-data record (signed in as registrar, approver or inspector)."""
        return self.get_json(f"/v1/vault/{person_id}", **params)

    def history(self, entity_id: str, **params: Any) -> Any:
        """Every statement naming an entity (household, person, benefit, payment, key)."""
        return self.get_json(f"/v1/entities/{entity_id}/history", **params)

    def keys(self) -> Any:
        """Officers' keys: holder, roles, when registered and revoked."""
        return self.get_json("/v1/keys")

    def health(self) -> Any:
        """``/healthz``: the log's size and how far the read models are behind it."""
        return self.get_json("/healthz")

    # -- the log -------------------------------------------------------------------------
    def checkpoint(self) -> str:
        """The newest signed checkpoint (a C2SP note, with any cosignatures)."""
        return self.request("GET", "/v1/log/checkpoint").text

    def size(self) -> int:
        """Entries in the log now."""
        return int(self.health()["log_size"])

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Leaf bytes of entries ``start <= index < end`` (default: to the end), page by page."""
        end = self.size() if end is None else end
        position = start
        while position < end:
            stop = min(end, position + ENTRIES_PAGE)
            response = self.request(
                "GET", "/v1/log/entries", params={"start": position, "end": stop}
            )
            lines = [line for line in response.content.split(b"\n") if line.strip()]
            if not lines:
                raise ClientError("BAD_ANSWER", f"no entries from index {position}", 502)
            yield from lines
            position += len(lines)

    def opening(self) -> dict[str, Any]:
        """The ledger's first statement (``ledger.opened``), its authority signature checked."""
        if self._opening is None:
            first = next(self.entries(0, 1))
            # Recorded: it met the rules of its time (a v1 ledger's may not meet 1.1's).
            signed = open_envelope(json.loads(first)["envelope"], formats=V1)
            authority = signed.body.get("authority_key", {})
            if signed.type != "ledger.opened" or signed.by != authority.get("id"):
                raise LogInconsistent("entry 0 is not a ledger.opened signed by its authority")
            signed.verify(decode_public_key(authority.get("public_key"), "authority_key"))
            self._opening = signed.statement
        return self._opening

    def ledger_id(self) -> str:
        """The ledger's id (its log's origin), from its opening statement."""
        return str(self.opening()["ledger"])

    def inclusion_proof(self, index: int, tree_size: int) -> InclusionProof:
        """RFC 9162 proof that entry ``index`` is in the tree of ``tree_size`` entries."""
        answer = self.get_json("/v1/log/proof/inclusion", index=index, tree_size=tree_size)
        return InclusionProof(
            int(answer["index"]),
            int(answer["tree_size"]),
            _b64(answer["leaf_hash"]),
            [_b64(p) for p in answer["proof"]],
        )

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """RFC 9162 proof that the tree of ``first`` entries is a prefix of ``second``'s."""
        answer = self.get_json("/v1/log/proof/consistency", first=first, second=second)
        return [_b64(p) for p in answer["proof"]]

    def add_cosignature(self, tree_size: int, line: str, vkey: str | None = None) -> Any:
        """Give the server a witness's cosignature line for its checkpoint of ``tree_size``."""
        body: dict[str, Any] = {"tree_size": tree_size, "cosignature": line}
        if vkey is not None:
            body["vkey"] = vkey
        return self.request("POST", "/v1/log/cosignatures", json_body=body).json()


def _b64(text: Any) -> bytes:
    return base64.b64decode(str(text))


class HttpLogSource:
    """A log read from a server, for :func:`ledger.tlog.witness.cosign_latest`.

    The origin and notary key come from the ledger's signed opening statement;
    the witness pins them the first time and refuses a server that changes them.
    """

    def __init__(self, client: AnsinhClient, vkey: str | None = None) -> None:
        self.client = client
        self.vkey = vkey

    def latest_checkpoint(self) -> str:
        return self.client.checkpoint()

    def notary_public_key(self) -> bytes:
        notary = self.client.opening()["body"]["notary_key"]
        return decode_public_key(notary["public_key"], "notary_key")

    def origin(self) -> str:
        return self.client.ledger_id()

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return self.client.consistency_proof(first, second)

    def add_cosignature(self, size: int, line: str) -> None:
        self.client.add_cosignature(size, line, self.vkey)
