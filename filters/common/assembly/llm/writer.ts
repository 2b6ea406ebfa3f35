// A small streaming JSON writer over a ByteBuilder: commas and quoting are its job, so the
// dialect writers (openai.ts, anthropic.ts, gemini.ts, bedrock.ts) only say what goes where.
// Output is always valid JSON when calls are balanced (strings are escaped by json/escape.ts,
// non-finite numbers become null).
import { ByteBuilder } from "../bytes/builder";
import { appendJsonEscaped } from "../json/escape";
import { Part, PartKind } from "./chat";
import { JsonKind, JsonValue } from "../json/value";
import { FlatJson } from "./flat";

export class JsonWriter {
  /** One byte per open container: 1 once it holds a member (the next one needs a comma). Raw
   *  bytes, not an Array<bool>: this is consulted before every value written. */
  private filled: ArrayBuffer = new ArrayBuffer(64);
  private depth: i32 = 0;
  private afterKey: bool = false;

  constructor(public out: ByteBuilder) {}

  reset(out: ByteBuilder): JsonWriter { this.out = out; this.depth = 0; this.afterKey = false; return this; }

  // @ts-ignore: decorator
  @inline private sep(): void {
    if (this.afterKey) { this.afterKey = false; return; }
    const n = this.depth;
    if (n == 0) return;
    const a = changetype<usize>(this.filled) + <usize>(n - 1);
    if (load<u8>(a) != 0) this.out.appendByte(0x2c);
    else store<u8>(a, 1);
  }

  // @ts-ignore: decorator
  @inline private open(filled: bool): void {
    const n = this.depth;
    if (n >= this.filled.byteLength) {
      const next = new ArrayBuffer(n * 2);
      memory.copy(changetype<usize>(next), changetype<usize>(this.filled), <usize>n);
      this.filled = next;
    }
    store<u8>(changetype<usize>(this.filled) + <usize>n, filled ? 1 : 0);
    this.depth = n + 1;
  }

  // @ts-ignore: decorator
  @inline private close(): void { if (this.depth > 0) this.depth--; }

  /** Continues inside a container already written as raw bytes (`filled`: it holds a member). */
  resumeInside(filled: bool): JsonWriter { this.open(filled); return this; }

  beginObject(): JsonWriter { this.sep(); this.out.appendByte(0x7b); this.open(false); return this; }
  endObject(): JsonWriter { this.close(); this.out.appendByte(0x7d); return this; }
  beginArray(): JsonWriter { this.sep(); this.out.appendByte(0x5b); this.open(false); return this; }
  endArray(): JsonWriter { this.close(); this.out.appendByte(0x5d); return this; }

  key(k: string): JsonWriter {
    this.sep();
    appendQuoted(this.out, k, true);
    this.afterKey = true;
    return this;
  }

  str(s: string): JsonWriter { this.sep(); appendStr(this.out, s); return this; }

  /** A text part as a JSON string: its source bytes copied as they are when it has them. */
  part(p: Part): JsonWriter {
    if (!p.raw) return this.str(p.text);
    this.sep();
    this.out.appendByte(0x22).appendSlice(p.src!, p.srcStart, p.srcEnd).appendByte(0x22);
    return this;
  }

