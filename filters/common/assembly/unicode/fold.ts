// Folding text for detection, so that personal data written with look-alike characters is found:
//   - Unicode spaces (U+00A0, U+2000-200A, U+202F, U+205F, U+3000, U+2028/2029) -> ' '
//   - Unicode dashes and minus (U+2010-2015, U+2212, U+FE58, U+FE63) -> '-'
//   - full-width ASCII (U+FF01-FF5E: digits, letters, '@', ...) -> ASCII
//   - every decimal digit of Unicode (general category Nd: Arabic-Indic U+0660-0669, Extended
//     Arabic-Indic U+06F0-06F9, Devanagari U+0966-096F, Bengali, Thai, ..., mathematical digits
//     U+1D7CE-1D7FF, segmented U+1FBF0-1FBF9; the ranges of DIGIT_FROM) -> its ASCII digit
//   - zero-width and invisible format characters (U+200B-200F, U+202A-202E, U+2060-2064,
//     U+2066-206F, U+FEFF, U+00AD soft hyphen, U+180E) -> removed, and so are the other default
//     ignorable code points of the BMP a renderer shows as nothing (Unicode DerivedCoreProperties:
//     U+034F, U+061C, U+115F-1160, U+17B4-17B5, U+180B-180F, U+3164, U+FE00-FE0F, U+FFA0,
//     U+FFF0-FFF8), the ones above U+FFFF (U+1BCA0-1BCA3 shorthand format controls, U+1D173-1D17A
//     musical format controls, U+E0000-E0FFF tags and variation selectors) and the C1 controls U+0080-009F (U+0085, next line, -> ' '), and the C0
//     controls other than tab, line feed, VT, FF and CR (U+0000-0008, U+000E-001F, U+007F)
//   - escapes a decoded body may still hold: `\uXXXX` (JSON inside a JSON string, e.g. tool-call
//     arguments), `%XX` (form and URL encoding), HTML numeric references (`&#64;`, `&#x40;`)
//     whose character is printable ASCII or one of the above, and the HTML named references of the
//     characters detectors read (`&nbsp;` `&commat;` `&period;` `&plus;` `&hyphen;` `&dash;` `&colon;`
//     `&equals;` `&lowbar;` `&sol;` `&quot;` `&apos;` `&lt;` `&gt;`; HTML Living Standard, named
//     character references) -> that character, folded. `&amp;` stays: it is how HTML writes '&'
//     itself, and folding it would join text that was escaped apart.
// The detector scans the folded bytes; a FoldMap takes each folded offset back to the original
// (the first byte of the character it came from), so the original bytes are what gets masked.
// Folding is character-local and monotonic. Text without any of these (the fast check
// `needsFold`) is scanned as it is, at no cost beyond the check.
import { ByteBuilder } from "../bytes/builder";

@inline function ld(p: usize, i: i32): u32 { return <u32>load<u8>(p + <usize>i); }
@inline function hexVal(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const l = c | 0x20;
  if (l - 0x61 < 6) return <i32>(l - 0x61 + 10);
  return -1;
}

const REMOVE: i32 = -1;
const KEEP: i32 = -2;

/**
 * First code point of each run of decimal digits (Unicode general category Nd, Unicode 16; runs of
 * ten, DIGIT_LEN gives the longer ones: digit value = (cp - from) % 10), in order. ASCII and the
 * full-width digits (folded with full-width ASCII) are not listed.
 */
const DIGIT_FROM: StaticArray<u32> = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50,
  0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50,
  0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
  0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0,
  0x116d0, 0x11730, 0x118e0, 0x11950, 0x11bf0, 0x11c50, 0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60,
  0x16ac0, 0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];
/** Length of each DIGIT_FROM run (10 unless several sets follow each other). */
const DIGIT_LEN: StaticArray<u8> = [
  10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
  10, 10, 10, 10, 10, 10, 10,
  10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
  20, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
  10, 10, 10, 10, 50, 10, 10, 10, 10, 10, 10,
];

/** The ASCII digit of a Unicode decimal digit outside ASCII and full-width, or -1. */
export function unicodeDigit(cp: u32): i32 {
  if (cp < 0x0660 || cp > 0x1fbf9) return -1;
  let lo = 0, hi = DIGIT_FROM.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (unchecked(DIGIT_FROM[mid]) <= cp) lo = mid; else hi = mid - 1;
  }
  const d = cp - unchecked(DIGIT_FROM[lo]);
  return d < <u32>unchecked(DIGIT_LEN[lo]) ? <i32>(0x30 + d % 10) : -1;
}

