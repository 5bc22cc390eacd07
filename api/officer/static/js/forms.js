// forms.js: screen 2, "Ghi sổ". One form per statement type the officer's roles
// allow, made from GET /v1/types and the labels. Ids are made here (newId),
// references chosen with pickers, personal data sealed into a vault record.
// "Kiểm tra" shows every problem at once beside its field (the ledger's own
// messages, POST /v1/statements/check); then the exact statement to be signed is
// shown; "Ký và ghi vào sổ" signs it here and records it.

import { api, get, session, ApiError } from "./api.js";
import { t, typeLabel, fieldLabel } from "./i18n.js";
import { el, thisMonth, today } from "./format.js";
import { newId } from "./dsse.js";
import { FieldProblem, madeWidget, pickerWidget, plainWidget } from "./fields.js";
import { birthYearWidget, checkpointLoader, evidenceWidget, piiWidget, pubLoader } from "./extras.js";
import * as pickers from "./pickers.js";
import { draft, record } from "./submit.js";

/** The field of each type whose value is a new id, made here. */
export const NEW_ID = {
  "household.registered": "household_id",
  "person.registered": "person_id",
  "household.status.proposed": "proposal_id",
  "program.defined": "program_id",
  "fund.received": "receipt_id",
  "fund.returned": "return_id",
  "benefit.proposed": "benefit_id",
  "payment.recorded": "payment_id",
  // poverty review rounds (docs/formats.md 11.4)
  "review.opened": "round_id",
  "household.assessed": "assessment_id",
  "village.meeting.held": "meeting_id",
  "review.posted": "posting_id",
  "objection.lodged": "objection_id",
};
// The benefits a decision or a payment may name, by the state they must be in.
const BENEFIT_STATE = {
  "benefit.approved": "proposed",
  "benefit.rejected": "proposed",
  "benefit.ended": "approved",
  "payment.recorded": "approved",
};

let typesCache = null;

/** The statement types (GET /v1/types), fetched once. */
export async function statementTypes() {
  if (!typesCache) typesCache = (await get("/v1/types")).types;
  return typesCache;
}

/** The types the signed-in officer may sign. */
async function allowed() {
  const roles = session.me.roles;
  return (await statementTypes()).filter(
    (x) => x.type !== "ledger.opened" && (x.roles || []).some((r) => roles.includes(r)),
  );
}

/** The fields that hold values (an object's own entry is left out when its parts are listed). */
function leaves(fields) {
  return fields.filter(
    (f) => f.kind !== "object" && !fields.some((g) => g.path.startsWith(`${f.path}.`)),
  );
}

function widgetFor(type, field, made) {
  const id = `w-${field.path.replace(/\W/g, "-")}`;
  const path = field.path;
  if (NEW_ID[type] === path) return madeWidget(type, field, newId);
  if (path === "pii") return piiWidget(type, field, () => made.person_id?.read());
  if (path === "birth_year" && type === "person.registered") {
    return birthYearWidget(type, field, { birthYear: () => made.pii?.birthYear() });
  }
  if (path === "receipt.evidence") return evidenceWidget(type, field);
  if (path === "household_id") return pickerWidget(type, field, pickers.householdPicker(id));
  if (path === "person_id" || path === "recipient" || path === "other_person_id") {
    return pickerWidget(type, field, pickers.personPicker(id));
  }
  if (path === "benefit_id") return pickerWidget(type, field, pickers.benefitPicker(id, BENEFIT_STATE[type]));
  if (path === "program_id") return pickerWidget(type, field, pickers.programPicker(id));
  if (path === "proposal_id") return pickerWidget(type, field, pickers.proposalPicker(id));
  if (path === "key_id") return pickerWidget(type, field, pickers.keyPicker(id));
  if (path === "payment_id") return pickerWidget(type, field, pickers.paymentPicker(id));
  if (path === "round_id") return pickerWidget(type, field, pickers.roundPicker(id));
  if (path === "meeting_id") return pickerWidget(type, field, pickers.meetingPicker(id));
  if (path === "assessment_id") return pickerWidget(type, field, pickers.assessmentPicker(id));
  if (path === "objection_id") return pickerWidget(type, field, pickers.objectionPicker(id));
  return plainWidget(type, field);
}

