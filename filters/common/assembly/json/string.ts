// Decoding the inside of a JSON string (the bytes between the quotes) to UTF-8, with an optional
// map from decoded offsets back to raw offsets.
import { ByteBuilder } from "../bytes/builder";
import { indexOfJsonEscapeOrEnd } from "../bytes/util";
import { JsonError, hexVal } from "./tokenizer";

/**
 * Maps offsets in decoded text back to the raw JSON string. Runs of unescaped bytes map 1:1;
 * only escapes are recorded (so a string without escapes costs nothing).
 */
export class OffsetMap {
  /** Raw offset of the first content byte (just after the opening quote). */
  rawStart: i32 = 0;
  rawEnd: i32 = 0;
  decodedLength: i32 = 0;
  // Per escape: decoded start, decoded length, raw start, raw length.
  private esc: Array<i32> = new Array<i32>();

  reset(rawStart: i32, rawEnd: i32): void {
    this.rawStart = rawStart;
    this.rawEnd = rawEnd;
    this.decodedLength = 0;
    this.esc.length = 0;
  }

  get escapeCount(): i32 { return this.esc.length >> 2; }

  addEscape(dStart: i32, dLen: i32, rStart: i32, rLen: i32): void {
    this.esc.push(dStart);
    this.esc.push(dLen);
    this.esc.push(rStart);
    this.esc.push(rLen);
  }

  // Index of the last escape whose decoded start <= d, or -1.
  private find(d: i32): i32 {
    let lo = 0;
    let hi = this.escapeCount - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (unchecked(this.esc[mid << 2]) <= d) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }

  /**
   * Raw offset for decoded offset d (0 <= d <= decodedLength; clamped). An offset inside the
   * output of one escape (e.g. the 2nd byte of `\u00e9`) maps to the start of that escape.
   */
  toRaw(d: i32): i32 {
    if (d <= 0) return this.rawStart;
    if (d >= this.decodedLength) return this.rawEnd;
    const k = this.find(d);
    if (k < 0) return this.rawStart + d;
    const e = k << 2;
    const dS = unchecked(this.esc[e]);
    const dL = unchecked(this.esc[e + 1]);
    const rS = unchecked(this.esc[e + 2]);
    const rL = unchecked(this.esc[e + 3]);
    if (d < dS + dL) return rS;
    return rS + rL + (d - dS - dL);
  }

  /** True if decoded offset d is a boundary of the raw text too (not inside one escape's output). */
  isEscapeBoundary(d: i32): bool {
    if (d <= 0 || d >= this.decodedLength) return true;
    const k = this.find(d);
    if (k < 0) return true;
    const e = k << 2;
    return d == unchecked(this.esc[e]) || d >= unchecked(this.esc[e]) + unchecked(this.esc[e + 1]);
  }
}

/**
 * Decodes the raw content src[start, end) of a JSON string into `out` (appending), resolving all
 * escapes incl. surrogate pairs (`\ud83d\ude00` -> U+1F600). Lone surrogates become U+FFFD (they
 * have no UTF-8 form; this is what a JS engine does when it UTF-8 encodes JSON.parse's result).
 * Raw bytes are copied as is (the tokenizer has validated them). If `map` is given it is reset and
 * filled. Returns a JsonError code (NONE on success); on error `out` holds a partial result.
 */