/** What code point `cp` folds to: an ASCII byte, REMOVE, or KEEP (not folded). */
export function foldCodePoint(cp: u32): i32 {
  if (cp < 0x80) return asciiControl(cp) ? REMOVE : KEEP;
  if (cp >= 0x10000) {
    // Default ignorable code points above the BMP (DerivedCoreProperties.txt).
    if ((cp >= 0xe0000 && cp <= 0xe0fff) || (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0x1bca0 && cp <= 0x1bca3)) return REMOVE;
    const d = unicodeDigit(cp);
    return d >= 0 ? d : KEEP;
  }
  if (cp == 0xa0) return 0x20;
  if (cp == 0xad || cp == 0x180e) return REMOVE;
  if (cp <= 0x9f) return cp == 0x85 ? 0x20 : REMOVE;
  if (cp == 0x34f || cp == 0x61c || cp == 0x115f || cp == 0x1160 || cp == 0x17b4 || cp == 0x17b5 || cp == 0x3164 || cp == 0xffa0) return REMOVE;
  if ((cp >= 0x180b && cp <= 0x180f) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xfff0 && cp <= 0xfff8)) return REMOVE;
  if (cp >= 0x2000 && cp <= 0x200a) return 0x20;
  if (cp >= 0x200b && cp <= 0x200f) return REMOVE;
  if (cp >= 0x2010 && cp <= 0x2015) return 0x2d;
  if (cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000) return 0x20;
  if (cp >= 0x202a && cp <= 0x202e) return REMOVE;
  if (cp >= 0x2060 && cp <= 0x2064) return REMOVE;
  if (cp >= 0x2066 && cp <= 0x206f) return REMOVE;
  if (cp == 0x2212 || cp == 0xfe58 || cp == 0xfe63) return 0x2d;
  if (cp == 0xfeff) return REMOVE;
  if (cp >= 0xff01 && cp <= 0xff5e) return <i32>(cp - 0xff01 + 0x21);
  const d = unicodeDigit(cp);
  return d >= 0 ? d : KEEP;
}

/** A C0 control that is not white space (tab, LF, VT, FF, CR), or DEL: shown as nothing. */
@inline function asciiControl(c: u32): bool { return c < 0x20 ? (c < 0x09 || c > 0x0d) : c == 0x7f; }

/**
 * Lead bytes (LEADS, one bit per byte) and lead + second byte pairs (PAIRS, one bit per pair) of the
 * UTF-8 encodings of the characters foldCodePoint folds; filled once at module start by encoding
 * each of them (every BMP code point, and the folded runs above it).
 */
const LEADS = new StaticArray<u8>(32);
const PAIRS = new StaticArray<u8>(8192);

function markFolded(cp: u32): void {
  let c: u32, d: u32;
  if (cp < 0x800) { c = 0xc0 | (cp >> 6); d = 0x80 | (cp & 0x3f); }
  else if (cp < 0x10000) { c = 0xe0 | (cp >> 12); d = 0x80 | ((cp >> 6) & 0x3f); }
  else { c = 0xf0 | (cp >> 18); d = 0x80 | ((cp >> 12) & 0x3f); }
  unchecked((LEADS[c >> 3] = unchecked(LEADS[c >> 3]) | <u8>((<u32>1) << (c & 7))));
  const k = c | (d << 8);
  unchecked((PAIRS[k >> 3] = unchecked(PAIRS[k >> 3]) | <u8>((<u32>1) << (k & 7))));
}

function initFoldTables(): void {
  for (let cp: u32 = 0x80; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (foldCodePoint(cp) != KEEP) markFolded(cp);
  }
  for (let cp: u32 = 0x1bca0; cp <= 0x1bca3; cp++) markFolded(cp);
  for (let cp: u32 = 0x1d173; cp <= 0x1d17a; cp++) markFolded(cp);
  for (let cp: u32 = 0xe0000; cp <= 0xe0fff; cp += 0x40) markFolded(cp);
  for (let k = 0; k < DIGIT_FROM.length; k++) {
    const from = unchecked(DIGIT_FROM[k]);
    if (from < 0x10000) continue;
    for (let cp = from; cp < from + <u32>unchecked(DIGIT_LEN[k]); cp++) markFolded(cp);
  }
}
initFoldTables();

