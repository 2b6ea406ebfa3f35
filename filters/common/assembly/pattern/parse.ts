// Pattern language parser: a practical regex subset -> AST.
//   literals, escapes (\. \\ \- ...), classes [a-z0-9_] [^...], \d \w \s \D \W \S, '.', ? * + {m} {m,} {m,n},
//   alternation |, groups ( ) and (?: ), word boundaries \b \B, and a leading (?i) for case-insensitive.
// No backreferences or lookaround: every pattern compiles to a finite automaton.
import { lineAt } from "../bytes/words";
import { PATTERN_ERRORS_UTF8, PATTERN_ERRORS_UTF8_LENGTH } from "../generated/words";
import { decimal } from "../bytes/decimal";

export const N_SET: i32 = 0;
export const N_CAT: i32 = 1;
export const N_ALT: i32 = 2;
export const N_REP: i32 = 3;
export const N_EMPTY: i32 = 4;
export const N_WB: i32 = 5; // \b
export const N_NWB: i32 = 6; // \B

/** 256-bit byte set. */
export type ByteSet = StaticArray<u32>;

export function newSet(): ByteSet { return new StaticArray<u32>(8); }
@inline export function setAdd(s: ByteSet, b: i32): void { unchecked(s[b >> 5] |= (1 << (b & 31))); }
@inline export function setHas(s: ByteSet, b: i32): bool { return (unchecked(s[b >> 5]) & (1 << (b & 31))) != 0; }
export function setAddRange(s: ByteSet, a: i32, b: i32): void { for (let c = a; c <= b; c++) setAdd(s, c); }
export function setInvert(s: ByteSet): void { for (let k = 0; k < 8; k++) unchecked(s[k] = ~s[k]); }

export class Node {
  kind: i32;
  set: ByteSet | null = null;
  kids: Array<Node> = new Array<Node>();
  min: i32 = 0;
  max: i32 = 0; // -1 = unbounded
  constructor(kind: i32) { this.kind = kind; }
}

/** Largest {m,n} bound accepted. */
export const MAX_REPEAT: i32 = 1000;
const MAX_DEPTH: i32 = 100;

export class ParseResult {
  node: Node | null = null;
  error: string = "";
  caseInsensitive: bool = false;
}

@inline export function isWordByte(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}

/** Pattern compiler errors: line numbers of lists.ts PATTERN_ERRORS (kept as UTF-8 data). */
export namespace PatternError {
  export const EMPTY = 0;
  export const UNBALANCED = 1;
  export const UNEXPECTED = 2;
  export const TOO_DEEP = 3;
  export const BAD_BOUND = 4;
  export const BOUND_ORDER = 5;
  export const NOTHING_TO_REPEAT = 6;
  export const GROUP_SYNTAX = 7;
  export const MISSING_PAREN = 8;
  export const TRAILING_BACKSLASH = 9;
  export const BACKREFERENCE = 10;
  export const MISSING_BRACKET = 11;
  export const WB_IN_CLASS = 12;
  export const NON_ASCII_CLASS = 13;
  export const BAD_RANGE = 14;
  export const RANGE_ORDER = 15;
  export const MATCHES_EMPTY = 16;
  export const TOO_LARGE = 17;
  export const BOUND_OVER = 18;
  export const UNKNOWN_ESCAPE = 19;
  // The automaton's (automaton.ts), each followed by its limit.
  export const TOO_MANY_STATES = 20;
  export const OVER_BUDGET = 21;
  export const TOO_MANY_ENTRIES = 22;
}

export function patternErrorMessage(code: i32): string { return lineAt(PATTERN_ERRORS_UTF8, PATTERN_ERRORS_UTF8_LENGTH, code); }

export function parsePattern(src: string): ParseResult {
  const p = new Parser(src);
  const r = new ParseResult();
  if (src.length == 0) { r.error = patternErrorMessage(PatternError.EMPTY); return r; }
  if (src.startsWith("(?i)")) { p.pos = 4; p.ci = true; r.caseInsensitive = true; }
  const n = p.alt(0);
  if (p.err.length == 0 && p.pos < src.length) p.fail(src.charAt(p.pos) == ")" ? PatternError.UNBALANCED : PatternError.UNEXPECTED);
  if (p.err.length > 0) { r.error = p.err; return r; }
  r.node = n;
  return r;
}

class Parser {
  pos: i32 = 0;
  err: string = "";
  ci: bool = false;
  constructor(public src: string) {}

  /** Records the first error: its message (PatternError), `detail` appended, and the offset. */
  fail(code: i32, detail: string = ""): void {
    if (this.err.length == 0) this.err = patternErrorMessage(code) + detail + " at offset " + decimal(this.pos);
  }

  @inline peek(): i32 { return this.pos < this.src.length ? this.src.charCodeAt(this.pos) : -1; }

