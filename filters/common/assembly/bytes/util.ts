// Small byte utilities shared by filters. All functions take [start, end) ranges, clamp them
// to the array and never trap.

/** The bytes of an ASCII/UTF-8 string literal, for comparisons on hot paths. */
export function bytesOf(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

/** Copies the leading ASCII of `n` UTF-16 units at `src` to bytes at `dst` (room for `n` bytes);
 *  returns how many units were ASCII (n when all were). Raw pointers: the callers' hot paths
 *  (filter-state writes, ByteBuilder.appendString) already hold them. */
// @ts-ignore: decorator
@inline export function narrowAscii(src: usize, n: i32, dst: usize): i32 {
  let i = 0;
  while (i < n) {
    const c = load<u16>(src + (<usize>i << 1));
    if (c >= 0x80) break;
    store<u8>(dst + <usize>i, <u8>c);
    i++;
  }
  return i;
}

/** Index of byte `b` in src[from, end), or -1. */
export function indexOfByte(src: Uint8Array, b: u8, from: i32 = 0, end: i32 = i32.MAX_VALUE): i32 {
  if (from < 0) from = 0;
  if (end > src.length) end = src.length;
  for (let i = from; i < end; i++) if (unchecked(src[i]) == b) return i;
  return -1;
}

/** Index of `needle` in hay[from, end), or -1. An empty needle matches at `from`. */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from: i32 = 0, end: i32 = i32.MAX_VALUE): i32 {
  if (from < 0) from = 0;
  if (end > hay.length) end = hay.length;
  const n = needle.length;
  if (n == 0) return from <= end ? from : -1;
  const first = unchecked(needle[0]);
  const last = end - n;
  for (let i = from; i <= last; i++) {
    if (unchecked(hay[i]) != first) continue;
    let j = 1;
    while (j < n && unchecked(hay[i + j]) == unchecked(needle[j])) j++;
    if (j == n) return i;
  }
  return -1;
}

/** True if a[aStart, aEnd) equals all of b. */
export function equalsAt(a: Uint8Array, aStart: i32, aEnd: i32, b: Uint8Array): bool {
  if (aStart < 0 || aEnd > a.length || aEnd - aStart != b.length) return false;
  return memory.compare(a.dataStart + <usize>aStart, b.dataStart, <usize>b.length) == 0;
}

/** True if the two arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): bool {
  return equalsAt(a, 0, a.length, b);
}

@inline function lower(c: u8): u8 {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** ASCII lowercase of one byte (non-letters unchanged). */
export function asciiLower(c: u8): u8 { return lower(c); }

/** Case-insensitive (ASCII only) equality of a[aStart, aEnd) and all of b. */
export function asciiEqualsIgnoreCase(a: Uint8Array, aStart: i32, aEnd: i32, b: Uint8Array): bool {
  if (aStart < 0 || aEnd > a.length || aEnd - aStart != b.length) return false;
  for (let i = 0; i < b.length; i++) if (lower(unchecked(a[aStart + i])) != lower(unchecked(b[i]))) return false;
  return true;
}

/** Case-insensitive (ASCII only) prefix test of a[aStart, aEnd) against b. */
export function asciiStartsWithIgnoreCase(a: Uint8Array, aStart: i32, aEnd: i32, b: Uint8Array): bool {
  if (aEnd > a.length) aEnd = a.length;
  if (aStart < 0 || aEnd - aStart < b.length) return false;
  return asciiEqualsIgnoreCase(a, aStart, aStart + b.length, b);
}

/** Lowercases ASCII letters of src into a new array. */
export function asciiLowerCopy(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) unchecked((out[i] = lower(unchecked(src[i]))));
  return out;
}

@inline function isSpace(c: u8): bool { return c == 0x20 || c == 0x09; }

/** A [start, end) byte range. */
export class Range {
  constructor(public start: i32 = 0, public end: i32 = 0) {}
}