/** Whether the lead byte `c` can begin a character foldCodePoint folds. */
@inline function foldLead(c: u32): bool { return (<u32>unchecked(LEADS[(c >> 3) & 31]) & (1 << (c & 7))) != 0; }
/** Whether lead byte c and second byte d can begin a character foldCodePoint folds. */
@inline function foldPair(c: u32, d: u32): bool {
  const k = (c & 0xff) | ((d & 0xff) << 8);
  return (<u32>unchecked(PAIRS[k >> 3]) & (1 << (k & 7))) != 0;
}

const HI8: u64 = 0x8080808080808080;
const ONE8: u64 = 0x0101010101010101;
/** Bytes below n (n <= 128) in w: nonzero when there is one. */
@inline function hasLess(w: u64, n: u64): u64 { return (w - ONE8 * n) & ~w & HI8; }
@inline function hasByte(w: u64, b: u64): u64 {
  const x = w ^ (ONE8 * b);
  return (x - ONE8) & ~x & HI8;
}

/**
 * Whether p[s, e) holds anything fold() changes. Eight bytes at a time: a word with no byte >= 0x80,
 * '%', '\' or '&' is skipped at once.
 */
export function needsFold(p: usize, s: i32, e: i32): bool {
  let i = s;
  while (i < e) {
    while (i + 8 <= e) {
      const w = load<u64>(p + <usize>i);
      if (((w & HI8) | hasByte(w, 0x25) | hasByte(w, 0x5c) | hasByte(w, 0x26) | hasLess(w, 0x20) | hasByte(w, 0x7f)) != 0) break;
      i += 8;
    }
    const lim = min(e, i + 8);
    for (; i < lim; i++) {
      const c = ld(p, i);
      if (c < 0x80) {
        if (c == 0x25 && i + 2 < e && percentAt(p, i, e) >= 0) return true;
        if (c == 0x5c && i + 5 < e && escapeAt(p, i, e) >= 0) return true;
        if (c == 0x26 && numericRefAt(p, i, e) != -3) return true;
        if (asciiControl(c)) return true;
        continue;
      }
      if (!foldLead(c)) continue;
      const cp = cpAt(p, i, e);
      if (cp >= 0 && foldCodePoint(<u32>cp) != KEEP) return true;
      if (cp < 0 && e - i < 4) return true; // cut by e: may still become one (fold() decides)
    }
  }
  return false;
}

/**
 * Whether fold() would change the character or escape at p[i] (i < e): the precise test behind a
 * scanner's cheap trigger (a byte pair that can begin one, see foldTriggerPair).
 */
export function foldableAt(p: usize, i: i32, e: i32): bool {
  const c = ld(p, i);
  if (c == 0x25) return percentAt(p, i, e) >= 0;
  if (c == 0x5c) return escapeAt(p, i, e) != -3;
  if (c == 0x26) return numericRefAt(p, i, e) != -3;
  if (asciiControl(c)) return true;
  if (!foldLead(c)) return false;
  const cp = cpAt(p, i, e);
  if (cp >= 0) return foldCodePoint(<u32>cp) != KEEP;
  return false;
}

/**
 * Where a character that may still fold is cut by `e` (its first byte), or -1: a stream scans up to
 * there and holds it back (e.g. the first byte of a U+00A0 after `4111 1111 1111`).
 */
export function partialFoldStart(p: usize, s: i32, e: i32): i32 {
  if (e - 1 >= s) {
    const c = ld(p, e - 1);
    if (foldLead(c)) return e - 1;
    if (e - 2 >= s && (c & 0xc0) == 0x80) {
      const l = ld(p, e - 2);
      if (l >= 0xe0 && l < 0xf5 && foldPair(l, c)) return e - 2;
      // A four-byte character (a tag, a mathematical digit) cut after its third byte.
      if (e - 3 >= s && (l & 0xc0) == 0x80) {
        const l3 = ld(p, e - 3);
        if (l3 >= 0xf0 && l3 < 0xf5 && foldPair(l3, l)) return e - 3;
      }
    }
  }
  return -1;
}

/**
 * Whether the byte pair (c, d) can begin something fold() changes (d = 0: c is the last byte): a
 * table of these lets a scanner that already looks at byte pairs notice folding at no extra cost.
 */
export function foldTriggerPair(c: u32, d: u32): bool {
  if (c == 0x25) return hexVal(d) >= 0;
  if (c == 0x5c) return d == 0x75;
  if (c == 0x26) return d == 0x23 || d - 0x61 < 26;
  if (asciiControl(c)) return true;
  if (d == 0) return foldLead(c);
  return foldPair(c, d);
}

