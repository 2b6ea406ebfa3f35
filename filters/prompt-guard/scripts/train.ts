// `npm run train:guard`: trains prompt-guard's learned detector on ../shared/data/prompt-guard/
// train.jsonl (or the file given as first argument) and writes assembly/model/weights.ts, which
// the build embeds in the module. Deterministic: the same data gives the same file, byte for byte
// (test/train.test.ts regenerates and compares).
//
// Steps (README "How scoring works"):
//   1. every row → hashed features (features.ts: the filter's own normalisation and hashing);
//   2. rows of a language group where one class is (nearly) absent train only the cross-language
//      concept features, so their words cannot become a shortcut for the label ("German = attack");
//   3. weights: classes balanced, and within each language group too (capped); then every source
//      repository of a class given the same total weight;
//   4. the default threshold: 5-fold cross-validation grouped by source repository (a fold never
//      sees a source it is scored on, as the filter will meet unseen sources); the threshold is the
//      out-of-fold score that keeps TARGET_FPR of the benign rows below it;
//   5. the final model on all rows, weights quantised to int4.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BUCKET_BITS, BUCKETS, F_CONCEPT, featureCounts, setFactors, buildLexicon, LEXICON_KEY_SHIFT } from "./features.ts";
import {
  balance, equalizeSources, packWeights, DEFAULTS, quantSampleLogit, languageGroup, lopsidedGroups, quantize, sigmoid, toSample, train,
  type Row, type Sample, type TrainOptions, type QuantModel,
} from "./model.ts";
import { sharedData } from "../../../tools/shared/index.ts";
import { seededRandom } from "../../../host-test/src/random.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const WEIGHTS_FILE = join(here, "..", "assembly", "model", "weights.ts");

/** Everything that decides the weights, in one place (printed into the generated file). */
export const TRAINING = {
  ...DEFAULTS,
  /** 16 passes since the table shrank to 2^15 buckets (grouped CV at 1% FPR: 12 → 43.2%, 16 →
   *  44.4%, 20 → 44.1%; 2^16 buckets at 12: 44.9%, at 16: 44.5%). */
  epochs: 16,
  l2: 2e-5,
  /** Cap on a row's within-language balancing weight (grouped CV at 1% FPR: 2 → 41.9%, 3 and 4 →
   *  42.2%, 8 → 40.3%, 16 → 40.6%). */
  maxWeight: 4,
  /** Integer factor per feature family: char n-grams, words, concepts. Char n-grams are off (0):
   *  with them grouped-CV recall at 1% FPR was 23.8%, without 30.2% (they learn a source's
   *  spelling and script rather than what an attack asks for; they still count in the
   *  normalisation √(number of features)). */
  factors: [0, 1, 64],
  /** A language group with fewer rows than this in one class trains concepts only. */
  minRowsPerClass: 50,
  /** False-positive rate on out-of-fold benign rows the default threshold is set for. The goal is
   *  ≤ 1% on sources the model has not seen, and the pooled rate hides how far one unseen source
   *  lands from it: at the pooled 1% threshold the five grouped folds see 0.3–2.2%. 0.75% keeps a
   *  margin (grouped CV recall 45.7% → 43.8%). */
  targetFpr: 0.0075,
  folds: 5,
  /** Every source repository's rows of a class weigh the same in total (model.ts equalizeSources). */
  equalSources: true,
  /** Composite rows per short attack (see composites). */
  augment: 0,
  /** Embedded-attack rows per train positive (see embedded; 0 = off). */
  embed: 0,
  /** Source group of embedded rows: the attack's / carrier's own ("source") or one synthetic group per class ("own"). */
  embedGroup: "source",
  /** Embedded attacks only into carriers of the attack's language group; only injection-kind attacks. */
  embedSameLanguage: false,
  embedInjectionsOnly: false,
};

export function readRows(file: string): Row[] {
  return readFileSync(file, "utf8").split("\n").filter((l) => l.trim().length > 0).map((l) => JSON.parse(l) as Row);
}

/**
 * Composite rows (deterministic): a benign text followed by a short attack (label 1), and a benign
 * text followed by another benign text (label 0), `augment` × the number of short attacks each. They
 * teach that an instruction inside ordinary content is an attack (the shape of indirect and
 * embedded injections), without making length or concatenation itself a signal.
 */
