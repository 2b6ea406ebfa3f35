// Text normalisation before scoring. The same algorithm as scripts/features.ts `normalize` (the
// trainer's), step for step; test/features-agree.test.ts checks both on every training row.
//   1. UTF-8 decoded (an invalid sequence → U+FFFD, one per bad byte);
//   1b. what NFC composes where dropping the mark would change the letter: Hangul jamo, Cyrillic
//       й/ё/ї/ў, Greek tonos and dialytika, kana voicing, Arabic hamza/madda, Bengali two-part
//       vowels (compose);
//   2. invisible format characters (zero-width, bidi controls, variation selectors, tags, soft
//      hyphen) dropped: they split words without showing; and marks a word is read without
//      (combining diacritics, Hebrew points, Arabic vowel marks and tatweel);
//   3. compatibility forms folded (fullwidth, mathematical alphanumerics, circled/squared letters,
//      regional indicators, super/subscript digits): the NFKC cases used to dodge word filters;
//   4. lowercase (Latin, Greek, Cyrillic, Armenian); Latin and Cyrillic letters lose their marks,
//      polytonic Greek reads monotonic (letterBase), as their NFD spelling does once its marks are
//      dropped;
//   5. in a word that also holds Latin letters, Cyrillic/Greek look-alikes become Latin
//      ("іgnоre" with Cyrillic і/о reads "ignore"; Russian words keep their letters);
//   6. whitespace and control runs → one space;
//   7. three or more single letters each one whitespace character apart are one word ("i g n o r e"
//      reads "ignore"; a wider gap, a digit or a longer word ends the run), and so are three or more
//      joined by one of . - _ * / | + ~ ("i.g.n.o.r.e"): letter spacing is an old way around word
//      filters (LetterRuns, joinSeparated).

import { patternBytes, TABLE_LATIN_BASE_FIRST, TABLE_CYRILLIC_BASE_FIRST, TABLE_GREEK_EXTENDED_FIRST, TABLE_ARABIC_FORMS_FIRST,
  TABLE_HEBREW_FORMS_FIRST, TABLE_CJK_COMPAT_FIRST, TABLE_GREEK_ACUTE_FIRST, TABLE_GREEK_DIAERESIS_FIRST, TABLE_KANA_VOICED_FIRST,
  TABLE_KANA_SEMI_VOICED_FIRST, TABLE_LETTER_FORMS_FIRST } from "./model/patterns";

/** Growable code-point buffer, reused across calls. */
export class CodePoints {
  data: StaticArray<u32> = new StaticArray<u32>(256);
  length: i32 = 0;

  @inline push(c: u32): void {
    if (this.length == this.data.length) this.grow();
    unchecked(this.data[this.length++] = c);
  }

  grow(): void {
    const n = new StaticArray<u32>(this.data.length * 2);
    memory.copy(changetype<usize>(n), changetype<usize>(this.data), <usize>this.length << 2);
    this.data = n;
  }

  @inline at(i: i32): u32 { return unchecked(this.data[i]); }
  reset(): void { this.length = 0; }
}

/** Decodes UTF-8 src[s, e) into `out` (appending). Invalid bytes become U+FFFD each. */
export function decodeUtf8(src: Uint8Array, s: i32, e: i32, out: CodePoints): void {
  let i = s;
  const p = src.dataStart;
  while (i < e) {
    const b0 = <u32>load<u8>(p + <usize>i);
    if (b0 < 0x80) { out.push(b0); i++; continue; }
    let need = 0;
    let c: u32 = 0;
    let min: u32 = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) { need = 1; c = b0 & 0x1f; min = 0x80; }
    else if (b0 >= 0xe0 && b0 <= 0xef) { need = 2; c = b0 & 0x0f; min = 0x800; }
    else if (b0 >= 0xf0 && b0 <= 0xf4) { need = 3; c = b0 & 0x07; min = 0x10000; }
    else { out.push(0xfffd); i++; continue; }
    if (i + need >= e) { out.push(0xfffd); i++; continue; }
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const b = <u32>load<u8>(p + <usize>(i + k));
      if ((b & 0xc0) != 0x80) { ok = false; break; }
      c = (c << 6) | (b & 0x3f);
    }
    if (!ok || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) { out.push(0xfffd); i++; continue; }
    out.push(c);
    i += need + 1;
  }
}

