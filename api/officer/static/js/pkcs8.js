// pkcs8.js: the private-key files of FORMATS §1 keys, as `ansinh keys new`
// writes them (ledger/formats/keys.py): PEM "PRIVATE KEY" (PKCS#8
// PrivateKeyInfo, RFC 5958, holding an RFC 8410 Ed25519 seed), or
// "ENCRYPTED PRIVATE KEY" (EncryptedPrivateKeyInfo, PBES2 of RFC 8018 with
// PBKDF2 and AES-CBC). Decryption and key derivation are WebCrypto's; this
// module only reads and writes the structures around them.
//
// Every refusal is a KeyFileError with a stable code: NOT_PEM, NEEDS_PASSPHRASE,
// WRONG_PASSPHRASE, NOT_ED25519, UNSUPPORTED_ENCRYPTION.

import { b64decode, b64encode, utf8 } from "./bytes.js";
import * as der from "./der.js";

export class KeyFileError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "KeyFileError";
    this.code = code;
  }
}

const OID = Object.freeze({
  ED25519: "1.3.101.112",
  PBES2: "1.2.840.113549.1.5.13",
  PBKDF2: "1.2.840.113549.1.5.12",
  HMAC_SHA1: "1.2.840.113549.2.7",
});
const PRF = new Map([
  [OID.HMAC_SHA1, "SHA-1"],
  ["1.2.840.113549.2.9", "SHA-256"],
  ["1.2.840.113549.2.10", "SHA-384"],
  ["1.2.840.113549.2.11", "SHA-512"],
]);
const HMAC_SHA256 = "1.2.840.113549.2.9";
const CIPHER = new Map([
  ["2.16.840.1.101.3.4.1.2", 128], // aes128-CBC
  ["2.16.840.1.101.3.4.1.42", 256], // aes256-CBC
]);
const AES256_CBC = "2.16.840.1.101.3.4.1.42";
const SEED_BYTES = 32;
const MAX_ITERATIONS = 10_000_000; // a hostile file must not freeze the page
export const WRITE_ITERATIONS = 600_000; // PBKDF2-HMAC-SHA256 rounds of the files written here

// -- PEM ------------------------------------------------------------------------

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const LABELS = ["PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];
const OTHER_KEYS = ["EC PRIVATE KEY", "RSA PRIVATE KEY", "DSA PRIVATE KEY"];

/** The first PKCS#8 private key block of a PEM text: {encrypted, der}. */
export function readPem(text) {
  if (typeof text !== "string") {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(text);
    } catch {
      throw new KeyFileError("NOT_PEM", "key file: not a text file (a PEM key file is text)");
    }
  }
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const block = blocks.find((b) => LABELS.includes(b[1]));
  if (!block) {
    if (blocks.some((b) => OTHER_KEYS.includes(b[1]))) {
      throw new KeyFileError("NOT_ED25519", "key file: an RSA, EC or DSA key, not an Ed25519 key");
    }
    throw new KeyFileError("NOT_PEM", "key file: no PKCS#8 private key (BEGIN PRIVATE KEY) in it");
  }
  try {
    return { encrypted: block[1] === LABELS[1], der: b64decode(block[2].replace(/\s+/g, "")) };
  } catch {
    throw new KeyFileError("NOT_PEM", "key file: the PEM block is not valid base64");
  }
}

/** A PEM text: the label's BEGIN line, base64 in lines of 64, END line, final newline. */
export function writePem(label, bytes) {
  const body = b64encode(bytes).match(/.{1,64}/g).join("\n");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

// -- PrivateKeyInfo (RFC 5958, RFC 8410) ---------------------------------------------

/** The 32-byte Ed25519 seed in a PrivateKeyInfo; `damaged` names the code for bad bytes. */
export function ed25519Seed(info, damaged = "NOT_PEM") {
  let algorithm;
  let privateKey;
  try {
    const [version, alg, key] = der.children(der.readOnly(info, der.TAG.SEQUENCE).value);
    if (der.readInteger(version) > 1) throw new der.DerError("unknown PrivateKeyInfo version");
    algorithm = der.readOid(der.children(der.expectTag(alg, der.TAG.SEQUENCE).value)[0]);
    privateKey = der.expectTag(key, der.TAG.OCTET_STRING).value;
  } catch (error) {
    if (!(error instanceof der.DerError)) throw error;
    throw new KeyFileError(damaged, `key file: not a PKCS#8 private key (${error.message})`);
  }
  if (algorithm !== OID.ED25519) {
    throw new KeyFileError("NOT_ED25519", `key file: a key of algorithm ${algorithm}, not Ed25519`);
  }
  try {
    const seed = der.readOnly(privateKey, der.TAG.OCTET_STRING).value;
    if (seed.length !== SEED_BYTES) throw new der.DerError("an Ed25519 seed is 32 bytes");
    return seed.slice();
  } catch (error) {
    if (!(error instanceof der.DerError)) throw error;
    throw new KeyFileError(damaged, `key file: damaged Ed25519 key (${error.message})`);
  }
}

/** The PrivateKeyInfo of an Ed25519 seed, as Python's `cryptography` writes it (48 bytes). */
export function pkcs8FromSeed(seed) {
  const algorithm = der.sequence(der.oid(OID.ED25519));
  return der.sequence(der.integer(0), algorithm, der.octetString(der.octetString(seed)));
}

// -- PBES2 (RFC 8018 §6.2) ---------------------------------------------------------

/** Decrypt an EncryptedPrivateKeyInfo with a passphrase: the PrivateKeyInfo bytes. */
export async function decryptPkcs8(encrypted, passphrase) {
  const scheme = readPbes2(encrypted);
  const key = await deriveAesKey(passphrase, scheme, ["decrypt"]);
  try {
    const params = { name: "AES-CBC", iv: scheme.iv };
    return new Uint8Array(await crypto.subtle.decrypt(params, key, scheme.data));
  } catch {
    // AES-CBC under a wrong key fails its padding check (or, rarely, gives bytes
    // that are not a PrivateKeyInfo: the caller says WRONG_PASSPHRASE then too).
    throw new KeyFileError("WRONG_PASSPHRASE", "key file: the passphrase is wrong");
  }
}

/** Encrypt a PrivateKeyInfo: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, new salt and IV. */
export async function encryptPkcs8(info, passphrase, iterations = WRITE_ITERATIONS) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const scheme = { salt, iterations, hash: "SHA-256", bits: 256, iv };
  const key = await deriveAesKey(passphrase, scheme, ["encrypt"]);
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, key, info));
  const kdf = der.sequence(
    der.oid(OID.PBKDF2),
    der.sequence(
      der.octetString(salt),
      der.integer(iterations),
      der.sequence(der.oid(HMAC_SHA256), der.nullValue()),
    ),
  );
  const cipher = der.sequence(der.oid(AES256_CBC), der.octetString(iv));
  const algorithm = der.sequence(der.oid(OID.PBES2), der.sequence(kdf, cipher));
  return der.sequence(algorithm, der.octetString(data));
}

