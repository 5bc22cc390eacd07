"""The public list in a real browser: a uvicorn server, Debian's headless Chromium.

The server runs over the backend of the run (SQLite by default, PostgreSQL
with ``ANSINH_TEST_DB=postgres``), so this test runs in both backends' runs;
nothing in it depends on the backend beyond the ``story`` fixture.

Chromium is looked for at ``/usr/bin/chromium`` (Debian's package) and on
``PATH``. When it is missing and we are root with ``apt-get``, it is
installed. When it still cannot be had, the test is skipped, except under
``CI=true``, where a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from api.http.app import create_app
from api.service import LedgerService
from tests.conftest import ON_CI, Story

NAME = "Lò Thị Xuân"  # the name the story's vault records carry
START_S = 30  # bound on waiting for the server to start
BROWSER_S = 120  # bound on one browser run
INSTALL_S = 1200


def chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def install_chromium() -> None:
    """``apt-get install -y chromium`` when we may (root, apt-get present)."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return
    # another install may hold the dpkg lock (see /tmp/apt-chromium.log): wait for it
    subprocess.run(
        ["apt-get", "-o", "DPkg::Lock::Timeout=900", "install", "-y", "chromium"],
        capture_output=True,
        timeout=INSTALL_S,
        check=False,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


@pytest.fixture(scope="module")
def browser() -> str:
    found = chromium()
    if found is None:
        install_chromium()
        found = chromium()
    if found is None:
        if ON_CI:
            pytest.fail("Chromium is not installed and could not be (CI must not skip it)")
        pytest.skip("Chromium is not installed here (apt-get install chromium)")
    return found


@pytest.fixture
def server(service: LedgerService) -> Iterator[str]:
    """The whole app served by uvicorn on a free port of 127.0.0.1, in a thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(service), log_level="warning", lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_S
    while not running.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=START_S)
        sock.close()


def run_browser(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    command += ["--disable-dev-shm-usage", f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=BROWSER_S)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_list_renders_in_a_browser_with_its_checkpoint(
    browser: str, server: str, story: Story, service: LedgerService, tmp_path: Path
) -> None:
    story.beneficiary()
    service.sign_checkpoint()
    size = story.app.size()
    dom = run_browser(browser, tmp_path / "profile", "--dump-dom", f"{server}/lists").stdout
    assert '<html lang="vi">' in dom
    assert NAME in dom and "1.624.000 đ" in dom
    assert f'<dd id="tree-size">{size}</dd>' in dom
    assert 'id="digest"' in dom and "đã ký" in dom
    assert "000000000001" not in dom  # the story's national id stays in the vault

    shot = tmp_path / "list.png"
    run_browser(
        browser,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=412,915",
        "--hide-scrollbars",
        f"{server}/lists",
    )
    assert shot.exists()
    data = shot.read_bytes()
    assert png_size(data) == (412, 915)
    assert len(data) > 10_000  # a rendered page, not a blank one
