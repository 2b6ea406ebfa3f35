// A demo embedding for the sample LLM's /v1/embeddings (model `sample-paraphrase`): deterministic
// vectors that put paraphrases near each other, so the cache's semantic lookup can be shown
// offline. NOT a language model: a bag of stemmed content words hashed into 256 signed buckets
// (feature hashing), plus the words' character trigrams at a quarter of the weight (so "colour"
// and "color" stay close), L2-normalised. Questions with the same content words in any order
// and with any filler ("please", "tell me", "what's") get a cosine of 1; sharing most content
// words gives about 0.8 to 0.95.

const DIMS = 256;

/** Filler words dropped before hashing (question words, articles, politeness). */
const STOP = new Set(("a an the of to in on at for by with and or is are was were be been am do does did can could would " +
  "should will shall may might must what whats which who whom whose how why when where s it its this that these those " +
  "i me my you your we our us he she they them please tell give show explain say about some any").split(" "));

/** A light suffix-stripping stemmer (a small subset of Porter's steps: plurals, -ing, -ed, -ly). */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
  else if (w.length > 4 && w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith("ly")) w = w.slice(0, -2);
  return w;
}

/** The content words of a text, stemmed. */
export function contentWords(text: string): string[] {
  const words = text.toLowerCase().normalize("NFKC").split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0 && !STOP.has(w));
  return words.map(stem);
}

function fnv(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function add(v: number[], feature: string, weight: number): void {
  const h = fnv(feature);
  v[h % DIMS] += (h & 0x80000000) === 0 ? weight : -weight;
}

export function paraphraseEmbedding(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const w of new Set(contentWords(text))) {
    add(v, `w:${w}`, 1);
    const t = ` ${w} `;
    for (let i = 0; i + 3 <= t.length; i++) add(v, `t:${t.slice(i, i + 3)}`, 0.25);
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

export function cosine(a: number[], b: number[]): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return d / (Math.sqrt(na * nb) || 1);
}
