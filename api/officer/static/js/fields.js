// fields.js: one input per body field, made from the field's description in
// /v1/types ({path, kind, optional, values?, max_chars?, min?, max?}) and its
// label. A widget is {path, node, read(), fail(message), clear()}: read()
// returns the value to sign (undefined: leave the field out) or throws a
// FieldProblem the form shows beside it. Money shows 1.624.000 and signs
// 1624000; dates show dd/mm/yyyy and sign YYYY-MM-DD; months mm/yyyy, YYYY-MM.

import { t, fieldLabel, valueLabel } from "./i18n.js";
import { el, money, parseMoney, parseDate, parseMonth, showDate, showMonth } from "./format.js";

export class FieldProblem extends Error {}

let counter = 0;

/** The labelled box around an input, with its help and its error line. */
export function box(type, field, input, wide = false, made = false) {
  const words = fieldLabel(type, field.path);
  const label = made ? `${words.label} — ${t("new_id")}` : words.label;
  const help = made ? "" : words.help;
  const id = input.id || `f-${++counter}`;
  if (!input.id && (input.tagName === "INPUT" || input.tagName === "SELECT" || input.tagName === "TEXTAREA")) {
    input.id = id;
  }
  const error = el("div", { class: "error", role: "alert", hidden: true });
  const node = el(
    "div",
    { class: `field${wide ? " wide" : ""}${made ? " made" : ""}`, "data-field": field.path },
    el("label", { for: input.id || null }, label, field.optional ? el("span", { class: "optional" }, ` ${t("optional")}`) : null),
    input,
    help ? el("div", { class: "help" }, help) : null,
    error,
  );
  return {
    node,
    fail(message) {
      node.classList.add("bad");
      error.textContent = error.hidden ? message : `${error.textContent} ${message}`;
      error.hidden = false;
    },
    clear() {
      node.classList.remove("bad");
      error.textContent = "";
      error.hidden = true;
    },
  };
}

function required(field, value) {
  if (value === null || value === undefined || value === "") {
    if (field.optional) return undefined;
    throw new FieldProblem(t("required"));
  }
  return value;
}

/** An input the officer types in, read by `parse`. */
function typed(type, field, { parse, show = (v) => v, cls = "", inputmode = null, placeholder = null, long = false }) {
  const input = long
    ? el("textarea", { maxlength: field.max_chars || null })
    : el("input", {
        type: "text",
        class: cls || null,
        inputmode,
        placeholder,
        maxlength: field.max_chars || null,
        autocomplete: "off",
      });
  const framed = box(type, field, input, long);
  return {
    path: field.path,
    ...framed,
    input,
    read: () => required(field, parse(input.value.trim())),
    set: (value) => {
      input.value = value === undefined || value === null ? "" : show(value);
    },
  };
}

function moneyWidget(type, field) {
  const w = typed(type, field, {
    cls: "money",
    inputmode: "numeric",
    placeholder: "0",
    show: money,
    parse: (text) => {
      const value = parseMoney(text);
      if (Number.isNaN(value)) throw new FieldProblem(t("not_money"));
      return value === null ? "" : value;
    },
  });
  w.input.addEventListener("blur", () => {
    const value = parseMoney(w.input.value);
    if (Number.isInteger(value)) w.input.value = money(value);
  });
  return w;
}

function dateWidget(type, field) {
  return typed(type, field, {
    inputmode: "numeric",
    placeholder: "dd/mm/yyyy",
    show: showDate,
    parse: (text) => {
      const value = parseDate(text);
      if (value === undefined) throw new FieldProblem(t("not_a_date"));
      return value ?? "";
    },
  });
}

function monthWidget(type, field) {
  return typed(type, field, {
    inputmode: "numeric",
    placeholder: "mm/yyyy",
    show: showMonth,
    parse: (text) => {
      const value = parseMonth(text);
      if (value === undefined) throw new FieldProblem(t("not_a_month"));
      return value ?? "";
    },
  });
}

function integerWidget(type, field) {
  return typed(type, field, {
    inputmode: "numeric",
    parse: (text) => {
      if (text === "") return "";
      if (!/^-?\d+$/.test(text)) throw new FieldProblem(t("not_integer"));
      return Number(text);
    },
  });
}

function choiceWidget(type, field) {
  const select = el(
    "select",
    {},
    el("option", { value: "" }, field.optional ? t("none") : "…"),
    ...field.values.map((v) => el("option", { value: v }, valueLabel(field.path, v))),
  );
  const framed = box(type, field, select);
  return {
    path: field.path,
    ...framed,
    input: select,
    read: () => required(field, select.value),
    set: (value) => {
      select.value = value ?? "";
    },
  };
}

function setWidget(type, field) {
  const ticks = field.values.map((v) => {
    const input = el("input", { type: "checkbox", value: v });
    return { v, input, node: el("label", { class: "tick" }, input, ` ${valueLabel(field.path, v)}`) };
  });
  const framed = box(type, field, el("div", { class: "ticks" }, ticks.map((x) => x.node)), true);
  return {
    path: field.path,
    ...framed,
    read: () => {
      const chosen = ticks.filter((x) => x.input.checked).map((x) => x.v);
      return required(field, chosen.length ? chosen : "");
    },
  };
}

const LONG = new Set(["basis", "basis.note", "findings", "reason", "scope"]);

/** The widget of a plain field, by its kind (money, date, month, integer, choice, text). */
export function plainWidget(type, field) {
  const kind = String(field.kind || "");
  if (field.values && (kind.includes("set") || kind.includes("list"))) return setWidget(type, field);
  if (field.values) return choiceWidget(type, field);
  if (kind.includes("money") || field.path === "amount" || field.path.endsWith("income_per_capita_month")) {
    return moneyWidget(type, field);
  }
  if (kind.includes("month")) return monthWidget(type, field);
  if (kind.includes("date")) return dateWidget(type, field);
  if (kind.includes("int")) return integerWidget(type, field);
  return typed(type, field, { parse: (text) => text.normalize("NFC"), long: LONG.has(field.path) });
}

/** A widget around a picker (pickers.js). */
export function pickerWidget(type, field, picker) {
  const framed = box(type, field, picker.node, true);
  return { path: field.path, ...framed, picker, read: () => required(field, picker.value()) };
}

/** A field whose value the console makes (a new id): shown, not typed. */
export function madeWidget(type, field, make) {
  let value = make();
  const shown = el("output", { class: "mono muted" }, value);
  const framed = box(type, field, shown, false, true);
  return {
    path: field.path,
    ...framed,
    read: () => value,
    renew: () => {
      value = make();
      shown.textContent = value;
    },
  };
}