  /** The TEXT parts of `parts` joined into one JSON string (contents of JSON strings concatenate). */
  joinedText(parts: Array<Part>): JsonWriter {
    this.sep();
    this.out.appendByte(0x22);
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p.kind != PartKind.TEXT) continue;
      if (p.raw) this.out.appendSlice(p.src!, p.srcStart, p.srcEnd);
      else appendEscapedString(this.out, p.text);
    }
    this.out.appendByte(0x22);
    return this;
  }
  /** String node `n` of `d` as str(d.str(n)) writes it ("" for another kind): the source bytes
   *  copied when it has no escapes (FlatJson.plainString), decoded and written otherwise. */
  strFrom(d: FlatJson, n: i32): JsonWriter {
    if (!d.plainString(n)) return this.str(d.str(n));
    this.sep();
    this.out.appendByte(0x22).appendSlice(d.src, d.start(n), d.end(n)).appendByte(0x22);
    return this;
  }
  int(v: i64): JsonWriter { this.sep(); this.out.appendI64(v); return this; }
  num(v: f64): JsonWriter { this.sep(); this.out.appendF64(v); return this; }
  bool(v: bool): JsonWriter { this.sep(); this.out.appendString(v ? "true" : "false"); return this; }
  null_(): JsonWriter { this.sep(); this.out.appendString("null"); return this; }
  /** Raw JSON text (must be one valid value). */
  raw(json: string): JsonWriter { this.sep(); this.out.appendString(json); return this; }
  /** Raw JSON bytes src[s, e) (one valid value, e.g. a FlatJson value's source text). */
  rawBytes(src: Uint8Array, s: i32, e: i32): JsonWriter { this.sep(); this.out.appendSlice(src, s, e); return this; }

  // Shorthands for a member.
  kstr(k: string, s: string): JsonWriter { return this.key(k).str(s); }
  kint(k: string, v: i64): JsonWriter { return this.key(k).int(v); }
  kbool(k: string, v: bool): JsonWriter { return this.key(k).bool(v); }
  kvalue(k: string, v: JsonValue): JsonWriter { return this.key(k).value(v); }

  /** A parsed value written back (numbers keep their exact source text). Depth is bounded by the
   *  parser's limit (64), so the recursion is bounded too. */
  value(v: JsonValue): JsonWriter {
    switch (v.kind) {
      case JsonKind.NULL: return this.null_();
      case JsonKind.BOOL: return this.bool(v.bool);
      case JsonKind.NUMBER: { this.sep(); if (v.raw.length) this.out.appendString(v.raw); else this.out.appendF64(v.num); return this; }
      case JsonKind.STRING: return this.str(v.str);
      case JsonKind.ARRAY: {
        this.beginArray();
        for (let i = 0; i < v.items.length; i++) this.value(unchecked(v.items[i]));
        return this.endArray();
      }
    }
    this.beginObject();
    for (let i = 0; i < v.keys.length; i++) this.key(unchecked(v.keys[i])).value(unchecked(v.items[i]));
    return this.endObject();
  }
}

/** A quoted JSON string: UTF-8 encoded once, then escaped in runs (json/escape.ts). */
function appendStr(out: ByteBuilder, s: string): void { appendQuoted(out, s, false); }

/** `"s"` (and a `:` after it for a key). Plain ASCII, the common case, is written in one
 *  reservation with the quotes; anything else goes through appendEscapedString. */
function appendQuoted(out: ByteBuilder, s: string, colon: bool): void {
  const n = s.length;
  const src = changetype<usize>(s);
  const p = out.tail(n + 3);
  store<u8>(p, 0x22);
  let i = 0;
  while (i < n) {
    const c = load<u16>(src + (<usize>i << 1));
    if (c < 0x20 || c >= 0x7f || c == 0x22 || c == 0x5c) break;
    store<u8>(p + 1 + <usize>i, <u8>c);
    i++;
  }
  if (i == n) {
    store<u8>(p + 1 + <usize>n, 0x22);
    if (colon) store<u8>(p + 2 + <usize>n, 0x3a);
    out.commit(n + (colon ? 3 : 2));
    return;
  }
  out.commit(1);
  appendEscapedString(out, s);
  out.appendByte(0x22);
  if (colon) out.appendByte(0x3a);
}

function appendEscapedString(out: ByteBuilder, s: string): void {
  const n = s.length;
  if (n == 0) return;
  // Plain ASCII (keys, ids, names, enum values, most text) is stored unit by unit while it is
  // checked, in one pass and without a call; the first unit that needs escaping or encoding
  // sends the rest through UTF-8 and the escaper.
  const src = changetype<usize>(s);
  const p = out.tail(n);
  let i = 0;
  while (i < n) {
    const c = load<u16>(src + (<usize>i << 1));
    if (c < 0x20 || c >= 0x7f || c == 0x22 || c == 0x5c) break;
    store<u8>(p + <usize>i, <u8>c);
    i++;
  }
  out.commit(i);
  if (i == n) return;
  const b = Uint8Array.wrap(String.UTF8.encode(i == 0 ? s : s.substring(i)));
  appendJsonEscaped(out, b, 0, b.length);
}

/** A value as compact JSON text. */
export function jsonText(v: JsonValue): string {
  const b = new ByteBuilder(64);
  new JsonWriter(b).value(v);
  return b.toString();
}