/** The code point of the 2-, 3- or 4-byte sequence at i (-1 if it is not one, or is cut by e). */
function cpAt(p: usize, i: i32, e: i32): i32 {
  const c = ld(p, i);
  if (c >= 0xc2 && c < 0xe0) {
    if (i + 1 >= e || (ld(p, i + 1) & 0xc0) != 0x80) return -1;
    return <i32>(((c & 0x1f) << 6) | (ld(p, i + 1) & 0x3f));
  }
  if (c >= 0xe0 && c < 0xf0) {
    if (i + 2 >= e || (ld(p, i + 1) & 0xc0) != 0x80 || (ld(p, i + 2) & 0xc0) != 0x80) return -1;
    const cp = ((c & 0x0f) << 12) | ((ld(p, i + 1) & 0x3f) << 6) | (ld(p, i + 2) & 0x3f);
    return cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) ? -1 : <i32>cp;
  }
  if (c >= 0xf0 && c < 0xf5) {
    if (i + 3 >= e || (ld(p, i + 1) & 0xc0) != 0x80 || (ld(p, i + 2) & 0xc0) != 0x80 || (ld(p, i + 3) & 0xc0) != 0x80) return -1;
    const cp = ((c & 0x07) << 18) | ((ld(p, i + 1) & 0x3f) << 12) | ((ld(p, i + 2) & 0x3f) << 6) | (ld(p, i + 3) & 0x3f);
    return cp < 0x10000 || cp > 0x10ffff ? -1 : <i32>cp;
  }
  return -1;
}

/** `%XX` at i whose byte is printable ASCII: the folded byte, else -1. */
function percentAt(p: usize, i: i32, e: i32): i32 {
  if (i + 2 >= e) return -1;
  const h = hexVal(ld(p, i + 1)), l = hexVal(ld(p, i + 2));
  if (h < 0 || l < 0) return -1;
  const b = (h << 4) | l;
  return b >= 0x20 && b < 0x7f ? b : -1;
}

/** `\uXXXX` at i whose character is printable ASCII or folds: the folded byte or REMOVE, else -3. */
function escapeAt(p: usize, i: i32, e: i32): i32 {
  if (i + 5 >= e || ld(p, i + 1) != 0x75) return -3;
  let cp = 0;
  for (let k = 2; k < 6; k++) {
    const v = hexVal(ld(p, i + k));
    if (v < 0) return -3;
    cp = (cp << 4) | v;
  }
  if (cp >= 0x20 && cp < 0x7f) return cp;
  const f = foldCodePoint(<u32>cp);
  return f == KEEP ? -3 : f;
}

/**
 * HTML numeric character reference at i (`&#64;`, `&#x40;`, at most 7 digits): its folded byte
 * (printable ASCII or a folded character) or REMOVE, in `refLen` its length; -3 when none.
 */
let refLen: i32 = 0;
function numericRefAt(p: usize, i: i32, e: i32): i32 {
  if (i + 3 >= e) return -3;
  if (ld(p, i + 1) != 0x23) return namedRefAt(p, i, e);
  let j = i + 2;
  const hex = (ld(p, j) | 0x20) == 0x78;
  if (hex) j++;
  let cp = 0, n = 0;
  while (j < e && n < 7) {
    const c = ld(p, j);
    const v = hex ? hexVal(c) : (c - 0x30 < 10 ? <i32>(c - 0x30) : -1);
    if (v < 0) break;
    cp = cp * (hex ? 16 : 10) + v;
    j++; n++;
  }
  if (n == 0 || j >= e || ld(p, j) != 0x3b || cp > 0x10ffff) return -3;
  refLen = j + 1 - i;
  if (cp >= 0x20 && cp < 0x7f) return cp;
  const f = foldCodePoint(<u32>cp);
  return f == KEEP ? -3 : f;
}

/** Named references folded (see the header), each `name;` after the '&', and their characters. */
const NAMED_REFS: StaticArray<string> = ["nbsp;", "commat;", "period;", "plus;", "hyphen;", "dash;", "colon;", "equals;", "lowbar;", "sol;", "quot;", "apos;", "lt;", "gt;"];
const NAMED_CHARS: StaticArray<u8> = [0x20, 0x40, 0x2e, 0x2b, 0x2d, 0x2d, 0x3a, 0x3d, 0x5f, 0x2f, 0x22, 0x27, 0x3c, 0x3e];

