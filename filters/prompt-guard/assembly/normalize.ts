// Text normalisation before scoring. The same algorithm as scripts/features.ts `normalize` (the
// trainer's), step for step; test/features-agree.test.ts checks both on every training row.
//   1. UTF-8 decoded (an invalid sequence → U+FFFD, one per bad byte);
//   1b. conjoining Hangul jamo and Cyrillic й/ё/ї/ў composed (compose);
//   2. invisible format characters (zero-width, bidi controls, variation selectors, tags, soft
//      hyphen) dropped: they split words without showing; and marks a word is read without
//      (combining diacritics, Hebrew points, Arabic vowel marks and tatweel);
//   3. compatibility forms folded (fullwidth, mathematical alphanumerics, circled/squared letters,
//      regional indicators, super/subscript digits): the NFKC cases used to dodge word filters;
//   4. lowercase (Latin, Greek, Cyrillic, Armenian), Latin-1, Latin Extended-A and Vietnamese
//      accents removed;
//   5. in a word that also holds Latin letters, Cyrillic/Greek look-alikes become Latin
//      ("іgnоre" with Cyrillic і/о reads "ignore"; Russian words keep their letters);
//   6. whitespace and control runs → one space.

import { patternBytes, LIST_LATIN_EXT_A_BASE_FIRST, LIST_ARABIC_FORMS_FIRST } from "./model/patterns";

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

// Latin-1 letters U+00C0..U+00FF without accents (0 = keep): see scripts/features.ts LATIN1_BASE.
const LATIN1_BASE: StaticArray<u8> = [
  0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x63, 0x65, 0x65, 0x65, 0x65, 0x69, 0x69, 0x69, 0x69,
  0x64, 0x6e, 0x6f, 0x6f, 0x6f, 0x6f, 0x6f, 0, 0x6f, 0x75, 0x75, 0x75, 0x75, 0x79, 0x74, 0x73,
  0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x63, 0x65, 0x65, 0x65, 0x65, 0x69, 0x69, 0x69, 0x69,
  0x64, 0x6e, 0x6f, 0x6f, 0x6f, 0x6f, 0x6f, 0, 0x6f, 0x75, 0x75, 0x75, 0x75, 0x79, 0x74, 0x79,
];

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

export function foldCompat(c: u32): u32 {
  if (c < 0xb2) return c;
  if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
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
  // Arabic presentation forms → the letter (patterns/letters.ts ARABIC_FORMS).
  if (c >= 0xfe80 && c <= 0xfef4) return 0x600 + <u32>load<u8>(ARABIC_FORMS + <usize>(c - 0xfe80));
  // Devanagari and Bengali letters with a nukta, precomposed → the letter (the nukta is dropped):
  // "नज़रअंदाज़" with U+095B scored 0.39, with ज + U+093C 1.0.
  if (c >= 0x958 && c <= 0x95f) return 0x900 + <u32>NUKTA_BASE.charCodeAt(c - 0x958);
  if (c == 0x9dc || c == 0x9dd) return c - 0x3b;
  if (c == 0x9df) return 0x9af;
  return c;
}

// The letter tables of patterns/letters.ts, read as the module's bytes (one ASCII byte per code point):
/** Latin Extended-A letters without their marks ("." keeps the letter), so NFD text, whose marks
 *  are dropped, reads as NFC does ("şifreyi"). */
const LATIN_EXT_A: usize = patternBytes(LIST_LATIN_EXT_A_BASE_FIRST);
/** Arabic presentation forms U+FE80..FEF4 → their letter less U+0600. */
const ARABIC_FORMS: usize = patternBytes(LIST_ARABIC_FORMS_FIRST);

/** Vietnamese letters without their marks, as Latin-1's lose theirs (scripts/features.ts
 *  vietnameseBase): ă ĩ ũ ơ ư đ and U+1EA0..1EF9 (ạ ả ấ … ỹ). In NFD these are a base letter and
 *  marks that are dropped, so NFD Vietnamese read differently from NFC and an injection passed
 *  (0.42 against 0.97). */
