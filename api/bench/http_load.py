"""The server and the clients of ``ansinh bench http``.

The server is the real one (uvicorn over :func:`api.http.app.create_app`) in
its own process, on a free loopback port. The clients are a minimal
HTTP/1.1 client on one asyncio loop: keep-alive connections sending request
bytes prepared in advance and reading just the status line, the headers
and the body's length. A general client (httpx) spends several times the
CPU per request, and here every cycle the clients spend is taken from the
server: they share the machine's cores.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultKey

HOST = "127.0.0.1"
SAMPLES_KEPT = 5


def serve(db: str, port: int, vault_key_hex: str, notary_seed_hex: str) -> None:
    """Run the API over ``db`` on loopback, signing checkpoints (in the server's own process)."""
    import uvicorn

    from api.http.app import create_app
    from api.service import LedgerService

    notary = KeyPair.from_seed(bytes.fromhex(notary_seed_hex))
    service = LedgerService(
        db, vault_key=VaultKey(bytes.fromhex(vault_key_hex)), notary=notary, manage_gc=True
    )
    uvicorn.run(create_app(service), host=HOST, port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """The server process, its port, and where its log goes."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def cpu_s(self) -> float | None:
        """CPU seconds the server process has used so far (Linux; None elsewhere)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self) -> str:
        lines = self.log.read_text(errors="replace").strip().splitlines()
        return "\n".join(lines[-15:])


@contextmanager
def running_server(db: str, vault_key: bytes, notary: KeyPair) -> Iterator[Server]:
    """A server on a free loopback port, answering ``/healthz``; stopped (gracefully) after."""
    port = _free_port()
    fd, name = tempfile.mkstemp(prefix="ansinh-bench-http-", suffix=".log")
    arguments = f"{db!r}, {port}, {vault_key.hex()!r}, {notary.seed.hex()!r}"
    code = f"from api.bench.http_load import serve; serve({arguments})"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=fd, stderr=fd)
    os.close(fd)
    server = Server(process, port, Path(name))
    try:
        _wait_healthy(server)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server.log.unlink(missing_ok=True)


def _wait_healthy(server: Server, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    healthz = request("GET", "/healthz")
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server exited ({server.process.returncode}):\n{server.log_tail()}"
            )
        if asyncio.run(drive(server.port, 1, repeat(healthz, 1), 5.0)).count == 1:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /healthz in {timeout_s} s:\n{server.log_tail()}")


# -- the clients ------------------------------------------------------------------------------
def request(method: str, path: str, body: bytes | None = None) -> bytes:
    """An HTTP/1.1 request's bytes (keep-alive is HTTP/1.1's default)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n"
    if body is None:
        return (head + "\r\n").encode()
    head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """One HTTP/1.1 response: (status, body, whether the connection stays open)."""
    lines = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    if b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding") == b"chunked":
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append((await reader.readexactly(size + 2))[:-2])
        await reader.readuntil(b"\r\n")  # the end, without trailers
        body = b"".join(parts)
    else:
        return status, await reader.read(), False
    return status, body, headers.get(b"connection") != b"close"


@dataclass
class Load:
    """What the clients got: answers in 2xx, errors, latencies, and how long it took."""

    count: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_s: list[float] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)  # the first few errors, for the report

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.samples) < SAMPLES_KEPT:
            self.samples.append(what[:300])

    def per_s(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0

    def percentile_ms(self, p: float) -> float:
        ordered = sorted(self.latencies_s)
        if not ordered:
            return 0.0
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def _client(port: int, requests: Iterator[bytes], stop_at: float, load: Load) -> None:
    """One keep-alive connection sending the next request until the time is up."""
    writer: asyncio.StreamWriter | None = None
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
        for message in requests:  # shared by every client: each takes the next one
            if time.perf_counter() >= stop_at:
                break
            started = time.perf_counter()
            writer.write(message)
            status, body, keep_alive = await response(reader)
            if 200 <= status < 300:
                load.count += 1
                load.latencies_s.append(time.perf_counter() - started)
            else:
                load.error(f"{status} {body.decode(errors='replace')}")
            if not keep_alive:
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        load.error(f"connection failed: {exc!r}")
    finally:
        if writer is not None:
            writer.close()


async def drive(port: int, clients: int, requests: Iterator[bytes], seconds: float) -> Load:
    """``clients`` connections at once sending ``requests`` for ``seconds`` (or until they end)."""
    load = Load()
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(*(_client(port, requests, stop_at, load) for _ in range(clients)))
    load.seconds = time.perf_counter() - started
    return load
