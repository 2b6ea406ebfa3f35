// Hashed features of normalised text and the linear model over them: the same as
// scripts/features.ts `forEachFeature` and scripts/model.ts `quantLogit` (checked by
// test/features-agree.test.ts). Instead of building a feature vector, every feature occurrence adds
// its int4 weight times its family factor to `dot` (an integer: the sum is exact in any order).
import { CodePoints, isWordChar, isIdeographic, isUnsegmented, isScriptPunctuation, closingQuote } from "./normalize";
import { C_INSTRUCTION, C_SECRET, C_REVEAL, C_IGNORE, C_PREVIOUS, C_SYSTEM, C_NEW } from "./concepts";
import {
  BUCKET_BITS, WEIGHT_CODES, WEIGHT_ESCAPES, WEIGHT_SCALE, BIAS, FACTOR_CHAR, FACTOR_WORD, FACTOR_CONCEPT,
  LEXICON_SIZE, LEXICON_KEY_SHIFT, LEXICON_RICE_BITS, LEXICON_KEYS_RICE,
} from "./model/weights";
import { patternBytes, patternByteLength, LIST_SCRAMBLED_CUES_FIRST, TABLE_LEXICON_CONCEPTS_FIRST } from "./model/patterns";

const MASK: u32 = (1 << BUCKET_BITS) - 1;
// Concept ids above MODEL_CONCEPTS are rule-only (scripts/lexicon.ts RULE_CONCEPTS): no feature.
const MODEL_CONCEPTS: i32 = 12;
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

/** The lexicon's sorted keys (a full hash's top 27 bits), decoded once from their Rice code
 *  (scripts/train.ts lexiconRice: a gap's quotient in unary, then its low LEXICON_RICE_BITS bits). */
const LEXICON_KEYS: StaticArray<u32> = decodeLexiconKeys();
function decodeLexiconKeys(): StaticArray<u32> {
  const keys = new StaticArray<u32>(LEXICON_SIZE);
  let bit: usize = 0;
  let k: u32 = 0;
  for (let i = 0; i < LEXICON_SIZE; i++) {
    let word = load<u32>(LEXICON_KEYS_RICE + (bit >> 3)) >> <u32>(bit & 7);
    // Quotients stay far below 24 (the generator picks the parameter from the mean gap).
    const q = <u32>ctz(~word);
    bit += q + 1;
    word = load<u32>(LEXICON_KEYS_RICE + (bit >> 3)) >> <u32>(bit & 7);
    k += (q << LEXICON_RICE_BITS) | (word & ((1 << LEXICON_RICE_BITS) - 1));
    bit += LEXICON_RICE_BITS;
    unchecked(keys[i] = k);
  }
  return keys;
}

/** The keys' concept ids, a byte each, in key order (a table of the pattern bytes: DEFLATE packs
 *  them to about 4.6 bits an id, against the 6 a bit-packed id took). */
const LEXICON_CONCEPT_IDS: usize = patternBytes(TABLE_LEXICON_CONCEPTS_FIRST);

/** One bit per low 16 bits of a lexicon key: most words are rejected with one load. */
const LEXICON_BITS: StaticArray<u32> = buildLexiconBits();
function buildLexiconBits(): StaticArray<u32> {
  const b = new StaticArray<u32>(2048);
  for (let i = 0; i < LEXICON_SIZE; i++) {
    const k = unchecked(LEXICON_KEYS[i]) & 0xffff;
    b[k >> 5] |= 1 << (k & 31);
  }
  return b;
}

/** Concept id (1-based) of a full word/bigram hash, 0 when not a cue word. Binary search over its
 *  top 27 bits (scripts/features.ts lexiconKey). */
export function conceptOf(hash: u32): i32 {
  const key = hash >>> LEXICON_KEY_SHIFT;
  const lo16 = key & 0xffff;
  if ((unchecked(LEXICON_BITS[lo16 >> 5]) & (1 << (lo16 & 31))) == 0) return 0;
  let lo = 0, hi = LEXICON_SIZE - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = unchecked(LEXICON_KEYS[mid]);
    if (k == key) {
      return <i32>load<u8>(LEXICON_CONCEPT_IDS + <usize>mid);
    }
    if (k < key) lo = mid + 1; else hi = mid - 1;
  }
  return 0;
}

/** The weights the unary code names, commonest first (scripts/model.ts UNARY_WEIGHTS). */
const UNARY_WEIGHTS: usize = memory.data<i8>([0, -1, 1, -2, 2]);
/** The weights, one byte per bucket, decoded once from the module's compact form (scripts/model.ts
 *  packWeights: a unary code per bucket, escapes as int4 nibbles). */
const WEIGHT_TABLE: StaticArray<i8> = decodeWeights();

function decodeWeights(): StaticArray<i8> {
  const n = 1 << BUCKET_BITS;
  const t = new StaticArray<i8>(n);
  let e = 0, k = 0;
  for (let i = 0; i < n; i++) {
    // k ones and a zero name UNARY_WEIGHTS[k]; five ones, an escaped weight.
    let ones = 0;
    while (ones < 5 && codeBit(k++)) ones++;
    let w = 0;
    if (ones < 5) w = <i32>load<i8>(UNARY_WEIGHTS + <usize>ones);
    else {
      const b = <i32>load<u8>(WEIGHT_ESCAPES + <usize>(e >> 1));
      w = ((b >> ((e & 1) << 2)) << 28) >> 28; // sign-extended nibble
      e++;
    }
    unchecked(t[i] = <i8>w);
  }
  return t;
}

@inline function codeBit(k: i32): bool { return ((<u32>load<u8>(WEIGHT_CODES + <usize>(k >> 3)) >> (k & 7)) & 1) != 0; }

/** Scrambled cue words (patterns/smuggling.ts SCRAMBLED_CUES; scripts/features.ts mirrors this):
 *  the keys of the cue words' letter signatures and their concepts, built once at start. */
const SEED_SCRAMBLED: u32 = 0xa18;
const SEED_SKELETON: u32 = 0xb29;
const SEED_SHORT: u32 = 0xc3a;
/** Keys of the cue words (their letters, their consonants, each form one inner letter short),
 *  at most 64 words. */
