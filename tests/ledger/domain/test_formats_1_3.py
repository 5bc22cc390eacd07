"""FORMATS 1.3 (docs/formats.md section 11.1): adopting it, and the roles it adds.

A ledger adopts 1.3 as it adopts 1.2, from 1.1 directly or from 1.2. Until
then a key may not be given the roles ``agent`` or ``intake`` (refused
naming ``body.roles``), and a verifier fails a log that gave one anyway.
Every 1.3 type is listed once, with a body, a catalog row and the role the
independent verifier expects.
"""

from __future__ import annotations

import pytest

from api.demo import statements as st
from ledger.audit.adoption import Versions
from ledger.audit.ledger import verify_ledger
from ledger.audit.verifier import VerificationFailed
from ledger.domain.catalog import CATALOG
from ledger.domain.charter import Charter
from ledger.errors import LogTampered
from ledger.formats import procedures
from ledger.formats.schemas import BODY_TYPES
from ledger.formats.versions import INTRODUCED, TYPES_1_3, V1_1, V1_2, V1_3
from ledger.tlog.merkle_log import MerkleLog
from tests.conftest import Story
from tests.ledger.domain.refusals import refused
from tests.support import procedures as independent
from tests.support.drafts import Draft, adopted_1_3


def _agent_key(story: Story) -> Draft:
    key = story.o.keys["registrar2"]
    body = st.key_registered(key, "buu-dien-song-ma", "Bưu điện huyện Sông Mã", ["agent"])
    return Draft("authority", "key.registered", body)


def test_an_agent_key_is_refused_until_the_ledger_follows_1_3(story: Story) -> None:
    err = refused(story, _agent_key(story).sub(story.o), "INVALID_FIELD")
    assert err.field == "body.roles"
    assert err.message == (
        "body.roles: role agent needs FORMATS 1.3; this ledger follows FORMATS 1.1 "
        "(adopt 1.3 first)"
    )
    story.submit(Draft("authority", "ledger.formats.adopted", {"formats": V1_2}).sub(story.o))
    err = refused(story, _agent_key(story).sub(story.o), "INVALID_FIELD")
    assert "this ledger follows FORMATS 1.2" in err.message
    adopted_1_3(story)
    assert story.app.charter().formats == V1_3
    accepted = story.submit(_agent_key(story).sub(story.o))
    assert story.app.charter().keys[story.o.keys["registrar2"].key_id].roles == ["agent"]
    assert accepted.index == story.app.size() - 1


def test_a_1_1_ledger_adopts_1_3_directly_and_then_follows_1_2_too(story: Story) -> None:
    adopted_1_3(story)
    assert story.app.charter().formats == V1_3
    err = refused(
        story,
        Draft("authority", "ledger.formats.adopted", {"formats": V1_2}).sub(story.o),
        "RULE_VIOLATION",
    )
    assert err.field == "body.formats"
    assert "already follows FORMATS 1.3" in err.message


def test_the_verifier_fails_an_agent_key_registered_before_1_3(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log written by software that skipped the role check still fails verification."""
    monkeypatch.setattr(Charter, "check_roles_allowed", lambda self, roles: None)
    index = story.submit(_agent_key(story).sub(story.o)).index
    with pytest.raises(LogTampered):  # the notary signs no such log
        MerkleLog(story.app).issue(story.o.keys["notary"])
    with pytest.raises(VerificationFailed) as failed:
        verify_ledger(story.app)
    assert failed.value.index == index
    assert failed.value.reason == (
        "INVALID_FIELD: body.roles: role agent needs FORMATS 1.3; the ledger follows FORMATS 1.1"
    )


def test_the_replay_gives_roles_of_1_3_only_once_the_ledger_follows_it() -> None:
    versions = Versions(V1_1)
    intake = {"roles": ["intake"]}
    assert versions.problem("key.registered", intake) is not None
    assert versions.problem("key.registered", {"roles": ["registrar"]}) is None
    assert versions.problem("ledger.formats.adopted", {"formats": V1_3}) is None
    assert versions.problem("key.registered", intake) is None


def test_every_1_3_type_has_a_body_a_catalog_row_and_an_independent_role() -> None:
    listed = [kind for kinds in TYPES_1_3.values() for kind in kinds]
    assert len(listed) == len(set(listed))
    by_module = {m.__name__.rsplit(".", 1)[1]: set(m.TYPES) for m in procedures.MODULES}
    assert by_module == {group: set(kinds) for group, kinds in TYPES_1_3.items()}
    for kind in listed:
        assert INTRODUCED[kind] == V1_3
        assert kind in BODY_TYPES
        assert kind in CATALOG
        assert independent.ROLES[kind] in (CATALOG[kind].roles or ())
    assert set(independent.ROLES) == set(listed)
