// inbox.js: screen 3, the approver's queue (maker-checker). Every proposal
// waiting (GET /v1/proposals) with who proposed it, the household, the
// beneficiary, the grounds and its history; approve with a decision number and
// date, or reject with a reason, signed here. The officer's own proposals are
// shown, their buttons disabled with the reason: the ledger refuses a
// self-approval anyway (403), the console says so before.

import { get, holds, ApiError } from "./api.js";
import { t, typeLabel, valueLabel } from "./i18n.js";
import { el, vnd, showDate, showMonth, today, parseDate } from "./format.js";
import { draft, record } from "./submit.js";

function basisOf(p) {
  if (typeof p.basis === "string") return p.basis;
  const b = p.basis || {};
  const parts = [];
  if (b.income_per_capita_month !== undefined) parts.push(t("per_person_month", { amount: vnd(b.income_per_capita_month) }));
  if (b.deprivation_count !== undefined) parts.push(t("deprivations", { n: b.deprivation_count }));
  if (b.note) parts.push(b.note);
  return parts.join("; ");
}

function facts(p) {
  const rows = [[t("proposed_by"), `${p.proposed_by.name || p.proposed_by.holder_id}`]];
  if (p.household) rows.push([t("household"), `${p.household.code} · ${p.household.village}`]);
  if (p.beneficiary) {
    rows.push([t(p.kind === "benefit" ? "beneficiary" : "head"), p.beneficiary.full_name || p.beneficiary.person_id]);
  }
  if (p.kind === "benefit") {
    rows.push([t("program"), `${p.program.name} (${valueLabel("kind", p.program.kind)})`]);
    rows.push([t("amount"), vnd(p.amount)]);
    rows.push([t("from_month"), showMonth(p.start) + (p.end ? ` – ${showMonth(p.end)}` : "")]);
  } else {
    rows.push([t("status"), valueLabel("status", p.status)]);
    rows.push([t("effective"), showDate(p.effective)]);
  }
  rows.push([t("basis"), basisOf(p)]);
  return el("dl", {}, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

/** The proposal's history, read when opened: each entry's number, type, day and signer. */
function historyOf(p) {
  const list = el("ol", { class: "history" });
  const details = el("details", {}, el("summary", {}, `${t("history")} · ${t("entry")} ${p.index}`), list);
  details.addEventListener("toggle", async () => {
    if (!details.open || list.children.length) return;
    try {
      const found = await get(p.history);
      list.append(
        ...found.entries.map((e) =>
          el("li", { value: e.index }, `${typeLabel(e.type)} · ${showDate(e.recorded_at.slice(0, 10))} · ${e.by}`),
        ),
      );
    } catch (err) {
      list.append(el("li", {}, err instanceof ApiError ? err.shown : String(err)));
    }
  });
  return details;
}

function decisionFields(p) {
  const number = el("input", { type: "text", id: `number-${p.id}`, name: "number", autocomplete: "off" });
  const date = el("input", { type: "text", id: `date-${p.id}`, name: "date", inputmode: "numeric", placeholder: "dd/mm/yyyy", value: showDate(today()) });
  const reason = el("input", { type: "text", id: `reason-${p.id}`, name: "reason", autocomplete: "off" });
  return { number, date, reason };
}

function card(p, reload) {
  const type = p.kind === "benefit" ? "benefit" : "household.status";
  const idField = p.kind === "benefit" ? "benefit_id" : "proposal_id";
  const inputs = decisionFields(p);
  const problem = el("div", { class: "problems", role: "alert", hidden: true });
  const mayDecide = holds("approver") && !p.own;
  const why = p.own ? t("own_cannot") : holds("approver") ? "" : t("not_approver");
  const fail = (text) => {
    problem.textContent = text;
    problem.hidden = false;
  };
  async function decide(kind) {
    problem.hidden = true;
    const body = { [idField]: p.id };
    if (kind === "approved") {
      const day = parseDate(inputs.date.value);
      if (!inputs.number.value.trim()) return fail(`${t("decision_number")}: ${t("required")}`);
      if (!day) return fail(`${t("decision_date")}: ${t("not_a_date")}`);
      body.decision = { number: inputs.number.value.trim().normalize("NFC"), date: day };
    } else {
      if (!inputs.reason.value.trim()) return fail(`${t("reason")}: ${t("required")}`);
      body.reason = inputs.reason.value.trim().normalize("NFC");
    }
    try {
      const answer = await record(draft(`${type}.${kind}`, body));
      node.replaceChildren(el("div", { class: "notice" }, t(kind === "approved" ? "approved_ok" : "rejected_ok", { index: answer.index })));
      setTimeout(reload, 1500);
    } catch (err) {
      fail(err instanceof ApiError ? err.shown : String(err.message || err));
    }
  }
  const label = (text, input) => el("div", { class: "field" }, el("label", { for: input.id }, text), input);
  const node = el(
    "article",
    { class: "card", "data-proposal": p.id },
    el("h3", {}, t(`kind_${p.kind}`), " ", p.own ? el("span", { class: "badge own" }, t("own_proposal")) : null),
    facts(p),
    historyOf(p),
    el(
      "div",
      { class: "fields" },
      label(t("decision_number"), inputs.number),
      label(t("decision_date"), inputs.date),
      el("div", { class: "actions wide" }, el("button", { type: "button", class: "good approve", disabled: !mayDecide, title: why || null, onclick: () => decide("approved") }, t("approve"))),
      el("div", { class: "field wide" }, el("label", { for: inputs.reason.id }, t("reason")), inputs.reason),
      el("div", { class: "actions wide" }, el("button", { type: "button", class: "reject", disabled: !mayDecide, title: why || null, onclick: () => decide("rejected") }, t("reject"))),
    ),
    why ? el("p", { class: "why" }, why) : null,
    problem,
  );
  for (const input of Object.values(inputs)) input.disabled = !mayDecide;
  return node;
}

/** The inbox: proposals waiting, newest last. */
export async function inboxScreen(main) {
  const list = el("div", { class: "cards", id: "proposals" });
  main.replaceChildren(el("h1", {}, t("inbox_title")), list);
  const reload = () => inboxScreen(main);
  const found = await get("/v1/proposals");
  if (!found.proposals.length) list.replaceWith(el("p", { class: "muted", id: "proposals" }, t("inbox_empty")));
  list.append(...found.proposals.map((p) => card(p, reload)));
}
