// submit.js: signing in this browser and recording. A statement is built and
// signed here (dsse.js, with the Signer of keys.js) and only the envelope leaves;
// a batch is one JSON-lines POST, recorded all or nothing by the ledger.

import { session, api } from "./api.js";
import { signStatement, statement } from "./dsse.js";

/** The statement the officer will sign (FORMATS §2): at and nonce chosen now. */
export function draft(type, body) {
  return statement({ ledger: session.ledger, type, by: session.signer.keyId, body });
}

/** A signed submission: the envelope, with the vault records it commits to. */
export async function signed(stmt, vault = []) {
  const envelope = await signStatement(session.signer, stmt);
  return vault.length ? { envelope, vault } : envelope;
}

/** Sign one statement and record it: {index, leaf_hash} (status 201, or 200 when known). */
export async function record(stmt, vault = []) {
  return api("/v1/statements", { method: "POST", json: await signed(stmt, vault) });
}

/**
 * Sign every item ({type, body, vault?}) and record them as one batch.
 * `progress(done, total)` is called as they are signed. Returns the entries.
 */
export async function recordBatch(items, progress = () => {}) {
  const lines = [];
  for (const [i, item] of items.entries()) {
    lines.push(await signed(draft(item.type, item.body), item.vault || []));
    if (i % 25 === 24 || i === items.length - 1) {
      progress(i + 1, items.length);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the bar redraw
    }
  }
  const answer = await api("/v1/statements", { method: "POST", lines });
  return answer.entries;
}
