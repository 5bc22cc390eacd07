// inspect.js: the inspector's screen (#inspect, opened by /inspect), in four parts.
// The log filtered as `ansinh log` filters it (GET /v1/inspect/log: who signed,
// type, household code or entity id, days signed), a page at a time; and the
// evidence file of a household or of the entries ticked (GET /v1/inspect/evidence),
// to check offline with `ansinh verify FILE`. Then the findings (findings.js), the
// diff between two checkpoints (compare.js) and a printed list checked
// (listcheck.js).

import { api, get, holds, toast } from "./api.js";
import { t, typeLabel } from "./i18n.js";
import { el, download } from "./format.js";
import { statementTypes } from "./forms.js";
import { findingsPart } from "./findings.js";
import { comparePart } from "./compare.js";
import { listPart } from "./listcheck.js";

const PAGE = 200;
let drawn = 0; // the screen drawn last: an older drawing still waiting stops there

function field(id, label, input) {
  return el("label", { class: "field", for: id }, el("span", { class: "label" }, label), input);
}

function asked(form) {
  const value = (name) => form.querySelector(`#inspect-${name}`).value.trim();
  return {
    by: value("by"),
    type: value("type"),
    entity: value("entity"),
    from: value("from"),
    to: value("to"),
  };
}

function row(found, ticked) {
  const box = el("input", {
    type: "checkbox",
    class: "tick",
    "aria-label": `${t("index")} ${found.index}`,
    onchange: (event) => (event.target.checked ? ticked.add(found.index) : ticked.delete(found.index)),
  });
  return el(
    "tr",
    { dataset: { index: String(found.index) } },
    el("td", {}, box),
    el("td", { class: "num", "data-label": t("index") }, String(found.index)),
    el("td", { "data-label": t("signed_at") }, found.at.slice(0, 19).replace("T", " ")),
    el("td", { title: found.type, "data-label": t("inspect_type") }, typeLabel(found.type)),
    el("td", { "data-label": t("signed_by") }, found.by),
    el("td", { class: "muted", "data-label": t("recorded") }, found.recorded_at.slice(0, 19).replace("T", " ")),
  );
}

async function takeEvidence(form, ticked, status) {
  const { entity } = asked(form);
  const params = new URLSearchParams();
  if (entity) params.set("entity", entity);
  else for (const index of [...ticked].sort((a, b) => a - b)) params.append("index", index);
  if (!params.toString()) {
    status.textContent = t("evidence_needs");
    return;
  }
  try {
    const answer = await api(`/v1/inspect/evidence?${params}`, { raw: true });
    const header = answer.headers.get("content-disposition") || "";
    const name = (header.match(/filename="([^"]+)"/) || [null, "bang-chung.json"])[1];
    download(name, await answer.text(), "application/json");
    status.textContent = t("evidence_saved", { name });
    toast(t("evidence_saved", { name }));
  } catch (err) {
    status.textContent = err.shown ?? String(err);
  }
}

const PARTS = {
  log: ["part_log", logPart],
  findings: ["part_findings", findingsPart],
  diff: ["part_diff", comparePart],
  list: ["part_list", listPart],
};

/** The screen: its parts to choose from, the log's first. */
export async function inspectScreen(main) {
  if (!holds("inspector", "admin")) {
    main.replaceChildren(
      el("h1", {}, t("inspect_heading")),
      el("p", { class: "problem", id: "inspect-refused" }, t("not_inspector")),
    );
    return;
  }
  const box = el("section", { id: "inspect-part" });
  const buttons = Object.entries(PARTS).map(([name, [word]]) =>
    el("button", { type: "button", id: `inspect-part-${name}`, dataset: { part: name }, onclick: () => open(name) }, t(word)),
  );
  function open(name) {
    for (const b of buttons) b.setAttribute("aria-current", b.dataset.part === name ? "true" : "false");
    ++drawn; // a part still loading stops drawing
    return PARTS[name][1](box);
  }
  main.replaceChildren(el("h1", {}, t("inspect_heading")), el("nav", { class: "parts", "aria-label": t("inspect_heading") }, buttons), box);
  await open("log");
}

/** The log's part: filters, the entries found, evidence to take away. */
async function logPart(main) {
  const mine = ++drawn;
  const types = (await statementTypes()).map((x) => x.type);
  if (mine !== drawn) return;
  const typeSelect = el(
    "select",
    { id: "inspect-type" },
    el("option", { value: "" }, t("all_types")),
    types.map((type) => el("option", { value: type }, `${typeLabel(type)} (${type})`)),
  );
  const status = el("p", { id: "inspect-status", class: "muted", role: "status" });
  const body = el("tbody", { id: "inspect-rows" });
  const ticked = new Set();
  const more = el("button", { type: "button", id: "inspect-more", hidden: true }, t("inspect_more"));
  const form = el(
    "form",
    { id: "inspect-form", class: "inspect-filters" },
    field("inspect-by", t("inspect_by"), el("input", { id: "inspect-by", autocomplete: "off" })),
    field("inspect-type", t("inspect_type"), typeSelect),
    field("inspect-entity", t("inspect_entity"), el("input", { id: "inspect-entity", autocomplete: "off" })),
    field("inspect-from", t("inspect_from"), el("input", { id: "inspect-from", type: "date" })),
    field("inspect-to", t("inspect_to"), el("input", { id: "inspect-to", type: "date" })),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "submit", id: "inspect-filter" }, t("filter")),
      el("button", { type: "button", id: "inspect-evidence", onclick: () => takeEvidence(form, ticked, status) }, t("evidence")),
    ),
  );
  let shown = 0;

  async function fetchPage(start) {
    try {
      const answer = await get("/v1/inspect/log", { ...asked(form), start, limit: PAGE });
      if (start === 0) {
        body.replaceChildren();
        ticked.clear();
        shown = 0;
      }
      body.append(...answer.rows.map((found) => row(found, ticked)));
      shown += answer.rows.length;
      status.textContent = shown ? t("inspect_found", { n: shown }) : t("inspect_none");
      more.hidden = !answer.more;
      more.onclick = () => fetchPage(answer.next);
    } catch (err) {
      body.replaceChildren();
      more.hidden = true;
      status.textContent = err.shown ?? String(err);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    fetchPage(0);
  });
  const table = el(
    "table",
    { class: "rows", id: "inspect-table" },
    el(
      "thead",
      {},
      el("tr", {}, el("th", {}, ""), el("th", {}, t("index")), el("th", {}, t("signed_at")),
        el("th", {}, t("inspect_type")), el("th", {}, t("signed_by")), el("th", {}, t("recorded"))),
    ),
    body,
  );
  main.replaceChildren(
    el("h2", {}, t("part_log")),
    form,
    el("p", { class: "muted" }, t("evidence_hint")),
    status,
    table,
    more,
  );
  await fetchPage(0);
}