  alt(depth: i32): Node {
    if (depth > MAX_DEPTH) { this.fail(PatternError.TOO_DEEP); return new Node(N_EMPTY); }
    const first = this.cat(depth);
    if (this.peek() != 0x7c) return first;
    const n = new Node(N_ALT);
    n.kids.push(first);
    while (this.err.length == 0 && this.peek() == 0x7c) {
      this.pos++;
      n.kids.push(this.cat(depth));
    }
    return n;
  }

  cat(depth: i32): Node {
    const n = new Node(N_CAT);
    while (this.err.length == 0) {
      const c = this.peek();
      if (c < 0 || c == 0x7c || c == 0x29) break;
      const atom = this.atom(depth);
      if (this.err.length > 0) break;
      n.kids.push(this.quant(atom));
    }
    if (n.kids.length == 0) return new Node(N_EMPTY);
    return n.kids.length == 1 ? n.kids[0] : n;
  }

  quant(atom: Node): Node {
    let cur = atom;
    while (this.err.length == 0) {
      const c = this.peek();
      let min = 0, max = 0;
      if (c == 0x3f) { min = 0; max = 1; this.pos++; }
      else if (c == 0x2a) { min = 0; max = -1; this.pos++; }
      else if (c == 0x2b) { min = 1; max = -1; this.pos++; }
      else if (c == 0x7b) {
        const save = this.pos;
        this.pos++;
        const a = this.number();
        if (a < 0) { this.pos = save; this.fail(PatternError.BAD_BOUND); return cur; }
        if (this.peek() == 0x7d) { min = a; max = a; this.pos++; }
        else if (this.peek() == 0x2c) {
          this.pos++;
          if (this.peek() == 0x7d) { min = a; max = -1; this.pos++; }
          else {
            const b = this.number();
            if (b < 0 || this.peek() != 0x7d) { this.fail(PatternError.BAD_BOUND); return cur; }
            this.pos++;
            if (b < a) { this.fail(PatternError.BOUND_ORDER); return cur; }
            min = a; max = b;
          }
        } else { this.fail(PatternError.BAD_BOUND); return cur; }
        if (min > MAX_REPEAT || max > MAX_REPEAT) { this.fail(PatternError.BOUND_OVER, decimal(MAX_REPEAT)); return cur; }
      } else break;
      if (cur.kind == N_WB || cur.kind == N_NWB || cur.kind == N_EMPTY) { this.fail(PatternError.NOTHING_TO_REPEAT); return cur; }
      const r = new Node(N_REP);
      r.kids.push(cur); r.min = min; r.max = max;
      cur = r;
    }
    return cur;
  }

  number(): i32 {
    let v = 0, n = 0;
    while (this.pos < this.src.length) {
      const c = this.src.charCodeAt(this.pos);
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      if (v > 100000) v = 100000;
      this.pos++; n++;
    }
    return n == 0 ? -1 : v;
  }

  atom(depth: i32): Node {
    const c = this.peek();
    if (c == 0x28) {
      this.pos++;
      if (this.src.startsWith("?:", this.pos)) this.pos += 2;
      else if (this.peek() == 0x3f) { this.fail(PatternError.GROUP_SYNTAX); return new Node(N_EMPTY); }
      const inner = this.alt(depth + 1);
      if (this.err.length > 0) return inner;
      if (this.peek() != 0x29) { this.fail(PatternError.MISSING_PAREN); return inner; }
      this.pos++;
      return inner;
    }
    if (c == 0x5b) return this.klass();
    if (c == 0x2e) { this.pos++; const s = newSet(); setAddRange(s, 0, 255); unchecked(s[0] &= ~(1 << 10)); return this.setNode(s); }
    if (c == 0x2a || c == 0x2b || c == 0x3f || c == 0x7b) { this.fail(PatternError.NOTHING_TO_REPEAT); return new Node(N_EMPTY); }
    if (c == 0x5c) {
      this.pos++;
      const e = this.peek();
      if (e < 0) { this.fail(PatternError.TRAILING_BACKSLASH); return new Node(N_EMPTY); }
      this.pos++;
      if (e == 0x62) return new Node(N_WB);
      if (e == 0x42) return new Node(N_NWB);
      const s = newSet();
      if (this.escapeClass(e, s)) return this.setNode(s);
      const lit = this.escapeLiteral(e);
      if (lit < 0) return new Node(N_EMPTY);
      return this.literal(lit);
    }
    this.pos++;
    return this.literal(c);
  }

  /** \d \w \s \D \W \S into s; false if `e` is not a class escape. */
  escapeClass(e: i32, s: ByteSet): bool {
    const lower = e | 0x20;
    if (lower != 0x64 && lower != 0x77 && lower != 0x73) return false;
    const t = newSet();
    if (lower == 0x64) setAddRange(t, 0x30, 0x39);
    else if (lower == 0x77) { setAddRange(t, 0x30, 0x39); setAddRange(t, 0x41, 0x5a); setAddRange(t, 0x61, 0x7a); setAdd(t, 0x5f); }
    else { setAdd(t, 0x20); setAddRange(t, 0x09, 0x0d); }
    if (e != lower) setInvert(t);
    for (let k = 0; k < 8; k++) unchecked(s[k] |= t[k]);
    return true;
  }

