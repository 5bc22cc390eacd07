// signin.js: screen 1. Open a key file (or create a key here and download it),
// sign in by signing the server's challenge, see who you are; sign out.
//
// The Signer (keys.js) keeps the private key inside WebCrypto, non-extractable;
// it lives in api.js's session for this page only. The sign-in text is built
// here from the ledger id and the challenge (dsse.js signIn), never taken from
// the server's `message`.

import { api, session, sessionChanged, setRenewal, toast, ApiError } from "./api.js";
import { lang, t, valueLabel } from "./i18n.js";
import { el, download } from "./format.js";
import { loadKeyFile, createKey, KeyFileError } from "./keys.js";
import { signIn } from "./dsse.js";

/** Sign in with the key held: challenge, signature, token. */
export async function signInWith(signer) {
  const { challenge } = await api("/v1/auth/challenge", {
    method: "POST",
    json: { key_id: signer.keyId },
  });
  const signature = await signIn(signer, session.ledger, challenge);
  const answer = await api("/v1/auth/token", {
    method: "POST",
    json: { key_id: signer.keyId, challenge, signature },
  });
  session.signer = signer;
  session.token = answer.token;
  session.me = { key_id: answer.key_id, holder: answer.holder, roles: answer.roles, expires_at: answer.expires_at };
  sessionChanged();
}

setRenewal(async () => {
  session.token = null;
  if (session.signer) await signInWith(session.signer);
});

/** Sign out: the token stops working, the key is dropped from the page. */
export async function signOut() {
  try {
    if (session.token) await api("/v1/auth/token", { method: "DELETE" });
  } catch {
    /* already expired: signing out locally is what matters */
  }
  session.signer = null;
  session.token = null;
  session.me = null;
  sessionChanged();
  toast(t("signed_out"));
}

function field(label, input, extra = null) {
  return el("div", { class: "field wide" }, el("label", { for: input.id }, label), input, extra);
}

function whoami() {
  const me = session.me;
  const roles = me.roles.map((r) => valueLabel("roles", r)).join(", ");
  const until = new Date(me.expires_at).toLocaleTimeString(lang() === "en" ? "en-GB" : "vi-VN", { hour: "2-digit", minute: "2-digit" });
  const screens = ["record", "inbox", "import", "payroll"];
  return el(
    "div",
    { class: "panel", id: "whoami" },
    el("h2", {}, `${t("signed_in_as")}: ${me.holder.name}`),
    el(
      "dl",
      { class: "card-dl" },
      el("dt", {}, t("roles")), el("dd", { id: "my-roles" }, roles),
      el("dt", {}, t("key_id")), el("dd", { class: "mono" }, me.key_id),
      el("dt", {}, t("session_until")), el("dd", {}, until),
    ),
    el(
      "div",
      { class: "actions" },
      screens.map((name) => el("a", { class: "button", href: `#${name}` }, t(`tab_${name}`))),
      el("button", { type: "button", onclick: signOut }, t("sign_out")),
    ),
  );
}

function loadPanel() {
  const file = el("input", { type: "file", id: "key-file", accept: ".key,.pem,.txt" });
  const pass = el("input", { type: "password", id: "key-pass", autocomplete: "current-password" });
  const passField = field(t("passphrase"), pass);
  passField.hidden = true;
  const problem = el("div", { class: "problems", id: "key-error", role: "alert", hidden: true });
  const button = el("button", { type: "submit", class: "primary", id: "sign-in" }, t("sign_in"));
  const form = el(
    "form",
    { class: "panel", id: "load-key" },
    el("h2", {}, t("load_key")),
    field(t("key_file"), file),
    passField,
    problem,
    el("div", { class: "actions" }, button),
    el("p", { class: "muted" }, t("key_stays")),
  );
  const show = (text) => {
    problem.textContent = text;
    problem.hidden = !text;
  };
  file.addEventListener("change", () => show(""));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    show("");
    if (!file.files.length) return show(t("choose_key_first"));
    button.disabled = true;
    try {
      const text = await file.files[0].text();
      const signer = await loadKeyFile(text, pass.value || undefined);
      await signInWith(signer);
    } catch (err) {
      if (err instanceof KeyFileError) {
        if (err.code === "NEEDS_PASSPHRASE" || err.code === "WRONG_PASSPHRASE") {
          passField.hidden = false;
          pass.focus();
        }
        show(t(err.code));
      } else if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
        show(`${t("UNKNOWN_KEY", { id: err.message })}`);
      } else {
        show(err instanceof ApiError ? err.shown : String(err.message || err));
      }
    } finally {
      button.disabled = false;
      pass.value = "";
    }
  });
  return form;
}

function createPanel() {
  const name = el("input", { type: "text", id: "new-name", autocomplete: "name" });
  const p1 = el("input", { type: "password", id: "new-pass", autocomplete: "new-password" });
  const p2 = el("input", { type: "password", id: "new-pass2", autocomplete: "new-password" });
  const out = el("div", { id: "created", role: "status" });
  const form = el(
    "form",
    { class: "panel", id: "create-key" },
    el("h2", {}, t("create_key")),
    field(t("your_name"), name),
    field(t("new_passphrase"), p1),
    field(t("new_passphrase2"), p2),
    out,
    el("div", { class: "actions" }, el("button", { type: "submit" }, t("create_and_download"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    out.className = "problems";
    if (p1.value.length < 8) return (out.textContent = t("passphrase_short"));
    if (p1.value !== p2.value) return (out.textContent = t("passphrases_differ"));
    const made = await createKey(name.value.trim() || "officer");
    const id = made.signer.keyId;
    download(`ansinh-${id.slice(0, 8)}.key`, await made.pem(p1.value), "application/x-pem-file");
    download(`ansinh-${id.slice(0, 8)}.pub`, made.publicFile, "application/json");
    made.forget?.();
    p1.value = "";
    p2.value = "";
    out.className = "notice";
    out.textContent = t("created_key", { id });
  });
  return form;
}

/** The key screen: who is signed in, or how to sign in. */
export function keyScreen(main) {
  main.replaceChildren(
    el("h1", {}, t("tab_key")),
    session.me ? whoami() : el("div", { class: "key-steps" }, loadPanel(), createPanel()),
  );
}
