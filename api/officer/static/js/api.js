// api.js: the console's one way to the server. Requests carry the bearer token
// of the signed-in officer; errors come back as ApiError with the server's
// {code, message}. The session (key, token, who) lives in this module only, in
// memory: nothing of it is written to storage, and a reload forgets it.
//
// The private key never leaves the Signer (keys.js); this module sends only
// statements already signed, challenges' signatures and the token.

import { t } from "./i18n.js";

/** Where the server serves this ledger: "" alone, "/c/SCHEMA" when it serves a province's. */
export const ROOT = document.body.dataset.root || "";

export const session = {
  ledger: document.body.dataset.ledger,
  signer: null, // keys.js Signer: {keyId, publicKey, sign(bytes)}
  token: null,
  me: null, // {key_id, holder: {id, name}, roles, expires_at}
};

const listeners = new Set();

/** Call `fn` whenever the session changes (signed in or out). */
export function onSession(fn) {
  listeners.add(fn);
}

export function sessionChanged() {
  for (const fn of listeners) fn(session);
}

/** Whether the signed-in officer holds one of `roles`. */
export function holds(...roles) {
  return Boolean(session.me && session.me.roles.some((r) => roles.includes(r)));
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The error as an officer reads it. */
  get shown() {
    if (this.status === 0) return t("offline");
    return t("server_error", { code: this.code, message: this.message });
  }
}

let renew = null; // set by signin.js: signs in again with the key held (tokens live 15 minutes)

export function setRenewal(fn) {
  renew = fn;
}

/**
 * fetch with the bearer token. `json`: a body sent as JSON; `lines`: a list of
 * objects sent as one JSON-lines batch; `body` + `type`: raw bytes. Returns the
 * parsed JSON answer, or the Response itself when `raw`.
 */
export async function api(path, options = {}, retried = false) {
  const { method = "GET", json, lines, body, type, raw = false } = options;
  const headers = {};
  let payload = body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(json);
  } else if (lines !== undefined) {
    headers["Content-Type"] = "application/jsonl";
    payload = lines.map((line) => JSON.stringify(line)).join("\n") + "\n";
  } else if (type) {
    headers["Content-Type"] = type;
  }
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let answer;
  try {
    answer = await fetch(path.startsWith("/") ? ROOT + path : path, { method, headers, body: payload });
  } catch (err) {
    throw new ApiError(0, "OFFLINE", String(err));
  }
  if (answer.status === 401 && session.token && renew && !retried) {
    await renew(); // the token expired: the key is still held, so sign in again once
    return api(path, options, true);
  }
  if (!answer.ok) {
    let code = `HTTP_${answer.status}`;
    let message = answer.statusText;
    try {
      const found = await answer.json();
      code = found.error?.code ?? code;
      message = found.error?.message ?? message;
    } catch {
      /* not JSON: keep the status */
    }
    throw new ApiError(answer.status, code, message);
  }
  if (raw) return answer;
  return answer.status === 204 ? null : answer.json();
}

/** A GET with query parameters (empty ones left out). */
export function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const text = query.toString();
  return api(text ? `${path}?${text}` : path);
}

/** Show a short message at the bottom of the screen. */
export function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    box.hidden = true;
  }, 6000);
}