export function vietnameseBase(c: u32): u32 {
  if (c >= 0x1ea0 && c <= 0x1ef9) return c < 0x1eb8 ? 0x61 : c < 0x1ec8 ? 0x65 : c < 0x1ecc ? 0x69 : c < 0x1ee4 ? 0x6f : c < 0x1ef2 ? 0x75 : 0x79;
  if (c == 0x103) return 0x61;
  if (c == 0x129) return 0x69;
  if (c == 0x169 || c == 0x1b0 || c == 0x1af) return 0x75;
  if (c == 0x1a1 || c == 0x1a0) return 0x6f;
  if (c == 0x111) return 0x64;
  return c;
}

/** The canonical composite of `a` followed by `b`, or 0 (scripts/features.ts compose): conjoining
 *  Hangul jamo into syllables (Korean in NFD, each syllable spelled in jamo, scored 0.48 where its
 *  syllables scored 1.0), and the Cyrillic letters whose breve or diaeresis is part of the letter
 *  (й, ё, ї, ў): dropped as an accent, "игнорируй" in NFD would read "игнорируи". */
export function compose(a: u32, b: u32): u32 {
  if (b >= 0x1161 && b <= 0x1175 && a >= 0x1100 && a <= 0x1112) return 0xac00 + ((a - 0x1100) * 21 + (b - 0x1161)) * 28;
  if (b >= 0x11a8 && b <= 0x11c2 && a >= 0xac00 && a <= 0xd7a3 && (a - 0xac00) % 28 == 0) return a + b - 0x11a7;
  if (b == 0x306) return a == 0x438 ? 0x439 : a == 0x418 ? 0x419 : a == 0x443 ? 0x45e : a == 0x423 ? 0x40e : 0;
  if (b == 0x308) return a == 0x435 ? 0x451 : a == 0x415 ? 0x401 : a == 0x456 ? 0x457 : a == 0x406 ? 0x407 : 0;
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
    return (c & 1) == 0 ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2) return c + 32;
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
  const n = src.length;
  for (let i = 0; i < n; i++) {
    let c = src.at(i);
    // ASCII fast path (most text): the same steps without the Unicode tables.
    if (c < 0x80 && !hidden) {
      if (c >= 0x41 && c <= 0x5a) c += 32;
      if (c <= 0x20 || c == 0x7f) {
        if (wordStart >= 0) endWord(out, wordStart, wordHasLatin && wordHasConf, stats);
        wordStart = -1; wordHasLatin = false; wordHasConf = false;
        if (!space) { out.push(0x20); space = true; }
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
    c = lower(foldCompat(c));
    if (hidden) {
      hidden = false;
      if (stats !== null && isLatinLetter(c)) stats.hiddenInWords++;
    }
    if (c >= 0xc0 && c <= 0xff) {
      const b = <u32>unchecked(LATIN1_BASE[c - 0xc0]);
      if (b != 0) c = b;
    } else if (c >= 0x100 && c <= 0x17f && load<u8>(LATIN_EXT_A + <usize>(c - 0x100)) != 0x2e) c = <u32>load<u8>(LATIN_EXT_A + <usize>(c - 0x100));
    else if (c >= 0x100) c = vietnameseBase(c);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0x2028 || c == 0x2029 || (c >= 0x2000 && c <= 0x200a) || c == 0x3000) {
      if (wordStart >= 0) endWord(out, wordStart, wordHasLatin && wordHasConf, stats);
      wordStart = -1; wordHasLatin = false; wordHasConf = false;
      if (!space) { out.push(0x20); space = true; }
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
}

function endWord(out: CodePoints, start: i32, fold: bool, stats: NormalizeStats | null): void {
  if (!fold) return;
  if (stats !== null) stats.mixedWords++;
  for (let k = start; k < out.length; k++) {
    const m = confusableLatin(out.at(k));
    if (m != 0) unchecked(out.data[k] = m);
  }
}
