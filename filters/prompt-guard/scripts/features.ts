// Reference (Node) implementation of prompt-guard's text normalisation and feature hashing. The
// trainer uses it; assembly/normalize.ts and assembly/features.ts are the same algorithm in
// AssemblyScript, and test/features-agree.test.ts checks that both give the same feature list and
// the same score for every training row (so what the model was trained on is what the filter sees).
//
import { ARABIC_FORMS, GREEK_ACUTE, GREEK_DIAERESIS, KANA_VOICED, KANA_SEMI_VOICED, CJK_COMPAT, cjkCompatTarget, CJK_COMPAT_FIRST, CJK_COMPAT_LAST, CJK_COMPAT_SUPPLEMENT_FIRST, CJK_COMPAT_SUPPLEMENT_LAST, CYRILLIC_BASE, GREEK_EXTENDED, HEBREW_FORMS, LATIN_BASE, LATIN_BASE_ADDITIONAL, LATIN_BASE_FIRST, LETTER_FORMS } from "../patterns/letters.ts";
import { CONCEPTS, LEXICON, RULE_CONCEPTS, RULE_LEXICON } from "./lexicon.ts";
import { SCRAMBLED_CUES } from "../patterns/smuggling.ts";

/** The ignore concept's id, and the rule-only negations (lexicon.ts `negation`, `negation_after`). */
const C_IGNORE = 1;
/** The secret and new concepts (lexicon.ts CONCEPTS order, 1-based): their pair is no feature. */
const C_SECRET = 1 + CONCEPTS.indexOf("secret");
const C_NEW = 1 + CONCEPTS.indexOf("new");
const RULE_NEGATION = 18;
const RULE_NEGATION_AFTER = 19;
/** lexicon.ts `self`: a first-person subject or perfect auxiliary before an ignore word. */
const RULE_SELF = CONCEPTS.length + 1 + RULE_CONCEPTS.indexOf("self");
/** lexicon.ts `my`: a first-person possessive in the two words after an ignore word. */
const RULE_MY = CONCEPTS.length + 1 + RULE_CONCEPTS.indexOf("my");
const RULE_ARTIFACT = CONCEPTS.length + 1 + RULE_CONCEPTS.indexOf("artifact");
const RULE_EVERYTHING = CONCEPTS.length + 1 + RULE_CONCEPTS.indexOf("everything");
/** lexicon.ts `past_after`: a Han/kana past-tense mark right after a forget word. */
const RULE_PAST_AFTER = CONCEPTS.length + 1 + RULE_CONCEPTS.indexOf("past_after");
/** Concept ids above this are rule-only (lexicon.ts RULE_CONCEPTS): no model feature. */
export const MODEL_CONCEPTS = CONCEPTS.length;

// Keep every step here and there in the same order; change both or neither.

/** Number of hashed feature buckets (weights table size). Power of two. 2^15 int4 weights are
 *  16 KiB: 2^16 (12 epochs) gave grouped CV 44.9%, 2^15 (16 epochs) 44.4%, and the 16 KiB saved keep
 *  the module under 256 KiB with the newer heuristics. */
export const BUCKET_BITS = 15;
export const BUCKETS = 1 << BUCKET_BITS;

// Feature families hash with different seeds so a word and a char n-gram never share a bucket by
// construction (they may still collide by chance, as any hashed feature).
export const SEED_CHAR3 = 0x3a1;
export const SEED_CHAR4 = 0x4b2;
export const SEED_CHAR5 = 0x5c3;
export const SEED_WORD1 = 0x6d4;
export const SEED_WORD2 = 0x7e5;

/** Code points dropped before anything else: invisible format characters used to split words,
 *  and the marks of isDroppedMark. */
export function isInvisible(c: number): boolean {
  return c == 0xad || c == 0x34f || c == 0x61c || c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5 ||
    (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) || c == 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff || c == 0xffa0 ||
    (c >= 0x1bca0 && c <= 0x1bca3) || (c >= 0xe0000 && c <= 0xe007f) || isDroppedMark(c);
}

/** Marks a word is still read without: combining diacritics (U+0300-036F and their extended,
 *  supplement, symbol and half-mark blocks), Hebrew points, Arabic vowel and Quranic marks, and the
 *  tatweel (U+0640) that only stretches a word. Put on every letter they hid an Arabic injection
 *  ("تَجَاهَلَ…" scored 0.47, the bare text 1.0). */
export function isDroppedMark(c: number): boolean {
  return (c >= 0x300 && c <= 0x36f) || (c >= 0x591 && c <= 0x5bd) || c == 0x5bf || c == 0x5c1 || c == 0x5c2 || c == 0x5c4 || c == 0x5c5 ||
    c == 0x5c7 || (c >= 0x610 && c <= 0x61a) || c == 0x640 || (c >= 0x64b && c <= 0x65f) || c == 0x670 || (c >= 0x6d6 && c <= 0x6dc) ||
    (c >= 0x6df && c <= 0x6e4) || c == 0x6e7 || c == 0x6e8 || (c >= 0x6ea && c <= 0x6ed) || (c >= 0x1ab0 && c <= 0x1aff) ||
    c == 0x93c || c == 0x9bc || (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe20 && c <= 0xfe2f) ||
    (c >= 0xfe70 && c <= 0xfe7f && c != 0xfe73); // Arabic vowel marks' presentation forms
}