export function composites(rows: Row[], augment: number, seed: number): Row[] {
  if (augment <= 0) return [];
  const benign = rows.filter((r) => r.label == 0 && r.text.length < 1500);
  const attacks = rows.filter((r) => r.label == 1 && r.text.length < 600);
  if (benign.length < 2 || attacks.length == 0) return [];
  const rand = seededRandom(seed);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const sep = ["\n\n", " ", "\n"];
  const out: Row[] = [];
  const n = Math.round(attacks.length * augment);
  for (let i = 0; i < n; i++) {
    const b = pick(benign), a = pick(attacks), c = pick(benign);
    out.push({ text: b.text + pick(sep) + a.text, label: 1, source: a.source, kind: "composite" });
    out.push({ text: b.text + pick(sep) + c.text, label: 0, source: c.source, kind: "composite" });
  }
  return out;
}

/** Benign sources whose rows are ordinary requests, tasks and tool outputs: the carriers of
 *  embedded attacks (not the trigger-word sentences of NotInject, nor persona prompts). */
const CARRIER_SOURCES = ["ShishirPatil/gorilla", "lightblue-tech/M-IFEval", "openai/grade-school-math",
  "yizhongw/self-instruct", "sequrity-ai/agentdojo", "paul-rottger/exaggerated-safety"];

/** Sentences (and lines) of a text, terminators kept. */
function sentences(text: string): string[] {
  return text.match(/[^.!?\n。！？]+[.!?。！？]*\n*|\n+/g)?.filter((x) => x.trim().length > 0) ?? [text];
}

/** The attack's override span: the one or two consecutive sentences holding the most cue concepts. */
export function overrideSpan(text: string): string {
  const ss = sentences(text);
  let best = text, bn = -1;
  for (let i = 0; i < ss.length; i++) {
    for (const span of [ss[i], ss[i] + (ss[i + 1] ?? "")]) {
      if (span.length > 600) continue;
      let n = 0;
      for (const v of featureCounts(span, 1 << F_CONCEPT).counts.values()) n += v;
      if (n > bn) { best = span; bn = n; }
    }
  }
  return best.trim();
}

/**
 * Embedded attacks (deterministic): a benign carrier row (a question, task, BFCL request, M-IFEval
 * prompt, AgentDojo tool output) with an attack span from a train positive (the whole attack when
 * short, else its override span) inserted at the start, in the middle (at a sentence or line
 * boundary) or at the end, label 1; paired with the carrier itself as a label-0 row, so the
 * carrier's words are not learned as attack words. `amount` × the number of positives pairs. A
 * synthetic row is grouped with the source of the row it came from (the attack's for the positive,
 * the carrier's for the negative); built from one fold's training rows only, so it never crosses
 * folds.
 */
export function embedded(rows: Row[], amount: number, seed: number, ownGroup = false, sameLanguage = false, injectionsOnly = false): Row[] {
  if (amount <= 0) return [];
  const allCarriers = rows.filter((r) => r.label == 0 && r.text.length < 3000 && CARRIER_SOURCES.includes(r.source.split(":")[0]));
  const byLanguage = new Map<string, Row[]>();
  for (const c of allCarriers) { const g = languageGroup(c.text); byLanguage.set(g, [...(byLanguage.get(g) ?? []), c]); }
  const attacks = rows.filter((r) => r.label == 1 && (!injectionsOnly || r.kind == "injection") &&
    (!sameLanguage || byLanguage.has(languageGroup(r.text))));
  if (allCarriers.length == 0 || attacks.length == 0) return [];
  const rand = seededRandom(seed);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const out: Row[] = [];
  const n = Math.round(attacks.length * amount);
  for (let i = 0; i < n; i++) {
    const a = attacks[i % attacks.length];
    const c = pick(sameLanguage ? byLanguage.get(languageGroup(a.text))! : allCarriers);
    const span = a.text.length < 300 && rand() < 0.5 ? a.text : overrideSpan(a.text);
    const sep = pick(["\n\n", " ", "\n"]);
    const where = Math.floor(rand() * 3);
    let text: string;
    if (where == 0) text = span + sep + c.text;
    else if (where == 2) text = c.text + sep + span;
    else {
      const cs = sentences(c.text);
      const k = Math.max(1, Math.floor(cs.length / 2));
      text = cs.slice(0, k).join("") + sep + span + sep + cs.slice(k).join("");
    }
    out.push({ text, label: 1, source: ownGroup ? "synthetic/embedded:" + a.source : a.source, kind: "embedded" });
    out.push({ text: c.text, label: 0, source: ownGroup ? "synthetic/carrier:" + c.source : c.source, kind: "carrier" });
  }
  return out;
}

function samplesOf(rows: Row[], o: typeof TRAINING): Sample[] {
  const lop = lopsidedGroups(rows, o.minRowsPerClass);
  const all = rows.concat(composites(rows, o.augment, o.seed + 1), embedded(rows, o.embed, o.seed + 2, o.embedGroup == "own", o.embedSameLanguage, o.embedInjectionsOnly));
  const s = all.map((r) => toSample(r, lop.has(languageGroup(r.text))));
  balance(s, o.maxWeight);
  if (o.equalSources) equalizeSources(s);
  return s;
}

