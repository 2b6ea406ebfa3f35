// The learned detector's training, in plain deterministic arithmetic (no Math.exp/log from the
// engine's libm: our own exp, so a retrain on another Node version gives the same weights).
//
// Model: logistic regression over hashed features, x_b = count_b / sqrt(total features), so the
// filter computes dot = Σ over feature occurrences of w[b] without building a vector, and
// logit = bias + scale · dot / sqrt(total).
import { BUCKETS, F_CONCEPT, featureCounts, codePoints } from "./features.ts";
import { seededRandom } from "../../../host-test/src/random.ts";

export interface Row { text: string; label: number; source: string; kind: string }

export interface Sample { idx: Int32Array; val: Float64Array; y: number; w: number; group: string; script: string }

/** e^x with only +, *, / (identical everywhere): range reduction by 2^k, then a Taylor series. */
export function exp(x: number): number {
  if (x > 700) return Infinity;
  if (x < -700) return 0;
  let k = 0;
  while (x > 0.5) { x /= 2; k++; }
  while (x < -0.5) { x /= 2; k++; }
  let term = 1, sum = 1;
  for (let i = 1; i < 18; i++) { term = term * x / i; sum += term; }
  for (let i = 0; i < k; i++) sum *= sum;
  return sum;
}
export function sigmoid(z: number): number { return 1 / (1 + exp(-z)); }

/** Dominant script of a text's letters (for per-script class balancing and per-script reports). */
export function dominantScript(text: string): string {
  const n = new Map<string, number>();
  for (const c of codePoints(text)) {
    const s = scriptOf(c);
    if (s) n.set(s, (n.get(s) ?? 0) + 1);
  }
  let best = "none", bn = 0;
  for (const [s, k] of [...n.entries()].sort()) if (k > bn) { best = s; bn = k; }
  return best;
}

export function scriptOf(c: number): string {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7)) return "latin";
  if (c >= 0x400 && c <= 0x52f) return "cyrillic";
  if (c >= 0x370 && c <= 0x3ff) return "greek";
  if (c >= 0x600 && c <= 0x6ff) return "arabic";
  if (c >= 0x590 && c <= 0x5ff) return "hebrew";
  if (c >= 0x900 && c <= 0x97f) return "devanagari";
  if (c >= 0x980 && c <= 0x9ff) return "bengali";
  if (c >= 0xc00 && c <= 0xc7f) return "telugu";
  if (c >= 0xe00 && c <= 0xe7f) return "thai";
  if ((c >= 0x3040 && c <= 0x30ff)) return "kana";
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return "han";
  if (c >= 0xac00 && c <= 0xd7af) return "hangul";
  return "";
}

/** Stop words of the Latin-script languages in the data: a row's language for balancing only. */
const STOP: Record<string, string[]> = {
  de: "der die das und ist nicht ich sie es ein eine zu mit auf fur von den dem des sich wie".split(" "),
  fr: "le la les et est une des du pour pas que qui dans sur avec vous je il ce".split(" "),
  es: "el la los las y es una por para con no que del se lo su como".split(" "),
  it: "il di che e la per non un una sono con del della gli le".split(" "),
  pt: "o a os as e de do da que nao um uma para com em por".split(" "),
  nl: "de het een en van is dat niet ik je zijn op te met".split(" "),
  en: "the and is of to a in that it for you with on are this".split(" "),
};
const STOPSETS = Object.entries(STOP).map(([k, v]) => [k, new Set(v)] as const);

/** Script, or for Latin text the language its stop words point to ("latin" when unclear). */
export function languageGroup(text: string): string {
  const sc = dominantScript(text);
  if (sc != "latin") return sc;
  const words = text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").match(/[a-z]+/g) ?? [];
  let best = "latin", bn = 1;
  for (const [k, set] of STOPSETS) {
    let c = 0;
    for (const w of words) if (set.has(w)) c++;
    if (c > bn) { best = k; bn = c; }
  }
  return best;
}

/** Feature families a row trains: all, or only the cross-language concepts (F_CONCEPT) for rows of
 *  a language group where one class is (nearly) absent, so its words cannot stand for the label. */
export function toSample(r: Row, conceptOnly = false): Sample {
  const { counts, total } = featureCounts(r.text, conceptOnly ? 1 << F_CONCEPT : 7);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const idx = new Int32Array(keys);
  const val = new Float64Array(keys.length);
  const norm = total > 0 ? 1 / Math.sqrt(total) : 0;
  keys.forEach((k, i) => (val[i] = counts.get(k)! * norm));
  return { idx, val, y: r.label, w: 1, group: r.source.split(":")[0], script: languageGroup(r.text) };
}

