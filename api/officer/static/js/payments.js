// payments.js: screen 5, "Chi trả tháng". Pick a month and a village: the
// payroll sheet (GET /v1/payroll/sheet, drawn by payroll-sheet.js) to print for
// the recipients' signatures, or download as XLSX. Then record the month's
// payments on one screen: tick who was paid, the method, the date, a receipt
// number or a scan per row; all are signed here and recorded as one batch.

import { api, get, holds, ApiError } from "./api.js";
import { t, lang, valueLabel } from "./i18n.js";
import { el, download, vnd, thisMonth, showMonth, parseMonth, parseDate, showDate, today } from "./format.js";
import { newId } from "./dsse.js";
import { evidenceOf } from "./vault.js";
import { recordBatch } from "./submit.js";

const METHODS = ["cash", "post", "bank"];
const KINDS = ["signature", "thumbprint", "bank_ref", "proxy"];

function sheetRows(sheet) {
  return (sheet.villages || []).flatMap((v) => (v.rows || []).map((r) => ({ ...r, village: v.village ?? v.name })));
}

function paymentRow(r, month, kinds) {
  const tick = el("input", { type: "checkbox", class: "paid-tick", "aria-label": t("paid") });
  const method = el("select", { class: "method" }, METHODS.map((m) => el("option", { value: m }, valueLabel("method", m))));
  const kind = el("select", { class: "receipt-kind" }, KINDS.map((k) => el("option", { value: k }, valueLabel("receipt.kind", k))));
  const paidOn = el("input", { type: "text", class: "paid-on", inputmode: "numeric", value: showDate(today()), size: 10 });
  const number = el("input", { type: "text", class: "receipt-no", placeholder: t("receipt_no"), size: 10 });
  const scan = el("input", { type: "file", class: "scan", accept: "image/*,application/pdf", "aria-label": t("scan") });
  const node = el(
    "tr",
    { "data-benefit": r.benefit_id },
    el("td", { "data-label": t("paid") }, tick),
    el("td", { "data-label": t("beneficiary") }, r.recipient?.full_name || r.name || "", el("div", { class: "muted" }, r.village || "")),
    el("td", { class: "num", "data-label": t("due") }, vnd(r.due)),
    el("td", { "data-label": t("method") }, method),
    el("td", { "data-label": t("paid_on") }, paidOn),
    el("td", { "data-label": t("receipt") }, kind, number, scan),
  );
  return {
    node,
    ticked: () => tick.checked,
    tick: (on) => {
      tick.checked = on;
    },
    async statement() {
      const source = scan.files.length ? scan.files[0] : number.value.trim();
      if (!source) throw new Error(t("need_evidence", { row: r.recipient?.full_name || r.benefit_id }));
      const day = parseDate(paidOn.value);
      if (!day) throw new Error(`${t("paid_on")}: ${t("not_a_date")}`);
      const body = {
        payment_id: newId(),
        benefit_id: r.benefit_id,
        amount: r.due - (r.paid || 0),
        paid_on: day,
        method: method.value,
        recipient: r.recipient?.person_id || r.person_id,
        receipt: { kind: kind.value, evidence: await evidenceOf(source) },
      };
      if (kinds[r.program_id] === "monthly") body.month = month; // one-off and in-kind name none
      return { type: "payment.recorded", body };
    },
  };
}

function recordPanel(sheet, month, kinds) {
  const due = sheetRows(sheet).filter((r) => r.status !== "paid" && r.due > (r.paid || 0));
  const rows = due.map((r) => paymentRow(r, month, kinds));
  const state = el("div", { id: "payments-state", role: "status" });
  const everyone = el("input", { type: "checkbox", id: "tick-all", "aria-label": t("tick_all") });
  everyone.addEventListener("change", () => rows.forEach((r) => r.tick(everyone.checked)));
  const bar = el("progress", { id: "payments-progress", max: rows.length || 1, value: 0, hidden: true });
  const sign = el("button", { type: "button", class: "good", id: "sign-payments", disabled: !holds("cashier") }, t("sign_all"));
  sign.addEventListener("click", async () => {
    const chosen = rows.filter((r) => r.ticked());
    if (!chosen.length) return state.replaceChildren(el("div", { class: "problems" }, t("none_ticked")));
    sign.disabled = true;
    try {
      const items = [];
      for (const r of chosen) items.push(await r.statement());
      bar.hidden = false;
      bar.max = items.length;
      const entries = await recordBatch(items, (i) => (bar.value = i));
      state.replaceChildren(el("div", { class: "notice", id: "payments-recorded" }, t("batch_recorded", { n: entries.length, first: entries[0].index, last: entries.at(-1).index })));
    } catch (err) {
      sign.disabled = false;
      state.replaceChildren(el("div", { class: "problems" }, err instanceof ApiError ? err.shown : String(err.message || err)));
    }
  });
  return el(
    "section",
    { class: "noprint", id: "record-payments" },
    el("h2", {}, t("record_payments")),
    el("p", { class: "muted" }, t("tick_paid")),
    el(
      "div",
      { class: "scroll" },
      el(
        "table",
        { class: "rows" },
        el("thead", {}, el("tr", {}, el("th", {}, everyone, ` ${t("paid")}`), [t("beneficiary"), t("due"), t("method"), t("paid_on"), t("receipt")].map((h) => el("th", {}, h)))),
        el("tbody", {}, rows.map((r) => r.node)),
      ),
    ),
    el("div", { class: "actions" }, sign),
    bar,
    state,
  );
}