/** Source repositories dealt round-robin (sorted by name) into `folds` folds. */
export function foldOf(rows: Row[], folds: number): number[] {
  const repos = [...new Set(rows.map((r) => r.source.split(":")[0]))].sort();
  const f = new Map(repos.map((r, i) => [r, i % folds]));
  return rows.map((r) => f.get(r.source.split(":")[0])!);
}

/** The score above which at most `fpr` of the benign scores lie. */
export function thresholdAt(benign: number[], fpr: number): number {
  const s = [...benign].sort((a, b) => b - a);
  const k = Math.min(s.length - 1, Math.floor(s.length * fpr));
  return s[k];
}

/** a, b minimising the class-balanced log-loss of sigmoid(a·z + b) against labels y (Newton steps). */
export function platt(z: number[], y: number[]): { a: number; b: number } {
  const pos = y.filter((v) => v == 1).length, neg = y.length - pos;
  const w = y.map((v) => (v ? 0.5 / pos : 0.5 / neg));
  // From a = b = 0 (every p = ½), where Newton's method on this convex loss is well-conditioned.
  let a = 0, b = 0;
  for (let it = 0; it < 30; it++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(a * z[i] + b), d = (p - y[i]) * w[i], h = p * (1 - p) * w[i];
      ga += d * z[i]; gb += d; haa += h * z[i] * z[i]; hab += h * z[i]; hbb += h;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 1e-300)) break;
    a -= (hbb * ga - hab * gb) / det;
    b -= (haa * gb - hab * ga) / det;
  }
  return { a, b };
}

export interface Trained { model: QuantModel; threshold: number; cv: { recall: number; fpr: number }; rows: number; sha256: string; oof: number[] }

export function trainAll(file: string, o: typeof TRAINING = TRAINING, log: (s: string) => void = () => {}): Trained {
  setFactors(o.factors);
  const raw = readFileSync(file);
  const rows = readRows(file);
  const opts: TrainOptions = { epochs: o.epochs, l2: o.l2, lr: o.lr, maxWeight: o.maxWeight, seed: o.seed };
  // Cross-validation grouped by source.
  const fold = foldOf(rows, o.folds);
  const logits = new Array<number>(rows.length).fill(0);
  for (let k = 0; k < o.folds; k++) {
    const trainRows = rows.filter((_, i) => fold[i] != k);
    // Scored with int4 weights, as the filter scores: the threshold is set on what ships.
    const m = quantize(train(samplesOf(trainRows, o), opts));
    rows.forEach((r, i) => { if (fold[i] == k) logits[i] = quantSampleLogit(m, toSample(r)); });
    log(`fold ${k + 1}/${o.folds}: ${trainRows.length} training rows`);
  }
  // Rounding to 4 bits moves the logits (small weights become 0): the out-of-fold logits are mapped
  // back to a probability scale (Platt scaling, classes weighed equally), and the shipped scale and
  // bias carry that map, so a score still reads as "how likely an attack from an unseen source".
  const cal = platt(logits, rows.map((r) => r.label));
  const oof = logits.map((z) => sigmoid(cal.a * z + cal.b));
  const benign = oof.filter((_, i) => rows[i].label == 0);
  // Rounded up to the 4 decimals the file holds: rounding down would let one more benign row over.
  const threshold = Math.ceil(thresholdAt(benign, o.targetFpr) * 1e4) / 1e4;
  const pos = oof.filter((_, i) => rows[i].label == 1);
  const cv = { recall: pos.filter((s) => s > threshold).length / pos.length, fpr: benign.filter((s) => s > threshold).length / benign.length };
  log(`cross-validated (grouped by source): threshold ${threshold}, recall ${cv.recall.toFixed(3)}, FPR ${cv.fpr.toFixed(4)}`);
  const q = quantize(train(samplesOf(rows, o), opts));
  const model = { q: q.q, scale: Number((q.scale * cal.a).toPrecision(9)), bias: Number((q.bias * cal.a + cal.b).toPrecision(9)) };
  return { model, threshold, cv, rows: rows.length, sha256: createHash("sha256").update(raw).digest("hex"), oof };
}