export interface TrainOptions {
  epochs: number;
  l2: number;
  lr: number;
  /** Cap on a row's balancing weight (a script with few benign rows must not dominate). */
  maxWeight: number;
  seed: number;
}
export const DEFAULTS: TrainOptions = { epochs: 12, l2: 2e-6, lr: 0.2, maxWeight: 8, seed: 20240601 };

/**
 * Row weights: classes balanced overall, and within each script the benign and attack rows carry
 * the same total weight (capped), so "this text is in Cyrillic" cannot stand in for "attack".
 */
/** Language groups of `rows` where the rarer class has fewer than `min` rows. */
export function lopsidedGroups(rows: Row[], min: number): Set<string> {
  const by = new Map<string, [number, number]>();
  for (const r of rows) { const g = languageGroup(r.text); const e = by.get(g) ?? [0, 0]; e[r.label]++; by.set(g, e); }
  return new Set([...by].filter(([, [a, b]]) => Math.min(a, b) < min && Math.max(a, b) >= min).map(([g]) => g));
}

export function balance(samples: Sample[], maxWeight: number): void {
  const by = new Map<string, [number, number]>();
  let pos = 0, neg = 0;
  for (const s of samples) {
    const e = by.get(s.script) ?? [0, 0];
    e[s.y]++; by.set(s.script, e);
    if (s.y) pos++; else neg++;
  }
  const n = samples.length;
  for (const s of samples) {
    const [n0, n1] = by.get(s.script)!;
    const g = n0 + n1;
    // Within the script: each class gets half of the script's weight.
    let w = n0 > 0 && n1 > 0 ? (g / 2) / (s.y ? n1 : n0) : 1;
    w = Math.min(maxWeight, Math.max(1 / maxWeight, w));
    // Overall: each class half of the total.
    w *= (n / 2) / (s.y ? pos : neg);
    s.w = w;
  }
}

/**
 * Source balancing, after `balance`: within each class, every source repository's rows weigh the
 * same in total, then both classes are scaled back to half the total weight each. Train's sources
 * differ in size by 100× (644 in-the-wild jailbreaks, 16 rows per latent-jailbreak file); without
 * this the largest sources set the weights, and a detector meets unseen sources. Chosen by grouped
 * cross-validation (recall at 1% FPR 34.8% → 36.9%, README "Quality").
 */
export function equalizeSources(samples: Sample[]): void {
  const total = new Map<string, number>();
  for (const s of samples) total.set(s.group + "|" + s.y, (total.get(s.group + "|" + s.y) ?? 0) + s.w);
  const mean = [0, 1].map((y) => {
    const t = [...total].filter(([g]) => g.endsWith("|" + y)).map(([, v]) => v);
    return t.length ? t.reduce((a, b) => a + b, 0) / t.length : 0;
  });
  for (const s of samples) s.w *= mean[s.y] / total.get(s.group + "|" + s.y)!;
  const cls = [0, 0];
  for (const s of samples) cls[s.y] += s.w;
  for (const s of samples) s.w *= (samples.length / 2) / cls[s.y];
}

export interface FloatModel { w: Float64Array; bias: number }

/** AdaGrad on weighted log-loss with L2 (lazy, applied on touched weights). */
export function train(samples: Sample[], o: TrainOptions = DEFAULTS): FloatModel {
  const w = new Float64Array(BUCKETS);
  const g2 = new Float64Array(BUCKETS).fill(1e-8);
  let bias = 0, gb2 = 1e-8;
  const order = samples.map((_, i) => i);
  const rand = seededRandom(o.seed);
  for (let ep = 0; ep < o.epochs; ep++) {
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    for (const k of order) {
      const s = samples[k];
      let z = bias;
      for (let j = 0; j < s.idx.length; j++) z += w[s.idx[j]] * s.val[j];
      const p = sigmoid(z);
      const g = (p - s.y) * s.w;
      for (let j = 0; j < s.idx.length; j++) {
        const b = s.idx[j];
        const gr = g * s.val[j] + o.l2 * w[b];
        g2[b] += gr * gr;
        w[b] -= o.lr * gr / Math.sqrt(g2[b]);
      }
      gb2 += g * g;
      bias -= o.lr * g / Math.sqrt(gb2);
    }
  }
  return { w, bias };
}

export function floatLogit(m: FloatModel, s: Sample): number {
  let z = m.bias;
  for (let j = 0; j < s.idx.length; j++) z += m.w[s.idx[j]] * s.val[j];
  return z;
}

