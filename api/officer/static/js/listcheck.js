// listcheck.js: does a list posted in a village match the ledger? (đối chiếu danh
// sách niêm yết). The digest printed on it (whole, or the 8 groups of 4 hex the
// notice prints), its village, program, date and entry count: GET
// /v1/inspect/check-list draws the list again from the ledger at that count, as
// the printed notice drew it, and compares. Offline, `ansinh check-list DIGEST
// --bundle B` asks the same of an audit bundle.

import { get } from "./api.js";
import { t } from "./i18n.js";
import { el, money, parseDate } from "./format.js";

/** The list-check part of the inspector's screen, drawn into `box`. */
export async function listPart(box) {
  const digest = el("input", { id: "list-digest", type: "text", autocomplete: "off", spellcheck: "false", placeholder: "xxxx xxxx xxxx xxxx xxxx xxxx xxxx xxxx" });
  const village = el("select", { id: "list-village" }, el("option", { value: "" }, t("all_villages")));
  const program = el(
    "select",
    { id: "list-program" },
    el("option", { value: "" }, t("program_all")),
    el("option", { value: "households" }, t("households_list")),
  );
  const on = el("input", { id: "list-on", type: "text", inputmode: "numeric", placeholder: "dd/mm/yyyy", autocomplete: "off" });
  const asOf = el("input", { id: "list-as-of", type: "number", min: "1", step: "1", inputmode: "numeric", autocomplete: "off" });
  const out = el("div", { id: "list-result", role: "status" });
  const field = (id, label, control, cls = "field") => el("label", { class: cls, for: id }, el("span", { class: "label" }, label), control);
  const form = el(
    "form",
    { id: "list-form", class: "inspect-filters" },
    field("list-digest", t("list_digest"), digest, "field wide"),
    field("list-village", t("list_village"), village),
    field("list-program", t("list_program"), program),
    field("list-on", t("list_on"), on),
    field("list-as-of", t("list_as_of"), asOf),
    el("div", { class: "actions" }, el("button", { type: "submit", id: "list-check" }, t("check_list"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const day = parseDate(on.value);
    if (day === undefined) {
      out.replaceChildren(el("p", { class: "problem" }, t("not_a_date")));
      return;
    }
    const params = { digest: digest.value.trim(), village: village.value, program: program.value, on: day ?? "", as_of: asOf.value.trim() };
    try {
      const doc = await get("/v1/inspect/check-list", params);
      const said = { as_of: money(doc.as_of), rows: money(doc.rows), digest: doc.digest };
      out.replaceChildren(
        el("p", { class: doc.matches ? "good verdict" : "problem verdict", id: "list-verdict", dataset: { matches: String(doc.matches) } }, doc.matches ? t("list_match", said) : t("list_mismatch", said)),
        el("dl", { class: "facts" },
          el("div", { class: "fact wide" }, el("dt", {}, t("list_recomputed")), el("dd", {}, el("code", { class: "hash", id: "list-recomputed" }, doc.digest))),
        ),
        el("p", { class: "muted" }, doc.signed ? t("list_signed") : t("list_unsigned")),
        el("pre", { class: "command" }, doc.offline),
      );
    } catch (err) {
      out.replaceChildren(el("p", { class: "problem", id: "list-refused" }, err.shown ?? String(err)));
    }
  });
  box.replaceChildren(
    el("h2", {}, t("part_list")),
    el("p", { class: "muted" }, t("list_intro")),
    form,
    out,
    el("p", { class: "muted", id: "list-offline" }, t("list_offline")),
  );
  const [search, programs] = await Promise.all([get("/v1/search", { q: "" }), get("/v1/programs")]).catch(() => [{ villages: [] }, { programs: [] }]);
  village.append(...search.villages.map((v) => el("option", { value: v }, v)));
  program.append(...programs.programs.map((p) => el("option", { value: p.code }, `${p.code} · ${p.name}`)));
}