/** The generated AssemblyScript source. */
export function render(t: Trained, o: typeof TRAINING = TRAINING): string {
  const lex = [...buildLexicon()].sort((a, b) => a[0] - b[0]);
  const rice = lexiconRice(lex.map((e) => e[0]));
  const packed = packWeights(t.model.q);
  const rowsOf = (xs: ArrayLike<number>, per: number) => {
    const lines: string[] = [];
    for (let i = 0; i < xs.length; i += per) lines.push("  " + Array.from(xs).slice(i, i + per).join(", ") + ",");
    return lines.join("\n");
  };
  return `// GENERATED by filters/prompt-guard/scripts/train.ts (npm run train:guard): do not edit.
// Trained on ${t.rows} rows of train.jsonl (sha256 ${t.sha256}).
// Options: ${JSON.stringify(o)}
// Cross-validated (5 folds grouped by source) at the default threshold: recall ${t.cv.recall.toFixed(4)}, benign FPR ${t.cv.fpr.toFixed(4)}.

export const BUCKET_BITS: i32 = ${BUCKET_BITS};
/** logit = BIAS + WEIGHT_SCALE * dot / sqrt(features), dot = Σ weight[bucket] * family factor. */
export const WEIGHT_SCALE: f64 = ${t.model.scale};
export const BIAS: f64 = ${t.model.bias};
/** Default score threshold (block/flag), from the grouped cross-validation above. */
export const DEFAULT_THRESHOLD: f64 = ${t.threshold};
export const FACTOR_CHAR: i32 = ${o.factors[0]};
export const FACTOR_WORD: i32 = ${o.factors[1]};
export const FACTOR_CONCEPT: i32 = ${o.factors[2]};

/** Cue lexicon (scripts/lexicon.ts): the sorted keys of its words and bigrams (a full hash's top 27
 *  bits), Rice-coded with LEXICON_RICE_BITS low bits (lexiconRice); their concept ids are a table of
 *  the pattern bytes (scripts/generate.ts TABLE_LEXICON_CONCEPTS). */
export const LEXICON_SIZE: i32 = ${lex.length};
/** A key is a full hash shifted right by this (scripts/features.ts lexiconKey). */
export const LEXICON_KEY_SHIFT: i32 = ${LEXICON_KEY_SHIFT};
export const LEXICON_RICE_BITS: i32 = ${rice.k};
export const LEXICON_KEYS_RICE: usize = memory.data<u8>([
${rowsOf(rice.bytes, 32)}
]);
/** int4 weights, ${BUCKETS} buckets (scripts/model.ts packWeights): a unary prefix code per bucket,
 *  bits from each byte's low bit up (0 → 0, 10 → −1, 110 → +1, 1110 → −2, 11110 → +2, 11111 → the
 *  next escaped weight), and the escaped weights in bucket order, two nibbles to a byte. */
export const WEIGHT_CODES: usize = memory.data<u8>([
${rowsOf(packed.codes, 32)}
]);
export const WEIGHT_ESCAPES: usize = memory.data<u8>([
${rowsOf(packed.escapes, 32)}
]);
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? sharedData("prompt-guard", "train.jsonl");
  const t0 = Date.now();
  const t = trainAll(file, TRAINING, (s) => console.log(s));
  writeFileSync(WEIGHTS_FILE, render(t));
  console.log(`wrote ${relative(process.cwd(), WEIGHTS_FILE)} (${t.rows} rows, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

/** Sorted lexicon keys (27 bits, scripts/features.ts lexiconKey) Rice-coded: each key's gap from
 *  the one before as its quotient by 2^k in unary (ones ended by a zero), then its low k bits, from
 *  each byte's low bit up. ~2,700 keys spread over 2^27 leave gaps near 2^15.6: about 17.3 bits a
 *  key instead of the 24 a 3-byte gap takes (assembly/features.ts decodeLexiconKeys). */
export function lexiconRice(keys: number[]): { k: number; bytes: number[] } {
  const mean = keys.length ? keys[keys.length - 1] / keys.length : 1;
  const k = Math.max(0, Math.round(Math.log2(mean * Math.LN2)));
  const bits: number[] = [];
  let prev = 0;
  for (const key of keys) {
    const gap = key - prev;
    const quotient = Math.floor(gap / 2 ** k);
    // The filter reads the unary quotient and the low bits from one 32-bit load at a byte's bit.
    if (quotient > 24 || k > 24) throw new Error(`lexicon gap ${gap} does not fit the Rice code (k ${k})`);
    for (let q = quotient; q > 0; q--) bits.push(1);
    bits.push(0);
    for (let b = 0; b < k; b++) bits.push(Math.floor(gap / 2 ** b) & 1);
    prev = key;
  }
  // Four bytes more: the filter reads a 32-bit word at any bit position.
  const bytes = new Array<number>((bits.length + 7 >> 3) + 4).fill(0);
  bits.forEach((bit, i) => { if (bit) bytes[i >> 3] |= 1 << (i & 7); });
  return { k, bytes };
}
