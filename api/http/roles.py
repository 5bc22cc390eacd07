"""Who sees what: the roles of the signed-in key, and what an anonymous reader is not shown.

The roles (as registered in the ledger for the signed-in key):

- a person's attributes (sex, birth year, date of death in the registry;
  the same, and the grounds of benefits and ratings, in histories; dates of
  death in reconciliation): every role (:data:`DETAIL_ROLES`);
- names (``full_name``) in the registry: registrar, approver, cashier,
  inspector, admin (:data:`NAME_ROLES`);
- national ids, the vault (``/v1/vault``), and duplicate national ids in
  reconciliation: registrar, approver, inspector, admin
  (:data:`IDENTITY_ROLES`);
- the unmasked payroll (names, person ids, recipients): cashier, approver,
  inspector, admin (:data:`PAYROLL_ROLES`).

**What an anonymous reader sees** (DESIGN.md, "Rules of the domain": public
lists show name, village, category and amount; never the national id,
ethnicity, health or disability detail, or bank account). Without signing
in, a reader gets what the approved lists may show, and the ids, codes,
statuses and amounts that tie them to the log and let anyone check the
money; never a person's own attributes: sex, birth year, date of death,
national id, or the grounds of a benefit or of a household's rating
(disability and health detail, income, deprivations). So, anonymously,
a registry member is only its ``person_id`` and ``relation``
(:data:`api.reading.MEMBER_DETAIL` left out); a history leaves out the
fields of :data:`STATEMENT_DETAIL` and says which (``withheld``); a
reconciliation anomaly found by a death does not give its date
(:func:`withhold_deaths`). The log itself (``/v1/log/entries``, bundles) is
public whole by design (FORMATS §5) and carries the signed bodies: these
views do not add to it by joining them up.
"""

from __future__ import annotations

from typing import Any

DETAIL_ROLES = frozenset({"registrar", "approver", "cashier", "inspector", "admin"})
NAME_ROLES = frozenset({"registrar", "approver", "cashier", "inspector", "admin"})
IDENTITY_ROLES = frozenset({"registrar", "approver", "inspector", "admin"})
PAYROLL_ROLES = frozenset({"cashier", "approver", "inspector", "admin"})

# A signed statement's fields that describe a person or a household's circumstances.
STATEMENT_DETAIL: dict[str, tuple[str, ...]] = {
    "person.registered": ("sex", "birth_year"),
    "person.died": ("date",),
    "benefit.proposed": ("basis",),
    "household.status.proposed": ("basis",),
    "benefit.change.proposed": ("reason",),  # FORMATS 1.3: why a benefit is suspended
    "person.left": ("date", "to"),  # where a person moved to
}
DEATH_WITHHELD = "paid after a death; the date is shown to signed-in officers"
DEATH_WITHHELD_VI = "Chi sau khi đối tượng đã mất; ngày mất chỉ hiện cho cán bộ đã đăng nhập"


def withhold_detail(kind: str, body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A statement's body without the fields of :data:`STATEMENT_DETAIL`, and their names."""
    withheld = [f for f in STATEMENT_DETAIL.get(kind, ()) if f in body]
    if not withheld:
        return body, []
    return {k: v for k, v in body.items() if k not in withheld}, withheld


def withhold_deaths(anomalies: list[dict[str, Any]], deaths: set[int]) -> None:
    """Anomalies without the date of a death (``PAID_AFTER_DEATH``): not in their texts,
    nor the entries of ``deaths`` (the deaths recorded) among their evidence."""
    for anomaly in anomalies:
        if anomaly["code"] == "PAID_AFTER_DEATH":
            anomaly["detail"] = DEATH_WITHHELD
            anomaly["detail_vi"] = DEATH_WITHHELD_VI
            anomaly["evidence"] = [i for i in anomaly.get("evidence", []) if i not in deaths]


COMPLAINT_FINDINGS = ("GRIEVANCE_OVERDUE", "PAYMENT_DISPUTED")
# What a finding about a grievance keeps for an anonymous reader (FORMATS 1.3, 11.5).
COMPLAINT_KEPT = ("code", "detail", "detail_vi", "finding_id", "program_code", "program_name")


def withhold_complainants(anomalies: list[dict[str, Any]]) -> None:
    """Findings about grievances (docs/formats.md 11.5) without what would say who
    complained: no household, village, person, benefit, payment, grievance or entry."""
    for anomaly in anomalies:
        if anomaly["code"] in COMPLAINT_FINDINGS:
            kept = {k: v for k, v in anomaly.items() if k in COMPLAINT_KEPT}
            anomaly.clear()
            anomaly.update(kept, evidence=[])


LEAVING_WITHHELD = (
    "paid after leaving the commune; when and where to is shown to signed-in officers"
)
LEAVING_WITHHELD_VI = (
    "Chi sau khi đối tượng chuyển đi nơi khác; thời gian và nơi chuyển đến chỉ hiện cho cán bộ "
    "đã đăng nhập"
)


def withhold_departures(anomalies: list[dict[str, Any]], departures: set[int]) -> None:
    """Anomalies without where and when a person moved (``PAID_AFTER_LEAVING``): not in
    their texts, nor the entries of ``departures`` (``person.left``) among their evidence."""
    for anomaly in anomalies:
        if anomaly["code"] == "PAID_AFTER_LEAVING":
            anomaly["detail"] = LEAVING_WITHHELD
            anomaly["detail_vi"] = LEAVING_WITHHELD_VI
            anomaly["evidence"] = [i for i in anomaly.get("evidence", []) if i not in departures]