/** The canonical composite of `a` followed by `b`, or 0: what NFC composes where dropping `b` as
 *  a mark would change the letter. Conjoining Hangul jamo into syllables; the Cyrillic letters
 *  whose breve or diaeresis is part of the letter (й, ё, ї, ў); Greek vowels with their tonos or
 *  dialytika and kana with their (semi-)voiced mark (patterns/letters.ts tables: か + ゛ → が);
 *  Arabic letters with a hamza or madda above or below (ا + ٔ → أ); Bengali two-part vowel signs
 *  (ে + া → ো); Thai and Lao sara am (ํ + า → ำ). Each scored lower in NFD than in NFC (Greek 0.50 against 1.0). */
export function compose(a: number, b: number): number {
  if (b >= 0x1161 && b <= 0x1175 && a >= 0x1100 && a <= 0x1112) return 0xac00 + ((a - 0x1100) * 21 + (b - 0x1161)) * 28;
  if (b >= 0x11a8 && b <= 0x11c2 && a >= 0xac00 && a <= 0xd7a3 && (a - 0xac00) % 28 == 0) return a + b - 0x11a7;
  if (b == 0x306) return a == 0x438 ? 0x439 : a == 0x418 ? 0x419 : a == 0x443 ? 0x45e : a == 0x423 ? 0x40e : 0;
  if ((b == 0x301 || b == 0x308) && a >= 0x370 && a <= 0x3ff) {
    const k = (b == 0x301 ? GREEK_ACUTE : GREEK_DIAERESIS).charCodeAt(a - 0x370);
    return k == 0 ? 0 : 0x300 + k;
  }
  if (b == 0x308) return a == 0x435 ? 0x451 : a == 0x415 ? 0x401 : a == 0x456 || a == 0x406 ? a + 1 : 0;
  if ((b == 0x3099 || b == 0x309a) && a >= 0x3040 && a <= 0x30ff) {
    const k = (b == 0x3099 ? KANA_VOICED : KANA_SEMI_VOICED).charCodeAt(a - 0x3040);
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

/** The alefs of the lam-alef ligatures U+FEF5..FEFC (two forms each): madda, hamza above, hamza
 *  below, bare. */
const LAM_ALEF = [0x622, 0x623, 0x625, 0x627];

/** A lowercase Latin or Cyrillic letter without its marks (patterns/letters.ts LATIN_BASE,
 *  CYRILLIC_BASE), a polytonic Greek letter as its monotonic one (GREEK_EXTENDED): as NFD text
 *  reads once its marks are dropped. Any other `c` unchanged. */
export function letterBase(c: number): number {
  if (c >= LATIN_BASE_FIRST && c <= 0x24f) {
    const b = LATIN_BASE.charCodeAt(c - LATIN_BASE_FIRST);
    return b == 0x2e ? c : b;
  }
  if (c >= 0x400 && c <= 0x4ff) {
    const b = CYRILLIC_BASE.charCodeAt(c - 0x400);
    return b == 0 ? c : 0x400 + b;
  }
  if (c >= 0x1f00 && c <= 0x1fff) {
    const b = GREEK_EXTENDED.charCodeAt(c - 0x1f00);
    return b == 0 ? c : 0x300 + b;
  }
  if (c >= LATIN_BASE_ADDITIONAL && c <= 0x1eff) {
    const b = LATIN_BASE.charCodeAt(0x24f - LATIN_BASE_FIRST + 1 + c - LATIN_BASE_ADDITIONAL);
    return b == 0x2e ? c : b;
  }
  return c;
}

// Cyrillic and Greek letters that look like Latin ones (lowercase after folding); folded only
// inside a word that also holds Latin letters, so Russian or Greek text keeps its own letters.
const CONFUSABLES: Array<[number, number]> = [
  [0x430, 0x61], [0x435, 0x65], [0x43e, 0x6f], [0x440, 0x70], [0x441, 0x63], [0x443, 0x79], [0x445, 0x78],
  [0x456, 0x69], [0x458, 0x6a], [0x455, 0x73], [0x501, 0x64], [0x43a, 0x6b], [0x43c, 0x6d], [0x43d, 0x68],
  [0x442, 0x74], [0x432, 0x62], [0x3bf, 0x6f], [0x3b1, 0x61], [0x3bd, 0x76], [0x3b9, 0x69], [0x3ba, 0x6b],
  [0x3c1, 0x70], [0x3c4, 0x74], [0x3c5, 0x75], [0x3c7, 0x78], [0x3b5, 0x65], [0x3b7, 0x6e], [0x3b2, 0x62],
  [0x3b6, 0x7a], [0x3bc, 0x6d],
];
const CONFUSABLE_MAP = new Map<number, number>(CONFUSABLES);
export function confusableLatin(c: number): number { return CONFUSABLE_MAP.get(c) ?? 0; }

/** Compatibility folding of the forms used to dodge filters (NFKC-like, only these ranges). */
export function foldCompat(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0; // fullwidth ASCII
  if (c == 0x3000) return 0x20;
  if (c >= 0x1d400 && c <= 0x1d6a3) { // mathematical alphanumeric letters: 52 per style
    const k = (c - 0x1d400) % 52;
    return k < 26 ? 0x41 + k : 0x61 + k - 26;
  }
  if (c >= 0x1d7ce && c <= 0x1d7ff) return 0x30 + (c - 0x1d7ce) % 10; // mathematical digits
  if (c >= 0x24b6 && c <= 0x24cf) return 0x61 + c - 0x24b6; // circled capitals
  if (c >= 0x24d0 && c <= 0x24e9) return 0x61 + c - 0x24d0; // circled small letters
  if (c >= 0x1f130 && c <= 0x1f149) return 0x61 + c - 0x1f130; // squared
  if (c >= 0x1f150 && c <= 0x1f169) return 0x61 + c - 0x1f150; // negative circled
  if (c >= 0x1f170 && c <= 0x1f189) return 0x61 + c - 0x1f170; // negative squared
  if (c >= 0x1f1e6 && c <= 0x1f1ff) return 0x61 + c - 0x1f1e6; // regional indicators
  if (c >= 0x2070 && c <= 0x2079 && c != 0x2071 && c != 0x2072 && c != 0x2073) return 0x30 + c - 0x2070; // superscript digits
  if (c == 0xb9) return 0x31;
  if (c == 0xb2) return 0x32;
  if (c == 0xb3) return 0x33;
  if (c >= 0x2080 && c <= 0x2089) return 0x30 + c - 0x2080; // subscript digits
  // Small capitals, modifier and subscript letters (patterns/letters.ts LETTER_FORMS).
  const lf = c >= 0x250 && c <= 0x2ff ? c - 0x250 : c >= 0x1d00 && c <= 0x1dbf ? c - 0x1d00 + 0xb0 : c >= 0x2070 && c <= 0x209f ? c - 0x2070 + 0x170 : -1;
  if (lf >= 0 && LETTER_FORMS.charCodeAt(lf) != 0) return LETTER_FORMS.charCodeAt(lf);
  if (c == 0xa730) return 0x66; // ꜰ
  if (c == 0xa731) return 0x73; // ꜱ
  if (c == 0xa7af) return 0x71; // ꞯ
  if (c >= 0xfe80 && c <= 0xfef4) return 0x600 + ARABIC_FORMS.charCodeAt(c - 0xfe80); // presentation forms
  if (c >= 0xfb1d && c <= 0xfb4f) { const k = HEBREW_FORMS.charCodeAt(c - 0xfb1d); return k == 0xff ? c : 0x5d0 + k; }
  if ((c >= CJK_COMPAT_FIRST && c <= CJK_COMPAT_LAST) || (c >= CJK_COMPAT_SUPPLEMENT_FIRST && c <= CJK_COMPAT_SUPPLEMENT_LAST)) {
    const k = c <= CJK_COMPAT_LAST ? c - CJK_COMPAT_FIRST : CJK_COMPAT_LAST - CJK_COMPAT_FIRST + 1 + c - CJK_COMPAT_SUPPLEMENT_FIRST;
    const t = cjkCompatTarget(CJK_COMPAT, k);
    return t == 0 ? c : t;
  }
  if (c >= 0x958 && c <= 0x95f) return 0x900 + [0x15, 0x16, 0x17, 0x1c, 0x21, 0x22, 0x2b, 0x2f][c - 0x958]; // nukta letters
  if (c == 0x929 || c == 0x931 || c == 0x934) return c - 1;
  if (c == 0x9dc || c == 0x9dd) return c - 0x3b;
  if (c == 0x9df) return 0x9af;
  // Persian yeh and keheh look like Arabic yeh and kaf (inside a word, identical).
  if (c == 0x6cc) return 0x64a;
  if (c == 0x6a9) return 0x643;
  // Canonical singletons NFD replaces: Kelvin, Ohm and Angstrom signs, Greek question mark, ano
  // teleia, numeral sign, dialytika tonos.
  if (c >= 0x2126 && c <= 0x212b) return c == 0x2126 ? 0x3a9 : c == 0x212a ? 0x4b : c == 0x212b ? 0xc5 : c;
  if (c >= 0x374 && c <= 0x387) return c == 0x37e ? 0x3b : c == 0x387 ? 0xb7 : c == 0x374 ? 0x2b9 : c == 0x385 ? 0xa8 : c;
  return c;
}

/** Simple lowercase for the scripts that have case (Latin, Greek, Cyrillic, Armenian). */
export function lower(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c + 32;
  if (c < 0xc0) return c;
  if (c <= 0xde && c != 0xd7) return c + 32;
  if (c >= 0x100 && c <= 0x17f) {
    // Latin Extended-A: pairs (even upper, odd lower) except the 0x139..0x148 and 0x179..0x17e runs.
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return (c & 1) == 1 ? c + 1 : c;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17f) return c;
    if (c == 0x178) return 0xff; // Ÿ
    return (c & 1) == 0 ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3ab && c != 0x3a2) return c + 32;
  if (c >= 0x386 && c <= 0x38f) return c == 0x386 ? 0x3ac : c == 0x38c ? 0x3cc : c >= 0x38e ? c + 63 : c >= 0x388 ? c + 37 : c; // Ά Έ Ή Ί Ό Ύ Ώ
  if (c >= 0x410 && c <= 0x42f) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  if (c >= 0x531 && c <= 0x556) return c + 48;
  return c;
}

/** Whether a (normalised) code point is part of a word. */
export function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  if (c < 0xc0) return false; // Latin-1 punctuation and symbols
  if (c >= 0x2000 && c <= 0x2bff) return false; // punctuation, symbols, arrows, box drawing
  if (c >= 0x3000 && c <= 0x303f) return false; // CJK punctuation
  if (c >= 0xfe30 && c <= 0xfe4f) return false;
  if (c >= 0x1f000 && c <= 0x1faff) return false; // emoji and pictographs
  if (c == 0xfffd) return false;
  return true;
}

