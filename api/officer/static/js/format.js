// format.js: how the console shows and reads money, dates and months.
//
// Vietnamese pages write 1.624.000 đ and dd/mm/yyyy (the glossary); English
// ones 1,624,000 and dd/mm/yyyy too (the commune's paper uses it). What is
// signed is always the ledger's form: integer đồng, YYYY-MM-DD, YYYY-MM
// (FORMATS §2); these helpers are the only place that converts.

import { lang } from "./i18n.js";

const SEP = () => (lang() === "en" ? "," : ".");

/** 1624000 -> "1.624.000" (digits grouped by three, no decimals: đồng). */
export function money(amount) {
  if (amount === null || amount === undefined || amount === "") return "";
  const digits = String(amount).replace(/^-/, "");
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, SEP());
  return String(amount).startsWith("-") ? `-${grouped}` : grouped;
}

/** "1.624.000 đ" */
export function vnd(amount) {
  return `${money(amount)} đ`;
}

/** What an officer typed as money -> an integer, or null when it is not digits. */
export function parseMoney(text) {
  const bare = String(text).replace(/[\s.,đ]/g, "").replace(/dong$/i, "");
  if (bare === "") return null;
  if (!/^\d+$/.test(bare)) return NaN;
  const value = Number(bare);
  return Number.isSafeInteger(value) ? value : NaN;
}

/** "2022-01-06" -> "06/01/2022"; anything else unchanged. */
export function showDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso || "";
}

/** "6/1/2022" or "06/01/2022" -> "2022-01-06"; null when empty, NaN-like "" on nonsense. */
export function parseDate(text) {
  const t = String(text).trim();
  if (t === "") return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) {
    return undefined;
  }
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** "2022-01" -> "01/2022". */
export function showMonth(iso) {
  const m = /^(\d{4})-(\d{2})$/.exec(iso || "");
  return m ? `${m[2]}/${m[1]}` : iso || "";
}

/** "1/2022", "01/2022" or "2022-01" -> "2022-01"; null when empty; undefined on nonsense. */
export function parseMonth(text) {
  const t = String(text).trim();
  if (t === "") return null;
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(t)) return t;
  const m = /^(\d{1,2})[/.-](\d{4})$/.exec(t);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) return undefined;
  return `${m[2]}-${String(Number(m[1])).padStart(2, "0")}`;
}

/** Today in the commune (the browser's clock and zone) as YYYY-MM-DD. */
export function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** This month as YYYY-MM. */
export function thisMonth() {
  return today().slice(0, 7);
}

/** An element with attributes and children: el("td", {class: "num"}, "1.000"). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (value === true) {
      node.setAttribute(key, "");
    } else {
      node.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Save bytes or text as a file the browser downloads. */
export function download(name, data, type = "application/octet-stream") {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
