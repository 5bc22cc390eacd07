"""How an ansinh server's refusals reach a client: as the ledger's own errors.

An error answer ``{"error": {"code", "message"}}`` is raised as the
:class:`~ledger.errors.LedgerError` subclass its code names, made also a
:class:`ClientError` (code, message, HTTP status); codes the ledger does not
define are plain :class:`ClientError`; a server that does not answer is
:class:`ServerUnreachable`.
"""

from __future__ import annotations

import json

from ledger.errors import BatchError, InvalidField, LedgerError


class ClientError(LedgerError):
    """A refusal the server answered with ``{"error": {"code", "message"}}``."""

    code = "CLIENT_ERROR"

    def __init__(self, code: str, message: str, status: int) -> None:
        LedgerError.__init__(self, message)
        self.code = code
        self.status = status
        if code == InvalidField.code and ": " in message:
            self.field = message.split(": ", 1)[0]


class ServerUnreachable(ClientError):
    """No answer: the server is down, the address wrong, or the network slow."""

    def __init__(self, message: str) -> None:
        super().__init__("UNREACHABLE", message, 503)


def _ledger_errors() -> dict[str, type[LedgerError]]:
    """Every LedgerError subclass by its code, the most general first (breadth first)."""
    found: dict[str, type[LedgerError]] = {}
    queue: list[type[LedgerError]] = [LedgerError]
    while queue:
        cls = queue.pop(0)
        queue.extend(cls.__subclasses__())
        code = cls.__dict__.get("code")
        if (
            isinstance(code, str)
            and code not in found
            and not issubclass(cls, (ClientError, BatchError))
            and cls is not LedgerError
        ):
            found[code] = cls
    return found


_REMOTE: dict[str, type[ClientError]] = {}


def _remote(cls: type[LedgerError]) -> type[ClientError]:
    """``cls`` as the server reported it: both ``cls`` and a :class:`ClientError`."""
    key = f"{cls.__module__}.{cls.__qualname__}"
    if key not in _REMOTE:
        _REMOTE[key] = type(cls.__name__, (ClientError, cls), {"__module__": __name__})
    return _REMOTE[key]


def refusal(status: int, content: bytes) -> ClientError:
    """The exception for an error answer (any body: JSON as the contract says, or not)."""
    try:
        error = json.loads(content)["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        text = content.decode("utf-8", "replace").strip()[:200]
        return ClientError(f"HTTP_{status}", text or "no error message", status)
    cls = _ledger_errors().get(code)
    return (_remote(cls) if cls is not None else ClientError)(code, message, status)