/** Han, kana: each is a word of its own (these scripts do not separate words with spaces). */
export function isIdeographic(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff);
}

/** Sentence punctuation of scripts isWordChar keeps inside words (assembly/normalize.ts
 *  isScriptPunctuation): Arabic ، ؛ ؟ ۔, danda । ॥, Armenian ։, Ethiopic ። ፣ ፤, Myanmar ၊ ။, Khmer ។ ៕, Greek ; ·. */
export function isScriptPunctuation(c: number): boolean {
  return c == 0x60c || c == 0x61b || c == 0x61f || c == 0x6d4 || c == 0x964 || c == 0x965 || c == 0x589 ||
    c == 0x1361 || c == 0x1362 || c == 0x1363 || c == 0x104a || c == 0x104b || c == 0x17d4 || c == 0x17d5 ||
    c == 0x37e || c == 0x387;
}

/**
 * Scripts written without spaces between words, other than Han/kana: Thai, Lao, Myanmar, Khmer. A
 * run of them is one "word" for the word features, and cue words (lexicon.ts) are found inside the
 * run by substring, longest match first from the left (forEachFeature), so "เพิกเฉยคำสั่งก่อนหน้า"
 * gives ignore + instruction + previous as "ignore the previous instructions" does.
 */
export function isUnsegmented(c: number): boolean {
  return (c >= 0xe00 && c <= 0xeff) || (c >= 0x1000 && c <= 0x109f) || (c >= 0x1780 && c <= 0x17ff);
}
/** Longest cue word looked for inside an unsegmented run, in code points. */
export const MAX_CUE_CHARS = 16;

