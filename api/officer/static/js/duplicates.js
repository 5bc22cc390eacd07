// duplicates.js: the queue of suspected duplicate identities (GET /v1/duplicates):
// two people with the same national id, or the same name, birth year and village.
// Each pair shows both people side by side and its decision; an approver decides
// an open pair here, signing identity.reviewed (docs/formats.md 10.3) in this
// browser: the same person registered twice, or two different people.

import { get, holds, ApiError } from "./api.js";
import { t, valueLabel } from "./i18n.js";
import { el, showDate, today, parseDate } from "./format.js";
import { draft, record } from "./submit.js";

function person(p) {
  return el(
    "dl",
    { class: "person" },
    el("dt", {}, t("dup_code")), el("dd", {}, p.code || p.person_id),
    el("dt", {}, t("dup_name")), el("dd", {}, p.full_name || "—"),
    el("dt", {}, t("dup_born")), el("dd", {}, String(p.birth_year)),
    el("dt", {}, t("dup_village")), el("dd", {}, p.village || "—"),
  );
}

function card(pair, n, decidable, reload) {
  const id = `pair-${n}`;
  const basis = el("input", { type: "text", id: `${id}-basis`, autocomplete: "off" });
  const number = el("input", { type: "text", id: `${id}-number`, autocomplete: "off" });
  const date = el("input", { type: "text", id: `${id}-date`, inputmode: "numeric", placeholder: "dd/mm/yyyy", value: showDate(today()) });
  const problem = el("div", { class: "problems", role: "alert", hidden: true });
  const may = decidable && holds("approver") && !pair.decision;
  const why = pair.decision ? "" : !decidable ? t("dup_needs_1_2") : holds("approver") ? "" : t("not_approver");
  const fail = (text) => {
    problem.textContent = text;
    problem.hidden = false;
  };
  async function decide(outcome) {
    problem.hidden = true;
    if (!basis.value.trim()) return fail(`${t("dup_basis")}: ${t("required")}`);
    const body = {
      person_id: pair.person.person_id,
      other_person_id: pair.first.person_id,
      outcome,
      basis: basis.value.trim().normalize("NFC"),
    };
    if (number.value.trim()) {
      const day = parseDate(date.value);
      if (!day) return fail(`${t("decision_date")}: ${t("not_a_date")}`);
      body.decision = { number: number.value.trim().normalize("NFC"), date: day };
    }
    try {
      const answer = await record(draft("identity.reviewed", body));
      node.replaceChildren(el("div", { class: "notice" }, t("dup_recorded", { index: answer.index })));
      setTimeout(reload, 1500);
    } catch (err) {
      fail(err instanceof ApiError ? err.shown : String(err.message || err));
    }
  }
  const label = (text, input) => el("div", { class: "field" }, el("label", { for: input.id }, text), input);
  const state = pair.decision
    ? el("span", { class: "badge done" }, valueLabel("outcome", pair.decision))
    : el("span", { class: "badge own" }, t("dup_to_review"));
  const node = el(
    "article",
    { class: "card", "data-pair": `${pair.person.person_id}:${pair.first.person_id}` },
    el("h3", {}, t(pair.why === "national_id" ? "dup_same_id" : "dup_same_name"), " ", state),
    el("div", { class: "pair" }, el("div", {}, el("h4", {}, t("dup_first")), person(pair.first)), el("div", {}, el("h4", {}, t("dup_later")), person(pair.person))),
    pair.decision
      ? null
      : el(
          "div",
          { class: "fields" },
          el("div", { class: "field wide" }, el("label", { for: basis.id }, t("dup_basis")), basis),
          label(t("decision_number_optional"), number),
          label(t("decision_date"), date),
          el(
            "div",
            { class: "actions wide" },
            el("button", { type: "button", class: "reject", disabled: !may, title: why || null, onclick: () => decide("same_person") }, t("dup_same_person")),
            el("button", { type: "button", class: "good", disabled: !may, title: why || null, onclick: () => decide("different_people") }, t("dup_different_people")),
          ),
        ),
    why ? el("p", { class: "why" }, why) : null,
    problem,
  );
  for (const input of [basis, number, date]) input.disabled = !may;
  return node;
}

/** The queue: open pairs first, then those decided. */
export async function duplicatesScreen(main) {
  const list = el("div", { class: "cards", id: "pairs" });
  const reload = () => duplicatesScreen(main);
  let found;
  try {
    found = await get("/v1/duplicates");
  } catch (err) {
    main.replaceChildren(el("h1", {}, t("dup_title")), el("p", { class: "problems" }, err instanceof ApiError ? err.shown : String(err)));
    return;
  }
  const open = found.pairs.filter((p) => !p.decision);
  const done = found.pairs.filter((p) => p.decision);
  main.replaceChildren(
    el("h1", {}, t("dup_title")),
    el("p", { class: "muted", id: "pairs-count" }, t("dup_count", { open: found.to_review, all: found.pairs.length })),
    list,
  );
  if (!found.pairs.length) list.replaceWith(el("p", { class: "muted", id: "pairs" }, t("dup_none")));
  list.append(...[...open, ...done].map((p, n) => card(p, n, found.decidable, reload)));
}