function setPath(body, path, value) {
  const parts = path.split(".");
  let at = body;
  for (const part of parts.slice(0, -1)) at = at[part] ??= {};
  at[parts.at(-1)] = value;
}

/** Where a problem of the ledger belongs: the widget of its field, or the form. */
function widgetOf(widgets, field) {
  const path = String(field || "").replace(/^body\./, "");
  return (
    widgets.find((w) => w.path === path) ||
    widgets.find((w) => path.startsWith(`${w.path}.`)) ||
    widgets.find((w) => w.path.startsWith(`${path}.`))
  );
}

function prefill(type, byPath) {
  if (type === "payment.recorded") {
    byPath.month?.set?.(thisMonth());
    byPath.paid_on?.set?.(today());
    byPath["receipt.kind"]?.set?.("signature");
    byPath.method?.set?.("cash");
    byPath.benefit_id?.picker.onPick((b) => {
      byPath.amount?.set?.(b.amount);
      const recipient = byPath.recipient?.picker;
      if (b.beneficiary && recipient && !recipient.value()) recipient.pick({ ...b.beneficiary, household: b.household });
      if (b.program.kind !== "monthly") byPath.month?.set?.("");
    });
  }
  if (type === "review.recognized") {
    // the decision names the assessment's household and result
    byPath.assessment_id?.picker.onPick((a) => {
      byPath.result?.set?.(a.result);
      const home = byPath.household_id?.picker;
      if (home && !home.value()) home.pick({ ...a.household, members: [] });
    });
  }
  if (type === "objection.answered") {
    byPath.objection_id?.picker.onPick(async (o) => {
      const assessment = byPath.assessment_id?.picker;
      if (!assessment || assessment.value()) return;
      const found = (await get("/v1/reviews")).assessments.find((a) => a.assessment_id === o.assessment_id);
      if (found) assessment.pick(found);
    });
  }
  for (const path of ["decision.date", "date", "effective"]) byPath[path]?.set?.(today());
}

