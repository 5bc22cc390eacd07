// imports.js: screen 4, "Nhập từ bảng tính". Choose a layout, download its
// template, upload the filled XLSX or CSV: the server reads it and says what
// each row would record, and every problem of every row, in the ledger's words
// (POST /v1/imports/{layout}; nothing is recorded there). While any row is bad,
// nothing can be recorded. When all are good, every statement is signed here,
// with a progress bar, and sent as ONE JSON-lines batch: the ledger records all
// of them or none. A death list (the civil registry's, matched by national id)
// also tells of rows it skips (notes) and shows, for each death, the benefits
// it stops and any payment already made for a month after it.

import { api, ApiError } from "./api.js";
import { lang, t } from "./i18n.js";
import { el, download, thisMonth, showMonth, parseMonth, showDate, vnd } from "./format.js";
import { recordBatch } from "./submit.js";

const LAYOUTS = ["households", "persons", "benefits", "payroll", "deaths"];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const SHOWN_GOOD_ROWS = 100; // bad rows are all shown; good ones up to this many

/** The statements of a checked file, each with the vault records it commits to. */
export function batchOf(rows) {
  const items = [];
  for (const row of rows) {
    for (const s of row.statements) {
      const vault = (row.vault || []).filter((v) => s.body.pii && v.person_id === s.body.person_id);
      items.push({ type: s.type, body: s.body, vault });
    }
  }
  return items;
}

function errorsOf(row, kind = "errors") {
  return (row[kind] || []).map((e) => `${e.column ? `${e.column}: ` : ""}${e.message}`).join("; ");
}

/** The file's rows as the spreadsheet has them: a column per heading, the bad cells marked;
 * rows with notes (skipped, or a name to check) after the bad ones, then the good. */
function table(rows) {
  const noted = (r) => !r.errors.length && (r.notes || []).length;
  const bad = rows.filter((r) => r.errors.length);
  const told = rows.filter(noted);
  const good = rows.filter((r) => !r.errors.length && !noted(r)).slice(0, SHOWN_GOOD_ROWS);
  const shown = [...bad, ...told, ...good];
  const headings = [...new Set(shown.flatMap((r) => Object.keys(r.cells || {})))].filter((h) =>
    shown.some((r) => String(r.cells[h] ?? "").trim() !== ""),
  );
  const line = (r) => {
    const wrong = new Set(r.errors.map((e) => e.column));
    return el(
      "tr",
      { class: r.errors.length ? "bad" : noted(r) ? "noted" : null, "data-row": r.row },
      el("td", { class: "num", "data-label": t("row") }, r.row),
      el("td", { class: "errors", "data-label": noted(r) ? t("notes") : t("errors") }, errorsOf(r), noted(r) ? el("span", { class: "note" }, errorsOf(r, "notes")) : null),
      headings.map((h) => el("td", { class: wrong.has(h) ? "bad-cell" : null, "data-label": h }, r.cells[h] ?? "")),
    );
  };
  return el(
    "div",
    { class: "scroll" },
    el(
      "table",
      { class: "rows sheet", id: "import-rows" },
      el("thead", {}, el("tr", {}, el("th", { class: "num" }, t("row")), el("th", {}, told.length ? t("errors_notes") : t("errors")), headings.map((h) => el("th", {}, h)))),
      el("tbody", {}, shown.map(line)),
    ),
  );
}

export async function importScreen(main) {
  const layout = el("select", { id: "layout" }, LAYOUTS.map((l) => el("option", { value: l }, t(`layout_${l}`))));
  const month = el("input", { type: "text", id: "import-month", inputmode: "numeric", placeholder: "mm/yyyy", value: showMonth(thisMonth()) });
  const monthField = el("div", { class: "field" }, el("label", { for: "import-month" }, t("month")), month);
  const file = el("input", { type: "file", id: "import-file", accept: ".xlsx,.csv,text/csv" });
  const result = el("div", { id: "import-result" });
  const templateButton = el("button", { type: "button", id: "template" }, t("template"));
  const readButton = el("button", { type: "submit", class: "primary", id: "read-file" }, t("read_file"));
  const form = el(
    "form",
    { class: "panel" },
    el(
      "div",
      { class: "fields" },
      el("div", { class: "field" }, el("label", { for: "layout" }, t("layout")), layout),
      monthField,
      el("div", { class: "field wide" }, el("label", { for: "import-file" }, t("file")), file),
    ),
    el("div", { class: "actions" }, readButton, templateButton),
  );
  const syncMonth = () => (monthField.hidden = layout.value !== "payroll");
  layout.addEventListener("change", () => {
    syncMonth();
    result.replaceChildren();
  });
  syncMonth();
  main.replaceChildren(el("h1", {}, t("import_title")), form, result);

  const fail = (err) =>
    result.replaceChildren(el("div", { class: "problems", role: "alert" }, err instanceof ApiError ? err.shown : String(err.message || err)));

  templateButton.addEventListener("click", async () => {
    try {
      const answer = await api(`/v1/imports/${layout.value}/template.xlsx`, { raw: true });
      download(`mau-${layout.value}.xlsx`, await answer.blob());
    } catch (err) {
      fail(err);
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!file.files.length) return fail(new Error(t("file")));
    readButton.disabled = true;
    result.replaceChildren(el("p", { class: "muted" }, t("checking")));
    try {
      const query = new URLSearchParams({ lang: lang() });
      if (layout.value === "payroll" && parseMonth(month.value)) query.set("month", parseMonth(month.value));
      const type = file.files[0].name.toLowerCase().endsWith(".csv") ? "text/csv" : XLSX;
      const checked = await api(`/v1/imports/${layout.value}?${query}`, {
        method: "POST",
        body: await file.files[0].arrayBuffer(),
        type,
      });
      showChecked(result, checked);
    } catch (err) {
      fail(err);
    } finally {
      readButton.disabled = false;
    }
  });
}

