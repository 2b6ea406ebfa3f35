// Canonical JSON text of a parsed value, so that equal values give equal bytes (cache keys,
// signatures over JSON). Follows the ideas of RFC 8785 (JCS): no whitespace, object members
// sorted by key (UTF-16 code units, as JCS), numbers in one form. Differences, on purpose:
// duplicate keys keep only the last member (what JSON.parse and the SDKs do with them), and
// integers beyond 2^53 keep their exact digits (two different large seeds never collapse into
// one f64). Output is valid JSON; recursion depth is bounded by the parser's depth limit.
import { ByteBuilder } from "../bytes/builder";
import { appendJsonString } from "./escape";
import { JsonKind, JsonValue } from "./value";

const TWO_53: f64 = 9007199254740992.0;

/** True when `raw` is an integer literal (no fraction, no exponent). */
function isIntegerLiteral(raw: string): bool {
  if (raw.length == 0) return false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return false;
  }
  return true;
}

/** One number form: the shortest round-trip text of its f64, or its exact digits when it is an
 *  integer too large for an f64 to hold exactly (leading zeros and `-0` normalised). */
export function appendCanonicalNumber(out: ByteBuilder, v: JsonValue): void {
  if (Math.abs(v.num) >= TWO_53 && isIntegerLiteral(v.raw)) {
    let s = v.raw;
    let neg = false;
    if (s.startsWith("-")) { neg = true; s = s.substring(1); }
    let k = 0;
    while (k < s.length - 1 && s.charCodeAt(k) == 0x30) k++;
    if (neg) out.appendByte(0x2d);
    out.appendString(s.substring(k));
    return;
  }
  if (v.num == 0) { out.appendByte(0x30); return; } // -0 and 0 are one value
  out.appendF64(v.num);
}

/** Member indices of an object in canonical order, the last of duplicate keys only. */
function memberOrder(v: JsonValue): Array<i32> {
  const n = v.keys.length;
  const idx = new Array<i32>(n);
  for (let i = 0; i < n; i++) unchecked((idx[i] = i));
  // Insertion sort: stable, and objects in requests are small.
  for (let i = 1; i < n; i++) {
    const cur = unchecked(idx[i]);
    const key = unchecked(v.keys[cur]);
    let j = i - 1;
    while (j >= 0 && unchecked(v.keys[unchecked(idx[j])]) > key) { unchecked((idx[j + 1] = idx[j])); j--; }
    unchecked((idx[j + 1] = cur));
  }
  const out = new Array<i32>();
  for (let i = 0; i < n; i++) {
    const k = unchecked(idx[i]);
    if (i + 1 < n && unchecked(v.keys[unchecked(idx[i + 1])]) == unchecked(v.keys[k])) continue;
    out.push(k);
  }
  return out;
}

/** Appends the canonical text of `v`. */
export function appendCanonicalJson(out: ByteBuilder, v: JsonValue): void {
  switch (v.kind) {
    case JsonKind.NULL: out.appendString("null"); return;
    case JsonKind.BOOL: out.appendString(v.bool ? "true" : "false"); return;
    case JsonKind.NUMBER: appendCanonicalNumber(out, v); return;
    case JsonKind.STRING: appendJsonString(out, v.str); return;
    case JsonKind.ARRAY: {
      out.appendByte(0x5b);
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) out.appendByte(0x2c);
        appendCanonicalJson(out, unchecked(v.items[i]));
      }
      out.appendByte(0x5d);
      return;
    }
  }
  out.appendByte(0x7b);
  const order = memberOrder(v);
  for (let i = 0; i < order.length; i++) {
    if (i > 0) out.appendByte(0x2c);
    const k = unchecked(order[i]);
    appendJsonString(out, unchecked(v.keys[k]));
    out.appendByte(0x3a);
    appendCanonicalJson(out, unchecked(v.items[k]));
  }
  out.appendByte(0x7d);
}

/** Appends the canonical text of the members of object `v` whose keys are not in `skip`, as one
 *  object (`{}` when none remain or `v` is not an object). */
export function appendCanonicalMembersExcept(out: ByteBuilder, v: JsonValue, skip: StaticArray<string>): void {
  out.appendByte(0x7b);
  if (v.kind == JsonKind.OBJECT) {
    const order = memberOrder(v);
    let first = true;
    for (let i = 0; i < order.length; i++) {
      const k = unchecked(order[i]);
      const key = unchecked(v.keys[k]);
      if (skip.includes(key)) continue;
      if (!first) out.appendByte(0x2c);
      first = false;
      appendJsonString(out, key);
      out.appendByte(0x3a);
      appendCanonicalJson(out, unchecked(v.items[k]));
    }
  }
  out.appendByte(0x7d);
}
