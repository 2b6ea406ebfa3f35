// Hashed features of normalised text and the linear model over them: the same as
// scripts/features.ts `forEachFeature` and scripts/model.ts `quantLogit` (checked by
// test/features-agree.test.ts). Instead of building a feature vector, every feature occurrence adds
// its int4 weight times its family factor to `dot` (an integer: the sum is exact in any order).
import { CodePoints, isWordChar, isIdeographic, isUnsegmented } from "./normalize";
import {
  BUCKET_BITS, WEIGHTS, WEIGHT_SCALE, BIAS, FACTOR_CHAR, FACTOR_WORD, FACTOR_CONCEPT,
  LEXICON_SIZE, LEXICON_KEYS, LEXICON_CONCEPTS,
} from "./model/weights";

const MASK: u32 = (1 << BUCKET_BITS) - 1;
const SEED_CHAR3: u32 = 0x3a1;
const SEED_CHAR4: u32 = 0x4b2;
const SEED_CHAR5: u32 = 0x5c3;
const SEED_WORD1: u32 = 0x6d4;
const SEED_WORD2: u32 = 0x7e5;
const SEED_CONCEPT: u32 = 0x8f6;
const SEED_CONCEPT2: u32 = 0x907;
const CONCEPT_WINDOW: i32 = 4;
const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;

@inline function mix(h: u32, c: u32): u32 { return (h ^ c) * FNV_PRIME; }
@inline function full(h: u32): u32 {
  h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16;
  return h;
}
@inline function seed(s: u32): u32 { return mix(FNV_OFFSET, s); }

/** One bit per low 16 bits of a lexicon key: most words are rejected with one load. */
const LEXICON_BITS: StaticArray<u32> = buildLexiconBits();
function buildLexiconBits(): StaticArray<u32> {
  const b = new StaticArray<u32>(2048);
  for (let i = 0; i < LEXICON_SIZE; i++) {
    const k = load<u32>(LEXICON_KEYS + (<usize>i << 2)) & 0xffff;
    b[k >> 5] |= 1 << (k & 31);
  }
  return b;
}

/** Concept id (1-based) of a full word/bigram hash, 0 when not a cue word. Binary search. */
export function conceptOf(key: u32): i32 {
  const lo16 = key & 0xffff;
  if ((unchecked(LEXICON_BITS[lo16 >> 5]) & (1 << (lo16 & 31))) == 0) return 0;
  let lo = 0, hi = LEXICON_SIZE - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = load<u32>(LEXICON_KEYS + (<usize>mid << 2));
    if (k == key) return <i32>load<u8>(LEXICON_CONCEPTS + <usize>mid);
    if (k < key) lo = mid + 1; else hi = mid - 1;
  }
  return 0;
}

/** int4 weight of a bucket: two per byte, bucket 2k in the low nibble of byte k, sign-extended. */
@inline function weightAt(bucket: u32): i32 {
  const b = <i32>load<u8>(WEIGHTS + <usize>(bucket >> 1));
  return ((b >> ((bucket & 1) << 2)) << 28) >> 28;
}

// Normalised text is lowercase: ASCII word characters are [0-9a-z].
@inline function wordChar(c: u32): bool { return c < 0x80 ? (c - 0x30 < 10 || c - 0x61 < 26) : isWordChar(c); }
@inline function plainWordChar(c: u32): bool { return c < 0x80 ? (c - 0x30 < 10 || c - 0x61 < 26) : isWordChar(c) && !isIdeographic(c); }

/** What one pass over a text gives. */
export class FeatureSums {
  /** Σ weight × factor over every feature occurrence. */
  dot: i64 = 0;
  /** Number of feature occurrences. */
  total: i32 = 0;
  /** Concepts (bit per concept id) seen: the heuristics read them. */
  concepts: u32 = 0;
  /** near[a * 13 + b]: concepts a and b (1-based) occurred at most CONCEPT_WINDOW words (2 × that
   *  many Han/kana characters) apart. */
  near: StaticArray<bool> = new StaticArray<bool>(13 * 13);
  /** When set, every (bucket, factor) pair is appended here (tests and the harness only). */
  capture: Array<u32> | null = null;

  reset(): void {
    this.dot = 0; this.total = 0;
    if (this.concepts != 0) memory.fill(changetype<usize>(this.near), 0, 13 * 13);
    this.concepts = 0;
  }

  /** Whether concepts a and b occurred close together (either order). */
  isNear(a: u32, b: u32): bool { return unchecked(this.near[a * 13 + b]) || unchecked(this.near[b * 13 + a]); }

  @inline add(bucket: u32, factor: i32): void {
    this.dot += <i64>(weightAt(bucket) * factor);
    this.total++;
    const c = this.capture;
    if (c !== null) { c.push(bucket); c.push(<u32>factor); }
  }

  /** The model's logit: BIAS + WEIGHT_SCALE * dot / sqrt(total) (scripts/model.ts quantLogit). */
  logit(): f64 {
    if (this.total == 0) return BIAS;
    return BIAS + WEIGHT_SCALE * <f64>this.dot / Math.sqrt(<f64>this.total);
  }
}

// Recent concepts (id, word index), newest last, at most 4 (scripts/features.ts `recent`).
const recentConcept = new StaticArray<i32>(4);
const recentWord = new StaticArray<i32>(4);
let recentCount = 0;
/** Longest cue word looked for inside a Thai/Lao/Myanmar/Khmer run (scripts/features.ts). */
const MAX_CUE_CHARS: i32 = 16;

