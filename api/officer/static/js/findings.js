// findings.js: the inspector's findings (sai phạm, bất thường). The reconciliation of a
// period (GET /v1/reports/reconciliation; without months, the period the ledger
// covers), each finding as an inspector reads it: what kind, where, who, which
// months, how much, the Vietnamese text; and its evidence file to download
// (GET /v1/inspect/evidence with the finding's entries), named
// evidence-<finding_id>.json, with the command that verifies it offline against
// the ledger's authority key.

import { api, get, toast } from "./api.js";
import { findingLabel, lang, t } from "./i18n.js";
import { el, download, parseMonth, showMonth, vnd } from "./format.js";

let authority = null; // the ledger's authority key id (entry 0), read once

async function authorityKey() {
  if (authority === null) {
    const keys = await get("/v1/keys");
    authority = keys.find((k) => k.holder.id.startsWith("authority:"))?.id ?? "";
  }
  return authority;
}

function fact(label, value, cls = "") {
  if (value === null || value === undefined || value === "") return null;
  return el("div", { class: `fact ${cls}`.trim() }, el("dt", {}, label), el("dd", {}, value));
}

function months(list) {
  return (list || []).map(showMonth).join(", ");
}

async function takeEvidence(finding, status) {
  const params = new URLSearchParams();
  for (const index of finding.evidence) params.append("index", index);
  const name = `evidence-${finding.finding_id}.json`;
  try {
    const answer = await api(`/v1/inspect/evidence?${params}`, { raw: true });
    download(name, await answer.text(), "application/json");
    status.textContent = t("evidence_saved", { name });
    toast(t("evidence_saved", { name }));
  } catch (err) {
    status.textContent = err.shown ?? String(err);
  }
}

function card(finding, key) {
  const status = el("p", { class: "muted", role: "status" });
  const command = `ansinh verify evidence-${finding.finding_id}.json --authority ${key}`;
  const money = ["expected", "paid", "difference"].some((f) => finding[f] !== null && finding[f] !== undefined);
  return el(
    "article",
    { class: "finding", id: `finding-${finding.finding_id}`, dataset: { code: finding.code } },
    el("h3", {}, findingLabel(finding.code), el("span", { class: "muted code" }, ` ${finding.code} · ${finding.finding_id}`)),
    el("p", { class: "detail", lang: "vi" }, finding.detail_vi),
    lang() === "en" ? el("p", { class: "muted detail" }, finding.detail) : null,
    el(
      "dl",
      { class: "facts" },
      fact(t("f_village"), finding.village),
      fact(t("f_household"), finding.household_code),
      fact(t("f_person"), finding.person_code),
      fact(t("f_name"), finding.name),
      fact(t("f_program"), finding.program_code ? `${finding.program_code} · ${finding.program_name}` : null),
      fact(t("f_months"), months(finding.months)),
      money ? fact(t("f_expected"), vnd(finding.expected ?? 0), "num") : null,
      money ? fact(t("f_paid"), vnd(finding.paid ?? 0), "num") : null,
      money ? fact(t("f_difference"), vnd(finding.difference ?? 0), "num") : null,
      fact(t("f_evidence"), t("f_entries", { list: finding.evidence.join(", ") })),
    ),
    finding.evidence.length
      ? [
          el(
            "div",
            { class: "actions" },
            el("button", { type: "button", class: "evidence", onclick: () => takeEvidence(finding, status) }, t("f_download")),
          ),
          el("p", { class: "muted" }, t("f_verify")),
          el("pre", { class: "command" }, command),
          status,
        ]
      : null,
  );
}

/** The findings part of the inspector's screen, drawn into `box`. */
export async function findingsPart(box) {
  const from = el("input", { id: "findings-from", type: "text", inputmode: "numeric", placeholder: "mm/yyyy", autocomplete: "off" });
  const to = el("input", { id: "findings-to", type: "text", inputmode: "numeric", placeholder: "mm/yyyy", autocomplete: "off" });
  const status = el("p", { id: "findings-status", class: "muted", role: "status" });
  const list = el("div", { id: "findings-list", class: "findings" });
  const field = (id, label, input) => el("label", { class: "field", for: id }, el("span", { class: "label" }, label), input);
  const form = el(
    "form",
    { id: "findings-form", class: "inspect-filters" },
    field("findings-from", t("from_month_field"), from),
    field("findings-to", t("to_month_field"), to),
    el("div", { class: "actions" }, el("button", { type: "submit", id: "findings-show" }, t("show"))),
  );

  async function show(first) {
    const params = {};
    if (!first) {
      const [a, b] = [parseMonth(from.value), parseMonth(to.value)];
      if (a === undefined || b === undefined) {
        status.textContent = t("not_a_month");
        return;
      }
      if (a) params.from = a;
      if (b) params.to = b;
    }
    try {
      const [doc, key] = await Promise.all([get("/v1/reports/reconciliation", params), authorityKey()]);
      from.value = showMonth(doc.period.from);
      to.value = showMonth(doc.period.to);
      const shown = { from: showMonth(doc.period.from), to: showMonth(doc.period.to), n: doc.anomalies.length, size: doc.as_of.entries };
      status.textContent = doc.anomalies.length ? t("findings_found", shown) : t("findings_none", shown);
      list.replaceChildren(...doc.anomalies.map((finding) => card(finding, key)));
    } catch (err) {
      list.replaceChildren();
      status.textContent = err.shown ?? String(err);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    show(false);
  });
  box.replaceChildren(el("h2", {}, t("part_findings")), form, status, list);
  await show(true);
}
