"""The console's page and its labels: every field a form can show has words in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from api.officer.labels import BY_TYPE, TYPES, VALUES, label_of
from ledger.drafts import statement_types
from tests.conftest import LEDGER_ID

TYPES_DESCRIBED = statement_types()


@pytest.mark.parametrize("described", TYPES_DESCRIBED, ids=lambda d: d["type"])
def test_every_body_field_of_every_type_has_a_label_and_english(described: Any) -> None:
    for field in described["fields"]:
        label = label_of(described["type"], field["path"])
        assert label is not None, f"{described['type']}: no label for {field['path']}"
        assert label.vi.strip() and label.en.strip()


@pytest.mark.parametrize("described", TYPES_DESCRIBED, ids=lambda d: d["type"])
def test_every_enum_value_has_words(described: Any) -> None:
    for field in described["fields"]:
        if "values" not in field:
            continue
        table = VALUES.get(field["path"]) or VALUES.get(field["path"].split(".")[-1])
        assert table is not None, f"{described['type']}: no words for {field['path']}"
        assert set(field["values"]) <= set(table), f"{described['type']}.{field['path']}"


def test_every_type_has_a_title_and_no_label_names_an_unknown_type() -> None:
    known = {d["type"] for d in TYPES_DESCRIBED}
    assert set(TYPES) == known
    assert set(BY_TYPE) <= known


def test_the_labels_are_served_in_the_language_asked(client: Any, story: Any) -> None:
    vi = client.get("/officer/labels.json").json()
    en = client.get("/officer/labels.json?lang=en").json()
    assert vi["types"]["benefit.proposed"]["label"] == "Đề nghị hưởng chế độ"
    assert en["types"]["benefit.proposed"]["label"] == "Propose a benefit"
    assert vi["values"]["status"]["near_poor"] == "Hộ cận nghèo"
    assert vi["by_type"]["person.died"]["date"]["label"] == "Ngày mất"


def test_the_console_page_is_vietnamese_by_default_and_names_the_ledger(client: Any) -> None:
    page = client.get("/officer")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.text
    assert f'data-ledger="{LEDGER_ID}"' in page.text
    assert "Bàn làm việc của cán bộ" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    english = client.get("/officer?lang=en").text
    assert '<html lang="en">' in english and "Officer console" in english


def test_the_console_page_loads_no_script_from_another_host(client: Any) -> None:
    page = client.get("/officer").text
    assert 'src="/officer/static/js/app.js"' in page
    assert "http://" not in page and "https://" not in page


def test_a_language_the_console_does_not_speak_is_refused(client: Any) -> None:
    answer = client.get("/officer?lang=fr")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "INVALID_FIELD"
