// keys.js: an officer's Ed25519 signing key in the page (FORMATS §1), loaded
// from the key file `ansinh keys new` wrote, or made here.
//
// A Signer is {keyId, publicKey, privateKey, sign(bytes)}: keyId = hex SHA-256
// of the raw 32-byte public key (FORMATS §1), publicKey = its base64, and
// privateKey a NON-extractable WebCrypto key: script in the page can sign
// with it but can never read it out (it can be kept in IndexedDB as it is).
// The seed is read from the file once, used to import the key, and zeroed.
//
// Key files: PKCS#8 PEM, plain or passphrase-encrypted (pkcs8.js). Refusals
// are KeyFileError with a stable `.code`: NOT_PEM, NEEDS_PASSPHRASE,
// WRONG_PASSPHRASE, NOT_ED25519, UNSUPPORTED_ENCRYPTION.

import { b64encode, b64decode, hex, sha256 } from "./bytes.js";
import {
  KeyFileError,
  decryptPkcs8,
  ed25519Seed,
  encryptPkcs8,
  pkcs8FromSeed,
  readPem,
  writePem,
} from "./pkcs8.js";

export { KeyFileError };

const ED25519 = { name: "Ed25519" };
const PUBLIC_KEY_BYTES = 32;

/** A Signer from a private key file's text (or bytes), with its passphrase if it has one. */
export async function loadKeyFile(pemText, passphrase) {
  const file = readPem(pemText);
  let info = file.der;
  if (file.encrypted) {
    if (typeof passphrase !== "string" || passphrase === "") {
      throw new KeyFileError("NEEDS_PASSPHRASE", "key file: encrypted; give its passphrase");
    }
    info = await decryptPkcs8(file.der, passphrase);
  }
  // Decrypted bytes that are no PrivateKeyInfo mean the passphrase was wrong.
  const seed = ed25519Seed(info, file.encrypted ? "WRONG_PASSPHRASE" : "NOT_PEM");
  try {
    return await signerFromSeed(seed);
  } finally {
    seed.fill(0);
    info.fill(0);
    file.der.fill(0);
  }
}

/** A Signer from a non-extractable private CryptoKey and the raw public key (e.g. from IndexedDB). */
export async function makeSigner(privateKey, publicKeyBytes) {
  if (!(privateKey instanceof CryptoKey) || privateKey.algorithm.name !== "Ed25519") {
    throw new Error("privateKey: must be an Ed25519 CryptoKey");
  }
  if (privateKey.extractable) throw new Error("privateKey: must be non-extractable");
  if (!(publicKeyBytes instanceof Uint8Array) || publicKeyBytes.length !== PUBLIC_KEY_BYTES) {
    throw new Error(`publicKey: must be ${PUBLIC_KEY_BYTES} bytes`);
  }
  const publicKey = publicKeyBytes.slice();
  return Object.freeze({
    keyId: hex(await sha256(publicKey)),
    publicKey: b64encode(publicKey),
    privateKey,
    async sign(bytes) {
      return new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, bytes));
    },
  });
}

/**
 * A new key, made in the page: {signer, publicFile, pem(passphrase?), forget()}.
 *
 * publicFile is the text `ansinh keys new` writes to NAME.pub
 * ({"name", "id", "public_key"}): what the admin registers. pem(passphrase)
 * gives the private key file (PKCS#8 PEM; encrypted with PBES2,
 * PBKDF2-HMAC-SHA256 and AES-256-CBC when a passphrase is given) that
 * `ansinh` reads. The signer only ever holds a non-extractable key; the
 * extractable one stays inside pem() until forget() or the object is dropped.
 */
export async function createKey(name = "officer") {
  if (typeof name !== "string" || !/^[^/\\\0]{1,64}$/.test(name)) {
    throw new Error("name: 1 to 64 characters, no slash");
  }
  const pair = await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"]);
  let extractable = pair.privateKey;
  const publicRaw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const info = await privateKeyInfo(extractable);
  let signer;
  try {
    const privateKey = await crypto.subtle.importKey("pkcs8", info, ED25519, false, ["sign"]);
    signer = await makeSigner(privateKey, publicRaw);
  } finally {
    info.fill(0);
  }
  const publicFile = `{"name": ${pythonJson(name)}, "id": "${signer.keyId}", "public_key": "${signer.publicKey}"}\n`;
  return {
    signer,
    publicFile,
    async pem(passphrase) {
      if (extractable === null) throw new Error("pem: the key was forgotten; it cannot be saved now");
      if (passphrase !== undefined && passphrase !== null && typeof passphrase !== "string") {
        throw new Error("passphrase: must be text");
      }
      const plain = await privateKeyInfo(extractable);
      try {
        if (!passphrase) return writePem("PRIVATE KEY", plain);
        return writePem("ENCRYPTED PRIVATE KEY", await encryptPkcs8(plain, passphrase));
      } finally {
        plain.fill(0);
      }
    },
    forget() {
      extractable = null;
    },
  };
}

// The exported key re-encoded as the 48-byte PrivateKeyInfo Python writes.
async function privateKeyInfo(extractableKey) {
  const exported = new Uint8Array(await crypto.subtle.exportKey("pkcs8", extractableKey));
  const seed = ed25519Seed(exported);
  exported.fill(0);
  try {
    return pkcs8FromSeed(seed);
  } finally {
    seed.fill(0);
  }
}

async function signerFromSeed(seed) {
  const info = pkcs8FromSeed(seed);
  try {
    // The public key is only to be had by exporting: import once extractable,
    // read the JWK's x, then keep only a non-extractable import.
    let once = await crypto.subtle.importKey("pkcs8", info, ED25519, true, ["sign"]);
    let jwk = await crypto.subtle.exportKey("jwk", once);
    const publicRaw = base64url(jwk.x);
    once = null;
    jwk = null;
    const privateKey = await crypto.subtle.importKey("pkcs8", info, ED25519, false, ["sign"]);
    return await makeSigner(privateKey, publicRaw);
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    throw new KeyFileError("NOT_ED25519", `key file: not a usable Ed25519 key (${error.message})`);
  } finally {
    info.fill(0);
  }
}

function base64url(text) {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/");
  return b64decode(standard + "=".repeat((4 - (standard.length % 4)) % 4));
}

// A JSON string as Python's json.dumps writes it (ensure_ascii: \uXXXX beyond ASCII).
function pythonJson(text) {
  return JSON.stringify(text).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