/** The form of one type: its fields, the problems, the preview, the buttons. */
function typeForm(info, area) {
  const type = info.type;
  const made = {};
  const widgets = [];
  for (const field of leaves(info.fields)) {
    const w = widgetFor(type, field, made);
    made[field.path] = w;
    widgets.push(w);
  }
  const byPath = Object.fromEntries(widgets.map((w) => [w.path, w]));
  prefill(type, byPath);
  const fill = (values) => {
    for (const [path, value] of Object.entries(values)) byPath[path]?.set?.(value);
  };
  const problems = el("div", { class: "problems", id: "problems", role: "alert", hidden: true });
  const outcome = el("div", { id: "outcome", role: "status" });
  const preview = el("pre", { class: "preview", id: "preview", hidden: true });
  const previewTitle = el("h3", { hidden: true }, t("preview"));
  const checkButton = el("button", { type: "submit", class: "primary", id: "check" }, t("check"));
  const signButton = el("button", { type: "button", class: "good", id: "sign", disabled: true }, t("sign_submit"));
  const form = el(
    "form",
    { class: "record", id: "record-form", novalidate: true },
    type === "key.registered" ? pubLoader(fill) : null,
    type === "inspection.attested" ? checkpointLoader(fill) : null,
    widgets.map((w) => w.node),
  );
  let ready = null; // {stmt, vault} once checked

  const showProblems = (list) => {
    problems.replaceChildren(el("b", {}, t("fix_fields", { n: list.length })), el("ul", {}, list.map((p) => el("li", {}, p))));
    problems.hidden = !list.length;
  };

  async function collect() {
    const body = {};
    const vault = [];
    const local = [];
    const failed = new Set();
    for (const w of widgets) w.clear();
    for (const w of widgets) {
      try {
        const value = await w.read();
        if (value !== undefined) setPath(body, w.path, value);
        if (w.vault) vault.push(...w.vault());
      } catch (err) {
        if (!(err instanceof FieldProblem)) throw err;
        if (err.message) w.fail(err.message);
        failed.add(w);
        local.push(`${fieldLabel(type, w.path).label}: ${err.message || t("required")}`);
      }
    }
    for (const rule of info.rules || []) {
      if (rule.rule !== "exactly_one_of") continue;
      const given = rule.fields.filter((path) => byPath[path] && !failed.has(byPath[path]) && byPath[path].picker?.value?.());
      if (given.length === 1) continue;
      const names = rule.fields.map((path) => fieldLabel(type, path).label).join(", ");
      const message = t("exactly_one", { names });
      for (const path of rule.fields) {
        byPath[path]?.fail(message);
        if (byPath[path]) failed.add(byPath[path]);
      }
      local.push(message);
    }
    return { body, vault, local, failed };
  }

  async function check(event) {
    event?.preventDefault();
    ready = null;
    signButton.disabled = true;
    preview.hidden = true;
    previewTitle.hidden = true;
    outcome.replaceChildren();
    checkButton.disabled = true;
    checkButton.textContent = t("checking");
    try {
      const { body, vault, local, failed } = await collect();
      const answer = await api("/v1/statements/check", {
        method: "POST",
        json: { type, body, by: session.signer.keyId, vault },
      });
      const list = [...local];
      for (const p of answer.problems) {
        const w = widgetOf(widgets, p.field);
        if (w && failed.has(w)) continue; // its own problem is already shown
        if (w) w.fail(p.message);
        list.push(w ? `${fieldLabel(type, w.path).label}: ${p.message}` : `${p.field}: ${p.message}`);
      }
      showProblems(list);
      if (list.length) return;
      const stmt = draft(type, body);
      ready = { stmt, vault };
      preview.textContent = JSON.stringify(stmt, null, 2) + (vault.length ? `\n\n// vault\n${JSON.stringify(vault, null, 2)}` : "");
      preview.hidden = false;
      previewTitle.hidden = false;
      outcome.replaceChildren(el("div", { class: "notice" }, t("all_good")));
      signButton.disabled = false;
    } catch (err) {
      showProblems([err instanceof ApiError ? err.shown : String(err.message || err)]);
    } finally {
      checkButton.disabled = false;
      checkButton.textContent = t("check");
    }
  }

  signButton.addEventListener("click", async () => {
    if (!ready) return;
    signButton.disabled = true;
    try {
      const answer = await record(ready.stmt, ready.vault);
      outcome.replaceChildren(el("div", { class: "notice", id: "recorded" }, t("recorded_at", { index: answer.index })));
      ready = null;
      for (const w of widgets) w.renew?.();
    } catch (err) {
      showProblems([err instanceof ApiError ? err.shown : String(err.message || err)]);
    }
  });

  form.addEventListener("submit", check);
  area.replaceChildren(
    el("p", { class: "muted" }, fieldLabel(type, "").help || ""),
    form,
    problems,
    el("div", { class: "actions" }, el("button", { type: "button", onclick: () => form.requestSubmit() }, t("check")), signButton),
    previewTitle,
    preview,
    outcome,
  );
  checkButton.hidden = true;
  form.append(checkButton);
}

/** The record screen: choose what to record, fill its form, check, sign. */
export async function recordScreen(main) {
  const types = await allowed();
  const wanted = new URLSearchParams(location.hash.split("?")[1] || "").get("type");
  const select = el(
    "select",
    { id: "statement-type" },
    types.map((x) => el("option", { value: x.type }, typeLabel(x.type))),
  );
  const area = el("div", { id: "form-area" });
  const show = () => typeForm(types.find((x) => x.type === select.value), area);
  select.addEventListener("change", show);
  main.replaceChildren(
    el("h1", {}, t("record_title")),
    el("div", { class: "field" }, el("label", { for: "statement-type" }, t("what_to_record")), select),
    area,
  );
  if (wanted && types.some((x) => x.type === wanted)) select.value = wanted;
  if (types.length) show();
}