export function isLatinLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7);
}

/**
 * Normalises text given as code points (invalid UTF-8 already replaced by U+FFFD):
 *   1. invisible format characters and combining diacritics dropped;
 *   2. compatibility forms folded (fullwidth, mathematical, circled, squared letters; super/subscripts);
 *   3. lowercase; Latin-1 accents removed;
 *   4. inside a word that holds Latin letters, Cyrillic/Greek look-alikes become the Latin letter;
 *   5. every run of whitespace, control characters or symbols becomes one space (word chars and
 *      ASCII punctuation are kept), no leading space;
 *   6. three or more single letters each one whitespace character apart, or joined by one of
 *      . - _ * / | + ~, are one word ("i g n o r e", "i.g.n.o.r.e" → "ignore"; assembly/normalize.ts
 *      LetterRuns, step for step).
 * Returns the normalised code points.
 */
/** . , ; : ! ? after a single letter end a spaced-out run; . - _ * / | + ~ join separated letters. */
const CLAUSE_MARKS = new Set([0x2e, 0x2c, 0x3b, 0x3a, 0x21, 0x3f]);
const LETTER_SEPARATORS = new Set([0x2e, 0x2d, 0x5f, 0x2a, 0x2f, 0x7c, 0x2b, 0x7e]);
/** " ' ` ( ) [ ] « » “ ” ‘ ’ next to a spaced-out run's first or last letter (assembly/normalize.ts isQuote). */
const QUOTES = new Set([0x22, 0x27, 0x60, 0x28, 0x29, 0x5b, 0x5d, 0xab, 0xbb, 0x201c, 0x201d, 0x2018, 0x2019]);

