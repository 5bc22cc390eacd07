// der.js: a small, strict ASN.1 DER reader and writer, enough for the PKCS#8
// key files of FORMATS §1 keys (RFC 5208 / 5958 PrivateKeyInfo, RFC 8410
// Ed25519, RFC 8018 PBES2 EncryptedPrivateKeyInfo).
//
// The reader accepts definite, minimal lengths only and never reads past the
// bytes it is given; any fault throws DerError, which keys.js turns into its
// own error codes. Nothing here knows about keys.

export class DerError extends Error {
  constructor(message) {
    super(`DER: ${message}`);
    this.name = "DerError";
  }
}

export const TAG = Object.freeze({
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
});

/** One element at `offset`: {tag, value (a view of its contents), end (offset after it)}. */
export function readElement(bytes, offset = 0) {
  if (offset + 2 > bytes.length) throw new DerError("truncated element");
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError("multi-byte tags are not used here");
  let length = bytes[offset + 1];
  let at = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw new DerError("indefinite length is not DER");
    if (count > 4) throw new DerError("length too large");
    if (at + count > bytes.length) throw new DerError("truncated length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at + i];
    if (bytes[at] === 0 || length < 0x80) throw new DerError("length not minimal");
    at += count;
  }
  const end = at + length;
  if (end > bytes.length) throw new DerError("element longer than its container");
  return { tag, value: bytes.subarray(at, end), end };
}

/** The whole of `bytes` as exactly one element of tag `tag`. */
export function readOnly(bytes, tag) {
  const element = readElement(bytes, 0);
  if (element.end !== bytes.length) throw new DerError("bytes after the element");
  expectTag(element, tag);
  return element;
}

/** The elements inside a SEQUENCE's contents. */
export function children(sequenceValue) {
  const out = [];
  let at = 0;
  while (at < sequenceValue.length) {
    const element = readElement(sequenceValue, at);
    out.push(element);
    at = element.end;
    if (out.length > 64) throw new DerError("too many elements");
  }
  return out;
}

export function expectTag(element, tag) {
  if (!element || element.tag !== tag) {
    const found = element ? `0x${element.tag.toString(16)}` : "nothing";
    throw new DerError(`expected tag 0x${tag.toString(16)}, found ${found}`);
  }
  return element;
}

/** A non-negative INTEGER's value, at most 2^48 (versions, iteration counts, lengths). */
export function readInteger(element) {
  const v = expectTag(element, TAG.INTEGER).value;
  if (v.length === 0 || v.length > 7) throw new DerError("integer out of range");
  if (v[0] & 0x80) throw new DerError("negative integer");
  if (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) throw new DerError("integer not minimal");
  let n = 0;
  for (const byte of v) n = n * 256 + byte;
  return n;
}

/** An OBJECT IDENTIFIER as dotted text. */
export function readOid(element) {
  const v = expectTag(element, TAG.OID).value;
  if (v.length === 0 || v.length > 32) throw new DerError("bad object identifier");
  const arcs = [];
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    if (n === 0 && v[i] === 0x80) throw new DerError("object identifier not minimal");
    n = n * 128 + (v[i] & 0x7f);
    if (n > 0xffffffff) throw new DerError("object identifier arc too large");
    if (!(v[i] & 0x80)) {
      if (arcs.length === 0) {
        const first = Math.min(2, Math.floor(n / 40)); // the first byte holds two arcs
        arcs.push(first, n - 40 * first);
      } else {
        arcs.push(n);
      }
      n = 0;
    } else if (i === v.length - 1) {
      throw new DerError("object identifier truncated");
    }
  }
  return arcs.join(".");
}

// -- writing ------------------------------------------------------------------

/** A TLV element from its tag and contents (byte arrays, concatenated). */
export function element(tag, ...contents) {
  const length = contents.reduce((n, c) => n + c.length, 0);
  const head = [tag];
  if (length < 0x80) head.push(length);
  else {
    const digits = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) digits.unshift(n % 256);
    head.push(0x80 | digits.length, ...digits);
  }
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let at = head.length;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const sequence = (...contents) => element(TAG.SEQUENCE, ...contents);
export const octetString = (bytes) => element(TAG.OCTET_STRING, bytes);
export const nullValue = () => element(TAG.NULL);

/** A non-negative INTEGER. */
export function integer(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new DerError("integer out of range");
  const digits = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) digits.unshift(v % 256);
  if (digits.length === 0 || digits[0] & 0x80) digits.unshift(0);
  return element(TAG.INTEGER, Uint8Array.from(digits));
}

/** An OBJECT IDENTIFIER from dotted text. */
export function oid(dotted) {
  const arcs = dotted.split(".").map(Number);
  const values = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  const out = [];
  for (const value of values) {
    const groups = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) {
      groups.unshift(0x80 | (v & 0x7f));
    }
    out.push(...groups);
  }
  return element(TAG.OID, Uint8Array.from(out));
}