export function isInvisible(c: u32): bool {
  return c == 0xad || c == 0x34f || c == 0x61c || c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5 ||
    (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) || c == 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff || c == 0xffa0 ||
    (c >= 0x1bca0 && c <= 0x1bca3) || (c >= 0xe0000 && c <= 0xe007f) || isDroppedMark(c);
}

/** Marks a word is still read without (scripts/features.ts isDroppedMark): combining diacritics and
 *  their extended blocks, Hebrew points, Arabic vowel and Quranic marks, the tatweel. */
export function isDroppedMark(c: u32): bool {
  return (c >= 0x300 && c <= 0x36f) || (c >= 0x591 && c <= 0x5bd) || c == 0x5bf || c == 0x5c1 || c == 0x5c2 || c == 0x5c4 || c == 0x5c5 ||
    c == 0x5c7 || (c >= 0x610 && c <= 0x61a) || c == 0x640 || (c >= 0x64b && c <= 0x65f) || c == 0x670 || (c >= 0x6d6 && c <= 0x6dc) ||
    (c >= 0x6df && c <= 0x6e4) || c == 0x6e7 || c == 0x6e8 || (c >= 0x6ea && c <= 0x6ed) || (c >= 0x1ab0 && c <= 0x1aff) ||
    c == 0x93c || c == 0x9bc || (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe20 && c <= 0xfe2f) || (c >= 0xfe70 && c <= 0xfe7f && c != 0xfe73);
}

/** Latin letter a Cyrillic/Greek look-alike stands for (0 = none). Same list as features.ts. */
export function confusableLatin(c: u32): u32 {
  if (c < 0x3b1 || c > 0x501) return 0;
  switch (c) {
    case 0x430: return 0x61; case 0x435: return 0x65; case 0x43e: return 0x6f; case 0x440: return 0x70;
    case 0x441: return 0x63; case 0x443: return 0x79; case 0x445: return 0x78; case 0x456: return 0x69;
    case 0x458: return 0x6a; case 0x455: return 0x73; case 0x501: return 0x64; case 0x43a: return 0x6b;
    case 0x43c: return 0x6d; case 0x43d: return 0x68; case 0x442: return 0x74; case 0x432: return 0x62;
    case 0x3bf: return 0x6f; case 0x3b1: return 0x61; case 0x3bd: return 0x76; case 0x3b9: return 0x69;
    case 0x3ba: return 0x6b; case 0x3c1: return 0x70; case 0x3c4: return 0x74; case 0x3c5: return 0x75;
    case 0x3c7: return 0x78; case 0x3b5: return 0x65; case 0x3b7: return 0x6e; case 0x3b2: return 0x62;
    case 0x3b6: return 0x7a; case 0x3bc: return 0x6d;
  }
  return 0;
}

/** Full-width forms U+FF01-FF5E stand for ASCII 0x21-0x7E, this far below. */
export const FULL_WIDTH_OFFSET: u32 = 0xfee0;
@inline export function isFullWidthForm(c: u32): bool { return c - 0xff01 <= 0x5d; }

