// pickers.js: choosing a household, person, benefit, program, proposal, key or
// payment by what an officer knows (household code, village, name), never by
// typing an id. Each picker is {node, value(), set(id, text), onPick(fn)}; the
// lists come from the console's reads (/v1/search, /v1/benefits, /v1/programs,
// /v1/proposals, /v1/keys, /v1/entities/{id}/history).

import { get } from "./api.js";
import { t, valueLabel } from "./i18n.js";
import { el, vnd, showDate, showMonth } from "./format.js";

/** A search box with results; `load(q, village)` -> {items, more}; `describe(item)` -> text. */
function searchPicker({ id, load, describe, keyOf, villages = false }) {
  let chosen = null;
  const listeners = [];
  const input = el("input", { type: "search", id, placeholder: t("search_ph"), autocomplete: "off" });
  const village = el("select", { "aria-label": t("village") }, el("option", { value: "" }, t("all_villages")));
  const found = el("ul", { class: "found" });
  const shown = el("div", { class: "chosen", hidden: true });
  const finder = el("div", { class: "row" }, input, villages ? village : null);
  const node = el("div", { class: "picker", "data-picker": id }, shown, finder, found);
  let timer = null;
  let asked = 0;

  async function search() {
    const ask = ++asked;
    let answer;
    try {
      answer = await load(input.value.trim(), village.value);
    } catch (err) {
      found.replaceChildren(el("li", { class: "muted" }, err.shown || String(err)));
      return;
    }
    if (ask !== asked || chosen) return; // a newer search is under way, or one was chosen
    if (villages && answer.villages && village.options.length === 1) {
      village.append(...answer.villages.map((v) => el("option", { value: v }, v)));
    }
    found.replaceChildren(
      ...answer.items.map((item) =>
        el("li", {}, el("button", { type: "button", onclick: () => pick(item) }, describe(item))),
      ),
    );
    if (!answer.items.length) found.append(el("li", { class: "muted" }, t("nothing_found")));
    if (answer.more) found.append(el("li", { class: "muted" }, t("more_found")));
  }

  function pick(item) {
    clearTimeout(timer);
    asked++;
    chosen = item;
    shown.replaceChildren(
      el("b", {}, describe(item)),
      el("button", { type: "button", onclick: clear }, t("change")),
    );
    shown.hidden = false;
    finder.hidden = true;
    found.replaceChildren();
    for (const fn of listeners) fn(item);
  }

  function clear() {
    chosen = null;
    shown.hidden = true;
    finder.hidden = false;
    input.focus();
    search();
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener("focus", () => {
    if (!found.children.length) search();
  });
  village.addEventListener("change", search);
  return {
    node,
    value: () => (chosen ? keyOf(chosen) : undefined),
    item: () => chosen,
    pick,
    clear: () => {
      chosen = null;
      shown.hidden = true;
      finder.hidden = false;
    },
    onPick: (fn) => listeners.push(fn),
  };
}

function members(h) {
  return h.members.map((m) => m.full_name).filter(Boolean).join(", ");
}

export function householdPicker(id) {
  return searchPicker({
    id,
    villages: true,
    keyOf: (h) => h.household_id,
    describe: (h) => [h.code, h.village, members(h)].filter(Boolean).join(" · "),
    load: async (q, village) => {
      const found = await get("/v1/search", { q, village });
      return { items: found.households, more: found.more, villages: found.villages };
    },
  });
}

export function personPicker(id) {
  return searchPicker({
    id,
    villages: true,
    keyOf: (p) => p.person_id,
    describe: (p) => {
      const about = [p.relation && valueLabel("relation", p.relation), p.birth_year].filter(Boolean);
      const who = `${p.full_name || t("none")}${about.length ? ` (${about.join(", ")})` : ""}`;
      return [who, p.household?.code, p.household?.village].filter(Boolean).join(" · ");
    },
    load: async (q, village) => {
      const found = await get("/v1/search", { q, village });
      const items = [];
      for (const h of found.households) {
        for (const m of h.members) {
          if (!m.died_on) items.push({ ...m, household: h });
        }
      }
      return { items, more: found.more, villages: found.villages };
    },
  });
}

export function describeBenefit(b) {
  const who = b.beneficiary?.full_name || (b.household ? `${t("household")} ${b.household.code}` : "");
  const where = b.household ? `${b.household.code} · ${b.household.village}` : "";
  return [who, b.program.name, vnd(b.amount), `${t("from_month")} ${showMonth(b.start)}`, where]
    .filter(Boolean)
    .join(" · ");
}

function matches(text, q) {
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  const hay = fold(text);
  return fold(q).split(/\s+/).every((word) => hay.includes(word));
}

/** Benefits in `state` (proposed, approved ...), or all when none is named. */
export function benefitPicker(id, state) {
  return searchPicker({
    id,
    keyOf: (b) => b.benefit_id,
    describe: describeBenefit,
    load: async (q) => {
      const found = await get("/v1/benefits", { state });
      const items = found.benefits.filter((b) => matches(describeBenefit(b), q));
      return { items: items.slice(0, 50), more: items.length > 50 };
    },
  });
}

/** Household status proposals waiting for a decision. */
export function proposalPicker(id) {
  const describe = (p) =>
    [valueLabel("status", p.status), p.household?.code, p.household?.village, p.proposed_by.name]
      .filter(Boolean)
      .join(" · ");
  return searchPicker({
    id,
    keyOf: (p) => p.id,
    describe,
    load: async (q) => {
      const found = await get("/v1/proposals");
      const items = found.proposals.filter((p) => p.kind === "household_status" && matches(describe(p), q));
      return { items, more: false };
    },
  });
}

/** A select of the programs defined. */
export function programPicker(id) {
  const select = el("select", { id }, el("option", { value: "" }, "…"));
  const listeners = [];
  let programs = [];
  get("/v1/programs").then((found) => {
    programs = found.programs;
    select.append(
      ...programs.map((p) =>
        el("option", { value: p.program_id }, `${p.code} — ${p.name} (${valueLabel("kind", p.kind)})`),
      ),
    );
  });
  select.addEventListener("change", () => {
    for (const fn of listeners) fn(programs.find((p) => p.program_id === select.value));
  });
  return {
    node: select,
    value: () => select.value || undefined,
    item: () => programs.find((p) => p.program_id === select.value),
    onPick: (fn) => listeners.push(fn),
  };
}

/** A select of the registered, unrevoked keys. */
export function keyPicker(id) {
  const select = el("select", { id }, el("option", { value: "" }, "…"));
  get("/v1/keys").then((found) => {
    const keys = (found.keys || []).filter((k) => !k.revoked_at && k.revoked_index == null);
    select.append(...keys.map((k) => el("option", { value: k.key_id }, `${k.holder?.name || k.holder_name || ""} — ${k.key_id.slice(0, 12)}…`)));
  });
  return { node: select, value: () => select.value || undefined, onPick: () => {} };
}

/** A payment: its benefit first, then one of the payments recorded on it. */
export function paymentPicker(id) {
  const benefit = benefitPicker(`${id}-benefit`);
  const select = el("select", { id }, el("option", { value: "" }, "…"));
  benefit.onPick(async (b) => {
    const found = await get(`/v1/entities/${b.benefit_id}/history`);
    const paid = found.entries.filter((e) => e.type === "payment.recorded");
    select.replaceChildren(
      el("option", { value: "" }, "…"),
      ...paid.map((e) =>
        el("option", { value: e.body.payment_id }, `${showMonth(e.body.month || "")} ${vnd(e.body.amount)} · ${e.body.paid_on}`),
      ),
    );
  });
  return { node: el("div", {}, benefit.node, select), value: () => select.value || undefined, onPick: () => {} };
}

// -- poverty review rounds (docs/formats.md 11.4), from GET /v1/reviews ------------------
/** What a review picker chooses from: `which` is rounds, meetings, assessments or objections. */
function reviewPicker(id, which, describe, keyOf, enrich = (items) => items) {
  return searchPicker({
    id,
    keyOf,
    describe,
    load: async (q) => {
      const found = await get("/v1/reviews");
      const items = enrich(found[which], found).filter((x) => matches(describe(x), q));
      return { items: items.slice(0, 50), more: items.length > 50 };
    },
  });
}

/** A review round, by its kind and dates. */
export function roundPicker(id) {
  const describe = (r) => `${valueLabel("kind", r.kind)} · ${showDate(r.start)} - ${showDate(r.end)}`;
  return reviewPicker(id, "rounds", describe, (r) => r.round_id);
}

/** A village meeting, by its village and date. */
export function meetingPicker(id) {
  const describe = (m) => `${m.village} · ${showDate(m.date)} · ${m.present}`;
  return reviewPicker(id, "meetings", describe, (m) => m.meeting_id);
}

/** A household's assessment, by its household code and village (recognised ones last). */
export function assessmentPicker(id) {
  const describe = (a) =>
    [a.household.code, a.household.village, valueLabel("result", a.result), a.recognized ? "✓" : ""]
      .filter(Boolean)
      .join(" · ");
  return reviewPicker(id, "assessments", describe, (a) => a.assessment_id);
}

/** An objection, by the day it was lodged and the household it is about. */
export function objectionPicker(id) {
  const describe = (o) =>
    [showDate(o.lodged_on), o.code, o.outcome ? valueLabel("outcome", o.outcome) : "…"]
      .filter(Boolean)
      .join(" · ");
  const withCodes = (objections, found) =>
    objections.map((o) => {
      const a = found.assessments.find((x) => x.assessment_id === o.assessment_id);
      return { ...o, code: a?.household.code };
    });
  return reviewPicker(id, "objections", describe, (o) => o.objection_id, withCodes);
}
