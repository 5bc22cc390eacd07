"""``ansinh formats``: the FORMATS version a ledger follows, and adopting a newer one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.deps import DbOpt, load_key, open_ledger, out, refusals
from ledger.domain.acceptance import Submission
from ledger.formats.dsse import make_statement, open_envelope, sign_statement

formats_app = typer.Typer(
    help="The FORMATS version this ledger follows (docs/formats.md).", no_args_is_help=True
)


@formats_app.command("show")
def formats_show(db: DbOpt = None) -> None:
    """Print the version the ledger follows now: 1, 1.1, 1.2 or 1.3."""
    with refusals():
        out.print(open_ledger(db).charter().formats)


@formats_app.command("adopt")
def formats_adopt(
    version: Annotated[str, typer.Argument(help="The version to adopt: 1.2 or 1.3")],
    admin_key: Annotated[Path, typer.Option("--admin-key", help="Key file of an admin")],
    db: DbOpt = None,
) -> None:
    """Adopt a newer FORMATS version (ledger.formats.adopted): once, only upward, from the
    next entry on. 1.2 brings identity.reviewed (decisions on suspected duplicates); 1.3
    the procedures (docs/formats.md section 11)."""
    with refusals():
        ledger = open_ledger(db)
        admin = load_key(admin_key)
        statement = make_statement(
            ledger.charter().ledger_id,
            "ledger.formats.adopted",
            {"formats": version},
            admin.key_id,
        )
        accepted = ledger.submit(Submission(open_envelope(sign_statement(statement, admin))))
        out.print(f"FORMATS {version} adopted (entry {accepted.index}); it applies from the next")