export function foldCompat(c: u32): u32 {
  if (c < 0xb2) return c;
  if (isFullWidthForm(c)) return c - FULL_WIDTH_OFFSET;
  if (c == 0x3000) return 0x20;
  if (c >= 0x1d400 && c <= 0x1d6a3) {
    const k = (c - 0x1d400) % 52;
    return k < 26 ? 0x41 + k : 0x61 + k - 26;
  }
  if (c >= 0x1d7ce && c <= 0x1d7ff) return 0x30 + (c - 0x1d7ce) % 10;
  if (c >= 0x24b6 && c <= 0x24cf) return 0x61 + c - 0x24b6;
  if (c >= 0x24d0 && c <= 0x24e9) return 0x61 + c - 0x24d0;
  if (c >= 0x1f130 && c <= 0x1f149) return 0x61 + c - 0x1f130;
  if (c >= 0x1f150 && c <= 0x1f169) return 0x61 + c - 0x1f150;
  if (c >= 0x1f170 && c <= 0x1f189) return 0x61 + c - 0x1f170;
  if (c >= 0x1f1e6 && c <= 0x1f1ff) return 0x61 + c - 0x1f1e6;
  if (c >= 0x2070 && c <= 0x2079 && c != 0x2071 && c != 0x2072 && c != 0x2073) return 0x30 + c - 0x2070;
  if (c == 0xb9) return 0x31;
  if (c == 0xb2) return 0x32;
  if (c == 0xb3) return 0x33;
  if (c >= 0x2080 && c <= 0x2089) return 0x30 + c - 0x2080;
  // Small capitals, modifier and subscript letters → the letter (patterns/letters.ts LETTER_FORMS).
  const lf = c >= 0x250 && c <= 0x2ff ? c - 0x250 : c >= 0x1d00 && c <= 0x1dbf ? c - 0x1d00 + 0xb0 : c >= 0x2070 && c <= 0x209f ? c - 0x2070 + 0x170 : 0xffff;
  if (lf != 0xffff) { const l = <u32>load<u8>(LETTER_FORMS + <usize>lf); if (l != 0) return l; }
  if (c == 0xa730) return 0x66; // ꜰ
  if (c == 0xa731) return 0x73; // ꜱ
  if (c == 0xa7af) return 0x71; // ꞯ
  // Arabic presentation forms → the letter (patterns/letters.ts ARABIC_FORMS).
  if (c >= 0xfe80 && c <= 0xfef4) return 0x600 + <u32>load<u8>(ARABIC_FORMS + <usize>(c - 0xfe80));
  if (c >= 0xfb1d && c <= 0xfb4f) { const k = <u32>load<u8>(HEBREW_FORMS + <usize>(c - 0xfb1d)); return k == 0xff ? c : 0x5d0 + k; }
  // CJK compatibility ideographs → their unified ideograph (patterns/letters.ts CJK_COMPAT).
  if ((c >= 0xf900 && c <= 0xfad9) || (c >= 0x2f800 && c <= 0x2fa1d)) {
    // Two bytes an entry, then a bit an entry for the supplementary-plane targets (patterns/letters.ts).
    const k = <usize>(c <= 0xfad9 ? c - 0xf900 : 0xfad9 - 0xf900 + 1 + c - 0x2f800);
    const t = <u32>load<u8>(CJK_COMPAT + 2 * k) | (<u32>load<u8>(CJK_COMPAT + 2 * k + 1) << 8);
    if (t == 0) return c;
    return (<u32>load<u8>(CJK_COMPAT + 2 * CJK_COMPAT_ENTRIES + (k >> 3)) >> <u32>(k & 7)) & 1 ? t + 0x20000 : t;
  }
  // Devanagari and Bengali letters with a nukta, precomposed → the letter (the nukta is dropped):
  // "नज़रअंदाज़" with U+095B scored 0.39, with ज + U+093C 1.0.
  if (c >= 0x958 && c <= 0x95f) return 0x900 + <u32>NUKTA_BASE.charCodeAt(c - 0x958);
  if (c == 0x929 || c == 0x931 || c == 0x934) return c - 1;
  if (c == 0x9dc || c == 0x9dd) return c - 0x3b;
  if (c == 0x9df) return 0x9af;
  // Persian yeh and keheh look like Arabic yeh and kaf (inside a word, identical).
  if (c == 0x6cc) return 0x64a;
  if (c == 0x6a9) return 0x643;
  // Canonical singletons NFD replaces: Kelvin, Ohm and Angstrom signs ("K" is a Latin look-alike),
  // Greek question mark, ano teleia, numeral sign, dialytika tonos.
  if (c >= 0x2126 && c <= 0x212b) return c == 0x2126 ? 0x3a9 : c == 0x212a ? 0x4b : c == 0x212b ? 0xc5 : c;
  if (c >= 0x374 && c <= 0x387) return c == 0x37e ? 0x3b : c == 0x387 ? 0xb7 : c == 0x374 ? 0x2b9 : c == 0x385 ? 0xa8 : c;
  return c;
}

