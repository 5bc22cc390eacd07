"""Fixtures of the inspector's commands: a commune opened by the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.cli.officer import KEY_ENV, Cli, open_commune


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in KEY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANSINH_DB", str(tmp_path / "ledger.db"))
    return Cli(tmp_path)


@pytest.fixture
def commune(cli: Cli) -> Cli:
    """An opened ledger with a registrar, an approver and a cashier registered."""
    return open_commune(cli)
