// A flat, reusable JSON document over the UTF-8 bytes: one pass of json/tokenizer.ts fills
// parallel integer arrays (kind, span, first child, next sibling, key span), so reading a request
// or a stream event allocates no per-value objects; strings are decoded only when read, and a
// value can be copied as its exact source text. Arrays grow once and are reused by the next
// parse (one FlatJson per plugin, or per stream for answers). Nodes are indices; -1 is "none".
import { ByteBuilder } from "../bytes/builder";
import { JsonTokenizer, Tok, JsonError, jsonErrorName } from "../json/tokenizer";
import { decodeJsonString } from "../json/string";

export namespace JK {
  export const NULL = 0;
  export const BOOL = 1;
  export const NUMBER = 2;
  export const STRING = 3;
  export const ARRAY = 4;
  export const OBJECT = 5;
}

const ESC: i32 = 8; // flag in kind: the string (value) holds escapes
const KEY_ESC: i32 = 16; // flag in kind: the member's key holds escapes
const TRUE_FLAG: i32 = 32; // flag in kind: boolean true

export class FlatJson {
  src: Uint8Array = new Uint8Array(0);
  count: i32 = 0;
  error: i32 = JsonError.NONE;
  errorOffset: i32 = -1;
  private kinds: Array<i32> = new Array<i32>();
  private starts: Array<i32> = new Array<i32>();
  private ends: Array<i32> = new Array<i32>();
  private firsts: Array<i32> = new Array<i32>();
  private nexts: Array<i32> = new Array<i32>();
  private lens: Array<i32> = new Array<i32>();
  private keyStarts: Array<i32> = new Array<i32>();
  private keyEnds: Array<i32> = new Array<i32>();
  private stack: Array<i32> = new Array<i32>();
  private lastChild: Array<i32> = new Array<i32>();
  private tmp: ByteBuilder = new ByteBuilder(64);

  get ok(): bool { return this.error == JsonError.NONE && this.count > 0; }
  /** e.g. "unexpected character at byte 12". */
  message(): string { return jsonErrorName(this.error) + " at byte " + this.errorOffset.toString(); }

  private add(kind: i32, s: i32, e: i32, ks: i32, ke: i32): i32 {
    const n = this.count++;
    if (n == this.kinds.length) {
      this.kinds.push(kind); this.starts.push(s); this.ends.push(e); this.firsts.push(-1);
      this.nexts.push(-1); this.lens.push(0); this.keyStarts.push(ks); this.keyEnds.push(ke);
    } else {
      unchecked((this.kinds[n] = kind)); unchecked((this.starts[n] = s)); unchecked((this.ends[n] = e));
      unchecked((this.firsts[n] = -1)); unchecked((this.nexts[n] = -1)); unchecked((this.lens[n] = 0));
      unchecked((this.keyStarts[n] = ks)); unchecked((this.keyEnds[n] = ke));
    }
    const d = this.stack.length;
    if (d > 0) {
      const parent = unchecked(this.stack[d - 1]);
      const last = unchecked(this.lastChild[d - 1]);
      if (last < 0) unchecked((this.firsts[parent] = n));
      else unchecked((this.nexts[last] = n));
      unchecked((this.lastChild[d - 1] = n));
      unchecked((this.lens[parent] = unchecked(this.lens[parent]) + 1));
    }
    return n;
  }