// The letter tables of patterns/letters.ts (derived from Unicode's decompositions there), read as
// the module's bytes, one byte per code point.
const LATIN_BASE: usize = patternBytes(TABLE_LATIN_BASE_FIRST);
const CYRILLIC_BASE: usize = patternBytes(TABLE_CYRILLIC_BASE_FIRST);
const GREEK_EXTENDED: usize = patternBytes(TABLE_GREEK_EXTENDED_FIRST);
/** Arabic presentation forms U+FE80..FEF4 → their letter less U+0600. */
const ARABIC_FORMS: usize = patternBytes(TABLE_ARABIC_FORMS_FIRST);
/** Hebrew presentation forms U+FB1D..FB4F → their letter less U+05D0 (0xFF: keep). */
const HEBREW_FORMS: usize = patternBytes(TABLE_HEBREW_FORMS_FIRST);
/** CJK compatibility ideographs → their unified ideograph, 3 bytes each (0: keep). */
const CJK_COMPAT_ENTRIES: usize = 0xfad9 - 0xf900 + 1 + 0x2fa1d - 0x2f800 + 1;
const CJK_COMPAT: usize = patternBytes(TABLE_CJK_COMPAT_FIRST);
// What compose() joins Greek letters and kana into, with their marks (0: nothing).
const GREEK_ACUTE: usize = patternBytes(TABLE_GREEK_ACUTE_FIRST);
const GREEK_DIAERESIS: usize = patternBytes(TABLE_GREEK_DIAERESIS_FIRST);
const KANA_VOICED: usize = patternBytes(TABLE_KANA_VOICED_FIRST);
const KANA_SEMI_VOICED: usize = patternBytes(TABLE_KANA_SEMI_VOICED_FIRST);
const LETTER_FORMS: usize = patternBytes(TABLE_LETTER_FORMS_FIRST);

/** A lowercase Latin or Cyrillic letter without its marks, a polytonic Greek letter as its
 *  monotonic one (scripts/features.ts letterBase): as NFD text reads once its marks are dropped
 *  ("şifreyi"; NFD Vietnamese scored 0.42 against 0.97). Any other `c` unchanged. */
export function letterBase(c: u32): u32 {
  if (c >= 0xc0 && c <= 0x24f) {
    const b = <u32>load<u8>(LATIN_BASE + <usize>(c - 0xc0));
    return b == 0x2e ? c : b;
  }
  if (c >= 0x400 && c <= 0x4ff) {
    const b = <u32>load<u8>(CYRILLIC_BASE + <usize>(c - 0x400));
    return b == 0 ? c : 0x400 + b;
  }
  if (c >= 0x1f00 && c <= 0x1fff) {
    const b = <u32>load<u8>(GREEK_EXTENDED + <usize>(c - 0x1f00));
    return b == 0 ? c : 0x300 + b;
  }
  if (c >= 0x1e00 && c <= 0x1eff) {
    const b = <u32>load<u8>(LATIN_BASE + <usize>(0x190 + c - 0x1e00));
    return b == 0x2e ? c : b;
  }
  return c;
}

/** The canonical composite of `a` followed by `b`, or 0 (scripts/features.ts compose): what NFC
 *  composes where dropping `b` as a mark would change the letter. Hangul jamo into syllables
 *  (Korean in NFD scored 0.48 where its syllables scored 1.0); Cyrillic й, ё, ї, ў ("игнорируй"
 *  would read "игнорируи"); Greek vowels with tonos or dialytika (NFD Greek 0.50 against 1.0) and
 *  voiced kana (か + ゛ → が: "パスワード"), from patterns/letters.ts tables; Arabic hamza and madda
 *  (ا + ٔ → أ); Bengali two-part vowel signs; Thai and Lao sara am. */
export function compose(a: u32, b: u32): u32 {
  if (b >= 0x1161 && b <= 0x1175 && a >= 0x1100 && a <= 0x1112) return 0xac00 + ((a - 0x1100) * 21 + (b - 0x1161)) * 28;
  if (b >= 0x11a8 && b <= 0x11c2 && a >= 0xac00 && a <= 0xd7a3 && (a - 0xac00) % 28 == 0) return a + b - 0x11a7;
  if (b == 0x306) return a == 0x438 ? 0x439 : a == 0x418 ? 0x419 : a == 0x443 ? 0x45e : a == 0x423 ? 0x40e : 0;
  if ((b == 0x301 || b == 0x308) && a >= 0x370 && a <= 0x3ff) {
    const k = <u32>load<u8>((b == 0x301 ? GREEK_ACUTE : GREEK_DIAERESIS) + <usize>(a - 0x370));
    return k == 0 ? 0 : 0x300 + k;
  }
  if (b == 0x308) return a == 0x435 ? 0x451 : a == 0x415 ? 0x401 : a == 0x456 || a == 0x406 ? a + 1 : 0;
  if ((b == 0x3099 || b == 0x309a) && a >= 0x3040 && a <= 0x30ff) {
    const k = <u32>load<u8>((b == 0x3099 ? KANA_VOICED : KANA_SEMI_VOICED) + <usize>(a - 0x3040));
    return k == 0 ? 0 : 0x3000 + k;
  }
  if (b >= 0x653 && b <= 0x655) {
    if (a == 0x627) return b == 0x653 ? 0x622 : b == 0x654 ? 0x623 : 0x625;
    if (b != 0x654) return 0;
    return a == 0x648 ? 0x624 : a == 0x64a ? 0x626 : a == 0x6d5 ? 0x6c0 : a == 0x6c1 ? 0x6c2 : a == 0x6d2 ? 0x6d3 : 0;
  }
  if (a == 0x9c7) return b == 0x9be ? 0x9cb : b == 0x9d7 ? 0x9cc : 0;
  // Thai and Lao sara am written as nikhahit + sara aa (NFKC's spelling of it): "คําสั่ง" is "คำสั่ง".
  if (b == 0xe32 || b == 0xeb2) return a == b + 0x1b ? b + 1 : 0;
  return 0;
}