export async function payrollScreen(main) {
  const month = el("input", { type: "text", id: "payroll-month", inputmode: "numeric", placeholder: "mm/yyyy", value: showMonth(thisMonth()) });
  const village = el("select", { id: "payroll-village" }, el("option", { value: "" }, t("all_villages")));
  const program = el("select", { id: "payroll-program" }, el("option", { value: "" }, t("program_all")));
  const sheetArea = el("div", { id: "sheet" });
  const recordArea = el("div");
  const printButton = el("button", { type: "button", id: "print", disabled: true, onclick: () => window.print() }, t("print"));
  const xlsxButton = el("button", { type: "button", id: "xlsx", disabled: true }, t("download_xlsx"));
  const payButton = el("button", { type: "button", id: "pay", disabled: true }, t("record_payments"));
  const showSheet = el("button", { type: "button", id: "back-to-sheet", hidden: true }, t("payroll_title"));
  const view = (paying) => {
    sheetArea.hidden = paying;
    recordArea.hidden = !paying;
    payButton.hidden = paying;
    showSheet.hidden = !paying;
    printButton.disabled = paying;
  };
  payButton.addEventListener("click", () => view(true));
  showSheet.addEventListener("click", () => view(false));
  const form = el(
    "form",
    { class: "panel noprint" },
    el(
      "div",
      { class: "fields" },
      el("div", { class: "field" }, el("label", { for: "payroll-month" }, t("month")), month),
      el("div", { class: "field" }, el("label", { for: "payroll-village" }, t("village")), village),
      el("div", { class: "field" }, el("label", { for: "payroll-program" }, t("program")), program),
    ),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "primary", id: "show-sheet" }, t("show")), printButton, xlsxButton, payButton, showSheet),
  );
  main.replaceChildren(el("h1", { class: "noprint" }, t("payroll_title")), form, sheetArea, recordArea);
  get("/v1/search", { q: "" }).then((found) => village.append(...found.villages.map((v) => el("option", { value: v }, v))));
  const kinds = {};
  get("/v1/programs").then((found) => {
    for (const p of found.programs) kinds[p.program_id] = p.kind;
    program.append(...found.programs.map((p) => el("option", { value: p.program_id }, p.name)));
  });
  const params = () => ({ month: parseMonth(month.value) || "", village: village.value, program: program.value, lang: lang() });
  const query = () => new URLSearchParams(Object.entries(params()).filter(([, v]) => v)).toString();
  const fail = (err) => sheetArea.replaceChildren(el("div", { class: "problems" }, err instanceof ApiError ? err.shown : String(err.message || err)));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const sheet = await get("/v1/payroll/sheet", params());
      sheetArea.replaceChildren();
      const { renderPayrollSheet } = await import("./payroll-sheet.js"); // its own helper's module
      renderPayrollSheet(sheetArea, sheet, lang());
      recordArea.replaceChildren(recordPanel(sheet, params().month, kinds));
      xlsxButton.disabled = false;
      payButton.disabled = false;
      view(false);
    } catch (err) {
      fail(err);
    }
  });
  xlsxButton.addEventListener("click", async () => {
    try {
      const answer = await api(`/v1/payroll/sheet.xlsx?${query()}`, { raw: true });
      download(`chi-tra-${params().month}.xlsx`, await answer.blob());
    } catch (err) {
      fail(err);
    }
  });
}