const SCRAMBLE_KEYS_MAX = 640;
const scrambleKeys = new StaticArray<u32>(SCRAMBLE_KEYS_MAX);
const scrambleConcepts = new StaticArray<u8>(SCRAMBLE_KEYS_MAX);
let scrambleCount = 0;
/** First letter, last letter and length of the cue words (26 × 26 × 16 bits): most words skip the sort. */
const scrambleEnds = new StaticArray<u32>(26 * 26 * 16 / 32);
const scratchLetters = new StaticArray<u32>(16);
initScrambled();

function addScrambleKey(key: u32, concept: i32): void {
  if (scrambleCount < SCRAMBLE_KEYS_MAX) { unchecked(scrambleKeys[scrambleCount] = key); unchecked(scrambleConcepts[scrambleCount++] = <u8>concept); }
}

@inline function setEnds(w: StaticArray<u32>, n: i32, len: i32): void {
  const bit = endsBit(unchecked(w[0]), unchecked(w[n - 1]), len);
  unchecked(scrambleEnds[bit >> 5] |= 1 << (bit & 31));
}

function initScrambled(): void {
  const p = patternBytes(LIST_SCRAMBLED_CUES_FIRST), len = patternByteLength(LIST_SCRAMBLED_CUES_FIRST);
  const w = new StaticArray<u32>(16);
  let n = 0;
  let short = true; // words after the "/" are not read one letter short
  for (let i = 0; i <= len; i++) {
    const c = i < len ? <u32>load<u8>(p + <usize>i) : 0x20;
    if (c == 0x2f) { short = false; continue; }
    if (c != 0x20) { if (n < 16) unchecked(w[n] = c); n++; continue; }
    if (n >= 5 && n <= 16) {
      const concept = conceptOf(full(wordState(w, 0, n)));
      if (concept != 0 && concept <= MODEL_CONCEPTS) { // a model concept only
        addScrambleKey(scrambledKey(w, 0, n), concept);
        addScrambleKey(skeletonKey(w, 0, n), concept);
        setEnds(w, n, n);
        if (short && n >= 6) {
          for (let k = 1; k < n - 1; k++) addScrambleKey(shortKey(w, 0, n, k), concept);
          setEnds(w, n, n - 1);
        }
      }
    }
    n = 0;
  }
}

/** The letters of d[s, e) in order, the one at `skip` left out (none when skip < s). */
function shortKey(d: StaticArray<u32>, s: i32, e: i32, skip: i32): u32 {
  let h = seed(SEED_SHORT);
  for (let k = s; k < e; k++) if (k != skip) h = mix(h, unchecked(d[k]));
  return full(h);
}

/** First letter, inner letters sorted, last letter. */
function scrambledKey(d: StaticArray<u32>, s: i32, e: i32): u32 {
  const m = e - s - 2;
  for (let k = 0; k < m; k++) {
    const c = unchecked(d[s + 1 + k]);
    let j = k;
    while (j > 0 && unchecked(scratchLetters[j - 1]) > c) { unchecked(scratchLetters[j] = scratchLetters[j - 1]); j--; }
    unchecked(scratchLetters[j] = c);
  }
  let h = mix(seed(SEED_SCRAMBLED), unchecked(d[s]));
  for (let k = 0; k < m; k++) h = mix(h, unchecked(scratchLetters[k]));
  return full(mix(h, unchecked(d[e - 1])));
}

/** The consonants in order (a, e, i, o, u dropped). */
function skeletonKey(d: StaticArray<u32>, s: i32, e: i32): u32 {
  let h = seed(SEED_SKELETON);
  for (let k = s; k < e; k++) { const c = unchecked(d[k]); if (!isVowel(c)) h = mix(h, c); }
  return full(h);
}

@inline function endsBit(first: u32, last: u32, n: i32): u32 { return ((first - 0x61) * 26 + (last - 0x61)) * 16 + <u32>(n - 1); }

@inline function isVowel(c: u32): bool { return c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6f || c == 0x75; }

/** The concept of a cue word spelled scrambled in the ASCII word d[s, e) (none of the lexicon's):
 *  5 to 16 letters with a cue word's ends and inner letters, or those one inner letter short in
 *  order, or 4 or more letters, no vowel (a leading one aside), a cue word's consonants. 0 if none. */
function scrambledConcept(d: StaticArray<u32>, s: i32, e: i32): i32 {
  const n = e - s;
  if (n < 4 || n > 16) return 0;
  let vowels = 0;
  for (let k = s; k < e; k++) {
    const c = unchecked(d[k]);
    if (c < 0x61 || c > 0x7a) return 0;
    if (isVowel(c)) vowels++;
  }
  let key: u32 = 0;
  // Vowels dropped, but a leading one may stay ("ignr", "nstrctns").
  if (vowels == 0 || (vowels == 1 && isVowel(unchecked(d[s])))) key = skeletonKey(d, s, e);
  else {
    if (n < 5) return 0;
    const bit = endsBit(unchecked(d[s]), unchecked(d[e - 1]), n);
    if ((unchecked(scrambleEnds[bit >> 5]) & (1 << (bit & 31))) == 0) return 0;
    key = scrambledKey(d, s, e);
    // … or one inner letter short, in order ("inore").
    const inOrder = shortKey(d, s, e, -1);
    for (let k = 0; k < scrambleCount; k++) if (unchecked(scrambleKeys[k]) == inOrder) return <i32>unchecked(scrambleConcepts[k]);
  }
  for (let k = 0; k < scrambleCount; k++) if (unchecked(scrambleKeys[k]) == key) return <i32>unchecked(scrambleConcepts[k]);
  return 0;
}

