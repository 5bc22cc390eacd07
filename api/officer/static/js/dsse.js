// dsse.js: statements (FORMATS §2), their DSSE v1 envelopes (FORMATS §3), and
// the sign-in text an officer signs (the server's api/http/signin.py).
//
// payload = JCS(statement); signature = Ed25519(PAE(payloadType, payload));
// PAE(t, b) = "DSSEv1" SP len(t) SP t SP len(b) SP b, lengths in bytes, in
// ASCII decimal. An envelope made here is byte for byte the one the ledger's
// own code makes from the same statement and key.

import { b64encode, concat, hex, utf8 } from "./bytes.js";
import { canonicalBytes } from "./jcs.js";

export const PAYLOAD_TYPE = "application/vnd.ansinh.statement+json";
export const SIGNIN_PREFIX = "ansinh signin v1";

const LEDGER_ID = /^[a-z0-9.\-/]+$/;
const KEY_ID = /^[0-9a-f]{64}$/;
const NONCE = /^[0-9a-f]{32}$/;
const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const TYPE = /^[a-z]+(\.[a-z_]+)+$/;

/** DSSE v1 pre-authentication encoding of a payload. */
export function pae(payloadType, payloadBytes) {
  const t = utf8(payloadType);
  const head = utf8(`DSSEv1 ${t.length} ${payloadType} ${payloadBytes.length} `);
  return concat(head, payloadBytes);
}

/** A new entity id: a random UUID v4, lowercase (FORMATS §2 ids). */
export function newId() {
  return crypto.randomUUID().toLowerCase();
}

/** A new nonce: 16 random bytes as 32 lowercase hex characters (FORMATS §2). */
export function newNonce() {
  return hex(crypto.getRandomValues(new Uint8Array(16)));
}

/** A statement's `at`: RFC 3339 UTC to the second, `YYYY-MM-DDTHH:MM:SSZ` (FORMATS §2). */
export function timestamp(date = new Date()) {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new Error("timestamp: expects a valid Date");
  }
  const text = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ, always UTC
  if (text.length !== 24) throw new Error("timestamp: the year must have four digits");
  return `${text.slice(0, 19)}Z`;
}

/**
 * A statement (FORMATS §2): {ledger, type, by, at, nonce, body}; `at` defaults to
 * now and `nonce` to a new one. The shape is checked here; whether the body
 * suits its type is the server's to say (it names the field it refuses).
 */
export function statement({ ledger, type, by, body, at, nonce, ...rest }) {
  const extra = Object.keys(rest);
  if (extra.length) throw new Error(`statement: unknown field ${extra[0]}`);
  need(typeof ledger === "string" && LEDGER_ID.test(ledger), "ledger", "a ledger id ([a-z0-9.-/])");
  need(typeof type === "string" && TYPE.test(type), "type", "a statement type like payment.recorded");
  need(typeof by === "string" && KEY_ID.test(by), "by", "a key id (64 lowercase hex)");
  need(body !== null && typeof body === "object" && !Array.isArray(body), "body", "an object");
  const when = at ?? timestamp();
  need(typeof when === "string" && AT.test(when), "at", "YYYY-MM-DDTHH:MM:SS[.ffffff]Z");
  const once = nonce ?? newNonce();
  need(typeof once === "string" && NONCE.test(once), "nonce", "32 lowercase hex characters");
  return { ledger, type, by, at: when, nonce: once, body };
}

/** Sign a statement as `signer` (its author): the DSSE envelope, ready to POST. */
export async function signStatement(signer, stmt) {
  if (stmt?.by !== signer.keyId) {
    throw new Error(`statement.by: ${stmt?.by} is not the signer's key id ${signer.keyId}`);
  }
  const payload = canonicalBytes(stmt);
  const sig = await signer.sign(pae(PAYLOAD_TYPE, payload));
  return {
    payloadType: PAYLOAD_TYPE,
    payload: b64encode(payload),
    signatures: [{ keyid: signer.keyId, sig: b64encode(sig) }],
  };
}

/**
 * The text signed to sign in: "ansinh signin v1\n" + ledger id + "\n" + challenge + "\n".
 * Built here from the ledger id and the challenge, never taken from the server's
 * `message` field: a hostile server could put a statement's bytes there.
 */
export function signinMessage(ledgerId, challenge) {
  need(typeof ledgerId === "string" && LEDGER_ID.test(ledgerId), "ledger_id", "a ledger id");
  need(
    typeof challenge === "string" && /^[A-Za-z0-9+/]+={0,2}$/.test(challenge),
    "challenge",
    "the base64 challenge the server gave",
  );
  return `${SIGNIN_PREFIX}\n${ledgerId}\n${challenge}\n`;
}

/** Sign in: the base64 signature of signinMessage(ledgerId, challenge), for /v1/auth/token. */
export async function signIn(signer, ledgerId, challenge) {
  return b64encode(await signer.sign(utf8(signinMessage(ledgerId, challenge))));
}

function need(ok, field, what) {
  if (!ok) throw new Error(`${field}: must be ${what}`);
}
