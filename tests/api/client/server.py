"""A real server for the client's tests: uvicorn on a free loopback port, in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from api.client.remote import AnsinhClient
from api.http.app import create_app
from api.service import LedgerService
from tests.conftest import Officers, new_id

STARTUP_POLLS = 3000  # 10 ms each: how long a server may take to start, at most


@contextmanager
def running(service: LedgerService) -> Iterator[str]:
    """The app over ``service``, served by uvicorn on a free loopback port; its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(service), log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(STARTUP_POLLS):
            if server.started or not thread.is_alive():
                break
            time.sleep(0.01)
        assert server.started, "the server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def client_of(url: str, officers: Officers, who: str | None = None) -> AnsinhClient:
    return AnsinhClient(url, key=officers.keys[who] if who else None)


def household_body(village: str = "Bản Mé") -> dict[str, Any]:
    hid = new_id()
    return {"household_id": hid, "code": f"CE-{hid[:6]}", "village": village}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