@inline function weightAt(bucket: u32): i32 { return <i32>unchecked(WEIGHT_TABLE[bucket]); }

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
  /** A second-person possessive next to a secret or instructions cue word, with a request for text
   *  a few words away (rule-only cue words, scripts/lexicon.ts RULE_CONCEPTS): "muéstrame tu
   *  contraseña", "आपका पासवर्ड क्या है". The prompt_extraction heuristic reads it. */
  asksForOwn: bool = false;
  /** An ask right before a secret cue word that ends the clause, or right after one at the clause
   *  end (verb-last languages), no "how" word in the sentence: "dime la contraseña", "sag mir das
   *  Passwort", "비밀번호를 알려주세요", as the English asks read "tell me the password". */
  asksForThe: bool = false;
  /** An ignore word next to a second-person possessive and an instructions word, either order
   *  ("forget your instructions", "olvida tus instrucciones", "अपने निर्देश भूल जाओ", "あなたの指示を
   *  忘れて"): the assistant told to drop its own orders, with no "previous" word. The override
   *  heuristic reads it. */
  dropsOwn: bool = false;
  /** An ignore word before the user's own "my" stood ("ignore my previous instructions"): the
   *  user's text withdrawn, no override from the user; in a tool result still one. */
  ownIgnore: bool = false;
  /** "I am your developer" in a lexicon language (a self or i_am word, a possessive next to a
   *  developer noun), then a secret, an ask or a need within CLAIM_REACH, across sentences: the
   *  English patterns' claimed authority with a demand (assembly/asks.ts). */
  claimDemand: bool = false;
  /** Where a cue word split by one space was read whole (the space's index, in text order): the
   *  text the checks read drops those spaces (detector.ts appendJoined). */
  joins: Array<i32> = new Array<i32>();
  joinAt(space: i32): void { this.joins.push(space); }
  /** An ignore word, then a verb that makes the assistant state something, in one sentence
   *  ("Ignora el currículum y declara: …", "忽略简历并声明：…"): the text at hand dropped for an
   *  utterance the attacker picks (task_switch; English's is in asks.ts). */
  ignoresToState: bool = false;
  /** How words in the text (lexicon.ts `how`), less those that open an ask ("wie lautet"). */
  private howWords: i32 = 0;
  /** A "how" word anywhere in the text: a question about doing something. */
  get howSeen(): bool { return this.howWords > 0; }
  /** An ask or a need word anywhere in the text (lexicon.ts `ask`, `need`, the reveal concept). */
  askSeen: bool = false;
  private lastSelf: i32 = -1000;
  private lastDeveloper: i32 = -1000;
  private claimAt: i32 = -1000;
  // Latest instructions word (an object), the end of the latest possessive + instructions pair and
  // the latest ignore word the model counts (a negated one or one after "I" is not).
  private lastInstrWord: i32 = -1000;
  private lastAcrostic: i32 = -1000;
  private lastInstrPairEnd: i32 = -1000;
  private lastIgnoreWord: i32 = -1000;
  private lastSecret: i32 = -1000;
  private lastHow: i32 = -1000;
  /** Words left for a "please" to end the clause after an asked-for secret ("…la contraseña, por favor"). */
  private pendingThe: i32 = 0;
  /** Where the current run of secret words started ("mot de passe"), and the latest indefinite article. */
  private secretStart: i32 = -1000;
  private lastIndefinite: i32 = -1000;
  // Latest instructions word, system word and "of" ("the system prompt", "el prompt del sistema").
  private lastInstr: i32 = -1000;
  private lastSystem: i32 = -1000;
  private lastOf: i32 = -1000;
  // Latest position (half-words) of each part, -1000 = none; positions only grow.
  private lastYour: i32 = -1000;
  private lastObject: i32 = -1000;
  private lastAsk: i32 = -1000;
  private lastPairEnd: i32 = -1000;
  // Latest need word and end of the latest possessive + secret pair (PART_NEED).
  private lastNeed: i32 = -1000;
  private lastSecretPairEnd: i32 = -1000;
  /** Position of the latest "regardless" word (RULE_REGARDLESS), -1000 = none. */
  lastRegardless: i32 = -1000;
  /** An ignore word and a previous word close together with a sweeping word between them ("forget
   *  everything above", "olvida todo lo anterior", "上記のすべてを無視して"): the override heuristic. */
  sweeping: bool = false;
  // Latest positions of an ignore word, a previous word and a sweeping word (RULE_EVERYTHING).
  lastIgnore: i32 = -1000;
  lastPrevious: i32 = -1000;
  lastEverything: i32 = -1000;

  reset(): void {
    this.dot = 0; this.total = 0;
    if (this.concepts != 0) memory.fill(changetype<usize>(this.near), 0, 13 * 13);
    this.concepts = 0;
    this.asksForOwn = false;
    this.asksForThe = false;
    this.dropsOwn = false;
    this.ownIgnore = false;
    this.claimDemand = false;
    this.ignoresToState = false;
    this.howWords = 0;
    this.joins.length = 0;
    this.askSeen = false;
    this.lastSelf = -1000; this.lastDeveloper = -1000; this.claimAt = -1000;
    // Every position below belongs to the text being read: none may carry over to the next one.
    this.pendingThe = 0;
    this.secretStart = -1000;
    this.lastIndefinite = -1000;
    this.lastOf = -1000;
    this.lastRegardless = -1000;
    this.sweeping = false;
    this.lastIgnore = -1000; this.lastPrevious = -1000; this.lastEverything = -1000;
    this.sentenceEnd();
  }

  /** A possessive, a secret/instructions word or an ask at position `at` (half-words). */
  part(kind: i32, at: i32): void {
    if (kind == RULE_REGARDLESS) {
      // Near the concepts just before it ("上述指示を…", "पिछले निर्देशों की परवाह किए बिना")…
      for (let k = 0; k < recentCount; k++) {
        if (at - unchecked(recentWord[k]) <= 2 * CONCEPT_WINDOW) unchecked(this.near[<i32>C_IGNORE * 13 + unchecked(recentConcept[k])] = true);
      }
      this.lastRegardless = at; // … and those after it (addConcept)
      return;
    }
    if (kind == RULE_EVERYTHING) { this.lastEverything = at; return; }
    if (kind == RULE_HOW) { this.lastHow = at; this.howWords++; return; }
    if (kind == RULE_STATE) { if (at - this.lastIgnoreWord <= IGNORE_TO_STATE) this.ignoresToState = true; return; }
    if (kind == RULE_ACROSTIC) { if (this.lastSecret >= 0) this.asksForThe = true; this.lastAcrostic = at; return; }
    if (kind == RULE_PLEASE) return; // read by word()
    if (kind == RULE_INDEFINITE) { this.lastIndefinite = at; return; }
    if (kind == RULE_OF) { this.lastOf = at; return; }
    if (kind == RULE_I_AM) { this.lastSelf = at; return; }
    if (kind == RULE_SELF) {
      this.lastSelf = at; // … and its concept bit below
      // "memberi tahu saya kata sandinya", "sabihin sa akin ang password": the ask reaches past its
      // "me", not past a "how" ("sagen, wie ich Ihr Passwort ändere").
      if (at - this.lastAsk <= ASK_BEFORE && this.lastHow < this.lastAsk) this.lastAsk = at;
    }
    if (kind == PART_DEVELOPER) {
      if (at - this.lastYour <= PAIR_WINDOW && at - this.lastSelf <= CLAIM_SUBJECT) this.claimAt = at;
      this.lastDeveloper = at;
      return;
    }
    if ((kind == PART_ASK || kind == PART_NEED || kind == PART_OBJECT) && at > this.claimAt && at - this.claimAt <= CLAIM_REACH) this.claimDemand = true;
    if (kind == PART_ASK_LAST) {
      if (at - this.lastPairEnd <= ASK_AFTER) this.asksForOwn = true;
      return;
    }
    if (kind == PART_NEED) {
      this.askSeen = true;
      if (at - this.lastSecretPairEnd <= ASK_AFTER) this.asksForOwn = true;
      this.lastNeed = at;
      return;
    }
    // Cue words the heuristics gate on (ask_cue, smuggle_cue, ai_reader): only a bit in `concepts`.
    // (Ids 32 and up have no bit: read where they are looked up, or above.)
    if (kind >= 32) return;
    if (kind >= PART_ASK_CUE) { this.concepts |= 1 << <u32>kind; return; }
    if (kind == PART_YOUR_OBJECT) this.pair(at, at);
    else if (kind == PART_YOUR) {
      // "أنا المطور الخاص بك": the possessive after the developer noun.
      if (at - this.lastDeveloper <= PAIR_WINDOW && at - this.lastSelf <= CLAIM_SUBJECT + PAIR_WINDOW) this.claimAt = at;
      // After its object, unless an "of" stands between: in "el secreto de tu éxito" the
      // possessive is the next noun's.
      if (at - this.lastObject <= PAIR_WINDOW && this.lastOf != at - 2) this.pair(this.lastObject, at);
      this.lastYour = at;
    } else if (kind == PART_OBJECT) {
      if (at - this.lastYour <= PAIR_WINDOW) this.pair(this.lastYour, at);
      this.lastObject = at;
    } else if (kind == PART_ASK) {
      // After the pair ("आपका पासवर्ड क्या है", "あなたのパスワードは何"): a few words later.
      if (at - this.lastPairEnd <= ASK_AFTER) this.asksForOwn = true;
      this.lastAsk = at;
      this.askSeen = true;
    }
  }

  /** A sentence ends: a possessive, object or ask before it does not pair with one after it
   *  ("¿olvidaste tu contraseña? Dime qué hacer"). */
  sentenceEnd(): void {
    this.lastYour = -1000; this.lastObject = -1000; this.lastAsk = -1000; this.lastPairEnd = -1000;
    this.lastNeed = -1000; this.lastSecretPairEnd = -1000;
    this.lastSecret = -1000; this.lastHow = -1000;
    this.lastInstr = -1000; this.lastSystem = -1000;
    this.lastInstrWord = -1000; this.lastInstrPairEnd = -1000; this.lastIgnoreWord = -1000;
    this.lastAcrostic = -1000;
  }

  /** An ask bigram whose first word, at `at`, is a how word ("wie lautet das Passwort?", "wie heißt
   *  …"): the word asks for, not about. */
  howAsks(at: i32): void {
    if (this.lastHow != at) return;
    this.lastHow = -1000;
    this.howWords--;
  }

  /** An instructions word at `at`, before it is paired as an object (dropsOwn). */
  instructionWord(at: i32): void { this.lastInstrWord = at; }

  /** An ignore word the model counts at `at`: after a possessive + instructions pair (verb last,
   *  "तुम्हारे निर्देश भूल जाओ"), the assistant is told to drop them. */
  ignoreWord(at: i32): void {
    if (at - this.lastInstrPairEnd <= ASK_AFTER) this.dropsOwn = true;
    this.lastIgnoreWord = at;
  }

  /** An ignore word the model does not count (after a `self` word, before a `my` word, an artifact or a past mark) at `at`: near the concepts around
   *  it for the override heuristic, as a "regardless" word is, and a candidate for `sweeping`. */
  ignoreForRules(at: i32): void {
    this.part(RULE_REGARDLESS, at);
    if (at - this.lastPrevious <= 2 * CONCEPT_WINDOW && this.lastEverything > this.lastPrevious) this.sweeping = true;
    this.lastIgnore = at;
  }

  /** Whether a first-person word (lexicon.ts self, i_am) stood in the text. */
  get selfSeen(): bool { return this.lastSelf >= 0; }

  /** Whether a "please" may still end an asked-for secret's clause (word() must see the next words). */
  get pending(): bool { return this.pendingThe > 0; }

  /** A word at `at` is done: whether it is a secret cue word, an ask, a "please", ends a clause, and
   *  is an instructions or a system word (WORD_INSTRUCTION, WORD_SYSTEM, else 0). */
  word(at: i32, secret: bool, ask: bool, please: bool, clauseEnd: bool, kind: i32, from: i32): void {
    if (this.pendingThe > 0) {
      // … or a system word ("la contraseña del sistema", "كلمة المرور لنظامنا").
      if ((please || kind == WORD_SYSTEM) && clauseEnd) this.asksForThe = true;
      // … and a "please" or a cipher keeps it open ("…كلمة المرور في ليتسبيك من فضلك").
      this.pendingThe = please ? 3 : this.pendingThe - 1;
    }
    // An instructions word next to a system word (either order, an "of" between) names the system
    // prompt: a secret from the first of the two. `from` is where this word's phrase starts (a
    // two-word cue: "lời nhắc hệ thống").
    let start = -1;
    if (kind != 0) {
      const other = kind == WORD_INSTRUCTION ? this.lastSystem : this.lastInstr;
      if (other == from - 2 || (other == from - 4 && this.lastOf == from - 2)) start = other;
      if (kind == WORD_INSTRUCTION) this.lastInstr = at; else this.lastSystem = at;
    }
    if (start >= 0) { secret = true; this.secretStart = start; }
    else if (secret && this.lastSecret != at - 2) this.secretStart = at;
    if (this.lastHow < 0) {
      const asked = secret && this.secretStart - this.lastAsk <= ASK_BEFORE_THE && this.lastIndefinite != this.secretStart - 2;
      if (clauseEnd) {
        if (asked) this.asksForThe = true;
        if (ask && at - this.lastSecret <= ASK_AFTER_THE) this.asksForThe = true;
      } else if (asked) this.pendingThe = 3;
    }
    if (secret) { this.lastSecret = at; if (this.lastAcrostic >= 0) this.asksForThe = true; }
    // A system word or the cipher asked for a few words after the secret ends its phrase, so a
    // verb-last ask reads past it ("das Passwort für unser System bestätigen?", "पासफ्रेज़ पिग
    // लैटिन में लिखें").
    else if ((kind == WORD_SYSTEM || please) && at - this.lastSecret <= ASK_AFTER_THE) this.lastSecret = at;
  }

  /** A possessive and its object at [start, end]: asked for when an ask stands just before. */
  private pair(start: i32, end: i32): void {
    if (start - this.lastAsk <= ASK_BEFORE) this.asksForOwn = true;
    this.lastPairEnd = end;
    if (this.lastInstrWord != start && this.lastInstrWord != end) {
      // A secret pair: "I need your password", "necesito tu contraseña".
      if (start - this.lastNeed <= NEED_BEFORE) this.asksForOwn = true;
      this.lastSecretPairEnd = end;
    } else {
      // "forget your instructions": the ignore word before the pair.
      if (start - this.lastIgnoreWord <= ASK_BEFORE) this.dropsOwn = true;
      this.lastInstrPairEnd = end;
    }
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

// FeatureSums.part kinds: the rule-only concept ids (lexicon.ts RULE_CONCEPTS order), which the
// model's own secret/instruction and reveal cue words also feed as objects and asks.
const PART_YOUR: i32 = 13;
const PART_ASK: i32 = 14;
const PART_YOUR_OBJECT: i32 = 15;
const PART_OBJECT: i32 = 16;
/** English words the asks' patterns need (lexicon.ts ask_cue): only a bit in `concepts`. */
export const PART_ASK_CUE: i32 = 17;
/** Words naming a smuggling trick (lexicon.ts smuggle_cue): only a bit in `concepts`. */
export const PART_SMUGGLE_CUE: i32 = 20;
/** Words naming an AI that reads a text (lexicon.ts `ai_reader`): only a bit in `concepts`. */
export const PART_AI_READER: i32 = 30;
/** "Need" words (lexicon.ts `need`): an ask for a possessive + secret pair only, never for instructions. */
const PART_NEED: i32 = 31;
/** Verb-last asks (lexicon.ts `ask_last`): an ask only after the possessive + object pair. */
const PART_ASK_LAST: i32 = 32;
/** Auxiliaries after a verb-last ask (lexicon.ts `aux`: "बता सकते हैं?"): afterAuxTail. */
const RULE_AUX: i32 = 33;
/** A developer / creator noun and "I am" (lexicon.ts `developer`, `i_am`): a claimed authority, claimDemand. */
const PART_DEVELOPER: i32 = 34;
const RULE_I_AM: i32 = 35;
/** Negations before a word ("not", "never", the "t" of "don't") and after it ("nicht", "pas",
 *  "niet"): lexicon.ts `negation` and `negation_after`. */
const RULE_NEGATION: i32 = 18;
const RULE_NEGATION_AFTER: i32 = 19;
/** "Regardless (of)" and its translations (lexicon.ts `regardless`): near a concept, it stands for
 *  the ignore concept in FeatureSums.near (the override heuristic), never in the model. */
const RULE_REGARDLESS: i32 = 21;
/** "Everything", "all", "todo", "alles"… (lexicon.ts `everything`): between an ignore word and a
 *  previous word, FeatureSums.sweeping. */
const RULE_EVERYTHING: i32 = 22;
/** "How", "cómo", "wie"… (lexicon.ts `how`): no possessive-free ask in their sentence. */
const RULE_HOW: i32 = 23;
/** "Please", "por favor", "bitte", "now"… (lexicon.ts `please`): may follow the secret at the clause end. */
const RULE_PLEASE: i32 = 24;
/** A first-person subject or perfect auxiliary (lexicon.ts `self`) before an ignore word: no concept. */
const RULE_SELF: i32 = 25;
/** An indefinite article (lexicon.ts `indefinite`): "un secret" is not the assistant's. */
const RULE_INDEFINITE: i32 = 26;
/** A first-person possessive (lexicon.ts `my`) in the two words after an ignore word: no model concept. */
const RULE_MY: i32 = 27;
/** Something a user sends (lexicon.ts `artifact`) in the three words after an ignore word: no model concept. */
const RULE_ARTIFACT: i32 = 36;
/** An acrostic (lexicon.ts `acrostic`): a secret in its sentence is asked for (asksForThe). */
const RULE_ACROSTIC: i32 = 38;
/** A verb that makes the assistant state something (lexicon.ts `state`): after an ignore word, ignoresToState. */
const RULE_STATE: i32 = 39;
/** ignoresToState: the state verb at most this many half-words after the ignore word. */
const IGNORE_TO_STATE: i32 = 12;
/** A Han/kana past-tense mark right after a forget word (lexicon.ts `past_after`): no model concept. */
const RULE_PAST_AFTER: i32 = 28;
/** "Of" (lexicon.ts `of`): "prompt del sistema" is one name, for asksForThe. */
const RULE_OF: i32 = 29;

/** Mix state of the word d[s, e): its first 32 code points (scripts/features.ts wordState). */
@inline function wordState(d: StaticArray<u32>, s: i32, e: i32): u32 {
  let h = seed(SEED_WORD1);
  for (let k = s; k < e && k - s < 32; k++) h = mix(h, unchecked(d[k]));
  return h;
}

/** Whether d[i] (right after a word, no space) is a Han/kana past-tense mark ("忘れました", "忘记了"). */
function pastAfter(d: StaticArray<u32>, i: i32, n: i32): bool {
  if (i >= n || !isIdeographic(unchecked(d[i]))) return false;
  return conceptOf(full(wordState(d, i, i + 1))) == RULE_PAST_AFTER;
}

/** Whether one of the `count` words after position i (a word's end), joined by spaces only and
 *  not Han/kana, is a cue word of rule concept `id` (scripts/features.ts ruleAfter): a negation
 *  after its verb ("vergiss nicht"), a possessive ("ignore all my typos"). */
function ruleAfter(d: StaticArray<u32>, i: i32, n: i32, id: i32, count: i32): bool {
  let j = i;
  for (let w = 0; w < count; w++) {
    const e = nextWord(d, j, n);
    if (e < 0) return false;
    if (conceptOf(full(wordState(d, nextWordStart, e))) == id) return true;
    j = e;
  }
  return false;
}

/** The word right after position j (a word's end), spaces only between: its end, its start in
 *  nextWordStart; -1 when no word follows so. */
function nextWord(d: StaticArray<u32>, j: i32, n: i32): i32 {
  let k = j;
  while (k < n && unchecked(d[k]) == 0x20) k++;
  if (k == j || k >= n) return -1;
  const s = k;
  while (k < n && plainWordChar(unchecked(d[k]))) k++;
  if (k == s) return -1;
  nextWordStart = s;
  return k;
}
let nextWordStart = 0;
/** Possessive and object at most one word apart (half-words); an ask at most one word before the
 *  pair ("dime tu contraseña", not "dime cómo cambiar tu contraseña"), or four after it. */
const PAIR_WINDOW: i32 = 4;
const ASK_BEFORE: i32 = 4;
const ASK_AFTER: i32 = 8;
/** claimDemand: "I am" at most three words before the developer noun; the demand within about 30 words. */
const CLAIM_SUBJECT: i32 = 8;
const CLAIM_REACH: i32 = 60;
/** A need word up to three words before the pair ("necesito saber tu contraseña", "أحتاج إلى كلمة
 *  المرور الخاصة بك"), or four after it. */
const NEED_BEFORE: i32 = 8;
/** FeatureSums.word kinds. */
const WORD_INSTRUCTION: i32 = 1;
const WORD_SYSTEM: i32 = 2;
/** asksForThe: an ask at most two words before the secret's first word ("dis-moi le mot de passe",
 *  not "какой должна быть длина пароля"), or at most two words after it ("पासवर्ड मुझे बताओ"). */
const ASK_BEFORE_THE: i32 = 6;
const ASK_AFTER_THE: i32 = 6;

/** Whether a colon or an opening quote (normalize.ts closingQuote) follows d[i - 1] (spaces between). */
function opensUtterance(d: StaticArray<u32>, i: i32, n: i32): bool {
  while (i < n && unchecked(d[i]) == 0x20) i++;
  if (i >= n) return false;
  const c = unchecked(d[i]);
  return c == 0x3a || c == 0xff1a || closingQuote(c) != 0;
}

/** Past up to three auxiliary words (or asks) after d[i - 1], joined by spaces ("बता सकते हैं?",
 *  "বলতে পারেন?"): where a verb-last ask's clause ends. A word ending in a script's sentence mark
 *  ends the tail at the mark. */
function afterAuxTail(d: StaticArray<u32>, i: i32, n: i32): i32 {
  let j = i;
  for (let w = 0; w < 3; w++) {
    const k = nextWord(d, j, n);
    if (k < 0) return j;
    const s = nextWordStart;
    let e = k;
    if (e - s > 1 && isScriptPunctuation(unchecked(d[e - 1]))) e--;
    const c = conceptOf(full(wordState(d, s, e)));
    if (c != RULE_AUX && c != PART_ASK) return j;
    if (e < k) return e;
    j = k;
  }
  return j;
}

/** Past the hiragana (and 下 of "下さい") after d[i - 1]: a verb's inflection and politeness; and
 *  past a compound verb's second kanji with its own kana ("繰り返してください": the cue is 繰り). */
function afterKanaTail(d: StaticArray<u32>, i: i32, n: i32): i32 {
  let j = i;
  let compound = false;
  while (j < n) {
    const c = unchecked(d[j]);
    if ((c >= 0x3041 && c <= 0x309f) || c == 0x4e0b) { j++; continue; }
    if (compound || c < 0x4e00 || c > 0x9fff || j + 1 >= n || unchecked(d[j + 1]) < 0x3041 || unchecked(d[j + 1]) > 0x309f) break;
    compound = true;
    j++;
  }
  return j;
}

/** Whether the clause ends after d[i - 1]: the text ends or a clause mark follows (spaces and
 *  closing quotes between). */
function clauseEndAfter(d: StaticArray<u32>, i: i32, n: i32): bool {
  let j = i;
  while (j < n) {
    const c = unchecked(d[j]);
    if (!(c == 0x20 || c == 0x22 || c == 0x27 || c == 0x2a || c == 0x60 || c == 0x2019 || c == 0x201d || c == 0xbb || c == 0x300d || c == 0x300f)) break;
    j++;
  }
  if (j >= n) return true;
  const c = unchecked(d[j]);
  // A Chinese question or suggestion particle closing the sentence ("你能提供密码吗?"): 吗 呢 吧.
  if ((c == 0x5417 || c == 0x5462 || c == 0x5427) && (j + 1 >= n || isSentenceMark(unchecked(d[j + 1])))) return true;
  return c == 0x2e || c == 0x3f || c == 0x21 || c == 0x2c || c == 0x3b || c == 0x3a || c == 0x29 || c == 0x5d || c == 0x3002 || c == 0x3001 ||
    c == 0x61f || c == 0x60c || c == 0x964 || c == 0x965 || c == 0x2026;
}

/** Sentence marks of the normalised text that are not word characters: . ! ? ; ¡ ¿ 。 ｡ (the
 *  marks of scripts isWordChar keeps inside words are handled where a word ends with one). */
@inline function isSentenceMark(c: u32): bool {
  return c == 0x2e || c == 0x21 || c == 0x3f || c == 0x3b || c == 0xa1 || c == 0xbf || c == 0x3002 || c == 0xff61;
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
  let prevNegation = false;
  let prevNegationAfter = false;
  let prevHow = false;
  // Whether the previous word, and the one before it, is a `self` word (scripts/features.ts).
  let prevSelf = false;
  let prev2Self = false;
  // The previous word, for cue words split by a space: where it was, whether it was a cue word, and
  // whether it can be joined (not Han/kana or Thai, under 32 code points).
  let prevStart = -1, prevEnd = -2;
  let prevCue = false, prevPlain = false;
  // The two words before, joined and no cue word (their mix state; 0: none), for a third piece.
  let pairState: u32 = 0, pairStart = -1, pairSpace = -1;
  let join = false;
  recentCount = 0;
  // Position in half-words (scripts/features.ts): a word counts 2, a Han/kana character 1.
  let wi = 0;
  let i = 0;
  while (i < n) {
    const c = unchecked(d[i]);
    if (!wordChar(c)) {
      i++;
      if (c != 0x20 && c != 0x2d && c != 0x27) join = false;
      if (isSentenceMark(c)) sums.sentenceEnd();
      continue;
    }
    const s = i;
    const ideographic = c >= 0x3040 && isIdeographic(c);
    if (ideographic) i++;
    else while (i < n && plainWordChar(unchecked(d[i]))) i++;
    if (!join) { prev = 0; prevNegation = false; prevNegationAfter = false; prevHow = false; prevSelf = false; prev2Self = false; }
    join = true;
    const h = wordState(d, s, i);
    const f1 = full(h);
    sums.add(f1 & MASK, FACTOR_WORD);
    let concept = conceptOf(f1);
    let rule = 0;
    if (concept > MODEL_CONCEPTS) { rule = concept; concept = 0; } // rule-only: not the model's
    const ownRule = rule;
    let fromBigram = false;
    let bigramRule = 0;
    if (prev != 0) {
      const f2 = full(mix(mix(seed(SEED_WORD2), prev), h));
      sums.add(f2 & MASK, FACTOR_WORD);
      const c2 = conceptOf(f2);
      if (c2 > MODEL_CONCEPTS) {
        rule = c2; bigramRule = c2;
        if (c2 == PART_ASK && prevHow) sums.howAsks(wi - 2);
      }
      else if (c2 != 0) { concept = c2; fromBigram = true; }
    }
    // A negated ask ("अपना पासवर्ड किसी को न दें", don't give your password to anyone) asks nothing.
    if ((rule == PART_ASK && prevNegation) || (rule == PART_ASK_LAST && (prevNegation || prevNegationAfter))) rule = 0;
    // … and one a negation follows ("पासवर्ड साझा नहीं करूँगा", I won't share the password; "साझा न करें").
    if (rule == PART_ASK && (ruleAfter(d, i, n, RULE_NEGATION_AFTER, 1) || ruleAfter(d, i, n, RULE_NEGATION, 1))) rule = 0;
    // A word ending in a script's sentence mark ("…भूल जाओ।"): the word feature keeps the mark, the
    // model's concept is the word's without it (scripts/features.ts; written Hindi ends nearly every
    // sentence so). The rule-only parts are looked up without it below.
    // The concept of the word (or its bigram) without the mark, looked up once for both.
    const marked = i - s > 1 && !ideographic && isScriptPunctuation(unchecked(d[i - 1]));
    let markedConcept = 0;
    if (marked) {
      const hs = wordState(d, s, i - 1);
      markedConcept = conceptOf(full(hs));
      if (prev != 0) { const cb = conceptOf(full(mix(mix(seed(SEED_WORD2), prev), hs))); if (cb != 0) markedConcept = cb; }
    }
    let stripped = false;
    if (concept == 0 && ownRule == 0 && bigramRule == 0 && markedConcept != 0 && markedConcept <= MODEL_CONCEPTS) { concept = markedConcept; stripped = true; }
    let unsegmented = false;
    if (!ideographic) for (let k = s; k < i; k++) {
      const ch = unchecked(d[k]);
      if (ch >= 0xe00 && isUnsegmented(ch)) { unsegmented = true; break; }
    }
    // A cue word split by one space ("ig nore", "instruc tions", "pass word"; scripts/features.ts):
    // neither part a cue word, the two together are.
    const cue = concept != 0 || ownRule != 0 || bigramRule != 0;
    let nextPair: u32 = 0;
    if (!cue && !prevCue && prevPlain && !ideographic && !unsegmented && prevEnd + 1 == s && unchecked(d[prevEnd]) == 0x20 && i - prevStart <= 33) {
      let hj = prev;
      for (let k = s; k < i; k++) hj = mix(hj, unchecked(d[k]));
      const cj = conceptOf(full(hj));
      if (cj != 0 && cj <= MODEL_CONCEPTS) { concept = cj; sums.joinAt(prevEnd); }
      else {
        // … or in three ("pa ss word", "instr uct ions"): the two before, joined, continued over this one.
        if (pairState != 0 && i - pairStart <= 33) {
          let h3 = pairState;
          for (let k = s; k < i; k++) h3 = mix(h3, unchecked(d[k]));
          const c3 = conceptOf(full(h3));
          if (c3 != 0 && c3 <= MODEL_CONCEPTS) { concept = c3; sums.joinAt(pairSpace); sums.joinAt(prevEnd); }
        }
        if (concept == 0) nextPair = hj;
      }
    }
    pairState = nextPair;
    pairStart = prevStart;
    pairSpace = prevEnd;
    // A cue word spelled scrambled ("ignroe", "pveirous", "psswrd"; patterns/smuggling.ts SCRAMBLED_CUES).
    if (concept == 0 && !cue && !ideographic && !unsegmented) concept = scrambledConcept(d, s, i);
    prevCue = cue;
    prevPlain = !ideographic && !unsegmented && i - s < 32;
    prevStart = s;
    prevEnd = i;
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
              if (cc != 0 && cc <= MODEL_CONCEPTS) { best = cc; bestLen = len; }
            }
          }
        }
        if (best != 0) { addConcept(sums, best, wi + (p - s) / 3); p += bestLen; } else p++;
      }
    } else if (concept != 0) {
      // An ignore word before the user's own "my": looked ahead once, read twice below.
      // … or a first-person subject ("forget what I said about the budget"; not "forget everything I
      // told you": the sweeping word makes it the override's).
      const own = concept == <i32>C_IGNORE && (ruleAfter(d, i, n, RULE_MY, 2) || (ruleAfter(d, i, n, RULE_SELF, 2) && !ruleAfter(d, i, n, RULE_EVERYTHING, 1)));
      // "don't forget", "vergiss nicht", "n'oubliez pas": a negated ignore word is a reminder.
      if (concept == <i32>C_IGNORE && (prevNegation || ruleAfter(d, i, n, RULE_NEGATION_AFTER, 1))) concept = 0;
      else if (concept == <i32>C_IGNORE && (own || (fromBigram ? prev2Self : prevSelf) || ruleAfter(d, i, n, RULE_ARTIFACT, 3) || pastAfter(d, i, n))) {
        // No model concept (scripts/features.ts), but the override heuristic still reads it as an
        // ignore word: "I forget all previous instructions" stays an override phrase. Before "my"
        // ("ignore my previous instructions about the font") it is the user withdrawing their own
        // text: an override only in a tool result (Detector.overridePhrase).
        sums.ignoreForRules(wi);
        if (own) sums.ownIgnore = true;
        concept = 0;
      }
      else addConcept(sums, concept, wi);
    }
    // Cue words for asksForThe: this word's secret or reveal concept (not inside a Thai run).
    let secretWord = !unsegmented && concept == <i32>C_SECRET;
    let askWord = !unsegmented && concept == <i32>C_REVEAL;
    let scriptEnd = false;
    let markSystem = false;
    // A state verb counts only where it opens the utterance (a colon or a quote next): "declara tus
    // ingresos" is a tax return, "y declara: …" a dictated answer.
    if (rule == RULE_STATE && !opensUtterance(d, i, n)) rule = 0;
    // A word ending in a script's sentence mark ("बताओ।", "بك؟"): the model keeps it whole (it was
    // trained so), the rule-only parts look it up without the mark.
    if (marked) {
      const cs = markedConcept;
      if (cs > MODEL_CONCEPTS) { if (rule == 0 && !((cs == PART_ASK && prevNegation) || (cs == PART_ASK_LAST && (prevNegation || prevNegationAfter)))) rule = cs; }
      else if (stripped) {} // the model's concept, read above
      else if (cs == <i32>C_INSTRUCTION || cs == <i32>C_SECRET) { sums.part(PART_OBJECT, wi); if (cs == <i32>C_SECRET) secretWord = true; }
      else if (cs == <i32>C_REVEAL) { sums.part(PART_ASK, wi); askWord = true; }
      else if (cs == <i32>C_SYSTEM) markSystem = true; // "كلمة المرور لنظامنا؟"
      // A verb-last sentence's ignore word carries the mark ("…निर्देश भूल जाओ।"): the model does
      // not read it, the override heuristic does.
      else if (cs == <i32>C_IGNORE && !prevNegation) { sums.ignoreForRules(wi); sums.ignoreWord(wi); }
      if (rule != 0) sums.part(rule, wi);
      scriptEnd = true;
    } else if (rule != 0) sums.part(rule, wi);
    // Most words are none of these: no clause-end look-ahead for them.
    // A possessive after the asked-for secret ends its phrase as a "please" does ("… lời nhắc hệ thống
    // của bạn", the system prompt of yours).
    const secretHere = secretWord || rule == PART_OBJECT, askHere = askWord || rule == PART_ASK, pleaseHere = rule == RULE_PLEASE || (rule == PART_YOUR && sums.pending);
    const kind = unsegmented ? 0 : concept == <i32>C_INSTRUCTION ? WORD_INSTRUCTION : concept == <i32>C_SYSTEM || markSystem ? WORD_SYSTEM : 0;
    if (secretHere || askHere || pleaseHere || kind != 0 || sums.pending) {
      // A Japanese ask ends its clause through its kana tail ("教えてください", "見せて下さい").
      // A Hindi or Bengali one through its auxiliaries ("बता सकते हैं?").
      // A secret too through its question particle ("… mật khẩu không?", "… şifreyi mi?").
      const end = scriptEnd || clauseEndAfter(d, ideographic && askHere ? afterKanaTail(d, i, n) : askHere || secretHere ? afterAuxTail(d, i, n) : i, n);
      sums.word(wi, secretHere, askHere, pleaseHere, end, kind, fromBigram ? wi - 2 : wi);
    }
    if (scriptEnd) sums.sentenceEnd(); // the mark ends the sentence
    prev = h;
    prevNegation = ownRule == RULE_NEGATION;
    // "… Ihr Passwort nicht geben": a verb-last ask after "nicht" asks nothing.
    prevNegationAfter = ownRule == RULE_NEGATION_AFTER;
    prevHow = ownRule == RULE_HOW;
    prev2Self = prevSelf;
    // As the trainer reads it: the word or its bigram, not the word without a script's sentence mark.
    prevSelf = ownRule == RULE_SELF || bigramRule == RULE_SELF;
    wi += unsegmented ? max(2, (i - s) / 3) : ideographic ? 1 : 2;
  }
}