  /**
   * Parses src[s, e) (strict RFC 8259, depth-limited). With `rejectDuplicateKeys`, two keys of one
   * object that decode to the same text are an error (DUPLICATE_KEY at the second). False on error.
   */
  parse(src: Uint8Array, s: i32, e: i32, maxDepth: i32 = 64, rejectDuplicateKeys: bool = false): bool {
    this.src = src;
    this.count = 0;
    this.error = JsonError.NONE;
    this.errorOffset = -1;
    this.stack.length = 0;
    this.lastChild.length = 0;
    const t = new JsonTokenizer(src, s, e, maxDepth);
    let ks = -1, ke = -1, kesc = false;
    while (true) {
      const k = t.next();
      if (k == Tok.END) return this.count > 0;
      if (k == Tok.ERROR) { this.error = t.error; this.errorOffset = t.errorOffset; return false; }
      if (k == Tok.KEY) { ks = t.tokStart; ke = t.tokEnd; kesc = t.hasEscape; continue; }
      if (k == Tok.OBJ_END || k == Tok.ARR_END) {
        const d = this.stack.length - 1;
        const n = unchecked(this.stack[d]);
        unchecked((this.ends[n] = t.tokEnd));
        if (rejectDuplicateKeys && k == Tok.OBJ_END) {
          const dup = this.duplicateIn(n);
          if (dup >= 0) { this.error = JsonError.DUPLICATE_KEY; this.errorOffset = dup; return false; }
        }
        this.stack.pop();
        this.lastChild.pop();
        continue;
      }
      let kind = JK.NULL;
      if (k == Tok.OBJ_START) kind = JK.OBJECT;
      else if (k == Tok.ARR_START) kind = JK.ARRAY;
      else if (k == Tok.STRING) kind = JK.STRING | (t.hasEscape ? ESC : 0);
      else if (k == Tok.NUMBER) kind = JK.NUMBER;
      else if (k == Tok.TRUE) kind = JK.BOOL | TRUE_FLAG;
      else if (k == Tok.FALSE) kind = JK.BOOL;
      if (kesc) kind |= KEY_ESC;
      const n = this.add(kind, t.tokStart, t.tokEnd, ks, ke);
      ks = -1; ke = -1; kesc = false;
      if (k == Tok.OBJ_START || k == Tok.ARR_START) { this.stack.push(n); this.lastChild.push(-1); }
    }
  }

  /** Offset of a repeated key among `obj`'s members, or -1. Pairwise for small objects. */
  private duplicateIn(obj: i32): i32 {
    const len = unchecked(this.lens[obj]);
    if (len < 2) return -1;
    if (len <= 32) {
      for (let a = unchecked(this.firsts[obj]); a >= 0; a = unchecked(this.nexts[a])) {
        for (let b = unchecked(this.nexts[a]); b >= 0; b = unchecked(this.nexts[b])) {
          if (this.sameKey(a, b)) return unchecked(this.keyStarts[b]) - 1;
        }
      }
      return -1;
    }
    const seen = new Set<string>();
    for (let a = unchecked(this.firsts[obj]); a >= 0; a = unchecked(this.nexts[a])) {
      const k = this.key(a);
      if (seen.has(k)) return unchecked(this.keyStarts[a]) - 1;
      seen.add(k);
    }
    return -1;
  }

  private sameKey(a: i32, b: i32): bool {
    const escaped = ((unchecked(this.kinds[a]) | unchecked(this.kinds[b])) & KEY_ESC) != 0;
    if (escaped) return this.key(a) == this.key(b);
    const as = unchecked(this.keyStarts[a]), al = unchecked(this.keyEnds[a]) - as;
    const bs = unchecked(this.keyStarts[b]), bl = unchecked(this.keyEnds[b]) - bs;
    return al == bl && memory.compare(this.src.dataStart + <usize>as, this.src.dataStart + <usize>bs, <usize>al) == 0;
  }

  kind(n: i32): i32 { return n < 0 || n >= this.count ? -1 : unchecked(this.kinds[n]) & 7; }
  isObject(n: i32): bool { return this.kind(n) == JK.OBJECT; }
  isArray(n: i32): bool { return this.kind(n) == JK.ARRAY; }
  isString(n: i32): bool { return this.kind(n) == JK.STRING; }
  /** Members or elements of a container. */
  length(n: i32): i32 { return n < 0 || n >= this.count ? 0 : unchecked(this.lens[n]); }
  first(n: i32): i32 { return n < 0 || n >= this.count ? -1 : unchecked(this.firsts[n]); }
  next(n: i32): i32 { return n < 0 || n >= this.count ? -1 : unchecked(this.nexts[n]); }
  /** Byte span of the value (strings: between the quotes; containers: brackets included). */
  start(n: i32): i32 { return unchecked(this.starts[n]); }
  end(n: i32): i32 { return unchecked(this.ends[n]); }

  /** The member's key (decoded). */
  key(n: i32): string {
    const s = unchecked(this.keyStarts[n]), e = unchecked(this.keyEnds[n]);
    if (s < 0) return "";
    return this.decode(s, e, (unchecked(this.kinds[n]) & KEY_ESC) != 0);
  }

