"""Where a server listens: the socket bound before anything is printed, and its log lines."""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable
from typing import Any

import typer

BACKLOG = 2048


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before anything is printed; a clear error if taken."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)  # clients that come before uvicorn is ready wait, not fail
    except OSError as exc:
        raise typer.BadParameter(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}", param_hint="--port"
        ) from None
    return sock


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def configure_logging() -> None:
    """JSON request lines alone on stderr; the server's own messages prefixed by level."""
    access = logging.getLogger("ansinh.access")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.handlers[:] = [handler]
    access.setLevel(logging.INFO)
    access.propagate = False
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")


def run_until_stopped(app: Any, sock: socket.socket, on_stop: Callable[[str], None]) -> None:
    """Serve ``app`` on the bound ``sock`` until Ctrl-C (then ``on_stop("stopped")``).

    One worker: the app holds its ledgers' writers and read models in memory.
    Request logs are the app's own JSON lines (:func:`configure_logging`).
    """
    import uvicorn

    configure_logging()
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        proxy_headers=False,  # the app's ForwardedHeaders decides, with --forwarded-allow-ips
        log_config=None,
        access_log=False,
        lifespan="on",
        workers=1,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on Ctrl-C, then raises the signal again.
        on_stop("stopped")
    finally:
        sock.close()