async function deriveAesKey(passphrase, scheme, uses) {
  const secret = await crypto.subtle.importKey("raw", utf8(passphrase), "PBKDF2", false, [
    "deriveKey",
  ]);
  const pbkdf2 = { name: "PBKDF2", salt: scheme.salt, iterations: scheme.iterations, hash: scheme.hash };
  return crypto.subtle.deriveKey(pbkdf2, secret, { name: "AES-CBC", length: scheme.bits }, false, uses);
}

function unsupported(why) {
  return new KeyFileError("UNSUPPORTED_ENCRYPTION", `key file: encryption not supported (${why})`);
}

// EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier {PBES2, PBES2-params}, OCTET STRING }
// PBES2-params ::= SEQUENCE { {PBKDF2, {salt, iterationCount, keyLength?, prf?}}, {AES-CBC, iv} }
function readPbes2(encrypted) {
  let outer;
  try {
    const [algorithm, data] = der.children(der.readOnly(encrypted, der.TAG.SEQUENCE).value);
    const [schemeOid, params] = der.children(der.expectTag(algorithm, der.TAG.SEQUENCE).value);
    outer = { scheme: der.readOid(schemeOid), params, data: der.expectTag(data, der.TAG.OCTET_STRING).value };
  } catch (error) {
    if (!(error instanceof der.DerError)) throw error;
    throw new KeyFileError("NOT_PEM", `key file: not an encrypted PKCS#8 key (${error.message})`);
  }
  if (outer.scheme !== OID.PBES2) throw unsupported(`scheme ${outer.scheme}, not PBES2`);
  try {
    const [kdf, cipher] = der.children(der.expectTag(outer.params, der.TAG.SEQUENCE).value);
    const [kdfOid, kdfParams] = der.children(der.expectTag(kdf, der.TAG.SEQUENCE).value);
    const kdfName = der.readOid(kdfOid);
    if (kdfName !== OID.PBKDF2) throw unsupported(`key derivation ${kdfName}, not PBKDF2`);
    const [salt, count, ...optional] = der.children(der.expectTag(kdfParams, der.TAG.SEQUENCE).value);
    const iterations = der.readInteger(count);
    if (iterations < 1 || iterations > MAX_ITERATIONS) throw unsupported(`${iterations} PBKDF2 rounds`);
    let keyLength = null;
    let prf = OID.HMAC_SHA1; // the DEFAULT of PBKDF2-params
    for (const part of optional) {
      if (part.tag === der.TAG.INTEGER && keyLength === null) keyLength = der.readInteger(part);
      else prf = der.readOid(der.children(der.expectTag(part, der.TAG.SEQUENCE).value)[0]);
    }
    const [cipherOid, iv] = der.children(der.expectTag(cipher, der.TAG.SEQUENCE).value);
    const cipherName = der.readOid(cipherOid);
    const bits = CIPHER.get(cipherName);
    if (!PRF.has(prf)) throw unsupported(`PBKDF2 pseudo-random function ${prf}`);
    if (!bits) throw unsupported(`cipher ${cipherName}, not AES-128-CBC or AES-256-CBC`);
    if (keyLength !== null && keyLength * 8 !== bits) throw unsupported(`key length ${keyLength}`);
    const ivBytes = der.expectTag(iv, der.TAG.OCTET_STRING).value;
    if (ivBytes.length !== 16) throw unsupported("an AES-CBC IV is 16 bytes");
    const saltBytes = der.expectTag(salt, der.TAG.OCTET_STRING).value;
    return { salt: saltBytes, iterations, hash: PRF.get(prf), bits, iv: ivBytes, data: outer.data };
  } catch (error) {
    if (!(error instanceof der.DerError)) throw error;
    throw unsupported(`PBES2 parameters: ${error.message}`);
  }
}
