// compare.js: what the ledger added between two checkpoints (so sánh hai điểm kiểm
// chứng). The notary's checkpoints to choose from (GET /v1/log/checkpoints), any
// entry count typed is taken too; GET /v1/inspect/diff checks the consistency
// proof between them and counts the entries added by type and by village, as
// `ansinh diff A B` does. The proof itself is shown, for whoever checks it again.

import { get } from "./api.js";
import { t, typeLabel } from "./i18n.js";
import { el, money } from "./format.js";

function table(id, heads, rows) {
  return el(
    "table",
    { class: "rows", id },
    el("thead", {}, el("tr", {}, heads.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows),
  );
}

function cell(label, value, cls = "") {
  return el("td", { "data-label": label, class: cls || null }, value);
}

function ends(doc) {
  const row = (name, end) =>
    el(
      "tr",
      { dataset: { end: name } },
      cell(t("d_end"), name === "first" ? t("end_from") : t("end_to")),
      cell(t("d_size"), money(end.tree_size), "num"),
      cell(t("d_root"), el("code", { class: "hash" }, end.root)),
      cell(t("d_signed"), end.signed ? t("end_signed") : t("end_unsigned"), end.signed ? "good" : "muted"),
    );
  return table("diff-ends", [t("d_end"), t("d_size"), t("d_root"), t("d_signed")], [row("first", doc.first), row("second", doc.second)]);
}

function byType(doc) {
  const rows = Object.entries(doc.by_type).map(([type, n]) =>
    el("tr", { dataset: { type } }, cell(t("d_type"), typeLabel(type)), cell(t("d_count"), money(n), "num")),
  );
  return table("diff-types", [t("d_type"), t("d_count")], rows);
}

function byVillage(doc) {
  const rows = doc.by_village.map((v) =>
    el(
      "tr",
      { dataset: { village: v.village ?? "" } },
      cell(t("f_village"), v.village ?? t("d_no_village")),
      cell(t("d_statements"), money(v.statements), "num"),
      cell(t("d_payments"), money(v.payments), "num"),
      cell(t("d_amount"), `${money(v.paid)} đ`, "num"),
      cell(t("d_reversals"), money(v.reversals), "num"),
      cell(t("d_reversed"), `${money(v.reversed)} đ`, "num"),
    ),
  );
  const heads = [t("f_village"), t("d_statements"), t("d_payments"), t("d_amount"), t("d_reversals"), t("d_reversed")];
  return table("diff-villages", heads, rows);
}

function result(doc) {
  const said = { from: money(doc.first.tree_size), to: money(doc.second.tree_size), added: money(doc.added) };
  const proof = el(
    "details",
    { id: "diff-proof" },
    el("summary", {}, t("d_proof", { n: doc.consistency_proof.length })),
    el("pre", { class: "command" }, doc.consistency_proof.join("\n") || "—"),
  );
  const parts = [el("p", { class: "good", id: "diff-verdict" }, t("diff_ok", said)), ends(doc), proof];
  if (!doc.added) return [...parts, el("p", { class: "muted" }, t("d_nothing"))];
  return [...parts, el("h3", {}, t("d_by_type")), byType(doc), el("h3", {}, t("d_by_village")), byVillage(doc)];
}

/** The diff part of the inspector's screen, drawn into `box`. */
export async function comparePart(box) {
  const options = el("datalist", { id: "diff-checkpoints" });
  const input = (id) => el("input", { id, type: "number", min: "1", step: "1", inputmode: "numeric", list: "diff-checkpoints", autocomplete: "off" });
  const from = input("diff-from");
  const to = input("diff-to");
  const status = el("p", { id: "diff-status", class: "muted", role: "status" });
  const out = el("div", { id: "diff-result" });
  const field = (id, label, control) => el("label", { class: "field", for: id }, el("span", { class: "label" }, label), control);
  const form = el(
    "form",
    { id: "diff-form", class: "inspect-filters" },
    field("diff-from", t("diff_from"), from),
    field("diff-to", t("diff_to"), to),
    el("div", { class: "actions" }, el("button", { type: "submit", id: "diff-compare" }, t("compare"))),
  );
  const signed = el("ul", { id: "diff-signed", class: "checkpoints" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    if (!from.value.trim() || !to.value.trim()) {
      status.textContent = `${t(from.value.trim() ? "diff_to" : "diff_from")}: ${t("required")}`;
      return;
    }
    try {
      out.replaceChildren(...result(await get("/v1/inspect/diff", { from: from.value.trim(), to: to.value.trim() })));
    } catch (err) {
      out.replaceChildren();
      status.textContent = err.shown ?? String(err);
    }
  });
  box.replaceChildren(el("h2", {}, t("part_diff")), el("p", { class: "muted" }, t("diff_intro")), form, options, el("p", { class: "muted" }, t("signed_checkpoints")), signed, status, out);
  try {
    const checkpoints = await get("/v1/log/checkpoints", { limit: 200 }); // newest first
    const said = (cp) => t("checkpoint_option", { size: money(cp.size), at: cp.issued_at.slice(0, 19).replace("T", " ") });
    options.replaceChildren(...checkpoints.map((cp) => el("option", { value: String(cp.size) }, said(cp))));
    const pick = (cp, target) => () => {
      target.value = String(cp.size);
    };
    signed.replaceChildren(
      ...checkpoints.slice(0, 12).map((cp) =>
        el(
          "li",
          { dataset: { size: String(cp.size) } },
          el("span", {}, said(cp)),
          el("button", { type: "button", class: "small", onclick: pick(cp, from) }, t("pick_from")),
          el("button", { type: "button", class: "small", onclick: pick(cp, to) }, t("pick_to")),
        ),
      ),
    );
    if (checkpoints.length) to.value = String(checkpoints[0].size);
    for (const box of [from, to]) box.placeholder = checkpoints.length ? `1 – ${checkpoints[0].size}` : "";
    if (checkpoints.length > 1) from.value = String(checkpoints[1].size);
  } catch (err) {
    status.textContent = err.shown ?? String(err);
  }
}
