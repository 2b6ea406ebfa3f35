// A flat, reusable JSON document over the UTF-8 bytes: one pass of json/tokenizer.ts fills
// parallel integer arrays (kind, span, first child, next sibling, key span), so reading a request
// or a stream event allocates no per-value objects; strings are decoded only when read, and a
// value can be copied as its exact source text. Arrays grow once and are reused by the next
// parse (one FlatJson per plugin, or per stream for answers). Nodes are indices; -1 is "none".
import { ByteBuilder } from "../bytes/builder";
import { JsonTokenizer, Tok, JsonError, jsonErrorName } from "../json/tokenizer";
import { decodeJsonString } from "../json/string";
import { parseJsonNumber } from "../json/number";
import { decimal } from "../bytes/decimal";

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

// A node is eight i32 fields in one raw buffer (kind, start, end, first child, next sibling,
// member count, key start, key end): the accessors below are loads at an offset, not calls into
// Array methods (each of which carries a shadow-stack frame in AssemblyScript).
const F_KIND: usize = 0;
const F_START: usize = 4;
const F_END: usize = 8;
const F_FIRST: usize = 12;
const F_NEXT: usize = 16;
const F_LEN: usize = 20;
const F_KEY_START: usize = 24;
const F_KEY_END: usize = 28;
const NODE_BYTES: i32 = 32;

export class FlatJson {
  src: Uint8Array = new Uint8Array(0);
  count: i32 = 0;
  error: i32 = JsonError.NONE;
  errorOffset: i32 = -1;
  /** Node storage (capacity `cap` nodes) and its address. */
  private nodes: ArrayBuffer = new ArrayBuffer(64 * NODE_BYTES);
  private np: usize = 0;
  private cap: i32 = 64;
  /** Open containers while parsing: (node, its last child so far) per level. */
  private open: ArrayBuffer = new ArrayBuffer(66 * 8);
  private depth: i32 = 0;
  private tok: JsonTokenizer = new JsonTokenizer(new Uint8Array(0));
  private tmp: ByteBuilder = new ByteBuilder(64);

  constructor() { this.np = changetype<usize>(this.nodes); }

  get ok(): bool { return this.error == JsonError.NONE && this.count > 0; }
  /** e.g. "unexpected character at byte 12". */
  message(): string { return jsonErrorName(this.error) + " at byte " + decimal(this.errorOffset); }

  @inline private at_(n: i32, f: usize): i32 { return load<i32>(this.np + (<usize>n << 5) + f); }
  @inline private set_(n: i32, f: usize, v: i32): void { store<i32>(this.np + (<usize>n << 5) + f, v); }

  private grow(): void {
    const next = new ArrayBuffer(this.cap * 2 * NODE_BYTES);
    memory.copy(changetype<usize>(next), this.np, <usize>(this.cap * NODE_BYTES));
    this.nodes = next;
    this.np = changetype<usize>(next);
    this.cap *= 2;
  }

  private add(kind: i32, s: i32, e: i32, ks: i32, ke: i32): i32 {
    const n = this.count;
    if (n == this.cap) this.grow();
    this.count = n + 1;
    const a = this.np + (<usize>n << 5);
    store<i32>(a + F_KIND, kind); store<i32>(a + F_START, s); store<i32>(a + F_END, e);
    store<i32>(a + F_FIRST, -1); store<i32>(a + F_NEXT, -1); store<i32>(a + F_LEN, 0);
    store<i32>(a + F_KEY_START, ks); store<i32>(a + F_KEY_END, ke);
    const d = this.depth;
    if (d > 0) {
      const o = changetype<usize>(this.open) + (<usize>(d - 1) << 3);
      const parent = load<i32>(o);
      const last = load<i32>(o, 4);
      if (last < 0) this.set_(parent, F_FIRST, n);
      else this.set_(last, F_NEXT, n);
      store<i32>(o, n, 4);
      this.set_(parent, F_LEN, this.at_(parent, F_LEN) + 1);
    }
    return n;
  }

