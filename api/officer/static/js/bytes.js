// bytes.js: the byte helpers every signed format is built from: UTF-8, base64,
// hex and SHA-256 (WebCrypto).
//
// FORMATS "Words": base64 is the standard alphabet with padding (RFC 4648 §4),
// hex is lowercase. b64decode is strict, as the ledger is: it refuses other
// alphabets, missing padding, whitespace and non-canonical trailing bits, so a
// value the page accepts is one the server accepts.

const encoder = new TextEncoder();
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CHUNK = 0x8000; // characters per String.fromCharCode call (argument limits)

/** The UTF-8 bytes of a string; a lone surrogate has no UTF-8 form and is refused. */
export function utf8(str) {
  if (typeof str !== "string") throw new TypeError("utf8: expects a string");
  if (!str.isWellFormed()) throw new Error("utf8: the text holds a lone surrogate (not Unicode)");
  return encoder.encode(str);
}

/** Standard base64 with padding. */
export function b64encode(bytes) {
  const view = asBytes(bytes, "b64encode");
  let binary = "";
  for (let i = 0; i < view.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, view.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Decode standard, padded, canonical base64; anything else throws. */
export function b64decode(str) {
  if (typeof str !== "string" || !B64.test(str)) {
    throw new Error("b64decode: not base64 (standard alphabet, padded, no spaces)");
  }
  const binary = atob(str);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  if (b64encode(out) !== str) throw new Error("b64decode: not canonical base64");
  return out;
}

/** Lowercase hex. */
export function hex(bytes) {
  const view = asBytes(bytes, "hex");
  let out = "";
  for (let i = 0; i < view.length; i++) out += view[i].toString(16).padStart(2, "0");
  return out;
}

/** SHA-256 of bytes (32 bytes). */
export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", asBytes(bytes, "sha256")));
}

/** Lowercase hex SHA-256 of bytes, or of a string's UTF-8. */
export async function sha256Hex(bytesOrString) {
  const bytes = typeof bytesOrString === "string" ? utf8(bytesOrString) : bytesOrString;
  return hex(await sha256(bytes));
}

/** Concatenate byte arrays. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A Uint8Array view of bytes (Uint8Array, ArrayBuffer or another typed array). */
export function asBytes(bytes, where = "bytes") {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError(`${where}: expects bytes (Uint8Array or ArrayBuffer)`);
}
