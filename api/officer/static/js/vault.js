// vault.js: personal data as a statement refers to it (FORMATS §5), and the
// evidence hash of a payment's receipt (FORMATS §6, payment.recorded
// receipt.evidence).
//
// pii = hex(SHA-256("ansinh/pii/v1\n" || salt || JCS(record))), salt = 32 new
// random bytes per record. The record and salt go to the server beside the
// statement (the submission's `vault` list: {person_id, salt, record}); only
// the commitment goes into the signed statement.

import { b64encode, concat, hex, sha256, utf8 } from "./bytes.js";
import { canonicalBytes } from "./jcs.js";

export const PII_PREFIX = "ansinh/pii/v1\n";
const SALT_BYTES = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** 32 new random bytes: the salt of one personal-data record. */
export function newSalt() {
  return crypto.getRandomValues(new Uint8Array(SALT_BYTES));
}

/** The commitment (hex) a statement's `pii` field holds for this salt and record. */
export async function commitment(saltBytes, record) {
  if (!(saltBytes instanceof Uint8Array) || saltBytes.length !== SALT_BYTES) {
    throw new Error(`salt: must be ${SALT_BYTES} bytes`);
  }
  checkRecord(record);
  return hex(await sha256(concat(utf8(PII_PREFIX), saltBytes, canonicalBytes(record))));
}

/**
 * A new vault record for a person: {record: {person_id, salt (base64), record}, pii},
 * `record` to send in the submission's `vault` list, `pii` to put in the body.
 */
export async function vaultRecord(personId, record) {
  if (typeof personId !== "string" || !UUID.test(personId)) {
    throw new Error("person_id: must be a lowercase UUID");
  }
  const salt = newSalt();
  const pii = await commitment(salt, record);
  return { record: { person_id: personId, salt: b64encode(salt), record }, pii };
}

/**
 * receipt.evidence: hex SHA-256 of a scanned proof (a File or Blob: its bytes),
 * or of a typed receipt or bank reference number (a string: its UTF-8, trimmed).
 */
export async function evidenceOf(fileOrText) {
  if (typeof fileOrText === "string") {
    const text = fileOrText.trim();
    if (!text) throw new Error("receipt.evidence: the reference number is empty");
    return hex(await sha256(utf8(text)));
  }
  if (fileOrText instanceof Blob) {
    if (fileOrText.size === 0) throw new Error("receipt.evidence: the file is empty");
    return hex(await sha256(new Uint8Array(await fileOrText.arrayBuffer())));
  }
  throw new Error("receipt.evidence: give a file or a reference number");
}

function checkRecord(record) {
  const plain = record !== null && typeof record === "object" && !Array.isArray(record);
  if (!plain || Object.keys(record).length === 0) {
    throw new Error("record: must be a non-empty object of personal data");
  }
}
