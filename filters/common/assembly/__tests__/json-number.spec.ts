import { parseJsonNumber } from "../json/number";

function num(s: string): f64 {
  const x = Uint8Array.wrap(String.UTF8.encode(s));
  return parseJsonNumber(x.dataStart, 0, x.length);
}

// A fixed LCG, so a failure names a reproducible input.
let seed: u64 = 0x2545f4914f6cdd1d;
function next(n: i32): i32 {
  seed = seed * 6364136223846793005 + 1442695040888963407;
  return <i32>((seed >> 33) % <u64>n);
}
function digits(n: i32): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x30 + (i == 0 ? 1 + next(9) : next(10)));
  return s;
}
/** A JSON number with `sig` significant digits, the point after `point` of them, and exponent `exp`. */
function number(sig: i32, point: i32, exp: i32): string {
  const d = digits(sig);
  let s = next(2) == 0 ? "-" : "";
  s += point >= sig ? d : d.slice(0, point) + "." + d.slice(point);
  if (exp != 0) s += (next(2) == 0 ? "e" : "E") + (exp > 0 && next(2) == 0 ? "+" : "") + exp.toString();
  return s;
}

describe("parseJsonNumber", () => {
  it("reads the numbers configs and requests hold exactly", () => {
    expect(num("0")).toBe(0);
    expect(num("-0")).toBe(-0.0);
    expect(1 / num("-0")).toBe(-Infinity);
    expect(num("0.6916")).toBe(0.6916);
    expect(num("0.1")).toBe(0.1);
    expect(num("-1.5")).toBe(-1.5);
    expect(num("1e3")).toBe(1000);
    expect(num("2.5E-7")).toBe(2.5e-7);
    expect(num("0.000002")).toBe(0.000002);
    expect(num("9007199254740991")).toBe(9007199254740991);
    expect(num("123456789012345")).toBe(123456789012345);
    expect(num("1e+22")).toBe(1e22);
    expect(num("1e-22")).toBe(1e-22);
    expect(num("0.30000000000000004")).toBe(0.30000000000000004);
  });

  it("agrees with strtod exactly up to 15 significant digits and exponents within ±22", () => {
    for (let k = 0; k < 4000; k++) {
      const sig = 1 + next(15);
      const point = next(sig + 1);
      const exp = next(61) - 30;
      // The digits' integer times 10^scale: within ±22 of it.
      const scale = exp - (sig - point);
      if (scale < -22 || scale > 22) continue;
      const s = number(sig, point, exp);
      const want = parseFloat(s);
      const got = num(s);
      if (got != want) expect(s + " " + got.toString()).toBe(s + " " + want.toString());
    }
  });

  it("stays within a few units in the last place beyond that, and overflows and underflows as f64 does", () => {
    for (let k = 0; k < 4000; k++) {
      // (AssemblyScript's strtod, the reference, misreads some numbers of 16 digits and more:
      // "5956.0029221963595E49" as 5.956e38.)
      const s = number(1 + next(15), next(16), next(601) - 300);
      const want = parseFloat(s);
      const got = num(s);
      const err = Math.abs(got - want) / Math.abs(want);
      if (!(err <= 1e-15)) expect(s + " " + got.toString()).toBe(s + " " + want.toString());
    }
    expect(num("1e400")).toBe(Infinity);
    expect(num("-1e400")).toBe(-Infinity);
    expect(num("1e-400")).toBe(0);
    expect(num("1e99999999999")).toBe(Infinity);
    expect(Math.abs(num("1.5e308") / 1.5e308 - 1) <= 1e-15).toBe(true);
    // Digits past the 18th only move the exponent (values from JavaScript's Number()).
    expect(Math.abs(num("-722785.41620237086474673E+43") / -7.227854162023709e48 - 1) <= 1e-15).toBe(true);
    expect(Math.abs(num("123456789012345678901234567890") / 1.2345678901234568e29 - 1) <= 1e-15).toBe(true);
    expect(Math.abs(num("0.000000000000000000000000000123456789012345678901") / 1.2345678901234568e-28 - 1) <= 1e-15).toBe(true);
  });
});