  escapeLiteral(e: i32): i32 {
    if (e == 0x6e) return 0x0a;
    if (e == 0x72) return 0x0d;
    if (e == 0x74) return 0x09;
    if (e >= 0x30 && e <= 0x39) { this.fail(PatternError.BACKREFERENCE); return -1; }
    if ((e >= 0x41 && e <= 0x5a) || (e >= 0x61 && e <= 0x7a)) { this.fail(PatternError.UNKNOWN_ESCAPE, String.fromCharCode(e)); return -1; }
    return e;
  }

  /** A literal code unit: ASCII -> one byte (both cases under (?i)), other -> its UTF-8 bytes. */
  literal(c: i32): Node {
    if (c < 0x80) {
      const s = newSet();
      setAdd(s, c);
      if (this.ci) addOtherCase(s, c);
      return this.setNode(s);
    }
    // Non-ASCII: the UTF-8 encoding of the code point (a surrogate pair is one code point).
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && this.pos < this.src.length) {
      const lo = this.src.charCodeAt(this.pos);
      if (lo >= 0xdc00 && lo <= 0xdfff) { this.pos++; cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00); }
    }
    const n = new Node(N_CAT);
    if (cp < 0x800) { n.kids.push(byteNode(0xc0 | (cp >> 6))); n.kids.push(byteNode(0x80 | (cp & 63))); }
    else if (cp < 0x10000) { n.kids.push(byteNode(0xe0 | (cp >> 12))); n.kids.push(byteNode(0x80 | ((cp >> 6) & 63))); n.kids.push(byteNode(0x80 | (cp & 63))); }
    else { n.kids.push(byteNode(0xf0 | (cp >> 18))); n.kids.push(byteNode(0x80 | ((cp >> 12) & 63))); n.kids.push(byteNode(0x80 | ((cp >> 6) & 63))); n.kids.push(byteNode(0x80 | (cp & 63))); }
    return n;
  }

  klass(): Node {
    this.pos++; // '['
    const s = newSet();
    let neg = false;
    if (this.peek() == 0x5e) { neg = true; this.pos++; }
    let first = true;
    while (true) {
      let c = this.peek();
      if (c < 0) { this.fail(PatternError.MISSING_BRACKET); return new Node(N_EMPTY); }
      if (c == 0x5d && !first) { this.pos++; break; }
      first = false;
      this.pos++;
      if (c == 0x5c) {
        const e = this.peek();
        if (e < 0) { this.fail(PatternError.MISSING_BRACKET); return new Node(N_EMPTY); }
        this.pos++;
        if (this.escapeClass(e, s)) continue;
        if (e == 0x62) { this.fail(PatternError.WB_IN_CLASS); return new Node(N_EMPTY); }
        c = this.escapeLiteral(e);
        if (c < 0) return new Node(N_EMPTY);
      }
      if (c >= 0x80) { this.fail(PatternError.NON_ASCII_CLASS); return new Node(N_EMPTY); }
      let hi = c;
      if (this.peek() == 0x2d && this.pos + 1 < this.src.length && this.src.charCodeAt(this.pos + 1) != 0x5d) {
        this.pos++;
        hi = this.peek();
        this.pos++;
        if (hi == 0x5c) {
          const e = this.peek(); this.pos++;
          hi = e < 0 ? -1 : this.escapeLiteral(e);
          if (hi < 0) { this.fail(PatternError.BAD_RANGE); return new Node(N_EMPTY); }
        }
        if (hi >= 0x80) { this.fail(PatternError.NON_ASCII_CLASS); return new Node(N_EMPTY); }
        if (hi < c) { this.fail(PatternError.RANGE_ORDER); return new Node(N_EMPTY); }
      }
      for (let b = c; b <= hi; b++) { setAdd(s, b); if (this.ci) addOtherCase(s, b); }
    }
    if (neg) setInvert(s);
    return this.setNode(s);
  }

  setNode(s: ByteSet): Node { const n = new Node(N_SET); n.set = s; return n; }
}

function addOtherCase(s: ByteSet, c: i32): void {
  if (c >= 0x41 && c <= 0x5a) setAdd(s, c + 32);
  else if (c >= 0x61 && c <= 0x7a) setAdd(s, c - 32);
}

function byteNode(b: i32): Node {
  const s = newSet(); setAdd(s, b);
  const n = new Node(N_SET); n.set = s; return n;
}

/** Whether `n` can match the empty string (such patterns are rejected: they would match everywhere). */
export function nullable(n: Node): bool {
  switch (n.kind) {
    case N_SET: return false;
    case N_CAT: { for (let i = 0; i < n.kids.length; i++) if (!nullable(n.kids[i])) return false; return true; }
    case N_ALT: { for (let i = 0; i < n.kids.length; i++) if (nullable(n.kids[i])) return true; return false; }
    case N_REP: return n.min == 0 || nullable(n.kids[0]);
    default: return true;
  }
}