/** Narrows [start, end) past leading/trailing spaces and tabs (HTTP optional whitespace). */
export function trimSpaces(src: Uint8Array, start: i32, end: i32): Range {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  while (start < end && isSpace(unchecked(src[start]))) start++;
  while (end > start && isSpace(unchecked(src[end - 1]))) end--;
  return new Range(start, end < start ? start : end);
}

/**
 * Parses decimal ASCII digits src[start, end) as a u32. Returns the value, or -1 when the range is
 * empty, holds a non-digit or exceeds u32 (no sign, no spaces, leading zeros allowed).
 */
export function parseU32(src: Uint8Array, start: i32, end: i32): i64 {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  if (end <= start) return -1;
  let v: i64 = 0;
  for (let i = start; i < end; i++) {
    const c = unchecked(src[i]);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + <i64>(c - 0x30);
    if (v > <i64>u32.MAX_VALUE) return -1;
  }
  return v;
}

/** Result of parseI64: `ok` is false on empty input, a non-digit, or overflow. */
export class I64Result {
  constructor(public ok: bool = false, public value: i64 = 0) {}
}

/** Parses an optionally signed ('-' or '+') decimal i64 from src[start, end). */
export function parseI64(src: Uint8Array, start: i32, end: i32): I64Result {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  if (end <= start) return new I64Result();
  let neg = false;
  let i = start;
  const c0 = unchecked(src[i]);
  if (c0 == 0x2d || c0 == 0x2b) { neg = c0 == 0x2d; i++; }
  if (i == end) return new I64Result();
  // Accumulate as a negative number: |i64.MIN| > i64.MAX.
  let v: i64 = 0;
  for (; i < end; i++) {
    const c = unchecked(src[i]);
    if (c < 0x30 || c > 0x39) return new I64Result();
    const d = <i64>(c - 0x30);
    if (v < (i64.MIN_VALUE + d) / 10) return new I64Result();
    v = v * 10 - d;
  }
  if (!neg) {
    if (v == i64.MIN_VALUE) return new I64Result();
    v = -v;
  }
  return new I64Result(true, v);
}

/**
 * Checks that src[start, end) is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF). Returns -1 if valid, else the offset of the first byte of the bad sequence.
 */
export function validateUtf8(src: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE): i32 {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  let i = start;
  while (i < end) {
    const c = unchecked(src[i]);
    if (c < 0x80) { i++; continue; }
    const n = utf8SequenceLength(src, i, end);
    if (n == 0) return i;
    i += n;
  }
  return -1;
}

/**
 * Length (2..4) of the well-formed multi-byte UTF-8 sequence starting at src[i], or 0 if it is
 * malformed or truncated before `end`. `src[i]` must be >= 0x80 and i < end <= src.length.
 */
export function utf8SequenceLength(src: Uint8Array, i: i32, end: i32): i32 {
  const c = <u32>unchecked(src[i]);
  if (c < 0xc2 || c > 0xf4) return 0;
  if (c < 0xe0) {
    if (i + 1 >= end) return 0;
    return (unchecked(src[i + 1]) & 0xc0) == 0x80 ? 2 : 0;
  }
  if (c < 0xf0) {
    if (i + 2 >= end) return 0;
    const c1 = <u32>unchecked(src[i + 1]);
    const c2 = <u32>unchecked(src[i + 2]);
    if ((c1 & 0xc0) != 0x80 || (c2 & 0xc0) != 0x80) return 0;
    if (c == 0xe0 && c1 < 0xa0) return 0; // overlong
    if (c == 0xed && c1 >= 0xa0) return 0; // UTF-16 surrogate
    return 3;
  }
  if (i + 3 >= end) return 0;
  const c1 = <u32>unchecked(src[i + 1]);
  if ((c1 & 0xc0) != 0x80 || (unchecked(src[i + 2]) & 0xc0) != 0x80 || (unchecked(src[i + 3]) & 0xc0) != 0x80) return 0;
  if (c == 0xf0 && c1 < 0x90) return 0; // overlong
  if (c == 0xf4 && c1 >= 0x90) return 0; // > U+10FFFF
  return 4;
}

