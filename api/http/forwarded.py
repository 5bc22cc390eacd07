"""Where readers reach the server: its public address, and proxies' headers believed.

A printed notice carries a QR code and links that must work from a villager's
phone, so the server must know the address people use, not the one it
listens on. In order:

1. ``ansinh serve --public-url https://xa-chieng-en.example.vn``: that
   address, whatever a request says (:func:`check_public_url`);
2. ``X-Forwarded-Proto`` / ``X-Forwarded-Host`` / ``X-Forwarded-For``, only
   when the request comes straight from an address the operator trusts
   (``--forwarded-allow-ips``, loopback by default, as uvicorn's own
   ``proxy_headers`` do); anyone else could otherwise put their own site in
   the commune's QR codes;
3. the request's ``Host`` header.

:class:`ForwardedHeaders` applies (2) to every request, so the client
address the sign-in limits count and the scheme and host the pages print
all come from one decision (uvicorn's own proxy handling is switched off).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ledger.errors import InvalidField

LOOPBACK = "127.0.0.1,::1"
_HOST = re.compile(  # a host name or [IPv6 address], and a port: no paths, no user names
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?(?::\d{1,5})?"
    r"|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?"
)
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def check_public_url(value: str, field: str = "public_url") -> str:
    """``value`` as the site's base address, without a trailing slash; or refused naming ``field``.

    An ``http`` or ``https`` URL with a host, and neither a query nor a fragment
    (a path is kept: a site served under ``/ansinh`` prints links under it).
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https"):
        raise InvalidField(field, f"{value!r} is not an http:// or https:// address")
    if "@" in parts.netloc or any(c.isspace() for c in value.strip()):
        raise InvalidField(field, f"{value!r} must not carry a user name or spaces")
    if not parts.hostname or not _HOST.fullmatch(parts.netloc):
        raise InvalidField(field, f"{value!r} has no host name (https://host[:port][/path])")
    try:
        parts.port  # noqa: B018 (raises on a port beyond 65535)
    except ValueError:
        raise InvalidField(field, f"{value!r} has a port that is not a number 0-65535") from None
    if parts.query or parts.fragment or value.strip().endswith(("?", "#")):
        raise InvalidField(field, f"{value!r} must not carry a query (?...) or a fragment (#...)")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def parse_trusted(value: str, field: str = "forwarded_allow_ips") -> tuple[IpNetwork, ...] | None:
    """The addresses (or networks, ``10.0.0.0/8``) whose forwarded headers are believed.

    ``*`` trusts every client (only behind a proxy that every request passes
    through); returns None for it.
    """
    items = [item.strip() for item in value.split(",") if item.strip()]
    if items == ["*"]:
        return None
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise InvalidField(
                field, f"{item!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8, *)"
            ) from None
    return tuple(networks)


@dataclass(frozen=True)
class PublicAddress:
    """The site's public base address, if the operator gave one, and whom to believe."""

    url: str | None = None
    trusted: tuple[IpNetwork, ...] | None = parse_trusted(LOOPBACK)

    @classmethod
    def of(cls, url: str | None = None, forwarded_allow_ips: str = LOOPBACK) -> PublicAddress:
        checked = check_public_url(url, "public_url") if url else None
        return cls(checked, parse_trusted(forwarded_allow_ips))

    def trusts(self, client: str | None) -> bool:
        if self.trusted is None:
            return True
        if client is None:
            return False
        try:
            address = ipaddress.ip_address(client)
        except ValueError:
            return False  # (a test client's name, a Unix socket)
        return any(address in network for network in self.trusted)

    def base_url(self, request: Request) -> str:
        """The address a printed link starts with (no trailing slash)."""
        if self.url is not None:
            return self.url
        # (the app's whole root path: Starlette's base_url leaves out where a server of
        # many communes mounted this one, /c/SCHEMA)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return str(request.url.replace(path=root or "/", query="", fragment="")).rstrip("/")


class ForwardedHeaders:
    """Believes ``X-Forwarded-*`` from trusted addresses only (plain ASGI middleware).

    From a trusted peer: the scheme from ``X-Forwarded-Proto``, the ``Host``
    from ``X-Forwarded-Host`` (when it is a host name), and the client from
    ``X-Forwarded-For``: its rightmost address that is not itself trusted.
    From anyone else the headers are left as sent and not used.
    """

    def __init__(self, app: ASGIApp, public: PublicAddress) -> None:
        self.app = app
        self.public = public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            if self.public.trusts(client[0] if client else None):
                scope = self._forwarded(scope)
        await self.app(scope, receive, send)

    def _forwarded(self, scope: Scope) -> Scope:
        headers: dict[bytes, bytes] = {}
        for name, value in scope.get("headers", []):
            if name in (b"x-forwarded-proto", b"x-forwarded-host"):
                headers[name] = value  # the last one given
            elif name == b"x-forwarded-for":
                headers[name] = headers.get(name, b"") + b"," + value
        if not headers:
            return scope
        scope = dict(scope)
        proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
        if proto in ("http", "https"):
            scope["scheme"] = proto if scope["type"] == "http" else proto.replace("http", "ws")
        host = headers.get(b"x-forwarded-host", b"").decode("latin-1").split(",")[-1].strip()
        if host and _HOST.fullmatch(host):
            kept = [(k, v) for k, v in scope["headers"] if k != b"host"]
            scope["headers"] = [(b"host", host.encode("latin-1")), *kept]
        chain = headers.get(b"x-forwarded-for", b"").decode("latin-1").split(",")
        chain = [hop.strip() for hop in chain if hop.strip()]
        for hop in reversed(chain):
            if not self.public.trusts(hop) or hop == chain[0]:
                scope["client"] = (hop, 0)
                break
        return scope