/** The quote that closes one opened by `c` (straight, curly, guillemets, corner brackets); 0 if `c`
 *  opens none. The checks that read a quoted fragment or a dictated utterance share it. */
export function closingQuote(c: u32): u32 {
  if (c == 0x22 || c == 0x27) return c;
  if (c == 0x201c) return 0x201d;
  if (c == 0x2018) return 0x2019;
  if (c == 0xab) return 0xbb;
  if (c == 0x300c) return 0x300d;
  return 0;
}

/** U+0958..095F without their nukta, less 0x900: क ख ग ज ड ढ फ य. */
const NUKTA_BASE = "\x15\x16\x17\x1c\x21\x22\x2b\x2f";


export function lower(c: u32): u32 {
  if (c >= 0x41 && c <= 0x5a) return c + 32;
  if (c < 0xc0) return c;
  if (c <= 0xde && c != 0xd7) return c + 32;
  if (c >= 0x100 && c <= 0x17f) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return (c & 1) == 1 ? c + 1 : c;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17f) return c;
    if (c == 0x178) return 0xff;
    return (c & 1) == 0 ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3ab && c != 0x3a2) return c + 32;
  if (c >= 0x386 && c <= 0x38f) return c == 0x386 ? 0x3ac : c == 0x38c ? 0x3cc : c >= 0x38e ? c + 63 : c >= 0x388 ? c + 37 : c;
  if (c >= 0x410 && c <= 0x42f) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  if (c >= 0x531 && c <= 0x556) return c + 48;
  return c;
}

export function isWordChar(c: u32): bool {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  if (c < 0xc0) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xfe30 && c <= 0xfe4f) return false;
  if (c >= 0x1f000 && c <= 0x1faff) return false;
  if (c == 0xfffd) return false;
  return true;
}

/** Sentence punctuation of scripts isWordChar counts as word characters (Arabic ، ؛ ؟ ۔,
 *  Devanagari/Bengali danda । ॥, Armenian ։, Ethiopic ። ፣, Myanmar ၊ ။, Khmer ។ ៕, Greek ;·). The
 *  model was trained with them inside words ("बताओ।"; splitting them off lowered grouped-CV recall,
 *  44.5% → 43.2%), so only the rule-only cue lookup strips them (features.ts). */
export function isScriptPunctuation(c: u32): bool {
  return c == 0x60c || c == 0x61b || c == 0x61f || c == 0x6d4 || c == 0x964 || c == 0x965 || c == 0x589 ||
    c == 0x1361 || c == 0x1362 || c == 0x1363 || c == 0x104a || c == 0x104b || c == 0x17d4 || c == 0x17d5 ||
    c == 0x37e || c == 0x387;
}

export function isIdeographic(c: u32): bool {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff);
}

/** Thai, Lao, Myanmar, Khmer: written without spaces between words (scripts/features.ts). */
export function isUnsegmented(c: u32): bool {
  return (c >= 0xe00 && c <= 0xeff) || (c >= 0x1000 && c <= 0x109f) || (c >= 0x1780 && c <= 0x17ff);
}

export function isLatinLetter(c: u32): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7);
}

/** What normalisation removed or folded (the obfuscation heuristics read it). */
export class NormalizeStats {
  /** Words holding Latin letters and Cyrillic/Greek look-alikes. */
  mixedWords: i32 = 0;
  /** Invisible characters dropped between two Latin letters. */
  hiddenInWords: i32 = 0;
  reset(): void { this.mixedWords = 0; this.hiddenInWords = 0; }
}