  private keyIs(n: i32, key: string): bool {
    const s = unchecked(this.keyStarts[n]), e = unchecked(this.keyEnds[n]);
    if ((unchecked(this.kinds[n]) & KEY_ESC) != 0) return this.key(n) == key;
    const len = e - s;
    if (len != key.length) return false; // keys looked up are ASCII
    const src = this.src;
    for (let i = 0; i < len; i++) if (<i32>unchecked(src[s + i]) != key.charCodeAt(i)) return false;
    return true;
  }

  /** The value of `key` in object `n` (the last one if repeated, as JSON.parse), or -1. */
  get(n: i32, key: string): i32 {
    if (this.kind(n) != JK.OBJECT) return -1;
    let found = -1;
    for (let c = unchecked(this.firsts[n]); c >= 0; c = unchecked(this.nexts[c])) if (this.keyIs(c, key)) found = c;
    return found;
  }

  /** Element i of array `n`, or -1. */
  at(n: i32, i: i32): i32 {
    if (this.kind(n) != JK.ARRAY) return -1;
    let c = unchecked(this.firsts[n]);
    for (let k = 0; c >= 0 && k < i; k++) c = unchecked(this.nexts[c]);
    return c;
  }

  private decode(s: i32, e: i32, escaped: bool): string {
    if (!escaped) return String.UTF8.decodeUnsafe(this.src.dataStart + <usize>s, <usize>(e - s));
    const b = this.tmp;
    b.reset();
    decodeJsonString(this.src, s, e, b); // validated by the tokenizer
    return b.toString();
  }

  /** A string value (decoded), or `def` for any other kind. */
  str(n: i32, def: string = ""): string {
    if (this.kind(n) != JK.STRING) return def;
    return this.decode(unchecked(this.starts[n]), unchecked(this.ends[n]), (unchecked(this.kinds[n]) & ESC) != 0);
  }

  /** A number value, or `def`. */
  num(n: i32, def: f64 = NaN): f64 {
    if (this.kind(n) != JK.NUMBER) return def;
    return parseFloat(String.UTF8.decodeUnsafe(this.src.dataStart + <usize>unchecked(this.starts[n]), <usize>(unchecked(this.ends[n]) - unchecked(this.starts[n]))));
  }

  bool(n: i32, def: bool = false): bool {
    if (this.kind(n) != JK.BOOL) return def;
    return (unchecked(this.kinds[n]) & TRUE_FLAG) != 0;
  }

  /** The value's exact source text (strings with their quotes): valid JSON on its own. */
  text(n: i32): string {
    if (n < 0 || n >= this.count) return "null";
    let s = unchecked(this.starts[n]), e = unchecked(this.ends[n]);
    if (this.kind(n) == JK.STRING) { s--; e++; }
    return String.UTF8.decodeUnsafe(this.src.dataStart + <usize>s, <usize>(e - s));
  }

  /** Appends the value's exact source text to `out`. */
  appendText(n: i32, out: ByteBuilder): void {
    let s = unchecked(this.starts[n]), e = unchecked(this.ends[n]);
    if (this.kind(n) == JK.STRING) { s--; e++; }
    out.appendSlice(this.src, s, e);
  }

  // Typed member getters (the readers' vocabulary).
  getStr(n: i32, key: string, def: string = ""): string { const c = this.get(n, key); return c >= 0 && this.kind(c) == JK.STRING ? this.str(c) : def; }
  getNum(n: i32, key: string, def: f64 = NaN): f64 { return this.num(this.get(n, key), def); }
  getBool(n: i32, key: string, def: bool = false): bool { return this.bool(this.get(n, key), def); }
  /** A non-negative integer member (below 2^53), or `def`. */
  getInt(n: i32, key: string, def: i64 = -1): i64 {
    const v = this.getNum(n, key, NaN);
    if (isNaN(v) || v < 0 || v > 9007199254740991.0) return def;
    return <i64>Math.floor(v);
  }
  getObj(n: i32, key: string): i32 { const c = this.get(n, key); return this.kind(c) == JK.OBJECT ? c : -1; }
  getArr(n: i32, key: string): i32 { const c = this.get(n, key); return this.kind(c) == JK.ARRAY ? c : -1; }
}

const SCRATCH = new FlatJson();

/** Whether `text` is one JSON object (tool-call arguments a model produced may not be). */
export function isJsonObjectText(text: string): bool {
  if (text.length == 0) return false;
  const b = Uint8Array.wrap(String.UTF8.encode(text));
  return SCRATCH.parse(b, 0, b.length, 64, false) && SCRATCH.kind(0) == JK.OBJECT;
}
