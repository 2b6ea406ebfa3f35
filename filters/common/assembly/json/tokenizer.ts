// A strict, iterative (no recursion, so no stack overflow on deep input) pull tokenizer for
// RFC 8259 JSON over UTF-8 bytes. It validates as it goes: string contents must be well-formed
// UTF-8 (RFC 8259 section 8.1), control characters must be escaped, escapes must be one of the
// nine of section 7, numbers follow the section 6 grammar. Escaped lone surrogates (`"\ud800"`)
// are accepted, as the grammar (and JSON.parse) accept them; the decoder maps them to U+FFFD.
// The tokenizer allocates nothing per token: string tokens are spans into the input.
import { skipJsonPlain } from "../bytes/util";
import { lineAt } from "../bytes/words";
import { JSON_ERRORS_UTF8, JSON_ERRORS_UTF8_LENGTH } from "../generated/words";

/** Error codes (0 = none). Offsets reported alongside point at the offending byte. */
export namespace JsonError {
  export const NONE = 0;
  export const UNEXPECTED_END = 1; // input ended inside a value
  export const UNEXPECTED_CHAR = 2; // a byte that cannot start/continue the expected token
  export const UNTERMINATED_STRING = 3;
  export const BAD_ESCAPE = 4; // backslash followed by something else than "\/bfnrtu
  export const BAD_UNICODE_ESCAPE = 5; // \u not followed by 4 hex digits
  export const CONTROL_CHAR = 6; // raw byte < 0x20 inside a string
  export const INVALID_UTF8 = 7; // malformed UTF-8 inside a string (or anywhere)
  export const BAD_NUMBER = 8;
  export const TOO_DEEP = 9; // nesting exceeds the depth limit
  export const DUPLICATE_KEY = 10;
  export const TRAILING_DATA = 11; // non-whitespace after the top-level value
  export const EMPTY = 12; // no value at all
  export const EXPECTED_COLON = 13;
}

/** The message for an error code (lists.ts JSON_ERRORS, kept as UTF-8 data). */
export function jsonErrorName(code: i32): string {
  return lineAt(JSON_ERRORS_UTF8, JSON_ERRORS_UTF8_LENGTH, code < 0 ? 1 << 30 : code);
}

/** Token kinds returned by JsonTokenizer.next(). */
export namespace Tok {
  export const OBJ_START = 1;
  export const OBJ_END = 2;
  export const ARR_START = 3;
  export const ARR_END = 4;
  export const KEY = 5; // an object key (span = between the quotes); the ':' is consumed
  export const STRING = 6; // a string value (span = between the quotes)
  export const NUMBER = 7;
  export const TRUE = 8;
  export const FALSE = 9;
  export const NULL = 10;
  export const END = 11; // the top-level value is complete and only whitespace follows
  export const ERROR = 12; // see error/errorOffset; sticky
}

export const DEFAULT_MAX_DEPTH: i32 = 64;
const DEPTH_CAP: i32 = 1 << 20;

// parser states
const S_VALUE: i32 = 0; // a value is required
const S_ARR_FIRST: i32 = 1; // a value or ']'
const S_OBJ_FIRST: i32 = 2; // a key or '}'
const S_KEY: i32 = 3; // a key is required
const S_AFTER: i32 = 4; // ',' or a closing bracket (or END at depth 0)
const S_DONE: i32 = 5;
const S_ERROR: i32 = 6;

const C_OBJ: u8 = 1;
const C_ARR: u8 = 2;

@inline function isWs(c: u8): bool { return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09; }
@inline function isDigit(c: u8): bool { return c >= 0x30 && c <= 0x39; }
@inline export function hexVal(c: u8): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

export class JsonTokenizer {
  src: Uint8Array;
  pos: i32;
  end: i32;
  maxDepth: i32;
  /** Current nesting depth (number of open containers). */
  depth: i32 = 0;
  /** Span of the last token: strings/keys exclude the quotes; numbers/literals are exact. */
  tokStart: i32 = 0;
  tokEnd: i32 = 0;
  /** Whether the last string/key token holds at least one backslash escape. */
  hasEscape: bool = false;
  error: i32 = JsonError.NONE;
  errorOffset: i32 = -1;
  private state: i32 = S_VALUE;
  private stack: Uint8Array;

