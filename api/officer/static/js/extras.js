// extras.js: the fields no one types as they are signed. A person's personal
// data (name, national id, birth date) becomes a vault record and its
// commitment (vault.js) in this browser; a receipt's proof becomes the SHA-256
// of its scan or of its typed number (evidenceOf); a key comes from the .pub
// file its holder sent; an attestation names the latest checkpoint.

import { ROOT } from "./api.js";
import { t } from "./i18n.js";
import { el, parseDate } from "./format.js";
import { box, FieldProblem } from "./fields.js";
import { vaultRecord, evidenceOf } from "./vault.js";

/**
 * The `pii` of person.registered / person.pii.updated: the record's inputs, and
 * read() -> the commitment; vault() -> [{person_id, salt, record}] to send with it.
 * `personId()` names the person the record is for; `onBirth(year)` hears the birth year.
 */
export function piiWidget(type, field, personId) {
  const name = el("input", { type: "text", id: "pii-full-name", autocomplete: "off" });
  const nid = el("input", { type: "text", id: "pii-national-id", inputmode: "numeric", autocomplete: "off" });
  const born = el("input", { type: "text", id: "pii-birth-date", inputmode: "numeric", placeholder: "dd/mm/yyyy" });
  const errors = {};
  const part = (label, input, key) => {
    errors[key] = el("div", { class: "error", hidden: true });
    return el("div", { class: "field", "data-field": `vault.${key}` }, el("label", { for: input.id }, label), input, errors[key]);
  };
  const inner = el(
    "div",
    { class: "fields" },
    part(t("full_name"), name, "full_name"),
    part(t("national_id"), nid, "national_id"),
    part(t("birth_date"), born, "birth_date"),
    el("p", { class: "help field wide" }, t("vault_note")),
  );
  const framed = box(type, field, inner, true);
  let sealed = null;
  const bad = (key, message) => {
    errors[key].textContent = message;
    errors[key].hidden = false;
    errors[key].parentElement.classList.add("bad");
    return true;
  };
  return {
    path: field.path,
    ...framed,
    clear() {
      framed.clear();
      for (const e of Object.values(errors)) {
        e.hidden = true;
        e.parentElement.classList.remove("bad");
      }
    },
    birthYear() {
      const day = parseDate(born.value);
      return day ? Number(day.slice(0, 4)) : undefined;
    },
    async read() {
      const record = { full_name: name.value.trim().normalize("NFC"), national_id: nid.value.trim() };
      const day = parseDate(born.value);
      let failed = false;
      if (!record.full_name) failed = bad("full_name", t("required"));
      if (!record.national_id) failed = bad("national_id", t("required"));
      if (day === undefined) failed = bad("birth_date", t("not_a_date"));
      if (day === null) failed = bad("birth_date", t("required"));
      if (failed) throw new FieldProblem("");
      record.birth_date = day;
      sealed = await vaultRecord(personId(), record);
      return sealed.pii;
    },
    vault: () => (sealed ? [sealed.record] : []),
  };
}

/** The birth year of person.registered, taken from the birth date of the pii widget. */
export function birthYearWidget(type, field, pii) {
  const shown = el("output", {}, "…");
  const framed = box(type, field, shown);
  return {
    path: field.path,
    ...framed,
    read: () => {
      const year = pii.birthYear();
      shown.textContent = year ?? "…";
      if (year === undefined) throw new FieldProblem(t("required"));
      return year;
    },
  };
}

/** A receipt's evidence: the SHA-256 of a scan (file) or of a typed receipt number. */
export function evidenceWidget(type, field, id = "evidence") {
  const file = el("input", { type: "file", id: `${id}-file`, accept: "image/*,application/pdf", capture: "environment" });
  const text = el("input", { type: "text", id: `${id}-text`, placeholder: t("receipt_no"), autocomplete: "off" });
  const hash = el("output", { class: "mono" });
  const inner = el(
    "div",
    {},
    el("label", { for: file.id, class: "muted" }, t("evidence_file")),
    file,
    el("label", { for: text.id, class: "muted" }, t("evidence_text")),
    text,
    el("div", { class: "help" }, `${t("evidence_hash")}: `, hash),
  );
  const framed = box(type, field, inner, true);
  return {
    path: field.path,
    ...framed,
    async read() {
      const source = file.files.length ? file.files[0] : text.value.trim();
      if (!source) throw new FieldProblem(t("required"));
      const found = await evidenceOf(source);
      hash.textContent = found;
      return found;
    },
  };
}

/** A button that fills the key fields and the holder's name from a .pub file. */
export function pubLoader(fill) {
  const input = el("input", { type: "file", id: "pub-file", accept: ".pub,.json,.txt" });
  input.addEventListener("change", async () => {
    const found = JSON.parse(await input.files[0].text());
    fill({ "key.id": found.id, "key.public_key": found.public_key, "holder.name": found.name });
  });
  return el("div", { class: "field wide" }, el("label", { for: input.id }, t("load_pub")), input);
}

/** A button that fills tree_size and root from the latest signed checkpoint. */
export function checkpointLoader(fill) {
  const button = el("button", { type: "button", id: "use-checkpoint" }, t("checkpoint_now"));
  button.addEventListener("click", async () => {
    const note = await (await fetch(`${ROOT}/v1/log/checkpoint`)).text();
    const [, size, root] = note.split("\n");
    fill({ tree_size: size, root });
  });
  return el("div", { class: "field wide" }, button);
}
