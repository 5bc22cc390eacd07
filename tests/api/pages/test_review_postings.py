"""The public pages show each village's posting window of a poverty review round.

On the list page and its printed copy (niêm yết công khai): where the
results are posted, from and to, the days left, and how many objections
were lodged and answered; in Vietnamese by default, in English with
``?lang=en``; only the village chosen, when one is.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.pages.commune import page
from tests.conftest import Story
from tests.support.drafts import Draft
from tests.support.steps import reviews as r


def _posted_with_objection(story: Story) -> Draft:
    assessed = r.posted_assessment(story)
    lodged = r.objection(str(assessed.body["assessment_id"]))
    story.submit(lodged.sub(story.o))
    return lodged


def _row(text: str) -> str:
    found = re.search(r'<tr data-village="Bản Huổi">(.*?)</tr>', text, re.S)
    assert found is not None, "no posting row for Bản Huổi"
    return re.sub(r"<[^>]+>", "|", found.group(1))


def test_the_list_page_shows_the_posting_window_in_vietnamese(
    client: TestClient, story: Story
) -> None:
    _posted_with_objection(story)
    text = page(client, "/lists?on=2024-10-19")
    assert "Niêm yết công khai kết quả rà soát hộ nghèo, hộ cận nghèo" in text
    cells = [c for c in _row(text).split("|") if c.strip()]
    assert cells == ["Bản Huổi", "Nhà văn hóa bản Huổi", "15/10/2024", "21/10/2024", "3", "1", "0"]


def test_the_printed_notice_shows_it_too_and_says_when_it_closed(
    client: TestClient, story: Story
) -> None:
    _posted_with_objection(story)
    text = page(client, "/print/lists?on=2024-11-01")
    cells = [c for c in _row(text).split("|") if c.strip()]
    assert cells[2:] == ["15/10/2024", "21/10/2024", "Đã hết hạn", "1", "0"]


def test_the_posting_window_in_english(client: TestClient, story: Story) -> None:
    _posted_with_objection(story)
    text = page(client, "/lists?on=2024-10-19&lang=en")
    assert "Public posting of the poverty review results" in text
    assert "2024-10-21" in _row(text)


def test_no_posting_section_without_a_round_or_for_another_village(
    client: TestClient, story: Story
) -> None:
    story.household("Bản Mé")
    assert 'id="postings"' not in page(client, "/lists")
    _posted_with_objection(story)
    assert 'id="postings"' in page(client, "/lists?village=B%E1%BA%A3n%20Hu%E1%BB%95i")
    assert 'id="postings"' not in page(client, "/lists?village=B%E1%BA%A3n%20M%C3%A9")
