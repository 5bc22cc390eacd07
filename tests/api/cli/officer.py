"""The command line as an officer drives it, in-process: a ``Cli`` over one database and keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from api.cli.main import app
from tests.conftest import new_id

LEDGER = "ansinh.vn/son-la/song-ma/chieng-en"
RECORD = {"full_name": "Quàng Thị Hoa", "national_id": "014190009876", "birth_date": "1952-07-14"}
DECISION = {"number": "15/QĐ-UBND", "date": "2022-01-06"}
OFFICERS = ("registrar", "approver", "cashier")  # each holds the role of its name
KEY_ENV = ("ANSINH_VAULT_KEY", "ANSINH_VAULT_KEY_FILE", "ANSINH_KEY_PASSPHRASE")
runner = CliRunner()


def opts(**options: object) -> list[object]:
    """``--name value`` pairs from keyword arguments (``holder_id`` → ``--holder-id``)."""
    return [part for k, v in options.items() for part in (f"--{k.replace('_', '-')}", v)]


def one_line(text: str) -> str:
    """Console output with its wrapping undone, for matching messages."""
    return " ".join(text.split())


def household_body(code: str = "CE-1") -> dict[str, Any]:
    return {"household_id": new_id(), "code": code, "village": "Bản Huổi"}


def person_body(household_id: str) -> dict[str, Any]:
    return {
        "person_id": new_id(),
        "household_id": household_id,
        "relation": "head",
        "sex": "f",
        "birth_year": 1952,
    }


class Cli:
    """``ansinh`` run in-process against one database, with keys in ``keys/``."""

    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path
        self.keys = tmp_path / "keys"

    def __call__(self, *args: object, code: int = 0) -> Result:
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == code, (args, result.stdout, result.stderr, result.exception)
        return result

    def key(self, name: str) -> Path:
        return self.keys / f"{name}.key"

    def sign(self, who: str, type_: str, body: dict[str, Any], pii: Any = None) -> Any:
        extra = [] if pii is None else opts(pii=json.dumps(pii, ensure_ascii=False))
        body_json = json.dumps(body, ensure_ascii=False)
        result = self("sign", *opts(key=self.key(who), type=type_, body=body_json), *extra)
        return json.loads(result.stdout)

    def write(self, doc: Any) -> Path:
        path = self.dir / f"{new_id()}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def submit(self, path: Path, *extra: object, code: int = 0) -> Result:
        return self("submit", path, *extra, code=code)

    def record(self, who: str, type_: str, body: dict[str, Any]) -> None:
        self.submit(self.write(self.sign(who, type_, body)))

    def leaves(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self("log", "--json").stdout.splitlines()]

    def household(self) -> str:
        body = household_body()
        self.record("registrar", "household.registered", body)
        return str(body["household_id"])

    def person(self, record: dict[str, Any]) -> tuple[str, str]:
        """Register a person with their record; returns the person id and salt (base64)."""
        doc = self.sign("registrar", "person.registered", person_body(self.household()), record)
        self.submit(self.write(doc), "--vault-key", self.key("vault"))
        (vault,) = doc["vault"]
        return vault["person_id"], vault["salt"]


def open_commune(cli: Cli) -> Cli:
    cli("init", *opts(ledger_id=LEDGER, name="UBND xã Chiềng En", keys=cli.keys))
    for name in OFFICERS:
        cli("keys", "new", *opts(keys=cli.keys, name=name))
        registration = opts(holder_id=f"staff-{name}", holder_name=f"Cán bộ {name}", role=name)
        pub, admin = cli.keys / f"{name}.pub", cli.key("authority")
        cli("keys", "register", *opts(key=pub, admin_key=admin), *registration)
    return cli