  /** Tokenizes src[start, end); `maxDepth` is clamped to [1, 2^20]. */
  constructor(src: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE, maxDepth: i32 = DEFAULT_MAX_DEPTH) {
    this.src = src;
    this.pos = 0;
    this.end = 0;
    this.maxDepth = 1;
    const md = maxDepth < 1 ? 1 : maxDepth > DEPTH_CAP ? DEPTH_CAP : maxDepth;
    this.stack = new Uint8Array(md < 64 ? md + 1 : 65);
    this.reset(src, start, end, maxDepth);
  }

  /** Starts over on src[start, end), keeping the allocations (one tokenizer reused per parse). */
  reset(src: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE, maxDepth: i32 = DEFAULT_MAX_DEPTH): JsonTokenizer {
    this.src = src;
    if (start < 0) start = 0;
    if (end > src.length) end = src.length;
    if (start > end) start = end;
    this.pos = start;
    this.end = end;
    this.maxDepth = maxDepth < 1 ? 1 : maxDepth > DEPTH_CAP ? DEPTH_CAP : maxDepth;
    this.depth = 0;
    this.tokStart = 0;
    this.tokEnd = 0;
    this.hasEscape = false;
    this.error = JsonError.NONE;
    this.errorOffset = -1;
    this.state = S_VALUE;
    return this;
  }

  /** True when the innermost open container is an object. */
  inObject(): bool { return this.depth > 0 && load<u8>(this.stack.dataStart + <usize>(this.depth - 1)) == C_OBJ; }

  private fail(code: i32, at: i32): i32 {
    this.error = code;
    this.errorOffset = at;
    this.state = S_ERROR;
    return Tok.ERROR;
  }

  private push(kind: u8): bool {
    if (this.depth >= this.maxDepth) return false;
    if (this.depth >= this.stack.length) {
      const n = new Uint8Array(this.stack.length * 2 > this.maxDepth + 1 ? this.maxDepth + 1 : this.stack.length * 2);
      memory.copy(n.dataStart, this.stack.dataStart, <usize>this.depth);
      this.stack = n;
    }
    store<u8>(this.stack.dataStart + <usize>this.depth, kind);
    this.depth++;
    return true;
  }

  /** Returns the next token kind (a Tok constant). */
  next(): i32 {
    // Bytes are read through the raw pointer: a typed-array index is a call in AssemblyScript
    // (with a shadow-stack frame), and this loop runs once per token.
    const base = this.src.dataStart;
    const end = this.end;
    while (true) {
      let p = this.pos;
      while (p < end && isWs(load<u8>(base + <usize>(p)))) p++;
      this.pos = p;
      const st = this.state;
      if (st == S_ERROR) return Tok.ERROR;
      if (st == S_DONE) return Tok.END;
      if (st == S_AFTER) {
        if (this.depth == 0) {
          if (p == end) { this.state = S_DONE; return Tok.END; }
          return this.fail(JsonError.TRAILING_DATA, p);
        }
        if (p == end) return this.fail(JsonError.UNEXPECTED_END, p);
        const c = load<u8>(base + <usize>(p));
        const inObj = load<u8>(this.stack.dataStart + <usize>(this.depth - 1)) == C_OBJ;
        if (c == 0x2c) { this.pos = p + 1; this.state = inObj ? S_KEY : S_VALUE; continue; }
        if ((c == 0x7d && inObj) || (c == 0x5d && !inObj)) {
          this.depth--;
          this.pos = p + 1;
          this.tokStart = p;
          this.tokEnd = p + 1;
          return inObj ? Tok.OBJ_END : Tok.ARR_END;
        }
        return this.fail(JsonError.UNEXPECTED_CHAR, p);
      }
      if (p == end) {
        if (st == S_VALUE && this.depth == 0) return this.fail(JsonError.EMPTY, p);
        return this.fail(JsonError.UNEXPECTED_END, p);
      }
      const c = load<u8>(base + <usize>(p));
      if (st == S_OBJ_FIRST || st == S_KEY) {
        if (c == 0x7d && st == S_OBJ_FIRST) {
          this.depth--;
          this.pos = p + 1;
          this.tokStart = p;
          this.tokEnd = p + 1;
          this.state = S_AFTER;
          return Tok.OBJ_END;
        }
        if (c != 0x22) return this.fail(JsonError.UNEXPECTED_CHAR, p);
        if (!this.scanString(p)) return Tok.ERROR;
        let q = this.pos;
        while (q < end && isWs(load<u8>(base + <usize>(q)))) q++;
        if (q == end) return this.fail(JsonError.UNEXPECTED_END, q);
        if (load<u8>(base + <usize>(q)) != 0x3a) return this.fail(JsonError.EXPECTED_COLON, q);
        this.pos = q + 1;
        this.state = S_VALUE;
        return Tok.KEY;
      }
      // S_VALUE or S_ARR_FIRST
      if (c == 0x5d && st == S_ARR_FIRST) {
        this.depth--;
        this.pos = p + 1;
        this.tokStart = p;
        this.tokEnd = p + 1;
        this.state = S_AFTER;
        return Tok.ARR_END;
      }
      this.tokStart = p;
      switch (c) {
        case 0x7b: {
          if (!this.push(C_OBJ)) return this.fail(JsonError.TOO_DEEP, p);
          this.pos = p + 1;
          this.tokEnd = p + 1;
          this.state = S_OBJ_FIRST;
          return Tok.OBJ_START;
        }
        case 0x5b: {
          if (!this.push(C_ARR)) return this.fail(JsonError.TOO_DEEP, p);
          this.pos = p + 1;
          this.tokEnd = p + 1;
          this.state = S_ARR_FIRST;
          return Tok.ARR_START;
        }
        case 0x22: {
          if (!this.scanString(p)) return Tok.ERROR;
          this.state = S_AFTER;
          return Tok.STRING;
        }
        case 0x74: return this.literal(p, 0x74727565, 4, Tok.TRUE); // "true"
        case 0x66: return this.literal(p, 0x66616c7365, 5, Tok.FALSE); // "false"
        case 0x6e: return this.literal(p, 0x6e756c6c, 4, Tok.NULL); // "null"
      }
      if (c == 0x2d || isDigit(c)) return this.scanNumber(p);
      return this.fail(JsonError.UNEXPECTED_CHAR, p);
    }
  }