/** `&name;` at i of NAMED_REFS: its character (refLen set), else -3. */
function namedRefAt(p: usize, i: i32, e: i32): i32 {
  const c1 = ld(p, i + 1);
  if (c1 - 0x61 >= 26) return -3;
  for (let k = 0; k < NAMED_REFS.length; k++) {
    const s = unchecked(NAMED_REFS[k]);
    const n = s.length;
    if (i + 1 + n > e || <u32>load<u16>(changetype<usize>(s)) != c1) continue;
    let same = true;
    for (let m = 1; m < n && same; m++) if (ld(p, i + 1 + m) != <u32>load<u16>(changetype<usize>(s) + (<usize>m << 1))) same = false;
    if (same) { refLen = n + 1; return <i32>unchecked(NAMED_CHARS[k]); }
  }
  return -3;
}

/** Folded text of p[s, e) and the way back to the original offsets. */
export class FoldMap {
  out: ByteBuilder = new ByteBuilder(256);
  /** Breakpoints: folded offset fpos[k] is original offset opos[k]; identity after it until fpos[k+1]. */
  fpos: Array<i32> = new Array<i32>();
  opos: Array<i32> = new Array<i32>();
  /** Folded offset of the original offset `mark` given to fold() (its first character at or after it). */
  markAt: i32 = 0;

  /** Original offset of folded offset f (0 <= f <= folded length). */
  toOrig(f: i32): i32 {
    const fp = this.fpos;
    let lo = 0, hi = fp.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (unchecked(fp[mid]) <= f) lo = mid; else hi = mid - 1;
    }
    return unchecked(this.opos[lo]) + (f - unchecked(fp[lo]));
  }

  @inline private brk(f: i32, o: i32): void {
    const n = this.fpos.length;
    if (n > 0 && unchecked(this.fpos[n - 1]) == f) { unchecked((this.opos[n - 1] = o)); return; }
    this.fpos.push(f);
    this.opos.push(o);
  }

  /**
   * Folds p[s, e). With `partial`, a character cut by `e` that could still fold is left out (its
   * bytes are undecided). `mark`: an original offset whose folded offset is wanted (markAt).
   */
  fold(src: Uint8Array, s: i32, e: i32, partial: bool, mark: i32): void {
    const p = src.dataStart;
    const out = this.out;
    out.reset();
    this.fpos.length = 0;
    this.opos.length = 0;
    this.brk(0, s);
    this.markAt = -1;
    let i = s;
    let runStart = s; // start of the pending identity run
    let cutAt = -1; // a character cut by e (partial): folded text ends before it
    while (i < e) {
      if (this.markAt < 0 && i >= mark) this.markAt = out.length + (i - runStart);
      const c = ld(p, i);
      let len = 0;
      let f = KEEP;
      if (c >= 0x80) {
        if (foldLead(c)) {
          const cp = cpAt(p, i, e);
          if (cp >= 0) { f = foldCodePoint(<u32>cp); len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }
          else if (partial && e - i < 4) {
            // Cut by the end: undecided, left out (the stream holds it back).
            if (partialFoldStart(p, i, e) == i) {
              flushRun(out, src, runStart, i);
              cutAt = i;
              runStart = i;
              break;
            }
          }
        }
      } else if (c == 0x25) {
        const b = percentAt(p, i, e);
        if (b >= 0) { f = b; len = 3; }
      } else if (c == 0x5c) {
        const b = escapeAt(p, i, e);
        if (b != -3) { f = b; len = 6; }
      } else if (c == 0x26) {
        const b = numericRefAt(p, i, e);
        if (b != -3) { f = b; len = refLen; }
      } else if (asciiControl(c)) { f = REMOVE; len = 1; }
      if (f == KEEP) { i++; continue; }
      flushRun(out, src, runStart, i);
      if (f != REMOVE) {
        this.brk(out.length, i);
        out.appendByte(<u8>f);
      }
      i += len;
      this.brk(out.length, i);
      runStart = i;
    }
    if (cutAt < 0) flushRun(out, src, runStart, i);
    if (this.markAt < 0) this.markAt = out.length;
    // A final breakpoint so that toOrig(length) is e (or the cut character's first byte).
    this.brk(out.length, cutAt >= 0 ? cutAt : e);
  }
}

@inline function flushRun(out: ByteBuilder, src: Uint8Array, a: i32, b: i32): void {
  if (b > a) out.appendSlice(src, a, b);
}
