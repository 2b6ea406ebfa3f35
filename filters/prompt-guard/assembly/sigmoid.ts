// The logistic function with the trainer's own exp (scripts/model.ts `exp`): only +, *, / (exact
// IEEE operations in JS and Wasm alike), so a score computed here equals the trainer's to the bit
// and the threshold means the same thing on both sides.

export function exp(x: f64): f64 {
  if (x > 700) return Infinity;
  if (x < -700) return 0;
  let k = 0;
  while (x > 0.5) { x /= 2; k++; }
  while (x < -0.5) { x /= 2; k++; }
  let term: f64 = 1, sum: f64 = 1;
  for (let i = 1; i < 18; i++) { term = term * x / <f64>i; sum += term; }
  for (let i = 0; i < k; i++) sum *= sum;
  return sum;
}

export function sigmoid(z: f64): f64 { return 1 / (1 + exp(-z)); }
