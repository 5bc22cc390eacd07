"""``GET /v1/inspect/diff`` and ``/v1/inspect/check-list``: what changed between two
checkpoints, and whether a printed list is the log's, asked of the server."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest

from ledger.formats.merkle import ProofError, verify_consistency
from tests.api.http.commune import AMOUNT, Commune, get, ok
from tests.api.http.test_auth import bearer, error, sign_in
from tests.conftest import Officers, Story
from tests.projections.verbs import died, pay


def _inspector(client: Any, officers: Officers) -> dict[str, str]:
    return bearer(sign_in(client, officers.keys["inspector"]))


def _signed_size(client: Any) -> int:
    """The notary signs a checkpoint of the whole log; its size."""
    response = client.get("/v1/log/checkpoint")
    assert response.status_code == 200, response.text
    return int(response.headers["X-Ansinh-Tree-Size"])


@pytest.fixture
def two_checkpoints(client: Any, story: Story, commune: Commune) -> tuple[int, int]:
    """A checkpoint signed over the commune, then the head's death and a payment after it,
    signed again."""
    first = _signed_size(client)
    died(story, commune.head, "2022-01-20")
    pay(story, commune.benefit, commune.son, month="2022-02", paid_on="2022-02-10")
    return first, _signed_size(client)


def test_the_diff_between_two_signed_checkpoints_proves_and_counts_what_was_added(
    client: Any, officers: Officers, two_checkpoints: tuple[int, int]
) -> None:
    first, second = two_checkpoints
    url = f"/v1/inspect/diff?from={first}&to={second}"
    doc = ok(get(client, url, "inspector", officers))
    assert (doc["first"]["tree_size"], doc["second"]["tree_size"]) == (first, second)
    assert doc["first"]["signed"] and doc["second"]["signed"] and doc["proof_checked"]
    assert doc["added"] == 2
    assert doc["by_type"] == {"payment.recorded": 1, "person.died": 1}
    (huoi,) = doc["by_village"]
    assert huoi["village"] == "Bản Huổi" and (huoi["payments"], huoi["paid"]) == (1, AMOUNT)
    roots = [base64.b64decode(doc[end]["root"]) for end in ("first", "second")]
    proof = [base64.b64decode(h) for h in doc["consistency_proof"]]
    verify_consistency(first, second, roots[0], roots[1], proof)  # raises when it fails
    with pytest.raises(ProofError):
        verify_consistency(first, second, roots[1], roots[0], proof)


def test_a_size_no_checkpoint_was_signed_for_is_read_as_the_ledger_root_and_said_unsigned(
    client: Any, officers: Officers, two_checkpoints: tuple[int, int]
) -> None:
    _, second = two_checkpoints
    signed = {cp["size"] for cp in ok(client.get("/v1/log/checkpoints?limit=1000"))}
    size = next(n for n in range(1, second) if n not in signed)  # the signer runs on its own
    doc = ok(get(client, f"/v1/inspect/diff?from={size}&to={second}", "inspector", officers))
    assert doc["first"]["signed"] is False and doc["second"]["signed"] is True
    assert doc["added"] == second - size == sum(doc["by_type"].values())


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=0&to=3", "from"),
        ("from=3&to=-1", "to"),
        ("from=5&to=3", "from"),
        ("from=3&to=99999", "to"),
        ("from=three&to=5", "from"),
        ("to=5", "from"),
    ],
)
def test_bad_sizes_are_refused_naming_the_parameter(
    client: Any, officers: Officers, commune: Commune, query: str, field: str
) -> None:
    code, message = error(get(client, f"/v1/inspect/diff?{query}", "inspector", officers), 400)
    assert code == "INVALID_FIELD" and message.startswith(f"{field}:"), message


def test_only_a_signed_in_inspector_may_ask_for_the_diff_or_a_list_check(
    client: Any, officers: Officers, commune: Commune
) -> None:
    for url in ("/v1/inspect/diff?from=1&to=2", "/v1/inspect/check-list?digest=ab12cd34&as_of=3"):
        assert error(client.get(url), 401)[0] == "UNAUTHENTICATED"
        assert error(get(client, url, "cashier", officers), 403)[0] == "ROLE_NOT_ALLOWED"


def _printed(client: Any, query: str) -> tuple[str, int, str]:
    """A printed notice's digest, its entry count and its date: those of the document
    the notice prints (``sha256sum lists.json``)."""
    answer = client.get(f"/lists.json?{query}")
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    return hashlib.sha256(answer.content).hexdigest(), int(doc["as_of"]), str(doc["on"])


def _grouped(digest: str) -> str:
    """The short form a notice prints: 8 groups of 4 hex."""
    return " ".join(re.findall("....", digest[:32]))


def test_a_printed_list_matches_the_log_at_its_entry_count_even_after_more_entries(
    client: Any, story: Story, officers: Officers, commune: Commune
) -> None:
    digest, as_of, on = _printed(client, "village=B%E1%BA%A3n%20Hu%E1%BB%95i")
    died(story, commune.head, "2022-01-20")  # the log goes on; the notice stays
    params = {"digest": _grouped(digest), "as_of": as_of, "village": "Bản Huổi", "on": on}
    auth = _inspector(client, officers)
    doc = ok(client.get("/v1/inspect/check-list", params=params, headers=auth))
    assert doc["matches"] is True and doc["digest"] == digest and doc["as_of"] == as_of
    assert doc["village"] == "Bản Huổi" and doc["rows"] >= 1
    assert doc["offline"].startswith(f"ansinh check-list {digest[:32]} --bundle ")
    earlier = params | {"as_of": as_of - 1}
    other = ok(client.get("/v1/inspect/check-list", params=earlier, headers=auth))
    assert other["matches"] is False and other["digest"] != digest


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ("digest=not-hex-at-all&as_of=3", "digest", 400),
        ("digest=abc&as_of=3", "digest", 400),
        ("digest=ab12cd34&as_of=0", "as_of", 400),
        ("digest=ab12cd34&as_of=99999", "as_of", 400),
        ("digest=ab12cd34", "as_of", 400),
        ("digest=ab12cd34&as_of=3&on=2022-02-30", "on", 400),
        ("digest=ab12cd34&as_of=10&village=Nowhere", "village", 404),
        ("digest=ab12cd34&as_of=10&program=NOPE", "program", 404),
    ],
)
def test_a_bad_list_check_is_refused_naming_the_parameter(
    client: Any, officers: Officers, commune: Commune, query: str, field: str, status: int
) -> None:
    url = f"/v1/inspect/check-list?{query}"
    _, message = error(get(client, url, "inspector", officers), status)
    assert message.startswith(f"{field}:"), message


def test_the_openapi_document_describes_the_inspector_routes(client: Any) -> None:
    paths = ok(client.get("/openapi.json"))["paths"]
    for path in ("/v1/inspect/diff", "/v1/inspect/check-list"):
        answers = paths[path]["get"]["responses"]
        assert {"200", "400", "401", "403"} <= set(answers), path
        assert paths[path]["get"]["security"], path


def test_the_reconciliation_defaults_to_the_period_the_ledger_covers(
    client: Any, story: Story, officers: Officers, commune: Commune
) -> None:
    pay(story, commune.benefit, commune.son, month="2022-03", paid_on="2022-03-10")
    doc = ok(get(client, "/v1/reports/reconciliation", "inspector", officers))
    assert (doc["period"]["from"], doc["period"]["to"]) == ("2022-01", "2022-03")