export function normalize(cps: ArrayLike<number>, n: number = cps.length): number[] {
  const out: number[] = [];
  let space = true; // suppress a leading space
  let wordStart = -1;
  let wordHasLatin = false;
  let wordHasConf = false;
  const endWord = () => {
    if (wordStart >= 0 && wordHasLatin && wordHasConf) {
      for (let k = wordStart; k < out.length; k++) {
        const m = confusableLatin(out[k]);
        if (m != 0) out[k] = m;
      }
    }
    wordStart = -1; wordHasLatin = false; wordHasConf = false;
  };
  // Runs of single letters (assembly/normalize.ts LetterRuns).
  let tokenStart = 0, separatorSingle = false, runCount = 0, runStart = 0, runEnd = 0;
  const finishRun = () => {
    if (runCount < 3) { runCount = 0; return; }
    let w = runStart;
    for (let r = runStart; r < runEnd; r++) if (out[r] != 0x20) out[w++] = out[r];
    const shift = runEnd - w;
    for (let r = runEnd; r < out.length; r++) out[r - shift] = out[r];
    out.length -= shift;
    tokenStart -= shift;
    runCount = 0;
  };
  const joinSeparated = () => {
    // "i.g.n.o.r.e", "i-g-n-o-r-e" (assembly/normalize.ts joinSeparated).
    const s = tokenStart;
    let m = out.length - s;
    if (m < 5) return;
    const sep = out[s + 1];
    if (!LETTER_SEPARATORS.has(sep)) return;
    const trailing = out[s + m - 1] == sep;
    if (trailing) m--;
    if ((m & 1) == 0) return;
    for (let k = 0; k < m; k++) {
      const c = out[s + k];
      if ((k & 1) == 0 ? !(isWordChar(c) && !(c >= 0x30 && c <= 0x39) && !isIdeographic(c)) : c != sep) return;
    }
    let w = s;
    for (let k = 0; k < m; k += 2) out[w++] = out[s + k];
    if (trailing) out[w++] = sep;
    out.length = w;
  };
  const tokenEnd = (nextSingle: boolean) => {
    joinSeparated();
    const s = tokenStart, len = out.length - s;
    // A quote or bracket may open the run's first letter ("P W N E D" in quotes) or close its last.
    const lead = len == 2 && QUOTES.has(out[s]);
    const c = len > 0 ? out[lead ? s + 1 : s] : 0;
    const mark = len == 2 && !lead && (CLAUSE_MARKS.has(out[s + 1]) || QUOTES.has(out[s + 1]));
    const single = (len == 1 || lead || mark) && isWordChar(c) && !(c >= 0x30 && c <= 0x39) && !isIdeographic(c);
    if (single && !lead && runCount > 0 && separatorSingle) runCount++;
    else {
      finishRun();
      runCount = single ? 1 : 0;
      runStart = tokenStart;
    }
    if (single) runEnd = out.length;
    if (single && mark) { finishRun(); runCount = 0; }
    separatorSingle = nextSingle;
  };
  for (let i = 0; i < n; i++) {
    let c = cps[i];
    while (i + 1 < n) {
      const k = compose(c, cps[i + 1]);
      if (k == 0) break;
      c = k;
      i++;
    }
    if (isInvisible(c)) continue;
    // A lam-alef ligature is two letters: the lam here, the alef below.
    if (c >= 0xfef5 && c <= 0xfefc) {
      if (wordStart < 0) wordStart = out.length;
      out.push(0x644);
      space = false;
      c = LAM_ALEF[(c - 0xfef5) >> 1];
    }
    c = lower(foldCompat(c));
    c = letterBase(c);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0x2028 || c == 0x2029 || (c >= 0x2000 && c <= 0x200a) || c == 0x3000) {
      endWord();
      if (!space) { tokenEnd(true); out.push(0x20); space = true; tokenStart = out.length; }
      else separatorSingle = false;
      continue;
    }
    space = false;
    if (isWordChar(c) && !isIdeographic(c)) {
      if (wordStart < 0) wordStart = out.length;
      if (isLatinLetter(c)) wordHasLatin = true;
      else if (confusableLatin(c) != 0) wordHasConf = true;
    } else endWord();
    out.push(c);
  }
  endWord();
  if (!space) tokenEnd(false);
  finishRun();
  return out;
}

/** Code points of a JS string (lone surrogates → U+FFFD, as UTF-8 encoding would give). */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { out.push(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)); i++; continue; }
    }
    out.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
  }
  return out;
}

// FNV-1a over 32-bit code points (each mixed in as one step), seeded per family. Math.imul keeps
// it in 32 bits exactly as i32 multiplication does in Wasm.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
export function mix(h: number, c: number): number { return Math.imul(h ^ c, FNV_PRIME); }
export function finish(h: number): number {
  // Final avalanche (murmur3 fmix32) so the low bits used as the bucket depend on every input.
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return (h >>> 0) & (BUCKETS - 1);
}
export function seed(s: number): number { return mix(FNV_OFFSET, s); }

export const SEED_CONCEPT = 0x8f6;
/** Feature families and the integer factor each one's count is multiplied by (x_b = Σ factor / sqrt(total)). */
export const F_CHAR = 0;
export const F_WORD = 1;
export const F_CONCEPT = 2;
export let FAMILY_FACTOR = [1, 1, 1];
export function setFactors(f: number[]): void { FAMILY_FACTOR = f; }
export const SEED_CONCEPT2 = 0x907;
/** How many words back a concept pair may reach ("ignore all the previous instructions"). */
export const CONCEPT_WINDOW = 4;

