// Canonical JSON text (the rules of canonical.ts) of a value of a FlatJson document
// (llm/flat.ts), the form the dialect readers parse requests into: keys sorted, no whitespace,
// numbers in one form, the last of duplicate keys. Recursion depth is bounded by the parser's.
import { ByteBuilder } from "../bytes/builder";
import { appendJsonString } from "./escape";
import { JsonValue } from "./value";
import { appendCanonicalNumber } from "./canonical";
import { FlatJson, JK } from "../llm/flat";

/** Members of object `n` in canonical order (by key, UTF-16 code units), the last of duplicates. */
function members(d: FlatJson, n: i32): Array<i32> {
  const idx = new Array<i32>();
  const keys = new Array<string>();
  for (let c = d.first(n); c >= 0; c = d.next(c)) { idx.push(c); keys.push(d.key(c)); }
  const m = idx.length;
  const order = new Array<i32>(m);
  for (let i = 0; i < m; i++) unchecked((order[i] = i));
  // Insertion sort: stable, and objects in requests are small.
  for (let i = 1; i < m; i++) {
    const cur = unchecked(order[i]);
    const key = unchecked(keys[cur]);
    let j = i - 1;
    while (j >= 0 && unchecked(keys[unchecked(order[j])]) > key) { unchecked((order[j + 1] = order[j])); j--; }
    unchecked((order[j + 1] = cur));
  }
  const out = new Array<i32>();
  for (let i = 0; i < m; i++) {
    const k = unchecked(order[i]);
    if (i + 1 < m && unchecked(keys[unchecked(order[i + 1])]) == unchecked(keys[k])) continue;
    out.push(unchecked(idx[k]));
  }
  return out;
}

/** Appends the canonical text of value `n` of `d`. */
export function appendCanonicalFlat(out: ByteBuilder, d: FlatJson, n: i32): void {
  const k = d.kind(n);
  if (k == JK.NULL || k < 0) { out.appendString("null"); return; }
  if (k == JK.BOOL) { out.appendString(d.bool(n) ? "true" : "false"); return; }
  if (k == JK.NUMBER) { appendCanonicalNumber(out, JsonValue.ofNumber(d.num(n), d.text(n))); return; }
  if (k == JK.STRING) { appendJsonString(out, d.str(n)); return; }
  if (k == JK.ARRAY) {
    out.appendByte(0x5b);
    let first = true;
    for (let c = d.first(n); c >= 0; c = d.next(c)) {
      if (!first) out.appendByte(0x2c);
      first = false;
      appendCanonicalFlat(out, d, c);
    }
    out.appendByte(0x5d);
    return;
  }
  appendCanonicalFlatExcept(out, d, n, []);
}

/** Appends the canonical text of the members of object `n` whose keys are not in `skip`, as one
 *  object (`{}` when none remain or `n` is not an object). */
export function appendCanonicalFlatExcept(out: ByteBuilder, d: FlatJson, n: i32, skip: StaticArray<string>): void {
  out.appendByte(0x7b);
  if (d.kind(n) == JK.OBJECT) {
    const order = members(d, n);
    let first = true;
    for (let i = 0; i < order.length; i++) {
      const c = unchecked(order[i]);
      const key = d.key(c);
      if (skip.includes(key)) continue;
      if (!first) out.appendByte(0x2c);
      first = false;
      appendJsonString(out, key);
      out.appendByte(0x3a);
      appendCanonicalFlat(out, d, c);
    }
  }
  out.appendByte(0x7d);
}

/** The canonical text of a JSON text (e.g. a tool's schema kept as text); "null" when empty or
 *  invalid. */
export function appendCanonicalText(out: ByteBuilder, text: string): void {
  if (text.length == 0) { out.appendString("null"); return; }
  const b = Uint8Array.wrap(String.UTF8.encode(text));
  const d = new FlatJson();
  if (!d.parse(b, 0, b.length, 64, false)) { out.appendString("null"); return; }
  appendCanonicalFlat(out, d, 0);
}