/** Normalises code points src[0, n) into `out` (reset first). */
export function normalizeInto(src: CodePoints, out: CodePoints, stats: NormalizeStats | null = null): void {
  out.reset();
  if (stats !== null) stats.reset();
  let hidden = false;
  let space = true;
  let wordStart = -1;
  let wordHasLatin = false;
  let wordHasConf = false;
  const runs = letterRuns;
  runs.reset();
  const n = src.length;
  for (let i = 0; i < n; i++) {
    let c = src.at(i);
    // ASCII fast path (most text): the same steps without the Unicode tables.
    if (c < 0x80 && !hidden) {
      if (c >= 0x41 && c <= 0x5a) c += 32;
      if (c <= 0x20 || c == 0x7f) {
        if (wordStart >= 0) endWord(out, wordStart, wordHasLatin && wordHasConf, stats);
        wordStart = -1; wordHasLatin = false; wordHasConf = false;
        if (!space) { runs.tokenEnd(out, true); out.push(0x20); space = true; runs.tokenStart = out.length; }
        else runs.separatorSingle = false;
        continue;
      }
      space = false;
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
        if (wordStart < 0) wordStart = out.length;
        if (c >= 0x61) wordHasLatin = true;
      } else if (wordStart >= 0) {
        endWord(out, wordStart, wordHasLatin && wordHasConf, stats);
        wordStart = -1; wordHasLatin = false; wordHasConf = false;
      }
      out.push(c);
      continue;
    }
    // Canonical composition the dropped marks would otherwise break (compose()).
    while (i + 1 < n) {
      const k = compose(c, src.at(i + 1));
      if (k == 0) break;
      c = k;
      i++;
    }
    if (isInvisible(c)) {
      // ZWJ/ZWNJ are part of Indic, Arabic and emoji spelling: only Latin words count.
      if (!isDroppedMark(c) && out.length > 0 && isLatinLetter(out.at(out.length - 1))) hidden = true;
      continue;
    }
    // A lam-alef ligature is two letters: the lam here, the alef below.
    if (c >= 0xfef5 && c <= 0xfefc) {
      if (wordStart < 0) wordStart = out.length;
      out.push(0x644);
      space = false;
      c = (c - 0xfef5) >> 1 == 3 ? 0x627 : (c - 0xfef5) >> 1 == 2 ? 0x625 : 0x622 + ((c - 0xfef5) >> 1);
    }
    c = lower(foldCompat(c));
    if (hidden) {
      hidden = false;
      if (stats !== null && isLatinLetter(c)) stats.hiddenInWords++;
    }
    c = letterBase(c);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0x2028 || c == 0x2029 || (c >= 0x2000 && c <= 0x200a) || c == 0x3000) {
      if (wordStart >= 0) endWord(out, wordStart, wordHasLatin && wordHasConf, stats);
      wordStart = -1; wordHasLatin = false; wordHasConf = false;
      if (!space) { runs.tokenEnd(out, true); out.push(0x20); space = true; runs.tokenStart = out.length; }
      else runs.separatorSingle = false;
      continue;
    }
    space = false;
    if (isWordChar(c) && !isIdeographic(c)) {
      if (wordStart < 0) wordStart = out.length;
      if (isLatinLetter(c)) wordHasLatin = true;
      else if (confusableLatin(c) != 0) wordHasConf = true;
    } else {
      if (wordStart >= 0) endWord(out, wordStart, wordHasLatin && wordHasConf, stats);
      wordStart = -1; wordHasLatin = false; wordHasConf = false;
    }
    out.push(c);
  }
  if (wordStart >= 0) endWord(out, wordStart, wordHasLatin && wordHasConf, stats);
  if (!space) runs.tokenEnd(out, false);
  runs.finish(out);
}

/**
 * Step 7: runs of single letters one plain space apart, joined ("I g n o r e" → "ignore"). Called
 * where a whitespace-delimited token of `out` ends; a run is joined once it has ended and holds three
 * letters or more. A token is a single letter (not a digit, not Han/kana: those are a word each
 * anyway), optionally with a clause mark or a closing quote or bracket after it, which ends the run
 * ("… o r e." → "ore."), or an opening one before it, which starts a run ('"P W N E D"' → '"pwned"').
 */
class LetterRuns {
  /** Where the current token starts in `out`. */
  tokenStart: i32 = 0;
  /** Whether the whitespace before the current token was one character (a space, a tab, U+00A0…). */
  separatorSingle: bool = false;
  private count: i32 = 0;
  private start: i32 = 0;
  private end: i32 = 0;