  private literal(p: i32, word: u64, n: i32, tok: i32): i32 {
    const base = this.src.dataStart;
    for (let i = 0; i < n; i++) {
      const want = <u8>((word >> (8 * (n - 1 - i))) & 0xff);
      if (p + i >= this.end) return this.fail(JsonError.UNEXPECTED_END, p + i);
      if (load<u8>(base + <usize>(p + i)) != want) return this.fail(JsonError.UNEXPECTED_CHAR, p + i);
    }
    this.pos = p + n;
    this.tokEnd = p + n;
    this.state = S_AFTER;
    return tok;
  }

  private scanNumber(p: i32): i32 {
    const base = this.src.dataStart;
    const end = this.end;
    let i = p;
    if (load<u8>(base + <usize>(i)) == 0x2d) i++;
    if (i == end) return this.fail(JsonError.UNEXPECTED_END, i);
    let c = load<u8>(base + <usize>(i));
    if (c == 0x30) {
      i++;
      // RFC 8259 section 6: no leading zeros
      if (i < end && isDigit(load<u8>(base + <usize>(i)))) return this.fail(JsonError.BAD_NUMBER, i);
    } else if (isDigit(c)) {
      while (i < end && isDigit(load<u8>(base + <usize>(i)))) i++;
    } else return this.fail(JsonError.BAD_NUMBER, i);
    if (i < end && load<u8>(base + <usize>(i)) == 0x2e) {
      i++;
      if (i == end) return this.fail(JsonError.UNEXPECTED_END, i);
      if (!isDigit(load<u8>(base + <usize>(i)))) return this.fail(JsonError.BAD_NUMBER, i);
      while (i < end && isDigit(load<u8>(base + <usize>(i)))) i++;
    }
    if (i < end && (load<u8>(base + <usize>(i)) | 0x20) == 0x65) {
      i++;
      if (i < end && (load<u8>(base + <usize>(i)) == 0x2b || load<u8>(base + <usize>(i)) == 0x2d)) i++;
      if (i == end) return this.fail(JsonError.UNEXPECTED_END, i);
      if (!isDigit(load<u8>(base + <usize>(i)))) return this.fail(JsonError.BAD_NUMBER, i);
      while (i < end && isDigit(load<u8>(base + <usize>(i)))) i++;
    }
    this.tokEnd = i;
    this.pos = i;
    this.state = S_AFTER;
    return Tok.NUMBER;
  }