  private pushOpen(n: i32): void {
    const d = this.depth;
    if (<i32>(<u32>(d + 1) << 3) > this.open.byteLength) {
      const next = new ArrayBuffer(this.open.byteLength * 2);
      memory.copy(changetype<usize>(next), changetype<usize>(this.open), <usize>this.open.byteLength);
      this.open = next;
    }
    const o = changetype<usize>(this.open) + (<usize>d << 3);
    store<i32>(o, n);
    store<i32>(o, -1, 4);
    this.depth = d + 1;
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
    this.depth = 0;
    const t = this.tok.reset(src, s, e, maxDepth);
    let ks = -1, ke = -1, kesc = false;
    while (true) {
      const k = t.next();
      if (k == Tok.END) { return this.count > 0; }
      if (k == Tok.ERROR) { this.error = t.error; this.errorOffset = t.errorOffset; return false; }
      if (k == Tok.KEY) { ks = t.tokStart; ke = t.tokEnd; kesc = t.hasEscape; continue; }
      if (k == Tok.OBJ_END || k == Tok.ARR_END) {
        const d = this.depth - 1;
        const n = load<i32>(changetype<usize>(this.open) + (<usize>d << 3));
        this.set_(n, F_END, t.tokEnd);
        if (rejectDuplicateKeys && k == Tok.OBJ_END) {
          const dup = this.duplicateIn(n);
          if (dup >= 0) { this.error = JsonError.DUPLICATE_KEY; this.errorOffset = dup; return false; }
        }
        this.depth = d;
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
      if (k == Tok.OBJ_START || k == Tok.ARR_START) this.pushOpen(n);
    }
  }

  /** Offset of a repeated key among `obj`'s members, or -1. Pairwise for small objects. */
  private duplicateIn(obj: i32): i32 {
    const len = this.at_(obj, F_LEN);
    if (len < 2) return -1;
    if (len <= 32) {
      for (let a = this.at_(obj, F_FIRST); a >= 0; a = this.at_(a, F_NEXT)) {
        for (let b = this.at_(a, F_NEXT); b >= 0; b = this.at_(b, F_NEXT)) {
          if (this.sameKey(a, b)) return this.at_(b, F_KEY_START) - 1;
        }
      }
      return -1;
    }
    const seen = new Set<string>();
    for (let a = this.at_(obj, F_FIRST); a >= 0; a = this.at_(a, F_NEXT)) {
      const k = this.key(a);
      if (seen.has(k)) return this.at_(a, F_KEY_START) - 1;
      seen.add(k);
    }
    return -1;
  }

  private sameKey(a: i32, b: i32): bool {
    const escaped = ((this.at_(a, F_KIND) | this.at_(b, F_KIND)) & KEY_ESC) != 0;
    if (escaped) return this.key(a) == this.key(b);
    const as = this.at_(a, F_KEY_START), al = this.at_(a, F_KEY_END) - as;
    const bs = this.at_(b, F_KEY_START), bl = this.at_(b, F_KEY_END) - bs;
    return al == bl && memory.compare(this.src.dataStart + <usize>as, this.src.dataStart + <usize>bs, <usize>al) == 0;
  }

  kind(n: i32): i32 { return n < 0 || n >= this.count ? -1 : this.at_(n, F_KIND) & 7; }
  isObject(n: i32): bool { return this.kind(n) == JK.OBJECT; }
  isArray(n: i32): bool { return this.kind(n) == JK.ARRAY; }
  isString(n: i32): bool { return this.kind(n) == JK.STRING; }
  /** Members or elements of a container. */
  length(n: i32): i32 { return n < 0 || n >= this.count ? 0 : this.at_(n, F_LEN); }
  first(n: i32): i32 { return n < 0 || n >= this.count ? -1 : this.at_(n, F_FIRST); }
  next(n: i32): i32 { return n < 0 || n >= this.count ? -1 : this.at_(n, F_NEXT); }
  /** Byte span of the value (strings: between the quotes; containers: brackets included). */
  start(n: i32): i32 { return n < 0 || n >= this.count ? 0 : this.at_(n, F_START); }
  end(n: i32): i32 { return n < 0 || n >= this.count ? 0 : this.at_(n, F_END); }

  /** The member's key (decoded). */
  key(n: i32): string {
    const s = this.at_(n, F_KEY_START), e = this.at_(n, F_KEY_END);
    if (s < 0) return "";
    return this.decode(s, e, (this.at_(n, F_KIND) & KEY_ESC) != 0);
  }

  private keyIs(n: i32, key: string): bool {
    const s = this.at_(n, F_KEY_START), e = this.at_(n, F_KEY_END);
    if ((this.at_(n, F_KIND) & KEY_ESC) != 0) return this.key(n) == key;
    const len = e - s;
    if (len != key.length) return false; // keys looked up are ASCII
    const p = this.src.dataStart + <usize>s, k = changetype<usize>(key);
    for (let i = 0; i < len; i++) if (<i32>load<u8>(p + <usize>i) != <i32>load<u16>(k + (<usize>i << 1))) return false;
    return true;
  }

  /** The value of `key` in object `n` (the last one if repeated, as JSON.parse), or -1. */
  get(n: i32, key: string): i32 {
    if (this.kind(n) != JK.OBJECT) return -1;
    let found = -1;
    for (let c = this.at_(n, F_FIRST); c >= 0; c = this.at_(c, F_NEXT)) if (this.keyIs(c, key)) found = c;
    return found;
  }

  /** Element i of array `n`, or -1. */
  at(n: i32, i: i32): i32 {
    if (this.kind(n) != JK.ARRAY) return -1;
    let c = this.at_(n, F_FIRST);
    for (let k = 0; c >= 0 && k < i; k++) c = this.at_(c, F_NEXT);
    return c;
  }

  private decode(s: i32, e: i32, escaped: bool): string {
    if (!escaped) {
      const p = this.src.dataStart + <usize>s, n = e - s;
      if (n <= 11) { const k = common(p, n); if (k !== null) return k; }
      return String.UTF8.decodeUnsafe(p, <usize>n);
    }
    const b = this.tmp;
    b.reset();
    decodeJsonString(this.src, s, e, b); // validated by the tokenizer
    return b.toString();
  }

  /** Whether `n` is a string without escapes: its source bytes (valid UTF-8, checked by the
   *  tokenizer) are its text, and are what JsonWriter writes for that text. */
  plainString(n: i32): bool { return this.kind(n) == JK.STRING && (this.at_(n, F_KIND) & ESC) == 0; }

  /** Whether `n` is a string whose text is `ascii` (an ASCII constant), without decoding it. */
  strIs(n: i32, ascii: string): bool {
    if (this.kind(n) != JK.STRING) return false;
    if ((this.at_(n, F_KIND) & ESC) != 0) return this.str(n) == ascii;
    const s = this.at_(n, F_START), len = this.at_(n, F_END) - s;
    if (len != ascii.length) return false;
    const p = this.src.dataStart + <usize>s, k = changetype<usize>(ascii);
    for (let i = 0; i < len; i++) if (<i32>load<u8>(p + <usize>i) != <i32>load<u16>(k + (<usize>i << 1))) return false;
    return true;
  }

  /** UTF-8 bytes of a string value's text (0 for any other kind), decoding only when escaped. */
  strByteLength(n: i32): i32 {
    if (this.kind(n) != JK.STRING) return 0;
    if ((this.at_(n, F_KIND) & ESC) == 0) return this.at_(n, F_END) - this.at_(n, F_START);
    return String.UTF8.byteLength(this.str(n));
  }

  /** A string value (decoded), or `def` for any other kind. */
  str(n: i32, def: string = ""): string {
    if (this.kind(n) != JK.STRING) return def;
    return this.decode(this.at_(n, F_START), this.at_(n, F_END), (this.at_(n, F_KIND) & ESC) != 0);
  }

  /** A number value, or `def`. */
  num(n: i32, def: f64 = NaN): f64 {
    if (this.kind(n) != JK.NUMBER) return def;
    return parseJsonNumber(this.src.dataStart, this.at_(n, F_START), this.at_(n, F_END));
  }

  bool(n: i32, def: bool = false): bool {
    if (this.kind(n) != JK.BOOL) return def;
    return (this.at_(n, F_KIND) & TRUE_FLAG) != 0;
  }

  /** The value's exact source text (strings with their quotes): valid JSON on its own. */
  text(n: i32): string {
    if (n < 0 || n >= this.count) return "null";
    let s = this.at_(n, F_START), e = this.at_(n, F_END);
    if (this.kind(n) == JK.STRING) { s--; e++; }
    return String.UTF8.decodeUnsafe(this.src.dataStart + <usize>s, <usize>(e - s));
  }

  /** Appends the value's exact source text to `out`. */
  appendText(n: i32, out: ByteBuilder): void {
    if (n < 0 || n >= this.count) return;
    let s = this.at_(n, F_START), e = this.at_(n, F_END);
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

/** Values every message repeats (roles, part and tool types): returned as these constants instead
 *  of a new string per read. Strings are immutable, so sharing them changes nothing else. */
const COMMON: StaticArray<string> = [
  "user", "assistant", "system", "developer", "tool", "text", "function", "image_url", "tool_use",
  "tool_result", "image", "object", "string", "auto", "none", "required", "stop", "end_turn", "model",
];

function common(p: usize, n: i32): string | null {
  for (let i = 0; i < COMMON.length; i++) {
    const k = unchecked(COMMON[i]);
    if (k.length != n) continue;
    const q = changetype<usize>(k);
    let j = 0;
    while (j < n && <u16>load<u8>(p + <usize>j) == load<u16>(q + (<usize>j << 1))) j++;
    if (j == n) return k;
  }
  return null;
}

const SCRATCH = new FlatJson();

/** Whether `text` is one JSON object (tool-call arguments a model produced may not be). */
export function isJsonObjectText(text: string): bool {
  if (text.length == 0) return false;
  const b = Uint8Array.wrap(String.UTF8.encode(text));
  return SCRATCH.parse(b, 0, b.length, 64, false) && SCRATCH.kind(0) == JK.OBJECT;
}