/** A death list's matched rows: who died, and the benefits the death stops (payable up to
 * the month of death), with the payments already made for a later month (to be flagged). */
function deathsTable(rows) {
  const matched = rows.filter((r) => r.death);
  if (!matched.length) return null;
  const stops = (d) =>
    d.benefits.length
      ? d.benefits.map((b) =>
          el(
            "div",
            { class: "stopped" },
            `${b.program_code} (${vnd(b.amount)}): ${t("payable_until", { month: showMonth(b.last_month) })}`,
            b.paid_after_death.length
              ? el("div", { class: "paid-after" }, `${t("paid_after_death")}: `, b.paid_after_death.map((p) => `${showMonth(p.month)} (${vnd(p.amount)})`).join(", "))
              : null,
          ),
        )
      : el("span", { class: "muted" }, t("no_benefit"));
  return el(
    "div",
    { class: "scroll" },
    el("h2", {}, t("deaths_matched", { n: matched.length })),
    el(
      "table",
      { class: "rows", id: "deaths" },
      el("thead", {}, el("tr", {}, [t("row"), t("household_code"), t("person_code"), t("full_name"), t("date_of_death"), t("benefits_stopped")].map((h) => el("th", {}, h)))),
      el(
        "tbody",
        {},
        matched.map((r) =>
          el(
            "tr",
            { "data-row": r.row, class: r.death.benefits.some((b) => b.paid_after_death.length) ? "bad" : null },
            el("td", { class: "num", "data-label": t("row") }, r.row),
            el("td", { "data-label": t("household_code") }, r.death.household_code),
            el("td", { "data-label": t("person_code") }, r.death.person_code),
            el("td", { "data-label": t("full_name") }, r.death.full_name),
            el("td", { "data-label": t("date_of_death") }, showDate(r.death.date)),
            el("td", { class: "stops", "data-label": t("benefits_stopped") }, stops(r.death)),
          ),
        ),
      ),
    ),
  );
}

function showChecked(result, checked) {
  const s = checked.summary;
  const summary = el(
    "div",
    { class: "summary", id: "import-summary" },
    el("span", {}, t("rows", { n: s.rows })),
    el("span", { class: s.bad_rows ? "bad" : "good", id: "bad-count" }, t("bad_rows", { n: s.bad_rows })),
    el("span", {}, t("statements_n", { n: s.statements })),
    s.skipped ? el("span", {}, t("skipped", { n: s.skipped })) : null,
    s.notes ? el("span", { class: "noted", id: "notes-count" }, t("notes_n", { n: s.notes })) : null,
  );
  if (s.bad_rows) {
    result.replaceChildren(summary, el("div", { class: "problems", id: "nothing-recorded" }, t("nothing_recorded")), table(checked.rows));
    return;
  }
  const bar = el("progress", { id: "progress", max: s.statements, value: 0, hidden: true });
  const state = el("p", { id: "batch-state", role: "status" });
  const sign = el("button", { type: "button", class: "good", id: "sign-all" }, t("sign_all"));
  sign.addEventListener("click", async () => {
    sign.disabled = true;
    bar.hidden = false;
    const items = batchOf(checked.rows);
    try {
      const entries = await recordBatch(items, (i, n) => {
        bar.value = i;
        state.textContent = i < n ? t("signing", { i, n }) : t("submitting", { n });
      });
      state.replaceChildren(
        el("span", { class: "notice", id: "batch-recorded" }, t("batch_recorded", { n: entries.length, first: entries[0].index, last: entries.at(-1).index })),
      );
    } catch (err) {
      sign.disabled = false;
      state.replaceChildren(el("span", { class: "problems" }, err instanceof ApiError ? err.shown : String(err.message || err)));
    }
  });
  if (!s.statements) {
    result.replaceChildren(summary, el("div", { class: "notice", id: "nothing-to-sign" }, t("nothing_to_sign")), table(checked.rows));
    return;
  }
  result.replaceChildren(summary, el("div", { class: "notice" }, t("clean")), el("div", { class: "actions" }, sign), bar, state, deathsTable(checked.rows), table(checked.rows));
}