/** How many char n-grams (n = 3..5) addFeatures would hash for t[0, n): the same positions. */
function charGramCount(d: StaticArray<u32>, n: i32): i32 {
  let count = 0;
  for (let i = -1; i < n + 1; i++) {
    let interesting = false;
    for (let k = 0; k < 5 && i + k <= n; k++) {
      const p = i + k;
      const c: u32 = p < 0 || p >= n ? 0x20 : unchecked(d[p]);
      if (c != 0x20 && !(c >= 0x30 && c <= 0x39)) interesting = true;
      if (k >= 2 && interesting) count++;
    }
  }
  return count;
}

/** Adds every feature of normalised text t[0, n) to `sums` (same order as the trainer). */
export function addFeatures(t: CodePoints, sums: FeatureSums): void {
  const n = t.length;
  const d = t.data;
  // Char n-grams over " " + t + " ". A model trained with FACTOR_CHAR 0 gets nothing from them but
  // their number (the √total normalisation): count them without hashing, unless a test captures.
  if (FACTOR_CHAR == 0 && sums.capture === null) { sums.total += charGramCount(d, n); }
  else for (let i = -1; i < n + 1; i++) {
    let h = seed(SEED_CHAR3);
    let interesting = false;
    for (let k = 0; k < 5 && i + k <= n; k++) {
      const p = i + k;
      const c: u32 = p < 0 || p >= n ? 0x20 : unchecked(d[p]);
      h = mix(h, c);
      if (c != 0x20 && !(c >= 0x30 && c <= 0x39)) interesting = true;
      if (k >= 2 && interesting) {
        sums.add(full(mix(h, k == 2 ? SEED_CHAR3 : k == 3 ? SEED_CHAR4 : SEED_CHAR5)) & MASK, FACTOR_CHAR);
      }
    }
  }
  // Words, bigrams, concepts.
  let prev: u32 = 0;
  let join = false;
  recentCount = 0;
  // Position in half-words (scripts/features.ts): a word counts 2, a Han/kana character 1.
  let wi = 0;
  let i = 0;
  while (i < n) {
    const c = unchecked(d[i]);
    if (!wordChar(c)) { i++; if (c != 0x20 && c != 0x2d && c != 0x27) join = false; continue; }
    const s = i;
    const ideographic = c >= 0x3040 && isIdeographic(c);
    if (ideographic) i++;
    else while (i < n && plainWordChar(unchecked(d[i]))) i++;
    if (!join) prev = 0;
    join = true;
    let h = seed(SEED_WORD1);
    for (let k = s; k < i && k - s < 32; k++) h = mix(h, unchecked(d[k]));
    const f1 = full(h);
    sums.add(f1 & MASK, FACTOR_WORD);
    let concept = conceptOf(f1);
    if (prev != 0) {
      const f2 = full(mix(mix(seed(SEED_WORD2), prev), h));
      sums.add(f2 & MASK, FACTOR_WORD);
      const c2 = conceptOf(f2);
      if (c2 != 0) concept = c2;
    }
    let unsegmented = false;
    if (!ideographic) for (let k = s; k < i; k++) {
      const ch = unchecked(d[k]);
      if (ch >= 0xe00 && isUnsegmented(ch)) { unsegmented = true; break; }
    }
    if (unsegmented) {
      // Thai and the like (scripts/features.ts): cue words inside the run, longest match at each
      // position from the left; 3 code points count as a half-word for the concept window.
      let p = s;
      while (p < i) {
        let best = 0, bestLen = 0;
        if (isUnsegmented(unchecked(d[p]))) {
          let hh = seed(SEED_WORD1);
          for (let len = 1; len <= MAX_CUE_CHARS && p + len <= i; len++) {
            hh = mix(hh, unchecked(d[p + len - 1]));
            if (len >= 2) {
              const cc = conceptOf(full(hh));
              if (cc != 0) { best = cc; bestLen = len; }
            }
          }
        }
        if (best != 0) { addConcept(sums, best, wi + (p - s) / 3); p += bestLen; } else p++;
      }
    } else if (concept != 0) addConcept(sums, concept, wi);
    prev = h;
    wi += unsegmented ? max(2, (i - s) / 3) : ideographic ? 1 : 2;
  }
}

/** A concept at position `at` (half-words): its feature, and a pair with each recent concept in
 *  the window (scripts/features.ts addConcept). */
function addConcept(sums: FeatureSums, concept: i32, at: i32): void {
  sums.concepts |= 1 << <u32>concept;
  sums.add(full(mix(seed(SEED_CONCEPT), <u32>concept)) & MASK, FACTOR_CONCEPT);
  for (let k = 0; k < recentCount; k++) {
    const rc = unchecked(recentConcept[k]);
    if (at - unchecked(recentWord[k]) <= 2 * CONCEPT_WINDOW && rc != concept) {
      unchecked(sums.near[rc * 13 + concept] = true);
      // Unordered pair: "ignore the previous instructions" and "上記の指示は無視して" (previous,
      // instructions, ignore: verb last) give the same features.
      sums.add(full(mix(mix(seed(SEED_CONCEPT2), <u32>min(rc, concept)), <u32>max(rc, concept))) & MASK, FACTOR_CONCEPT);
    }
  }
  if (recentCount == 4) {
    for (let k = 0; k < 3; k++) { unchecked(recentConcept[k] = recentConcept[k + 1]); unchecked(recentWord[k] = recentWord[k + 1]); }
    recentCount = 3;
  }
  unchecked(recentConcept[recentCount] = concept);
  unchecked(recentWord[recentCount] = at);
  recentCount++;
}
