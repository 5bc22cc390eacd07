"""``ansinh check-list DIGEST --bundle B``: a printed notice's digest, checked offline."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.application import LedgerApplication
from ledger.audit.bundle import export_bundle
from tests.api.pages.commune import make_commune, page, shown
from tests.conftest import Officers, Story

runner = CliRunner()
HUOI = "Bản Huổi"


@pytest.fixture
def printed(story: Story, client: TestClient) -> dict[str, Any]:
    """The commune of the pages' tests, and the notice printed for Bản Huổi."""
    make_commune(story)
    village = urllib.parse.quote(HUOI)
    text = page(client, f"/print/lists?village={village}")
    return {"digest": shown(text, "print-digest"), "size": story.app.size()}


def bundle(app: LedgerApplication, officers: Officers, out: Path, vault: bool) -> Path:
    export_bundle(app, out, with_vault=vault, notary=officers.keys["notary"])
    return out


def check(*args: object, code: int) -> Any:
    result = runner.invoke(cli_app, ["check-list", *(str(a) for a in args)])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def authority(officers: Officers) -> str:
    return officers.keys["authority"].key_id


def test_the_printed_digest_matches_the_list_recomputed_from_the_bundle(
    printed: dict[str, Any], story: Story, officers: Officers, tmp_path: Path
) -> None:
    out = bundle(story.app, officers, tmp_path / "b.tar", vault=True)
    short = printed["digest"][:4] + " " + printed["digest"][4:8] + "-" + printed["digest"][8:12]
    pinned = ("--authority", authority(officers))
    done = check(short, "--bundle", out, "--village", HUOI, *pinned, code=0)
    assert done.stdout.startswith(f"khớp: {printed['digest']}")
    assert "có tên" in done.stdout
    done = check(
        printed["digest"].upper(), "--bundle", out, "--village", HUOI, "--lang", "en", code=0
    )
    assert done.stdout.startswith("matches:")


def test_a_bundle_without_names_cannot_match_a_notice_that_shows_them(
    printed: dict[str, Any], story: Story, officers: Officers, tmp_path: Path
) -> None:
    out = bundle(story.app, officers, tmp_path / "public", vault=False)
    failed = check(printed["digest"], "--bundle", out, "--village", HUOI, code=1)
    assert failed.stderr.startswith(f"KHÔNG KHỚP: mã in trên thông báo {printed['digest']}")
    assert "không tên" in failed.stderr and "--with-vault" in failed.stderr


def test_a_wrong_digest_is_reported_with_the_recomputed_one(
    printed: dict[str, Any], story: Story, officers: Officers, tmp_path: Path
) -> None:
    out = bundle(story.app, officers, tmp_path / "b", vault=True)
    wrong = "0123abcd"
    failed = check(wrong, "--bundle", out, "--village", HUOI, "--lang", "en", code=1)
    assert failed.stderr.startswith("DOES NOT MATCH: digest printed on the notice 0123abcd")
    assert printed["digest"] in failed.stderr  # the list it recomputed, and its parameters
    assert f"village {HUOI}" in failed.stderr and "with names" in failed.stderr
    other = check(printed["digest"], "--bundle", out, "--village", "Bản Huổi Pao", code=1)
    assert "KHÔNG KHỚP" in other.stderr


def test_a_bad_digest_or_unknown_village_is_refused_naming_it(
    printed: dict[str, Any], story: Story, officers: Officers, tmp_path: Path
) -> None:
    out = bundle(story.app, officers, tmp_path / "b", vault=False)
    refused = check("51c0-4e", "--bundle", out, code=1)
    assert refused.stderr.startswith("INVALID_FIELD: digest:")
    refused = check("xyz12345", "--bundle", out, code=1)
    assert refused.stderr.startswith("INVALID_FIELD: digest:")
    refused = check(printed["digest"], "--bundle", out, "--village", "Bản Nowhere", code=1)
    assert refused.stderr.startswith("UNKNOWN_ENTITY: village:")
    refused = check(printed["digest"], "--bundle", out, "--on", "2022-02-30", code=1)
    assert refused.stderr.startswith("INVALID_FIELD: on:")


def test_a_tampered_bundle_is_refused_before_any_list_is_drawn(
    printed: dict[str, Any], story: Story, officers: Officers, tmp_path: Path
) -> None:
    out = bundle(story.app, officers, tmp_path / "b", vault=True)
    lines = (out / "entries.jsonl").read_bytes().split(b"\n")
    leaf = json.loads(lines[7])
    last = leaf["recorded_at"][-2]  # a digit of the seconds, changed whatever it was
    leaf["recorded_at"] = leaf["recorded_at"][:-2] + ("8" if last == "9" else "9") + "Z"
    lines[7] = json.dumps(leaf, separators=(",", ":"), sort_keys=True).encode()
    (out / "entries.jsonl").write_bytes(b"\n".join(lines))
    failed = check(printed["digest"], "--bundle", out, "--village", HUOI, code=1)
    assert failed.stderr.startswith("FAILED bundle:")


def test_a_notice_printed_earlier_matches_as_of_its_entries(
    printed: dict[str, Any], story: Story, officers: Officers, client: TestClient, tmp_path: Path
) -> None:
    story.household(HUOI)  # the log moves on after the notice was printed
    out = bundle(story.app, officers, tmp_path / "b", vault=True)
    later = check(printed["digest"], "--bundle", out, "--village", HUOI, code=1)
    assert f"--as-of (gói này có {printed['size'] + 1} mục)" in later.stderr
    as_of = ("--as-of", printed["size"])
    done = check(printed["digest"], "--bundle", out, "--village", HUOI, *as_of, code=0)
    assert f"từ {printed['size']} mục đầu của sổ" in done.stdout