/** Full 32-bit hash of a word's or bigram's mix state (the bucket is its low bits). */
export function full(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

/** The lexicon keys a word or bigram hash by its top 27 bits: the module stores 5 bits less a key
 *  (scripts/train.ts lexiconRice), and a chance match of 27 bits is one lookup in ~54,000 (on
 *  train's and dev's 1.8 million word and bigram lookups, 15 chance matches, in 10 forms; 2 at 28
 *  bits, 27 at 26 bits, where "you before" was one). */
export const LEXICON_KEY_SHIFT = 5;
export function lexiconKey(hash: number): number { return hash >>> LEXICON_KEY_SHIFT; }
/** Concept id (1-based) of a full word/bigram hash, 0 when not a cue word (assembly/features.ts conceptOf). */
export function conceptOf(hash: number): number { return LEX.get(lexiconKey(hash)) ?? 0; }

/** Cue-word table: lexicon key of a word (or word bigram) → concept id + 1. */
let LEX = new Map<number, number>();

/**
 * The cue table from lexicon.ts: each entry normalised and split into words like any text; a
 * one-word entry keys its word hash, a longer one the bigram of its first two words. A hash already
 * taken keeps its first concept (CONCEPTS order).
 */
export function buildLexicon(): Map<number, number> {
  const m = new Map<number, number>();
  const all: Array<[number, string[]]> = CONCEPTS.map((name, id) => [id, LEXICON[name]]);
  RULE_CONCEPTS.forEach((name, k) => all.push([CONCEPTS.length + k, RULE_LEXICON[name]]));
  all.forEach(([id, entries]) => {
    for (const entry of entries) {
      const t = normalize(codePoints(entry));
      const ws = words(t, t.length);
      if (ws.length == 0) continue;
      const h1 = wordState(t, ws[0][0], ws[0][1]);
      const key = lexiconKey(ws.length == 1 ? full(h1) : full(bigramState(h1, wordState(t, ws[1][0], ws[1][1]))));
      if (!m.has(key)) m.set(key, id + 1);
    }
  });
  return m;
}
LEX = buildLexicon();

/** Mix state of a word t[s, e) (at most 32 code points count, as in forEachFeature). */
export function wordState(t: ArrayLike<number>, s: number, e: number): number {
  let h = seed(SEED_WORD1);
  for (let i = s; i < e && i - s < 32; i++) h = mix(h, t[i]);
  return h;
}
export function bigramState(prev: number, cur: number): number { return mix(mix(seed(SEED_WORD2), prev), cur); }

// Scrambled cue words (patterns/smuggling.ts SCRAMBLED_CUES), as assembly/features.ts reads them:
// a word none of the lexicon's with a cue word's first and last letters and inner letters in any
// order (5 to 16 letters), or no vowel and a cue word's consonants (4 or more letters).
const SEED_SCRAMBLED = 0xa18;
const SEED_SKELETON = 0xb29;
const isVowel = (c: number) => c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6f || c == 0x75;
function scrambledKey(t: ArrayLike<number>, s: number, e: number): number {
  const inner = Array.from({ length: e - s - 2 }, (_, k) => t[s + 1 + k]).sort((a, b) => a - b);
  let h = mix(seed(SEED_SCRAMBLED), t[s]);
  for (const c of inner) h = mix(h, c);
  return full(mix(h, t[e - 1]));
}
function skeletonKey(t: ArrayLike<number>, s: number, e: number): number {
  let h = seed(SEED_SKELETON);
  for (let k = s; k < e; k++) if (!isVowel(t[k])) h = mix(h, t[k]);
  return full(h);
}
// … or one inner letter short, in order (6 or more letters; not the words after the "/").
const SEED_SHORT = 0xc3a;
function shortKey(t: ArrayLike<number>, s: number, e: number, skip: number): number {
  let h = seed(SEED_SHORT);
  for (let k = s; k < e; k++) if (k != skip) h = mix(h, t[k]);
  return full(h);
}
const SCRAMBLED = new Map<number, number>();
const SCRAMBLE_ENDS = new Set<number>();
let readShort = true;
for (const w of SCRAMBLED_CUES.split(" ")) {
  if (w == "/") readShort = false;
  if (w.length < 5 || w.length > 16) continue;
  const cps = Array.from(w, (ch) => ch.codePointAt(0)!);
  const concept = conceptOf(full(wordState(cps, 0, cps.length)));
  if (concept == 0 || concept > MODEL_CONCEPTS) continue; // a model concept only
  const keys = [scrambledKey(cps, 0, cps.length), skeletonKey(cps, 0, cps.length)];
  if (readShort && cps.length >= 6) for (let k = 1; k < cps.length - 1; k++) keys.push(shortKey(cps, 0, cps.length, k));
  for (const key of keys) if (!SCRAMBLED.has(key)) SCRAMBLED.set(key, concept);
  SCRAMBLE_ENDS.add(cps[0] * 256 + cps[cps.length - 1]);
}
export function scrambledConcept(t: ArrayLike<number>, s: number, e: number): number {
  const n = e - s;
  if (n < 4 || n > 16) return 0;
  let vowels = 0;
  for (let k = s; k < e; k++) { if (t[k] < 0x61 || t[k] > 0x7a) return 0; if (isVowel(t[k])) vowels++; }
  if (vowels == 0 || (vowels == 1 && isVowel(t[s]))) return SCRAMBLED.get(skeletonKey(t, s, e)) ?? 0; // a leading vowel may stay
  if (n < 5 || !SCRAMBLE_ENDS.has(t[s] * 256 + t[e - 1])) return 0;
  return SCRAMBLED.get(shortKey(t, s, e, -1)) ?? SCRAMBLED.get(scrambledKey(t, s, e)) ?? 0;
}

/** Word boundaries of normalised text: [start, end) pairs, as forEachFeature reads words. */
export function words(t: ArrayLike<number>, n: number): Array<[number, number, boolean]> {
  // [start, end, joinsPrevious]: joinsPrevious = false after a hard separator (not space, - or ').
  const out: Array<[number, number, boolean]> = [];
  let join = false;
  let i = 0;
  while (i < n) {
    const c = t[i];
    if (!isWordChar(c)) { i++; if (c != 0x20 && c != 0x2d && c != 0x27) join = false; continue; }
    const s = i;
    if (isIdeographic(c)) i++;
    else while (i < n && isWordChar(t[i]) && !isIdeographic(t[i])) i++;
    out.push([s, i, join]);
    join = true;
  }
  return out;
}

/**
 * Calls `emit(bucket)` for every feature of normalised text `t` (with repeats), in a fixed order:
 *   - char n-grams (n = 3, 4, 5) over " " + t + " ", skipping n-grams that are all spaces/digits;
 *   - word unigrams and bigrams (a word: a run of word chars; each Han/kana char is a word);
 *   - cue concepts (lexicon.ts) of each word or bigram, and unordered pairs of concepts at most
 *     CONCEPT_WINDOW words apart.
 * Returns the number of features emitted.
 */
export function forEachFeature(t: ArrayLike<number>, n: number, emit: (b: number, family: number) => void): number {
  let count = 0;
  // Char n-grams over the padded text: position -1 and n are spaces.
  const at = (i: number) => (i < 0 || i >= n ? 0x20 : t[i]);
  for (let i = -1; i < n + 1; i++) {
    let h = seed(SEED_CHAR3);
    let interesting = false;
    for (let k = 0; k < 5 && i + k <= n; k++) {
      const c = at(i + k);
      h = mix(h, c);
      if (c != 0x20 && !(c >= 0x30 && c <= 0x39)) interesting = true;
      if (k >= 2 && interesting) {
        // Each order gets its own seed applied at the end (cheaper than three separate passes).
        emit(finish(mix(h, k == 2 ? SEED_CHAR3 : k == 3 ? SEED_CHAR4 : SEED_CHAR5)), F_CHAR);
        count++;
      }
    }
  }
  // Words and concepts.
  let prev = 0; // mix state of the previous word, 0 = none
  const recent: number[] = []; // [concept, position] pairs, newest last
  // Position in half-words: a word counts 2, a Han/kana character (a "word" of its own) 1, so the
  // concept window spans about as much text in Chinese or Japanese as in English.
  let wi = 0;
  const ws = words(t, n);
  let prevNegation = false;
  // Whether the previous word, and the one before it, is a `self` word.
  let prevSelf = false, prev2Self = false;
  // The previous word, for cue words split by a space (below).
  let prevStart = -1, prevEnd = -2, prevCue = false, prevPlain = false;
  // The two words before, joined and no cue word (their mix state; 0: none), for a third piece.
  let pairState = 0, pairStart = -1;
  for (let w = 0; w < ws.length; w++) {
    const [s, e, join] = ws[w];
    if (!join) { prev = 0; prevNegation = false; prevSelf = false; prev2Self = false; }
    const h = wordState(t, s, e);
    const f1 = full(h);
    emit(f1 & (BUCKETS - 1), F_WORD); count++;
    let concept = conceptOf(f1);
    const ownRule = concept > MODEL_CONCEPTS ? concept : 0;
    if (concept > MODEL_CONCEPTS) concept = 0; // rule-only: not the model's
    let fromBigram = false;
    let bigramRule = 0;
    if (prev != 0) {
      const f2 = full(bigramState(prev, h));
      emit(f2 & (BUCKETS - 1), F_WORD); count++;
      const c2 = conceptOf(f2);
      if (c2 != 0 && c2 <= MODEL_CONCEPTS) { concept = c2; fromBigram = true; }
      else if (c2 > MODEL_CONCEPTS) bigramRule = c2;
    }
    // A word ending in a script's sentence mark ("…भूल जाओ।", "…الخاصة بك؟"): the word feature keeps
    // the mark, the concept is the word's without it (written Hindi ends nearly every sentence so).
    const ideographic = isIdeographic(t[s]);
    if (concept == 0 && ownRule == 0 && bigramRule == 0 && e - s > 1 && !ideographic && isScriptPunctuation(t[e - 1])) {
      const hs = wordState(t, s, e - 1);
      const cs = prev != 0 ? conceptOf(full(bigramState(prev, hs))) || conceptOf(full(hs)) : conceptOf(full(hs));
      if (cs != 0 && cs <= MODEL_CONCEPTS) concept = cs;
    }
    let unsegmented = false;
    for (let k = s; k < e; k++) if (isUnsegmented(t[k])) { unsegmented = true; break; }
    // A cue word split by one space ("ig nore", "instruc tions", "pass word", "игнорирова ть"):
    // neither part is a cue word (nor their bigram), the two together are. Joined hash = the previous
    // word's mix state continued over this word (both under 32 code points together).
    const cue = concept != 0 || ownRule != 0 || bigramRule != 0;
    let nextPair = 0;
    if (!cue && !prevCue && prevPlain && !ideographic && !unsegmented && prevEnd + 1 == s && t[prevEnd] == 0x20 && e - prevStart <= 33) {
      let hj = prev;
      for (let k = s; k < e; k++) hj = mix(hj, t[k]);
      const cj = conceptOf(full(hj));
      if (cj != 0 && cj <= MODEL_CONCEPTS) concept = cj;
      else {
        // … or in three ("pa ss word"): the two before, joined, continued over this one.
        if (pairState != 0 && e - pairStart <= 33) {
          let h3 = pairState;
          for (let k = s; k < e; k++) h3 = mix(h3, t[k]);
          const c3 = conceptOf(full(h3));
          if (c3 != 0 && c3 <= MODEL_CONCEPTS) concept = c3;
        }
        if (concept == 0) nextPair = hj;
      }
    }
    pairState = nextPair;
    pairStart = prevStart;
    // A cue word spelled scrambled ("ignroe", "pveirous", "psswrd").
    if (concept == 0 && !cue && !ideographic && !unsegmented) concept = scrambledConcept(t, s, e);
    prevCue = cue;
    prevPlain = !ideographic && !unsegmented && e - s < 32;
    prevStart = s;
    prevEnd = e;
    if (unsegmented) {
      // Thai and the like: cue words inside the run (longest match at each position, left to
      // right); a concept's position counts 3 code points as a half-word (about 6 per word).
      let p = s;
      while (p < e) {
        let best = 0, bestLen = 0;
        if (isUnsegmented(t[p])) {
          let hh = seed(SEED_WORD1);
          for (let len = 1; len <= MAX_CUE_CHARS && p + len <= e; len++) {
            hh = mix(hh, t[p + len - 1]);
            if (len >= 2) {
              const c = conceptOf(full(hh));
              if (c != 0 && c <= MODEL_CONCEPTS) { best = c; bestLen = len; }
            }
          }
        }
        if (best != 0) { count += addConcept(best, wi + Math.floor((p - s) / 3)); p += bestLen; } else p++;
      }
    } else if (concept != 0) {
      // "don't forget", "vergiss nicht", "n'oubliez pas": a negated ignore word is a reminder.
      // "j'ai oublié", "我忘记": what happened to the user, not an order (`self`).
      const self = fromBigram ? prev2Self : prevSelf;
      if (!(concept == C_IGNORE && (prevNegation || self || ruleAfter(w, RULE_NEGATION_AFTER, 1) || ruleAfter(w, RULE_MY, 2) || (ruleAfter(w, RULE_SELF, 2) && !ruleAfter(w, RULE_EVERYTHING, 1)) || ruleAfter(w, RULE_ARTIFACT, 3) || pastAfter(w)))) count += addConcept(concept, wi);
    }
    prev = h;
    prevNegation = ownRule == RULE_NEGATION;
    prev2Self = prevSelf;
    prevSelf = ownRule == RULE_SELF || bigramRule == RULE_SELF;
    wi += unsegmented ? Math.max(2, Math.floor((e - s) / 3)) : e - s == 1 && isIdeographic(t[s]) ? 1 : 2;
  }
  return count;

  /** Whether the word right after word w (no space between) is a Han/kana past-tense mark. */
  function pastAfter(w: number): boolean {
    if (w + 1 >= ws.length) return false;
    const [s, e] = ws[w + 1];
    return s == ws[w][1] && isIdeographic(t[s]) && conceptOf(full(wordState(t, s, e))) == RULE_PAST_AFTER;
  }

  /** Whether one of the `count` words after word w (spaces only between, not Han/kana) is a cue
   *  word of rule concept `id`: a negation that follows its verb ("vergiss nicht"), a possessive
   *  ("ignore all my typos"). */
  function ruleAfter(w: number, id: number, count: number): boolean {
    for (let k = 1; k <= count; k++) {
      if (w + k >= ws.length) return false;
      const [s, e] = ws[w + k];
      for (let j = ws[w + k - 1][1]; j < s; j++) if (t[j] != 0x20) return false;
      if (s == ws[w + k - 1][1] || isIdeographic(t[s])) return false;
      if (conceptOf(full(wordState(t, s, e))) == id) return true;
    }
    return false;
  }

  /** A concept at position `at` (half-words): its feature, and a pair with each recent concept in the window. */
  function addConcept(concept: number, at: number): number {
    let n = 1;
    emit(finish(mix(seed(SEED_CONCEPT), concept)), F_CONCEPT);
    for (let k = 0; k < recent.length; k += 2) {
      if (at - recent[k + 1] <= 2 * CONCEPT_WINDOW && recent[k] != concept) {
        // Unordered: SOV languages put the verb last ("उपरोक्त निर्देशों को अनदेखा करें").
        const a = Math.min(recent[k], concept), b = Math.max(recent[k], concept);
        // "My new password", "I changed my password", "contraseña nueva": everyday words in every
        // language, no cue. Train's attacks taught the pair (it scored those 0.92–0.98).
        if (a == Math.min(C_SECRET, C_NEW) && b == Math.max(C_SECRET, C_NEW)) continue;
        emit(finish(mix(mix(seed(SEED_CONCEPT2), a), b)), F_CONCEPT); n++;
      }
    }
    recent.push(concept, at);
    if (recent.length > 8) recent.splice(0, 2);
    return n;
  }
}

/** Sparse feature vector: bucket → count, and the total number of features. */
export function featureCounts(text: string, families: number = 7): { counts: Map<number, number>; total: number } {
  const t = normalize(codePoints(text));
  const counts = new Map<number, number>();
  const total = forEachFeature(t, t.length, (b, f) => {
    if ((families >> f) & 1) counts.set(b, (counts.get(b) ?? 0) + FAMILY_FACTOR[f]);
  });
  return { counts, total };
}