export function decodeJsonString(src: Uint8Array, start: i32, end: i32, out: ByteBuilder, map: OffsetMap | null = null): i32 {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  if (end < start) end = start;
  const base = out.length;
  if (map !== null) map.reset(start, end);
  out.reserve(end - start);
  let run = start;
  let i = start;
  while (i < end) {
    i = indexOfJsonEscapeOrEnd(src, i, end);
    if (i >= end) break;
    const c = unchecked(src[i]);
    if (c != 0x5c) {
      if (c < 0x20 || c == 0x22) {
        if (map !== null) map.decodedLength = out.length - base;
        return c == 0x22 ? JsonError.UNEXPECTED_CHAR : JsonError.CONTROL_CHAR;
      }
      i++;
      continue;
    }
    out.appendSlice(src, run, i);
    const dStart = out.length - base;
    const rStart = i;
    if (i + 1 >= end) {
      if (map !== null) map.decodedLength = out.length - base;
      return JsonError.BAD_ESCAPE;
    }
    const e = unchecked(src[i + 1]);
    let ok = true;
    switch (e) {
      case 0x22: out.appendByte(0x22); i += 2; break;
      case 0x5c: out.appendByte(0x5c); i += 2; break;
      case 0x2f: out.appendByte(0x2f); i += 2; break;
      case 0x62: out.appendByte(0x08); i += 2; break;
      case 0x66: out.appendByte(0x0c); i += 2; break;
      case 0x6e: out.appendByte(0x0a); i += 2; break;
      case 0x72: out.appendByte(0x0d); i += 2; break;
      case 0x74: out.appendByte(0x09); i += 2; break;
      case 0x75: {
        const u = hex4(src, i + 2, end);
        if (u < 0) { ok = false; break; }
        i += 6;
        let cp = <u32>u;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          // A high surrogate needs a following \uDC00-\uDFFF escape.
          if (i + 1 < end && unchecked(src[i]) == 0x5c && unchecked(src[i + 1]) == 0x75) {
            const lo = hex4(src, i + 2, end);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (<u32>lo - 0xdc00);
              i += 6;
            } else cp = 0xfffd;
          } else cp = 0xfffd;
        } else if (cp >= 0xdc00 && cp <= 0xdfff) cp = 0xfffd;
        out.appendCodePoint(cp);
        break;
      }
      default: ok = false;
    }
    if (!ok) {
      if (map !== null) map.decodedLength = out.length - base;
      return e == 0x75 ? JsonError.BAD_UNICODE_ESCAPE : JsonError.BAD_ESCAPE;
    }
    if (map !== null) map.addEscape(dStart, out.length - base - dStart, rStart, i - rStart);
    run = i;
  }
  out.appendSlice(src, run, end);
  if (map !== null) map.decodedLength = out.length - base;
  return JsonError.NONE;
}

/**
 * The first offset >= want (at most end) of raw JSON string content src[start, end) where the
 * content can be cut and each part decoded on its own to the same text: not inside an escape,
 * not between the two escapes of a surrogate pair (`\ud83d\ude00`).
 */
export function jsonEscapeBoundary(src: Uint8Array, start: i32, want: i32, end: i32): i32 {
  if (end > src.length) end = src.length;
  if (want >= end) return end;
  let i = start;
  let lastU = -1; // start of the last \u escape before i
  while (i < want) {
    const j = indexOfJsonEscapeOrEnd(src, i, want);
    if (j >= want) { i = want; break; }
    if (unchecked(src[j]) != 0x5c) { i = j + 1; continue; }
    if (j + 1 < end && unchecked(src[j + 1]) == 0x75) { lastU = j; i = j + 6; }
    else i = j + 2;
  }
  if (i >= end) return end;
  // A high surrogate escape right before i and an escape after it: the pair stays together.
  if (lastU >= 0 && lastU + 6 == i && i + 1 < end && unchecked(src[i]) == 0x5c && unchecked(src[i + 1]) == 0x75) {
    const d = unchecked(src[lastU + 2]) | 0x20, h = unchecked(src[lastU + 3]) | 0x20;
    if (d == 0x64 && (h == 0x38 || h == 0x39 || h == 0x61 || h == 0x62)) i = min(end, i + 6);
  }
  return i;
}

function hex4(src: Uint8Array, i: i32, end: i32): i32 {
  if (i + 4 > end) return -1;
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const h = hexVal(unchecked(src[i + k]));
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

/**
 * True if the raw JSON string content src[start, end) decodes to exactly the bytes `lit`.
 * Cheap for the common case of no escapes; used to match keys like "messages".
 */
export function jsonStringEquals(src: Uint8Array, start: i32, end: i32, hasEscape: bool, lit: Uint8Array): bool {
  if (!hasEscape) {
    if (end - start != lit.length || start < 0 || end > src.length) return false;
    return memory.compare(src.dataStart + <usize>start, lit.dataStart, <usize>lit.length) == 0;
  }
  // Escaped: a decoded string is never longer than its raw form.
  if (end - start < lit.length) return false;
  const tmp = new ByteBuilder(end - start);
  if (decodeJsonString(src, start, end, tmp) != JsonError.NONE) return false;
  if (tmp.length != lit.length) return false;
  return memory.compare(tmp.dataStart, lit.dataStart, <usize>lit.length) == 0;
}

/** Decodes a JSON string's raw content to an AssemblyScript string ("" on error). */
export function jsonStringToString(src: Uint8Array, start: i32, end: i32, hasEscape: bool = true): string {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  if (end <= start) return "";
  if (!hasEscape) return String.UTF8.decodeUnsafe(src.dataStart + <usize>start, <usize>(end - start));
  const tmp = new ByteBuilder(end - start);
  if (decodeJsonString(src, start, end, tmp) != JsonError.NONE) return "";
  return tmp.toString();
}