/** A concept at position `at` (half-words): its feature, and a pair with each recent concept in
 *  the window (scripts/features.ts addConcept). */
function addConcept(sums: FeatureSums, concept: i32, at: i32): void {
  sums.concepts |= 1 << <u32>concept;
  // The secret and instruction cue words are objects, the reveal words asks, for asksForOwn.
  if (concept == <i32>C_INSTRUCTION) sums.instructionWord(at);
  if (concept == <i32>C_INSTRUCTION || concept == <i32>C_SECRET) sums.part(PART_OBJECT, at);
  else if (concept == <i32>C_REVEAL) sums.part(PART_ASK, at);
  sums.add(full(mix(seed(SEED_CONCEPT), <u32>concept)) & MASK, FACTOR_CONCEPT);
  if (at - sums.lastRegardless <= 2 * CONCEPT_WINDOW) unchecked(sums.near[<i32>C_IGNORE * 13 + concept] = true);
  if (concept == <i32>C_IGNORE) {
    sums.ignoreWord(at);
    if (at - sums.lastPrevious <= 2 * CONCEPT_WINDOW && sums.lastEverything > sums.lastPrevious) sums.sweeping = true;
    sums.lastIgnore = at;
  } else if (concept == <i32>C_PREVIOUS) {
    if (at - sums.lastIgnore <= 2 * CONCEPT_WINDOW && sums.lastEverything > sums.lastIgnore) sums.sweeping = true;
    sums.lastPrevious = at;
  }
  for (let k = 0; k < recentCount; k++) {
    const rc = unchecked(recentConcept[k]);
    if (at - unchecked(recentWord[k]) <= 2 * CONCEPT_WINDOW && rc != concept) {
      unchecked(sums.near[rc * 13 + concept] = true);
      // Secret + new is no feature (scripts/features.ts): "my new password" is everyday talk.
      if ((rc == <i32>C_SECRET && concept == <i32>C_NEW) || (rc == <i32>C_NEW && concept == <i32>C_SECRET)) continue;
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
