// int8 quantisation of prompt vectors (pure: unit-tested with as-pect). Cosine similarity is
// scale-free, so each vector is scaled by its own largest component; the int8 copy costs a
// quarter of f32's memory and its dot product is integer arithmetic.

/** Most dimensions accepted (OpenAI's text-embedding-3-large has 3072). */
export const MAX_DIMS: i32 = 4096;

/** A prompt vector quantised to int8 (scaled so its largest component is ±127). */
export class Quantised {
  constructor(public q: Int8Array, public norm: f32) {}
}

export function quantise(v: Float64Array): Quantised | null {
  let maxAbs: f64 = 0;
  for (let i = 0; i < v.length; i++) { const a = Math.abs(unchecked(v[i])); if (a > maxAbs) maxAbs = a; }
  if (!(maxAbs > 0) || !isFinite(maxAbs)) return null;
  const q = new Int8Array(v.length);
  let n: f64 = 0;
  for (let i = 0; i < v.length; i++) {
    const x = <i32>Math.round(unchecked(v[i]) / maxAbs * 127.0);
    unchecked((q[i] = <i8>x));
    n += <f64>(x * x);
  }
  return new Quantised(q, <f32>Math.sqrt(n));
}