// ---- word-at-a-time scanning (8 bytes per step). For each test, a byte's high bit in the mask
// is set when that byte matches; borrows only run upwards, so bytes below the first match never
// show up, and the lowest set bit (ctz >> 3) is the first matching byte.
const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** High bit of every zero byte of x (exact up to the first zero byte). */
@inline function zeroBytes(x: u64): u64 { return (x - ONES) & ~x & HIGHS; }

/** Offset of the first byte of src[start, end) that a JSON string cannot hold as is or that is not ASCII: < 0x20, '"', '\\' or >= 0x80; `end` when there is none. */
export function skipJsonPlain(src: Uint8Array, start: i32, end: i32): i32 {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  if (end < start) end = start;
  const p = src.dataStart;
  let i = start;
  while (i + 8 <= end) {
    const x = load<u64>(p + <usize>i);
    const m = ((x - 0x2020202020202020) & ~x & HIGHS) | zeroBytes(x ^ 0x2222222222222222) |
      zeroBytes(x ^ 0x5c5c5c5c5c5c5c5c) | (x & HIGHS);
    if (m != 0) return i + <i32>(ctz(m) >> 3);
    i += 8;
  }
  while (i < end) {
    const c = load<u8>(p + <usize>i);
    if (c < 0x20 || c == 0x22 || c == 0x5c || c >= 0x80) return i;
    i++;
  }
  return end;
}

/** Offset of the first LF or CR in src[start, end), or `end` when there is none. */
export function indexOfLineBreak(src: Uint8Array, start: i32, end: i32): i32 {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  if (end < start) end = start;
  const p = src.dataStart;
  let i = start;
  while (i + 8 <= end) {
    const x = load<u64>(p + <usize>i);
    const m = zeroBytes(x ^ 0x0a0a0a0a0a0a0a0a) | zeroBytes(x ^ 0x0d0d0d0d0d0d0d0d);
    if (m != 0) return i + <i32>(ctz(m) >> 3);
    i += 8;
  }
  while (i < end) {
    const c = load<u8>(p + <usize>i);
    if (c == 0x0a || c == 0x0d) return i;
    i++;
  }
  return end;
}

/** Offset of the first '\\', '"' or control byte (< 0x20) in src[start, end), or `end`. */
export function indexOfJsonEscapeOrEnd(src: Uint8Array, start: i32, end: i32): i32 {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  if (end < start) end = start;
  const p = src.dataStart;
  let i = start;
  while (i + 8 <= end) {
    const x = load<u64>(p + <usize>i);
    const m = ((x - 0x2020202020202020) & ~x & HIGHS) | zeroBytes(x ^ 0x2222222222222222) | zeroBytes(x ^ 0x5c5c5c5c5c5c5c5c);
    if (m != 0) return i + <i32>(ctz(m) >> 3);
    i += 8;
  }
  while (i < end) {
    const c = load<u8>(p + <usize>i);
    if (c < 0x20 || c == 0x22 || c == 0x5c) return i;
    i++;
  }
  return end;
}

/** Whether UTF-8 memory [p+s, p+e) holds at most `max` characters (the bytes that start one): a
 *  distance measured alike in every script, a Devanagari or Thai letter taking three bytes, an
 *  English one one. A range over 4 × max bytes is rejected unread, so callers testing many pairs
 *  read at most that much each. */
export function utf8CharsAtMost(p: usize, s: i32, e: i32, max: i32): bool {
  if (e - s > max << 2) return false;
  let n = 0;
  for (let i = s; i < e; i++) if ((<u32>load<u8>(p + <usize>i) & 0xc0) != 0x80) n++;
  return n <= max;
}