  // Scans the string whose opening quote is at p; on success tokStart/tokEnd span the content,
  // pos is past the closing quote.
  private scanString(p: i32): bool {
    const src = this.src;
    const base = src.dataStart;
    const end = this.end;
    let i = p + 1;
    let esc = false;
    while (true) {
      // fast path: plain printable ASCII, 8 bytes at a time
      i = skipJsonPlain(src, i, end);
      if (i >= end) { this.fail(JsonError.UNTERMINATED_STRING, p); return false; }
      const c = load<u8>(base + <usize>(i));
      if (c == 0x22) break;
      if (c == 0x5c) {
        esc = true;
        if (i + 1 >= end) { this.fail(JsonError.UNTERMINATED_STRING, p); return false; }
        const e = load<u8>(base + <usize>(i + 1));
        if (e == 0x75) {
          for (let k = 2; k < 6; k++) {
            if (i + k >= end) { this.fail(JsonError.UNTERMINATED_STRING, p); return false; }
            if (hexVal(load<u8>(base + <usize>(i + k))) < 0) { this.fail(JsonError.BAD_UNICODE_ESCAPE, i); return false; }
          }
          i += 6;
          continue;
        }
        if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) { i += 2; continue; }
        this.fail(JsonError.BAD_ESCAPE, i);
        return false;
      }
      if (c < 0x20) { this.fail(JsonError.CONTROL_CHAR, i); return false; }
      // c >= 0x80: a multi-byte UTF-8 sequence
      const n = utf8Len(src, i, end);
      if (n == 0) { this.fail(JsonError.INVALID_UTF8, i); return false; }
      i += n;
    }
    this.tokStart = p + 1;
    this.tokEnd = i;
    this.hasEscape = esc;
    this.pos = i + 1;
    return true;
  }

  /**
   * After OBJ_START/ARR_START, consumes tokens up to and including the matching end token.
   * Returns that end token, or Tok.ERROR.
   */
  skipContainer(): i32 {
    const target = this.depth - 1;
    while (true) {
      const t = this.next();
      if (t == Tok.ERROR) return t;
      if ((t == Tok.OBJ_END || t == Tok.ARR_END) && this.depth == target) return t;
      if (t == Tok.END) return this.fail(JsonError.UNEXPECTED_END, this.pos);
    }
  }
}

// Local copy of the UTF-8 check to keep the tokenizer self-contained and inlinable.
@inline function utf8Len(src: Uint8Array, i: i32, end: i32): i32 {
  const base = src.dataStart;
  const c = <u32>load<u8>(base + <usize>(i));
  if (c < 0xc2 || c > 0xf4) return 0;
  if (c < 0xe0) return i + 1 < end && (load<u8>(base + <usize>(i + 1)) & 0xc0) == 0x80 ? 2 : 0;
  if (c < 0xf0) {
    if (i + 2 >= end) return 0;
    const c1 = <u32>load<u8>(base + <usize>(i + 1));
    if ((c1 & 0xc0) != 0x80 || (load<u8>(base + <usize>(i + 2)) & 0xc0) != 0x80) return 0;
    if (c == 0xe0 && c1 < 0xa0) return 0;
    if (c == 0xed && c1 >= 0xa0) return 0;
    return 3;
  }
  if (i + 3 >= end) return 0;
  const c1 = <u32>load<u8>(base + <usize>(i + 1));
  if ((c1 & 0xc0) != 0x80 || (load<u8>(base + <usize>(i + 2)) & 0xc0) != 0x80 || (load<u8>(base + <usize>(i + 3)) & 0xc0) != 0x80) return 0;
  if (c == 0xf0 && c1 < 0x90) return 0;
  if (c == 0xf4 && c1 >= 0x90) return 0;
  return 4;
}

/**
 * Checks that src[start, end) is valid raw content of a JSON string (what scanString accepts
 * between the quotes: no unescaped quote or control character, the nine escapes, valid UTF-8).
 * Returns -1 if not, 1 if valid with escapes, 0 if valid without.
 */
export function jsonStringContentCheck(src: Uint8Array, start: i32, end: i32): i32 {
  if (start < 0 || end > src.length || end < start) return -1;
  const base = src.dataStart;
  let i = start;
  let esc = 0;
  while (i < end) {
    i = skipJsonPlain(src, i, end);
    if (i >= end) break;
    const c = load<u8>(base + <usize>(i));
    if (c == 0x5c) {
      if (i + 1 >= end) return -1;
      const e = load<u8>(base + <usize>(i + 1));
      if (e == 0x75) {
        if (i + 6 > end) return -1;
        for (let k = 2; k < 6; k++) if (hexVal(load<u8>(base + <usize>(i + k))) < 0) return -1;
        i += 6;
      } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) i += 2;
      else return -1;
      esc = 1;
      continue;
    }
    if (c < 0x80) return -1; // quote or control character
    const n = utf8Len(src, i, end);
    if (n == 0) return -1;
    i += n;
  }
  return esc;
}