/** int4 weights (−7..7) with one scale, two to a byte in the module; the bias stays a float
 *  (printed exactly in the generated file). 4 bits lose nothing on grouped-CV recall at 1% FPR
 *  (float 36.9%, int4 37.5%: README "Quality") and halve the table to 32 KiB. */
export const WEIGHT_LEVELS = 7;
export interface QuantModel { q: Int8Array; scale: number; bias: number }

export function quantize(m: FloatModel): QuantModel {
  let maxAbs = 0;
  for (let i = 0; i < m.w.length; i++) maxAbs = Math.max(maxAbs, Math.abs(m.w[i]));
  const scale = maxAbs > 0 ? maxAbs / WEIGHT_LEVELS : 1;
  const q = new Int8Array(m.w.length);
  for (let i = 0; i < m.w.length; i++) q[i] = Math.max(-WEIGHT_LEVELS, Math.min(WEIGHT_LEVELS, Math.round(m.w[i] / scale)));
  // The scale goes into the generated file as a decimal literal: round it to one that reads back equal.
  const s = Number(scale.toPrecision(9));
  return { q, scale: s, bias: Number(m.bias.toPrecision(9)) };
}

/** Two weights per byte, the even bucket in the low nibble (two's complement nibbles). */
export function packNibbles(q: Int8Array): Uint8Array {
  const out = new Uint8Array(q.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (q[2 * i] & 0xf) | ((q[2 * i + 1] & 0xf) << 4);
  return out;
}

export function unpackNibbles(p: ArrayLike<number>): Int8Array {
  const q = new Int8Array(p.length * 2);
  for (let i = 0; i < p.length; i++) { q[2 * i] = ((p[i] & 0xf) << 28) >> 28; q[2 * i + 1] = ((p[i] >> 4) << 28) >> 28; }
  return q;
}

/** The weights a unary code names, commonest first (60% of buckets 0, 26% −1, 10% +1, 2% −2, 1%
 *  +2): weight UNARY_WEIGHTS[k] is k ones and a zero; UNARY_WEIGHTS.length ones, an escaped weight.
 *  assembly/features.ts decodeWeights holds the same table. */
export const UNARY_WEIGHTS = [0, -1, 1, -2, 2];

/** The weights' shipped form: a unary code per bucket (UNARY_WEIGHTS), bits read from each byte's
 *  low bit up, about 1.6 bits a bucket against 2 for fixed codes; the escaped weights in bucket
 *  order, two nibbles to a byte. assembly/features.ts decodeWeights reads it once at start. */
export function packWeights(q: Int8Array): { codes: Uint8Array; escapes: Uint8Array } {
  const bits: number[] = [];
  const esc: number[] = [];
  for (let i = 0; i < q.length; i++) {
    const k = UNARY_WEIGHTS.indexOf(q[i]);
    for (let j = k < 0 ? UNARY_WEIGHTS.length : k; j > 0; j--) bits.push(1);
    if (k >= 0) bits.push(0);
    else esc.push(q[i]);
  }
  const codes = new Uint8Array((bits.length + 7) >> 3);
  for (let k = 0; k < bits.length; k++) codes[k >> 3] |= bits[k] << (k & 7);
  if (esc.length & 1) esc.push(0);
  return { codes, escapes: packNibbles(Int8Array.from(esc)) };
}

export function unpackWeights(codes: ArrayLike<number>, escapes: ArrayLike<number>, n: number): Int8Array {
  const esc = unpackNibbles(escapes);
  const q = new Int8Array(n);
  let e = 0, k = 0;
  const bit = () => { const b = (codes[k >> 3] >> (k & 7)) & 1; k++; return b; };
  for (let i = 0; i < n; i++) {
    let ones = 0;
    while (ones < UNARY_WEIGHTS.length && bit() == 1) ones++;
    q[i] = ones < UNARY_WEIGHTS.length ? UNARY_WEIGHTS[ones] : esc[e++];
  }
  return q;
}

/** A quantised model's logit for a training sample (the cross-validation scores what ships). */
export function quantSampleLogit(m: QuantModel, s: Sample): number {
  let dot = 0;
  for (let j = 0; j < s.idx.length; j++) dot += m.q[s.idx[j]] * s.val[j];
  return m.bias + m.scale * dot;
}

/** The filter's logit for a text: exactly what assembly/model.ts computes. */
export function quantLogit(m: QuantModel, text: string): number {
  const { counts, total } = featureCounts(text);
  if (total == 0) return m.bias;
  let dot = 0;
  for (const [b, c] of counts) dot += m.q[b] * c;
  return m.bias + m.scale * dot / Math.sqrt(total);
}
