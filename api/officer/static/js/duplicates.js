// duplicates.js: the queue of suspected duplicate identities (GET /v1/duplicates,
// docs/formats.md 10.3), for the roles that see names. Each pair: the later
// person and the first, why they are suspected, the decision recorded; a pair
// still to review links to the identity.reviewed form with both people filled in.

import { get } from "./api.js";
import { lang, valueLabel } from "./i18n.js";
import { el } from "./format.js";

const WORDS = {
  vi: {
    title: "Nghi trùng nhân thân",
    intro: "Những cặp nhân khẩu nghi là một người (cùng số định danh, hoặc cùng họ tên, năm sinh và thôn, bản). Chủ tịch UBND xã kết luận từng cặp.",
    person: "Nhân khẩu", first: "Trùng với", why: "Vì sao", decision: "Kết luận",
    national_id: "Cùng số định danh", name: "Cùng họ tên, năm sinh, thôn/bản",
    to_review: "Chưa kết luận", review: "Kết luận cặp này",
    counted: "{n} / {total} cặp chưa kết luận.", none: "Không có cặp nào nghi trùng.",
  },
  en: {
    title: "Suspected duplicates",
    intro: "Pairs of people suspected to be one (the same national id, or the same name, birth year and village). The chairman decides each pair.",
    person: "Person", first: "Same as", why: "Why", decision: "Decision",
    national_id: "Same national id", name: "Same name, birth year, village",
    to_review: "To review", review: "Decide this pair",
    counted: "{n} of {total} pairs to review.", none: "No suspected pair.",
  },
};

function w(key, vars = {}) {
  const text = WORDS[lang()][key];
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

function who(code, name, id) {
  return `${code || id}${name ? ` · ${name}` : ""}`;
}

function reviewLink(pair) {
  const params = new URLSearchParams({
    type: "identity.reviewed",
    person_id: pair.first_person_id,
    person_id_text: who(pair.first_person_code, pair.first_name, pair.first_person_id),
    other_person_id: pair.person_id,
    other_person_id_text: who(pair.person_code, pair.name, pair.person_id),
  });
  return el("a", { class: "button", href: `#record?${params}` }, w("review"));
}

/** The screen: the queue, oldest first. */
export async function duplicatesScreen(main) {
  const doc = await get("/v1/duplicates");
  const rows = doc.pairs.map((pair) =>
    el(
      "tr",
      { "data-person": pair.person_id },
      el("td", {}, who(pair.person_code, pair.name, pair.person_id)),
      el("td", {}, who(pair.first_person_code, pair.first_name, pair.first_person_id)),
      el("td", {}, w(pair.why)),
      el("td", {}, pair.decision ? valueLabel("outcome", pair.decision) : reviewLink(pair)),
    ),
  );
  main.replaceChildren(
    el("h1", {}, w("title")),
    el("p", {}, w("intro")),
    doc.pairs.length
      ? el(
          "table",
          { id: "duplicates" },
          el("thead", {}, el("tr", {}, ["person", "first", "why", "decision"].map((k) => el("th", {}, w(k))))),
          el("tbody", {}, rows),
        )
      : el("p", { class: "muted" }, w("none")),
    el("p", { id: "to-review" }, w("counted", { n: doc.to_review, total: doc.pairs.length })),
  );
}
