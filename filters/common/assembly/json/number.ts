// A JSON number's value, read from its UTF-8 bytes.
//
// AssemblyScript's parseFloat (strtod) wants a string, costs about 1.9 KB of every module that
// calls it (prompt-guard's module has a 256 KB budget), and misreads some numbers of 16 digits and
// more ("5956.0029221963595E49" as 5.956e38). This reader is exact (one rounding) for what configs
// and requests hold: up to 15 significant digits with a decimal exponent of at most 22 either way
// (thresholds, prices, weights, temperatures, counts). Beyond that it is within a few units in the
// last place; it overflows to ±Infinity (a few units early, at the very top of the range) and
// underflows to ±0 below about 1e-308.

/** Digits kept in the mantissa: 18 fit a u64 (later ones only move the exponent). */
const MANTISSA_LIMIT: u64 = 100_000_000_000_000_000;

/** The value of the number p[s, e): a token the JSON tokenizer accepted ("-12.5e-3"). */
export function parseJsonNumber(p: usize, s: i32, e: i32): f64 {
  let i = s;
  const neg = i < e && load<u8>(p + <usize>i) == 0x2d;
  if (neg) i++;
  let m: u64 = 0;
  let exp: i32 = 0;
  let dot = false;
  for (; i < e; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    if (c == 0x2e) { dot = true; continue; }
    const d = c - 0x30;
    if (d > 9) break;
    if (m < MANTISSA_LIMIT) {
      m = m * 10 + d;
      if (dot) exp--;
    } else if (!dot) exp++;
  }
  // The exponent part: 'e' / 'E', an optional sign, digits (capped: 1e99999 is Infinity anyway).
  if (i < e) {
    i++;
    const sign = i < e ? load<u8>(p + <usize>i) : 0;
    if (sign == 0x2d || sign == 0x2b) i++;
    let x: i32 = 0;
    for (; i < e; i++) x = min(x * 10 + (<i32>load<u8>(p + <usize>i) - 0x30), 99999);
    exp += sign == 0x2d ? -x : x;
  }
  // 10^|exp| by squaring: 10, 1e2, 1e4, 1e8, 1e16 are exact, so are their products up to 1e22,
  // and m < 2^53 is exact too: Clinger's fast path, one rounding in the multiply or divide.
  let k = exp < 0 ? -exp : exp;
  let scale = 1.0, power = 10.0;
  while (k != 0) {
    if (k & 1) scale *= power;
    power *= power;
    k >>= 1;
  }
  const v = exp < 0 ? <f64>m / scale : <f64>m * scale;
  return neg ? -v : v;
}