  reset(): void { this.tokenStart = 0; this.separatorSingle = false; this.count = 0; }

  /** The token out[tokenStart, length) ended (a separated one is joined first: joinSeparated);
   *  `nextSingle`: whitespace follows it (one character so far). */
  tokenEnd(out: CodePoints, nextSingle: bool): void {
    joinSeparated(out, this.tokenStart);
    const s = this.tokenStart, len = out.length - s;
    // A quote or bracket may open the run's first letter ("P W N E D" in quotes) or close its last.
    const lead = len == 2 && isQuote(out.at(s));
    const c = len > 0 ? out.at(lead ? s + 1 : s) : 0;
    const mark = len == 2 && !lead && (isClauseMark(out.at(s + 1)) || isQuote(out.at(s + 1)));
    const single = (len == 1 || lead || mark) && joinsRun(c);
    if (single && !lead && this.count > 0 && this.separatorSingle) this.count++;
    else {
      this.finish(out); // may shift this token
      this.count = single ? 1 : 0;
      this.start = this.tokenStart;
    }
    if (single) this.end = out.length;
    if (single && mark) { this.finish(out); this.count = 0; }
    this.separatorSingle = nextSingle;
  }

  /** Joins the run out[start, end) if it holds three letters or more, shifting what follows. */
  finish(out: CodePoints): void {
    if (this.count < 3) { this.count = 0; return; }
    const d = out.data;
    let w = this.start;
    for (let r = this.start; r < this.end; r++) {
      const c = unchecked(d[r]);
      if (c != 0x20) unchecked(d[w++] = c);
    }
    const shift = this.end - w;
    for (let r = this.end; r < out.length; r++) unchecked(d[r - shift] = unchecked(d[r]));
    out.length -= shift;
    this.tokenStart -= shift;
    this.count = 0;
  }
}
const letterRuns = new LetterRuns();

/**
 * A token out[s, length) of three or more single letters joined by one separator ("i.g.n.o.r.e",
 * "i-g-n-o-r-e", "i_g_n_o_r_e", a trailing one kept: "o.r.e." → "ore."), written as the word.
 */
function joinSeparated(out: CodePoints, s: i32): void {
  let m = out.length - s;
  if (m < 5) return;
  const sep = out.at(s + 1);
  if (!(sep == 0x2e || sep == 0x2d || sep == 0x5f || sep == 0x2a || sep == 0x2f || sep == 0x7c || sep == 0x2b || sep == 0x7e)) return;
  const trailing = out.at(s + m - 1) == sep;
  if (trailing) m--;
  if ((m & 1) == 0) return;
  for (let k = 0; k < m; k++) {
    const c = out.at(s + k);
    if ((k & 1) == 0 ? !joinsRun(c) : c != sep) return;
  }
  const d = out.data;
  let w = s;
  for (let k = 0; k < m; k += 2) unchecked(d[w++] = unchecked(d[s + k]));
  if (trailing) unchecked(d[w++] = sep);
  out.length = w;
}

/** A letter a spaced-out word is spelled with: a word character, not a digit, not Han/kana. */
@inline function joinsRun(c: u32): bool { return isWordChar(c) && !(c >= 0x30 && c <= 0x39) && !isIdeographic(c); }

/** " ' ` ( ) [ ] « » “ ” ‘ ’: they may stand next to a spaced-out run's first or last letter. */
@inline function isQuote(c: u32): bool {
  return c == 0x22 || c == 0x27 || c == 0x60 || c == 0x28 || c == 0x29 || c == 0x5b || c == 0x5d || c == 0xab || c == 0xbb || c == 0x201c || c == 0x201d || c == 0x2018 || c == 0x2019;
}

/** . , ; : ! ? (asks.ts reads plain text's clauses with it too) */
@inline export function isClauseMark(c: u32): bool { return c == 0x2e || c == 0x2c || c == 0x3b || c == 0x3a || c == 0x21 || c == 0x3f; }

function endWord(out: CodePoints, start: i32, fold: bool, stats: NormalizeStats | null): void {
  if (!fold) return;
  if (stats !== null) stats.mixedWords++;
  for (let k = start; k < out.length; k++) {
    const m = confusableLatin(out.at(k));
    if (m != 0) unchecked(out.data[k] = m);
  }
}
