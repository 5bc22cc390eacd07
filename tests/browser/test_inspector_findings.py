"""The inspector's findings, diff and list check (/inspect) in Chromium: a finding followed
to its evidence file, which verifies offline; two checkpoints compared; a printed list's
digest checked, once matching and once not."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Page, expect

from ledger.audit.evidence import verify_evidence
from tests.api.http.commune import HEAD_NAME, make_commune
from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import key_file
from tests.conftest import Officers, Story
from tests.projections.verbs import died, pay


def _signed(page: Page, live: Live) -> int:
    """The notary signs a checkpoint of the whole log: its size."""
    answer = page.request.get(f"{live.url}/v1/log/checkpoint")
    assert answer.ok, answer.text()
    return int(answer.headers["x-ansinh-tree-size"])


def _no_wider_than_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else True, width


def test_an_inspector_follows_a_finding_to_evidence_compares_checkpoints_and_checks_a_list(
    live: Live, page: Page, story: Story, officers: Officers, tmp_path: Path
) -> None:
    commune = make_commune(story)
    first = _signed(page, live)
    listed = page.request.get(f"{live.url}/lists.json?village={quote('Bản Huổi')}")
    digest, as_of, on = (
        hashlib.sha256(listed.body()).hexdigest(),
        listed.json()["as_of"],
        listed.json()["on"],
    )
    died(story, commune.head, "2022-01-20")  # paid for February after the head died
    pay(story, commune.benefit, commune.son, month="2022-02", paid_on="2022-02-10")
    second = _signed(page, live)

    key = key_file(tmp_path, "inspector", officers.keys["inspector"], None)
    page.goto(f"{live.url}/inspect")
    page.set_input_files("#key-file", str(key.path))
    page.click("#sign-in")
    expect(page.locator("#inspect-rows tr")).to_have_count(story.app.size())
    expect(page.locator("h1")).to_have_text("Kiểm tra sổ cái")

    # the findings of the period the ledger covers, the death's among them
    page.click("#inspect-part-findings")
    expect(page.locator("#findings-from")).to_have_value("01/2022")
    expect(page.locator("#findings-to")).to_have_value("02/2022")
    death = page.locator('article.finding[data-code="PAID_AFTER_DEATH"]')
    expect(death).to_have_count(1)
    expect(death.locator("h3")).to_contain_text("Chi sau khi đối tượng đã mất")
    expect(death).to_contain_text("Bản Huổi")
    expect(death).to_contain_text(HEAD_NAME)
    expect(death).to_contain_text("1.624.000 đ")
    expect(death).to_contain_text("Chi cho tháng 02/2022 sau khi đối tượng mất (01/2022)")
    finding_id = (death.get_attribute("id") or "").removeprefix("finding-")
    authority = officers.keys["authority"].key_id
    command = f"ansinh verify evidence-{finding_id}.json --authority {authority}"
    expect(death.locator("pre.command")).to_have_text(command)
    _no_wider_than_the_screen(page)
    shoot(page, "inspect-findings")
    with page.expect_download() as downloaded:
        death.locator("button.evidence").click()
    assert downloaded.value.suggested_filename == f"evidence-{finding_id}.json"
    saved = tmp_path / downloaded.value.suggested_filename
    downloaded.value.save_as(saved)
    outcome = verify_evidence(saved.read_text(), authority=authority)
    died_at = story.app.size() - 2
    assert died_at in outcome.asked and story.app.size() - 1 in outcome.asked

    # the two checkpoints compared: a death and a payment were added
    page.click("#inspect-part-diff")
    expect(page.locator(f'#diff-signed li[data-size="{first}"]')).to_have_count(1)
    page.fill("#diff-from", str(first))
    page.fill("#diff-to", str(second))
    page.click("#diff-compare")
    expect(page.locator("#diff-verdict")).to_contain_text(
        f"ghi thêm {second - first} bút toán, không sửa, không xóa gì"
    )
    expect(page.locator('#diff-ends tr[data-end="first"]')).to_contain_text("đã được công chứng ký")
    expect(page.locator("#diff-types tbody tr")).to_have_count(2)
    huoi = page.locator('#diff-villages tr[data-village="Bản Huổi"]')
    expect(huoi).to_contain_text("1.624.000 đ")
    _no_wider_than_the_screen(page)
    shoot(page, "inspect-diff")

    # the printed list: its short digest matches at the count it prints, not one before
    page.click("#inspect-part-list")
    expect(page.locator('#list-village option[value="Bản Huổi"]')).to_have_count(1)
    page.fill("#list-digest", " ".join(re.findall("....", digest[:32])))
    page.select_option("#list-village", "Bản Huổi")
    page.fill("#list-on", "/".join(reversed(on.split("-"))))
    page.fill("#list-as-of", str(as_of))
    page.click("#list-check")
    expect(page.locator("#list-verdict")).to_have_attribute("data-matches", "true")
    expect(page.locator("#list-recomputed")).to_have_text(digest)
    expect(page.locator("#list-offline")).to_contain_text("ansinh check-list")
    _no_wider_than_the_screen(page)
    shoot(page, "inspect-list")
    page.fill("#list-as-of", str(as_of - 1))
    page.click("#list-check")
    expect(page.locator("#list-verdict")).to_have_attribute("data-matches", "false")
    expect(page.locator("#list-verdict")).to_contain_text("Không khớp")
    page.fill("#list-digest", "not a digest")
    page.click("#list-check")
    expect(page.locator("#list-refused")).to_contain_text("digest:")


def test_in_english_the_findings_say_what_kind_each_is(
    live: Live, page: Page, story: Story, officers: Officers, tmp_path: Path
) -> None:
    commune = make_commune(story)
    died(story, commune.head, "2022-01-20")
    pay(story, commune.benefit, commune.son, month="2022-02", paid_on="2022-02-10")
    key = key_file(tmp_path, "inspector", officers.keys["inspector"], None)
    page.goto(f"{live.url}/inspect?lang=en")
    page.set_input_files("#key-file", str(key.path))
    page.click("#sign-in")
    page.click("#inspect-part-findings")
    death = page.locator('article.finding[data-code="PAID_AFTER_DEATH"]')
    expect(death.locator("h3")).to_contain_text("Paid after death")
    expect(death).to_contain_text("1,624,000 đ")
    page.fill("#findings-from", "03/2022")
    page.fill("#findings-to", "01/2022")
    page.click("#findings-show")
    expect(page.locator("#findings-status")).to_contain_text("from:")
    expect(page.locator("article.finding")).to_have_count(0)
