// jcs.js: RFC 8785 JSON Canonicalization Scheme, the bytes every statement is
// signed over (FORMATS "Words": JCS(x); §2 payload bytes = JCS(statement);
// §5 the personal-data record inside a commitment).
//
// RFC 8785 exactly: object members sorted by the UTF-16 code units of their
// names (JavaScript's default string order), no whitespace, strings escaped
// as RFC 8785 §3.2.2.2 says (\" \\ \b \f \n \r \t, other controls as \u00xx
// lowercase, everything else as itself), numbers as ECMAScript writes them
// (§3.2.2.3, Number.prototype.toString). Values JSON has no form for are
// refused with an Error naming where they sit ($.body.amount ...), never
// dropped or turned into null as JSON.stringify would: NaN and Infinity,
// undefined, functions, symbols, BigInt, lone surrogates, cycles, and objects
// that are not plain (Date, Map, typed arrays ...).

import { utf8 } from "./bytes.js";

const MAX_DEPTH = 256; // deeper than any statement; bounds the recursion

/** The canonical JSON text of a value (a string; its UTF-8 is the signed bytes). */
export function canonicalize(value) {
  const out = [];
  write(value, "$", out, new Set(), 0);
  return out.join("");
}

/** The UTF-8 bytes of canonicalize(value). */
export function canonicalBytes(value) {
  return utf8(canonicalize(value));
}

function refuse(path, why) {
  throw new Error(`JCS: ${path}: ${why}`);
}

function write(value, path, out, open, depth) {
  if (value === null) {
    out.push("null");
    return;
  }
  switch (typeof value) {
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) refuse(path, `${value} is not a finite number`);
      out.push(numberText(value));
      return;
    case "string":
      out.push(stringText(value, path));
      return;
    case "undefined":
      return refuse(path, "undefined has no JSON form");
    case "bigint":
      return refuse(path, "a BigInt has no exact JSON number form here");
    case "function":
    case "symbol":
      return refuse(path, `a ${typeof value} has no JSON form`);
    default:
      break;
  }
  if (depth >= MAX_DEPTH) refuse(path, `nested deeper than ${MAX_DEPTH}`);
  if (open.has(value)) refuse(path, "circular reference");
  open.add(value);
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      if (!(i in value)) refuse(`${path}[${i}]`, "an array hole has no JSON form");
      write(value[i], `${path}[${i}]`, out, open, depth + 1);
    }
    out.push("]");
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      refuse(path, `a ${value?.constructor?.name ?? "non-plain"} object has no JSON form`);
    }
    if (Object.getOwnPropertySymbols(value).length) refuse(path, "symbol keys have no JSON form");
    const names = Object.keys(value).sort(); // default sort: UTF-16 code units
    out.push("{");
    names.forEach((name, i) => {
      const where = `${path}.${name}`;
      if (i > 0) out.push(",");
      out.push(stringText(name, `${path} (a member name)`), ":");
      write(value[name], where, out, open, depth + 1);
    });
    out.push("}");
  }
  open.delete(value);
}

// ECMAScript's Number::toString is the serialisation RFC 8785 §3.2.2.3 names;
// JSON.stringify applies it to finite numbers and writes -0 as 0, as JCS does.
function numberText(n) {
  return JSON.stringify(n);
}

// JSON.stringify of a well-formed string (ES2019 and later) escapes exactly
// the characters RFC 8785 escapes, in the same way: the two short forms for
// " and \, \b \f \n \r \t, other code points below U+0020 as \u00xx with
// lowercase hex; nothing else. Lone surrogates (which it would write as
// \udxxx) are refused first: RFC 8785 §3.2.2.2 requires valid Unicode.
function stringText(s, path) {
  if (!s.isWellFormed()) refuse(path, "a lone surrogate is not Unicode text");
  return JSON.stringify(s);
}
